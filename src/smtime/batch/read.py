"""Reading a file of profiles: bounded lines, then records of JSON Lines, CSV or YAML.

Input is read as bytes, one line at a time, and never more than ``MAX_LINE_BYTES`` of a line
is held: the whole input (a file, a FIFO, standard input) has no size limit, a record has one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from smtime.domain import NamedTuple
from smtime.errors import InvalidFileError, Problem
from smtime.files import UTF8_BOM
from smtime.formats import InputFormat

MAX_LINE_BYTES = 1 << 20
"""A line of JSON Lines or CSV longer than this (1 MiB) is reported and skipped."""
MAX_YAML_BYTES = 64 << 20
"""A YAML file of profiles is read whole, and refused beyond this (64 MiB)."""


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


def detect(path: Path | None, head: bytes) -> InputFormat:
    """The format of a profiles file, from its suffix, else from its first bytes (``head``,
    as peeked at: nothing is read twice, so a pipe works as a file does)."""
    by_suffix = _SUFFIXES.get(path.suffix.lower()) if path is not None else None
    if by_suffix is not None:
        return by_suffix
    start = head.removeprefix(UTF8_BOM).decode("utf-8", "replace").lstrip(" \t\r\n")
    if start.startswith("{"):
        return InputFormat.JSONL
    if start.startswith(("-", "#", "name:", "%YAML")) or ": " in start.split("\n", 1)[0]:
        return InputFormat.YAML
    return InputFormat.CSV


class InputLine(NamedTuple):
    """One line of input as bytes, or the problem that kept it from being read."""

    number: int
    raw: bytes
    problem: str | None = None


class Record(NamedTuple):
    """One profile as read: its line, its data, or the problem that stopped it being read."""

    line: int
    data: Any = None
    problem: str | None = None
    cells: tuple[tuple[str, str], ...] = ()
    """(column, message) of each CSV cell that could not be read; the rest of the row is
    still checked, so that every problem of the row is reported at once."""


def lines(stream: IO[bytes], limit: int | None = None) -> Iterator[InputLine]:
    """The lines of ``stream``, each of at most ``limit`` bytes; a longer one is a problem
    (its rest is read past, never held). A NUL byte means the input is not text: it is
    reported and the reading stops there (``/dev/zero`` is one endless line of them)."""
    limit = MAX_LINE_BYTES if limit is None else limit
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if number == 1:
            raw = raw.removeprefix(UTF8_BOM)
        if b"\0" in raw:
            yield InputLine(
                number, b"", "binary data (a NUL byte): not a text file; reading stops here"
            )
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(limit)
                if b"\0" in raw:
                    message = "binary data (a NUL byte): not a text file; reading stops here"
                    yield InputLine(number, b"", message)
                    return
            yield InputLine(number, b"", f"line longer than the limit of {_size(limit)}: skipped")
            continue
        yield InputLine(number, raw)


def _size(limit: int) -> str:
    return f"{limit / (1 << 20):g} MiB" if limit >= 1 << 20 else f"{limit} bytes"


def not_utf8(exc: UnicodeDecodeError) -> str:
    """The problem of text that is not UTF-8."""
    return f"not UTF-8 text (byte 0x{exc.object[exc.start : exc.start + 1].hex()})"


class _Duplicate(ValueError):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different (as the YAML reader wants them)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(f"duplicate key {key!r}")
            seen.add(key)
    return data


def jsonl_records(source: Iterable[tuple[int, bytes, str | None]]) -> Iterator[Record]:
    """The profiles of JSON Lines (``InputLine`` values, or the same fields as plain tuples),
    one a line; blank lines are skipped."""
    # one decoder for every line (json.loads makes one a call when given a hook); json.loads
    # itself for a line that starts with a byte-order mark, which it names as the problem
    decode = json.JSONDecoder(object_pairs_hook=_unique).decode
    for number, raw, problem in source:
        if problem is not None:
            yield Record(number, problem=problem)
            continue
        try:
            text = raw.decode()
            data = json.loads(text) if text.startswith("\ufeff") else decode(text)
            yield Record(number, data)
        except UnicodeDecodeError as exc:
            yield Record(number, problem=not_utf8(exc))
        except _Duplicate as exc:
            yield Record(number, problem=str(exc))
        except ValueError as exc:
            if raw.strip():
                yield Record(number, problem=f"not valid JSON: {exc}")
        except RecursionError:
            yield Record(number, problem="not valid JSON: nested too deeply")


def csv_records(source: Iterable[InputLine], name: str) -> Iterator[Record]:
    """The profiles of CSV: a header of ``CSV_COLUMNS``, then one profile a row."""
    problems: list[Record] = []

    def text() -> Iterator[str]:
        for number, raw, problem in source:
            wrong = problem
            if wrong is None:
                try:
                    yield raw.decode()
                    continue
                except UnicodeDecodeError as exc:
                    wrong = not_utf8(exc)
            problems.append(Record(number, problem=wrong))
            yield "\n"  # an empty row, which is skipped

    csv.field_size_limit(max(MAX_LINE_BYTES, 1 << 17))
    reader = csv.reader(text())
    header: list[str] | None = None
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield from _drain(problems)
            yield Record(reader.line_num, problem=f"not valid CSV: {exc}")
            continue
        yield from _drain(problems)
        if row is None:
            return
        if not row:
            continue
        if header is None:
            header = [column.strip() for column in row]
            _check_header(header, name)
            continue
        if len(row) > len(header):
            yield Record(reader.line_num, problem="more cells than columns")
            continue
        data, unread = _from_csv(zip(header, row, strict=False))
        yield Record(reader.line_num, data, cells=tuple(unread))


def _drain(problems: list[Record]) -> list[Record]:
    found = problems[:]
    problems.clear()
    return found


def _check_header(header: list[str], name: str) -> None:
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        from smtime.core import closest

        hints = []
        for column in unknown:
            close = closest(column, CSV_COLUMNS)
            hints.append(f"{column!r}" + (f" (did you mean {close!r}?)" if close else ""))
        message = f"unknown column {', '.join(hints)}; columns: {', '.join(CSV_COLUMNS)}"
        raise InvalidFileError(name, [Problem(name, message, "", 1)])


def _from_csv(cells: Iterable[tuple[str, str]]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A row's data, as text for the profile model to read (numbers as people type them),
    and the (column, message) of each cell that cannot be read; such a cell keeps its text,
    so that its place among the row's other problems is known."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column, cell in cells:
        value = cell.strip()
        if not value:
            continue
        data[column] = value
        if column in _CSV_PAIRS:
            pairs: dict[str, str] = {}
            for part in value.split(";"):
                key, sep, item = part.partition("=")
                if not sep:
                    message = f"expected NAME=VALUE separated by ';', not {part!r}"
                elif key.strip() in pairs:
                    message = f"{key.strip()!r} is given twice"
                else:
                    pairs[key.strip()] = item.strip()
                    continue
                problems.append((column, message))
                break
            else:
                data[column] = pairs
        elif column in _CSV_LISTS:
            data[column] = [n.strip() for n in value.split(";") if n.strip()]
    return data, problems


def yaml_records(stream: IO[bytes], name: str) -> Iterator[Record]:
    """The profiles of YAML: a list of profiles, or a stream of documents; read whole."""
    from smtime import safeyaml
    from smtime.files import decode

    data = stream.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        message = (
            f"a YAML file of profiles is limited to {MAX_YAML_BYTES >> 20} MiB: use JSON Lines"
        )
        raise InvalidFileError(name, [Problem(name, message)])
    for document in safeyaml.parse_stream(decode(data, name), name):
        content = document.data
        if isinstance(content, list):
            for index, item in enumerate(content):
                yield Record(document.locate((index,))[0], item)
        elif content is not None:
            yield Record(document.locate(())[0], content)


def records(stream: IO[bytes], fmt: InputFormat, name: str) -> Iterator[Record]:
    """The profiles of ``stream``, one record at a time."""
    if fmt is InputFormat.JSONL:
        return jsonl_records(lines(stream))
    if fmt is InputFormat.CSV:
        return csv_records(lines(stream), name)
    return yaml_records(stream, name)
