"""Actual time against the budget, for scripts (JSON, CSV; docs/json.md#compare) and people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtime.compare import Comparison, FamilyWeek
from smtime.i18n import localize, word
from smtime.render.csv import table as csv_table
from smtime.render.escape import markdown_cell, markdown_text
from smtime.render.numbers import decimal, number

if TYPE_CHECKING:
    from rich.console import Group

COLUMNS = ("week", "id", "label", "actual", "low", "high", "budget", "status", "level")


def _maybe(value: float | None) -> int | float | None:
    return None if value is None else number(value)


def _row(row: FamilyWeek) -> dict[str, Any]:
    return {
        "actual": number(row.actual),
        "low": number(row.low),
        "high": number(row.high),
        "budget": _maybe(row.budget),
        "status": row.status,
        "level": _maybe(row.level),
    }


def compare_data(
    result: Comparison, labels: dict[str, str], scenario: dict[str, Any]
) -> dict[str, Any]:
    """The ``compare`` object."""
    return {
        **scenario,
        "weeks": [
            {
                "week": week.week,
                "running": week.running,
                "families": [
                    {"id": row.key, "label": labels[row.key], **_row(row)} for row in week.families
                ],
                "total": _row(week.total),
                "unmapped": {
                    "hours": number(sum(week.unmapped.values())),
                    "tags": {name: number(hours) for name, hours in week.unmapped.items()},
                },
            }
            for week in result.weeks
        ],
        "summary": {
            "weeks": len(result.weeks),
            "actual_hours": number(sum(w.total.actual for w in result.weeks)),
            "unmapped_hours": number(sum(sum(w.unmapped.values()) for w in result.weeks)),
            "level": _maybe(result.level),
            "match": result.match,
        },
    }


def compare_csv(result: Comparison, labels: dict[str, str]) -> str:
    """One row per week and family, then the week's total and unmapped rows."""
    rows: list[list[Any]] = []
    for week in result.weeks:
        for row in (*week.families, week.total):
            label = labels.get(row.key, "total")
            rows.append(
                [
                    week.week,
                    row.key,
                    label,
                    row.actual,
                    row.low,
                    row.high,
                    row.budget,
                    row.status,
                    row.level,
                ]
            )
        for name, hours in week.unmapped.items():
            rows.append([week.week, "unmapped", name, hours, None, None, None, None, None])
    return csv_table(COLUMNS, rows)


def summary_line(result: Comparison, lang: str) -> str:
    """Which hypothesis the tracked weeks match, in one sentence."""
    if result.match is None:
        return word("compare_none", lang)
    match = {
        "below-low": word("below_low", lang),
        "above-high": word("above_high", lang),
    }.get(result.match) or word(result.match, lang)
    return word(
        "compare_summary",
        lang,
        weeks=len(result.weeks),
        level=decimal(result.level or 0.0, lang),
        match=match,
    )


def _status(row: FamilyWeek, lang: str) -> str:
    return word(f"status_{row.status}", lang)


def compare_table(result: Comparison, labels: dict[str, str], lang: str) -> Group:
    """One table per week, then the summary."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from smtime.render.table import clean

    parts: list[Any] = []
    for week in result.weeks:
        title = week.week + (" " + word("running", lang) if week.running else "")
        table = Table(title=title, title_justify="left")
        for header, justify in (
            (word("family", lang), "left"),
            (word("actual", lang), "right"),
            (word("low", lang), "right"),
            (word("high", lang), "right"),
            (word("status", lang), "left"),
            (word("level_header", lang), "right"),
        ):
            table.add_column(header, justify=justify)  # type: ignore[arg-type]
        for row in (*week.families, week.total):
            style = {"below": "yellow", "above": "red"}.get(row.status, "green")
            table.add_row(
                clean(labels.get(row.key, word("total", lang))),
                decimal(row.actual, lang),
                decimal(row.low, lang),
                decimal(row.high, lang),
                Text(_status(row, lang), style=style),
                decimal(row.level, lang),
                end_section=row.key != "total" and row is week.families[-1],
            )
        for name, hours in week.unmapped.items():
            table.add_row(
                clean(f"{word('unmapped', lang)}: {name}"), decimal(hours, lang), "", "", "", ""
            )
        parts.append(table)
    parts.append(Text(summary_line(result, lang), style="bold"))
    return Group(*parts)


def compare_markdown(result: Comparison, labels: dict[str, str], lang: str) -> str:
    """One GFM table per week, then the summary."""
    out = []
    header = [word(k, lang) for k in ("family", "actual", "low", "high", "status", "level_header")]
    for week in result.weeks:
        out.append(f"### {week.week}\n")
        out.append("| " + " | ".join(header) + " |")
        out.append("| --- | ---: | ---: | ---: | --- | ---: |")
        for row in (*week.families, week.total):
            cells = [
                markdown_cell(labels.get(row.key, word("total", lang))),
                decimal(row.actual, lang),
                decimal(row.low, lang),
                decimal(row.high, lang),
                _status(row, lang),
                decimal(row.level, lang),
            ]
            out.append("| " + " | ".join(cells) + " |")
        for name, hours in week.unmapped.items():
            cells = [
                markdown_cell(f"{word('unmapped', lang)}: {name}"),
                decimal(hours, lang),
                " ",
                " ",
                " ",
                " ",
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out.append(markdown_text(summary_line(result, lang)))
    return "\n".join(out) + "\n"


def labels_of(catalogue: Any, lang: str) -> dict[str, str]:
    """Each family's label in ``lang``."""
    return {f.id: localize(f.label, lang) for f in catalogue.families}
