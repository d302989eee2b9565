"""Tables for people, drawn with rich. Catalogue text is data: never read as markup."""

from __future__ import annotations

import errno
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from smtime.domain import Assumptions, Breakdown, Estimate, Figures, LineKind, NamedTuple
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


def clean(text: str, style: str = "") -> Text:
    """Catalogue text as a rich ``Text`` in ``style``: control characters made visible, markup
    literal."""
    return Text(plain(text), style=style)


def row_count(renderable: object) -> int:
    """The rows of every table in ``renderable`` (a table, or a group of them)."""
    if isinstance(renderable, Table):
        return renderable.row_count
    if isinstance(renderable, Fitted):
        return renderable.rows
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


class Fitted:
    """A renderable built for the width it is drawn in (``build(width)``), with its rows
    counted beforehand (``check_size``)."""

    def __init__(self, build: Callable[[int], RenderableType], rows: int) -> None:
        self.build = build
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)


class Column(NamedTuple):
    """A column of a table that fits its width: its header, cells, alignment, and when it
    gives way (0: never; the higher, the sooner)."""

    header: str
    cells: Sequence[Text | str]
    justify: str = "right"
    gives_way: int = 0
    folded: Sequence[Text | str] | None = None
    """The cells on several lines (a range as ``low –`` above ``high``), for when nothing
    else can give way."""
    wraps: bool = False
    """Words that may wrap (never within a word) rather than numbers that stay on one line."""


LABEL_MIN_WIDTH = 20
"""A label column is never narrower than its longest word, up to this width, nor than this
(unless its longest line is shorter): labels wrap, they are never cut. A longer word (a URL
logged as a tag) folds rather than push the numbers out of the table."""


def fitted_table(columns: list[Column], width: int, **options: Any) -> Table:
    """A table of ``columns`` within ``width``: the first column (labels) and the columns of
    words wrap between words; the other columns keep every cell whole. Columns that give way
    (the decorative bar first, then secondary figures) are left out, the soonest first, and
    ranges are folded onto two lines, until the rest fits."""
    label, *others = columns
    kept = list(others)
    for level in sorted({c.gives_way for c in others if c.gives_way}, reverse=True):
        if _narrowest(label, kept) <= width:
            break
        kept = [c for c in kept if c.gives_way != level]
    if _narrowest(label, kept) > width:
        kept = [c._replace(cells=c.folded) if c.folded else c for c in kept]
    # the last resort: labels narrower than LABEL_MIN_WIDTH, down to their longest word
    roomy = _narrowest(label, kept) <= width
    widths = _widths([label, *kept], width, roomy=roomy)
    table = Table(**options)
    for column, size in zip([label, *kept], widths, strict=True):
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=size is None,
            width=size,
            # below the width tables are made for, a number cut short ends with "…", never
            # cropped into another number (2.5 as "2.")
            overflow="fold" if size is not None else "ellipsis",
        )
    for row in range(len(label.cells)):
        table.add_row(label.cells[row], *(c.cells[row] for c in kept))
    return table


def _lines(column: Column) -> list[str]:
    return [line for cell in [column.header, *column.cells] for line in str(cell).split("\n")]


def _natural(column: Column) -> int:
    """The width of a column's longest line."""
    return max((cell_len(line) for line in _lines(column)), default=1)


def _least(column: Column, first: bool, roomy: bool = True) -> int:
    """The narrowest a column may be: its longest line, or for text that wraps (the labels
    of the first column, words) its longest word (at most ``LABEL_MIN_WIDTH``: a longer one
    folds); labels take at least ``LABEL_MIN_WIDTH`` unless every one is shorter, or unless
    the table has no room for that (not ``roomy``)."""
    if not (first or column.wraps):
        return _natural(column)
    word = max((cell_len(w) for line in _lines(column) for w in line.split()), default=1)
    word = min(word, LABEL_MIN_WIDTH)  # a longer word folds
    if first and roomy:
        return max(word, min(LABEL_MIN_WIDTH, _natural(column)))
    return word


def _narrowest(label: Column, columns: list[Column]) -> int:
    """The narrowest width of a table of these columns: each at its least, with a space on
    either side and a rule."""
    return 1 + sum(3 + _least(c, i == 0) for i, c in enumerate([label, *columns]))


def _widths(columns: list[Column], width: int, *, roomy: bool = True) -> list[int | None]:
    """The width of each column that wraps (None for the others, as wide as their cells):
    the room left by the others, shared out from each one's least (``_least``) towards its
    natural width in proportion to what it lacks."""
    wrapping = [i for i, c in enumerate(columns) if i == 0 or c.wraps]
    fixed = sum(3 + _natural(c) for i, c in enumerate(columns) if i not in wrapping)
    room = width - 1 - fixed - 3 * len(wrapping)
    least = {i: _least(columns[i], i == 0, roomy) for i in wrapping}
    natural = {i: max(_natural(columns[i]), least[i]) for i in wrapping}
    sizes = dict(natural)
    if sum(natural.values()) > room:
        lacking = sum(natural[i] - least[i] for i in wrapping) or 1
        spare = max(0, room - sum(least.values()))
        sizes = {i: least[i] + (natural[i] - least[i]) * spare // lacking for i in wrapping}
    return [sizes.get(i) for i in range(len(columns))]


def estimate_table(
    result: Estimate,
    catalogue: Catalogue,
    lang: str,
    assumptions: Assumptions | None = None,
) -> Fitted:
    """Hours per family with a low–high bar, FTE and cost; the assumptions below the table.
    At any width from 60 columns, labels wrap and numbers stay whole: the bar gives way
    first, then the FTE, then (when a scenario is chosen) the low and high columns."""
    assumptions = assumptions or Assumptions()
    chosen = any(r.hours is not None for r in result.families)
    title = hours_per(assumptions.period, lang)
    if result.scenario.level is not None:
        title += f" — {scenario_name(result, lang)}"
    costed = assumptions.rate is not None
    largest = max((r.high for r in result.families), default=0.0)
    shown = shown_lines(result, assumptions)

    labels: list[Text | str] = []
    for line in shown:
        label = line_label(line.line, lang)
        bold = line.line.kind is LineKind.TOTAL
        labels.append(Text(plain(label), style="bold") if bold else clean(label))
    secondary = 3 if chosen else 0
    columns = [
        Column(translate("Family", lang), labels, "left"),
        Column(
            translate("Low", lang), [decimal(s.hours.low, lang) for s in shown], gives_way=secondary
        ),
        Column(
            translate("High", lang),
            [decimal(s.hours.high, lang) for s in shown],
            gives_way=secondary,
        ),
    ]
    if chosen:
        columns.append(
            Column(
                translate("Chosen", lang),
                [Text(decimal(s.hours.hours, lang), style="bold") for s in shown],
            )
        )
    columns.append(
        Column(
            translate("Low → high", lang),
            [bar(s.line.weekly, largest) if s.line.kind is LineKind.FAMILY else "" for s in shown],
            "left",
            gives_way=5,
        )
    )

    def ranges(pick: Callable[[Shown], Figures | None], fmt: Callable[[float], str]) -> Any:
        """A range's cells on one line, and folded (``low –`` above ``high``)."""
        one_line = [span(pick(s), fmt) for s in shown]
        return one_line, [span(pick(s), fmt, " –\n") for s in shown]

    fte, fte_folded = ranges(lambda s: s.fte, lambda v: decimal(v, lang))
    columns.append(Column(translate("FTE", lang), fte, gives_way=4, folded=fte_folded))
    if costed:
        cost, folded = ranges(lambda s: s.cost, lambda v: money(v, assumptions.currency, lang))
        columns.append(Column(translate("Cost", lang), cost, folded=folded))
    notes = assumption_lines(result, assumptions, catalogue, lang)

    def build(width: int) -> RenderableType:
        table = fitted_table(columns, width, title=title, title_justify="left", show_edge=True)
        _sections(table, len(result.families))
        return Group(table, Text("\n".join(plain(line) for line in notes), style="dim"))

    return Fitted(build, len(shown))


def _sections(table: Table, families: int) -> None:
    """A rule between the families and the lines that add them up; the total in bold."""
    if 0 < families < len(table.rows):
        table.rows[families - 1].end_section = True
    if table.rows:
        table.rows[-1].style = "bold"


def tasks_table(catalogue: Catalogue, lang: str) -> Table:
    """The families with their ids, hours and actions."""
    from smtime.render.json import tasks_data

    table = Table(title=translate("Task families", lang), title_justify="left", show_lines=True)
    # labels and actions wrap (a word longer than its column is folded, never cut); ids and
    # hours stay whole
    table.add_column(translate("Id", lang), no_wrap=True)
    table.add_column(translate("Family", lang), overflow="fold")
    table.add_column(translate("Low", lang), justify="right", no_wrap=True)
    table.add_column(translate("High", lang), justify="right", no_wrap=True)
    table.add_column(translate("Actions", lang), overflow="fold")
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
