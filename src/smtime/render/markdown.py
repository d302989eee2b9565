"""GitHub-flavoured Markdown tables, ready to paste into a proposal, with their assumptions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from smtime.domain import Assumptions, Breakdown, Estimate, LineKind
from smtime.i18n import localize, translate
from smtime.render.escape import markdown_cell, markdown_text
from smtime.render.json import action_labels
from smtime.render.notes import assumption_lines, hours_per, line_label, scenario_name
from smtime.render.numbers import Shown, decimal, money, percent, shown_lines, span

if TYPE_CHECKING:
    from smtime.domain import Catalogue


def table(header: Sequence[str], align: str, rows: Iterable[Sequence[str]]) -> str:
    """A GFM table; ``align`` has one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def estimate_markdown(
    result: Estimate, assumptions: Assumptions, catalogue: Catalogue, lang: str
) -> str:
    """The estimate table, then its assumptions as a list."""
    chosen = result.total.hours is not None or any(r.hours is not None for r in result.families)
    costed = assumptions.rate is not None
    header = [translate("Family", lang), translate("Low", lang), translate("High", lang)]
    align = "lrr"
    if chosen:
        header.append(markdown_cell(f"{translate('Chosen', lang)} ({scenario_name(result, lang)})"))
        align += "r"
    header.append(translate("FTE", lang))
    align += "r"
    if costed:
        header.append(f"{translate('Cost', lang)} ({assumptions.currency})")
        align += "r"

    def row(label: str, shown: Shown, strong: bool) -> list[str]:
        hours, fte, cost = shown.hours, shown.fte, shown.cost
        cells = [markdown_cell(label), decimal(hours.low, lang), decimal(hours.high, lang)]
        if chosen:
            cells.append(decimal(hours.hours, lang))
        cells.append(span(fte, lambda v: decimal(v, lang), " – "))
        if cost is not None:
            cells.append(span(cost, lambda v: money(v, assumptions.currency, lang), " – "))
        return [f"**{c}**" for c in cells] if strong else cells

    rows = [
        row(line_label(shown.line, lang), shown, shown.line.kind is LineKind.TOTAL)
        for shown in shown_lines(result, assumptions)
    ]
    title = hours_per(assumptions.period, lang)
    notes = "\n".join(
        f"- {markdown_text(line)}"
        for line in assumption_lines(result, assumptions, catalogue, lang)
    )
    return f"### {title}\n\n" + table(header, align, rows) + f"\n{notes}\n"


def tasks_markdown(data: list[dict[str, Any]], lang: str) -> str:
    """The families with their hours and actions."""
    header = [
        translate("Id", lang),
        translate("Family", lang),
        translate("Low", lang),
        translate("High", lang),
        translate("Actions", lang),
    ]
    rows = [
        [
            markdown_cell(t["id"]),
            markdown_cell(t["label"]),
            decimal(t["low"], lang),
            decimal(t["high"], lang),
            "<br>".join(markdown_cell(a) for a in t["actions"]) or " ",
        ]
        for t in data
    ]
    return table(header, "llrrl", rows)


def breakdown_markdown(result: Breakdown, lang: str) -> str:
    """One family: hours and shares, then its actions as a list."""
    family = result.family
    header = [" ", translate("Low", lang), translate("High", lang)]
    rows = [
        [translate("Hours per week", lang), decimal(result.low, lang), decimal(result.high, lang)],
        [
            translate("Share of total", lang),
            percent(result.share_low, lang),
            percent(result.share_high, lang),
        ],
    ]
    title = markdown_text(f"{localize(family.label, lang)} ({family.id})")
    actions = "\n".join(f"- {markdown_text(a)}" for a in action_labels(family, lang))
    return (
        f"### {title}\n\n"
        + table(header, "lrr", rows)
        + f"\n**{translate('Actions', lang)}**\n\n{actions}\n"
    )
