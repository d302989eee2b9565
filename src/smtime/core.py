"""The estimation: pure functions on catalogue models. No I/O, no typer, rich or yaml here."""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from smtime.errors import UnknownFamilyError, UsageError

if TYPE_CHECKING:
    from smtime.models import Catalogue, Family


class Hypothesis(StrEnum):
    """A named scenario: the low or high hypothesis of the method, or halfway between."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"

    @property
    def level(self) -> float:
        """0 for low, 0.5 for mid, 1 for high."""
        return {"low": 0.0, "mid": 0.5, "high": 1.0}[self.value]


@dataclass(frozen=True, slots=True)
class Scenario:
    """What to estimate: a hypothesis, a level from 0 (low) to 1 (high), or only the range."""

    hypothesis: Hypothesis | None = None
    level: float | None = None

    @classmethod
    def of(cls, *, hypothesis: Hypothesis | None = None, level: float | None = None) -> Scenario:
        """Build a scenario from at most one of a hypothesis and a level."""
        if hypothesis is not None and level is not None:
            raise UsageError("give either --hypothesis or --level, not both")
        if level is not None:
            check_level(level)
            return cls(None, float(level))
        if hypothesis is not None:
            return cls(hypothesis, hypothesis.level)
        return cls()


def check_level(level: float) -> float:
    """A level must be a number from 0 to 1."""
    if not (math.isfinite(level) and 0.0 <= level <= 1.0):
        raise UsageError(f"level must be a number from 0 (low) to 1 (high), not {level}")
    return level


def interpolate(low: float, high: float, level: float) -> float:
    """The hours at ``level``: ``low`` at 0, ``high`` at 1, linear in between."""
    if level == 1.0:
        return high
    return low + level * (high - low)


@dataclass(frozen=True, slots=True)
class FamilyEstimate:
    """One family's weekly hours: its range and, when a scenario was chosen, its value."""

    family: Family
    low: float
    high: float
    hours: float | None


@dataclass(frozen=True, slots=True)
class Estimate:
    """Per-family weekly hours and their totals."""

    scenario: Scenario
    families: tuple[FamilyEstimate, ...]
    low: float
    high: float
    hours: float | None


def estimate(*, catalogue: Catalogue, scenario: Scenario) -> Estimate:
    """Weekly hours of every family of ``catalogue`` under ``scenario``, and the totals."""
    level = scenario.level
    rows = tuple(
        FamilyEstimate(
            family=f,
            low=f.low,
            high=f.high,
            hours=None if level is None else interpolate(f.low, f.high, level),
        )
        for f in catalogue.families
    )
    return Estimate(
        scenario=scenario,
        families=rows,
        low=math.fsum(r.low for r in rows),
        high=math.fsum(r.high for r in rows),
        hours=None if level is None else math.fsum(r.hours or 0.0 for r in rows),
    )


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One family in detail: its hours and its share of the catalogue's total."""

    family: Family
    low: float
    high: float
    share_low: float
    share_high: float


def breakdown(*, catalogue: Catalogue, family: Family) -> Breakdown:
    """``family``'s hours and its fraction of the total under each hypothesis."""
    total_low = math.fsum(f.low for f in catalogue.families)
    total_high = math.fsum(f.high for f in catalogue.families)
    return Breakdown(
        family=family,
        low=family.low,
        high=family.high,
        share_low=family.low / total_low if total_low else 0.0,
        share_high=family.high / total_high if total_high else 0.0,
    )


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``: ``Stratégie`` → ``strategie``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def find_family(catalogue: Catalogue, query: str) -> Family:
    """The family whose id matches ``query`` regardless of case and accents."""
    wanted = fold(query)
    for family in catalogue.families:
        if fold(family.id) == wanted:
            return family
    ids = [f.id for f in catalogue.families]
    by_fold = {fold(i): i for i in ids}
    close = difflib.get_close_matches(wanted, list(by_fold), n=3, cutoff=0.5)
    raise UnknownFamilyError(query, [by_fold[c] for c in close], ids)
