"""Tables for people, drawn with rich. Catalogue text is data: never read as markup."""

from __future__ import annotations

import errno
import io
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from smtime.domain import Assumptions, Breakdown, Estimate, Figures, LineKind
from smtime.i18n import localize, translate
from smtime.render.escape import plain
from smtime.render.json import action_labels
from smtime.render.notes import assumption_lines, hours_per, line_label, scenario_name
from smtime.render.numbers import Shown, decimal, money, percent, shown_lines, span

if TYPE_CHECKING:
    from smtime.domain import Catalogue

BAR_WIDTH = 16
MAX_ROWS = 2000
"""Tables with more rows than this are refused (rich's layout is slow on such tables):
``--format csv``, ``json`` or ``markdown`` write any number of rows."""


def clean(text: str) -> Text:
    """Catalogue text as a rich ``Text``: control characters made visible, markup literal."""
    return Text(plain(text))


def row_count(renderable: object) -> int:
    """The rows of every table in ``renderable`` (a table, or a group of them)."""
    if isinstance(renderable, Table):
        return renderable.row_count
    if isinstance(renderable, Group):
        return sum(row_count(part) for part in renderable.renderables)
    return 0


def check_size(renderable: object) -> None:
    """Refuse, with a ``UsageError``, to draw more than ``MAX_ROWS`` rows."""
    rows = row_count(renderable)
    if rows > MAX_ROWS:
        from smtime.errors import UsageError

        raise UsageError(
            f"a table of {rows:,} rows is more than the {MAX_ROWS:,} a table is drawn for: "
            "use --format csv, json or markdown"
        )


def bar(weekly: Figures, largest: float, width: int = BAR_WIDTH) -> Text:
    """A bar from low to high on a scale of 0 to ``largest``, the chosen hours marked ●."""
    cells = ["·"] * width
    if largest <= 0:
        return Text("".join(cells), style="dim")

    def position(value: float) -> int:
        return min(width - 1, max(0, round(value / largest * (width - 1))))

    low, high = position(weekly.low), position(weekly.high)
    for i in range(low, high + 1):
        cells[i] = "━"
    text = Text("".join(cells))
    text.stylize("dim", 0, low)
    text.stylize("cyan", low, high + 1)
    text.stylize("dim", high + 1, width)
    if weekly.hours is not None:
        mark = position(weekly.hours)
        text = text[:mark] + Text("●", style="bold yellow") + text[mark + 1 :]
    return text


def estimate_table(
    result: Estimate,
    catalogue: Catalogue,
    lang: str,
    assumptions: Assumptions | None = None,
) -> Group:
    """Hours per family with a low–high bar, FTE and cost; the assumptions below the table."""
    assumptions = assumptions or Assumptions()
    chosen = any(r.hours is not None for r in result.families)
    title = hours_per(assumptions.period, lang)
    if result.scenario.level is not None:
        title += f" — {scenario_name(result, lang)}"
    table = Table(title=title, title_justify="left", show_edge=True)
    table.add_column(translate("Family", lang))
    table.add_column(translate("Low", lang), justify="right", no_wrap=True)
    table.add_column(translate("High", lang), justify="right", no_wrap=True)
    if chosen:
        table.add_column(translate("Chosen", lang), justify="right", style="bold", no_wrap=True)
    table.add_column(translate("Low → high", lang), no_wrap=True)
    table.add_column(translate("FTE", lang), justify="right", no_wrap=True)
    costed = assumptions.rate is not None
    if costed:
        table.add_column(translate("Cost", lang), justify="right", no_wrap=True)
    largest = max((r.high for r in result.families), default=0.0)

    def cells(label: Text | str, shown: Shown) -> list[Text | str]:
        hours = shown.hours
        row: list[Text | str] = [label, decimal(hours.low, lang), decimal(hours.high, lang)]
        if chosen:
            row.append(decimal(hours.hours, lang))
        family = shown.line.kind is LineKind.FAMILY
        row.append(bar(shown.line.weekly, largest) if family else "")
        row.append(span(shown.fte, lambda v: decimal(v, lang)))
        if costed:
            row.append(span(shown.cost, lambda v: money(v, assumptions.currency, lang)))
        return row

    for shown in shown_lines(result, assumptions):
        line = shown.line
        if line.kind is not LineKind.FAMILY and table.row_count == len(result.families):
            table.add_section()  # between the families and the lines that add them up
        if line.kind is LineKind.TOTAL:
            label = Text(line_label(line, lang), style="bold")
            table.add_row(*cells(label, shown), style="bold")
        else:
            table.add_row(*cells(clean(line_label(line, lang)), shown))
    lines = assumption_lines(result, assumptions, catalogue, lang)
    return Group(table, Text("\n".join(plain(line) for line in lines), style="dim"))


def tasks_table(catalogue: Catalogue, lang: str) -> Table:
    """The families with their ids, hours and actions."""
    from smtime.render.json import tasks_data

    table = Table(title=translate("Task families", lang), title_justify="left", show_lines=True)
    table.add_column(translate("Id", lang), no_wrap=True)
    table.add_column(translate("Family", lang))
    table.add_column(translate("Low", lang), justify="right")
    table.add_column(translate("High", lang), justify="right")
    table.add_column(translate("Actions", lang))
    for family in tasks_data(catalogue, lang):
        table.add_row(
            clean(family["id"]),
            clean(family["label"]),
            decimal(family["low"], lang),
            decimal(family["high"], lang),
            clean("\n".join(f"• {a}" for a in family["actions"])),
        )
    return table


def breakdown_table(result: Breakdown, lang: str) -> Group:
    """One family: its hours and share under each hypothesis, then its actions."""
    family = result.family
    figures = Table(
        title=clean(f"{localize(family.label, lang)} ({family.id})"), title_justify="left"
    )
    figures.add_column("")
    figures.add_column(translate("Low", lang), justify="right")
    figures.add_column(translate("High", lang), justify="right")
    figures.add_row(
        translate("Hours per week", lang), decimal(result.low, lang), decimal(result.high, lang)
    )
    figures.add_row(
        translate("Share of total", lang),
        percent(result.share_low, lang),
        percent(result.share_high, lang),
    )
    actions = Table(show_header=True, box=None, padding=(0, 1))
    actions.add_column(translate("Actions", lang))
    for label in action_labels(family, lang):
        actions.add_row(clean(f"• {label}"))
    return Group(figures, actions)


class _Console(Console):
    """rich's console, except that a closed pipe is a ``BrokenPipeError`` (exit 141), as for
    every other output, instead of rich's own ``SystemExit(1)``."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def console(file: TextIO | None = None) -> Console:
    """A console on stdout; colour follows NO_COLOR, TERM=dumb and whether it is a terminal."""
    from smtime.output import stdout

    return _Console(file=file or stdout(), highlight=False, emoji=False, markup=False)


def render(renderable: RenderableType, file: TextIO | None = None) -> None:
    """Print ``renderable`` to stdout (or ``file``); at most ``MAX_ROWS`` rows."""
    check_size(renderable)
    console(file).print(renderable)


def to_text(renderable: RenderableType, width: int = 120) -> str:
    """``renderable`` as plain text, for writing to a file; at most ``MAX_ROWS`` rows."""
    check_size(renderable)
    buffer = io.StringIO()
    Console(
        file=buffer, width=width, color_system=None, highlight=False, emoji=False, markup=False
    ).print(renderable)
    return buffer.getvalue()
