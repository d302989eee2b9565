"""The estimation: pure functions on ``smtime.domain`` values. No I/O, no typer, rich or yaml.

Choosing families (``select``), their ranges multiplied by drivers (``prepare``), the hours of
each under a choice and the totals (``estimate``, ``totals``), what a capacity covers
(``cover``, in ``priority_order``), one family's share (``breakdown``), and finding a family by
any of its names (``find_family``).
"""

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from smtime.domain import (
    BUDGET_HOURS,
    CONTINGENCY,
    LEVEL,
    QUANTITY,
    SCALED_HOURS,
    Allotment,
    Breakdown,
    Capacity,
    Catalogue,
    Choice,
    Coverage,
    Estimate,
    Family,
    FamilyEstimate,
    Figures,
    Hypothesis,
    NamedTuple,
    NotANumber,
    OutOfBounds,
    Scenario,
    add_up,
    catalogue_range,
    default_quantities,
    fold,
    multiplier,
    read_number,
    with_contingency,
)
from smtime.errors import UnknownFamilyError, UsageError

_HOURS_PATTERN = (
    r"^\s*(?:(?P<h>[0-9.,]+)\s*h(?:ours?)?\s*(?P<hm>[0-9]+)?(?:\s*m(?:in)?)?"
    r"|(?P<m>[0-9.,]+)\s*m(?:in(?:utes?)?)?)\s*$"
)

CHOICE_HELP = "low, mid, high, a level from 0 to 1, or weekly hours such as 1.5h, 1h30 or 90min"


CAPACITY_HELP = "weekly hours such as 6 or 6h, or people × hours each such as 2x15h"
_CAPACITY_PATTERN = (
    r"^\s*(?:(?P<people>[0-9]+)\s*[x×*]\s*)?(?P<hours>[0-9.,]+)\s*(?:h(?:ours?)?)?\s*$"
)


def parse_capacity(value: object) -> Capacity:
    """Read a capacity: weekly hours (``6``, ``6h``, ``6,5``) or people × hours each
    (``2x15h``, ``2 × 7,5``); numbers are read by ``domain.read_number``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return checked(Capacity.of, value)
    match = re.match(_CAPACITY_PATTERN, value, re.IGNORECASE) if isinstance(value, str) else None
    if match is None:
        raise UsageError(f"invalid capacity {value!r}: expected {CAPACITY_HELP}")
    try:
        hours = read_number(match["hours"])
    except NotANumber:
        raise UsageError(f"invalid capacity {value!r}: expected {CAPACITY_HELP}") from None
    except OutOfBounds as exc:
        raise UsageError(str(exc)) from None
    people = int(match["people"]) if match["people"] else None
    return checked(Capacity.of, hours, people)


def parse_choice(value: object) -> Choice:
    """Read ``low``, ``mid``, ``high``, a level such as ``0.7`` (or ``0,7``), or hours such as
    ``1.5h`` (or ``1,5h``); numbers are read by ``domain.read_number``."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        shown = "nothing (null)" if value is None else repr(value)
        raise UsageError(f"invalid value {shown}: expected {CHOICE_HELP}")
    if isinstance(value, int | float):
        if not LEVEL.holds(value):
            hint = f" (for fixed hours write {value:g}h)" if math.isfinite(value) else ""
            raise UsageError(f"level {value:g} is not between 0 and 1{hint}")
        return Choice(level=float(value))
    text = value.strip().lower()
    if text in Hypothesis._value2member_map_:
        hypothesis = Hypothesis(text)
        return Choice(hypothesis=hypothesis, level=hypothesis.level)
    try:
        match = re.match(_HOURS_PATTERN, text, re.IGNORECASE)
        if match:
            if match["m"] is not None:
                hours = read_number(match["m"]) / 60
            else:
                hours = read_number(match["h"]) + int(match["hm"] or 0) / 60
            if not BUDGET_HOURS.holds(hours):
                limit = f"{BUDGET_HOURS.high:,.0f} hours allowed"
                raise UsageError(f"{value!r} is more than the {limit}")
            return Choice(hours=hours)
        number = read_number(text, LEVEL)
    except NotANumber:
        raise UsageError(f"invalid value {value!r}: expected {CHOICE_HELP}") from None
    except OutOfBounds as exc:
        raise UsageError(str(exc)) from None
    return parse_choice(number)


def closest(name: str, known: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The known name nearest to ``name`` (by difflib, case aside), if one is near enough:
    the "did you mean" of every message about a name."""
    found = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=cutoff)
    return found[0] if found else None


def either(names: Sequence[str]) -> str:
    """``a, b or c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def refused_name(name: str, accepted: Sequence[str]) -> str:
    """Why ``name`` is refused among ``accepted`` (a few fixed names: low, mid, high): those
    accepted, and the nearest one when there is one (nearer than usual for a name with the
    same first letter: ``medium`` → ``mid``, but not ``de`` → ``es``)."""
    initial = [known for known in accepted if known[:1] == name[:1].lower()]
    close = closest(name, accepted) or closest(name, initial, cutoff=0.4)
    hint = f": did you mean {close!r}?" if close else ""
    return f"{name!r} is not one of {', '.join(accepted)}{hint}"


def driver_quantities(catalogue: Catalogue, given: Mapping[str, float]) -> dict[str, float]:
    """The catalogue's default driver quantities, updated with ``given`` (names checked)."""
    quantities = default_quantities(catalogue)
    for name, value in given.items():
        key = fold(name)
        known = {fold(n): n for n in quantities}
        if key not in known:
            names = ", ".join(quantities) or "none: this catalogue has no drivers"
            raise UsageError(f"unknown driver {name!r} (known drivers: {names})")
        quantities[known[key]] = checked(QUANTITY.check, value, f"driver {name!r}: quantity")
    return quantities


T = TypeVar("T")


def checked(check: Callable[..., T], *args: Any) -> T:
    """``check(*args)``, a value outside a bound (``OutOfBounds``) turned into a usage error."""
    try:
        return check(*args)
    except OutOfBounds as exc:
        raise UsageError(str(exc)) from None


def select(catalogue: Catalogue, scenario: Scenario) -> list[Family]:
    """The families kept by ``--only`` and ``--exclude``, in catalogue order."""
    wanted = {find_family(catalogue, q).id for q in scenario.only} if scenario.only else None
    dropped = {find_family(catalogue, q).id for q in scenario.exclude}
    kept = [
        f for f in catalogue.families if (wanted is None or f.id in wanted) and f.id not in dropped
    ]
    if not kept:
        raise UsageError("--only and --exclude leave no family to estimate")
    return kept


class Selected(NamedTuple):
    """A family kept by the scenario's selection, its range multiplied by its drivers."""

    family: Family
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


class Selection(NamedTuple):
    """Everything an estimate needs that the default hypothesis or level does not change:
    the selected families, their choices of their own, the driver quantities and the order
    in which a capacity covers the families (their ids)."""

    families: tuple[Selected, ...]
    drivers: Mapping[str, float]
    priority: tuple[str, ...] = ()


def priority_order(
    catalogue: Catalogue, families: list[Family], named: Sequence[str]
) -> tuple[str, ...]:
    """The ids of ``families`` in the order a capacity covers them: those ``named`` first
    (``--priority``, in its order), then by the catalogue's ``priority`` (1 first), then
    those without one, in catalogue order."""
    kept = {f.id for f in families}
    first: list[str] = []
    for name in named:
        found = find_family(catalogue, name).id
        if found in kept and found not in first:
            first.append(found)
    rest = sorted(
        (f for f in families if f.id not in first),
        key=lambda f: (f.priority is None, f.priority or 0),
    )
    return (*first, *(f.id for f in rest))


def cover(
    rows: Sequence[FamilyEstimate], estimate: Estimate, order: Sequence[str]
) -> Coverage | None:
    """What the scenario's capacity covers of ``estimate`` (None without a capacity): each
    family needs its chosen hours (its low ones without a scenario) with its share of the
    contingency; in ``order``, each is kept whole while the capacity lasts, the first that
    does not fit gets what is left, the rest nothing."""
    capacity = estimate.scenario.capacity
    if capacity is None:
        return None
    share = estimate.scenario.share
    by_id = {row.family.id: row for row in rows}
    left = capacity.hours
    allotments = []
    for family_id in order:
        row = by_id[family_id]
        hours = row.low if row.hours is None else row.hours
        need = with_contingency(Figures(hours, hours, None), share)[1].low
        allotted = min(need, left)
        left -= allotted
        allotments.append(Allotment(row.family, need, allotted))
    total = estimate.total
    need = total.low if total.hours is None else total.hours
    return Coverage(capacity, need, tuple(allotments))


def prepare(catalogue: Catalogue, scenario: Scenario) -> Selection:
    """The families ``scenario`` keeps, with their multiplied ranges and own choices.

    Only the selection, the per-family choices and the drivers of ``scenario`` are read: one
    preparation serves every default hypothesis or level.
    """
    overrides = {find_family(catalogue, q).id: c for q, c in scenario.overrides.items()}
    quantities = driver_quantities(catalogue, scenario.drivers)
    kept = []
    selected = select(catalogue, scenario)
    for family in selected:
        factor = multiplier(family, quantities)
        if not SCALED_HOURS.holds(family.high * factor):
            beyond = f"{family.id}'s hours beyond {SCALED_HOURS.high:,.0f} a week"
            raise UsageError(f"the driver quantities take {beyond}")
        kept.append(
            Selected(
                family, family.low * factor, family.high * factor, factor, overrides.get(family.id)
            )
        )
    return Selection(
        tuple(kept), quantities, priority_order(catalogue, selected, scenario.priority)
    )


def totals(
    scenario: Scenario, rows: tuple[FamilyEstimate, ...], drivers: Mapping[str, float]
) -> Estimate:
    """The estimate made of ``rows``: their subtotal, the contingency line and the total (the
    one place where an estimate's lines are added up)."""
    subtotal = add_up([r.weekly for r in rows])
    contingency, total = None, subtotal
    if scenario.contingency is not None:
        checked(CONTINGENCY.check, scenario.contingency, "contingency")
        contingency, total = with_contingency(subtotal, scenario.share)
    return Estimate(scenario, rows, subtotal, contingency, total, drivers)


def estimate(*, catalogue: Catalogue, scenario: Scenario) -> Estimate:
    """Weekly hours of the selected families under ``scenario``, with contingency and totals."""
    return estimate_selection(prepare(catalogue, scenario), scenario)


def estimate_selection(selection: Selection, scenario: Scenario) -> Estimate:
    """The estimate of families already selected (``prepare``) under ``scenario``'s default:
    a preparation serves every default hypothesis or level of the same selection."""
    rows = tuple(kept.row(scenario.default) for kept in selection.families)
    result = totals(scenario, rows, selection.drivers)
    if scenario.capacity is None:
        return result
    return result._replace(coverage=cover(rows, result, selection.priority))


def breakdown(
    *, catalogue: Catalogue, family: Family, drivers: Mapping[str, float] | None = None
) -> Breakdown:
    """``family``'s weekly hours and its fraction of the total under each hypothesis."""
    quantities = driver_quantities(catalogue, drivers or {})
    total = catalogue_range(catalogue, quantities)
    factor = multiplier(family, quantities)
    low, high = family.low * factor, family.high * factor
    total_low, total_high = total.low, total.high
    return Breakdown(
        family=family,
        low=low,
        high=high,
        share_low=low / total_low if total_low else 0.0,
        share_high=high / total_high if total_high else 0.0,
    )


_INDEXES: dict[int, tuple[object, dict[str, Family]]] = {}


def _index(catalogue: Catalogue) -> dict[str, Family]:
    """Every folded name of every family, built once per catalogue (catalogues do not change)."""
    cached = _INDEXES.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    index: dict[str, Family] = {}
    # ids first, then aliases, then labels: an id is never taken by another family's label
    for names_of in (lambda f: [f.id], lambda f: f.aliases, lambda f: f.label.values()):
        for family in catalogue.families:
            for name in names_of(family):
                index.setdefault(fold(name), family)
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(catalogue)] = (catalogue, index)
    return index


def find_family(catalogue: Catalogue, query: str) -> Family:
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
