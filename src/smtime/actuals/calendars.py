"""iCalendar files (``.ics``): the events of a calendar as time spent.

Each event that started before ``--now`` counts from its start to its end; one still going on
at ``--now`` is running (the running rule, ``entries.timed``). Recurring events are expanded
(``recurring-ical-events``: RRULE, RDATE, EXDATE and moved occurrences) up to ``--now``.
Cancelled events are left out. The summary, then the categories, then the description name an
event. All-day events count only when ``Reading.all_day_hours`` says how many hours a day of
them is (``--all-day-hours``); each of their days is then a day's total.

A calendar is untrusted input like any other: rules that repeat more often than hourly are
refused, and a file that would expand to more than ``MAX_OCCURRENCES`` events up to ``--now``
is refused before anything is expanded.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta
from typing import Any

from smtime.actuals.entries import (
    Problems,
    Reading,
    check_year,
    day_total,
    elapsed,
    timed,
)
from smtime.domain import Entry, NamedTuple
from smtime.errors import InvalidFileError, Problem, calendar_refusal

MAX_OCCURRENCES = 100_000
"""Most events (recurrences included) read from one calendar, up to ``--now``."""
MAX_ALL_DAY_DAYS = 366
"""The longest all-day event read (with ``--all-day-hours``): each of its days is a day's
total, so it is bounded in days, not by the hours of a timer left running."""

_BEGIN = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")
_ALARM = re.compile(
    r"^BEGIN:VALARM\s*$.*?^END:VALARM\s*$", re.IGNORECASE | re.MULTILINE | re.DOTALL
)
"""An event's alarm, the one component an event holds (RFC 5545): it has a DURATION too."""
_DURATION_LINE = re.compile(r"^DURATION(?:;[^:\r\n]*)?:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_DURATION = re.compile(
    r"\s*[+]?P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?\s*",
    re.IGNORECASE,
)
"""A DURATION as RFC 5545 writes it (3.3.6): weeks and days, then hours, minutes, seconds."""


class Lasts(NamedTuple):
    """An event's DURATION: days of the calendar (a day across a change of the clocks lasts 23
    or 25 hours), then exact seconds. ``PT24H`` is 0 days and 86,400 seconds, ``P1D`` 1 day:
    the library reads both as one day, so the text decides."""

    days: int
    seconds: float

    @property
    def wall(self) -> timedelta:
        """The length on the wall clock, as the expansion of recurrences adds it."""
        return timedelta(days=self.days, seconds=self.seconds)


_TOO_OFTEN = {"SECONDLY", "MINUTELY"}


def read(text: str, name: str, reading: Reading) -> list[Entry]:
    """The events of an iCalendar file as entries; bad events are reported by line."""
    import recurring_ical_events
    from icalendar import Calendar

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # icalendar's notes on odd files are not for people
        try:
            calendars = Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # the parser of untrusted text: any failure is the file's
            raise _broken(name, exc) from None
        problems = Problems(name)
        events: list[Any] = [e for calendar in calendars for e in calendar.walk("VEVENT")]
        starts = [m.start() for m in _BEGIN.finditer(text)]
        lines = [text.count("\n", 0, start) + 1 for start in starts]
        given = _durations_given(text, starts) if len(starts) == len(events) else []
        where: dict[str, int] = {}
        # each UID's DURATION, when every event of it gives the same one and no DTEND
        durations: dict[str, Lasts | None] = {}
        earliest: datetime | None = None
        budget = MAX_OCCURRENCES
        for index, event in enumerate(events):
            line = lines[index] if len(lines) == len(events) else None
            where.setdefault(str(event.get("UID", "")), line or 0)
            try:
                start = _first(event, reading)
                if start is None:
                    continue
                _note_duration(durations, event, given[index] if given else None)
                budget -= _occurrences(event, start, reading)
            except (ValueError, TypeError, OverflowError) as exc:
                problems.add(line, f"event {_summary(event)!r}: {exc}")
                continue
            earliest = start if earliest is None else min(earliest, start)
            if budget < 0:
                message = (
                    f"more than {MAX_OCCURRENCES:,} events up to --now: export a shorter "
                    "period of the calendar"
                )
                raise InvalidFileError(name, [Problem(name, message)])
        problems.fail()
        if earliest is None:
            return []
        occurrences: list[Any] = []
        until = _after(reading.now)
        for calendar in calendars:
            try:
                occurrences += recurring_ical_events.of(calendar).between(
                    earliest - timedelta(days=1), until
                )
            except Exception as exc:  # the expansion of untrusted rules: the file's failure
                raise _broken(name, exc) from None
        entries = []
        for occurrence in occurrences:
            line = where.get(str(occurrence.get("UID", ""))) or None
            try:
                lasts = durations.get(str(occurrence.get("UID", "")))
                entries += _entries(occurrence, reading, lasts)
            except (ValueError, TypeError, OverflowError) as exc:
                problems.add(line, f"event {_summary(occurrence)!r}: {exc}")
        problems.fail()
        return entries


def _first(event: Any, reading: Reading) -> datetime | None:
    """The start of an event that may count up to ``--now``, checked (``ValueError``); None
    for one never counted: planned after ``--now`` (its repetitions too), or all-day without
    ``--all-day-hours``."""
    start = _aware(event.start, reading)
    if start >= reading.now:
        return None
    if not isinstance(event.start, datetime) and reading.all_day_hours is None:
        return None
    check_year(start, reading.now)
    if event.get("DTEND") and _aware(event.end, reading) < start:
        raise ValueError("ends before it starts")
    return start


def _durations_given(text: str, starts: list[int]) -> list[str | None]:
    """The text of each event's DURATION (the events in the order of ``starts``, where each
    begins in ``text``), its lines unfolded; None for an event without one."""
    found: list[str | None] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=False):
        match = _DURATION_LINE.search(_ALARM.sub("", _FOLD.sub("", text[start:end])))
        found.append(match[1] if match else None)
    return found


def _duration(event: Any, text: str | None = None) -> Lasts | None:
    """The DURATION of an event that gives one and no DTEND (``ValueError`` when negative),
    its days told from its hours by its ``text`` when given; else None."""
    given = event.get("DURATION")
    if given is None or event.get("DTEND"):
        return None
    lasts = given.dt
    if not isinstance(lasts, timedelta):
        return None
    if lasts < timedelta(0):
        raise ValueError("ends before it starts (a negative DURATION)")
    read = Lasts(lasts.days, lasts.seconds + lasts.microseconds / 1_000_000)
    parts = _DURATION.fullmatch(text) if text is not None else None
    if parts is None:  # as the library read it
        return read
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in parts.groups())
    spelt = Lasts(7 * weeks + days, 3600 * hours + 60 * minutes + seconds)
    # the text found is this event's own only if it says the same length (not an alarm's)
    return spelt if spelt.wall == read.wall else read


def _note_duration(durations: dict[str, Lasts | None], event: Any, text: str | None = None) -> None:
    """``event``'s DURATION (``_duration``) kept by its UID; None when the events of one UID
    (a rule and the occurrences it moves) do not all give the same."""
    lasts = _duration(event, text)
    uid = str(event.get("UID", ""))
    durations[uid] = lasts if durations.get(uid, lasts) == lasts else None


def _end(start: datetime, lasts: Lasts) -> datetime:
    """The end of a timed event of DURATION ``lasts`` from ``start`` (RFC 5545, 3.3.6): its
    days and weeks are days of the calendar (a day across a change of the clocks lasts 23 or
    25 hours), its hours, minutes and seconds exact (``entries.elapsed``)."""
    return elapsed(start + timedelta(days=lasts.days), lasts.seconds / 3600)


def _entries(event: Any, reading: Reading, lasts: Lasts | None = None) -> list[Entry]:
    """The entries of one occurrence: none, one timed entry, or a day's total per day.
    ``lasts``: the DURATION its event gave (the expansion of recurrences turns it into a
    DTEND of wall-clock time, which a change of the clocks makes an hour wrong), for the
    occurrences that last it (not a period of an RDATE, which gives its own)."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return []
    names = _names(event)
    begin = event.start
    if not isinstance(begin, datetime):  # an all-day event
        if reading.all_day_hours is None:
            return []
        last = event.end if isinstance(event.end, date) else begin + timedelta(days=1)
        days = max((last - begin).days, 1)
        if days > MAX_ALL_DAY_DAYS:  # a holiday of two weeks is read; a decade is not
            raise ValueError(
                f"an all-day event of {days:,} days, longer than the limit of "
                f"{MAX_ALL_DAY_DAYS} days"
            )
        today = reading.now.astimezone(reading.zone).date()
        return [
            day_total(begin + timedelta(days=n), reading.all_day_hours, names, reading)
            for n in range(days)
            if begin + timedelta(days=n) <= today
        ]
    start = _aware(begin, reading)
    if start >= reading.now:  # planned, not yet spent
        return []
    if lasts is not None and (not event.get("DTEND") or event.end - begin == lasts.wall):
        end = _end(start, lasts)
    elif event.get("DTEND") or event.get("DURATION"):
        end = _aware(event.end, reading)
    else:
        end = start
    return [timed(start, None if end > reading.now else end, names, reading)]


def _occurrences(event: Any, start: datetime, reading: Reading) -> int:
    """How many times ``event`` happens from ``start`` up to ``--now`` (at most one more than
    ``MAX_OCCURRENCES``): a rule repeating more often than hourly is a ``ValueError``."""
    from dateutil.rrule import rrulestr

    rules = event.get("RRULE")
    extra = event.get("RDATE")
    count = 1 + (len(extra) if isinstance(extra, list) else 1 if extra else 0)
    naive_now = _after(reading.now).astimezone(start.tzinfo).replace(tzinfo=None)
    for rule in rules if isinstance(rules, list) else [rules] if rules else []:
        _check_rule(rule)
        try:
            dates = rrulestr(
                rule.to_ical().decode(), dtstart=start.replace(tzinfo=None), ignoretz=True
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(f"RRULE not readable: {exc}") from None
        for moment in dates:
            if moment > naive_now or count > MAX_OCCURRENCES:
                break
            count += 1
    return count


_RANGES = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 60, False),
}
"""Each BY part of a rule: its lowest and highest value, and whether it may count from the end."""
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_rule(rule: Any) -> None:
    """A ``ValueError`` for a rule that repeats more often than hourly, or whose BY parts no
    date can meet (BYMONTH=13, the 30th of February): such a rule would be searched for an
    occurrence up to the year 9999. A rule the library could not read (``BYDAY=XX``) or whose
    INTERVAL is not a positive whole number is a ``ValueError`` too, said as such."""
    try:
        frequencies = set(rule.get("FREQ", []))
    except ValueError as exc:  # icalendar's broken property: its reason is the cause
        reason = exc.__cause__ or exc
        raise ValueError(f"RRULE not readable: {reason}") from None
    for interval in rule.get("INTERVAL", []):
        if int(interval) < 1:
            raise ValueError(f"RRULE INTERVAL={interval} is not a whole number from 1")
    if _TOO_OFTEN & frequencies or len(rule.get("BYSECOND", [])) > 1:
        raise ValueError("repeats more often than every hour, which is not read")
    for part, (low, high, from_end) in _RANGES.items():
        for value in rule.get(part, []):
            number = int(value)
            if not low <= (abs(number) if from_end else number) <= high:
                raise ValueError(f"RRULE {part}={value} is outside {low} to {high}")
    months = rule.get("BYMONTH") or range(1, 13)
    days = [int(d) for d in rule.get("BYMONTHDAY", [])]
    if (
        days
        and all(d > 0 for d in days)
        and not any(d <= _MONTH_DAYS[int(m) - 1] for m in months for d in days)
    ):
        raise ValueError("RRULE never happens: no month it names has the days it names")


def _names(event: Any) -> list[str]:
    """The summary, the categories, then the description of an event."""
    names = [str(event.get("SUMMARY", "")).strip()]
    found = event.get("CATEGORIES")
    for group in found if isinstance(found, list) else [found] if found else []:
        names += [str(c).strip() for c in getattr(group, "cats", [])]
    names.append(str(event.get("DESCRIPTION", "")).strip())
    return [n for n in names if n]


def _aware(moment: date | datetime, reading: Reading) -> datetime:
    """A calendar time as an aware time: a date at midnight, a floating time in the zone."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, datetime.min.time(), tzinfo=reading.zone)
    return moment if moment.tzinfo else moment.replace(tzinfo=reading.zone)


def _after(now: datetime) -> datetime:
    """A day after ``now`` (the expansion looks a little past it), within the calendar."""
    try:
        return now + timedelta(days=1)
    except OverflowError:
        return now


def _summary(event: Any) -> str:
    return str(event.get("SUMMARY", "")).strip() or "(no summary)"


def _broken(name: str, exc: Exception) -> InvalidFileError:
    reason = calendar_refusal(exc)
    return InvalidFileError(name, [Problem(name, f"not a readable iCalendar file: {reason}")])
