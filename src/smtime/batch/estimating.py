"""One profile of a batch, estimated as ``smtime estimate --profile P --format json`` does.

The data of a record is validated by the profile model, its names checked as a profile
file's, combined, estimated by the core and rendered by ``render.json``: the calls to those
modules are in ``validate`` and ``estimate_profile`` only. ``Estimator.record`` memoises the
output by the validated profile (less its name and description, which the estimate object does
not show): profiles that ask for the same thing share one estimate, and only their name and
line are written anew. The memo is bounded (``MEMO_SIZE``, emptied when full).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from smtime.errors import InvalidFileError, Problem, SmtimeError

if TYPE_CHECKING:
    from smtime.batch import OutputFormat
    from smtime.batch.read import Record
    from smtime.domain import Assumptions, Catalogue, Estimate
    from smtime.models import ProfileSchema

MEMO_SIZE = 1024
"""Estimates the memo keeps at most (about 3 KB each); a full memo starts again empty."""
CATALOGUES_SIZE = 64
"""Catalogues (or their problems) kept at most; a full memo starts again empty."""


class Bad(Exception):
    """A profile that cannot be estimated, with one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Outcome(NamedTuple):
    """One profile's estimate, with what is needed to write it."""

    catalogue: Catalogue
    result: Estimate
    assumptions: Assumptions
    lang: str


def validate(data: Any) -> ProfileSchema:
    """``data`` validated as a profile file is; ``Bad`` with every problem when it is not."""
    from pydantic import ValidationError

    from smtime.catalogue import describe
    from smtime.models import ProfileSchema
    from smtime.safeyaml import format_path

    try:
        return ProfileSchema.model_validate(data)
    except ValidationError as exc:
        problems = describe(exc, ProfileSchema)
        raise Bad([f"{format_path(loc)}: {message}" for loc, message, _ in problems]) from None


def estimate_profile(profile: ProfileSchema, catalogue: Catalogue, lang: str | None) -> Outcome:
    """The estimate of a validated profile against ``catalogue``, its names checked as a
    profile file's; ``Bad`` for a name the catalogue lacks. ``lang`` overrides the profile's
    language; without either, the default language."""
    from smtime.core import estimate
    from smtime.options import Asked, combine
    from smtime.profile import name_problems
    from smtime.safeyaml import format_path

    problems = [
        f"{format_path(path)}: {message}" for path, message, _ in name_problems(profile, catalogue)
    ]
    if problems:
        raise Bad(problems)
    combined = combine(Asked(), profile)
    result = estimate(catalogue=catalogue, scenario=combined.scenario)
    if lang is None:
        lang = combined.lang or _default_language()
    return Outcome(catalogue, result, combined.assumptions, lang)


def estimate_json(outcome: Outcome) -> bytes:
    """The ``estimate`` object of ``smtime estimate --format json``, as compact JSON."""
    from smtime.render.json import estimate_data

    data = estimate_data(outcome.result, outcome.lang, outcome.assumptions, outcome.catalogue)
    return orjson.dumps(data)


def estimate_csv_rows(outcome: Outcome) -> list[list[Any]]:
    """The cells of the estimate CSV rows of ``smtime estimate --format csv``."""
    from smtime.render.csv import cell, estimate_rows

    rows = estimate_rows(outcome.result, outcome.assumptions, outcome.lang)
    return [[cell(value) for value in row] for row in rows]


_LANGUAGE: list[str] = []


def _default_language() -> str:
    if not _LANGUAGE:
        from smtime.i18n import default_language

        _LANGUAGE.append(default_language().value)
    return _LANGUAGE[0]


_NOT_SHOWN = {"name", "description"}
"""Fields of a profile that its estimate object does not show."""


class Estimator:
    """Estimates the profiles of one batch and writes each as its output format says."""

    def __init__(
        self,
        *,
        folder: Path,
        default_catalogue: Path | None,
        lang: str | None,
        output_format: OutputFormat,
    ) -> None:
        from smtime.batch import OutputFormat

        self.folder = folder
        self.default_catalogue = default_catalogue
        self.lang = lang
        self.jsonl = output_format is OutputFormat.JSONL
        self._catalogues: dict[Path | None, Catalogue | Bad] = {}
        self._memo: dict[str, bytes | list[list[Any]] | Bad] = {}

    def default(self) -> Catalogue:
        """The default catalogue, read now: a problem there stops the batch before it starts."""
        from smtime import catalogue

        found = catalogue.load(self.default_catalogue)
        self._catalogues[None] = found
        return found

    def catalogue(self, given: str | None) -> Catalogue:
        """The catalogue a profile names (relative to the batch file's folder), else the
        default; ``Bad`` when it cannot be read, or is the output file."""
        from smtime.catalogue import named_path

        path = None if given is None else named_path(given, self.folder)
        found = self._catalogues.get(path)
        if found is None:
            try:
                found = self._load(path)
            except Bad as exc:
                found = exc
            if len(self._catalogues) >= CATALOGUES_SIZE:
                self._catalogues.clear()
            self._catalogues[path] = found
        if isinstance(found, Bad):
            raise found
        return found

    def _load(self, path: Path | None) -> Catalogue:
        from smtime import catalogue

        try:
            return catalogue.load(path if path is not None else self.default_catalogue)
        except InvalidFileError as exc:
            raise Bad(exc.lines()) from None
        except SmtimeError as exc:
            raise Bad([exc.message]) from None

    def record(self, data: Any, line: int) -> bytes:
        """The output of one profile (UTF-8), read as plain data; ``Bad`` when it is not
        valid."""
        profile = validate(data)
        key = profile.model_dump_json(exclude=_NOT_SHOWN)  # with the catalogue's name
        body = self._memo.get(key)
        if body is None:
            try:
                outcome = estimate_profile(profile, self.catalogue(profile.catalogue), self.lang)
                body = estimate_json(outcome)[1:] if self.jsonl else estimate_csv_rows(outcome)
            except SmtimeError as exc:  # a scenario the core refuses
                body = Bad([exc.message])
            except Bad as exc:
                body = exc
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = body
        if isinstance(body, Bad):
            raise body
        if isinstance(body, bytes):
            return b'{"profile":%b,"line":%d,%b\n' % (orjson.dumps(profile.name), line, body)
        from smtime.render.csv import cell

        text = io.StringIO()
        name = cell(profile.name)
        csv.writer(text, lineterminator="\n").writerows([name, line, *row] for row in body)
        return text.getvalue().encode()


def run(
    records: Iterable[Record],
    name: str,
    estimator: Estimator,
    write: Callable[[bytes], Any],
    report: Callable[[Problem], Any],
    advance: Callable[[int], Any] | None = None,
) -> tuple[int, int]:
    """Estimate every profile of ``records`` in order, writing each with ``write`` and
    reporting each problem; return (estimated, bad). A bad profile never stops the others."""
    done = bad = 0
    for record in records:
        if advance is not None:
            advance(1)
        if record.problem is not None:
            report(Problem(name, record.problem, "", record.line))
            bad += 1
            continue
        try:
            output = estimator.record(record.data, record.line)
        except Bad as exc:
            who = _who(record.data)
            for message in exc.messages:
                report(Problem(name, f"{who}{message}", "", record.line))
            bad += 1
        except RecursionError:
            report(Problem(name, "nested too deeply", "", record.line))
            bad += 1
        except Exception as exc:  # a bug: this profile is reported, the others go on
            message = f"internal error: {type(exc).__name__}: {exc} (please report this)"
            report(Problem(name, f"{_who(record.data)}{message}", "", record.line))
            bad += 1
        else:
            write(output)
            done += 1
    return done, bad


def _who(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return f"profile {data['name']!r}: "
    return ""
