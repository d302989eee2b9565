"""The weekly plan as an iCalendar file (RFC 5545), written with the icalendar library.

Names, labels and actions are written on one line each (a line break in a name, which
icalendar refuses in a property value, becomes a space), control characters made visible.

One event per weekly block, repeating every week from the week of the start date, in a named
time zone (with its VTIMEZONE). UIDs are derived from the plan's name, the family, the weekday
and the block's rank that day, so exporting the same plan again updates events instead of
duplicating them. DTSTAMP is the time of export (or ``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smtime.i18n import localize
from smtime.plan import DAY_NAMES, Plan, monday_of
from smtime.render.escape import one_line

PRODID = "-//smtime//weekly social-media plan//EN"


def uid(name: str, key: str, day: int, rank: int) -> str:
    """A UID that stays the same when the same plan is exported again."""
    digest = hashlib.sha256(f"{name}\0{key}\0{DAY_NAMES[day - 1]}\0{rank}".encode()).hexdigest()
    return f"{digest[:32]}@smtime"


def _stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def plan_ics(plan: Plan, *, lang: str, start: date, zone: str, name: str) -> str:
    """The iCalendar text of ``plan``, starting in the week of ``start``."""
    from icalendar import Calendar, Event

    tz = ZoneInfo(zone)
    lines = {line.key: line for line in plan.lines}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(f"smtime — {name}"))
    calendar.add("x-wr-timezone", zone)
    monday = monday_of(start)
    stamp = _stamp()
    ranks: dict[tuple[str, int], int] = {}
    for block in plan.blocks:
        line = lines[block.key]
        rank = ranks.get((block.key, block.day), 0)
        ranks[(block.key, block.day)] = rank + 1
        day = monday + timedelta(days=block.day - 1)
        event: Any = Event()
        event.add("uid", uid(name, block.key, block.day, rank))
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(day, _time(block.start), tzinfo=tz))
        event.add("dtend", datetime.combine(day, _time(block.end), tzinfo=tz))
        event.add("rrule", {"freq": "weekly"})
        event.add("summary", one_line(localize(line.label, lang)))
        actions = [one_line(localize(a, lang)) for a in line.actions]
        if actions:
            event.add("description", "\n".join(f"• {a}" for a in actions))
        event.add("categories", ["smtime", one_line(block.key)])
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode("utf-8"))


def _time(minutes: int) -> time:
    if minutes >= 24 * 60:
        return time(23, 59, 59)
    return time(minutes // 60, minutes % 60)
