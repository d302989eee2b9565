"""A catalogue's ranges learnt from tracked time. Pure: no I/O.

The rule (docs/calibrate.md):

1. Each entry goes to a family as ``compare`` maps it (``--map``, then ids, aliases and
   labels), and its hours to the ISO weeks it spans, in the time zone given.
2. Only complete weeks count. The weeks run from the first tracked day to the last; the first
   is complete when tracking began on its Monday, the last when tracking went on to its Friday
   or later and the week is over. Partial weeks are left out, and said so.
3. Over the complete weeks, a family's weekly hours (0 in a week without its time) give its
   low and high: two percentiles (``--quantiles``, 20 and 80 by default; linear between the
   closest ranks, as ``statistics.quantiles(method="inclusive")``, Excel's PERCENTILE.INC),
   rounded to the nearest quarter hour, halves up. Hours per unit for a family multiplied by
   drivers: those quarter hours divided by the drivers' default quantities (dividing first
   and rounding the hours per unit would turn 30 h over 1,000 units into 0).
4. A family not calibrated keeps the base catalogue's range, with the reason: no time in the
   complete weeks, drivers whose default quantities come to 0 units, or hours per unit beyond
   a catalogue's bound. Fewer complete weeks than ``--min-weeks`` (4) is refused.
5. The spread of the real weekly totals (the families' hours added up, week by week) is given
   as its 10th, 50th and 90th percentiles.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from smtime.compare import local, mapper, split, week_name
from smtime.domain import (
    BUDGET_HOURS,
    PERCENTILE,
    Catalogue,
    Entry,
    Figures,
    NamedTuple,
    OutOfBounds,
    Source,
    catalogue_range,
    default_quantities,
    multiplier,
    to_step,
)
from smtime.errors import SmtimeError, UsageError
from smtime.plan import monday_of

QUANTILES = (20, 80)
"""The percentiles of a family's weekly hours taken as its low and high, by default."""
STEP = 0.25
"""Calibrated hours are rounded to this step: a quarter of an hour."""
MIN_WEEKS = 4
"""The fewest complete weeks a calibration accepts, by default."""
SPREAD = (10, 50, 90)
"""The percentiles of the real weekly totals shown beside the ranges."""
FRIDAY = 4
"""``date.weekday()`` of a Friday: tracking that reaches it completes the last week."""


class TooFewWeeks(SmtimeError):
    """An export with fewer complete weeks than a calibration needs (exit code 65)."""


NO_TIME = "no-time"
"""Why a family is not calibrated: no time was tracked for it in the complete weeks."""
NO_UNITS = "no-units"
"""Why a family is not calibrated: its drivers' default quantities come to 0 units."""
BEYOND_BOUND = "beyond-bound"
"""Why a family is not calibrated: its hours per unit would be beyond a catalogue's bound."""


class FamilyCalibration(NamedTuple):
    """One family: its base range, its calibrated one (None: not calibrated, ``reason``
    says why), the hours tracked for it over the complete weeks and the number of those
    weeks with its time."""

    id: str
    base: Figures
    calibrated: Figures | None
    hours: float
    weeks: int
    reason: str | None = None

    @property
    def range(self) -> Figures:
        """The range the calibrated catalogue gives the family."""
        return self.base if self.calibrated is None else self.calibrated


class Calibration(NamedTuple):
    """What the complete weeks of an export say about each family, and their totals."""

    families: tuple[FamilyCalibration, ...]
    weeks: tuple[str, ...]
    """The complete ISO weeks, in order."""
    partial: tuple[str, ...]
    """The weeks left out: the first and last, when they are partial, and the weeks not over
    at ``now``."""
    empty: int
    """Complete weeks without time for any family."""
    first: date
    last: date
    """The first and last tracked days."""
    quantiles: tuple[int, int]
    base_total: Figures
    total: Figures
    """The catalogue's whole weekly range, before and after."""
    spread: tuple[float, float, float]
    """The 10th, 50th and 90th percentiles of the complete weeks' totals."""
    unmapped: dict[str, float]
    """Hours of the complete weeks that map to no family, by the names they were logged under."""
    left_out: float
    """Hours of the partial weeks."""
    source: str
    """The export, by the name it was given (``-``: standard input)."""
    tracker: str
    """The tracker that wrote it."""

    @property
    def tracked_hours(self) -> float:
        """Hours of the complete weeks tracked for the families."""
        return math.fsum(family.hours for family in self.families)

    @property
    def unmapped_hours(self) -> float:
        """Hours of the complete weeks that map to no family, all names together."""
        return math.fsum(self.unmapped.values())


def parse_quantiles(text: str) -> tuple[int, int]:
    """``20,80`` → (20, 80): two whole percentiles from 0 to 100 (``domain.PERCENTILE``, read
    as people type them: ``20 %``), the first below the second."""
    parts = text.split(",")
    if len(parts) != 2:
        raise UsageError(
            f"--quantiles: {text!r} is not two whole percentiles such as 20,80 (low,high)"
        )
    values = []
    for part in parts:
        try:
            value = PERCENTILE.read(part, "--quantiles")
        except OutOfBounds as exc:
            raise UsageError(str(exc)) from None
        if not value.is_integer():
            raise UsageError(f"--quantiles: {part.strip()!r} is not a whole percentile")
        values.append(int(value))
    low, high = values
    if low >= high:
        raise UsageError(f"--quantiles: {text!r}: the low percentile must be below the high one")
    return low, high


def percentile(values: Sequence[float], p: int) -> float:
    """The ``p``-th percentile of ``values``: linear between the closest ranks (0: the least,
    100: the greatest)."""
    ordered = sorted(values)
    if p == 0 or len(ordered) == 1:
        return ordered[0]
    if p == 100:
        return ordered[-1]
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1]


def _day(moment: datetime, zone: Any) -> date:
    """The day of ``moment`` in ``zone`` (``compare.local``)."""
    return local(moment, zone).date()


def _last_day(entry: Entry, zone: Any) -> date:
    """The last day ``entry`` covers: an interval ending at midnight ends the day before."""
    if entry.end is None or entry.end <= entry.start:
        return _day(entry.start, zone)
    return _day(entry.end - timedelta(microseconds=1), zone)


def calibrate(
    entries: Iterable[Entry],
    *,
    catalogue: Catalogue,
    mapping: Mapping[str, str],
    zone: Any,
    now: datetime,
    quantiles: tuple[int, int] = QUANTILES,
    min_weeks: int = MIN_WEEKS,
    source: str,
    tracker: str,
) -> Calibration:
    """The calibration of ``catalogue`` by the complete weeks of ``entries`` (see the module's
    rule), an export named ``source`` written by ``tracker``. Raises ``TooFewWeeks`` when
    there are fewer than ``min_weeks`` complete weeks."""
    family_of = mapper(catalogue, mapping)
    hours: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unmapped: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first: date | None = None
    last: date | None = None
    for entry in entries:
        family = family_of(entry.names)
        if entry.hours > 0:  # an empty entry does not make a week complete
            start, end = _day(entry.start, zone), _last_day(entry, zone)
            first = start if first is None else min(first, start)
            last = end if last is None else max(last, end)
        for week, part in split(entry, zone):
            if family is not None:
                hours[week][family] += part
            else:
                name = ", ".join(entry.names) if entry.names else "(no tag)"
                unmapped[week][name] += part
    if first is None or last is None:
        raise TooFewWeeks("the export holds no tracked time: there is nothing to calibrate from")
    weeks, partial = complete_weeks(first, last, _day(now, zone))
    if len(weeks) < min_weeks:
        raise TooFewWeeks(_too_few(weeks, partial, min_weeks))
    quantities = default_quantities(catalogue)
    families = []
    for family in catalogue.families:
        weekly = [hours[week].get(family.id, 0.0) for week in weeks]
        base = Figures(family.low, family.high, None)
        factor = multiplier(family, quantities)
        learnt: Figures | None = None
        reason: str | None = NO_TIME
        if any(weekly):
            learnt, reason = _learnt(weekly, quantiles, factor)
        tracked = math.fsum(weekly)
        families.append(
            FamilyCalibration(family.id, base, learnt, tracked, sum(1 for h in weekly if h), reason)
        )
    totals = [math.fsum(hours[week].values()) for week in weeks]
    low_p, mid_p, high_p = (percentile(totals, p) for p in SPREAD)
    outside: dict[str, float] = defaultdict(float)
    for week in weeks:
        for name, part in unmapped[week].items():
            outside[name] += part
    left_out = math.fsum(
        math.fsum(hours[week].values()) + math.fsum(unmapped[week].values()) for week in partial
    )
    return Calibration(
        families=tuple(families),
        weeks=weeks,
        partial=partial,
        empty=sum(1 for total in totals if total == 0),
        first=first,
        last=last,
        quantiles=quantiles,
        base_total=catalogue_range(catalogue, quantities),
        total=catalogue_range(_ranged(catalogue, families), quantities),
        spread=(low_p, mid_p, high_p),
        unmapped=dict(sorted(outside.items(), key=lambda item: (-item[1], item[0]))),
        left_out=left_out,
        source=source,
        tracker=tracker,
    )


def _learnt(
    weekly: Sequence[float], quantiles: tuple[int, int], factor: float
) -> tuple[Figures | None, str | None]:
    """A family's range from its weekly hours: the percentiles to the quarter hour, divided
    by its drivers' ``factor`` (hours per unit); or None and why not."""
    if factor <= 0:
        return None, NO_UNITS
    low, high = (to_step(percentile(weekly, p), STEP) / factor for p in quantiles)
    if not BUDGET_HOURS.holds(high):
        return None, BEYOND_BOUND
    return Figures(low, high, None), None


def complete_weeks(first: date, last: date, today: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ISO weeks from ``first`` to ``last`` (tracked days): the complete ones, and the
    partial ones left out. The first week is complete when ``first`` is its Monday, the last
    when ``last`` is its Friday or later and the week ended before ``today``."""
    mondays = []
    monday = monday_of(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    complete, partial = [], []
    for monday in mondays:
        sunday = monday + timedelta(days=6)
        starts_late = monday == mondays[0] and first != monday
        ends_early = monday == mondays[-1] and last.weekday() < FRIDAY
        if starts_late or ends_early or sunday >= today:
            partial.append(week_name(monday))
        else:
            complete.append(week_name(monday))
    return tuple(complete), tuple(partial)


def _too_few(weeks: Sequence[str], partial: Sequence[str], needed: int) -> str:
    """Why a calibration is refused: how many complete weeks there are, and which were left
    out."""
    if not weeks:
        found = "no complete ISO week"
    elif len(weeks) == 1:
        found = f"1 complete ISO week ({weeks[0]})"
    else:
        found = f"{len(weeks)} complete ISO weeks ({weeks[0]} to {weeks[-1]})"
    left = f"; left out as partial: {', '.join(partial)}" if partial else ""
    return (
        f"the export holds {found}{left}: calibrating needs at least {needed} "
        "(--min-weeks sets how many)"
    )


def apply_to(catalogue: Catalogue, result: Calibration) -> Catalogue:
    """``catalogue`` calibrated by ``result``: its families' calibrated ranges (the others
    kept), a version that names the weeks (``calibrated-2026-W41-2026-W48``), and the tracked
    time as its source."""
    first, last = result.weeks[0], result.weeks[-1]
    return _ranged(catalogue, result.families)._replace(
        version=f"calibrated-{first}-{last}",
        source=Source(f"Tracked time: {result.source}, {first} to {last}"),
    )


def _ranged(catalogue: Catalogue, families: Iterable[FamilyCalibration]) -> Catalogue:
    """``catalogue`` with each family at the range its calibration gives it
    (``FamilyCalibration.range``: the calibrated one, else the base one)."""
    ranges = {f.id: f.range for f in families}
    return catalogue._replace(
        families=tuple(
            family._replace(low=ranges[family.id].low, high=ranges[family.id].high)
            for family in catalogue.families
        )
    )
