"""Reading time-tracker exports: every format becomes a list of ``domain.Entry``.

An entry is when it started, how many hours, the names it was logged under (tags, project,
task, description, client) and whether it is still running. Each tracker is told from its
own shape (``detect``): JSON arrays (``intervals``: Timewarrior, Watson), CSV headers
(``sheets``: Toggl Track, Clockify, Harvest, Kimai, Watson's CSV, the plain
``date,task,hours``) and iCalendar files (``calendars``). A file of no known shape, or of
another tracker's shape than the one asked for, is refused with a message that says what it
looks like. ``entries`` holds what the readers share: the limits on an entry, the running
rule, and problems reported once per kind with their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from smtime.actuals import intervals, sheets
from smtime.actuals.entries import FIRST_YEAR, LAST_YEAR, MAX_INTERVAL_HOURS, Reading
from smtime.domain import Entry, NamedTuple
from smtime.errors import InvalidFileError, Problem
from smtime.formats import DateFormat, TrackerFormat

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_INTERVAL_HOURS",
    "Export",
    "detect",
    "load",
    "read",
]

TITLES = {
    TrackerFormat.TIMEWARRIOR: "Timewarrior (timew export)",
    TrackerFormat.WATSON: "Watson (watson log --json, its frames file, or watson log --csv)",
    TrackerFormat.TOGGL: "Toggl Track (detailed report or time entries, CSV)",
    TrackerFormat.CLOCKIFY: "Clockify (detailed report, CSV)",
    TrackerFormat.HARVEST: "Harvest (detailed time report, CSV)",
    TrackerFormat.KIMAI: "Kimai (timesheet export, CSV)",
    TrackerFormat.ICS: "iCalendar (.ics)",
    TrackerFormat.CSV: "a CSV whose header is exactly date,task,hours",
}
"""Each tracker as messages name it, with the export smtime reads."""

KNOWN = (
    "Timewarrior (timew export), Watson (watson log --json or its frames file), Toggl Track, "
    "Clockify, Harvest or Kimai (CSV), iCalendar (.ics), or a CSV whose header is exactly "
    "date,task,hours"
)

_BINARY = (
    (b"PK\x03\x04", "a spreadsheet or other zip file (.xlsx, .ods)"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
)
_TEXT_REPORTS = (
    (
        re.compile(r"\s*Wk\s+Date\s+Day\s+(ID\s+)?Tags\b"),
        "this looks like the table timew summary prints: read timew export instead",
    ),
    (
        re.compile(r"\s*\w+day \d{1,2} \w+ \d{4} \("),
        "this looks like the text watson log prints: read watson log --json instead",
    ),
)


class Export(NamedTuple):
    """The entries of an export, and the tracker that made it (told from its shape)."""

    tracker: TrackerFormat
    entries: list[Entry]


class Found(NamedTuple):
    """What a file was found to be: a tracker and how to read it, or why it is none."""

    tracker: TrackerFormat | None
    read: Callable[[Reading], list[Entry]]
    why: str = ""
    table: sheets.Table | None = None


def detect(text: str, name: str = "<text>") -> TrackerFormat:
    """The tracker whose export ``text`` is; an ``InvalidFileError`` says what it is not."""
    found = _found(text, name)
    if found.tracker is None:
        raise InvalidFileError(name, [Problem(name, found.why, "", 1)])
    return found.tracker


def load(
    data: bytes,
    tracker: TrackerFormat,
    name: str,
    *,
    now: datetime,
    zone: tzinfo | None = None,
    encoding: str | None = None,
    dates: DateFormat = DateFormat.AUTO,
    all_day_hours: float | None = None,
) -> Export:
    """The entries of an export's bytes, in ``encoding`` (default UTF-8): see ``read``."""
    from smtime.files import decode

    for magic, what in _BINARY:
        if data.startswith(magic):
            message = f"this looks like {what}, not a time-tracker export: save it as CSV"
            raise InvalidFileError(name, [Problem(name, message, "", 1)])
    text = decode(data, name, encoding=encoding, option="--encoding")
    return read(text, tracker, name, now=now, zone=zone, dates=dates, all_day_hours=all_day_hours)


def read(
    text: str,
    tracker: TrackerFormat,
    name: str,
    *,
    now: datetime,
    zone: tzinfo | None = None,
    dates: DateFormat = DateFormat.AUTO,
    all_day_hours: float | None = None,
) -> Export:
    """The entries of an export of ``tracker`` (``auto``: the tracker its shape says).

    Running entries count up to ``now``; wall-clock times are in ``zone`` (default: that of
    ``now``); ``dates`` says how a CSV writes its dates; ``all_day_hours`` is what a day of
    an all-day calendar event counts (None: such events are not counted). Problems are
    reported with their line or item, each kind once.
    """
    reading = Reading(now, zone or now.tzinfo or UTC, dates, all_day_hours)
    found = _found(text, name)
    if tracker is not TrackerFormat.AUTO and found.tracker is not tracker:
        raise InvalidFileError(name, [Problem(name, _mismatch(tracker, found), "", 1)])
    if found.tracker is None:
        raise InvalidFileError(name, [Problem(name, found.why, "", 1)])
    return Export(found.tracker, found.read(reading))


def _found(text: str, name: str) -> Found:
    """What ``text`` is, from its first characters, then its JSON shape or CSV header."""
    start = text.lstrip("\ufeff \t\r\n")
    if not start:
        return Found(None, _nothing, "empty file: expected a time-tracker export")
    if start.startswith(("[", "{")):
        data = intervals.parse(text.lstrip("\ufeff"), name)
        shape = intervals.shape(data)
        if not isinstance(shape, TrackerFormat):
            return Found(None, _nothing, shape)
        read_json = intervals.watson if shape is TrackerFormat.WATSON else intervals.timewarrior
        return Found(shape, lambda reading: read_json(data, name, reading))
    if start[:15].upper() == "BEGIN:VCALENDAR":
        from smtime.actuals import calendars

        return Found(TrackerFormat.ICS, lambda reading: calendars.read(text, name, reading))
    for pattern, message in _TEXT_REPORTS:
        if pattern.match(start):
            return Found(None, _nothing, message)
    table = sheets.open_table(text.lstrip("\ufeff"))
    sheet = table.sheet
    if sheet is None:
        return Found(None, _nothing, _unknown(table), table)
    return Found(sheet.tracker, lambda reading: sheets.read(table, sheet, name, reading), "", table)


def _unknown(table: sheets.Table) -> str:
    """Why a CSV header is no tracker's: what it looks like, or the nearest tracker's missing
    columns, and the formats there are."""
    looks = table.looks_like()
    if looks:
        return looks
    nearest = table.nearest()
    if nearest is None:
        return f"not a time-tracker export smtime reads: expected {KNOWN}"
    sheet, missing = nearest
    columns = _either(missing)
    return (
        f"not a time-tracker export smtime reads: the nearest is {sheet.title}, but there is "
        f"no {columns} column (expected {KNOWN})"
    )


def _mismatch(asked: TrackerFormat, found: Found) -> str:
    """The message for a file that is not of the tracker asked for."""
    if found.tracker is None:
        sheet = next((s for s in sheets.SHEETS if s.tracker is asked and not s.exact), None)
        if found.table is not None and sheet is not None:
            missing = _either(sheet.missing(set(found.table.header)))
            return f"not a {TITLES[asked]} export: no {missing} column"
        return f"not a {TITLES[asked]} export: {found.why}"
    return (
        f"this looks like {TITLES[found.tracker]}, not {TITLES[asked]}: use --tracker "
        f"{found.tracker.value}, or leave --tracker out"
    )


def _either(names: list[str]) -> str:
    """``A``, ``A or B``, ``A, B or C``."""
    return " or ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} or {names[-1]}"


def _nothing(reading: Reading) -> list[Entry]:
    return []
