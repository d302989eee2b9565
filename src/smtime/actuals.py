"""Reading time-tracker exports: Timewarrior, Toggl Track, Watson and a plain CSV.

Every format becomes a list of ``Entry``: when it started, how many hours, the names it was
logged under (tags, project, task, description), and whether it is still running.

- Timewarrior ``timew export``: a JSON array of intervals with ``start`` and ``end`` in UTC
  (``20261130T090000Z``), ``tags`` and an optional ``annotation``; no ``end`` means running.
- Watson ``watson log --json``: a JSON array of frames with ``start``, ``stop`` (ISO 8601 with
  offset), ``project`` and ``tags``.
- Toggl Track detailed report CSV: columns found by name (``Project``, ``Task``,
  ``Description``, ``Tags``, ``Start date``, ``Start time``, ``Duration`` as ``HH:MM:SS``),
  with or without a UTF-8 byte-order mark.
- Plain CSV: ``date,task,hours``.

A running interval is counted up to ``now``.

Implausible entries are problems, reported with their line or index: an interval longer than
``MAX_INTERVAL_HOURS`` (a timer left running), one that ends before it starts, and one dated
outside ``FIRST_YEAR`` to the year after ``now`` (never past ``LAST_YEAR``, so that moving a
time to any time zone stays within Python's calendar). An interval is then split at the ISO
week boundaries of the chosen time zone (``split``), so each week counts its own share.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from smtime.domain import HOURS, Entry
from smtime.errors import InvalidFileError, Problem
from smtime.formats import TrackerFormat

MAX_INTERVAL_HOURS = 7 * 24
"""Longest interval accepted (7 days); a longer one is a timer left running, or an error."""
FIRST_YEAR = 1970
"""Entries before this year are refused."""
LAST_YEAR = 9998
"""Entries after this year are refused whatever ``now`` is (time-zone shifts stay in range)."""


def detect(text: str) -> TrackerFormat:
    """The format of an export, from its content."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("[", "{")):
        try:
            items = json.loads(start)
        except (ValueError, RecursionError):
            return TrackerFormat.TIMEWARRIOR
        first = (
            next((i for i in items if isinstance(i, dict)), {}) if isinstance(items, list) else {}
        )
        return (
            TrackerFormat.WATSON
            if "project" in first or "stop" in first
            else TrackerFormat.TIMEWARRIOR
        )
    header = {h.strip().lower() for h in start.split("\n", 1)[0].split(",")}
    if {"date", "task", "hours"} <= header:
        return TrackerFormat.CSV
    return TrackerFormat.TOGGL


def read(text: str, fmt: TrackerFormat, name: str, *, now: datetime) -> list[Entry]:
    """The entries of an export; problems are reported with their line or item."""
    if fmt is TrackerFormat.AUTO:
        fmt = detect(text)
    if fmt is TrackerFormat.TIMEWARRIOR:
        return _timewarrior(_json_list(text, name), name, now)
    if fmt is TrackerFormat.WATSON:
        return _watson(_json_list(text, name), name, now)
    if fmt is TrackerFormat.TOGGL:
        return _toggl(text, name, now)
    return _plain(text, name, now)


def _json_list(text: str, name: str) -> list[Any]:
    try:
        items = json.loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        raise InvalidFileError(
            name, [Problem(name, f"not valid JSON: {exc.args[0]}", "", line, column)]
        ) from None
    except RecursionError:
        raise InvalidFileError(
            name,
            [Problem(name, "JSON nested too deeply: expected an array of intervals", "", 1, 1)],
        ) from None
    if not isinstance(items, list):
        raise InvalidFileError(
            name, [Problem(name, "expected a JSON array of intervals", "", 1, 1)]
        )
    return items


def _fail(name: str, problems: list[Problem]) -> None:
    if problems:
        raise InvalidFileError(name, problems)


def _timewarrior_time(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("expected a time such as 20261130T090000Z")
    return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _intervals(
    items: list[Any], name: str, what: str, read_one: Callable[[dict[str, Any]], Entry]
) -> list[Entry]:
    """``read_one`` on every object of a JSON export; every bad one is reported, by index."""
    entries, problems = [], []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise ValueError("expected an object")
            entries.append(read_one(item))
        except (ValueError, KeyError) as exc:
            problems.append(Problem(name, f"{what} {index}: {exc}", f"[{index}]"))
    _fail(name, problems)
    return entries


def _tags(item: dict[str, Any]) -> tuple[str, ...]:
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("tags must be a list of text")
    return tuple(tags)


def _timewarrior(items: list[Any], name: str, now: datetime) -> list[Entry]:
    def read_one(item: dict[str, Any]) -> Entry:
        start = _timewarrior_time(item.get("start"))
        running = item.get("end") is None
        end = now if running else _timewarrior_time(item["end"])
        annotation = item.get("annotation")
        names = _tags(item) + ((annotation,) if isinstance(annotation, str) and annotation else ())
        return Entry(start, _hours(start, end, now), names, running, end)

    return _intervals(items, name, "interval", read_one)


def _watson(items: list[Any], name: str, now: datetime) -> list[Entry]:
    def read_one(item: dict[str, Any]) -> Entry:
        start = _iso(item.get("start"))
        running = item.get("stop") is None
        end = now if running else _iso(item["stop"])
        project = item.get("project")
        names = ((project,) if isinstance(project, str) and project else ()) + _tags(item)
        return Entry(start, _hours(start, end, now), names, running, end)

    return _intervals(items, name, "frame", read_one)


def _iso(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("expected an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time such as 2026-11-30T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date(text: Any) -> date:
    """A day written YYYY-MM-DD in an export, or a ``ValueError`` in plain words."""
    written = (text or "").strip()
    try:
        return date.fromisoformat(written)
    except ValueError:
        raise ValueError(f"{written!r} is not a date such as 2026-11-30") from None


def _hours(start: datetime, end: datetime, now: datetime | None) -> float:
    """The hours from ``start`` to ``end``, or a ``ValueError`` saying why they are implausible."""
    for moment in (start, end):
        _check_year(moment, now)
    seconds = end.timestamp() - start.timestamp()  # aware times: no conversion, no overflow
    if seconds < 0:
        raise ValueError("ends before it starts")
    hours = seconds / 3600
    _check_length(hours)
    return hours


def _check_year(moment: datetime, now: datetime | None) -> None:
    last = LAST_YEAR if now is None else min(LAST_YEAR, now.year + 1)
    if not FIRST_YEAR <= moment.year <= last:
        raise ValueError(
            f"dated {moment.year:04d}, outside the years {FIRST_YEAR} to {last} that are read"
        )


def _check_length(hours: float) -> None:
    if hours > MAX_INTERVAL_HOURS:
        raise ValueError(
            f"lasts {hours:,.1f} h, longer than the limit of {MAX_INTERVAL_HOURS} h "
            "(7 days): a timer left running?"
        )


_DURATION = re.compile(r"^(\d{1,9}):([0-5]\d):([0-5]\d)$")


def _rows(text: str, name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    rows, problems = [], []
    for row in reader:
        if None in row:  # csv.DictReader's key for cells beyond the header
            message = "more cells than columns (an unquoted decimal comma? write 1.5, or quote it)"
            problems.append(Problem(name, message, "", reader.line_num))
        else:
            rows.append((reader.line_num, row))
    _fail(name, problems)
    return header, rows


def _column(header: list[str], *names: str) -> str | None:
    lowered = {h.lower(): h for h in header}
    for wanted in names:
        if wanted in lowered:
            return lowered[wanted]
    return None


def _toggl(text: str, name: str, now: datetime) -> list[Entry]:
    header, rows = _rows(text, name)
    duration = _column(header, "duration")
    day = _column(header, "start date")
    clock = _column(header, "start time")
    if duration is None or day is None:
        missing = [n for n, c in (("Duration", duration), ("Start date", day)) if c is None]
        raise InvalidFileError(
            name,
            [
                Problem(
                    name, f"not a Toggl detailed report: no {' or '.join(missing)} column", "", 1
                )
            ],
        )
    named = [
        c for c in (_column(header, n) for n in ("project", "task", "tags", "description")) if c
    ]
    entries, problems = [], []
    for line, row in rows:
        try:
            match = _DURATION.match((row.get(duration) or "").strip())
            if not match:
                raise ValueError(f"duration {row.get(duration)!r} is not HH:MM:SS")
            hours = int(match[1]) + int(match[2]) / 60 + int(match[3]) / 3600
            _check_length(hours)
            when = _date(row.get(day))
            start = datetime.combine(when, datetime.min.time())
            if clock and (row.get(clock) or "").strip():
                start = datetime.fromisoformat(f"{when.isoformat()}T{row[clock].strip()}")
            _check_year(start, now)
            end = start + timedelta(hours=hours)
            _check_year(end, now)
            names: list[str] = []
            for column in named:
                value = (row.get(column) or "").strip()
                if column.lower() == "tags":
                    names += [t.strip() for t in value.split(",") if t.strip()]
                elif value:
                    names.append(value)
            entries.append(Entry(start, hours, tuple(names), False, end))
        except ValueError as exc:
            problems.append(Problem(name, str(exc), "", line))
    _fail(name, problems)
    return entries


def _plain(text: str, name: str, now: datetime) -> list[Entry]:
    header, rows = _rows(text, name)
    columns = [_column(header, n) for n in ("date", "task", "hours")]
    if None in columns:
        raise InvalidFileError(name, [Problem(name, "expected the columns date,task,hours", "", 1)])
    day, task, hours = (c for c in columns if c is not None)
    entries, problems = [], []
    for line, row in rows:
        try:
            when = _date(row.get(day))
            _check_year(datetime.combine(when, time()), now)
            value = HOURS.read((row.get(hours) or "").strip())  # as typed: 1.5 or "1,5"
            label = (row.get(task) or "").strip()
            entries.append(
                Entry(datetime.combine(when, datetime.min.time()), value, (label,) if label else ())
            )
        except ValueError as exc:
            problems.append(Problem(name, str(exc), "", line))
    _fail(name, problems)
    return entries
