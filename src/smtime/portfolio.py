"""Estimating a portfolio: many profiles against catalogues loaded once, each profile's parts
worked out once for all the profiles that share them.

A portfolio's profiles differ in a few fields and share most: the catalogue and selection,
the period and rate, the hypothesis or level, the language. Each group of fields below is
validated and worked out by the same model, core and renderers as a single estimate, and the
result is memoised by the group's values; so is each family's row and the JSON text of its
task. A profile whose groups are not all valid is validated as a whole (``Portfolio.slow``),
which reports every problem of the profile at once, with the messages of a profile file.

Every memo is bounded (``MEMO_SIZE``): a full memo starts again empty, so memory stays flat
however many profiles stream through.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from smtime.core import Assumptions, Choice, Estimate, FamilyEstimate, Prepared, Scenario
from smtime.errors import SmtimeError

if TYPE_CHECKING:
    from smtime.models import Catalogue, Profile

SELECTION = ("catalogue", "set", "only", "exclude", "drivers", "contingency")
"""The fields that choose the catalogue, the families, their own choices and drivers."""
ASSUMPTIONS = ("period", "weeks_per_year", "full_time_hours", "rate", "currency")
DEFAULT = ("hypothesis", "level")
TEXTS = ("format", "name", "description")
FIELDS = frozenset({*SELECTION, *ASSUMPTIONS, *DEFAULT, *TEXTS, "lang"})

MEMO_SIZE = 2048
"""Entries a memo holds at most; a full memo starts again empty."""

_ABSENT = ...  # stands for a missing field in memo keys (no input file can hold an Ellipsis)
_MISS = object()
_INVALID = object()


class Bad(Exception):
    """A profile that cannot be estimated, with one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Parts(NamedTuple):
    """The memo keys of a profile estimated from memoised parts, for writing it fast."""

    selection: str
    assumptions: str
    rows: tuple[tuple[Any, ...], ...]


class Outcome(NamedTuple):
    """One profile's estimate, with what is needed to write it."""

    name: str | None
    catalogue: Catalogue
    result: Estimate
    assumptions: Assumptions
    lang: str
    parts: Parts | None
    """Memo keys when estimated from memoised parts; None when validated as a whole."""


class _Selection(NamedTuple):
    catalogue: Catalogue
    scenario: Scenario
    prepared: Prepared


def _key(data: dict[str, Any], fields: tuple[str, ...]) -> str:
    """The values of ``fields`` in ``data`` as one text: equal texts mean equal values.

    ``repr`` tells apart what equality does not (1, 1.0 and True; 0.0 and -0.0; a missing key
    and null), and every value read from JSON, CSV or YAML has a faithful ``repr``.
    """
    return repr(tuple(map(data.get, fields, (_ABSENT,) * len(fields))))


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
        try:
            value = compute(*args)
        except (Bad, SmtimeError, ValueError):  # pydantic's ValidationError is a ValueError
            value = _INVALID
        if len(memo) >= MEMO_SIZE:
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
        self._assumptions: dict[Any, Any] = {}
        self._defaults: dict[Any, Any] = {}
        self._langs: dict[Any, Any] = {}
        self._rows: dict[Any, Any] = {}
        self._heads: dict[Any, bytes] = {}
        self._figures: dict[Any, bytes] = {}
        self._ranges: dict[Any, Any] = {}
        self._totals: dict[Any, Any] = {}
        self._default_lang: str | None = None

    def catalogue(self, profile: Profile) -> Catalogue:
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
        if type(data) is dict and data.keys() <= FIELDS:
            outcome = self._from_parts(data)
            if outcome is not None:
                return outcome
        return self.slow(data)

    def slow(self, data: Any) -> Outcome:
        """The estimate of a profile validated as a whole, every problem reported at once."""
        from pydantic import ValidationError

        from smtime.core import estimate
        from smtime.models import Profile
        from smtime.options import Asked, combine

        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            raise Bad(_validation_messages(exc)) from None
        cat = self.catalogue(profile)
        _check_names(profile, cat)
        combined = combine(Asked(), profile)
        result = estimate(catalogue=cat, scenario=combined.scenario)
        lang = self.lang or combined.lang or self._language()
        return Outcome(profile.name, cat, result, combined.assumptions, lang, None)

    def _language(self) -> str:
        if self._default_lang is None:
            from smtime.i18n import default_language

            self._default_lang = default_language().value
        return self._default_lang

    def _from_parts(self, data: dict[str, Any]) -> Outcome | None:
        """The estimate from memoised parts; None when a part is not valid."""
        get = data.get
        texts = (
            _scalar_key(get("format", _ABSENT)),
            _length_key(get("name")),
            _length_key(get("description")),
        )
        if _recall(self._texts, texts, _part, data, TEXTS) is _INVALID:
            return None
        selection_key = _key(data, SELECTION)
        selection = _recall(self._selections, selection_key, self._selection, data)
        assumptions_key = _key(data, ASSUMPTIONS)
        assumptions = _recall(self._assumptions, assumptions_key, _assumptions, data)
        default_key = (_scalar_key(get("hypothesis", _ABSENT)), _scalar_key(get("level", _ABSENT)))
        default = _recall(self._defaults, default_key, _default, data)
        lang = _recall(self._langs, _scalar_key(get("lang", _ABSENT)), _lang, data)
        if _INVALID in (selection, assumptions, default, lang):
            return None
        from smtime.core import totals

        memo = self._rows
        rows: list[FamilyEstimate] = []
        keys = []
        for kept in selection.prepared.kept:
            # a family with its own choice does not depend on the default
            key: tuple[Any, ...] = (id(kept.family), kept.factor, kept.override)
            if kept.override is None:
                key += (default,)
            row = memo.get(key)
            if row is None:
                row = _recall(memo, key, kept.row, default)
            rows.append(row)
            keys.append(key)
        scenario = selection.scenario._replace(default=default)
        result = totals(scenario, tuple(rows), selection.prepared.drivers)
        parts = Parts(selection_key, assumptions_key, tuple(keys))
        lang = self.lang or lang or self._language()
        return Outcome(get("name"), selection.catalogue, result, assumptions, lang, parts)

    def _selection(self, data: dict[str, Any]) -> _Selection:
        from smtime.core import prepare
        from smtime.options import Asked, combine

        profile = _part(data, SELECTION)
        cat = self.catalogue(profile)
        _check_names(profile, cat)
        scenario = combine(Asked(), profile).scenario
        return _Selection(cat, scenario, prepare(cat, scenario))

    def _task_figures(self, row: FamilyEstimate, assumptions: Assumptions, parts: Parts) -> bytes:
        """The rest of a task's JSON object after its label: figures, choice and drivers."""
        import orjson

        from smtime.render.json import range_numbers, task_figures

        key = (id(row.family), row.multiplier, parts.assumptions)
        ranges = self._ranges.get(key) or _recall(
            self._ranges, key, range_numbers, row.low, row.high, assumptions
        )
        return orjson.dumps(task_figures(row, assumptions, ranges))[1:]

    def jsonl_line(self, outcome: Outcome, line: int) -> str:
        """One JSON Lines record: the estimate object with the profile's name and line first."""
        import orjson

        from smtime.render import json as render

        result, assumptions, lang = outcome.result, outcome.assumptions, outcome.lang
        parts = outcome.parts
        if parts is None:
            data = render.estimate_data(result, lang, assumptions, outcome.catalogue)
            record = {"profile": outcome.name, "line": line, **data}
        else:
            heads, figures, fragment = self._heads, self._figures, orjson.Fragment
            tasks = []
            for row, key in zip(result.families, parts.rows, strict=True):
                head_key = (id(row.family), lang)
                head = heads.get(head_key) or _recall(heads, head_key, _task_head, row, lang)
                figures_key = (key, parts.assumptions)
                text = figures.get(figures_key) or _recall(
                    figures, figures_key, self._task_figures, row, assumptions, parts
                )
                tasks.append(fragment(head + text))
            settings, subtotal, contingency, total = _recall(
                self._totals,
                (parts.selection, parts.assumptions),
                _totals,
                result,
                assumptions,
                outcome.catalogue,
            )
            data = render.estimate_object(
                render.head_data(result, assumptions),
                tasks,
                render.line_data(result.subtotal, assumptions, subtotal),
                render.contingency_data(result, lang, assumptions, contingency),
                render.line_data(result.total, assumptions, total),
            )
            record = {"profile": outcome.name, "line": line, **data, "assumptions": settings}
        # every text was validated, and the model refuses what UTF-8 cannot encode
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode()


def _scalar_key(value: Any) -> Any:
    """``value`` as a memo key that tells apart 1, 1.0 and True, and 0.0 and -0.0."""
    kind = type(value)
    if kind is str or value is None or value is _ABSENT:
        return value
    if kind is float and value == 0.0:
        return (kind, repr(value))
    return (kind, value) if kind in (int, float, bool) else ("repr", repr(value))


def _part(data: dict[str, Any], fields: tuple[str, ...]) -> Profile:
    """A profile of only ``fields`` of ``data``, validated."""
    from smtime.models import Profile

    return Profile.model_validate({k: data[k] for k in fields if k in data})


def _assumptions(data: dict[str, Any]) -> Assumptions:
    from smtime.options import Asked, combine

    profile = _part(data, ASSUMPTIONS)
    _check_names(profile, None)
    return combine(Asked(), profile).assumptions


def _default(data: dict[str, Any]) -> Choice | None:
    from smtime.options import Asked, combine

    return combine(Asked(), _part(data, DEFAULT)).scenario.default


def _lang(data: dict[str, Any]) -> str | None:
    return _part(data, ("lang",)).lang


def _check_names(profile: Profile, catalogue: Catalogue | None) -> None:
    """Every family and driver ``profile`` names is in ``catalogue``; its currency is known."""
    from smtime.profile import currency_problems, name_problems

    problems = (
        name_problems(profile, catalogue) if catalogue is not None else currency_problems(profile)
    )
    if problems:
        from smtime.safeyaml import format_path

        raise Bad([f"{format_path(path)}: {message}" for path, message, _ in problems])


def _validation_messages(exc: Any) -> list[str]:
    from smtime.catalogue import describe
    from smtime.models import Profile
    from smtime.safeyaml import format_path

    return [f"{format_path(loc)}: {message}" for loc, message, _ in describe(exc, Profile)]


def _task_head(row: FamilyEstimate, lang: str) -> bytes:
    """The opening of a task's JSON object: its id and label, and a comma."""
    import orjson

    from smtime.render.json import task_name

    return orjson.dumps(task_name(row, lang))[:-1] + b","


def _totals(result: Estimate, assumptions: Assumptions, catalogue: Any) -> tuple[Any, ...]:
    """What the lines after the tasks share with every profile of the same selection and
    assumptions: the ``assumptions`` object as JSON text, and the ranges of the subtotal,
    contingency and total lines (their low and high do not depend on the default)."""
    import orjson

    from smtime.render.json import assumptions_data, range_numbers

    def ranges(figures: Any) -> Any:
        return None if figures is None else range_numbers(figures.low, figures.high, assumptions)

    return (
        orjson.Fragment(orjson.dumps(assumptions_data(result, assumptions, catalogue))),
        ranges(result.subtotal),
        ranges(result.contingency),
        ranges(result.total),
    )
