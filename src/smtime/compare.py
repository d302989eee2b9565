"""Actual time against the budget, per ISO week and per family. Pure: no I/O.

Each entry goes to the first of its names that maps to a family: through ``--map NAME=FAMILY``
first, then by family id, alias or label, without regard to case or accents. Time that maps to
no family is kept as unmapped, with the names it was logged under. An interval that spans
several ISO weeks gives each week its share (``split``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from smtime.core import find_family
from smtime.domain import Entry, Estimate, Figures, NamedTuple, add_up, fold
from smtime.errors import UnknownFamilyError
from smtime.plan import monday_of


class FamilyWeek(NamedTuple):
    """One family in one week."""

    key: str
    actual: float
    low: float
    high: float
    budget: float | None

    @property
    def status(self) -> str:
        if self.actual < self.low - 1e-9:
            return "below"
        if self.actual > self.high + 1e-9:
            return "above"
        return "within"

    @property
    def level(self) -> float | None:
        """Where the actual time lies: 0 at low, 1 at high (beyond either end when outside)."""
        if self.high > self.low:
            return (self.actual - self.low) / (self.high - self.low)
        return None


class Week(NamedTuple):
    """One ISO week: every family, and the unmapped time by name."""

    week: str
    families: tuple[FamilyWeek, ...]
    unmapped: dict[str, float]
    running: bool

    @property
    def unmapped_hours(self) -> float:
        """The hours of the week that map to no family, all names together."""
        return math.fsum(self.unmapped.values())

    @property
    def total(self) -> FamilyWeek:
        """Every family's actual hours, range and budget added up (``domain.add_up``)."""
        budget = add_up([Figures(f.low, f.high, f.budget) for f in self.families])
        actual = add_up([Figures(f.actual, f.actual, None) for f in self.families]).low
        return FamilyWeek("total", actual, budget.low, budget.high, budget.hours)


class Comparison(NamedTuple):
    """Every tracked week, and which hypothesis they match."""

    weeks: tuple[Week, ...]
    level: float | None
    match: str | None

    @property
    def actual_hours(self) -> float:
        """The hours tracked for the families over every week."""
        return math.fsum(week.total.actual for week in self.weeks)

    @property
    def unmapped_hours(self) -> float:
        """The hours that map to no family over every week."""
        return math.fsum(week.unmapped_hours for week in self.weeks)


def mapper(catalogue: Any, mapping: Mapping[str, str]) -> Any:
    """A function from an entry's names to a family id (or None), remembering its answers."""
    explicit = {fold(name): find_family(catalogue, family).id for name, family in mapping.items()}
    known: dict[str, str | None] = {}

    def family_of(names: Iterable[str]) -> str | None:
        for name in names:
            key = fold(name)
            if key not in known:
                if key in explicit:
                    known[key] = explicit[key]
                else:
                    try:
                        known[key] = find_family(catalogue, name).id
                    except UnknownFamilyError:
                        known[key] = None
            if known[key] is not None:
                return known[key]
        return None

    return family_of


def compare(
    entries: Iterable[Entry],
    *,
    estimate: Estimate,
    catalogue: Any,
    mapping: Mapping[str, str],
    zone: Any,
) -> Comparison:
    """Weekly actual hours per family against each family's low–high range (and budget)."""
    family_of = mapper(catalogue, mapping)
    kept = {row.family.id for row in estimate.families}
    actual: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unmapped: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    running: set[str] = set()
    for entry in entries:
        family = family_of(entry.names)
        parts = split(entry, zone)
        if entry.running:
            running.add(parts[-1][0])
        for week, hours in parts:
            if family is not None and family in kept:
                actual[week][family] += hours
            else:
                label = ", ".join(entry.names) if entry.names else "(no tag)"
                unmapped[week][label] += hours
    weeks = []
    for week in sorted(set(actual) | set(unmapped)):
        rows = tuple(
            FamilyWeek(
                row.family.id, actual[week].get(row.family.id, 0.0), row.low, row.high, row.hours
            )
            for row in estimate.families
        )
        weeks.append(Week(week, rows, dict(unmapped[week]), week in running))
    levels = [w.total.level for w in weeks if w.total.level is not None]
    level = sum(levels) / len(levels) if levels else None
    return Comparison(tuple(weeks), level, _match(level))


def _match(level: float | None) -> str | None:
    """The hypothesis nearest to a level: below low, low, mid, high, or above high."""
    if level is None:
        return None
    if level < -0.125:
        return "below-low"
    if level > 1.125:
        return "above-high"
    return min((("low", 0.0), ("mid", 0.5), ("high", 1.0)), key=lambda item: abs(item[1] - level))[
        0
    ]


def local(moment: datetime, zone: Any) -> datetime:
    """``moment`` in ``zone``; a naive time is taken as a wall-clock time there (the one
    reading of an export's times for weeks and days)."""
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def week_name(day: date) -> str:
    """``2026-W49``: the ISO week of ``day`` (a date, or a date and time as it stands)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def split(entry: Entry, zone: Any) -> list[tuple[str, float]]:
    """The ISO weeks of ``entry`` in ``zone`` and its hours in each, in order.

    An interval that crosses midnight between Sunday and Monday (local time) is cut there;
    each part's hours are real elapsed hours, so a week with a daylight-saving change holds
    167 or 169 of them. An entry without an end (a day's total) stays in its start's week.
    """
    if entry.end is None:
        return [(week_of(entry.start, zone), entry.hours)]
    start, end = local(entry.start, zone), local(entry.end, zone)
    if entry.hours <= 0 or end <= start:
        return [(week_name(start), entry.hours)]
    parts: list[tuple[str, float]] = []
    here = start
    while here < end:
        monday = monday_of(here.date()) + timedelta(days=7)
        boundary = datetime.combine(monday, time(), tzinfo=zone)
        stop = min(boundary, end)
        parts.append((week_name(here), (stop.timestamp() - here.timestamp()) / 3600))
        here = stop
    total = math.fsum(hours for _, hours in parts)
    if total > 0 and abs(total - entry.hours) > 1e-9:  # naive Toggl times over a DST change
        parts = [(week, hours * entry.hours / total) for week, hours in parts]
    return parts


def week_of(moment: datetime, zone: Any) -> str:
    """``2026-W49``: the ISO week of ``moment`` in ``zone`` (naive times are taken as local)."""
    return week_name(local(moment, zone))
