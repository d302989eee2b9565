"""The JSON contract (docs/json.md): plain dicts from the core's results, written with ``json``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from smtime.domain import (
    Assumptions,
    Breakdown,
    Choice,
    Coverage,
    Estimate,
    Factors,
    FamilyEstimate,
    Figures,
    Scenario,
    default_quantities,
    scaled_figures,
    scaled_hours,
    scaled_ranges,
)
from smtime.i18n import localize, translate
from smtime.render.numbers import maybe_number, number
from smtime.terminal import json_visible

if TYPE_CHECKING:
    from smtime.domain import Catalogue, Family

UNIT = "hours"
MEMO_SIZE = 1024
"""Ranges and choices kept at most by their memos (least recently used go first)."""


def action_labels(family: Family, lang: str) -> list[str]:
    """The labels of a family's actions in ``lang``."""
    return [localize(a.label, lang) for a in family.actions]


@lru_cache(maxsize=MEMO_SIZE)
def choice_data(choice: Choice | None, overridden: bool) -> dict[str, Any] | None:
    """How a family's hours were chosen (hypothesis, level or fixed weekly hours), and whether
    by its own setting; None without a choice."""
    if choice is None:
        return None
    return {
        "source": "set" if overridden else "default",
        "hypothesis": choice.hypothesis.value if choice.hypothesis else None,
        "level": maybe_number(None if choice.hours is not None else choice.level),
        "fixed_hours": maybe_number(choice.hours),
    }


@lru_cache(maxsize=MEMO_SIZE)
def _range_data(low: float, high: float, factors: Factors) -> tuple[Any, ...]:
    """The low and high numbers of a line's hours, FTE and cost (None without a rate)."""
    hours, fte, cost = scaled_figures(Figures(low, high, None), factors)
    return tuple(None if f is None else (number(f.low), number(f.high)) for f in (hours, fte, cost))


def line_data(weekly: Figures, factors: Factors) -> dict[str, Any]:
    """A line's hours over the period, its full-time equivalents and its cost (None without a
    rate): the figures of ``Assumptions.figures``, as numbers, from the assumptions'
    ``factors`` worked out once for an estimate's lines. The low–high part, which lines
    share across a portfolio's estimates, is memoised; the chosen part is worked out by
    ``domain.scaled_hours``, the same multiplications for one value."""
    (low, high), fte, cost = _range_data(weekly.low, weekly.high, factors)
    if weekly.hours is None:
        hours = fte_hours = cost_hours = None
    else:
        chosen, chosen_fte, chosen_cost = scaled_hours(weekly.hours, factors)
        hours, fte_hours, cost_hours = number(chosen), number(chosen_fte), maybe_number(chosen_cost)
    return {
        "low": low,
        "high": high,
        "hours": hours,
        "fte": {"low": fte[0], "high": fte[1], "hours": fte_hours},
        "cost": None if cost is None else {"low": cost[0], "high": cost[1], "hours": cost_hours},
    }


def task_data(row: FamilyEstimate, lang: str, factors: Factors) -> dict[str, Any]:
    """One entry of an estimate's ``tasks``: the family's id and label, its figures (with the
    assumptions' ``factors``), choice and drivers."""
    family = row.family
    return {
        "id": family.id,
        "label": localize(family.label, lang),
        **line_data(row.weekly, factors),
        "choice": choice_data(row.choice, row.overridden),
        "drivers": list(family.per),
    }


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The hypothesis and level that open an estimate, plan or compare object."""
    return {
        "hypothesis": scenario.hypothesis.value if scenario.hypothesis else None,
        "level": maybe_number(scenario.level),
    }


def head_data(scenario: Scenario, assumptions: Assumptions) -> dict[str, Any]:
    """The scenario fields that open an estimate object, before its ``tasks``."""
    return {
        **scenario_data(scenario),
        "period": assumptions.period.value,
        "unit": UNIT,
        "currency": assumptions.cost_currency,
    }


def contingency_data(result: Estimate, lang: str, factors: Factors) -> dict[str, Any] | None:
    """The contingency line (with the assumptions' ``factors``), or None without one."""
    if result.contingency is None:
        return None
    return {
        "label": translate("Unplanned work", lang),
        "percent": number(result.scenario.contingency or 0.0),
        **line_data(result.contingency, factors),
    }


def assumptions_data(
    result: Estimate, assumptions: Assumptions, catalogue: Catalogue
) -> dict[str, Any]:
    """Everything the figures depend on besides the catalogue's hours."""
    return {
        **settings_data(assumptions),
        **selection_data(result.scenario, result.drivers, result.families, catalogue),
    }


def settings_data(assumptions: Assumptions) -> dict[str, Any]:
    """The first part of the ``assumptions`` object: the period, staff and cost settings."""
    return {
        "period": assumptions.period.value,
        "weeks_per_year": number(assumptions.weeks_per_year),
        "weeks_per_period": number(assumptions.weeks),
        "full_time_hours": number(assumptions.full_time_hours),
        "rate": maybe_number(assumptions.rate),
        "currency": assumptions.cost_currency,
    }


def selection_data(
    scenario: Scenario,
    drivers: Mapping[str, float],
    rows: Iterable[FamilyEstimate],
    catalogue: Catalogue,
) -> dict[str, Any]:
    """The rest of the ``assumptions`` object: the contingency, the drivers' quantities, the
    families kept (``rows``, in order) and the catalogue."""
    return {
        "contingency": maybe_number(scenario.contingency),
        "drivers": {name: number(q) for name, q in drivers.items()},
        "only": [r.family.id for r in rows] if scenario.only else None,
        "exclude": list(scenario.exclude),
        "catalogue": {
            "version": catalogue.version,
            "source": catalogue.source.title,
        },
    }


def estimate_object(
    head: dict[str, Any], tasks: Any, subtotal: Any, contingency: Any, total: Any
) -> dict[str, Any]:
    """The ``estimate`` object from its parts, in the contract's order (``assumptions``,
    when given, comes last)."""
    return {
        **head,
        "tasks": tasks,
        "subtotal": subtotal,
        "contingency": contingency,
        "total": total,
    }


def estimate_data(
    result: Estimate,
    lang: str,
    assumptions: Assumptions | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """The ``estimate`` object."""
    assumptions = assumptions or Assumptions()
    factors = assumptions.factors
    data = estimate_object(
        head_data(result.scenario, assumptions),
        [task_data(row, lang, factors) for row in result.families],
        line_data(result.subtotal, factors),
        contingency_data(result, lang, factors),
        line_data(result.total, factors),
    )
    if result.coverage is not None:
        data["capacity"] = coverage_data(result.coverage, assumptions, lang)
    if catalogue is not None:
        data["assumptions"] = assumptions_data(result, assumptions, catalogue)
    return data


def coverage_data(coverage: Coverage, assumptions: Assumptions, lang: str) -> dict[str, Any]:
    """The ``capacity`` object: the capacity against the hours needed, over the period, and
    what it covers of each family, in priority order."""

    def hours(weekly: float) -> int | float:
        return number(assumptions.per_week(weekly)[0])

    capacity = coverage.capacity
    return {
        "hours_per_week": number(capacity.hours),
        "people": capacity.people,
        "hours_per_person": maybe_number(capacity.per_person),
        "available": hours(capacity.hours),
        "needed": hours(coverage.need),
        "coverage": number(coverage.share),
        "shortfall": hours(coverage.shortfall),
        "spare": hours(coverage.spare),
        "fte_missing": number(assumptions.per_week(coverage.shortfall)[1]),
        "families": [
            {
                "id": a.family.id,
                "label": localize(a.family.label, lang),
                "needed": hours(a.need),
                "allotted": hours(a.allotted),
                "status": a.status,
            }
            for a in coverage.allotments
        ],
    }


def breakdown_data(result: Breakdown, lang: str) -> dict[str, Any]:
    """The ``breakdown`` object."""
    family = result.family
    return {
        "id": family.id,
        "label": localize(family.label, lang),
        "actions": action_labels(family, lang),
        "low": number(result.low),
        "high": number(result.high),
        "share": {"low": number(result.share_low), "high": number(result.share_high)},
        "aliases": list(family.aliases),
        "drivers": list(family.per),
    }


def tasks_data(catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """The ``tasks`` list (hours at the catalogue's default driver quantities)."""
    ranges = scaled_ranges(catalogue, default_quantities(catalogue))
    return [
        {
            "id": f.id,
            "label": localize(f.label, lang),
            "low": number(weekly.low),
            "high": number(weekly.high),
            "actions": action_labels(f, lang),
            "aliases": list(f.aliases),
            "drivers": list(f.per),
        }
        for f, weekly in zip(catalogue.families, ranges, strict=True)
    ]


def dumps(data: Any) -> str:
    """Stable JSON text: keys in contract order, UTF-8 kept readable (but the controls a
    terminal would act on, escaped), one trailing newline."""
    return json_visible(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
