"""The weekly plan for people (table, Markdown) and scripts (JSON, docs/json.md#plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtime.i18n import localize, translate
from smtime.plan import DAY_NAMES, Plan, clock
from smtime.render.escape import markdown_cell, markdown_text
from smtime.render.numbers import LOCALES, decimal, number

if TYPE_CHECKING:
    from rich.console import Group


def _labels(plan: Plan, lang: str) -> dict[str, str]:
    return {line.key: localize(line.label, lang) for line in plan.lines}


def day_name(day: int, lang: str) -> str:
    """Day ``day`` of the ISO week (1 is Monday) as a column header: ``Lundi`` (Babel's
    names, capitalised)."""
    from babel.dates import get_day_names

    name = str(get_day_names("wide", locale=LOCALES.get(lang, LOCALES["en"]))[day - 1])
    return name[:1].upper() + name[1:]


def plan_data(plan: Plan, lang: str, scenario: dict[str, Any]) -> dict[str, Any]:
    """The ``plan`` object."""
    labels = _labels(plan, lang)
    window = plan.window
    return {
        **scenario,
        "window": {
            "days": [DAY_NAMES[d - 1] for d in window.days],
            "start": clock(window.start),
            "end": clock(window.end),
            "min_block": window.min_block,
        },
        "capacity_hours": number(plan.capacity / 60),
        "budget_hours": number(plan.budget),
        "planned_hours": number(sum(plan.planned.values()) / 60),
        "fits": plan.fits,
        "families": [
            {
                "id": line.key,
                "label": labels[line.key],
                "rhythm": line.rhythm.value,
                "budget_hours": number(line.hours),
                "planned_hours": number(plan.planned.get(line.key, 0) / 60),
                "unplaced_hours": number(plan.unplaced.get(line.key, 0) / 60),
            }
            for line in plan.lines
        ],
        "blocks": [
            {
                "day": DAY_NAMES[b.day - 1],
                "start": clock(b.start),
                "end": clock(b.end),
                "minutes": b.minutes,
                "id": b.key,
                "label": labels[b.key],
            }
            for b in plan.blocks
        ],
    }


def _columns(plan: Plan) -> list[list[tuple[str, str]]]:
    return [
        [(f"{clock(b.start)}–{clock(b.end)}", b.key) for b in plan.blocks if b.day == day]
        for day in plan.window.days
    ]


def warning(plan: Plan, lang: str) -> str | None:
    """One line saying what did not fit, or None."""
    if plan.fits:
        return None
    labels = _labels(plan, lang)
    missing = ", ".join(
        translate("{family} {hours} h", lang, family=labels[key], hours=decimal(minutes / 60, lang))
        for key, minutes in plan.unplaced.items()
        if minutes
    )
    return translate(
        "the budget of {budget} hours does not fit in the window of {capacity} hours a week; "
        "not placed: {missing}",
        lang,
        budget=decimal(plan.budget, lang),
        capacity=decimal(plan.capacity / 60, lang),
        missing=missing,
    )


def plan_table(plan: Plan, lang: str) -> Group:
    """Days as columns, blocks as rows."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from smtime.render.table import clean

    labels = _labels(plan, lang)
    table = Table(title=translate("Weekly plan", lang), title_justify="left", show_lines=False)
    columns = _columns(plan)
    for day in plan.window.days:
        table.add_column(day_name(day, lang))
    for row in range(max((len(c) for c in columns), default=0)):
        cells: list[Text] = []
        for column in columns:
            if row < len(column):
                when, key = column[row]
                cell = Text(when + "\n", style="dim")
                cell.append_text(clean(labels[key]))
                cells.append(cell)
            else:
                cells.append(Text(""))
        table.add_row(*cells)
    note = warning(plan, lang)
    parts: list[Any] = [table]
    if note:
        parts.append(Text(note, style="bold red"))
    return Group(*parts)


def plan_markdown(plan: Plan, lang: str) -> str:
    """Days as columns, blocks as rows, in a GitHub-flavoured table."""
    labels = _labels(plan, lang)
    columns = _columns(plan)
    header = [day_name(d, lang) for d in plan.window.days]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for row in range(max((len(c) for c in columns), default=0)):
        cells = []
        for column in columns:
            if row < len(column):
                when, key = column[row]
                cells.append(f"{when} {markdown_cell(labels[key])}")
            else:
                cells.append(" ")
        lines.append("| " + " | ".join(cells) + " |")
    text = f"### {markdown_text(translate('Weekly plan', lang))}\n\n" + "\n".join(lines) + "\n"
    note = warning(plan, lang)
    return text + (f"\n> **{markdown_text(note)}**\n" if note else "")
