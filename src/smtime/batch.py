"""Batch estimates: many profiles in, one estimate per profile out, in one streaming pass.

Profiles come from JSON Lines (one object per line), CSV (one profile per row, the columns of
docs/batch.md) or YAML (a list of profiles, or a stream of documents separated by ``---``).
Each is validated like a profile file; a bad one is reported with its line number and skipped,
and the others are still estimated, in their order.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from smtime.core import Assumptions, Estimate
from smtime.errors import InvalidFileError, Problem, SmtimeError, UsageError

if TYPE_CHECKING:
    from smtime.models import Catalogue, Profile


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
    for number, line in enumerate(stream, 1):
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


class Batch:
    """Estimates profiles one by one against catalogues loaded once each."""

    def __init__(self, *, folder: Path, default_catalogue: Path | None, lang: str | None) -> None:
        self.folder = folder
        self.default_catalogue = default_catalogue
        self.lang = lang
        self.catalogues: dict[Path | None, Catalogue] = {}

    def catalogue(self, profile: Profile) -> Catalogue:
        from smtime import catalogue as catalogues

        path = self.default_catalogue
        if profile.catalogue is not None:
            given = Path(profile.catalogue).expanduser()
            path = given if given.is_absolute() else self.folder / given
        if path not in self.catalogues:
            self.catalogues[path] = catalogues.load(path)
        return self.catalogues[path]

    def estimate(self, data: Any) -> Outcome:
        """The estimate of one record's profile."""
        from pydantic import ValidationError

        from smtime.core import estimate
        from smtime.i18n import default_language
        from smtime.models import Profile
        from smtime.options import Asked, combine
        from smtime.profile import name_problems

        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            raise _Bad(_validation_messages(exc)) from None
        cat = self.catalogue(profile)
        problems = name_problems(profile, cat)
        if problems:
            from smtime.safeyaml import format_path

            raise _Bad([f"{format_path(path)}: {message}" for path, message, _ in problems])
        combined = combine(Asked(), profile)
        result = estimate(catalogue=cat, scenario=combined.scenario)
        lang = self.lang or combined.lang or default_language().value
        return Outcome(profile, cat, result, combined.assumptions, lang)


class Outcome(NamedTuple):
    """One profile's estimate, with what is needed to write it."""

    profile: Profile
    catalogue: Catalogue
    result: Estimate
    assumptions: Assumptions
    lang: str

    def name(self) -> str | None:
        return self.profile.name


class _Bad(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _validation_messages(exc: Any) -> list[str]:
    from smtime.catalogue import describe
    from smtime.models import Profile
    from smtime.safeyaml import format_path

    return [f"{format_path(loc)}: {message}" for loc, message, _ in describe(exc, Profile)]


def run(
    source: TextIO,
    fmt: InputFormat,
    name: str,
    batch: Batch,
    write: Callable[[Outcome, int], None],
    report: Callable[[Problem], None],
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Estimate every profile of ``source`` in order; return (estimated, bad)."""
    done = bad = 0
    for record in records(source, fmt, name):
        if advance is not None:
            advance(record.line)
        if record.problem is not None:
            report(Problem(name, record.problem, "", record.line))
            bad += 1
            continue
        try:
            outcome = batch.estimate(record.data)
        except _Bad as exc:
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
        write(outcome, record.line)
        done += 1
    return done, bad


def _who(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return f"profile {data['name']!r}: "
    return ""


def jsonl_line(outcome: Outcome, line: int) -> str:
    """One JSON Lines record: the estimate object with the profile's name and line first."""
    from smtime.render.json import estimate_data

    data = estimate_data(outcome.result, outcome.lang, outcome.assumptions, outcome.catalogue)
    record = {"profile": outcome.name(), "line": line, **data}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


BATCH_CSV_COLUMNS = ("profile", "line")


def csv_rows(outcome: Outcome, line: int) -> list[list[Any]]:
    """The estimate CSV rows of one profile, each led by its name and line."""
    from smtime.render.csv import estimate_rows

    return [
        [outcome.name(), line, *row]
        for row in estimate_rows(outcome.result, outcome.assumptions, outcome.lang)
    ]
