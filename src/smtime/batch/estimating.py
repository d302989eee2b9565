"""One profile of a batch, estimated as ``smtime estimate --profile P --format json`` does.

The data of a record is validated by the profile model, its names checked as a profile
file's, its scenario and assumptions made by ``options.scenario_of`` and
``options.assumptions_of`` (the two halves of ``options.combine``), estimated by the core and
rendered by ``render.json``: the calls to those modules are in ``validate``, ``basis_of``,
``Estimator.assumptions``, ``estimate_profile`` and ``estimate_json`` only.

What many profiles share is made once, memoised by their validated values: a ``Basis`` (the
checked names, the scenario without its default choice, the selected families) by the fields
``BASIS_FIELDS``, the assumptions by ``ASSUMPTION_FIELDS``. The default choice, the families'
hours and the totals are then worked out for each profile by ``core.estimate_selection``, the
second half of ``core.estimate``. The memos are bounded (``MEMO_SIZE``, emptied when full).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import ValidationError

from smtime.catalogue import describe
from smtime.core import estimate_selection, prepare
from smtime.domain import NamedTuple
from smtime.errors import InvalidFileError, OutputError, Problem, SmtimeError
from smtime.models import ProfileSchema
from smtime.options import (
    ASSUMPTION_FIELDS,
    NOTHING_ASKED,
    SCENARIO_FIELDS,
    assumptions_of,
    default_choice,
    scenario_of,
)
from smtime.profile import unknown_name_problems
from smtime.render.json import estimate_data
from smtime.terminal import json_visible_utf8

if TYPE_CHECKING:
    from smtime.batch.read import Record
    from smtime.core import Selection
    from smtime.domain import Assumptions, Catalogue, Estimate, Scenario
    from smtime.formats import OutputFormat

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


Located = list[tuple[tuple[str | int, ...], str, bool]]
"""Problems of a profile, each at its path, and whether at the key there:
``(("set", "bloging"), "unknown family ...", True)``."""


class Refused(Bad):
    """A profile the model refuses, with each of its problems at its path."""

    def __init__(self, located: Located) -> None:
        from smtime.safeyaml import format_path

        super().__init__([_at(format_path(path), message) for path, message, _ in located])
        self.located = located


def validate(data: Any) -> ProfileSchema:
    """``data`` validated as a profile file is; ``Refused`` with every problem when it is not."""
    try:
        return ProfileSchema.model_validate(data)
    except ValidationError as exc:
        raise Refused(describe(exc, ProfileSchema)) from None


def in_order(data: Any, problems: Located) -> list[str]:
    """``problems`` as ``path: message``, in the order of the keys of ``data`` (a row's
    columns, a JSON object's keys), a key before its value, as in a profile file."""
    from smtime.safeyaml import format_path

    def position(path: tuple[str | int, ...]) -> tuple[int, ...]:
        found, value = [], data
        for step in path:
            if isinstance(value, dict) and step in value:
                found.append(list(value).index(step))
                value = value[step]
            elif isinstance(value, list) and isinstance(step, int):
                found.append(step)
                value = value[step] if 0 <= step < len(value) else None
            else:
                found.append(len(value) if isinstance(value, dict | list) else 0)
                break
        return tuple(found)

    ordered = sorted(problems, key=lambda problem: (position(problem[0]), not problem[2]))
    return [_at(format_path(path), message) for path, message, _ in ordered]


def _at(place: str, message: str) -> str:
    """``place: message``, or the message alone for the profile as a whole."""
    return f"{place}: {message}" if place else message


class Basis(NamedTuple):
    """What the profiles asking for the same families share: the catalogue, the scenario
    (without its default choice) and the families selected (``prepare``)."""

    catalogue: Catalogue
    scenario: Scenario
    selection: Selection


def basis_of(profile: ProfileSchema, catalogue: Catalogue) -> Basis:
    """The basis of a validated profile against ``catalogue``, its names checked as a profile
    file's; ``Refused`` for the names the catalogue lacks."""
    problems = unknown_name_problems(dict(profile), catalogue)
    if problems:
        raise Refused(problems)
    scenario = scenario_of(NOTHING_ASKED, profile)._replace(default=None)
    return Basis(catalogue, scenario, prepare(catalogue, scenario))


def estimate_profile(
    profile: ProfileSchema, basis: Basis, assumptions: Assumptions, lang: str | None
) -> Outcome:
    """The estimate of a validated profile whose basis is ``basis``: the default choice of
    ``options.default_choice`` and the core's ``estimate_selection``, as ``core.estimate``
    does. ``lang`` overrides the profile's language; without either, the default language."""
    scenario = basis.scenario._replace(default=default_choice(NOTHING_ASKED, profile))
    result = estimate_selection(basis.selection, scenario)
    if lang is None:
        lang = profile.lang or _default_language()
    return Outcome(basis.catalogue, result, assumptions, lang)


def estimate_json(outcome: Outcome) -> bytes:
    """The ``estimate`` object of ``smtime estimate --format json``, as compact JSON."""
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


BASIS_FIELDS = ("catalogue", *SCENARIO_FIELDS)
"""The fields of a profile its basis depends on: its catalogue and what ``options.scenario_of``
reads but the hypothesis and level (``options.default_choice``)."""
_BASIS_VALUES = attrgetter(*BASIS_FIELDS)
_ASSUMPTION_VALUES = attrgetter(*ASSUMPTION_FIELDS)


def _hashable(value: dict[str, Any] | list[Any]) -> Any:
    """A validated mapping or list as a memo key: its type when empty, else its items as a
    tuple tagged with its type, so that no text or number can stand for it; a mapping's
    values tagged with theirs (``set`` takes any value: 1 and True must not share a key).
    A scalar field holds one type once validated, and is its own key."""
    if not value:
        return value.__class__
    if isinstance(value, dict):
        return (dict, tuple([(k, v.__class__, v) for k, v in value.items()]))
    return (list, tuple(value))


_CONTAINERS = (dict, list)


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
        self._assumptions: dict[tuple[Any, ...], Assumptions | Bad] = {}

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

    def record(self, data: Any, line: int, cells: tuple[tuple[str, str], ...] = ()) -> bytes:
        """The output of one profile (UTF-8), read as plain data; ``Bad`` when it is not
        valid, with every problem of the profile (``cells``: those of CSV cells not read)."""
        profile: ProfileSchema | None = None
        problems: Located = []
        try:
            profile = validate(data)
        except Refused as exc:
            problems = exc.located
        if profile is None or cells:
            refused = {column for column, _ in cells}
            problems = [p for p in problems if not (p[0] and p[0][0] in refused)]
            problems += [((column,), message, False) for column, message in cells]
            problems += self.unknown_names(data, problems)
            raise Bad(in_order(data, problems))
        try:
            basis = self.basis(profile)
        except Refused as exc:  # names the catalogue lacks, in the order of this profile
            raise Bad(in_order(data, exc.located)) from None
        assumptions = self.assumptions(profile)
        try:
            outcome = estimate_profile(profile, basis, assumptions, self.lang)
        except SmtimeError as exc:  # a default the core refuses
            raise Bad([exc.message]) from None
        if self.jsonl:
            body = estimate_json(outcome)[1:]
            record = b'{"profile":%b,"line":%d,%b\n' % (orjson.dumps(profile.name), line, body)
            return json_visible_utf8(record)
        from smtime.render.csv import cell

        text = io.StringIO()
        name = cell(profile.name)
        rows = estimate_csv_rows(outcome)
        csv.writer(text, lineterminator="\n").writerows([name, line, *row] for row in rows)
        return text.getvalue().encode()

    def unknown_names(self, data: Any, found: Located) -> Located:
        """The families and drivers that a profile the model refused names and its catalogue
        lacks, as ``basis`` would find them; none when its catalogue cannot be told or read."""
        if not isinstance(data, dict) or any(p[0][:1] == ("catalogue",) for p in found):
            return []
        given = data.get("catalogue")
        try:
            catalogue = self.catalogue(given if isinstance(given, str) else None)
        except Bad:
            return []
        return unknown_name_problems(data, catalogue)

    def basis(self, profile: ProfileSchema) -> Basis:
        """The basis of ``profile``, made once for every profile that asks for the same
        families (``BASIS_FIELDS``); ``Bad`` when it cannot be made."""
        key = _key(profile, _BASIS_VALUES)
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
            _remember(self._bases, key, basis)
        if isinstance(basis, Bad):
            raise basis
        return basis

    def assumptions(self, profile: ProfileSchema) -> Assumptions:
        """The assumptions of ``profile`` (``options.assumptions_of``), made once for every
        profile that gives the same ``ASSUMPTION_FIELDS``; ``Bad`` when they are refused."""
        key = _key(profile, _ASSUMPTION_VALUES)
        made = self._assumptions.get(key)
        if made is None:
            try:
                made = assumptions_of(NOTHING_ASKED, profile)
            except SmtimeError as exc:
                made = Bad([exc.message])
            _remember(self._assumptions, key, made)
        if isinstance(made, Bad):
            raise made
        return made


def _key(profile: ProfileSchema, fields: Callable[[ProfileSchema], tuple[Any, ...]]) -> Any:
    """A memo key of the values of ``profile`` that ``fields`` (an ``attrgetter``) reads."""
    return tuple([_hashable(v) if isinstance(v, _CONTAINERS) else v for v in fields(profile)])


def _remember(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    """``value`` kept under ``key``; a full memo (``MEMO_SIZE``) starts again empty."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value


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
            output = estimator.record(record.data, record.line, record.cells)
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
