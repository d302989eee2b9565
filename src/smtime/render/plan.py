"""The weekly plan for people (table, Markdown) and scripts (JSON, docs/json.md#plan)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from smtime.i18n import localize, marked, translate
from smtime.plan import DAY_NAMES, Line, Plan, clock, in_hours
from smtime.render.escape import markdown_cell, markdown_text, plain
from smtime.render.numbers import LOCALES, decimal, number
from smtime.team import Person, TeamPlan

if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from smtime.render.table import Fitted


def _labels(lines: Iterable[Line], lang: str) -> dict[str, str]:
    """Each line's label in ``lang``, by its key."""
    return {line.key: localize(line.label, lang) for line in lines}


def day_name(day: int, lang: str) -> str:
    """Day ``day`` of the ISO week (1 is Monday) as a column header: ``Lundi`` (Babel's
    names, capitalised)."""
    from babel.dates import get_day_names

    name = str(get_day_names("wide", locale=LOCALES.get(lang, LOCALES["en"]))[day - 1])
    return name[:1].upper() + name[1:]


def plan_data(plan: Plan, lang: str, scenario: dict[str, Any]) -> dict[str, Any]:
    """The ``plan`` object."""
    labels = _labels(plan.lines, lang)
    window = plan.window
    return {
        **scenario,
        "window": {
            "days": [DAY_NAMES[d - 1] for d in window.days],
            "start": clock(window.start),
            "end": clock(window.end),
            "min_block": window.min_block,
        },
        "capacity_hours": number(in_hours(plan.capacity)),
        "budget_hours": number(plan.budget),
        "planned_hours": number(in_hours(plan.planned_minutes)),
        "fits": plan.fits,
        "families": [
            {
                "id": line.key,
                "label": labels[line.key],
                "rhythm": line.rhythm.value,
                "budget_hours": number(line.hours),
                "planned_hours": number(in_hours(plan.planned.get(line.key, 0))),
                "unplaced_hours": number(in_hours(plan.unplaced.get(line.key, 0))),
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


NOTHING_TO_PLACE = marked("the budget is 0 hours: the plan has nothing to place")
"""The warning of a plan (a team's too) whose lines have no hours: its calendar is empty."""


def warning(plan: Plan, lang: str) -> str | None:
    """One line saying what did not fit, or that there is nothing to place; else None."""
    if not plan.budget:
        return translate(NOTHING_TO_PLACE, lang)
    if plan.fits:
        return None
    hours = {key: in_hours(minutes) for key, minutes in plan.unplaced.items() if minutes}
    missing = _not_placed(hours, _labels(plan.lines, lang), lang)
    values = {
        "budget": decimal(plan.budget, lang),
        "capacity": decimal(in_hours(plan.capacity), lang),
        "missing": missing,
    }
    if plan.planned_minutes + sum(plan.unplaced.values()) > plan.capacity:
        return translate(
            "the budget of {budget} hours does not fit in the window of {capacity} hours a "
            "week; not placed: {missing}",
            lang,
            **values,
        )
    return translate(  # enough time in the week, but not in whole blocks of its days
        "the budget of {budget} hours fits in the window of {capacity} hours a week, but not "
        "in whole blocks of its days; not placed: {missing}",
        lang,
        **values,
    )


def plan_table(plan: Plan, lang: str, title: str | None = None, *, warn: bool = True) -> Fitted:
    """The week (under ``title``, else "Weekly plan"), then what did not fit (unless ``warn``
    is false), drawn for the width it is given: days side by side (``side_by_side``) where
    each day has room for the widest word of its labels and of the day names, or where there
    is one day; else one row a block (``by_day``). Nothing is cut, and words wrap whole
    wherever the width allows. Its rows are counted as ``by_day`` draws them, the most."""
    from rich.cells import cell_len
    from rich.console import Group

    from smtime.render.table import Fitted, clean

    labels = {key: shown(label) for key, label in _labels(plan.lines, lang).items()}
    title = title or translate("Weekly plan", lang)
    columns = _columns(plan)
    note = warning(plan, lang) if warn else None
    names = [day_name(day, lang) for day in plan.window.days]
    widest = _widest(columns, labels)
    times, word = widest[0], max([widest[1], *map(cell_len, names)])

    def build(width: int) -> Group:
        room = (width - 1) // max(len(names), 1) - 3  # a day's share, less its rules
        if room < word and len(names) > 1:
            table = by_day(names, columns, labels, widest, lang, title, width)
        else:
            table = side_by_side(names, columns, labels, title, folded=room < times)
        parts: list[Any] = [table]
        if note:
            parts.append(clean(note, style="bold red"))
        return Group(*parts)

    return Fitted(build, sum(map(len, columns)) + len(columns))


def side_by_side(
    names: list[str],
    columns: list[list[tuple[str, str]]],
    labels: dict[str, str],
    title: str,
    *,
    folded: bool,
) -> Table:
    """Days as columns, blocks as rows: each block's times above its label, on two lines
    when ``folded`` (``09:00–`` above ``10:30``, for a day narrower than the times)."""
    from rich.table import Table

    from smtime.render.table import clean

    table = Table(title=clean(title, style="table.title"), title_justify="left")
    for name in names:
        table.add_column(name, overflow="fold")
    for row in range(max((len(c) for c in columns), default=0)):
        cells = [_block(*c[row], labels, folded) if row < len(c) else "" for c in columns]
        table.add_row(*cells)
    return table


def shown(label: str) -> str:
    """A label as a plan table shows it: its controls as escapes (``plain``), each of its
    lines without the spaces around it, so that its widest word is all it needs."""
    return "\n".join(line.strip() for line in plain(label).splitlines())


def _block(when: str, key: str, labels: dict[str, str], folded: bool) -> Text:
    """A block as a cell: its times (dim, on two lines when ``folded``) above its label."""
    from rich.text import Text

    cell = Text()
    cell.append((when.replace("–", "–\n") if folded else when) + "\n", style="dim")
    cell.append(labels[key])
    return cell


def _widest(columns: list[list[tuple[str, str]]], labels: dict[str, str]) -> tuple[int, int]:
    """The width of the widest block times (``09:00–10:30``) and of the widest word of a
    label as shown, in terminal cells."""
    from rich.cells import cell_len

    blocks = [block for column in columns for block in column]
    times = max((cell_len(when) for when, _ in blocks), default=0)
    words = {word for _, key in blocks for word in labels[key].split()}
    return times, max(map(cell_len, words), default=0)


def by_day(
    names: list[str],
    columns: list[list[tuple[str, str]]],
    labels: dict[str, str],
    widest: tuple[int, int],
    lang: str,
    title: str,
    width: int,
) -> Table:
    """The plan for a width where days side by side would fold words: one row a block, a
    rule between days. Where the day's name, the block's times and the widest word of a
    label fit on one line, three columns (the day's name before its first block, a dash for
    a day without blocks); else one column, the day's name on a row of its own above its
    blocks, each block as days side by side show it. Labels wrap between words (a word
    wider than the whole width still folds). ``widest``: the widths of ``_widest``."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from smtime.render.table import clean

    headers = [translate("Day", lang), translate("Time", lang), translate("Family", lang)]
    times, word = widest
    wanted = [max(map(cell_len, [headers[0], *names])), max(times, cell_len(headers[1]))]
    wanted.append(max(word, cell_len(headers[2])))
    table = Table(title=clean(title, style="table.title"), title_justify="left")
    if sum(wanted) + 10 <= width:  # 4 rules, 3 paddings of 2
        table.add_column(headers[0], no_wrap=True)
        table.add_column(headers[1], no_wrap=True, style="dim")
        table.add_column(headers[2], overflow="fold", ratio=1)
        for name, column in zip(names, columns, strict=True):
            for index, (when, key) in enumerate(column):
                table.add_row(name if index == 0 else "", when, Text(labels[key]))
            if not column:
                table.add_row(name, "–", "")
            table.rows[-1].end_section = True
        return table
    table.add_column(overflow="fold")
    table.show_header = False
    folded = width - 4 < times
    for name, column in zip(names, columns, strict=True):
        table.add_row(Text(name, style="bold"))
        for when, key in column:
            table.add_row(_block(when, key, labels, folded))
        if not column:
            table.add_row("–")
        table.rows[-1].end_section = True
    return table


def plan_markdown(plan: Plan, lang: str, title: str | None = None, *, warn: bool = True) -> str:
    """Days as columns, blocks as rows, in a GitHub-flavoured table."""
    labels = _labels(plan.lines, lang)
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
    title = title or translate("Weekly plan", lang)
    text = f"### {markdown_text(title)}\n\n" + "\n".join(lines) + "\n"
    note = warning(plan, lang) if warn else None
    return text + (f"\n> **{markdown_text(note)}**\n" if note else "")


def person_title(person: Person, plan: Plan, lang: str) -> str:
    """``Weekly plan — Alice (12 h)``."""
    hours = decimal(in_hours(plan.planned_minutes), lang)
    return translate("Weekly plan — {name} ({hours} h)", lang, name=person.name, hours=hours)


def _not_placed(hours: dict[str, float], labels: dict[str, str], lang: str) -> str:
    """``Blogging 2 h, Strategy 1 h``: the hours of each line that did not fit."""
    return ", ".join(
        translate("{family} {hours} h", lang, family=labels[key], hours=decimal(value, lang))
        for key, value in hours.items()
    )


def team_warning(team: TeamPlan, lang: str) -> str | None:
    """One line saying which hours are in no one's calendar, or that there is nothing to
    place; else None."""
    if not team.budget:
        return translate(NOTHING_TO_PLACE, lang)
    missing = team.unplaced
    if not missing:
        return None
    labels = _labels(team.lines, lang)
    listed = _not_placed(missing, labels, lang)
    return translate(
        "the team cannot hold the whole budget of {budget} hours; not placed: {missing}",
        lang,
        budget=decimal(team.budget, lang),
        missing=listed,
    )


def team_table(team: TeamPlan, lang: str) -> Group:
    """Each person's week, then what did not fit."""
    from rich.console import Group

    from smtime.render.table import clean

    parts: list[Any] = [
        plan_table(plan, lang, person_title(person, plan, lang), warn=False)
        for person, plan in team.people
    ]
    note = team_warning(team, lang)
    if note:
        parts.append(clean(note, style="bold red"))
    return Group(*parts)


def team_markdown(team: TeamPlan, lang: str) -> str:
    """Each person's week as a GFM table, then what did not fit."""
    text = "\n".join(
        plan_markdown(plan, lang, person_title(person, plan, lang), warn=False)
        for person, plan in team.people
    )
    note = team_warning(team, lang)
    return text + (f"\n> **{markdown_text(note)}**\n" if note else "")


def team_data(team: TeamPlan, lang: str, scenario: dict[str, Any]) -> dict[str, Any]:
    """The ``team`` object: each person's plan, and the hours in no one's calendar."""
    return {
        **scenario,
        "budget_hours": number(team.budget),
        "planned_hours": number(in_hours(team.planned_minutes)),
        "fits": team.fits,
        "people": [
            {
                "name": person.name,
                "email": person.email,
                **plan_data(plan, lang, {}),
            }
            for person, plan in team.people
        ],
        "unplaced": {key: number(hours) for key, hours in team.unplaced.items()},
    }
