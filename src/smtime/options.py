"""What the user asked for, from the command line and a profile, combined into a scenario.

Command-line values override the profile's; the profile's override the defaults.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from smtime.core import checked, parse_capacity, parse_choice
from smtime.domain import (
    CONTINGENCY,
    QUANTITY,
    Assumptions,
    Choice,
    Hypothesis,
    NamedTuple,
    Period,
    Scenario,
    check_currency,
)
from smtime.errors import UsageError

if TYPE_CHECKING:
    from smtime.models import ProfileSchema


class Asked(NamedTuple):
    """The scenario options of one command line, as given (None: not given)."""

    hypothesis: Hypothesis | None = None
    level: float | None = None
    sets: Sequence[str] = ()
    only: Sequence[str] = ()
    exclude: Sequence[str] = ()
    drivers: Sequence[str] = ()
    contingency: float | None = None
    period: Period | None = None
    weeks_per_year: float | None = None
    full_time_hours: float | None = None
    rate: float | None = None
    currency: str | None = None
    lang: str | None = None
    capacity: str | None = None
    priority: Sequence[str] = ()


class Combined(NamedTuple):
    """A scenario, its assumptions and the language, ready for the core and the renderers."""

    scenario: Scenario
    assumptions: Assumptions
    lang: str | None


def pairs(items: Sequence[str], option: str) -> list[tuple[str, str]]:
    """``NAME=VALUE`` items as pairs; a ``--driver`` item may hold several, separated by
    commas (``networks=3,posts=1,5``: a comma starts a new pair only before ``NAME=``)."""
    found = []
    for item in items:
        for part in re.split(r",(?=[^,=]*=)", item) if option == "--driver" else [item]:
            name, sep, value = part.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise UsageError(f"{option} expects NAME=VALUE, not {part!r}")
            found.append((name.strip(), value.strip()))
    return found


def names(items: Sequence[str]) -> list[str]:
    """Ids from repeated, comma-separated options: ``--only a,b --only c`` → a, b, c."""
    return [n.strip() for item in items for n in item.split(",") if n.strip()]


def quantity(name: str, value: str) -> float:
    """A driver quantity from the command line, typed as people type numbers (``1,5``)."""
    return checked(QUANTITY.read, value, f"--driver {name}")


def check_asked(asked: "Asked") -> "Asked":
    """``asked``, with the values that need no file checked (a bad option is a usage error
    even when the catalogue is missing too)."""
    if asked.level is not None:
        checked(lambda: Choice.of(level=asked.level))
    if asked.currency is not None:
        checked(check_currency, asked.currency, "--currency")
    if asked.capacity is not None:
        try:
            parse_capacity(asked.capacity)
        except UsageError as exc:
            raise UsageError(f"--capacity: {exc.message}") from None
    return asked


def default_choice(asked: Asked, profile: "ProfileSchema | None" = None) -> Choice | None:
    """The choice for every family without one of its own: the command line's hypothesis or
    level, else the profile's, else none (the low–high range)."""
    if asked.hypothesis is not None or asked.level is not None:
        return choose(asked.hypothesis, asked.level)
    if profile is not None:
        return choose(profile.hypothesis, profile.level)
    return None


@lru_cache(maxsize=1024)
def choose(hypothesis: str | None, level: float | None) -> Choice | None:
    """The choice of a hypothesis (``low``, ``mid``, ``high``) or a level, checked; None for
    neither. Memoised: a portfolio's profiles share a few."""
    if hypothesis is None and level is None:
        return None
    named = None if hypothesis is None else Hypothesis(hypothesis)
    return checked(lambda: Choice.of(hypothesis=named, level=level))


NOTHING_ASKED = Asked()
"""No option given on the command line: every value comes from a profile or the defaults."""


SCENARIO_FIELDS = ("set", "drivers", "only", "exclude", "contingency", "capacity", "priority")
"""The profile fields ``scenario_of`` reads besides the hypothesis and level."""
ASSUMPTION_FIELDS = ("period", "weeks_per_year", "full_time_hours", "rate", "currency")
"""The profile fields ``assumptions_of`` reads."""


def combine(asked: Asked, profile: "ProfileSchema | None" = None) -> Combined:
    """The scenario and assumptions: command line first, then the profile, then defaults."""
    lang = asked.lang or (profile.lang if profile is not None else None)
    return Combined(scenario_of(asked, profile), assumptions_of(asked, profile), lang)


def scenario_of(asked: Asked, profile: "ProfileSchema | None" = None) -> Scenario:
    """The scenario: the default choice (``default_choice``), the families' own choices, the
    selection, the driver quantities, the contingency, and the capacity with the families'
    priority."""
    p = profile
    default = default_choice(asked, profile)
    overrides: dict[str, Choice] = {}
    if p is not None:
        overrides.update({name: parse_choice(value) for name, value in p.set.items()})
    for name, value in pairs(asked.sets, "--set"):
        try:
            overrides[name] = parse_choice(value)
        except UsageError as exc:
            raise UsageError(f"--set {name}={value}: {exc.message}") from None
    drivers: dict[str, float] = dict(p.drivers) if p is not None else {}
    drivers.update({n: quantity(n, v) for n, v in pairs(asked.drivers, "--driver")})
    only = names(asked.only) or (list(p.only) if p is not None and p.only else None)
    exclude = names(asked.exclude) or (list(p.exclude) if p is not None else [])
    contingency = _first(asked.contingency, p.contingency if p else None)
    if contingency is not None:
        contingency = checked(CONTINGENCY.check, contingency, "--contingency")
    capacity = asked.capacity if asked.capacity is not None else (p.capacity if p else None)
    priority = names(asked.priority) or (list(p.priority) if p is not None else [])
    return Scenario(
        default=default,
        overrides=overrides,
        only=tuple(only) if only else None,
        exclude=tuple(exclude),
        drivers=drivers,
        contingency=contingency,
        capacity=None if capacity is None else parse_capacity(capacity),
        priority=tuple(priority),
    )


def assumptions_of(asked: Asked, profile: "ProfileSchema | None" = None) -> Assumptions:
    """The period, staff and cost assumptions, checked."""
    p = profile
    period = asked.period or (Period(p.period) if p is not None and p.period else Period.WEEK)
    usual = Assumptions()
    weeks, full_time = (p.weeks_per_year, p.full_time_hours) if p else (None, None)
    assumptions = Assumptions(
        period=period,
        weeks_per_year=_or(usual.weeks_per_year, asked.weeks_per_year, weeks),
        full_time_hours=_or(usual.full_time_hours, asked.full_time_hours, full_time),
        rate=_first(asked.rate, p.rate if p else None),
        currency=(asked.currency or (p.currency if p else None) or usual.currency).upper(),
    )
    return checked(assumptions.checked)


def _first(*values: float | None) -> float | None:
    for value in values:
        if value is not None:
            return value
    return None


def _or(default: float, *values: float | None) -> float:
    found = _first(*values)
    return default if found is None else found
