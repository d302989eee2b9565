"""Batch estimates: many profiles in, one estimate per profile out, in one streaming pass.

Profiles come from JSON Lines (one object per line), CSV (one profile per row, the columns of
docs/batch.md) or YAML (a list of profiles, or a stream of documents separated by ``---``).
Each is validated like a profile file; a bad one is reported with its line number and skipped,
and the others are still estimated, in their order. The estimating is ``smtime.portfolio``'s.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from smtime.errors import InvalidFileError, Problem, SmtimeError, UsageError

if TYPE_CHECKING:
    from smtime.portfolio import Outcome


class InputFormat(StrEnum):
    """How a file of profiles is written."""

    AUTO = "auto"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"


CSV_COLUMNS = (
    "name",
    "description",
    "catalogue",
    "hypothesis",
    "level",
    "set",
    "drivers",
    "only",
    "exclude",
    "contingency",
    "period",
    "weeks_per_year",
    "full_time_hours",
    "rate",
    "currency",
    "lang",
)
_CSV_NUMBERS = {"level", "contingency", "weeks_per_year", "full_time_hours", "rate"}
_CSV_PAIRS = {"set", "drivers"}
_CSV_LISTS = {"only", "exclude"}
_SUFFIXES = {
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".json": InputFormat.JSONL,
    ".csv": InputFormat.CSV,
    ".yaml": InputFormat.YAML,
    ".yml": InputFormat.YAML,
}


def detect(path: Path, head: str) -> InputFormat:
    """The format of a profiles file, from its suffix, else from its first characters."""
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return InputFormat.JSONL
    if start.startswith(("-", "#", "name:", "%YAML")) or ": " in start.split("\n", 1)[0]:
        return InputFormat.YAML
    return InputFormat.CSV


class Record:
    """One profile as read: its line, its data, or the problem that stopped it being read."""

    __slots__ = ("data", "line", "problem")

    def __init__(self, line: int, data: Any = None, problem: str | None = None) -> None:
        self.line = line
        self.data = data
        self.problem = problem


def records(stream: TextIO, fmt: InputFormat, name: str) -> Iterator[Record]:
    """The profiles of ``stream``, one record at a time."""
    if fmt is InputFormat.JSONL:
        return _jsonl(stream)
    if fmt is InputFormat.CSV:
        return _csv(stream, name)
    return _yaml(stream, name)


def _jsonl(stream: TextIO) -> Iterator[Record]:
    import orjson

    fast = orjson.loads
    for number, line in enumerate(stream, 1):
        try:
            data = fast(line)
        except ValueError:
            # orjson is stricter than the standard library (integers beyond 64 bits, NaN): what
            # the standard library reads is read, and its messages say what is wrong.
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                yield Record(number, problem=f"not valid JSON: {exc}")
                continue
        yield Record(number, data)


def _csv(stream: TextIO, name: str) -> Iterator[Record]:
    reader = csv.DictReader(stream)
    header = [column.removeprefix("\ufeff").strip() for column in reader.fieldnames or []]
    reader.fieldnames = header
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        import difflib

        hints = []
        for column in unknown:
            close = difflib.get_close_matches(column, CSV_COLUMNS, n=1)
            hints.append(f"{column!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise InvalidFileError(
            name,
            [
                Problem(
                    name,
                    f"unknown column {', '.join(hints)}; columns: {', '.join(CSV_COLUMNS)}",
                    "",
                    1,
                )
            ],
        )
    for row in reader:
        number = reader.line_num
        if None in row:
            yield Record(number, problem="more cells than columns")
            continue
        try:
            yield Record(number, _from_csv(row))
        except UsageError as exc:
            yield Record(number, problem=exc.message)


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, cell in row.items():
        value = (cell or "").strip()
        if not value:
            continue
        if column in _CSV_NUMBERS:
            try:
                data[column] = float(value)
            except ValueError:
                raise UsageError(f"{column}: {value!r} is not a number") from None
        elif column in _CSV_PAIRS:
            pairs = {}
            for part in value.split(";"):
                key, sep, item = part.partition("=")
                if not sep:
                    raise UsageError(
                        f"{column}: expected NAME=VALUE separated by ';', not {part!r}"
                    )
                pairs[key.strip()] = (
                    float(item) if column == "drivers" and _is_number(item) else item.strip()
                )
            data[column] = pairs
        elif column in _CSV_LISTS:
            data[column] = [n.strip() for n in value.split(";") if n.strip()]
        else:
            data[column] = value
    return data


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _yaml(stream: TextIO, name: str) -> Iterator[Record]:
    from smtime import safeyaml

    documents = safeyaml.parse_stream(stream.read(), name)
    for document in documents:
        data = document.data
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield Record(document.locate((index,))[0], item)
        elif data is not None:
            yield Record(document.locate(())[0], data)


def run(
    source: TextIO,
    fmt: InputFormat,
    name: str,
    emit: Callable[[Any, int], None],
    report: Callable[[Problem], None],
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Estimate every profile of ``source`` in order; return (estimated, bad).

    ``emit(data, line)`` estimates and writes one profile; it raises ``Bad`` (or a
    ``SmtimeError``) for a profile that cannot be estimated."""
    from smtime.portfolio import Bad

    done = bad = 0
    for record in records(source, fmt, name):
        if advance is not None:
            advance(record.line)
        if record.problem is not None:
            report(Problem(name, record.problem, "", record.line))
            bad += 1
            continue
        try:
            emit(record.data, record.line)
        except Bad as exc:
            who = _who(record.data)
            for message in exc.messages:
                report(Problem(name, f"{who}{message}", "", record.line))
            bad += 1
            continue
        except SmtimeError as exc:
            if isinstance(exc, InvalidFileError):
                raise
            report(Problem(name, f"{_who(record.data)}{exc.message}", "", record.line))
            bad += 1
            continue
        done += 1
    return done, bad


def _who(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return f"profile {data['name']!r}: "
    return ""


BATCH_CSV_COLUMNS = ("profile", "line")


def csv_rows(outcome: Outcome, line: int) -> list[list[Any]]:
    """The estimate CSV rows of one profile, each led by its name and line."""
    from smtime.render.csv import estimate_rows

    return [
        [outcome.name, line, *row]
        for row in estimate_rows(outcome.result, outcome.assumptions, outcome.lang)
    ]
