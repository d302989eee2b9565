"""The JSON contract (docs/json.md): plain dicts from the core's results, written with ``json``."""

from __future__ import annotations

import json
from typing import Any

from smtime.core import Breakdown, Estimate
from smtime.i18n import localize
from smtime.models import Catalogue, Family

UNIT = "hours"
PERIOD = "week"


def number(value: float) -> int | float:
    """A number as written in JSON: rounded to 6 decimals, whole numbers without a fraction."""
    rounded = round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    return int(rounded) if rounded.is_integer() else rounded


def _maybe(value: float | None) -> int | float | None:
    return None if value is None else number(value)


def action_labels(family: Family, lang: str) -> list[str]:
    """The labels of a family's actions in ``lang``."""
    return [localize(a.label, lang) for a in family.actions]


def estimate_data(result: Estimate, lang: str) -> dict[str, Any]:
    """The ``estimate`` object."""
    scenario = result.scenario
    return {
        "hypothesis": scenario.hypothesis.value if scenario.hypothesis else None,
        "level": _maybe(scenario.level),
        "period": PERIOD,
        "unit": UNIT,
        "tasks": [
            {
                "id": row.family.id,
                "label": localize(row.family.label, lang),
                "low": number(row.low),
                "high": number(row.high),
                "hours": _maybe(row.hours),
            }
            for row in result.families
        ],
        "total": {
            "low": number(result.low),
            "high": number(result.high),
            "hours": _maybe(result.hours),
        },
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
    }


def tasks_data(catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """The ``tasks`` list."""
    return [
        {
            "id": f.id,
            "label": localize(f.label, lang),
            "low": number(f.low),
            "high": number(f.high),
            "actions": action_labels(f, lang),
        }
        for f in catalogue.families
    ]


def dumps(data: Any) -> str:
    """Stable JSON text: keys in contract order, UTF-8 kept readable, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
