"""Estimating a portfolio: many profiles against catalogues loaded once, each profile's parts
worked out once for all the profiles that share them.

A portfolio's profiles differ in a few fields and share most: the catalogue and selection,
the period and rate, the hypothesis or level, the language. Each group of fields below is
validated and worked out by the same model, core and renderers as a single estimate, and the
result is memoised by the group's values. A profile whose groups are not all valid is
validated as a whole (``Portfolio.slow``), which reports every problem of the profile at
once, with the messages of a profile file.

``Portfolio.estimate`` gives a profile's estimate (for CSV); ``Portfolio.jsonl`` its JSON
Lines record, written from a plan memoised by selection, settings, language and kind of
default: a %-format of the record (``render.jsonl``), made from memoised texts of each task
and of the total lines. Under a hypothesis (or no default) the numbers are the same for every
profile of the plan, and only the name and line are written anew; under a level the plan has
places for the hours it gives, worked out and written for each profile.

Every memo is bounded (``MEMO_SIZE``, ``PIECES_SIZE``): a full memo starts again empty, so
memory stays flat however many profiles stream through.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, repeat
from math import fsum
from operator import add, mul
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from smtime.core import Selected, Selection
from smtime.domain import (
    CONTINGENCY,
    Assumptions,
    Choice,
    Estimate,
    FamilyEstimate,
    Scenario,
)
from smtime.errors import SmtimeError
from smtime.render.jsonl import SLOT, escape, form, numbers, own, plain

if TYPE_CHECKING:
    from smtime.domain import Catalogue
    from smtime.models import ProfileSchema

SELECTION = ("catalogue", "set", "only", "exclude", "drivers", "contingency")
"""The fields that choose the catalogue, the families, their own choices and drivers."""
ASSUMPTIONS = ("period", "weeks_per_year", "full_time_hours", "rate", "currency")
DEFAULT = ("hypothesis", "level")
TEXTS = ("format", "name", "description")
FIELDS = frozenset({*SELECTION, *ASSUMPTIONS, *DEFAULT, *TEXTS, "lang"})

MEMO_SIZE = 2048
"""Entries a memo holds at most; a full memo starts again empty."""
PIECES_SIZE = 8 * MEMO_SIZE
"""Entries the memos of the small pieces records are made of hold at most: task texts (one
per family, factor, own choice, settings, language and kind of default, in all), total
lines and subtotals."""

_ABSENT = ...  # stands for a missing field in memo keys (no input file can hold an Ellipsis)
_MISS = object()
_INVALID = object()


class Bad(Exception):
    """A profile that cannot be estimated, with one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Outcome(NamedTuple):
    """One profile's estimate, with what is needed to write it."""

    name: str | None
    catalogue: Catalogue
    result: Estimate
    assumptions: Assumptions
    lang: str


class _Selection(NamedTuple):
    """A profile's catalogue, selection, own choices, drivers and contingency, worked out."""

    key: str | bytes
    """The selection's memo key (``_key`` of ``SELECTION``)."""
    catalogue: Catalogue
    scenario: Scenario
    prepared: Selection
    lines: tuple[float, float, float | None]
    """What the subtotal, contingency and total lines' ranges depend on: the sums of the kept
    families' low and high weekly hours, and the contingency."""
    share: float | None
    """The contingency as a fraction of the subtotal (None without a contingency)."""
    text: bytes
    """The selection's part of the ``assumptions`` object: JSON text without its braces."""
    bases: tuple[str, ...]
    """What each kept family's task text depends on besides the settings, language and
    default, as text (quick to hash): the family, its drivers' factor and its own choice."""
    lows: tuple[float, ...]
    """The low weekly hours of the kept families without a choice of their own, in order."""
    spans: tuple[float, ...]
    """Their high weekly hours less their low ones."""
    fixed: tuple[float, ...]
    """The weekly hours of the kept families with a choice of their own."""


class _Settings(NamedTuple):
    """A profile's period, staff and cost settings, with the factors and texts they give."""

    assumptions: Assumptions
    key: str | bytes
    factors: tuple[float, ...]
    """What weekly hours are multiplied by for the hours over the period, the FTE and, with a
    rate, the cost (``Assumptions.factors``)."""
    frame: tuple[bytes, ...]
    """The record's template: the texts around its ``profile``, ``line``, ``hypothesis``,
    ``level``, ``tasks``, ``subtotal``, ``contingency``, ``total`` and ``assumptions``."""
    forms: tuple[bytes, bytes, bytes, bytes, bytes]
    """The pieces of the record's format that the settings give: up to its ``hypothesis``
    (with places for the name and line); from there to its ``level``; from there to its first
    task; from the end of its ``total`` line into its ``assumptions`` (through the settings'
    part); and its end, after the selection's part."""


class _Default(NamedTuple):
    """A profile's hypothesis or level, with the JSON texts it gives."""

    choice: Choice | None
    head: tuple[bytes, bytes]
    """The JSON texts of the record's ``hypothesis`` and ``level``."""
    level: float
    """The level, under a ``LEVELLED`` kind of default (else 0)."""
    kind: str
    """``LEVELLED`` for a level from 0 up to 1 (not 1: ``interpolate`` gives the high hours
    there), whose record is written from a format with places for the hours it gives; else the
    ``repr`` of the choice (or of None), whose record has the same numbers for every profile
    that shares its selection, settings and language."""


LEVELLED = "level"
"""The kind of default of a level from 0 up to 1 (see ``_Default.kind``); any other kind is
the ``repr`` of a choice (or of None)."""


class _Fixed(NamedTuple):
    """A record's format whose numbers are the same for every profile: places for the
    profile's name and line, then for ``texts``, those of its total lines."""

    text: bytes
    texts: list[bytes]


class _Format(NamedTuple):
    """A record's format under a level, with what its numbers are worked out from."""

    text: bytes
    order: Callable[[list[bytes]], Any]
    """The texts for its places, in their order, from the texts of ``_level_values`` followed
    by the profile's name, line and level."""
    selection: _Selection
    settings: _Settings


_USUAL = object()
"""A plan that says: write the record the usual way (a number the formats do not write)."""


def _key(data: dict[str, Any], fields: tuple[str, ...]) -> str | bytes:
    """The values of ``fields`` in ``data`` as one text: equal texts mean equal values.

    orjson's JSON text tells apart what equality does not (1, 1.0 and true; 0.0 and -0.0; a
    missing key, written ``~``, and null) and is quick to make. It writes NaN and infinities
    as null, and some types (dates, subclasses) not at all: values with a null, or that
    orjson does not write, are keyed by ``repr`` instead, which every value read from JSON,
    CSV or YAML has faithful (a ``str``, never equal to orjson's ``bytes``).
    """
    try:
        key = orjson.dumps(tuple(map(data.get, fields, _GAPS[len(fields)])), option=_PLAIN)
    except TypeError:  # orjson.JSONEncodeError
        key = b"null"
    if b"null" in key:
        return repr(tuple(map(data.get, fields, _ABSENTS[len(fields)])))
    return key


_ABSENTS = {n: (_ABSENT,) * n for n in (len(SELECTION), len(ASSUMPTIONS))}
_GAPS = {n: (orjson.Fragment(b"~"),) * n for n in (len(SELECTION), len(ASSUMPTIONS))}
_PLAIN = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
"""orjson writes only JSON's own types (the others go to ``default``, here none: an error)."""


def _length_key(value: Any) -> Any:
    """What the validity of a ``Text`` field depends on: that it is text that UTF-8 can encode
    (not a lone surrogate), and its length."""
    if type(value) is str:
        try:
            value.encode()
        except UnicodeEncodeError:
            return ("repr", repr(value))
        return (str, len(value))
    return ("repr", repr(value))


def _recall(memo: dict[Any, Any], key: Any, compute: Callable[..., Any], *args: Any) -> Any:
    """``compute(*args)``, worked out once for ``key``; ``_INVALID`` when it fails."""
    value = memo.get(key, _MISS)
    if value is _MISS:
        key = _kept_key(key)
        try:
            value = compute(*args)
        except (Bad, SmtimeError, ValueError):  # pydantic's ValidationError is a ValueError
            value = _INVALID
        _keep(memo, key, value)
    return value


def _kept_key(key: Any) -> Any:
    """``key`` as a memo keeps it: orjson's text (``_key``) in a buffer of its own size."""
    return own(key) if type(key) is bytes else key


def _keep(memo: dict[Any, Any], key: Any, value: Any, size: int | None = None) -> Any:
    """``value``, kept in ``memo`` for ``key``."""
    if len(memo) >= (MEMO_SIZE if size is None else size):
        memo.clear()
    memo[key] = value
    return value


class Portfolio:
    """Estimates profiles one by one against catalogues loaded once each."""

    def __init__(self, *, folder: Path, default_catalogue: Path | None, lang: str | None) -> None:
        self.folder = folder
        self.default_catalogue = default_catalogue
        self.lang = lang
        self.catalogues: dict[Path | None, Catalogue] = {}
        self._texts: dict[Any, Any] = {}
        self._selections: dict[Any, Any] = {}
        self._settings: dict[Any, Any] = {}
        self._defaults: dict[Any, Any] = {}
        self._langs: dict[Any, Any] = {}
        self._rows: dict[Any, Any] = {}
        self._tasks: dict[Any, dict[Any, bytes]] = {}
        """Task texts by settings, language and kind of default, then by family, factor and
        own choice."""
        self._task_count = 0
        self._lines: dict[Any, bytes] = {}
        self._plans: dict[Any, Any] = {}
        self._subtotals: dict[Any, float] = {}
        self._default_lang: str | None = None

    def catalogue(self, profile: ProfileSchema) -> Catalogue:
        """The catalogue ``profile`` names (relative to the profiles' folder), or the default."""
        from smtime import catalogue as catalogues

        path = self.default_catalogue
        if profile.catalogue is not None:
            given = Path(profile.catalogue).expanduser()
            path = given if given.is_absolute() else self.folder / given
        if path not in self.catalogues:
            self.catalogues[path] = catalogues.load(path)
        return self.catalogues[path]

    def estimate(self, data: Any) -> Outcome:
        """The estimate of one profile, read as plain data; ``Bad`` when it is not valid."""
        parts = self._parts(data)
        if parts is None:
            return self.slow(data)
        selection, settings, default, lang = parts
        memo = self._rows
        rows: list[FamilyEstimate] = []
        for kept in selection.prepared.families:
            # a family with its own choice does not depend on the default
            key: tuple[Any, ...] = (id(kept.family), kept.factor, kept.override)
            if kept.override is None:
                key += (default.choice,)
            row = memo.get(key)
            if row is None:
                row = _recall(memo, key, kept.row, default.choice)
            rows.append(row)
        from smtime.core import totals

        scenario = selection.scenario._replace(default=default.choice)
        result = totals(scenario, tuple(rows), selection.prepared.drivers)
        return Outcome(data.get("name"), selection.catalogue, result, settings.assumptions, lang)

    def slow(self, data: Any) -> Outcome:
        """The estimate of a profile validated as a whole, every problem reported at once."""
        from pydantic import ValidationError

        from smtime.core import estimate
        from smtime.models import ProfileSchema
        from smtime.options import Asked, combine

        try:
            profile = ProfileSchema.model_validate(data)
        except ValidationError as exc:
            raise Bad(_validation_messages(exc)) from None
        cat = self.catalogue(profile)
        _check_names(profile, cat)
        combined = combine(Asked(), profile)
        result = estimate(catalogue=cat, scenario=combined.scenario)
        lang = self.lang or combined.lang or self._language()
        return Outcome(profile.name, cat, result, combined.assumptions, lang)

    def jsonl_line(self, outcome: Outcome, line: int) -> str:
        """One JSON Lines record: the estimate object with the profile's name and line first."""
        from smtime.render.json import estimate_data

        data = estimate_data(outcome.result, outcome.lang, outcome.assumptions, outcome.catalogue)
        record = {"profile": outcome.name, "line": line, **data}
        # every text was validated, and the model refuses what UTF-8 cannot encode
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode()

    def jsonl(self, data: Any, line: int) -> bytes:
        """The JSON Lines record of one profile, read as plain data; ``Bad`` when it is not
        valid. The same text as ``jsonl_line(estimate(data), line)`` in UTF-8, written from
        the record's plan (``_plan``): its format, with the numbers of its total lines, or
        under a level with places for the numbers the level gives."""
        parts = self._parts(data)
        if parts is None:
            return self.jsonl_line(self.slow(data), line).encode()
        selection, settings, default, lang = parts
        key = (selection.key, settings.key, lang, default.kind)
        plan = self._plans.get(key) or _keep(
            self._plans, key, self._plan(selection, settings, lang, default)
        )
        name = orjson.dumps(data.get("name"))
        if type(plan) is _Fixed:
            return plan.text % (name, b"%d" % line, *plan.texts)
        if type(plan) is _Format:
            values = _level_values(plan, default.level)
            if plain(values):
                texts = numbers(values)
                texts += (name, b"%d" % line, default.head[1])
                record: bytes = plan.text % plan.order(texts)
                return record
        return self.jsonl_line(self.estimate(data), line).encode()

    def _plan(
        self, selection: _Selection, settings: _Settings, lang: str, default: _Default
    ) -> _Fixed | _Format | object:
        """How to write the records of a selection, settings, language and kind of default:
        their format with the texts of their numbers (``_Fixed``), their format under a level
        (``_Format``), or ``_USUAL`` (a number the formats do not write)."""
        kind = default.kind
        levelled = kind is LEVELLED
        complete = default.choice is not None  # every task has hours
        opening, middle, first, closing, end = settings.forms
        text = b"".join(
            [
                opening,
                b"null" if levelled else default.head[0],
                middle,
                b"%b" if levelled else default.head[1],
                first,
                self._tasks_format(selection, settings, lang, default),
                self._lines_format(selection, settings, lang, complete),
                closing,
                selection.text,
                end,
            ]
        )
        if levelled:
            return _Format(text, _order(selection, settings), selection, settings)
        values: list[float] = []
        if complete:
            subtotal = self._subtotals.get((selection.key, kind))
            if subtotal is None:
                rows = [k.row(default.choice).hours for k in selection.prepared.families]
                subtotal = fsum(rows)  # type: ignore[arg-type]
                _keep(self._subtotals, (selection.key, kind), subtotal, PIECES_SIZE)
            _line_values(values, subtotal, selection.share, settings)
        if not plain(values):
            return _USUAL
        return _Fixed(text, numbers(values))

    def _tasks_format(
        self, selection: _Selection, settings: _Settings, lang: str, default: _Default
    ) -> bytes:
        """The tasks of a record in its format (``_piece``), from a memo of each task's."""
        context = (settings.key, lang, default.kind)
        memo = self._tasks.get(context)
        if memo is None:
            memo = self._remember_context(context)
        try:
            return b",".join(map(memo.get, selection.bases))  # type: ignore[arg-type]
        except TypeError:  # a task not in the memo: None
            pass
        texts = []
        for base, kept in zip(selection.bases, selection.prepared.families, strict=True):
            text = memo.get(base)
            if text is None:
                text = self._piece(kept, settings, lang, default)
                memo = self._remember_task(context, memo, base, text)
            texts.append(text)
        return b",".join(texts)

    def _parts(self, data: Any) -> tuple[_Selection, _Settings, _Default, str] | None:
        """A profile's memoised parts, and its language; None when a part is not valid."""
        if type(data) is not dict or not data.keys() <= FIELDS:
            return None
        get = data.get
        name = get("name")
        texts: Any
        if (
            type(name) is str
            and name.isascii()
            and "description" not in data
            and "format" not in data
        ):
            texts = len(name)  # the usual case: a name, in ASCII (which UTF-8 can encode)
        else:
            texts = (
                _scalar_key(get("format", _ABSENT)),
                _length_key(name),
                _length_key(get("description")),
            )
        valid = self._texts.get(texts) or _recall(self._texts, texts, _valid_texts, data)
        if valid is not True:
            return None
        key = _key(data, SELECTION)
        selection = self._selections.get(key) or _recall(
            self._selections, key, self._selection, data, key
        )
        key = _key(data, ASSUMPTIONS)
        settings = self._settings.get(key) or _recall(self._settings, key, _settings, data, key)
        hypothesis, level = get("hypothesis", _ABSENT), get("level", _ABSENT)
        scalars: Any
        if type(level) is float and hypothesis is _ABSENT and level:
            scalars = level  # the usual cases first: a level (not 0.0, equal to -0.0)...
        elif type(hypothesis) is str and level is _ABSENT:
            scalars = hypothesis  # ... or a hypothesis
        else:
            scalars = (_scalar_key(hypothesis), _scalar_key(level))
        default = self._defaults.get(scalars) or _recall(self._defaults, scalars, _default, data)
        scalar = _scalar_key(get("lang", _ABSENT))
        lang = self._langs.get(scalar, _MISS)
        if lang is _MISS:
            lang = _recall(self._langs, scalar, _lang, data)
        if _INVALID in (selection, settings, default, lang):
            return None
        return selection, settings, default, self.lang or lang or self._language()

    def _language(self) -> str:
        if self._default_lang is None:
            from smtime.i18n import default_language

            self._default_lang = default_language().value
        return self._default_lang

    def _selection(self, data: dict[str, Any], key: str | bytes) -> _Selection:
        """The selection of ``data``, whose ``_key`` of ``SELECTION`` is ``key``."""
        from smtime.core import prepare
        from smtime.options import Asked, combine
        from smtime.render.json import selection_data

        profile = _part(data, SELECTION)
        cat = self.catalogue(profile)
        _check_names(profile, cat)
        scenario = combine(Asked(), profile).scenario
        prepared = prepare(cat, scenario)
        contingency = scenario.contingency
        share = None if contingency is None else CONTINGENCY.check(contingency, "contingency") / 100
        kept = prepared.families
        sums = (fsum(k.low for k in kept), fsum(k.high for k in kept))
        text = orjson.dumps(selection_data(scenario, prepared.drivers, kept, cat))  # type: ignore[arg-type]
        levelled = [k for k in kept if k.override is None]
        return _Selection(
            _kept_key(key),
            cat,
            scenario,
            prepared,
            (*sums, contingency),
            share,
            escape(text[1:-1]),
            tuple(f"{id(k.family)} {k.factor!r} {k.override!r}" for k in kept),
            tuple(k.low for k in levelled),
            tuple(k.high - k.low for k in levelled),  # as ``interpolate`` works them out
            tuple(k.row(None).hours for k in kept if k.override is not None),  # type: ignore[misc]
        )

    def _remember_context(self, context: Any) -> dict[Any, bytes]:
        """A new, empty memo of the tasks of ``context``."""
        if len(self._tasks) >= MEMO_SIZE:
            self._tasks.clear()
            self._task_count = 0
        memo: dict[Any, bytes] = {}
        self._tasks[context] = memo
        return memo

    def _remember_task(
        self, context: Any, memo: dict[Any, bytes], base: Any, task: bytes
    ) -> dict[Any, bytes]:
        """Keep ``task`` in ``memo`` (the tasks of ``context``); past ``PIECES_SIZE`` tasks in
        all, every context starts again empty. Returns the memo of ``context``."""
        self._task_count += 1
        if self._task_count > PIECES_SIZE:
            self._tasks.clear()
            self._task_count = 1
            memo = self._remember_context(context)
        memo[base] = task
        return memo

    def _piece(self, kept: Selected, settings: _Settings, lang: str, default: _Default) -> bytes:
        """A kept family's task in a record's format: its text, or under a level (unless the
        family has its own choice) places for its hours, FTE, cost (with a rate) and level."""
        from smtime.render.json import task_data

        row = kept.row(default.choice)
        data = task_data(row, lang, settings.assumptions)
        if kept.override is not None or default.kind is not LEVELLED:
            return escape(own(orjson.dumps(data)))
        _slotted(data)["choice"]["level"] = SLOT
        return form(data)

    def _lines_format(
        self, selection: _Selection, settings: _Settings, lang: str, complete: bool
    ) -> bytes:
        """The end of the tasks, then the subtotal, contingency and total lines in a record's
        format (``_lines_text``), memoised."""
        # the language only names the contingency line
        key = (selection.lines, settings.key, None if selection.share is None else lang, complete)
        text = self._lines.get(key)
        if text is None:
            pieces = self._lines_text(selection, settings, lang, complete)
            text = b"]" + b"%b".join(map(escape, pieces))
            _keep(self._lines, key, text, PIECES_SIZE)
        return text

    def _lines_text(
        self, selection: _Selection, settings: _Settings, lang: str, complete: bool
    ) -> list[bytes]:
        """The template of the subtotal, contingency and total lines, from the frame's
        ``subtotal`` key to its ``assumptions`` key; slots for their hours, FTE and cost when
        ``complete``."""
        from smtime.core import totals
        from smtime.render.json import contingency_data, line_data
        from smtime.render.jsonl import template

        kept = selection.prepared.families
        result = totals(selection.scenario, tuple(k.row(None) for k in kept), {})
        lines = (
            line_data(result.subtotal, settings.assumptions),
            contingency_data(result, lang, settings.assumptions),
            line_data(result.total, settings.assumptions),
        )
        pieces = [b""]
        for key, data in zip(settings.frame[5:8], lines, strict=True):
            if data is not None and complete:
                _slotted(data)
            more = template(data)
            pieces[-1] += key + more[0]
            pieces += more[1:]
        return pieces


def _slotted(line: dict[str, Any]) -> dict[str, Any]:
    """``line`` (of ``render.json.line_data``) with slots for its hours over the period, FTE
    and cost (when it has one)."""
    from smtime.render.jsonl import SLOT

    line["hours"] = line["fte"]["hours"] = SLOT
    if line["cost"] is not None:
        line["cost"]["hours"] = SLOT
    return line


def _line_values(
    values: list[float], subtotal: float, share: float | None, settings: _Settings
) -> None:
    """Add to ``values`` the hours over the period, FTE and cost (with a rate) of the
    subtotal, contingency (with a share) and total lines, as ``core.totals`` works them out."""
    for weekly in _totals(subtotal, share):
        values += map(mul, repeat(weekly), settings.factors)


def _totals(subtotal: float, share: float | None) -> tuple[float, ...]:
    """The weekly hours of the subtotal, contingency (with a share) and total lines, as
    ``core.totals`` works them out."""
    if share is None:
        return (subtotal, subtotal)  # the total is the subtotal
    contingency = subtotal * share
    return (subtotal, contingency, fsum((subtotal, contingency)))


def _scalar_key(value: Any) -> Any:
    """``value`` as a memo key that tells apart 1, 1.0 and True, and 0.0 and -0.0."""
    kind = type(value)
    if kind is str or value is None or value is _ABSENT:
        return value
    if kind is float and value == 0.0:
        return (kind, repr(value))
    return (kind, value) if kind in (int, float, bool) else ("repr", repr(value))


def _valid_texts(data: dict[str, Any]) -> bool:
    """True, unless the profile's name, description or format is not valid (``Bad``)."""
    _part(data, TEXTS)
    return True


def _part(data: dict[str, Any], fields: tuple[str, ...]) -> ProfileSchema:
    """A profile of only ``fields`` of ``data``, validated."""
    from smtime.models import ProfileSchema

    return ProfileSchema.model_validate({k: data[k] for k in fields if k in data})


def _settings(data: dict[str, Any], key: str | bytes) -> _Settings:
    """The settings of ``data``, whose ``_key`` of ``ASSUMPTIONS`` is ``key``."""
    from smtime.options import Asked, combine
    from smtime.render.json import estimate_object, head_data, settings_data
    from smtime.render.jsonl import template

    profile = _part(data, ASSUMPTIONS)
    _check_names(profile, None)
    assumptions = combine(Asked(), profile).assumptions
    factors = tuple(f for f in assumptions.factors if f is not None)
    head = {**head_data(Scenario(), assumptions), "hypothesis": SLOT, "level": SLOT}
    record = {
        "profile": SLOT,
        "line": SLOT,
        **estimate_object(head, SLOT, SLOT, SLOT, SLOT),
        "assumptions": SLOT,
    }
    frame = tuple(template(record))
    text = template(settings_data(assumptions))[0][1:-1]
    forms = (
        b"%b".join(map(escape, frame[:3])),
        escape(frame[3]),
        escape(frame[4] + b"["),
        escape(frame[8] + b"{" + text + b","),
        escape(b"}" + frame[9] + b"\n"),
    )
    return _Settings(assumptions, _kept_key(key), factors, frame, forms)


def _default(data: dict[str, Any]) -> _Default:
    from smtime.options import Asked, combine
    from smtime.render.json import head_data

    choice = combine(Asked(), _part(data, DEFAULT)).scenario.default
    head = head_data(Scenario(default=choice), Assumptions())
    level, kind = 0.0, repr(choice)
    if (
        choice is not None
        and choice.hypothesis is None
        and choice.hours is None
        and choice.level is not None
        and 0.0 <= choice.level < 1.0
    ):
        level, kind = choice.level, LEVELLED
    return _Default(
        choice,
        (own(orjson.dumps(head["hypothesis"])), own(orjson.dumps(head["level"]))),
        level,
        kind,
    )


def _level_values(plan: _Format, level: float) -> list[float]:
    """The numbers of a record in ``plan`` under ``level``, worked out as ``Choice.weekly``
    and ``core.totals`` do: the weekly hours of each task without a choice of its own, then of
    the subtotal, contingency (with one) and total lines, over the period; then those in FTE;
    then their cost (with a rate)."""
    selection = plan.selection
    weekly = list(map(add, selection.lows, map(mul, repeat(level), selection.spans)))
    weekly += _totals(fsum(chain(selection.fixed, weekly)), selection.share)
    values: list[float] = []
    for factor in plan.settings.factors:
        values += map(mul, weekly, repeat(factor))
    return values


def _order(selection: _Selection, settings: _Settings) -> Callable[[list[bytes]], Any]:
    """The ``order`` of a record's format under a level (see ``_Format``)."""
    shape = (len(selection.lows), selection.share is None, len(settings.factors) == 2)
    order = _ORDERS.get(shape)
    if order is None:
        order = _ORDERS[shape] = _make_order(*shape)
    return order


_ORDERS: dict[tuple[int, bool, bool], Callable[[list[bytes]], Any]] = {}
"""Orders by shape of record: tasks without a choice of their own, whether it has no
contingency and no rate (as many as there are families in its catalogue, times 4)."""


def _make_order(tasks: int, no_contingency: bool, no_rate: bool) -> Callable[[list[bytes]], Any]:
    from operator import itemgetter

    figures = tasks + (2 if no_contingency else 3)  # weekly hours in _level_values
    kinds = 2 if no_rate else 3  # over the period, in FTE, in cost
    name, line, level = (figures * kinds + n for n in range(3))
    order = [name, line, level]
    for task in range(tasks):
        order += (task + figures * n for n in range(kinds))
        order.append(level)
    for total in range(tasks, figures):
        order += (total + figures * n for n in range(kinds))
    return itemgetter(*order)


def _lang(data: dict[str, Any]) -> str | None:
    return _part(data, ("lang",)).lang


def _check_names(profile: ProfileSchema, catalogue: Catalogue | None) -> None:
    """Every family and driver ``profile`` names is in ``catalogue``; its currency is known."""
    from smtime.profile import name_problems

    problems = name_problems(profile, catalogue) if catalogue is not None else []
    if problems:
        from smtime.safeyaml import format_path

        raise Bad([f"{format_path(path)}: {message}" for path, message, _ in problems])


def _validation_messages(exc: Any) -> list[str]:
    from smtime.catalogue import describe
    from smtime.models import ProfileSchema
    from smtime.safeyaml import format_path

    return [f"{format_path(loc)}: {message}" for loc, message, _ in describe(exc, ProfileSchema)]
