"""The weekly plan as an iCalendar file (RFC 5545), written with the icalendar library.

Names, labels and actions are written on one line each (a line break in a name, which
icalendar refuses in a property value, becomes a space), control characters made visible.

One event per weekly block, repeating every week from the week of the start date, in a named
time zone (with its VTIMEZONE). A block's UID is made of what identifies it (``uid``): the
plan's name, the family, the weekday and the block's rank among that family's blocks that
day; never its time or anything another block changes, so a block that stays keeps its UID.
DTSTAMP is the time of export (or ``SOURCE_DATE_EPOCH`` when set).

Every event carries ``SEQUENCE`` and ``LAST-MODIFIED``. Given the events of the plan written
before (``read_previous``), an event whose content is unchanged keeps that plan's SEQUENCE
and LAST-MODIFIED, a changed one gets the next SEQUENCE, and each event of that plan that the
new one drops is written again, cancelled (``STATUS:CANCELLED``, without its weekly rule,
with the next SEQUENCE), so a calendar that applies updates drops it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smtime.domain import NamedTuple
from smtime.errors import InvalidFileError, Problem, calendar_refusal
from smtime.i18n import localize
from smtime.plan import DAY_NAMES, UNNAMED, Plan, monday_of
from smtime.render.escape import one_line

PRODID = "-//smtime//weekly social-media plan//EN"
MAX_PREVIOUS_BYTES = 4 * 1024 * 1024
"""The largest previous plan read (``--previous``): a plan of 2,016 five-minute blocks, each
with a long list of actions, is smaller; icalendar takes seconds a MiB."""
MAX_SEQUENCE = 2**31 - 1
"""The largest SEQUENCE written: calendar applications keep it in a signed 32-bit integer."""
VERSION_PROPERTIES = frozenset({"DTSTAMP", "LAST-MODIFIED", "SEQUENCE"})
"""What says when an event was written, not what it holds: left out when events are compared."""
_UID = re.compile(r"[0-9a-f]{32}@smtime")


class Previous(NamedTuple):
    """An event of the plan written before, as ``--previous`` reads it."""

    uid: str
    sequence: int
    modified: datetime | None
    content: tuple[str, ...]
    start: datetime
    end: datetime
    summary: str
    categories: tuple[str, ...]


def uid(name: str, key: str, day: int, rank: int) -> str:
    """The UID of a block: the plan's name, the family, the weekday and the block's rank among
    that family's blocks that day, so it stays the same whatever the other blocks do."""
    digest = hashlib.sha256(f"{name}\0{key}\0{DAY_NAMES[day - 1]}\0{rank}".encode()).hexdigest()
    return f"{digest[:32]}@smtime"


def calendar_name(name: str) -> str:
    """The name a calendar application shows: ``smtime — ACME``; a plan of no profile is
    named ``smtime`` already (``smtime — Alice`` for one person of its team), and is not
    named twice."""
    own = name == UNNAMED or name.startswith(f"{UNNAMED} — ")
    return name if own else f"{UNNAMED} — {name}"


def _stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def plan_ics(
    plan: Plan,
    *,
    lang: str,
    start: date,
    zone: str,
    name: str,
    previous: Mapping[str, Previous] | None = None,
) -> str:
    """The iCalendar text of ``plan``, starting in the week of ``start``; ``previous``: the
    events of the plan written before, by UID, to update and cancel."""
    from icalendar import Calendar

    before = previous or {}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(calendar_name(name)))
    calendar.add("x-wr-timezone", zone)
    events = _block_events(plan, lang=lang, start=start, zone=zone, name=name)
    kept = {str(event["UID"]) for event in events}
    events += [_cancelled(old) for uid, old in before.items() if uid not in kept]
    stamp = _stamp()
    for event in events:
        _versioned(event, before.get(str(event["UID"])), stamp)
        calendar.add_component(event)
    # from the earliest event (a cancelled one of --previous may be older) to twenty years
    # after the plan's own first week
    monday = monday_of(start)
    first = min([monday, *(old.start.date() for old in before.values())])
    calendar.add_missing_timezones(first_date=first, last_date=_years_after(monday))
    return str(calendar.to_ical().decode("utf-8"))


ZONE_YEARS = 20
"""The years of clock changes a calendar's time zone spells out from its first event (the
events repeat every week for ever; an application takes the last rule on from there)."""


def _years_after(day: date) -> date:
    """The first of January ``ZONE_YEARS`` after ``day``'s year (at most in 9999)."""
    return date(min(day.year + ZONE_YEARS, 9999), 1, 1)


def _block_events(plan: Plan, *, lang: str, start: date, zone: str, name: str) -> list[Any]:
    """One event per block, without the properties that say when it was written."""
    from icalendar import Event

    tz = ZoneInfo(zone)
    lines = {line.key: line for line in plan.lines}
    monday = monday_of(start)
    ranks: dict[tuple[str, int], int] = {}
    events = []
    for block in plan.blocks:
        line = lines[block.key]
        rank = ranks.get((block.key, block.day), 0)
        ranks[(block.key, block.day)] = rank + 1
        day = monday + timedelta(days=block.day - 1)
        event: Any = Event()
        event.add("uid", uid(name, block.key, block.day, rank))
        event.add("dtstart", _wall_clock(day, block.start, tz))
        event.add("dtend", _wall_clock(day, block.end, tz))
        event.add("rrule", {"freq": "weekly"})
        event.add("summary", one_line(localize(line.label, lang)))
        actions = [one_line(localize(a, lang)) for a in line.actions]
        if actions:
            event.add("description", "\n".join(f"• {a}" for a in actions))
        event.add("categories", ["smtime", one_line(block.key)])
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        events.append(event)
    return events


def _cancelled(old: Previous) -> Any:
    """A block of the previous plan that the new one drops, cancelled: its first occurrence
    only (no weekly rule, so an application that ignores the status still drops the series),
    not blocking time."""
    from icalendar import Event

    event: Any = Event()
    event.add("uid", old.uid)
    event.add("dtstart", old.start)
    event.add("dtend", old.end)
    if old.summary:
        event.add("summary", old.summary)
    if old.categories:
        event.add("categories", list(old.categories))
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event


def _versioned(event: Any, old: Previous | None, stamp: datetime) -> None:
    """Add DTSTAMP, SEQUENCE and LAST-MODIFIED to ``event``: those of ``old`` when it holds the
    same, the next SEQUENCE when it changed, 0 for a new event."""
    if old is None:
        sequence, modified = 0, stamp
    elif content_of(event) == old.content:
        sequence, modified = old.sequence, old.modified or stamp
    else:
        sequence, modified = min(old.sequence + 1, MAX_SEQUENCE), stamp
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("last-modified", modified)


def content_of(event: Any) -> tuple[str, ...]:
    """What an event holds, as its content lines, without those that say when it was written."""
    return tuple(
        str(line)
        for line in event.content_lines()
        if re.split(r"[;:]", str(line), maxsplit=1)[0].upper() not in VERSION_PROPERTIES
    )


def clock_changes(plan: Plan, start: date, zone: str, lang: str) -> str | None:
    """A warning for the blocks that some week of the year from the week of ``start`` span a
    change of the clocks in ``zone``, or start or end in the hour skipped (01:00–03:00 on
    the night the clocks go forward lasts one hour): calendars show their times, which that
    day hold an hour less or more. None when no block does."""
    from smtime.i18n import translate
    from smtime.plan import clock

    tz = ZoneInfo(zone)
    monday = monday_of(start)
    found = []
    for block in plan.blocks:
        for week in range(53):
            day = monday + timedelta(days=block.day - 1, weeks=week)
            begin, end = _wall_clock(day, block.start, tz), _wall_clock(day, block.end, tz)
            if (end.astimezone(UTC) - begin.astimezone(UTC)) != timedelta(minutes=block.minutes):
                found.append(f"{day.isoformat()} {clock(block.start)}–{clock(block.end)}")
                break
    if not found:
        return None
    return translate(
        "blocks across a change of the clocks in {zone} ({blocks}): that day they last an "
        "hour less or more than planned",
        lang,
        zone=zone,
        blocks=", ".join(found),
    )


def _wall_clock(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The time ``minutes`` after the midnight that starts ``day``, on the wall clock of
    ``tz``: 24:00 is the next day's midnight (never 23:59:59)."""
    after, minutes = divmod(minutes, 24 * 60)
    return datetime.combine(day + timedelta(days=after), time(minutes // 60, minutes % 60), tz)


def read_previous(text: str, name: str) -> dict[str, Previous]:
    """The events of a plan that ``plan --format ics`` wrote, by UID; an ``InvalidFileError``
    for text that is not such a plan (``name``: the file, for messages)."""
    from icalendar import Calendar

    try:
        calendar: Any = Calendar.from_ical(text)
    except Exception as exc:  # icalendar's errors have no common base: any is "not iCalendar"
        raise _not_a_plan(name, f"not an iCalendar file ({calendar_refusal(exc, 100)})") from None
    if calendar.name != "VCALENDAR":
        raise _not_a_plan(name, "not an iCalendar file (no VCALENDAR)")
    prodid = str(calendar.get("PRODID", ""))
    if prodid != PRODID:
        raise _not_a_plan(
            name, f"not a plan written by smtime plan --format ics (PRODID {prodid[:100]!r})"
        )
    found: dict[str, Previous] = {}
    problems: list[Problem] = []
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    for index, event in enumerate(events, 1):
        try:
            old = _previous(event)
        except ValueError as exc:
            problems.append(Problem(name, str(exc), f"event {index}"))
            continue
        if old.uid in found:
            problems.append(Problem(name, f"UID {old.uid} is given twice", f"event {index}"))
        found[old.uid] = old
    if problems:
        raise InvalidFileError(name, problems)
    return found


def _not_a_plan(name: str, message: str) -> InvalidFileError:
    return InvalidFileError(name, [Problem(name, message)])


def _previous(event: Any) -> Previous:
    """An event of a previous plan, or a ``ValueError`` that says what is wrong with it."""
    text = str(event.get("UID", ""))
    if not _UID.fullmatch(text):
        raise ValueError(f"UID {text[:80]!r} is not one smtime writes (32 hex digits@smtime)")
    sequence = event.get("SEQUENCE", 0)
    if not (isinstance(sequence, int) and 0 <= sequence <= MAX_SEQUENCE):
        raise ValueError(f"SEQUENCE must be a whole number from 0 to {MAX_SEQUENCE}")
    start, end = _moment(event, "DTSTART"), _moment(event, "DTEND")
    modified = _moment(event, "LAST-MODIFIED") if "LAST-MODIFIED" in event else None
    categories = event.get("CATEGORIES")
    cats = getattr(categories, "cats", ()) if categories is not None else ()
    try:
        content = content_of(event)
    except Exception:  # a value icalendar read but cannot write back
        raise ValueError("its properties cannot be written back") from None
    return Previous(
        text,
        int(sequence),
        modified,
        content,
        start,
        end,
        one_line(str(event.get("SUMMARY", ""))),
        tuple(one_line(str(c)) for c in cats),
    )


def _moment(event: Any, key: str) -> datetime:
    """The date and time ``key`` of ``event``, in UTC or a named time zone."""
    try:
        value = getattr(event.get(key), "dt", None)
    except Exception:  # a value icalendar could not read ("broken property")
        value = None
    if not isinstance(value, datetime) or not (
        value.tzinfo is UTC or isinstance(value.tzinfo, ZoneInfo)
    ):
        raise ValueError(f"{key} is not a date and time in UTC or a named time zone")
    return value
