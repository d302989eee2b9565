"""JSON exports: Timewarrior's ``timew export``, Watson's ``watson log --json`` and Watson's
own ``frames`` file.

- ``timew export``: an array of intervals with ``start`` and ``end`` in UTC
  (``20261130T090000Z``), ``tags`` and an optional ``annotation``; no ``end``: running.
- ``watson log --json``: an array of frames with ``start`` and ``stop`` (ISO 8601 with an
  offset), ``project`` and ``tags``; ``--current`` adds the running frame, whose ``id`` is
  ``current`` and whose ``stop`` is the time of the export: it counts up to ``--now``.
- Watson's ``frames`` file (in its configuration folder): an array of arrays
  ``[start, stop, project, id, tags, updated_at]``, times in Unix seconds. The running frame
  is not in it (Watson keeps it in ``state``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from smtime.actuals.cells import moment
from smtime.actuals.entries import Problems, Reading, timed
from smtime.domain import Entry
from smtime.errors import InvalidFileError, Problem
from smtime.files import MAX_INT_DIGITS, integer_too_long
from smtime.formats import TrackerFormat

NOT_AN_ARRAY = "expected a JSON array of intervals"


class _TooLong(ValueError):
    """An integer with more digits than are read (``files.MAX_INT_DIGITS``)."""


def _integer(text: str) -> int:
    """An integer of a JSON export; ``_TooLong`` beyond the digits that are read."""
    if len(text) > MAX_INT_DIGITS:
        raise _TooLong(integer_too_long(text))
    return int(text)


def parse(text: str, name: str) -> Any:
    """The JSON value of ``text``, or an ``InvalidFileError`` with the place it breaks."""
    try:
        return json.loads(text, parse_int=_integer)
    except _TooLong as exc:
        raise InvalidFileError(name, [Problem(name, str(exc))]) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        raise InvalidFileError(
            name, [Problem(name, f"not valid JSON: {exc.args[0]}", "", line, column)]
        ) from None
    except RecursionError:
        message = "JSON nested too deeply: expected an array of intervals"
        raise InvalidFileError(name, [Problem(name, message, "", 1, 1)]) from None


def shape(data: Any) -> TrackerFormat | str:
    """The tracker whose export ``data`` is, or a message saying what it looks like instead."""
    if isinstance(data, dict):
        if "project" in data and "start" in data:
            return (
                "this looks like Watson's state file (the frame running now): "
                "export the frames with watson log --json --current"
            )
        return NOT_AN_ARRAY
    if not isinstance(data, list):
        return NOT_AN_ARRAY
    first = next((item for item in data if isinstance(item, dict | list)), None)
    if isinstance(first, list):
        return TrackerFormat.WATSON
    if isinstance(first, dict):
        if "workspace_id" in first or "wid" in first:
            return (
                "this looks like JSON from Toggl Track's API: export a detailed report "
                "as CSV (Reports, Detailed, Export)"
            )
        if "project" in first or "stop" in first:
            return TrackerFormat.WATSON
    return TrackerFormat.TIMEWARRIOR


def timewarrior(items: list[Any], name: str, reading: Reading) -> list[Entry]:
    """The intervals of ``timew export``: tags, then the annotation, name them."""

    def read_one(item: Any) -> Entry:
        item = _object(item)
        start = _timewarrior_time(item.get("start"))
        end = None if item.get("end") is None else _timewarrior_time(item["end"])
        annotation = item.get("annotation")
        names = _tags(item.get("tags")) + (
            (annotation,) if isinstance(annotation, str) and annotation else ()
        )
        return timed(start, end, names, reading)

    return _each(items, name, "interval", read_one)


def watson(items: list[Any], name: str, reading: Reading) -> list[Entry]:
    """The frames of ``watson log --json`` or of Watson's ``frames`` file: the project, then
    the tags, name them."""

    def read_one(item: Any) -> Entry:
        if isinstance(item, list):
            return _frame(item, reading)
        item = _object(item)
        start = _iso(item.get("start"))
        running = item.get("id") == "current" or item.get("stop") is None
        end = None if running else _iso(item["stop"])
        return timed(start, end, _project(item.get("project")) + _tags(item.get("tags")), reading)

    return _each(items, name, "frame", read_one)


def _frame(item: list[Any], reading: Reading) -> Entry:
    """``[start, stop, project, id, tags, updated_at]``, as Watson stores a frame."""
    if len(item) < 5:
        raise ValueError("expected [start, stop, project, id, tags, updated_at]")
    start, stop, project, _, tags = item[:5]
    return timed(_unix(start), _unix(stop), _project(project) + _tags(tags), reading)


def _each(items: list[Any], name: str, what: str, read_one: Callable[[Any], Entry]) -> list[Entry]:
    """``read_one`` on every item of a JSON export; every bad one is reported, by index."""
    entries, problems = [], Problems(name, what)
    for index, item in enumerate(items):
        try:
            entries.append(read_one(item))
        except (ValueError, KeyError, OverflowError) as exc:
            problems.add(index, str(exc))
    problems.fail()
    return entries


def _object(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError("expected an object")
    return item


def _timewarrior_time(text: Any) -> datetime:
    try:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):  # what timew export writes: UTC, with its Z
        shown = json.dumps(text, ensure_ascii=False)[:40]
        raise ValueError(f"{shown} is not a time such as 20261130T090000Z") from None


def _iso(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("expected an ISO 8601 time")
    return moment(text, UTC)


def _unix(seconds: Any) -> datetime:
    shown = json.dumps(seconds, ensure_ascii=False)[:40]  # as the export wrote it: true, not True
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValueError(f"{shown} is not a time in Unix seconds")
    if isinstance(seconds, float) and not math.isfinite(seconds):  # digits beyond a float
        raise ValueError("a number too large to be a time in Unix seconds")
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{shown} is not a time in Unix seconds") from None


def _project(project: Any) -> tuple[str, ...]:
    return (project,) if isinstance(project, str) and project else ()


def _tags(tags: Any) -> tuple[str, ...]:
    tags = tags or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("tags must be a list of text")
    return tuple(tags)
