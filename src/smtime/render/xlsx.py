"""Spreadsheets (docs/formats.md#xlsx): an estimate whose totals are formulas, in an .xlsx
workbook written by XlsxWriter (imported when a workbook is written, never at start-up).

The estimate sheet holds, for each family, its weekly low and high hours (values) and its
level (a value, or a formula that takes the level of the assumptions block), and as formulas
its weekly hours, its hours over the period, its full-time equivalents and its cost; then the
subtotal, the unplanned work and the total, formulas too; then the assumptions block, whose
cells the formulas refer to by name (``Level``, ``Period``, ``WeeksPerYear``,
``WeeksInPeriod``, ``FullTimeHours``, ``HourlyRate``, ``Contingency``). Each formula is the
spreadsheet's form of a rule of ``smtime.domain``, in the same order of operations:

- weekly hours: ``domain.interpolate`` (``high`` at level 1, else ``low + level × (high −
  low)``); a family given fixed hours holds them as a value;
- weeks in the period: ``Assumptions.weeks`` (1, weeks per year ÷ 12, weeks per year);
- hours over the period, FTE and cost: ``Assumptions.per_week`` (hours × weeks, hours × (1 ÷
  full-time hours), hours × (weeks × rate));
- subtotal, unplanned work and total: ``core.totals`` (the sum of the families, then
  ``domain.with_contingency``: the subtotal times its share, and the two added up); a line has
  chosen hours only when each family has some (``domain.add_up``), and a cost only with a
  rate.

An empty cell means no value (``_given``): no level, no rate, no chosen hours; an emptied
low or high hours is an error (``#N/A``), never 0. Text pasted past a cell's validation is an
error where a figure depends on it (the subtotal adds with ``SUMPRODUCT``, where SUM would
skip it).

Every formula cell carries the value smtime computed (full precision) as its cached result,
so that a viewer that does not recalculate shows the figures of ``smtime estimate``. Every
text cell is written as a string (``write_string``), never as a formula, after ``one_line``
(control and bidirectional characters shown as escapes), and cut to the length a cell holds.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from smtime.domain import (
    BUDGET_HOURS,
    CONTINGENCY,
    FULL_TIME_HOURS,
    LEVEL,
    RATE,
    SCALED_HOURS,
    WEEKS_PER_YEAR,
    Assumptions,
    Bound,
    Estimate,
    EstimateLine,
    FamilyEstimate,
    LineKind,
    NamedTuple,
    Period,
    with_contingency,
)
from smtime.i18n import localize, marked, translate
from smtime.render.escape import one_line
from smtime.render.notes import PERIOD_NAMES, assumption_lines, line_label
from smtime.render.numbers import money, money_format, percent_format

if TYPE_CHECKING:
    from smtime.domain import Catalogue

MAX_CELL_TEXT = 32767
"""The most characters (UTF-16 code units) a spreadsheet cell holds (Excel's limit)."""
ELLIPSIS = "…"

WORDS = {
    "estimate": marked("Estimate"),
    "details": marked("Assumptions and actions"),
    "family": marked("Family"),
    "low": marked("Low (h a week)"),
    "high": marked("High (h a week)"),
    "level": marked("Level"),
    "weekly": marked("Hours per week"),
    "period_hours": marked("Hours in the period"),
    "fte": marked("FTE"),
    "cost": marked("Cost in the period"),
    "assumptions": marked("Assumptions"),
    "default_level": marked("Level (0 = low, 1 = high)"),
    "period": marked("Period"),
    "weeks_per_year": marked("Weeks per year"),
    "weeks": marked("Weeks in the period"),
    "full_time_hours": marked("Full-time hours a week"),
    "rate": marked("Hourly rate"),
    "currency": marked("Currency"),
    "contingency": marked("Unplanned work (share of the subtotal)"),
    "note": marked(
        "Change the levels, a family's hours or the assumptions: the hours, FTE and costs "
        "are formulas and follow."
    ),
    "chart": marked("Low–high range by family"),
    "chart_low": marked("Low"),
    "chart_high": marked("High"),
    "actions": marked("Actions"),
    "hypotheses": marked("The hypotheses"),
}
"""The workbook's words, by the name this module gives them."""

# The columns of the estimate sheet, and the word of each header.
LABEL, LOW, HIGH, LEVEL_CELL, WEEKLY, PERIOD_HOURS, FTE, COST = range(8)
HEADERS = ("family", "low", "high", "level", "weekly", "period_hours", "fte", "cost")

# The assumptions block: its rows in order, each with the defined name its value cell takes.
SETTINGS = (
    ("default_level", "Level"),
    ("period", "Period"),
    ("weeks_per_year", "WeeksPerYear"),
    ("weeks", "WeeksInPeriod"),
    ("full_time_hours", "FullTimeHours"),
    ("rate", "HourlyRate"),
    ("currency", "Currency"),
    ("contingency", "Contingency"),
)
NAMES = dict(SETTINGS)

NARROWEST, WIDEST, WRAPPED = 8, 60, 80
"""Column widths in characters: the narrowest and widest fitted, and that of wrapped text."""
LINE_HEIGHT = 15
"""The height of a line of text, in points (that of a row of the default font)."""
EDITABLE = "#FFF2CC"
"""The background of the cells a client is meant to change."""


def cell_text(text: str) -> str:
    """``text`` as a text cell holds it: on one line, control and bidirectional characters
    shown as escapes (``escape.one_line``), and cut, with an ellipsis, to the 32,767 UTF-16
    code units a cell holds (a character beyond the Basic Multilingual Plane counts two)."""
    shown = one_line(text)
    if len(shown) <= MAX_CELL_TEXT // 2 or _utf16(shown) <= MAX_CELL_TEXT:
        return shown
    room = MAX_CELL_TEXT - _utf16(ELLIPSIS)
    kept: list[str] = []
    for char in shown:
        room -= _utf16(char)
        if room < 0:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def formula_text(text: str) -> str:
    """``text`` as a string inside a formula: quoted, its quotes doubled. Only smtime's own
    words go into formulas (the names of the periods), never a catalogue's text."""
    return '"' + text.replace('"', '""') + '"'


def _given(cell: str) -> str:
    """The condition that ``cell`` holds something: empty (or ``""``) means no value (no
    level, no rate, no chosen hours). Anything else is used, so that text pasted past a cell's
    validation, or an error, shows as an error (``#VALUE!``) where a figure depends on it,
    never as a figure left out."""
    return f'{cell}<>""'


def _a1(row: int, column: int) -> str:
    """A cell's reference (``B7``) from its 0-based row and column."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, column))


class Rows(NamedTuple):
    """Where the lines of the estimate sheet are (0-based rows): the families under the
    header, the subtotal, the unplanned work, the total, then the assumptions block."""

    families: int

    @property
    def family_rows(self) -> range:
        return range(1, 1 + self.families)

    @property
    def subtotal(self) -> int:
        return 1 + self.families

    @property
    def contingency(self) -> int:
        return self.subtotal + 1

    @property
    def total(self) -> int:
        return self.subtotal + 2

    @property
    def settings(self) -> int:
        """The row of the assumptions block's first value (its title is the row above)."""
        return self.total + 3


class Formats:
    """The cell formats of a workbook, made once."""

    def __init__(self, book: Any, assumptions: Assumptions, lang: str) -> None:
        def make(**properties: Any) -> Any:
            return book.add_format({"valign": "top", **properties})

        money = money_format(assumptions.currency, lang)
        # quote_prefix: a spreadsheet keeps a text cell text even when a person edits it
        self.text = make(quote_prefix=True)
        self.wrapped = make(quote_prefix=True, text_wrap=True)
        self.header = make(bold=True, text_wrap=True, bottom=1, quote_prefix=True)
        self.strong = make(bold=True, quote_prefix=True)
        self.title = make(bold=True, font_size=14, quote_prefix=True)
        self.hours = make(num_format="#,##0.00")
        self.money = make(num_format=money)
        self.general = make()
        self.level = make(num_format="0.00", bg_color=EDITABLE)
        self.fixed_hours = make(num_format="#,##0.00", bg_color=EDITABLE)
        self.setting = make(bg_color=EDITABLE)
        self.setting_text = make(bg_color=EDITABLE, quote_prefix=True)
        self.setting_money = make(num_format=money, bg_color=EDITABLE)
        self.setting_percent = make(num_format=percent_format(lang), bg_color=EDITABLE)
        self.total_label = make(bold=True, top=1, quote_prefix=True)
        self.total_hours = make(num_format="#,##0.00", bold=True, top=1)
        self.total_money = make(num_format=money, bold=True, top=1)
        self.total_blank = make(top=1)


class Sheet:
    """One worksheet and what writes to it: text always as strings, formulas with their
    cached values, and the widths its columns need."""

    def __init__(self, book: Any, name: str, formats: Formats) -> None:
        self.name = _sheet_name(name)
        self.sheet = book.add_worksheet(self.name)
        self.formats = formats
        self.widths: dict[int, int] = {}

    def text(self, row: int, column: int, text: str, fmt: Any = None, *, fit: bool = True) -> None:
        """A text cell: always a string, whatever it starts with (``=``, ``+``, ``@``)."""
        shown = cell_text(text)
        self.sheet.write_string(row, column, shown, fmt or self.formats.text)
        if fit:
            self.fit(column, shown)

    def number(self, row: int, column: int, value: float | None, fmt: Any) -> None:
        """A number a person may change (a blank cell, in the same format, for None)."""
        if value is None:
            self.sheet.write_blank(row, column, None, fmt)
        else:
            self.sheet.write_number(row, column, value, fmt)

    def formula(self, row: int, column: int, formula: str, value: float | None, fmt: Any) -> None:
        """A formula, with the value smtime computed as its cached result (none: empty)."""
        self.sheet.write_formula(row, column, formula, fmt, "" if value is None else value)

    def fit(self, column: int, shown: str) -> None:
        """Widen ``column`` to show ``shown`` (from ``NARROWEST`` to ``WIDEST`` characters)."""
        width = min(max(len(shown) + 2, NARROWEST), WIDEST)
        self.widths[column] = max(self.widths.get(column, NARROWEST), width)

    def set_widths(self) -> None:
        for column, width in sorted(self.widths.items()):
            self.sheet.set_column(column, column, width)

    def reference(self, row: int, column: int) -> str:
        """The absolute reference of a cell of this sheet, for a defined name."""
        from xlsxwriter.utility import xl_rowcol_to_cell

        quoted = "'" + self.name.replace("'", "''") + "'"
        return f"={quoted}!{xl_rowcol_to_cell(row, column, row_abs=True, col_abs=True)}"


def _sheet_name(name: str) -> str:
    """A worksheet's name as spreadsheets accept it: at most 31 characters, none of
    ``[]:*?/\\``, no quote at either end (the names are smtime's own words, translated)."""
    kept = "".join(" " if char in "[]:*?/\\" else char for char in name).strip("' ")
    return kept[:31]


def estimate_xlsx(result: Estimate, assumptions: Assumptions, lang: str) -> bytes:
    """The estimate as an .xlsx workbook of one sheet."""
    return _workbook(result, assumptions, lang, None)


def report_xlsx(
    result: Estimate,
    assumptions: Assumptions,
    catalogue: Catalogue,
    lang: str,
    *,
    title: str | None,
    today: date | None = None,
) -> bytes:
    """The report as an .xlsx workbook: the estimate sheet, then a sheet with the title, the
    assumptions as sentences, the hypotheses and each family's actions."""

    def details(book: Any, formats: Formats) -> None:
        _details_sheet(book, formats, result, assumptions, catalogue, lang, title, today)

    return _workbook(result, assumptions, lang, details)


def _workbook(
    result: Estimate,
    assumptions: Assumptions,
    lang: str,
    more: Callable[[Any, Formats], None] | None,
) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    options = {  # text is text: never turned into a formula, a number or a link
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    formats = Formats(book, assumptions, lang)
    _estimate_sheet(book, formats, result, assumptions, lang)
    if more is not None:
        more(book, formats)
    book.close()
    return buffer.getvalue()


def _words(lang: str) -> dict[str, str]:
    return {key: translate(message, lang) for key, message in WORDS.items()}


def _estimate_sheet(
    book: Any, formats: Formats, result: Estimate, assumptions: Assumptions, lang: str
) -> None:
    words = _words(lang)
    sheet = Sheet(book, words["estimate"], formats)
    lines = [line for line in result.lines() if line.kind is LineKind.FAMILY]
    rows = Rows(len(lines))
    for column, key in enumerate(HEADERS):
        sheet.text(0, column, words[key], formats.header, fit=False)
        sheet.fit(column, max(words[key].split(), key=len))  # headers wrap between words
    for row, line in zip(rows.family_rows, lines, strict=True):
        assert line.row is not None
        sheet.text(row, LABEL, line_label(line, lang))
        _family_cells(sheet, row, line.row, assumptions)
    _footer(sheet, rows, result, assumptions, lang)
    _settings(book, sheet, rows, result, assumptions, lang, words)
    _fit_numbers(sheet, result, assumptions, lang)
    sheet.set_widths()
    header = max(_wrapped(words[key], sheet.widths[column]) for column, key in enumerate(HEADERS))
    sheet.sheet.set_row(0, LINE_HEIGHT * header)
    sheet.sheet.freeze_panes(1, 1)
    sheet.sheet.set_landscape()
    sheet.sheet.fit_to_pages(1, 0)
    sheet.sheet.repeat_rows(0)
    _chart(book, sheet, rows, words)


def _wrapped(text: str, width: int) -> int:
    """The lines ``text`` takes, wrapped between words in a column ``width`` wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _family_cells(sheet: Sheet, row: int, family: FamilyEstimate, assumptions: Assumptions) -> None:
    """A family's numbers: low and high (values); its level (its own as a value, else that of
    the assumptions block through a formula) and its weekly hours (a formula of the level),
    or its fixed weekly hours as a value; then its hours over the period, FTE and cost."""
    formats = sheet.formats
    sheet.number(row, LOW, family.low, formats.hours)
    sheet.number(row, HIGH, family.high, formats.hours)
    choice = family.choice
    if choice is not None and choice.hours is not None:
        sheet.number(row, LEVEL_CELL, None, formats.general)  # no level: the hours are fixed
        sheet.number(row, WEEKLY, family.hours, formats.fixed_hours)
        _bounded(sheet, row, row, WEEKLY, BUDGET_HOURS)  # as --set takes hours
    else:
        if family.overridden and choice is not None:
            sheet.number(row, LEVEL_CELL, choice.level, formats.level)
        else:
            default = None if choice is None else choice.level
            name = NAMES["default_level"]
            formula = f'=IF({_given(name)},{name},"")'
            sheet.formula(row, LEVEL_CELL, formula, default, formats.level)
        level, low, high = (_a1(row, column) for column in (LEVEL_CELL, LOW, HIGH))
        interpolated = f"IF({level}=1,{high},{low}+{level}*({high}-{low}))"
        # an emptied low or high is an error, as text is, never 0 hours
        hours = f'=IF({_given(level)},IF(OR({low}="",{high}=""),NA(),{interpolated}),"")'
        sheet.formula(row, WEEKLY, hours, family.hours, formats.hours)
    _period_cells(sheet, row, family.hours, assumptions, formats.hours, formats.money)


def _period_cells(
    sheet: Sheet,
    row: int,
    weekly: float | None,
    assumptions: Assumptions,
    hours_format: Any,
    money_format: Any,
) -> None:
    """The hours over the period, FTE and cost of a line whose weekly hours are in its
    ``WEEKLY`` cell (``Assumptions.per_week``); empty when it has none, the cost without a
    rate."""
    hours = _a1(row, WEEKLY)
    values = (None, None, None) if weekly is None else assumptions.per_week(weekly)
    chosen = _given(hours)
    weeks, full_time, rate = NAMES["weeks"], NAMES["full_time_hours"], NAMES["rate"]
    cells = (
        (PERIOD_HOURS, f'=IF({chosen},{hours}*{weeks},"")', hours_format),
        (FTE, f'=IF({chosen},{hours}*(1/{full_time}),"")', hours_format),
        (COST, f'=IF(AND({chosen},{_given(rate)}),{hours}*({weeks}*{rate}),"")', money_format),
    )
    for (column, formula, fmt), value in zip(cells, values, strict=True):
        sheet.formula(row, column, formula, value, fmt)


def _footer_lines(result: Estimate) -> tuple[EstimateLine, EstimateLine, EstimateLine]:
    """The subtotal, unplanned work and total lines of the sheet: those of
    ``Estimate.lines``, with unplanned work of 0 % of the subtotal when the estimate has
    none, so that a client can set a share."""
    contingency = result.contingency
    if contingency is None:
        contingency, _ = with_contingency(result.subtotal, 0.0)
    return (
        EstimateLine(LineKind.SUBTOTAL, result.subtotal),
        EstimateLine(LineKind.CONTINGENCY, contingency),
        EstimateLine(LineKind.TOTAL, result.total),
    )


def _footer(
    sheet: Sheet, rows: Rows, result: Estimate, assumptions: Assumptions, lang: str
) -> None:
    """The subtotal (sums of the families), the unplanned work (the subtotal times the share
    of the assumptions block) and the total (their sum), as formulas."""
    formats = sheet.formats
    first, last = rows.family_rows.start, rows.family_rows.stop - 1
    subtotal, contingency, total = rows.subtotal, rows.contingency, rows.total
    share = NAMES["contingency"]

    def sums(column: int) -> str:
        return f"{_a1(first, column)}:{_a1(last, column)}"

    def weekly(column: int, row: int) -> str:
        sub, extra = _a1(subtotal, column), _a1(contingency, column)
        if row == subtotal:
            # SUMPRODUCT of the cells as numbers: text pasted in a family's cell is an error
            # here (#VALUE!), as in the family's own formulas, where SUM would skip it; an
            # emptied low or high is #N/A, where SUM would read it as 0
            total = f"SUMPRODUCT(--{sums(column)})"
            if column == WEEKLY:  # no hours ("") is said by the line's condition
                return total
            return f"IF(COUNTBLANK({sums(column)})>0,NA(),{total})"
        return f"{sub}*{share}" if row == contingency else f"{sub}+{extra}"

    for row, line in zip((subtotal, contingency, total), _footer_lines(result), strict=True):
        sheet.text(row, LABEL, line_label(line, lang), formats.total_label)
        sheet.formula(row, LOW, f"={weekly(LOW, row)}", line.weekly.low, formats.total_hours)
        sheet.formula(row, HIGH, f"={weekly(HIGH, row)}", line.weekly.high, formats.total_hours)
        sheet.number(row, LEVEL_CELL, None, formats.total_blank)
        if row == subtotal:  # chosen hours only when every family has some ("" is none)
            chosen = f"COUNTBLANK({sums(WEEKLY)})=0"
        else:
            chosen = _given(_a1(subtotal, WEEKLY))
        hours = f'=IF({chosen},{weekly(WEEKLY, row)},"")'
        sheet.formula(row, WEEKLY, hours, line.weekly.hours, formats.total_hours)
        _period_cells(
            sheet, row, line.weekly.hours, assumptions, formats.total_hours, formats.total_money
        )


def _settings(
    book: Any,
    sheet: Sheet,
    rows: Rows,
    result: Estimate,
    assumptions: Assumptions,
    lang: str,
    words: dict[str, str],
) -> None:
    """The assumptions block: a label and a value on each row, the value named (``SETTINGS``)
    and checked as smtime checks it (``domain``'s bounds, the three periods)."""
    formats = sheet.formats
    sheet.text(rows.settings - 1, LABEL, words["assumptions"], formats.strong)
    periods = {period: translate(PERIOD_NAMES[period], lang) for period in Period}
    share = result.scenario.share
    period, per_year = NAMES["period"], NAMES["weeks_per_year"]
    week, month, year = (formula_text(periods[p]) for p in (Period.WEEK, Period.MONTH, Period.YEAR))
    # Assumptions.weeks; a period that is none of the three, and a month or a year without
    # weeks per year (a cleared cell, which a spreadsheet reads as 0), are errors (#N/A)
    weeks = (
        f"=IF({period}={week},1,IF(NOT(ISNUMBER({per_year})),NA(),"
        f"IF({period}={month},{per_year}/12,IF({period}={year},{per_year},NA()))))"
    )
    for offset, (key, name) in enumerate(SETTINGS):
        row = rows.settings + offset
        sheet.text(row, LABEL, words[key])
        book.define_name(name, sheet.reference(row, LOW))
        if key == "default_level":
            sheet.number(row, LOW, result.scenario.level, formats.level)
            _bounded(sheet, row, row, LOW, LEVEL)
        elif key == "period":
            sheet.text(row, LOW, periods[assumptions.period], formats.setting_text, fit=False)
            sheet.sheet.data_validation(
                row, LOW, row, LOW, {"validate": "list", "source": list(periods.values())}
            )
        elif key == "weeks_per_year":
            sheet.number(row, LOW, assumptions.weeks_per_year, formats.setting)
            _bounded(sheet, row, row, LOW, WEEKS_PER_YEAR)
        elif key == "weeks":
            sheet.formula(row, LOW, weeks, assumptions.weeks, formats.general)
        elif key == "full_time_hours":
            sheet.number(row, LOW, assumptions.full_time_hours, formats.setting)
            _bounded(sheet, row, row, LOW, FULL_TIME_HOURS)
        elif key == "rate":
            sheet.number(row, LOW, assumptions.rate, formats.setting_money)
            _bounded(sheet, row, row, LOW, RATE)
        elif key == "currency":
            sheet.text(row, LOW, assumptions.currency, fit=False)
        else:
            sheet.number(row, LOW, share, formats.setting_percent)
            _bounded(sheet, row, row, LOW, CONTINGENCY, scale=0.01)
    first, last = rows.family_rows.start, rows.family_rows.stop - 1
    _bounded(sheet, first, last, LEVEL_CELL, LEVEL)
    for column in (LOW, HIGH):  # the hours once multiplied by the drivers' quantities
        _bounded(sheet, first, last, column, SCALED_HOURS)
    note = rows.settings + len(SETTINGS) + 1
    sheet.text(note, LABEL, words["note"], fit=False)


def _bounded(
    sheet: Sheet, first: int, last: int, column: int, bound: Bound, scale: float = 1.0
) -> None:
    """Cells of ``column`` from row ``first`` to ``last`` that take a number within
    ``bound`` (times ``scale``: a percentage held as a fraction), or nothing."""
    low, high = bound.low * scale, bound.high * scale
    check: dict[str, Any]
    if bound.above:  # the low end is open, which only a formula says
        cell = _a1(first, column)
        check = {"validate": "custom", "value": f"=AND({cell}>{low!r},{cell}<={high!r})"}
    else:
        check = {"validate": "decimal", "criteria": "between", "minimum": low, "maximum": high}
    sheet.sheet.data_validation(first, column, last, column, check)


def _fit_numbers(sheet: Sheet, result: Estimate, assumptions: Assumptions, lang: str) -> None:
    """Widen the columns of numbers to their widest figure: the total at the high
    hypothesis."""
    high = result.total.high
    hours, fte, cost = assumptions.per_week(high)
    for column, value in ((LOW, high), (HIGH, high), (WEEKLY, high), (PERIOD_HOURS, hours)):
        sheet.fit(column, f"{value:,.2f}")  # as the cells' number format shows it
    sheet.fit(FTE, f"{fte:,.2f}")
    if cost is not None:
        sheet.fit(COST, money(cost, assumptions.currency, lang))
    if assumptions.rate is not None:
        sheet.fit(LOW, money(assumptions.rate, assumptions.currency, lang))
    sheet.fit(LOW, max((translate(name, lang) for name in PERIOD_NAMES.values()), key=len))


def _chart(book: Any, sheet: Sheet, rows: Rows, words: dict[str, str]) -> None:
    """A bar chart of each family's weekly low and high hours, beside the table."""
    chart = book.add_chart({"type": "bar"})
    first, last = rows.family_rows.start, rows.family_rows.stop - 1
    for key, column, colour in (("chart_low", LOW, "#9DC3E6"), ("chart_high", HIGH, "#2E75B6")):
        chart.add_series(
            {
                "name": words[key],
                "categories": [sheet.name, first, LABEL, last, LABEL],
                "values": [sheet.name, first, column, last, column],
                "fill": {"color": colour},
                "border": {"none": True},
            }
        )
    chart.set_title({"name": words["chart"], "name_font": {"size": 12}})
    chart.set_x_axis({"name": words["weekly"], "major_gridlines": {"visible": True}})
    # the families from the top, in the table's order, the hours along the bottom
    chart.set_y_axis({"reverse": True, "crossing": "max"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": min(max(260, 90 + 34 * rows.families), 4000)})
    sheet.sheet.insert_chart(0, COST + 2, chart)


def _details_sheet(
    book: Any,
    formats: Formats,
    result: Estimate,
    assumptions: Assumptions,
    catalogue: Catalogue,
    lang: str,
    title: str | None,
    today: date | None,
) -> None:
    """The report's second sheet: title, date and source; the assumptions as sentences (as
    they were when the workbook was written); the hypotheses; each family's actions."""
    from smtime.render.json import action_labels
    from smtime.render.report import date_line, hypothesis_texts, report_title, source_line

    words = _words(lang)
    sheet = Sheet(book, words["details"], formats)
    sheet.text(0, 0, report_title(title, lang), formats.title, fit=False)
    sheet.text(1, 0, date_line(today or date.today(), lang), fit=False)
    sheet.text(2, 0, source_line(catalogue, lang), fit=False)
    row = 4
    sheet.text(row, 0, words["assumptions"], formats.strong, fit=False)
    for sentence in assumption_lines(result, assumptions, catalogue, lang):
        row += 1
        sheet.text(row, 0, sentence, fit=False)
    row += 2
    sheet.text(row, 0, words["hypotheses"], formats.strong, fit=False)
    for label, description in hypothesis_texts(catalogue, lang):
        row += 1
        sheet.text(row, 0, label)
        sheet.text(row, 1, description, formats.wrapped, fit=False)
    row += 2
    sheet.text(row, 0, words["family"], formats.header)
    sheet.text(row, 1, words["actions"], formats.header, fit=False)
    for family in result.families:
        row += 1
        sheet.text(row, 0, localize(family.family.label, lang))
        actions = action_labels(family.family, lang)
        for index, action in enumerate(actions):
            sheet.text(row + index, 1, action, formats.wrapped, fit=False)
        row += max(len(actions), 1) - 1
    sheet.widths[1] = WRAPPED
    sheet.set_widths()
