"""CSV (docs/csv.md): one header row, one row per line; plain numbers, '.' as decimal mark."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from smtime.domain import Assumptions, Breakdown, Estimate, EstimateLine, Figures, LineKind
from smtime.i18n import localize
from smtime.render.escape import csv_cell, one_line
from smtime.render.json import action_labels
from smtime.render.notes import line_label
from smtime.render.numbers import NUMBER_DIGITS, number, shown_lines

ESTIMATE_COLUMNS = (
    "kind",
    "id",
    "label",
    "low",
    "high",
    "hours",
    "fte_low",
    "fte_high",
    "fte_hours",
    "cost_low",
    "cost_high",
    "cost_hours",
    "currency",
    "period",
    "allotted",
    "status",
)
TASKS_COLUMNS = ("id", "label", "low", "high", "actions", "aliases", "drivers")
BREAKDOWN_COLUMNS = ("id", "label", "low", "high", "share_low", "share_high", "actions")


def cell(value: Any) -> str | int | float:
    """A CSV cell: numbers stay numbers, None is empty, text is guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        shown = number(value)
        return _fixed(shown) if isinstance(shown, float) and "e" in repr(shown) else shown
    return csv_cell(one_line(str(value)))


def _fixed(value: float) -> str:
    """A float Python would write with an exponent (``1.325e+19``, ``1e-05``) in plain
    digits, its shortest form kept: ``13250000000000000000``, ``0.00001``."""
    from decimal import Decimal

    return format(Decimal(repr(value)), "f")


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _figures(values: Figures | None) -> list[float | None]:
    if values is None:
        return [None, None, None]
    return [values.low, values.high, values.hours]


def estimate_csv(result: Estimate, assumptions: Assumptions, lang: str) -> str:
    """Families, then the contingency and total rows."""
    return table(ESTIMATE_COLUMNS, estimate_rows(result, assumptions, lang))


def estimate_rows(result: Estimate, assumptions: Assumptions, lang: str) -> list[list[Any]]:
    """The rows of ``estimate_csv``, without the header."""
    currency = assumptions.cost_currency
    period = assumptions.period.value
    coverage = result.coverage
    allotted: dict[str, tuple[float, str]] = {}
    if coverage is not None:
        allotted = {
            a.family.id: (assumptions.per_week(a.allotted)[0], a.status)
            for a in coverage.allotments
        }
        used = min(coverage.capacity.hours, coverage.need)
        allotted[LineKind.TOTAL.value] = (assumptions.per_week(used)[0], "")

    def covered(line: EstimateLine) -> tuple[float | None, str | None]:
        key = line.row.family.id if line.row else line.kind.value
        return allotted.get(key, (None, None))

    return [
        [
            line.kind.value,
            line.row.family.id if line.row else line.kind.value,
            line_label(line, lang),
            *(value for part in (hours, fte, cost) for value in _figures(part)),
            currency,
            period,
            *covered(line),
        ]
        # the numbers' precision, rounded so that the rows add up to the total
        for line, hours, fte, cost in shown_lines(result, assumptions, NUMBER_DIGITS)
        if line.kind is not LineKind.SUBTOTAL  # the CSV's total rows are contingency and total
    ]


def tasks_csv(data: list[dict[str, Any]]) -> str:
    """One row per family; actions, aliases and drivers joined with '; '."""
    return table(
        TASKS_COLUMNS,
        (
            [
                t["id"],
                t["label"],
                t["low"],
                t["high"],
                "; ".join(t["actions"]),
                "; ".join(t["aliases"]),
                "; ".join(t["drivers"]),
            ]
            for t in data
        ),
    )


def breakdown_csv(result: Breakdown, lang: str) -> str:
    """One row: the family, its hours, its shares and its actions."""
    family = result.family
    return table(
        BREAKDOWN_COLUMNS,
        [
            [
                family.id,
                localize(family.label, lang),
                result.low,
                result.high,
                result.share_low,
                result.share_high,
                "; ".join(action_labels(family, lang)),
            ]
        ],
    )
