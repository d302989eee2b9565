"""smtime's values: the catalogue, a scenario, its assumptions and an estimate, and every bound.

Plain immutable values (NamedTuples) with no imports from the rest of smtime. Files are
validated at the edge (``smtime.models``) and turned into these; the core, the renderers, the
batch and the CLI all work on them. Each bound on a number is a ``Bound`` defined here once,
read by the pydantic schemas, the command-line parsing and the core alike.

smtime's NamedTuples are made by ``NamedTuple`` below: ``typing.NamedTuple`` to type checkers,
and at run time a class with the same behaviour made without compiling code for each class
(a test holds the two to each other).
"""

import math
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from typing import NamedTuple as NamedTuple  # noqa: PLC0414 (re-exported to every module)
else:
    from collections import _tuplegetter  # the field accessor of collections.namedtuple

    _RESERVED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
        | {"_make", "_replace", "_asdict", "_source"}
    )

    def _bound(cls: type, args: tuple[Any, ...], given: dict[str, Any]) -> tuple[Any, ...]:
        """The values of a new ``cls`` from arguments bound as Python binds a function's: by
        position, then by name, then the defaults."""
        fields, defaults = cls._fields, cls._field_defaults
        values = list(args)
        named = 0
        for field in fields[len(args) :]:
            if field in given:
                values.append(given[field])
                named += 1
            elif field in defaults:
                values.append(defaults[field])
            else:
                raise _refusal(cls, args, given)
        if named != len(given) or len(args) > len(fields):
            raise _refusal(cls, args, given)
        return tuple(values)

    def _refusal(cls: type, args: tuple[Any, ...], given: dict[str, Any]) -> TypeError:
        """Why ``cls`` cannot be made of these arguments, in Python's own words: the error of
        the same class made by ``collections.namedtuple`` (made only then)."""
        from collections import namedtuple

        defaults = tuple(cls._field_defaults.values())
        same = namedtuple(cls.__name__, cls._fields, defaults=defaults)  # type: ignore[misc]
        try:
            same(*args, **given)
        except TypeError as exc:
            return exc
        return TypeError(f"{cls.__name__}.__new__() cannot take {args!r}, {given!r}")

    def _annotated(namespace: dict[str, Any]) -> dict[str, Any]:
        """The annotations of a class body, by name: from ``__annotations__``, or from the
        function that makes them where annotations are deferred (Python 3.14, as typing's
        NamedTuple reads them)."""
        if "__annotations__" in namespace:
            annotations: dict[str, Any] = namespace["__annotations__"]
            return annotations
        if sys.version_info >= (3, 14):  # pragma: no cover - deferred annotations
            import annotationlib

            annotate = annotationlib.get_annotate_from_class_namespace(namespace)
            if annotate is not None:
                return annotationlib.call_annotate_function(  # type: ignore[no-any-return]
                    annotate, annotationlib.Format.FORWARDREF
                )
        return {}

    def _constructor(name: str, size: int, defaults: tuple[Any, ...]) -> Any:
        """The ``__new__`` of a class of ``size`` fields, the last ones with ``defaults``:
        values by position (all of them, or all but some defaults) go straight into the
        tuple; anything else is bound by ``_bound``."""
        first_default = size - len(defaults)
        new = tuple.__new__

        def __new__(cls: type, /, *args: Any, **given: Any) -> Any:
            if not given:
                if len(args) == size:
                    return new(cls, args)
                if first_default <= len(args) < size:
                    return new(cls, args + defaults[len(args) - first_default :])
            return new(cls, _bound(cls, args, given))

        __new__.__qualname__ = f"{name}.__new__"
        return __new__

    _UNEXPECTED_FIELD = TypeError if sys.version_info >= (3, 13) else ValueError
    """What ``_replace`` raises for a name that is no field (TypeError since Python 3.13)."""

    def _make(cls: type, iterable: Any) -> Any:
        made = tuple.__new__(cls, iterable)
        if len(made) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
        return made

    def _replace(self: Any, /, **changes: Any) -> Any:
        made = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise _UNEXPECTED_FIELD(f"Got unexpected field names: {list(changes)!r}")
        return made

    def _repr(self: Any) -> str:
        pairs = zip(self._fields, self, strict=True)
        shown = ", ".join(f"{field}={value!r}" for field, value in pairs)
        return f"{type(self).__name__}({shown})"

    def _asdict(self: Any) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def _getnewargs(self: Any) -> tuple[Any, ...]:
        return tuple(self)

    class _NamedTupleType(type):
        """Makes each ``class X(NamedTuple)`` as ``typing.NamedTuple`` would (a tuple subclass
        with the annotated fields, their defaults, and the class body's methods), with
        methods shared by every class rather than a constructor compiled for each, as
        ``collections.namedtuple`` does (about a million machine instructions a class, at
        start-up)."""

        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
            if not bases:  # NamedTuple itself
                return super().__new__(mcls, name, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("can only inherit from a NamedTuple type")
            fields = tuple(_annotated(namespace))
            defaults: dict[str, Any] = {}
            for field in fields:
                if field.startswith("_"):
                    raise ValueError(f"Field names cannot start with an underscore: {field!r}")
                if field in namespace:
                    defaults[field] = namespace[field]
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {field} cannot follow default "
                        f"field{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                    )
            for key in namespace:
                if key in _RESERVED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            body = {key: value for key, value in namespace.items() if key not in defaults}
            body.update(
                __slots__=(),
                _fields=fields,
                _field_defaults=defaults,
                __match_args__=fields,
                __new__=_constructor(name, len(fields), tuple(defaults.values())),
                _make=classmethod(_make),
                _replace=_replace,
                _asdict=_asdict,
                __getnewargs__=_getnewargs,
            )
            if sys.version_info >= (3, 13):  # copy.replace, as collections.namedtuple's
                body["__replace__"] = _replace
            body.setdefault("__repr__", _repr)
            body.setdefault("__doc__", f"{name}({', '.join(fields)})")
            for index, field in enumerate(fields):
                body[field] = _tuplegetter(index, f"Alias for field number {index}")
            return type(name, (tuple,), body)

    class NamedTuple(metaclass=_NamedTupleType):
        """``typing.NamedTuple`` for smtime's values: ``class X(NamedTuple)`` makes the same
        class, faster."""


class OutOfBounds(ValueError):
    """A value smtime does not accept (not a number, or outside its bound); the message says
    which values are accepted."""


class NotANumber(OutOfBounds):
    """Text that holds no number at all (``abc``), as opposed to one written in a way smtime
    refuses (``1,234``)."""


class Bound(NamedTuple):
    """A closed range of accepted numbers (``above`` makes the lower end open)."""

    low: float
    high: float
    what: str
    """What the number is, for messages: ``"level"``, ``"contingency"``."""
    accepted: str
    """The accepted values in words: ``"a number from 0 (low) to 1 (high)"``."""
    above: bool = False
    percent: bool = False
    """The number is a percentage: typed, it may end with ``%`` (``10%``, ``10 %``)."""

    def holds(self, value: float) -> bool:
        """Whether ``value`` is a finite number within the bound."""
        if not math.isfinite(value):
            return False
        if self.above:
            return self.low < value <= self.high
        return self.low <= value <= self.high

    def check(self, value: object, what: str | None = None) -> float:
        """``value`` as a float, or ``OutOfBounds`` saying what is accepted."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise OutOfBounds(f"{what or self.what} must be {self.accepted}, not {value!r}")
        if not self.holds(value):
            raise OutOfBounds(f"{what or self.what} must be {self.accepted}, not {value:.15g}")
        return float(value)

    def read(self, value: object, what: str | None = None) -> float:
        """``value`` as a float within the bound: a number, or text as people type it
        (``read_number``); ``OutOfBounds`` saying why not, after ``what: `` when given."""
        if isinstance(value, str):
            typed = value.strip()
            try:
                value = read_number(typed, self)
            except OutOfBounds as exc:
                raise OutOfBounds(f"{what}: {exc}" if what else str(exc)) from None
            if not math.isfinite(value):  # digits beyond any float: say them, cut short
                shown = typed if len(typed) <= 20 else typed[:20] + "…"
                raise OutOfBounds(f"{what or self.what} must be {self.accepted}, not {shown}")
        return self.check(value, what)


# Patterns as text, compiled by ``re`` (and cached there) when first used: not at import.
_TYPED = r"([+-]?)([0-9]*)([.,]?)([0-9]*)((?:[eE][+-]?[0-9]+)?)"
_GROUPED = r"([+-]?)([0-9]{1,3}(?:([ ,.'\u00a0\u202f])[0-9]{3})(?:\3[0-9]{3})*)(?:([.,])([0-9]+))?"
"""Digits grouped by thousands (``1 234``, ``1.234,5``): sign, digits, separator, decimals."""


def read_number(text: str, bound: Bound | None = None) -> float:
    """The number ``text`` holds, as people type it: a decimal point or a decimal comma
    (``55.5``, ``55,5``), and a closing ``%`` (``10%``, ``10 %``) where ``bound`` is a
    percentage. ``OutOfBounds`` says why anything else is refused and what to write:
    ``1,234`` (a comma before three digits may separate thousands), digits grouped by
    thousands (``1 234``, ``1.234,5``), a percentage where ``bound`` is none, ``nan``.
    The bound itself is checked by ``Bound.read``."""
    typed = text.strip()
    percentage = typed.endswith("%")
    number = typed[:-1].rstrip() if percentage else typed
    match = re.fullmatch(_TYPED, number)
    if not match or not (match[2] or match[4]):
        grouped = re.fullmatch(_GROUPED, number)
        if grouped and grouped[4] != grouped[3]:
            sign, digits, separator, _, decimals = grouped.groups()
            plain = sign + digits.replace(separator, "") + (f".{decimals}" if decimals else "")
            raise OutOfBounds(
                f"{typed!r} groups digits by thousands, which smtime does not read: write {plain}"
            )
        example = "10, 12.5 or 12,5 %" if bound is not None and bound.percent else "55.5 or 55,5"
        raise NotANumber(f"{typed!r} is not a number: write a number such as {example}")
    sign, whole, comma, decimals, exponent = match.groups()
    if comma == "," and len(decimals) == 3 and 1 <= len(whole) <= 3 and whole.strip("0"):
        raise OutOfBounds(
            f"{typed!r} is ambiguous: the comma may separate thousands or decimals: "
            f"write {sign}{whole}{decimals} or {sign}{whole}.{decimals}"
        )
    value = float(f"{sign}{whole or 0}.{decimals or 0}{exponent}")
    if percentage and not (bound is not None and bound.percent):
        if bound is not None and bound.high <= 1:
            raise OutOfBounds(
                f"{typed!r} is a percentage, and {bound.what} is {bound.accepted}: "
                f"write {value / 100:g}"
            )
        what = f"{bound.what} is {bound.accepted}" if bound is not None else "write a plain number"
        raise OutOfBounds(f"{typed!r} is a percentage, which is not accepted here: {what}")
    return value


def to_step(value: float, step: float) -> float:
    """``value`` rounded to the nearest multiple of ``step``, halves up (1.125 → 1.25 for a
    quarter hour; 45 minutes → 60 in blocks of 30), as people round. The quotient is first
    rounded to 9 decimals, so that sums of seconds and hours read as minutes land on their
    half."""
    return math.floor(round(value / step, 9) + 0.5) * step


WEEK_HOURS = 168.0
"""Hours in a week."""
SAFE_INTEGER = 2**53
"""Whole numbers below this are exact as floats and in every JSON reader: written without a
fraction (``render.numbers.number``), and the largest a whole-number option is read to."""

LEVEL = Bound(0.0, 1.0, "level", "a number from 0 (low) to 1 (high)")
PERCENTILE = Bound(0.0, 100.0, "percentile", "a whole number from 0 to 100", percent=True)
CONTINGENCY = Bound(0.0, 1000.0, "contingency", "a percentage from 0 to 1000", percent=True)
RATE = Bound(0.0, 1e12, "the hourly rate", "a number from 0 to 1,000,000,000,000")
"""Costs stay finite numbers whatever the period and contingency."""
WEEKS_PER_YEAR = Bound(0.0, 53.0, "weeks per year", "above 0 and at most 53", above=True)
FULL_TIME_HOURS = Bound(1.0, WEEK_HOURS, "full-time hours", "from 1 to 168")
QUANTITY = Bound(0.0, 1_000_000.0, "quantity", "a number from 0 to 1,000,000")
"""How many units of a volume driver."""
HOURS = Bound(0.0, WEEK_HOURS, "hours", "a number of weekly hours from 0 to 168")
"""One person's hours in a week (a day's time in a tracker export)."""
BUDGET_HOURS = Bound(0.0, 1_000_000.0, "hours", "a number of weekly hours from 0 to 1,000,000")
"""A family's weekly hours in a catalogue, and fixed hours chosen for a family: an
organisation's, not one person's (200 hours a week is a team of about six). The bound is a
sanity bound, far above any real team (1,000,000 hours is some 28,000 people), so that every
figure stays finite."""
SCALED_HOURS = Bound(0.0, 1e9, "hours", "at most 1,000,000,000 hours a week")
"""The most weekly hours a family, or a catalogue's total, may reach once multiplied by the
drivers' quantities."""

CURRENCY = r"[A-Z]{3}"
"""An ISO 4217 code is three capital letters (``is_currency`` also asks Babel it exists)."""
SLUG = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
"""An id: lower-case ASCII letters and digits, words joined by '-' or '_'."""
SLUG_LENGTH = 64
TEXT_LENGTH = 2000


COMMON_CURRENCIES = frozenset(
    ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK")
)
"""Codes known without importing Babel (which costs start-up); a test holds Babel to them."""


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (three capitals that Babel knows)."""
    if code in COMMON_CURRENCIES:
        return True
    if not isinstance(code, str) or not re.fullmatch(CURRENCY, code):
        return False
    from babel.numbers import is_currency as known

    return bool(known(code))


def check_currency(code: str, what: str = "currency") -> str:
    """``code`` in capitals, or ``OutOfBounds`` when it is not a known ISO 4217 code."""
    upper = code.upper() if isinstance(code, str) else code
    if not is_currency(upper):
        raise OutOfBounds(
            f"{what}: {code!r} is not an ISO 4217 currency code (such as EUR, USD, GBP, CHF)"
        )
    return upper


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: ``Stratégie`` → ``strategie``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


# The catalogue ---------------------------------------------------------------------------------

Localized = Mapping[str, str]
"""Text by language code; ``"*"`` holds text given for every language."""

ANY_LANGUAGE = "*"


class Action(NamedTuple):
    """One action of a task family, such as "Brand and keyword monitoring"."""

    label: Localized


class Rhythm(StrEnum):
    """How a family's weekly time is cut in a plan: a little every day, one block, sessions."""

    DAILY = "daily"
    WEEKLY = "weekly"
    SESSIONS = "sessions"


class Family(NamedTuple):
    """A task family with its actions and its weekly hours under each hypothesis."""

    id: str
    label: Localized
    low: float
    high: float
    actions: tuple[Action, ...] = ()
    aliases: tuple[str, ...] = ()
    per: tuple[str, ...] = ()
    """Volume drivers: low and high are hours per unit of each, multiplied."""
    rhythm: Rhythm = Rhythm.SESSIONS
    priority: int | None = None
    """Where the family comes when a capacity cannot cover every family (1 first); families
    without one come after those with one, in catalogue order."""


class HypothesisText(NamedTuple):
    """How the catalogue names and describes one hypothesis."""

    label: Localized
    description: Localized


class Hypotheses(NamedTuple):
    """The two hypotheses of the method; ``mid`` lies halfway and needs no text."""

    low: HypothesisText
    high: HypothesisText


class Driver(NamedTuple):
    """A volume driver such as the number of networks, with its default quantity."""

    label: Localized
    default: float
    description: Localized | None = None


class Source(NamedTuple):
    """Where the figures come from."""

    title: str
    author: str | None = None
    url: str | None = None
    language: str | None = None
    description: Localized | None = None


class Catalogue(NamedTuple):
    """Task families with weekly hours under a low and a high hypothesis."""

    format: str
    version: str
    unit: str
    title: Localized
    source: Source
    hypotheses: Hypotheses
    drivers: Mapping[str, Driver]
    families: tuple[Family, ...]


Place = tuple[str | int, ...]
"""Where a value sits in a file: ``("families", 0, "high")``."""


def names(family: Family) -> list[str]:
    """Every name a family answers to: its id, its aliases and its labels."""
    return [family.id, *family.aliases, *family.label.values()]


class Flaw(NamedTuple):
    """Something wrong at ``place`` in a catalogue; ``other`` is a second place involved (the
    family that already uses a name)."""

    place: Place
    message: str
    other: Place | None = None


def catalogue_problems(catalogue: Catalogue) -> list[Flaw]:
    """What is wrong in a catalogue whose fields each have the right type: bounds, names
    shared by two families, unknown drivers, and totals beyond the sanity bound."""
    found = _value_problems(catalogue)
    found += name_problems(catalogue)
    for name, driver in catalogue.drivers.items():
        if not QUANTITY.holds(driver.default):
            found.append(Flaw(("drivers", name, "default"), f"must be {QUANTITY.accepted}"))
    if found:
        return found
    totals = catalogue_range(catalogue, default_quantities(catalogue))
    for hypothesis, total in (("low", totals.low), ("high", totals.high)):
        if not SCALED_HOURS.holds(total):
            found.append(
                Flaw(
                    ("families",),
                    f"the {hypothesis} hypothesis adds up to {total:,.0f} hours a week, "
                    f"more than the {SCALED_HOURS.high:,.0f} smtime accepts",
                )
            )
    return found


def _value_problems(catalogue: Catalogue) -> list[Flaw]:
    found: list[Flaw] = []
    if not catalogue.families:
        found.append(Flaw(("families",), "must not be empty: give at least one family"))
    for index, family in enumerate(catalogue.families):
        place: Place = ("families", index)
        if not (isinstance(family.id, str) and re.fullmatch(SLUG, family.id)):
            found.append(Flaw((*place, "id"), f"{family.id!r} is not a valid id"))
        for hypothesis in ("low", "high"):
            value = getattr(family, hypothesis)
            if not BUDGET_HOURS.holds(value):
                found.append(Flaw((*place, hypothesis), f"hours must be {BUDGET_HOURS.accepted}"))
        problem = range_problem(family.low, family.high)
        if problem is not None:
            found.append(Flaw((*place, "high"), problem))
    return found


def range_problem(low: float, high: float) -> str | None:
    """What is wrong with a family's ``low``–``high`` range, if anything (high below low)."""
    if high < low:
        return f"high ({high}) is lower than low ({low}): low must not exceed high"
    return None


def name_problems(catalogue: Catalogue) -> list[Flaw]:
    """Each name (id, alias, label) of a family, folded, must belong to that family only, and
    each driver it is multiplied by must be declared."""
    found: list[Flaw] = []
    owner: dict[str, tuple[int, str, Place]] = {}
    for index, family in enumerate(catalogue.families):
        named: list[tuple[Place, str, str]] = [(("id",), family.id, "id")]
        named += [(("aliases", n), alias, "alias") for n, alias in enumerate(family.aliases)]
        named += [
            (("label",) if code == ANY_LANGUAGE else ("label", code), text, "label")
            for code, text in family.label.items()
        ]
        for path, name, what in named:
            if not isinstance(name, str) or not name:
                continue  # a name of the wrong type, reported by the schema
            key = fold(name)
            place: Place = ("families", index, *path)
            if key in owner and owner[key][0] != index:
                _, other_name, other_place = owner[key]
                message = f"{what} {name!r} is already used by {other_name!r}"
                found.append(Flaw(place, message, other_place))
            owner.setdefault(key, (index, name, place))
        for n, driver in enumerate(family.per):
            if driver not in catalogue.drivers:
                known = ", ".join(catalogue.drivers) or "none: declare it under 'drivers'"
                message = f"unknown driver {driver!r} (known: {known})"
                found.append(Flaw(("families", index, "per", n), message))
    return found


def multiplier(family: Family, quantities: Mapping[str, float]) -> float:
    """The product of the quantities of the family's drivers (1 without drivers)."""
    return math.prod(quantities[name] for name in family.per)


def default_quantities(catalogue: Catalogue) -> dict[str, float]:
    """Each driver of the catalogue at its default quantity."""
    return {name: driver.default for name, driver in catalogue.drivers.items()}


def scaled_ranges(catalogue: Catalogue, quantities: Mapping[str, float]) -> "Iterator[Figures]":
    """Each family's weekly low–high range, multiplied by its drivers' ``quantities``."""
    for family in catalogue.families:
        factor = multiplier(family, quantities)
        yield Figures(family.low * factor, family.high * factor, None)


def catalogue_range(catalogue: Catalogue, quantities: Mapping[str, float]) -> "Figures":
    """The whole catalogue's weekly low–high range at the drivers' ``quantities``."""
    return add_up(list(scaled_ranges(catalogue, quantities)))


# A scenario ------------------------------------------------------------------------------------


class Hypothesis(StrEnum):
    """A named scenario: the low or high hypothesis of the method, or halfway between."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"

    @property
    def level(self) -> float:
        """0 for low, 0.5 for mid, 1 for high."""
        return _LEVELS[self.value]


_LEVELS = {"low": 0.0, "mid": 0.5, "high": 1.0}


class Period(StrEnum):
    """The period figures are given for."""

    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def interpolate(low: float, high: float, level: float) -> float:
    """The hours at ``level``: ``low`` at 0, ``high`` at 1, linear in between."""
    if level == 1.0:
        return high
    return low + level * (high - low)


class Choice(NamedTuple):
    """How a family's weekly hours are chosen: a hypothesis, a level, or fixed hours."""

    hypothesis: Hypothesis | None = None
    level: float | None = None
    hours: float | None = None

    @classmethod
    def of(cls, *, hypothesis: Hypothesis | None = None, level: float | None = None) -> "Choice":
        """A choice from one of a hypothesis and a level (``OutOfBounds`` for both or none)."""
        if hypothesis is not None and level is not None:
            raise OutOfBounds("give either --hypothesis or --level, not both")
        if hypothesis is not None:
            return cls(hypothesis=hypothesis, level=hypothesis.level)
        return cls(level=LEVEL.check(level if level is not None else math.nan))

    def weekly(self, low: float, high: float) -> float:
        """The weekly hours this choice gives a family whose range is ``low``–``high``."""
        if self.hours is not None:
            return self.hours
        return interpolate(low, high, self.level or 0.0)


_NO_CHOICES: Mapping[str, Choice] = MappingProxyType({})
_NO_QUANTITIES: Mapping[str, float] = MappingProxyType({})


class Capacity(NamedTuple):
    """The hours a week available for the work: ``hours`` in all, given as such or as
    ``people`` × ``per_person`` hours (``2x15h``)."""

    hours: float
    people: int | None = None
    per_person: float | None = None

    @classmethod
    def of(cls, hours: float, people: int | None = None) -> "Capacity":
        """``hours`` a week in all, or ``hours`` each for ``people`` people (``OutOfBounds``
        beyond the bounds: each person's week and the total's)."""
        if people is None:
            return cls(BUDGET_HOURS.check(hours, "capacity"))
        if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= 100_000:
            raise OutOfBounds(
                f"capacity: people must be a whole number from 1 to 100,000, not {people!r}"
            )
        each = HOURS.check(hours, "capacity: hours per person")
        return cls(BUDGET_HOURS.check(people * each, "capacity"), people, each)


class Scenario(NamedTuple):
    """What to estimate: a default choice for every family, per-family choices, a selection,
    driver quantities and a contingency share, and optionally the capacity available with
    the families' priority order. Family names may be in any case or accent."""

    default: Choice | None = None
    overrides: Mapping[str, Choice] = _NO_CHOICES
    only: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    drivers: Mapping[str, float] = _NO_QUANTITIES
    contingency: float | None = None
    capacity: Capacity | None = None
    priority: tuple[str, ...] = ()
    """Families named first (``--priority``), before the catalogue's own order."""

    @classmethod
    def of(cls, *, hypothesis: Hypothesis | None = None, level: float | None = None) -> "Scenario":
        """A scenario from at most one of a hypothesis and a level (none: the range only)."""
        if hypothesis is None and level is None:
            return cls()
        return cls(default=Choice.of(hypothesis=hypothesis, level=level))

    @property
    def hypothesis(self) -> Hypothesis | None:
        """The default hypothesis, if one was named."""
        return self.default.hypothesis if self.default else None

    @property
    def share(self) -> float:
        """The contingency as a share of the subtotal (0.1 for 10 %); 0 without one."""
        return (self.contingency or 0.0) / 100

    @property
    def level(self) -> float | None:
        """The default level, if a scenario was chosen."""
        return self.default.level if self.default else None


class Assumptions(NamedTuple):
    """How weekly hours become a period's hours, staff and cost."""

    period: Period = Period.WEEK
    weeks_per_year: float = 52.0
    full_time_hours: float = 35.0
    rate: float | None = None
    currency: str = "EUR"

    def checked(self) -> "Assumptions":
        """These assumptions, or ``OutOfBounds`` saying which value is out of range."""
        WEEKS_PER_YEAR.check(self.weeks_per_year)
        FULL_TIME_HOURS.check(self.full_time_hours)
        if self.rate is not None:
            RATE.check(self.rate)
        check_currency(self.currency)
        return self

    @property
    def cost_currency(self) -> str | None:
        """The currency costs are in: None without a rate, when there is no cost."""
        return None if self.rate is None else self.currency

    @property
    def weeks(self) -> float:
        """Weeks in the period: 1, a twelfth of the year, or the year."""
        if self.period is Period.YEAR:
            return self.weeks_per_year
        if self.period is Period.MONTH:
            return self.weeks_per_year / 12
        return 1.0

    @property
    def factors(self) -> "Factors":
        """What weekly hours are multiplied by to give hours over the period, full-time
        equivalents, and cost over the period (None without a rate)."""
        weeks = self.weeks
        return weeks, 1 / self.full_time_hours, None if self.rate is None else weeks * self.rate

    def figures(self, weekly: "Figures") -> "tuple[Figures, Figures, Figures | None]":
        """Hours over the period, full-time equivalents and cost (None without a rate)."""
        return scaled_figures(weekly, self.factors)

    def per_week(self, hours: float) -> tuple[float, float, float | None]:
        """What ``hours`` a week come to, as ``figures`` gives them for one value: hours over
        the period, full-time equivalents and cost (None without a rate)."""
        return scaled_hours(hours, self.factors)

    def in_period(self, weekly: "Figures") -> "Figures":
        """Hours over the period."""
        return weekly.scaled(self.factors[0])


Factors = tuple[float, float, float | None]
"""``Assumptions.factors``: weeks in the period, full-time equivalents per weekly hour, cost
per weekly hour over the period (None without a rate)."""


def scaled_figures(
    weekly: "Figures", factors: Factors
) -> "tuple[Figures, Figures, Figures | None]":
    """``weekly`` figures as hours over the period, full-time equivalents and cost (None
    without a rate): the rule of ``Assumptions.figures``, for factors worked out once."""
    weeks, per_fte, per_cost = factors
    cost = None if per_cost is None else weekly.scaled(per_cost)
    return weekly.scaled(weeks), weekly.scaled(per_fte), cost


def scaled_hours(hours: float, factors: Factors) -> tuple[float, float, float | None]:
    """``scaled_figures`` for one value: ``hours`` a week over the period, in full-time
    equivalents and in cost (None without a rate)."""
    weeks, per_fte, per_cost = factors
    return hours * weeks, hours * per_fte, None if per_cost is None else hours * per_cost


# Tracked time ----------------------------------------------------------------------------------


class Entry(NamedTuple):
    """Time logged once in a tracker: from ``start`` to ``end`` (None for a day's total of
    ``hours``), under ``names`` (tags, project, task or description)."""

    start: "datetime"
    hours: float
    names: tuple[str, ...]
    running: bool = False
    end: "datetime | None" = None


# An estimate -----------------------------------------------------------------------------------


class Figures(NamedTuple):
    """Low, high and chosen values of one line (chosen is None when no scenario applies)."""

    low: float
    high: float
    hours: float | None

    def scaled(self, factor: float) -> "Figures":
        """Every value multiplied by ``factor``."""
        return Figures(
            self.low * factor,
            self.high * factor,
            None if self.hours is None else self.hours * factor,
        )


def add_up(lines: "list[Figures]") -> Figures:
    """The sum of ``lines``: low, high, and the chosen hours when every line has them."""
    if not lines:
        return Figures(0.0, 0.0, 0.0)
    lows, highs, chosen = zip(*lines, strict=True)
    return Figures(math.fsum(lows), math.fsum(highs), None if None in chosen else math.fsum(chosen))


def with_contingency(figures: Figures, share: float) -> tuple[Figures, Figures]:
    """The contingency of ``figures`` at ``share`` (0.1 for 10 %), and the two added up: the
    rule of an estimate's contingency line, and of each family's part of it."""
    contingency = figures.scaled(share)
    return contingency, add_up([figures, contingency])


class FamilyEstimate(NamedTuple):
    """One family's weekly figures and how its chosen hours were set."""

    family: Family
    weekly: Figures
    choice: Choice | None
    overridden: bool = False
    multiplier: float = 1.0

    @property
    def low(self) -> float:
        return self.weekly.low

    @property
    def high(self) -> float:
        return self.weekly.high

    @property
    def hours(self) -> float | None:
        return self.weekly.hours


class LineKind(StrEnum):
    """What a line of an estimate is."""

    FAMILY = "family"
    SUBTOTAL = "subtotal"
    CONTINGENCY = "contingency"
    TOTAL = "total"


class EstimateLine(NamedTuple):
    """One line of an estimate as every renderer shows it: a family, the subtotal (only with
    a contingency), the contingency or the total, with its weekly figures."""

    kind: LineKind
    weekly: Figures
    row: FamilyEstimate | None = None
    """The family's estimate, on a family line."""


class Allotment(NamedTuple):
    """What a capacity gives one family: its weekly ``need`` (its hours with its share of
    the contingency) and the hours ``allotted`` to it, in priority order."""

    family: Family
    need: float
    allotted: float

    @property
    def status(self) -> str:
        """``kept`` (whole), ``reduced`` or ``dropped``."""
        if self.allotted >= self.need:
            return "kept"
        return "reduced" if self.allotted > 0 else "dropped"


class Coverage(NamedTuple):
    """A capacity against the weekly hours an estimate needs: the families in priority
    order, each kept whole while the capacity lasts, the first that does not fit reduced to
    what is left, the rest dropped."""

    capacity: Capacity
    need: float
    """The weekly hours to cover: the total's chosen hours (the low hypothesis without a
    scenario)."""
    allotments: tuple[Allotment, ...]

    @property
    def share(self) -> float:
        """The share of the need the capacity covers (1 when nothing is needed), at most 1."""
        return 1.0 if self.need <= 0 else min(1.0, self.capacity.hours / self.need)

    @property
    def shortfall(self) -> float:
        """Weekly hours the capacity lacks (0 when it is enough)."""
        return max(0.0, self.need - self.capacity.hours)

    @property
    def spare(self) -> float:
        """Weekly hours of capacity left over (0 when it is not enough)."""
        return max(0.0, self.capacity.hours - self.need)


class Estimate(NamedTuple):
    """Per-family weekly figures, their subtotal, the contingency line and the total; with
    a capacity, what it covers."""

    scenario: Scenario
    families: tuple[FamilyEstimate, ...]
    subtotal: Figures
    contingency: Figures | None
    total: Figures
    drivers: Mapping[str, float] = _NO_QUANTITIES
    coverage: Coverage | None = None

    @property
    def low(self) -> float:
        return self.total.low

    @property
    def high(self) -> float:
        return self.total.high

    @property
    def hours(self) -> float | None:
        return self.total.hours

    def lines(self) -> Iterator[EstimateLine]:
        """The families, then the subtotal and contingency (with a contingency), then the
        total: the lines of every table, CSV, Markdown, report and plan."""
        for row in self.families:
            yield EstimateLine(LineKind.FAMILY, row.weekly, row)
        if self.contingency is not None:
            yield EstimateLine(LineKind.SUBTOTAL, self.subtotal)
            yield EstimateLine(LineKind.CONTINGENCY, self.contingency)
        yield EstimateLine(LineKind.TOTAL, self.total)


class Breakdown(NamedTuple):
    """One family in detail: its hours and its share of the catalogue's total."""

    family: Family
    low: float
    high: float
    share_low: float
    share_high: float
