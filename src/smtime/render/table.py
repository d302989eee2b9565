"""Tables for people, drawn with rich. Catalogue text is data: never read as markup."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from smtime.core import Breakdown, Estimate
from smtime.i18n import localize, word
from smtime.models import Catalogue
from smtime.render.json import action_labels

# C0 and C1 control characters (escape sequences start with one), DEL, and the bidirectional
# overrides that can make a label display as something else.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> Text:
    """Catalogue text as a rich ``Text``: control characters removed, markup shown literally."""
    return Text(_CONTROL.sub("", text).replace("\t", " "))


def hours(value: float | None, lang: str) -> str:
    """Hours for a table: at most two decimals, with the language's decimal mark."""
    if value is None:
        return "–"
    shown = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang in ("fr", "es"):
        shown = shown.replace(",", "\u202f").replace(".", ",")
    return shown


def percent(value: float, lang: str) -> str:
    """A fraction as a percentage with one decimal."""
    shown = f"{value * 100:.1f}"
    if lang in ("fr", "es"):
        return shown.replace(".", ",") + "\u00a0%"
    return shown + "%"


def console(file: TextIO | None = None) -> Console:
    """A console on stdout; colour follows NO_COLOR, TERM=dumb and whether it is a terminal."""
    return Console(file=file or sys.stdout, highlight=False, emoji=False, markup=False)


def _scenario_name(result: Estimate, lang: str) -> str:
    scenario = result.scenario
    if scenario.hypothesis is not None:
        return word(scenario.hypothesis.value, lang)
    return f"{word('level', lang)} {hours(scenario.level or 0.0, lang)}"


def estimate_table(result: Estimate, catalogue: Catalogue, lang: str) -> Table:
    """Hours per family: the low–high range, and the chosen scenario's hours when there is one."""
    chosen = result.scenario.level is not None
    title = word("weekly_hours", lang)
    if chosen:
        title += f" — {_scenario_name(result, lang)}"
    table = Table(title=title, show_footer=True, title_justify="left")
    table.add_column(word("family", lang), footer=word("total", lang))
    table.add_column(word("low", lang), justify="right", footer=hours(result.low, lang))
    table.add_column(word("high", lang), justify="right", footer=hours(result.high, lang))
    if chosen:
        table.add_column(
            _scenario_name(result, lang), justify="right", footer=hours(result.hours, lang)
        )
    for row in result.families:
        cells: list[Text | str] = [
            clean(localize(row.family.label, lang)),
            hours(row.low, lang),
            hours(row.high, lang),
        ]
        if chosen:
            cells.append(hours(row.hours, lang))
        table.add_row(*cells)
    table.caption = clean(f"{word('source', lang)}: {catalogue.source.title}")
    return table


def tasks_table(catalogue: Catalogue, lang: str) -> Table:
    """The families with their ids, hours and actions."""
    table = Table(title=word("families_title", lang), title_justify="left", show_lines=True)
    table.add_column(word("id", lang), no_wrap=True)
    table.add_column(word("family", lang))
    table.add_column(word("low", lang), justify="right")
    table.add_column(word("high", lang), justify="right")
    table.add_column(word("actions", lang))
    for family in catalogue.families:
        table.add_row(
            clean(family.id),
            clean(localize(family.label, lang)),
            hours(family.low, lang),
            hours(family.high, lang),
            clean("\n".join(f"• {a}" for a in action_labels(family, lang))),
        )
    return table


def breakdown_table(result: Breakdown, lang: str) -> Group:
    """One family: its hours and share under each hypothesis, then its actions."""
    family = result.family
    figures = Table(
        title=clean(f"{localize(family.label, lang)} ({family.id})"), title_justify="left"
    )
    figures.add_column("")
    figures.add_column(word("low", lang), justify="right")
    figures.add_column(word("high", lang), justify="right")
    figures.add_row(word("weekly_hours", lang), hours(result.low, lang), hours(result.high, lang))
    figures.add_row(
        word("share", lang), percent(result.share_low, lang), percent(result.share_high, lang)
    )
    actions = Table(show_header=True, box=None, padding=(0, 1))
    actions.add_column(word("actions", lang))
    for label in action_labels(family, lang):
        actions.add_row(clean(f"• {label}"))
    return Group(figures, actions)


def render(table: RenderableType, file: TextIO | None = None) -> None:
    """Print ``table`` to stdout (or ``file``)."""
    console(file).print(table)
