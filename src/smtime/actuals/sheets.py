"""CSV exports, as the trackers write them and as spreadsheets save them again.

A file's delimiter (comma, semicolon or tab; or Excel's ``sep=;`` first line), quoting and
byte-order mark come from the file. Its tracker comes from its header: each ``Sheet`` names
the columns that identify it, found by name without regard to case or order; the plain CSV is
taken only when its header is exactly ``date,task,hours``.

- Toggl Track: the detailed report (``Start date``, ``Start time``, ``Duration``, …) and the
  time-entries export (``Stop date``, ``Stop time``, ``Member``); durations in any of Toggl's
  formats (``1:30:00``, ``47:06 min``, ``45 sec``, ``0.79 h``); ``-`` for an empty cell.
- Clockify: the detailed report (``Start Date``, ``Start Time``, ``End Date``, ``End Time``,
  ``Duration (h)``, ``Duration (decimal)``), dates and times in the user's format (12-hour
  times too); ``Break`` entries (``Type``) are not work and are left out.
- Harvest: the detailed time report (``Date``, ``Client``, ``Project``, ``Project Code``,
  ``Task``, ``Notes``, ``Hours``, …): a day's hours, without times of day.
- Kimai: the timesheet export (``Date``, ``From``, ``To``, ``Duration``, ``Customer``,
  ``Project``, ``Activity``, ``Description``, ``Tags``); its ``Duration`` is decimal hours
  since Kimai 2.27, seconds before: a whole number larger than the span from ``From`` to
  ``To`` is seconds.
- Watson: ``watson log --csv`` (``id,start,stop,project,tags``).
- Plain: ``date,task,hours``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import time, timedelta

from smtime.actuals import cells
from smtime.actuals.entries import (
    MAX_INTERVAL_HOURS,
    Problems,
    Reading,
    check_length,
    day_total,
    elapsed,
    timed,
)
from smtime.domain import Entry, NamedTuple
from smtime.errors import InvalidFileError, Problem
from smtime.formats import DateFormat, TrackerFormat

EMPTY = frozenset(("", "-"))
"""Cells that hold nothing: Toggl Track writes ``-`` for a project or tags it has not."""


class Row(NamedTuple):
    """One row of a CSV export: its first line and its cells by lower-case column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell of ``column``, stripped; empty when the column or cell is missing."""
        value = self.cells.get(column, "").strip()
        return "" if value in EMPTY else value

    def names(self, *columns: str, lists: tuple[str, ...] = ("tags",)) -> list[str]:
        """The non-empty cells of ``columns`` in order; those in ``lists`` hold several names
        separated by commas."""
        found: list[str] = []
        for column in columns:
            value = self.get(column)
            if column in lists:
                found += [part.strip() for part in value.split(",") if part.strip() not in EMPTY]
            elif value:
                found.append(value)
        return found


class Sheet(NamedTuple):
    """A tracker's CSV export: the columns that identify it (each a tuple of names, any of
    which will do), those that hold dates, and how one of its rows becomes an entry."""

    tracker: TrackerFormat
    title: str
    needs: tuple[tuple[str, ...], ...]
    dates: tuple[str, ...]
    entry: Callable[[Row, DateFormat, Reading], Entry | None]
    exact: bool = False

    def missing(self, header: set[str]) -> list[str]:
        """The identifying columns a lower-case ``header`` lacks (the first name of each)."""
        return [names[0] for names in self.needs if not header & {n.lower() for n in names}]

    def matches(self, header: set[str]) -> bool:
        """Whether a lower-case ``header`` is this tracker's."""
        if self.exact:
            return header == {names[0].lower() for names in self.needs}
        return not self.missing(header)


def _toggl(row: Row, order: DateFormat, reading: Reading) -> Entry:
    start = cells.wall(
        cells.day(row.get("start date"), order, "Start date"),
        _time_of_day(row, "start time"),
        reading,
    )
    names = row.names("project", "task", "tags", "description", "client")
    ended = any(row.get(c) for c in ("end date", "end time", "stop date", "stop time"))
    duration = row.get("duration")
    if not ended and not duration:  # a timer still running
        return timed(start, None, names, reading)
    hours = cells.hours(duration, "Duration")
    check_length(hours)
    return timed(start, elapsed(start, hours), names, reading, hours=hours)


def _clockify(row: Row, order: DateFormat, reading: Reading) -> Entry | None:
    if row.get("type").lower() == "break":
        return None
    start = cells.wall(
        cells.day(row.get("start date"), order, "Start Date"),
        _time_of_day(row, "start time"),
        reading,
    )
    names = row.names("project", "task", "tags", "description", "client")
    if not row.get("end time"):  # a timer still running
        return timed(start, None, names, reading)
    end_day = row.get("end date") or row.get("start date")
    end = cells.wall(cells.day(end_day, order, "End Date"), _time_of_day(row, "end time"), reading)
    duration = row.get("duration (h)") or row.get("duration (decimal)")
    hours = cells.hours(duration, "Duration") if duration else None
    return timed(start, end, names, reading, hours=hours)


def _harvest(row: Row, order: DateFormat, reading: Reading) -> Entry:
    when = cells.day(row.get("date"), order, "Date")
    names = row.names("project", "task", "notes", "client", lists=())
    return day_total(when, cells.hours(row.get("hours"), "Hours"), names, reading)


def _kimai(row: Row, order: DateFormat, reading: Reading) -> Entry:
    when = cells.day(row.get("date"), order, "Date")
    start = cells.wall(when, _time_of_day(row, "from"), reading)
    names = row.names("project", "activity", "tags", "description", "customer")
    if not row.get("to"):  # a timer still running
        return timed(start, None, names, reading)
    end = cells.wall(when, _time_of_day(row, "to"), reading)
    if end < start:  # past midnight
        end = cells.wall(when + timedelta(days=1), _time_of_day(row, "to"), reading)
    span = (end.timestamp() - start.timestamp()) / 3600
    duration = row.get("duration")
    hours = None
    if duration:
        hours = cells.hours(duration, "Duration")
        if duration.isdigit():
            hours = kimai_duration(int(duration), span)
    return timed(start, end, names, reading, hours=hours)


def kimai_duration(whole: int, span: float) -> float:
    """A whole ``Duration`` of Kimai in hours: Kimai wrote seconds before version 2.27, and
    since then decimal hours, a whole number without a fraction (``1`` for one hour, which
    rounding may give to 50 minutes). Beyond the longest entry read, seconds; else the
    reading nearer the span from ``From`` to ``To``, whole days aside (``To`` has no date:
    09:00 to 09:00 may be a day), hours when both are as near."""
    if whole > MAX_INTERVAL_HOURS:
        return whole / 3600

    def off(hours: float) -> float:
        rest = (hours - span) % 24
        return min(rest, 24 - rest)

    seconds = whole / 3600
    return seconds if off(seconds) < off(whole) else float(whole)


def _watson(row: Row, order: DateFormat, reading: Reading) -> Entry:
    start = cells.moment(row.get("start"), reading.zone)
    running = row.get("id") == "current" or not row.get("stop")
    end = None if running else cells.moment(row.get("stop"), reading.zone)
    return timed(start, end, row.names("project", "tags"), reading)


def _plain(row: Row, order: DateFormat, reading: Reading) -> Entry:
    when = cells.day(row.get("date"), order)
    task = row.get("task")
    return day_total(when, cells.hours(row.get("hours")), [task] if task else [], reading)


def _time_of_day(row: Row, column: str) -> time | None:
    value = row.get(column)
    return cells.time_of_day(value, column.capitalize()) if value else None


SHEETS = (
    Sheet(
        TrackerFormat.CLOCKIFY,
        "Clockify (detailed report)",
        (("Start Date",), ("Start Time",), ("Duration (h)", "Duration (decimal)")),
        ("start date", "end date"),
        _clockify,
    ),
    Sheet(
        TrackerFormat.TOGGL,
        "Toggl Track (detailed report or time entries)",
        (("Start date",), ("Duration",)),
        ("start date",),
        _toggl,
    ),
    Sheet(
        TrackerFormat.KIMAI,
        "Kimai (timesheet export)",
        (("Date",), ("From",), ("To",), ("Duration",)),
        ("date",),
        _kimai,
    ),
    Sheet(
        TrackerFormat.HARVEST,
        "Harvest (detailed time report)",
        (("Date",), ("Client",), ("Project",), ("Task",), ("Notes",), ("Hours",)),
        ("date",),
        _harvest,
    ),
    Sheet(
        TrackerFormat.WATSON,
        "Watson (watson log --csv)",
        (("id",), ("start",), ("stop",), ("project",), ("tags",)),
        (),
        _watson,
        exact=True,
    ),
    Sheet(
        TrackerFormat.CSV,
        "a plain CSV (date,task,hours)",
        (("date",), ("task",), ("hours",)),
        ("date",),
        _plain,
        exact=True,
    ),
)

_SEPARATOR = re.compile(r"sep=(.)")


class Table(NamedTuple):
    """A CSV file opened: its delimiter, its header (lower case), the sheet it matches (None:
    no tracker's) and its text from the header on."""

    delimiter: str
    header: list[str]
    sheet: Sheet | None
    text: str
    first_line: int

    def looks_like(self) -> str | None:
        """What a header no tracker writes looks like instead, when it can be told."""
        columns = set(self.header)
        if columns & {"time (h)", "time (decimal)"}:
            return "this looks like a Clockify summary or weekly report: export the detailed one"
        named = {"project", "client"} & columns
        if "duration" in columns and "start date" not in columns and named:
            return (
                "this looks like a Toggl Track summary report (no Start date column): "
                "export the detailed report"
            )
        return None

    def nearest(self) -> tuple[Sheet, list[str]] | None:
        """The tracker whose identifying columns the header holds most of, and the others."""
        columns = set(self.header)
        scored = [
            (1 - len(sheet.missing(columns)) / len(sheet.needs), sheet)
            for sheet in SHEETS
            if not sheet.exact
        ]
        best, sheet = max(scored, key=lambda pair: pair[0])
        return (sheet, sheet.missing(columns)) if best > 0 else None

    def rows(self, problems: Problems) -> Iterator[Row]:
        """The rows after the header (blank ones skipped); cells beyond the header's columns,
        or fewer cells than columns (a line cut short, whose missing end time would read as
        a timer still running), are problems of their line."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        next(reader, None)
        width = len(self.header)
        previous = reader.line_num
        while True:
            line = previous + self.first_line
            try:
                cells_ = next(reader, None)
            except csv.Error as exc:
                problems.add(line, f"not readable as CSV: {exc}")
                return
            if cells_ is None:
                return
            previous = reader.line_num
            if not any(cell.strip() for cell in cells_):
                continue
            if any(cell.strip() for cell in cells_[width:]):
                problems.add(
                    line,
                    "more cells than columns (an unquoted decimal comma? write 1.5, or quote it)",
                )
                continue
            if len(cells_) < width:
                problems.add(
                    line,
                    f"{len(cells_)} cells for {width} columns: a line cut short? "
                    "(every row has a cell for each column, empty or not)",
                )
                continue
            yield Row(line, dict(zip(self.header, cells_, strict=False)))


def open_table(text: str) -> Table:
    """``text`` as a CSV table: its delimiter and header, and the tracker that header is.
    Lines may end with CR alone (Excel for Mac's "CSV (Macintosh)"), read as line ends."""
    if "\n" not in text:  # one character for another: lines and columns stay where they are
        text = text.replace("\r", "\n")
    first_line = 1
    head, _, rest = text.partition("\n")
    separator = _SEPARATOR.fullmatch(head.strip())
    if separator:  # Excel's own line naming the delimiter
        text, first_line = rest, 2
        head = rest.partition("\n")[0]
    head = head.rstrip("\r")
    delimiters = [separator[1]] if separator else [",", ";", "\t"]
    tables = []
    for delimiter in delimiters:
        try:
            cells_ = next(csv.reader([head], delimiter=delimiter), [])
        except csv.Error:  # a header no spreadsheet writes (a field over csv's size limit)
            cells_ = []
        header = [h.strip().lower() for h in cells_]
        columns = {h for h in header if h}
        sheet = next((s for s in SHEETS if s.matches(columns)), None)
        tables.append(Table(delimiter, header, sheet, text, first_line))
    found = [t for t in tables if t.sheet is not None]
    return found[0] if found else max(tables, key=lambda t: len(t.header))


def read(table: Table, sheet: Sheet, name: str, reading: Reading) -> list[Entry]:
    """The entries of ``table`` read as ``sheet``; every bad row is reported, by line."""
    problems = Problems(name)
    rows = list(table.rows(problems))
    try:
        order = cells.date_order(
            ((row.line, row.cells.get(c, "")) for row in rows for c in sheet.dates), reading.dates
        )
    except ValueError as exc:
        raise InvalidFileError(name, [Problem(name, str(exc))]) from None
    entries = []
    for row in rows:
        try:
            entry = sheet.entry(row, order, reading)
        except (ValueError, OverflowError) as exc:
            problems.add(row.line, str(exc))
        else:
            if entry is not None:
                entries.append(entry)
    problems.fail()
    return entries
