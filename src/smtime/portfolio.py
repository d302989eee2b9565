"""Estimating a portfolio: many profiles against catalogues loaded once, each profile's parts
worked out once for all the profiles that share them.

A portfolio's profiles differ in a few fields and share most: the catalogue and selection,
the period and rate, the hypothesis or level, the language. Each group of fields below is
validated and worked out by the same model, core and renderers as a single estimate, and the
result is memoised by the group's values. A profile whose groups are not all valid is
validated as a whole (``Portfolio.slow``), which reports every problem of the profile at
once, with the messages of a profile file.

``Portfolio.estimate`` gives a profile's estimate (for CSV); ``Portfolio.jsonl`` its JSON
Lines record, written from templates (``render.jsonl``) of each task, of the total lines and
of the record around them, memoised too, with only the profile's own numbers written anew.

Every memo is bounded (``MEMO_SIZE``, ``TASKS_SIZE``): a full memo starts again empty, so
memory stays flat however many profiles stream through.
"""

from __future__ import annotations

from collections.abc import Callable
from math import fsum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from smtime.core import (
    Assumptions,
    Choice,
    Estimate,
    FamilyEstimate,
    Kept,
    Prepared,
    Scenario,
    interpolate,
)
from smtime.errors import SmtimeError
from smtime.render.jsonl import join, numbers

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
TASKS_SIZE = 2 * MEMO_SIZE
"""Task texts kept at most: one per family, own choice, settings and language (and named
hypothesis, for the whole text it gives)."""

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

    catalogue: Catalogue
    scenario: Scenario
    prepared: Prepared
    lines: tuple[float, float, float | None]
    """What the subtotal, contingency and total lines' ranges depend on: the sums of the kept
    families' low and high weekly hours, and the contingency."""
    share: float | None
    """The contingency as a fraction of the subtotal (None without a contingency)."""
    text: bytes
    """The selection's part of the ``assumptions`` object: JSON text without its braces."""
    families: tuple[tuple[tuple[int, float, Choice | None], Kept, float, float], ...]
    """Each kept family with what its task's text depends on besides the settings, language
    and default (the family, its drivers' factor and its own choice), and its low and high
    weekly hours."""


class _Settings(NamedTuple):
    """A profile's period, staff and cost settings, with the factors and texts they give."""

    assumptions: Assumptions
    key: str | bytes
    weeks: float
    per_fte: float
    per_cost: float | None
    frame: tuple[bytes, ...]
    """The record's template: the texts around its ``profile``, ``line``, ``hypothesis``,
    ``level``, ``tasks``, ``subtotal``, ``contingency``, ``total`` and ``assumptions``."""
    text: bytes
    """The settings' part of the ``assumptions`` object: JSON text without its braces."""


class _Default(NamedTuple):
    """A profile's hypothesis or level, with the JSON texts it gives."""

    choice: Choice | None
    head: tuple[bytes, bytes]
    """The JSON texts of the record's ``hypothesis`` and ``level``."""
    text: bytes
    """The JSON text of a family's ``choice`` when the default applies to it."""


class _Task(NamedTuple):
    """A task's JSON text under given settings and language, as a template.

    ``after`` is None when the whole text is known (``before[0]``: the family has its own
    choice, or there is no default); ``weekly`` is then the family's weekly hours (None
    without a scenario). Otherwise the text is ``before`` around the hours over the period,
    the FTE and the cost (not without a rate), then the default's choice, then ``after``."""

    before: list[bytes]
    after: bytes | None
    weekly: float | None


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
        try:
            value = compute(*args)
        except (Bad, SmtimeError, ValueError):  # pydantic's ValidationError is a ValueError
            value = _INVALID
        _keep(memo, key, value)
    return value


def _keep(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """``value``, kept in ``memo`` for ``key``."""
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
        self._settings: dict[Any, Any] = {}
        self._defaults: dict[Any, Any] = {}
        self._langs: dict[Any, Any] = {}
        self._rows: dict[Any, Any] = {}
        self._tasks: dict[Any, dict[Any, _Task]] = {}
        """Task templates by settings, language and whether there is a default, then by
        family, factor and own choice."""
        self._task_count = 0
        self._lines: dict[Any, list[bytes]] = {}
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
        parts = self._parts(data)
        if parts is None:
            return self.slow(data)
        selection, settings, default, lang = parts
        memo = self._rows
        rows: list[FamilyEstimate] = []
        for kept in selection.prepared.kept:
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
        templates."""
        parts = self._parts(data)
        if parts is None:
            return self.jsonl_line(self.slow(data), line).encode()
        selection, settings, default, lang = parts
        frame = settings.frame
        # the texts around the profile's name, line, hypothesis and level, then the text after
        # the last slot so far
        constants = list(frame[:4])
        text = frame[4] + b"["
        values: list[float] = []
        hours: list[float] = []
        text, complete = self._tasks_text(
            selection, settings, lang, default, text, constants, values, hours
        )
        # the language only names the contingency line
        wording = None if selection.share is None else lang
        lines_key = (selection.lines, settings.key, wording, complete)
        lines = self._lines.get(lines_key) or _keep(
            self._lines, lines_key, self._lines_text(selection, settings, lang, complete)
        )
        text += b"]" + lines[0]
        if complete:
            _line_values(values, fsum(hours), selection.share, settings)
            constants.append(text)
            constants += lines[1:-1]
            text = lines[-1]
        texts = numbers(values)
        if texts is None:
            return self.jsonl_line(self.estimate(data), line).encode()
        constants.append(
            b"%s%s{%s,%s}%s\n" % (text, frame[8], settings.text, selection.text, frame[9])
        )
        name = orjson.dumps(data.get("name"))
        return join(constants, [name, b"%d" % line, *default.head, *texts])

    def _tasks_text(
        self,
        selection: _Selection,
        settings: _Settings,
        lang: str,
        default: _Default,
        text: bytes,
        constants: list[bytes],
        values: list[float],
        hours: list[float],
    ) -> tuple[bytes, bool]:
        """Add each task to a record being written: its text to ``constants`` (and to
        ``text``, the text after the record's last slot so far), the numbers of its slots to
        ``values``, its weekly hours to ``hours``. Returns the text after the last slot, and
        whether every task has hours (``complete``)."""
        weeks, per_fte, per_cost = settings.weeks, settings.per_fte, settings.per_cost
        choice = default.choice
        level = 0.0 if choice is None else choice.level or 0.0  # as Choice.weekly reads it
        complete = True
        context = (settings.key, lang, choice is None)
        memo = self._tasks.get(context)
        if memo is None:
            memo = self._remember_context(context)
        separator = b""
        hypothesis = None if choice is None else choice.hypothesis
        for base, kept, low, high in selection.families:
            task = memo.get(base)
            if task is None:
                task = self._task(kept, settings, lang, choice)
                memo = self._remember_task(context, memo, base, task)
            if hypothesis is not None and task[1] is not None:
                # a named hypothesis gives the same whole text every time
                whole = memo.get((base, hypothesis))
                if whole is None:
                    whole = self._task(kept, settings, lang, choice, whole=True)
                    memo = self._remember_task(context, memo, (base, hypothesis), whole)
                task = whole
            before, after, weekly = task
            if after is None:
                text += separator + before[0]
                if weekly is None:
                    complete = False
                else:
                    hours.append(weekly)
            else:
                weekly = interpolate(low, high, level)
                hours.append(weekly)
                values += (weekly * weeks, weekly * per_fte)
                if per_cost is not None:
                    values.append(weekly * per_cost)
                constants.append(text + separator + before[0])
                constants += before[1:-1]
                text = before[-1] + default.text + after
            separator = b","
        return text, complete

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
            self._selections, key, self._selection, data
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

    def _selection(self, data: dict[str, Any]) -> _Selection:
        from smtime.core import check_percent, prepare
        from smtime.options import Asked, combine
        from smtime.render.json import selection_data
        from smtime.render.jsonl import template

        profile = _part(data, SELECTION)
        cat = self.catalogue(profile)
        _check_names(profile, cat)
        scenario = combine(Asked(), profile).scenario
        prepared = prepare(cat, scenario)
        contingency = scenario.contingency
        share = None if contingency is None else check_percent(contingency, "contingency") / 100
        sums = (fsum(k.low for k in prepared.kept), fsum(k.high for k in prepared.kept))
        text = template(selection_data(scenario, prepared.drivers, prepared.kept, cat))[0]
        families = tuple(
            ((id(k.family), k.factor, k.override), k, k.low, k.high) for k in prepared.kept
        )
        lines = (*sums, contingency)
        return _Selection(cat, scenario, prepared, lines, share, text[1:-1], families)

    def _remember_context(self, context: Any) -> dict[Any, _Task]:
        """A new, empty memo of the tasks of ``context``."""
        if len(self._tasks) >= MEMO_SIZE:
            self._tasks.clear()
            self._task_count = 0
        memo: dict[Any, _Task] = {}
        self._tasks[context] = memo
        return memo

    def _remember_task(
        self, context: Any, memo: dict[Any, _Task], base: Any, task: _Task
    ) -> dict[Any, _Task]:
        """Keep ``task`` in ``memo`` (the tasks of ``context``); past ``TASKS_SIZE`` tasks in
        all, every context starts again empty. Returns the memo of ``context``."""
        self._task_count += 1
        if self._task_count > TASKS_SIZE:
            self._tasks.clear()
            self._task_count = 1
            memo = self._remember_context(context)
        memo[base] = task
        return memo

    def _task(
        self,
        kept: Kept,
        settings: _Settings,
        lang: str,
        default: Choice | None,
        *,
        whole: bool = False,
    ) -> _Task:
        """The template of a kept family's task (see ``_Task``); its whole text if ``whole``."""
        from smtime.render.json import task_data
        from smtime.render.jsonl import SLOT, template

        row = kept.row(default)
        data = task_data(row, lang, settings.assumptions)
        if kept.override is not None or default is None or whole:
            return _Task(template(data), None, row.hours)
        _slotted(data)["choice"] = SLOT
        pieces = template(data)
        return _Task(pieces[:-1], pieces[-1], None)

    def _lines_text(
        self, selection: _Selection, settings: _Settings, lang: str, complete: bool
    ) -> list[bytes]:
        """The template of the subtotal, contingency and total lines, from the frame's
        ``subtotal`` key to its ``assumptions`` key; slots for their hours, FTE and cost when
        ``complete``."""
        from smtime.core import totals
        from smtime.render.json import contingency_data, line_data
        from smtime.render.jsonl import template

        kept = selection.prepared.kept
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
    sums: tuple[float, ...]
    if share is None:
        sums = (subtotal, subtotal)  # the subtotal and the total
    else:
        contingency = subtotal * share
        sums = (subtotal, contingency, fsum((subtotal, contingency)))
    weeks, per_fte, per_cost = settings.weeks, settings.per_fte, settings.per_cost
    for weekly in sums:
        values += (weekly * weeks, weekly * per_fte)
        if per_cost is not None:
            values.append(weekly * per_cost)


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


def _part(data: dict[str, Any], fields: tuple[str, ...]) -> Profile:
    """A profile of only ``fields`` of ``data``, validated."""
    from smtime.models import Profile

    return Profile.model_validate({k: data[k] for k in fields if k in data})


def _settings(data: dict[str, Any], key: str | bytes) -> _Settings:
    """The settings of ``data``, whose ``_key`` of ``ASSUMPTIONS`` is ``key``."""
    from smtime.options import Asked, combine
    from smtime.render.json import estimate_object, head_data, settings_data
    from smtime.render.jsonl import SLOT, template

    profile = _part(data, ASSUMPTIONS)
    _check_names(profile, None)
    assumptions = combine(Asked(), profile).assumptions
    weeks, per_fte, per_cost = assumptions.factors
    head = {**head_data(Scenario(), assumptions), "hypothesis": SLOT, "level": SLOT}
    record = {
        "profile": SLOT,
        "line": SLOT,
        **estimate_object(head, SLOT, SLOT, SLOT, SLOT),
        "assumptions": SLOT,
    }
    frame = tuple(template(record))
    text = template(settings_data(assumptions))[0][1:-1]
    return _Settings(assumptions, key, weeks, per_fte, per_cost, frame, text)


def _default(data: dict[str, Any]) -> _Default:
    from smtime.core import FamilyEstimate, Figures
    from smtime.options import Asked, combine
    from smtime.render.json import choice_data, head_data

    choice = combine(Asked(), _part(data, DEFAULT)).scenario.default
    head = head_data(Scenario(default=choice), Assumptions())
    row = FamilyEstimate(None, Figures(0.0, 0.0, None), choice)  # type: ignore[arg-type]
    return _Default(
        choice,
        (orjson.dumps(head["hypothesis"]), orjson.dumps(head["level"])),
        orjson.dumps(choice_data(row)),
    )


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
