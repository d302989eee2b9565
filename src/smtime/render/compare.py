"""Actual time against the budget, for scripts (JSON, CSV; docs/json.md#compare) and people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtime.compare import Comparison, FamilyWeek, Week
from smtime.i18n import marked, translate, translate_plural
from smtime.render.csv import table as csv_table
from smtime.render.escape import markdown_cell, markdown_text
from smtime.render.numbers import decimal, maybe_number, number

if TYPE_CHECKING:
    from smtime.render.table import Fitted

COLUMNS = ("week", "id", "label", "actual", "low", "high", "budget", "status", "level")


def _row(row: FamilyWeek) -> dict[str, Any]:
    return {
        "actual": number(row.actual),
        "low": number(row.low),
        "high": number(row.high),
        "budget": maybe_number(row.budget),
        "status": row.status,
        "level": maybe_number(row.level),
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
                    "hours": number(week.unmapped_hours),
                    "tags": {name: number(hours) for name, hours in week.unmapped.items()},
                },
            }
            for week in result.weeks
        ],
        "summary": {
            "weeks": len(result.weeks),
            "actual_hours": number(result.actual_hours),
            "unmapped_hours": number(result.unmapped_hours),
            "level": maybe_number(result.level),
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


STATUS_NAMES = {
    "below": marked("below the range"),
    "within": marked("within the range"),
    "above": marked("above the range"),
}
"""Each ``status`` of the JSON contract (a week's actual time against the low–high range), in
words."""


def summary_line(result: Comparison, lang: str) -> str:
    """Where the tracked weeks lie on the low–high scale, in one sentence."""
    from smtime.render.notes import hypothesis_name

    if result.match is None or result.level is None:
        return translate("No tracked week to place on the low–high scale.", lang)
    if result.level < 0:
        where = translate("below the low hypothesis", lang)
    elif result.level > 1:
        where = translate("above the high hypothesis", lang)
    else:
        where = translate("closest to the {name}", lang, name=hypothesis_name(result.match, lang))
    return translate_plural(
        "{weeks} tracked week, mean level {level}: {where}",
        "{weeks} tracked weeks, mean level {level}: {where}",
        len(result.weeks),
        lang,
        weeks=len(result.weeks),
        level=decimal(result.level, lang),
        where=where,
    )


def _status(row: FamilyWeek, lang: str) -> str:
    return translate(STATUS_NAMES[row.status], lang)


def _headers(budgeted: bool, lang: str) -> list[tuple[str, str]]:
    """The columns of a week's table (header, alignment): the budget's only with a scenario."""
    headers = [
        (translate("Family", lang), "left"),
        (translate("Actual", lang), "right"),
        (translate("Low", lang), "right"),
        (translate("High", lang), "right"),
    ]
    if budgeted:
        headers.append((translate("Budget", lang), "right"))
    headers += [(translate("Status", lang), "left"), (translate("Level", lang), "right")]
    return headers


def _figures(row: FamilyWeek, budgeted: bool, lang: str) -> list[str]:
    """A row's actual, low, high and (with a scenario) budgeted hours, as people read them."""
    cells = [decimal(row.actual, lang), decimal(row.low, lang), decimal(row.high, lang)]
    if budgeted:
        cells.append(decimal(row.budget, lang))
    return cells


def _unmapped(name: str, lang: str) -> str:
    return translate("Unmapped: {name}", lang, name=name)


def compare_table(result: Comparison, labels: dict[str, str], lang: str) -> Fitted:
    """One table per week (with the budget when a scenario gives one), then the summary.
    Narrow terminals: the level gives way first, then the low and high columns."""
    from rich.console import Group
    from rich.text import Text

    from smtime.render.table import Column, Fitted, clean, fitted_table

    def week_columns(week: Week) -> list[Column]:
        rows = [*week.families, week.total]
        budgeted = week.total.budget is not None
        names: list[Text | str] = [clean(labels.get(r.key, translate("Total", lang))) for r in rows]
        names += [clean(_unmapped(name, lang)) for name in week.unmapped]
        blank = [""] * len(week.unmapped)
        columns = [
            Column(translate("Family", lang), names, "left"),
            Column(
                translate("Actual", lang),
                [decimal(r.actual, lang) for r in rows]
                + [decimal(h, lang) for h in week.unmapped.values()],
            ),
            Column(
                translate("Low", lang), [decimal(r.low, lang) for r in rows] + blank, gives_way=1
            ),
            Column(
                translate("High", lang), [decimal(r.high, lang) for r in rows] + blank, gives_way=1
            ),
        ]
        if budgeted:
            columns.append(
                Column(translate("Budget", lang), [decimal(r.budget, lang) for r in rows] + blank)
            )
        statuses: list[Text | str] = [
            Text(_status(r, lang), style={"below": "yellow", "above": "red"}.get(r.status, "green"))
            for r in rows
        ]
        columns.append(Column(translate("Status", lang), [*statuses, *blank], "left", wraps=True))
        columns.append(
            Column(
                translate("Level", lang),
                [decimal(r.level, lang) for r in rows] + blank,
                gives_way=2,
            )
        )
        return columns

    def build(width: int) -> Group:
        parts: list[Any] = []
        for week in result.weeks:
            title = week.week + (" " + translate("(running)", lang) if week.running else "")
            table = fitted_table(week_columns(week), width, title=title, title_justify="left")
            table.rows[len(week.families) - 1].end_section = bool(week.families)
            parts.append(table)
        parts.append(Text(summary_line(result, lang), style="bold"))
        return Group(*parts)

    rows = sum(len(w.families) + 1 + len(w.unmapped) for w in result.weeks)
    return Fitted(build, rows)


def compare_markdown(result: Comparison, labels: dict[str, str], lang: str) -> str:
    """One GFM table per week (with the budget when a scenario gives one), then the summary."""
    out = []
    for week in result.weeks:
        budgeted = week.total.budget is not None
        headers = _headers(budgeted, lang)
        title = week.week + (" " + translate("(running)", lang) if week.running else "")
        out.append(f"### {markdown_text(title)}\n")
        out.append("| " + " | ".join(markdown_cell(h) for h, _ in headers) + " |")
        out.append("| " + " | ".join("---:" if j == "right" else "---" for _, j in headers) + " |")
        for row in (*week.families, week.total):
            cells = [
                markdown_cell(labels.get(row.key, translate("Total", lang))),
                *_figures(row, budgeted, lang),
                _status(row, lang),
                decimal(row.level, lang),
            ]
            out.append("| " + " | ".join(cells) + " |")
        for name, hours in week.unmapped.items():
            blank = [" "] * (len(headers) - 2)
            cells = [markdown_cell(_unmapped(name, lang)), decimal(hours, lang), *blank]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out.append(markdown_text(summary_line(result, lang)))
    return "\n".join(out) + "\n"
