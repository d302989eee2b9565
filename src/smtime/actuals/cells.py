"""Cells as trackers and spreadsheets write them: hours and durations, dates, times of day.

- Hours: ``1.5``, ``1,5`` (a decimal comma), ``1:30``, ``1:30:00``, and the unit forms of
  Toggl Track's duration formats: ``47:06 min``, ``45 sec``, ``0.79 h``.
- Dates: ISO (``2026-12-31``), or day and month in either order (``31/12/2026``,
  ``12/31/2026``, ``31.12.2026``); the order is the file's (``date_order``), never guessed
  from one cell.
- Times of day: ``09:30``, ``09:30:00``, ``9:30 AM``, ``09:30:00 PM``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo

from smtime.actuals.entries import Reading
from smtime.domain import NotANumber, OutOfBounds, read_number
from smtime.formats import DateFormat

HOURS_EXAMPLES = "1.5, 1,5, 1:30, 1:30:00, 47:06 min, 45 sec or 0.79 h"

_CLOCK = re.compile(r"(\d{1,9}):([0-5]\d)(?::([0-5]\d))?")
_MINUTES_SECONDS = re.compile(r"(\d{1,9}):([0-5]\d)\s*min")
_WITH_UNIT = re.compile(r"([0-9.,]+)\s*(h|min|sec)")
_UNITS = {"h": 1.0, "min": 1 / 60, "sec": 1 / 3600}


def hours(text: str, what: str = "hours") -> float:
    """The hours a cell holds, its numbers read as people type them (``domain.read_number``);
    a ``ValueError`` that names the cell's column (``what``) if it holds none."""
    cell = text.strip()
    try:
        if found := _CLOCK.fullmatch(cell):
            return int(found[1]) + int(found[2]) / 60 + int(found[3] or 0) / 3600
        if found := _MINUTES_SECONDS.fullmatch(cell):
            return (int(found[1]) * 60 + int(found[2])) / 3600
        if found := _WITH_UNIT.fullmatch(cell):
            value = read_number(found[1]) * _UNITS[found[2]]
        else:
            value = read_number(cell)
    except NotANumber:
        value = -1.0
    except OutOfBounds as exc:  # 1,250 (thousands or decimals?), 1 234: say how to write it
        raise ValueError(f"{what}: {exc}") from None
    if not value >= 0:
        raise ValueError(f"{what}: {cell!r} is not a duration: write one such as {HOURS_EXAMPLES}")
    return value


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


def day(text: str, order: DateFormat, what: str = "date") -> date:
    """The date a cell holds, ISO or in ``order`` (day or month first); else a ``ValueError``."""
    cell = text.strip()
    try:
        if found := _ISO.fullmatch(cell):
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = _DAY_MONTH.fullmatch(cell)
        if found and order in (DateFormat.DMY, DateFormat.MDY):
            first, second, year = int(found[1]), int(found[3]), int(found[4])
            if order is DateFormat.DMY:
                return date(year, second, first)
            return date(year, first, second)
    except ValueError:
        pass  # 2026-13-01, 31/02/2026: said as any other cell that is not a date
    examples = {DateFormat.DMY: " or 30/11/2026", DateFormat.MDY: " or 11/30/2026"}
    raise ValueError(f"{what}: {cell!r} is not a date such as 2026-11-30{examples.get(order, '')}")


def date_order(cells: Iterable[tuple[int, str]], asked: DateFormat) -> DateFormat:
    """How the dates of a file are written: ``asked``, unless auto; then from the dates:
    ISO when no date has its day and month apart from its year; else a first number above 12
    anywhere means day first, a second above 12 month first. A file whose day-month dates
    show neither is ambiguous: a ``ValueError`` says so."""
    if asked is not DateFormat.AUTO:
        return asked
    day_first = month_first = undecided = None
    day_month = False
    for line, cell in cells:
        found = _DAY_MONTH.fullmatch(cell.strip())
        if not found:
            continue
        day_month = True
        first, second = int(found[1]), int(found[3])
        if first > 12 >= second and day_first is None:
            day_first = (line, cell)
        elif second > 12 >= first and month_first is None:
            month_first = (line, cell)
        elif first != second and undecided is None:
            undecided = (line, cell)
    if day_first and month_first:
        raise ValueError(
            f"dates are day first on line {day_first[0]} ({day_first[1].strip()}) and month "
            f"first on line {month_first[0]} ({month_first[1].strip()}): give the file one "
            "date format"
        )
    if day_first:
        return DateFormat.DMY
    if month_first:
        return DateFormat.MDY
    if undecided:
        line, cell = undecided
        raise ValueError(
            f"dates such as {cell.strip()} (line {line}) may be day first or month first, and "
            "no date of the file has a day above 12 to tell: say which with --date-format dmy "
            "(31/12/2026) or --date-format mdy (12/31/2026)"
        )
    return DateFormat.DMY if day_month else DateFormat.ISO  # 5/5/2026 reads either way


_TIME = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:\s*([AaPp])\.?[Mm]\.?)?")


def time_of_day(text: str, what: str = "time") -> time:
    """The time of day a cell holds, 24-hour or 12-hour (AM/PM); else a ``ValueError``."""
    found = _TIME.fullmatch(text.strip())
    hour = int(found[1]) if found else -1
    if found and found[4]:  # 12 AM is midnight, 12 PM noon
        hour = hour % 12 + (12 if found[4] in "Pp" else 0) if 1 <= hour <= 12 else -1
    if not found or not 0 <= hour <= 23:
        raise ValueError(f"{what} {text!r} is not a time of day such as 09:30, 09:30:00 or 9:30 AM")
    return time(hour, int(found[2]), int(found[3] or 0))


def moment(text: str, zone: tzinfo) -> datetime:
    """An ISO 8601 time (``2026-11-30T09:00:00+01:00``); without an offset, in ``zone``."""
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time such as 2026-11-30T09:00") from None
    return found if found.tzinfo else found.replace(tzinfo=zone)


def wall(on: date, at: time | None, reading: Reading) -> datetime:
    """A wall-clock time (midnight when ``at`` is None) in the zone of ``reading``."""
    return datetime.combine(on, at or time(), tzinfo=reading.zone)
