"""One profile of a batch, estimated as ``smtime estimate --profile P --format json`` does.

The data of a record is validated by the profile model, its names checked as a profile
file's, combined by ``options.combine``, estimated by the core and rendered by ``render.json``:
the calls to those modules are in ``validate``, ``basis_of``, ``estimate_profile`` and
``estimate_json`` only. What does not depend on a profile's hypothesis or level (its checked
names, scenario, assumptions and selected families: a ``Basis``) is made once for all the
profiles that share it, memoised by their validated values (``Estimator.basis``); the default
choice, the families' hours and the totals are then worked out for each profile by
``core.estimate_selection``, the second half of ``core.estimate``. The memo is bounded
(``MEMO_SIZE``, emptied when full).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from smtime.errors import InvalidFileError, OutputError, Problem, SmtimeError
from smtime.terminal import json_visible

if TYPE_CHECKING:
    from smtime.batch.read import Record
    from smtime.core import Selection
    from smtime.domain import Assumptions, Catalogue, Estimate
    from smtime.formats import OutputFormat
    from smtime.models import ProfileSchema
    from smtime.options import Combined

MEMO_SIZE = 1024
"""Plans the memo keeps at most; a full memo starts again empty."""
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
        raise Bad([_at(format_path(loc), message) for loc, message, _ in problems]) from None


def _at(place: str, message: str) -> str:
    """``place: message``, or the message alone for the profile as a whole."""
    return f"{place}: {message}" if place else message


class Basis(NamedTuple):
    """What the profiles asking for the same thing but their hypothesis or level share: the
    catalogue, the combined scenario and assumptions, and the families selected (``prepare``)."""

    catalogue: Catalogue
    combined: Combined
    selection: Selection


def basis_of(profile: ProfileSchema, catalogue: Catalogue) -> Basis:
    """The basis of a validated profile against ``catalogue``, its names checked as a profile
    file's; ``Bad`` for a name the catalogue lacks."""
    from smtime.core import prepare
    from smtime.options import Asked, combine
    from smtime.profile import name_problems
    from smtime.safeyaml import format_path

    problems = [
        _at(format_path(path), message) for path, message, _ in name_problems(profile, catalogue)
    ]
    if problems:
        raise Bad(problems)
    combined = combine(Asked(), profile)
    return Basis(catalogue, combined, prepare(catalogue, combined.scenario))


def estimate_profile(profile: ProfileSchema, basis: Basis, lang: str | None) -> Outcome:
    """The estimate of a validated profile whose basis is ``basis``: the default choice of
    ``options.combine`` and the core's ``estimate_selection``, as ``core.estimate`` does.
    ``lang`` overrides the profile's language; without either, the default language."""
    from smtime.core import estimate_selection
    from smtime.options import Asked, default_choice

    combined = basis.combined
    scenario = combined.scenario._replace(default=default_choice(Asked(), profile))
    result = estimate_selection(basis.selection, scenario)
    if lang is None:
        lang = combined.lang or _default_language()
    return Outcome(basis.catalogue, result, combined.assumptions, lang)


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


_NOT_IN_BASIS = frozenset({"name", "description", "hypothesis", "level"})
"""The fields of a profile its basis does not depend on: its name and description, which the
estimate does not show, and its hypothesis or level (``options.default_choice``)."""


def _hashable(value: Any) -> Any:
    """A validated field's value as a memo key: mappings and lists as tuples, tagged with
    their type so that no text or number can stand for them."""
    if isinstance(value, dict):
        return (dict, tuple((k, type(v), v) for k, v in value.items()))
    if isinstance(value, list):
        return (list, tuple(value))
    return (type(value), value)


class Estimator:
    """Estimates the profiles of one batch and writes each as its output format says."""

    def __init__(
        self,
        *,
        folder: Path,
        default_catalogue: Path | None,
        lang: str | None,
        output_format: OutputFormat,
        output: Path | None = None,
    ) -> None:
        from smtime.formats import OutputFormat

        self.folder = folder
        self.default_catalogue = default_catalogue
        self.lang = lang
        self.jsonl = output_format is OutputFormat.JSONL
        self.output = output
        self._catalogues: dict[Path | None, Catalogue | Bad] = {}
        self._bases: dict[tuple[Any, ...], Basis | Bad] = {}
        from smtime.models import ProfileSchema

        self._fields = tuple(f for f in ProfileSchema.model_fields if f not in _NOT_IN_BASIS)

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
        from smtime.output import refuse_inputs

        if path is not None:
            if self.output is not None:
                # the whole batch stops (exit 73), in whichever process reads the catalogue:
                # a worker's reads are not known to the process that writes the output
                refuse_inputs(self.output, [path])
            if path.exists() and not path.is_file():
                raise Bad([f"{path}: not a regular file (a catalogue named by a profile must be)"])
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
        basis = self.basis(profile)
        try:
            outcome = estimate_profile(profile, basis, self.lang)
        except SmtimeError as exc:  # a default the core refuses
            raise Bad([exc.message]) from None
        if self.jsonl:
            body = estimate_json(outcome)[1:]
            record = b'{"profile":%b,"line":%d,%b\n' % (orjson.dumps(profile.name), line, body)
            return json_visible(record.decode()).encode()
        from smtime.render.csv import cell

        text = io.StringIO()
        name = cell(profile.name)
        rows = estimate_csv_rows(outcome)
        csv.writer(text, lineterminator="\n").writerows([name, line, *row] for row in rows)
        return text.getvalue().encode()

    def basis(self, profile: ProfileSchema) -> Basis:
        """The basis of ``profile``, made once for every profile that asks for the same thing
        but its hypothesis or level; ``Bad`` when it cannot be made."""
        key = tuple(_hashable(getattr(profile, field)) for field in self._fields)
        basis = self._bases.get(key)
        if basis is None:
            try:
                basis = basis_of(profile, self.catalogue(profile.catalogue))
            except OutputError:
                raise  # the output would replace this catalogue: the batch stops
            except SmtimeError as exc:  # a scenario the core refuses
                basis = Bad([exc.message])
            except Bad as exc:
                basis = exc
            if len(self._bases) >= MEMO_SIZE:
                self._bases.clear()
            self._bases[key] = basis
        if isinstance(basis, Bad):
            raise basis
        return basis


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
        except OutputError:
            raise  # the output would replace a file being read: the batch stops
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
