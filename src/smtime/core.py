"""The estimation: pure functions on catalogue models. No I/O, no typer, rich or yaml here.

The core reads catalogues through their attributes only (``families``, ``drivers``, and each
family's ``id``, ``label``, ``low``, ``high``, ``per`` and ``aliases``), so it works on the
pydantic models and on any object of the same shape.

Its NamedTuples keep real (unquoted) annotations: quoted ones are compiled one by one at import,
which costs smtime's start-up more than the rest of this module.
"""

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from smtime.errors import UnknownFamilyError, UsageError

if TYPE_CHECKING:
    from smtime.models import Catalogue, Family

MAX_WEEKLY_HOURS = 168.0
MAX_SCALED_HOURS = 1e9
"""The most weekly hours a family may reach once multiplied by its drivers' quantities."""
MAX_RATE = 1e12
"""The highest hourly rate: costs stay finite numbers whatever the period and contingency."""


class Hypothesis(StrEnum):
    """A named scenario: the low or high hypothesis of the method, or halfway between."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"

    @property
    def level(self) -> float:
        """0 for low, 0.5 for mid, 1 for high."""
        return {"low": 0.0, "mid": 0.5, "high": 1.0}[self.value]


class Period(StrEnum):
    """The period figures are given for."""

    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def check_level(level: float) -> float:
    """A level must be a number from 0 to 1."""
    if not (math.isfinite(level) and 0.0 <= level <= 1.0):
        raise UsageError(f"level must be a number from 0 (low) to 1 (high), not {level}")
    return float(level)


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
        """A choice from at most one of a hypothesis and a level."""
        if hypothesis is not None and level is not None:
            raise UsageError("give either --hypothesis or --level, not both")
        if hypothesis is not None:
            return cls(hypothesis=hypothesis, level=hypothesis.level)
        return cls(level=check_level(level if level is not None else math.nan))

    def weekly(self, low: float, high: float) -> float:
        """The weekly hours this choice gives a family whose range is ``low``–``high``."""
        if self.hours is not None:
            return self.hours
        return interpolate(low, high, self.level or 0.0)


_HOURS_PATTERN = (
    r"^\s*(?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?)?\s*(?P<hm>\d+)?(?:\s*m(?:in)?)?"
    r"|(?P<m>\d+(?:[.,]\d+)?)\s*m(?:in(?:utes?)?)?)\s*$"
)

CHOICE_HELP = "low, mid, high, a level from 0 to 1, or weekly hours such as 1.5h, 1h30 or 90min"


def parse_choice(value: str | float) -> Choice:
    """Read ``low``, ``mid``, ``high``, a level such as ``0.7``, or hours such as ``1.5h``."""
    if isinstance(value, bool):
        raise UsageError(f"invalid value {value!r}: expected {CHOICE_HELP}")
    if isinstance(value, int | float):
        if not (math.isfinite(value) and 0 <= value <= 1):
            hint = f" (for fixed hours write {value:g}h)" if math.isfinite(value) else ""
            raise UsageError(f"level {value:g} is not between 0 and 1{hint}")
        return Choice(level=float(value))
    text = value.strip().lower()
    if text in Hypothesis._value2member_map_:
        hypothesis = Hypothesis(text)
        return Choice(hypothesis=hypothesis, level=hypothesis.level)
    match = re.match(_HOURS_PATTERN, text, re.IGNORECASE)
    if match:
        if match["m"] is not None:
            hours = float(match["m"].replace(",", ".")) / 60
        else:
            hours = float(match["h"].replace(",", ".")) + int(match["hm"] or 0) / 60
        if hours > MAX_WEEKLY_HOURS:
            raise UsageError(f"{value!r} is more than the {MAX_WEEKLY_HOURS:g} hours of a week")
        return Choice(hours=hours)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise UsageError(f"invalid value {value!r}: expected {CHOICE_HELP}") from None
    return parse_choice(number)


_NO_CHOICES: Mapping[str, Choice] = MappingProxyType({})
_NO_QUANTITIES: Mapping[str, float] = MappingProxyType({})


class Scenario(NamedTuple):
    """What to estimate: a default choice for every family, per-family choices, a selection,
    driver quantities and a contingency share. Family ids may be given in any case or accent."""

    default: Choice | None = None
    overrides: Mapping[str, Choice] = _NO_CHOICES
    only: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    drivers: Mapping[str, float] = _NO_QUANTITIES
    contingency: float | None = None

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
    def level(self) -> float | None:
        """The default level, if a scenario was chosen."""
        return self.default.level if self.default else None


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


def _sum(rows: Iterable[Figures]) -> Figures:
    rows = list(rows)
    chosen = [r.hours for r in rows]
    return Figures(
        math.fsum(r.low for r in rows),
        math.fsum(r.high for r in rows),
        None if any(h is None for h in chosen) else math.fsum(h or 0.0 for h in chosen),
    )


class FamilyEstimate(NamedTuple):
    """One family's weekly figures and how its chosen hours were set."""

    family: "Family"
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


class Estimate(NamedTuple):
    """Per-family weekly figures, their subtotal, the contingency line and the total."""

    scenario: Scenario
    families: tuple[FamilyEstimate, ...]
    subtotal: Figures
    contingency: Figures | None
    total: Figures
    drivers: Mapping[str, float] = _NO_QUANTITIES

    @property
    def low(self) -> float:
        return self.total.low

    @property
    def high(self) -> float:
        return self.total.high

    @property
    def hours(self) -> float | None:
        return self.total.hours


def driver_quantities(catalogue: "Catalogue", given: Mapping[str, float]) -> dict[str, float]:
    """The catalogue's default driver quantities, updated with ``given`` (names checked)."""
    quantities = {name: d.default for name, d in catalogue.drivers.items()}
    for name, value in given.items():
        key = fold(name)
        known = {fold(n): n for n in quantities}
        if key not in known:
            names = ", ".join(quantities) or "none: this catalogue has no drivers"
            raise UsageError(f"unknown driver {name!r} (known drivers: {names})")
        if not (math.isfinite(value) and 0 <= value <= 1_000_000):
            raise UsageError(f"driver {name!r}: quantity must be from 0 to 1,000,000, not {value}")
        quantities[known[key]] = float(value)
    return quantities


def multiplier(family: "Family", quantities: Mapping[str, float]) -> float:
    """The product of the quantities of the family's drivers (1 without drivers)."""
    return math.prod(quantities[name] for name in family.per)


def select(catalogue: "Catalogue", scenario: Scenario) -> "list[Family]":
    """The families kept by ``--only`` and ``--exclude``, in catalogue order."""
    wanted = {find_family(catalogue, q).id for q in scenario.only} if scenario.only else None
    dropped = {find_family(catalogue, q).id for q in scenario.exclude}
    kept = [
        f for f in catalogue.families if (wanted is None or f.id in wanted) and f.id not in dropped
    ]
    if not kept:
        raise UsageError("--only and --exclude leave no family to estimate")
    return kept


class Kept(NamedTuple):
    """A family kept by the scenario's selection, its range multiplied by its drivers."""

    family: "Family"
    low: float
    high: float
    factor: float
    override: Choice | None
    """The family's own choice (``--set``), if any; else the scenario's default applies."""

    def row(self, default: Choice | None) -> FamilyEstimate:
        """The family's figures under ``default`` (unless the family has its own choice)."""
        choice = default if self.override is None else self.override
        hours = None if choice is None else choice.weekly(self.low, self.high)
        return FamilyEstimate(
            self.family,
            Figures(self.low, self.high, hours),
            choice,
            self.override is not None,
            self.factor,
        )


class Prepared(NamedTuple):
    """Everything an estimate needs that the default hypothesis or level does not change:
    the selected families, their choices of their own and the driver quantities."""

    kept: tuple[Kept, ...]
    drivers: Mapping[str, float]


def prepare(catalogue: "Catalogue", scenario: Scenario) -> Prepared:
    """The families ``scenario`` keeps, with their multiplied ranges and own choices.

    Only the selection, the per-family choices and the drivers of ``scenario`` are read: one
    preparation serves every default hypothesis or level.
    """
    overrides = {find_family(catalogue, q).id: c for q, c in scenario.overrides.items()}
    quantities = driver_quantities(catalogue, scenario.drivers)
    kept = []
    for family in select(catalogue, scenario):
        factor = multiplier(family, quantities)
        if not family.high * factor <= MAX_SCALED_HOURS:
            raise UsageError(
                f"the driver quantities take {family.id}'s hours beyond {MAX_SCALED_HOURS:g} a week"
            )
        kept.append(
            Kept(
                family, family.low * factor, family.high * factor, factor, overrides.get(family.id)
            )
        )
    return Prepared(tuple(kept), quantities)


def totals(
    scenario: Scenario, rows: tuple[FamilyEstimate, ...], drivers: Mapping[str, float]
) -> Estimate:
    """The estimate made of ``rows``: their subtotal, the contingency line and the total."""
    subtotal = _sum(r.weekly for r in rows)
    contingency = None
    if scenario.contingency is not None:
        contingency = subtotal.scaled(check_percent(scenario.contingency, "contingency") / 100)
    total = subtotal if contingency is None else _sum((subtotal, contingency))
    return Estimate(scenario, rows, subtotal, contingency, total, drivers)


def estimate(*, catalogue: "Catalogue", scenario: Scenario) -> Estimate:
    """Weekly hours of the selected families under ``scenario``, with contingency and totals."""
    prepared = prepare(catalogue, scenario)
    rows = tuple(kept.row(scenario.default) for kept in prepared.kept)
    return totals(scenario, rows, prepared.drivers)


def check_percent(value: float, name: str) -> float:
    """A percentage from 0 to 1000."""
    if not (math.isfinite(value) and 0 <= value <= 1000):
        raise UsageError(f"{name} must be a percentage from 0 to 1000, not {value}")
    return value


class Assumptions(NamedTuple):
    """How weekly hours become a period's hours, staff and cost."""

    period: Period = Period.WEEK
    weeks_per_year: float = 52.0
    full_time_hours: float = 35.0
    rate: float | None = None
    currency: str = "EUR"

    def checked(self) -> "Assumptions":
        """These assumptions, or a ``UsageError`` saying which value is out of range."""
        if not (math.isfinite(self.weeks_per_year) and 0 < self.weeks_per_year <= 53):
            raise UsageError(
                f"weeks per year must be above 0 and at most 53, not {self.weeks_per_year}"
            )
        if not (math.isfinite(self.full_time_hours) and 1 <= self.full_time_hours <= 168):
            raise UsageError(f"full-time hours must be from 1 to 168, not {self.full_time_hours}")
        if self.rate is not None and not (math.isfinite(self.rate) and 0 <= self.rate <= MAX_RATE):
            raise UsageError(
                f"the hourly rate must be a number from 0 to {MAX_RATE:,.0f}, not {self.rate}"
            )
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise UsageError(
                f"currency must be an ISO 4217 code such as EUR, not {self.currency!r}"
            )
        return self

    @property
    def weeks(self) -> float:
        """Weeks in the period: 1, a twelfth of the year, or the year."""
        if self.period is Period.YEAR:
            return self.weeks_per_year
        if self.period is Period.MONTH:
            return self.weeks_per_year / 12
        return 1.0

    @property
    def factors(self) -> tuple[float, float, float | None]:
        """What weekly hours are multiplied by to give hours over the period, full-time
        equivalents, and cost over the period (None without a rate)."""
        weeks = self.weeks
        return weeks, 1 / self.full_time_hours, None if self.rate is None else weeks * self.rate

    def in_period(self, weekly: Figures) -> Figures:
        """Hours over the period."""
        return weekly.scaled(self.factors[0])

    def fte(self, weekly: Figures) -> Figures:
        """Full-time equivalents: weekly hours over full-time weekly hours."""
        return weekly.scaled(self.factors[1])

    def cost(self, weekly: Figures) -> Figures | None:
        """Cost over the period at the hourly rate, or None without a rate."""
        factor = self.factors[2]
        return None if factor is None else weekly.scaled(factor)


class Breakdown(NamedTuple):
    """One family in detail: its hours and its share of the catalogue's total."""

    family: "Family"
    low: float
    high: float
    share_low: float
    share_high: float


def breakdown(
    *, catalogue: "Catalogue", family: "Family", drivers: Mapping[str, float] | None = None
) -> Breakdown:
    """``family``'s weekly hours and its fraction of the total under each hypothesis."""
    quantities = driver_quantities(catalogue, drivers or {})
    factors = {f.id: multiplier(f, quantities) for f in catalogue.families}
    total_low = math.fsum(f.low * factors[f.id] for f in catalogue.families)
    total_high = math.fsum(f.high * factors[f.id] for f in catalogue.families)
    low, high = family.low * factors[family.id], family.high * factors[family.id]
    return Breakdown(
        family=family,
        low=low,
        high=high,
        share_low=low / total_low if total_low else 0.0,
        share_high=high / total_high if total_high else 0.0,
    )


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: ``Stratégie`` → ``strategie``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def names(family: "Family") -> list[str]:
    """Every name a family answers to: its id, its aliases and its labels."""
    return [family.id, *family.aliases, *family.label.values()]


_INDEXES: dict[int, tuple[object, dict[str, "Family"]]] = {}


def _index(catalogue: "Catalogue") -> dict[str, "Family"]:
    """Every folded name of every family, built once per catalogue (catalogues do not change)."""
    cached = _INDEXES.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    index: dict[str, Family] = {}
    for family in catalogue.families:
        for name in names(family):
            index.setdefault(fold(name), family)
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(catalogue)] = (catalogue, index)
    return index


def find_family(catalogue: "Catalogue", query: str) -> "Family":
    """The family whose id, alias or label matches ``query`` regardless of case and accents."""
    found = _index(catalogue).get(fold(query))
    if found is not None:
        return found
    by_fold: dict[str, str] = {}
    for family in catalogue.families:
        for name in (family.id, *family.aliases):
            by_fold.setdefault(fold(name), family.id)
    close = difflib.get_close_matches(fold(query), list(by_fold), n=3, cutoff=0.5)
    suggestions = list(dict.fromkeys(by_fold[c] for c in close))
    raise UnknownFamilyError(query, suggestions, [f.id for f in catalogue.families])
