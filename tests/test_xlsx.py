"""--format xlsx: a workbook whose totals are formulas, read back with openpyxl and recalculated
by a real spreadsheet engine (LibreOffice, where it is installed)."""

from __future__ import annotations

import csv
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from smtime.domain import Assumptions, Period
from smtime.i18n import translate
from smtime.render.escape import one_line
from smtime.render.numbers import money_format, number, percent_format
from smtime.render.xlsx import MAX_CELL_TEXT, cell_text
from tests.conftest import MINIMAL, ROOT, Run, json_of
from tests.test_hostile import EXPECTED, HOSTILE

Smtime = Callable[..., Run]
LANGUAGES = ("fr", "en", "es")
EXAMPLES = ROOT / "docs" / "examples"
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (Debian's libreoffice-calc) is not installed"
)

SCENARIOS = {
    "mid, rate, contingency": ("-H", "mid", "--rate", "55", "--contingency", "10"),
    "level, sets, month, USD": (
        "--level",
        "0.3",
        "--set",
        "blogging=high",
        "--set",
        "curation=1.5h",
        "--set",
        "strategie=0.9",
        "--period",
        "month",
        "--weeks-per-year",
        "47",
        "--rate",
        "42.5",
        "--currency",
        "USD",
        "--contingency",
        "12,5",
    ),
    "range only": (),
    "range, one family set": ("--set", "blogging=0.8", "--rate", "60"),
    "year, JPY, drivers": (
        "--catalogue",
        str(EXAMPLES / "catalogue-drivers.yaml"),
        "-H",
        "high",
        "--driver",
        "networks=4",
        "--period",
        "year",
        "--full-time-hours",
        "39",
        "--rate",
        "3000",
        "--currency",
        "JPY",
    ),
    "profile": ("--profile", str(EXAMPLES / "acme.yaml")),
}

# The columns of the estimate sheet.
LABEL, LOW, HIGH, LEVEL, WEEKLY, PERIOD, FTE, COST = "ABCDEFGH"


def write_xlsx(smtime: Smtime, target: Path, *args: str, command: str = "estimate") -> Path:
    """Run ``command --format xlsx -o target`` and return the file it wrote."""
    run = smtime(command, "--format", "xlsx", "--output", str(target), *args)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr == ""
    return target


def estimate_json(smtime: Smtime, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json_of(smtime("estimate", "--format", "json", *args), "estimate")
    return data


class Sheet:
    """The estimate sheet of a workbook: its rows by label, its assumptions by name."""

    def __init__(self, path: Path, *, data_only: bool) -> None:
        self.book = openpyxl.load_workbook(path, data_only=data_only)
        self.sheet: Worksheet = self.book.worksheets[0]

    def rows(self) -> Iterator[int]:
        """The rows of the families and of the subtotal, unplanned work and total."""
        row = 2
        while self.sheet[f"{LABEL}{row}"].value is not None:
            yield row
            row += 1

    def value(self, cell: str) -> Any:
        return self.sheet[cell].value

    def named(self, name: str) -> str:
        """The cell a defined name (``Level``, ``HourlyRate``) refers to: ``B14``."""
        target = str(self.book.defined_names[name].attr_text)
        return target.split("!")[1].replace("$", "")


def weeks_of(data: dict[str, Any]) -> float:
    """The weeks in the period of an estimate's JSON, unrounded (``Assumptions.weeks``)."""
    settings = data["assumptions"]
    return Assumptions(Period(settings["period"]), settings["weeks_per_year"]).weeks


def lines_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of an estimate's JSON in the sheet's order: families, subtotal, unplanned
    work (none: zero), total."""
    contingency = data["contingency"]
    if contingency is None:  # the sheet's unplanned work is then 0 % of the subtotal
        subtotal = data["subtotal"]
        zero: dict[str, Any] = {"fte": {}, "cost": {} if subtotal["cost"] else None}
        for part in ("low", "high", "hours"):
            value = None if subtotal[part] is None else 0
            zero[part] = value
            zero["fte"][part] = value
            if zero["cost"] is not None:
                zero["cost"][part] = value
        contingency = zero
    return [*data["tasks"], data["subtotal"], contingency, data["total"]]


# --- number formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "lang", "expected"),
    [
        ("EUR", "fr", '#,##0.00"\u00a0€"'),
        ("EUR", "es", '#,##0.00"\u00a0€"'),
        ("EUR", "en", '"€"#,##0.00'),
        ("USD", "en", '"US$"#,##0.00'),
        ("USD", "fr", '#,##0.00"\u00a0$US"'),
        ("JPY", "en", '"JP¥"#,##0'),
        ("JPY", "fr", '#,##0"\u00a0JPY"'),
        ("JPY", "es", '#,##0"\u00a0JPY"'),
    ],
)
def test_money_format_follows_babel(currency: str, lang: str, expected: str) -> None:
    """An amount's cell format is the language's currency pattern, with the currency's symbol
    and decimals (none for JPY), as ``money`` writes amounts."""
    assert money_format(currency, lang) == expected


def test_percent_format_follows_the_language() -> None:
    assert percent_format("en") == "0.0%"
    assert percent_format("fr") == '0.0"\u202f"%'
    assert percent_format("es") == '0.0"\u00a0"%'


def test_quotes_in_a_symbol_are_escaped() -> None:
    """Literal text that holds a quote is escaped character by character."""
    from smtime.render.numbers import _literal

    assert _literal('a"b') == '\\a\\"\\b'
    assert _literal("") == ""


# --- cached values and formulas --------------------------------------------------------------


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_cached_values_are_the_estimate(smtime: Smtime, tmp_path: Path, scenario: str) -> None:
    """Read without recalculating, every line holds the figures of estimate --format json
    for the same options: weekly low and high, hours over the period, FTE and cost."""
    args = SCENARIOS[scenario]
    data = estimate_json(smtime, *args)
    sheet = Sheet(write_xlsx(smtime, tmp_path / "e.xlsx", *args), data_only=True)
    weeks = sheet.value(sheet.named("WeeksInPeriod"))
    assert weeks == weeks_of(data)
    rows = list(sheet.rows())
    assert len(rows) == len(lines_of(data))
    for row, line in zip(rows, lines_of(data), strict=True):
        assert number(sheet.value(f"{LOW}{row}") * weeks) == line["low"]
        assert number(sheet.value(f"{HIGH}{row}") * weeks) == line["high"]
        shown = [sheet.value(f"{column}{row}") for column in (PERIOD, FTE, COST)]
        cost = line["cost"]["hours"] if line["cost"] else None
        expected = [line["hours"], line["fte"]["hours"], cost]
        assert [None if v is None else number(v) for v in shown] == expected, row


def test_levels_are_those_of_the_estimate(smtime: Smtime, tmp_path: Path) -> None:
    """The default level sits in the assumptions block; a family set to a level holds it, one
    set to hours holds them and no level."""
    args = SCENARIOS["level, sets, month, USD"]
    data = estimate_json(smtime, *args)
    sheet = Sheet(write_xlsx(smtime, tmp_path / "e.xlsx", *args), data_only=True)
    assert sheet.value(sheet.named("Level")) == 0.3
    for row, task in zip(sheet.rows(), data["tasks"], strict=False):
        level = sheet.value(f"{LEVEL}{row}")
        if task["choice"]["fixed_hours"] is not None:
            assert level is None
            assert sheet.value(f"{WEEKLY}{row}") == task["choice"]["fixed_hours"]
        else:
            assert level == task["choice"]["level"]


def formula_cells(path: Path) -> dict[str, set[str]]:
    """The cells that hold a formula, sheet by sheet."""
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: {
            cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
        }
        for sheet in book.worksheets
    }


def intended_formulas(families: int, fixed: set[int], own_level: set[int]) -> set[str]:
    """The formula cells of an estimate sheet of ``families`` families: each family's level
    (unless it has its own, or fixed hours), weekly hours (unless fixed), hours over the
    period, FTE and cost; every number of the subtotal, unplanned work and total but the
    level; the weeks in the period."""
    cells = set()
    for index in range(families):
        row = index + 2
        if index not in fixed | own_level:
            cells.add(f"{LEVEL}{row}")
        if index not in fixed:
            cells.add(f"{WEEKLY}{row}")
        cells |= {f"{column}{row}" for column in (PERIOD, FTE, COST)}
    for row in range(families + 2, families + 5):
        cells |= {f"{column}{row}" for column in (LOW, HIGH, WEEKLY, PERIOD, FTE, COST)}
    cells.add(f"{LOW}{families + 10}")  # the fourth setting: weeks in the period
    return cells


def test_only_the_intended_cells_are_formulas(smtime: Smtime, tmp_path: Path) -> None:
    """The formulas are where the layout puts them, and nowhere else."""
    path = write_xlsx(smtime, tmp_path / "e.xlsx", *SCENARIOS["level, sets, month, USD"])
    # blogging (2) and strategie (6) have their own level, curation (3) fixed hours
    assert formula_cells(path) == {"Estimate": intended_formulas(7, {3}, {2, 6})}
    sheet = Sheet(path, data_only=False)
    assert sheet.value("E2") == (
        '=IF(D2<>"",IF(OR(B2="",C2=""),NA(),IF(D2=1,C2,B2+D2*(C2-B2))),"")'
    )
    assert sheet.value("D2") == '=IF(Level<>"",Level,"")'
    assert sheet.value("F2") == '=IF(E2<>"",E2*WeeksInPeriod,"")'
    assert sheet.value("G2") == '=IF(E2<>"",E2*(1/FullTimeHours),"")'
    assert sheet.value("H2") == ('=IF(AND(E2<>"",HourlyRate<>""),E2*(WeeksInPeriod*HourlyRate),"")')
    assert sheet.value("B9") == "=IF(COUNTBLANK(B2:B8)>0,NA(),SUMPRODUCT(--B2:B8))"
    assert sheet.value("E9") == '=IF(COUNTBLANK(E2:E8)=0,SUMPRODUCT(--E2:E8),"")'
    assert sheet.value("B10") == "=B9*Contingency"
    assert sheet.value("E11") == '=IF(E9<>"",E9+E10,"")'
    assert sheet.value(sheet.named("WeeksInPeriod")) == (
        '=IF(Period="week",1,IF(NOT(ISNUMBER(WeeksPerYear)),NA(),'
        'IF(Period="month",WeeksPerYear/12,IF(Period="year",WeeksPerYear,NA()))))'
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_and_layout_in_each_language(smtime: Smtime, tmp_path: Path, lang: str) -> None:
    """Sheet, headers, lines and assumptions in the language; money in the currency's
    format; the header frozen; columns as wide as their labels; a chart of the ranges."""
    path = write_xlsx(
        smtime, tmp_path / "e.xlsx", "-H", "mid", "--rate", "55", "--period", "month", "-l", lang
    )
    sheet = Sheet(path, data_only=True)
    ws = sheet.sheet
    assert ws.title == translate("Estimate", lang)
    assert ws.title == {"fr": "Estimation", "en": "Estimate", "es": "Estimación"}[lang]
    assert ws["A1"].value == translate("Family", lang)
    assert ws["E1"].value == translate("Hours per week", lang)
    labels = [ws[f"A{row}"].value for row in sheet.rows()]
    assert labels[-3:] == [translate(w, lang) for w in ("Subtotal", "Unplanned work", "Total")]
    assert ws[sheet.named("Period")].value == translate("month", lang)
    assert ws[sheet.named("Currency")].value == "EUR"
    assert ws["A" + sheet.named("HourlyRate")[1:]].value == translate("Hourly rate", lang)
    assert ws["H2"].number_format == money_format("EUR", lang)
    assert ws[sheet.named("HourlyRate")].number_format == money_format("EUR", lang)
    assert ws[sheet.named("Contingency")].number_format == percent_format(lang)
    assert ws.freeze_panes == "B2"
    width = ws.column_dimensions["A"].width
    assert width >= max(len(label) for label in labels)
    chart = ws._charts[0]  # type: ignore[attr-defined]
    assert chart.title.tx.rich.p[0].r[0].t == translate("Low–high range by family", lang)
    assert [s.tx.v for s in chart.series] == [translate("Low", lang), translate("High", lang)]


def test_fixed_hours_take_only_what_smtime_accepts(smtime: Smtime, tmp_path: Path) -> None:
    """A family's fixed hours, a shaded cell a client may change, take only the weekly hours
    --set accepts (0 to 1,000,000), as the levels and the assumptions take only theirs."""
    path = write_xlsx(smtime, tmp_path / "e.xlsx", *SCENARIOS["level, sets, month, USD"])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    checks = {str(check.sqref): check for check in sheet.data_validations.dataValidation}
    fixed = checks[f"{WEEKLY}5"]  # curation=1.5h
    assert fixed.type == "decimal"
    assert fixed.operator in (None, "between")  # between: the default, left out of the file
    assert (float(fixed.formula1), float(fixed.formula2)) == (0, 1_000_000)
    for column in (LOW, HIGH):  # every family's low and high hours, as multiplied by drivers
        ranges = checks[f"{column}2:{column}8"]
        assert ranges.type == "decimal"
        assert (float(ranges.formula1), float(ranges.formula2)) == (0, 1_000_000_000)


def test_without_a_rate_costs_are_empty_but_a_rate_can_be_typed(
    smtime: Smtime, tmp_path: Path
) -> None:
    """No rate: the rate cell is empty, the costs too; they are still formulas."""
    path = write_xlsx(smtime, tmp_path / "e.xlsx", "-H", "low")
    cached, formulas = Sheet(path, data_only=True), Sheet(path, data_only=False)
    assert cached.value(cached.named("HourlyRate")) is None
    assert all(cached.value(f"{COST}{row}") is None for row in cached.rows())
    assert formulas.value("H2").startswith('=IF(AND(E2<>"",HourlyRate<>""),')


# --- text is text ----------------------------------------------------------------------------

INJECTIONS = [
    '=HYPERLINK("http://x.invalid","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "=1+1\x01\u202etxt",
]


def hostile_catalogue() -> str:
    labels = iter(INJECTIONS)
    text = MINIMAL.replace("label: Alpha", f"label: {yaml_text(next(labels))}")
    text = text.replace("{fr: Bêta, en: Beta}", yaml_text(next(labels)))
    text = text.replace("label: Do alpha things", f"label: {yaml_text(next(labels))}")
    text = text.replace("title: Test catalogue", f"title: {yaml_text(next(labels))}")
    return text.replace("{label: Low,", f"{{label: {yaml_text(next(labels))},")


def yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\x01", "\\x01")
    return '"' + escaped.replace("\u202e", "\\u202E") + '"'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_cannot_inject_formulas(
    smtime: Smtime, tmp_path: Path, write_catalogue: Callable[..., Path], lang: str
) -> None:
    """Labels that look like formulas are strings on both sheets (control and bidirectional
    characters shown as escapes), and the only formulas are smtime's."""
    catalogue = write_catalogue(hostile_catalogue())
    path = write_xlsx(
        smtime,
        tmp_path / "r.xlsx",
        "--catalogue",
        str(catalogue),
        "-H",
        "mid",
        "--title",
        '=WEBSERVICE("http://x.invalid")',
        "-l",
        lang,
        command="report",
    )
    book = openpyxl.load_workbook(path)
    texts = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }
    expected = {one_line(text) for text in INJECTIONS[:3]} | {'=WEBSERVICE("http://x.invalid")'}
    assert expected <= texts
    assert "=1+1\\x01\\u202etxt" in texts  # the hypothesis label, made visible
    assert not any(ch in str(text) for text in texts for ch in "\x01\u202e")
    formulas = formula_cells(path)
    assert formulas[book.worksheets[1].title] == set()
    assert formulas[book.worksheets[0].title] == intended_formulas(2, set(), set())
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "s":
                    assert cell.quotePrefix, cell.coordinate  # stays text when edited


def test_text_longer_than_a_cell_is_cut(smtime: Smtime, tmp_path: Path) -> None:
    """A title longer than the 32,767 characters a cell holds is cut, with an ellipsis;
    characters beyond the Basic Multilingual Plane count two."""
    path = write_xlsx(smtime, tmp_path / "r.xlsx", "--title", "😀" * 20_000, command="report")
    title = openpyxl.load_workbook(path).worksheets[1]["A1"].value
    assert title == "😀" * 16_383 + "…"
    assert len(title.encode("utf-16-le")) // 2 == MAX_CELL_TEXT
    assert cell_text("a" * 40_000) == "a" * (MAX_CELL_TEXT - 1) + "…"
    assert cell_text("a" * MAX_CELL_TEXT) == "a" * MAX_CELL_TEXT
    assert cell_text("tab\there\nline \x1b[31m") == "tab here line \\x1b[31m"


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_hostile_catalogues(
    smtime: Smtime, tmp_path: Path, name: str, expected: tuple[int, str]
) -> None:
    """Every file of tests/hostile/ ends as it does in JSON: a valid workbook whose text is
    strings, or the same error and no file."""
    code, fragment = expected
    target = tmp_path / "out.xlsx"
    run = smtime(
        "report", "--format", "xlsx", "-o", str(target), "--catalogue", str(HOSTILE / name)
    )
    assert run.exit_code == code, run.stderr
    assert "Traceback" not in run.stderr
    if code != 0:
        assert fragment in run.stderr
        assert not target.exists()
        return
    book = openpyxl.load_workbook(target)
    estimate, details = book.worksheets
    families = len(list(Sheet(target, data_only=True).rows())) - 3
    assert formula_cells(target) == {
        estimate.title: intended_formulas(families, set(), set()),
        details.title: set(),
    }
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "s":
                    assert "\x1b" not in str(cell.value)


# --- report ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_has_a_sheet_of_assumptions_and_actions(
    smtime: Smtime, tmp_path: Path, lang: str
) -> None:
    """report --format xlsx: the estimate sheet, then the title, the assumptions as
    sentences, the hypotheses and each family's actions from the catalogue."""
    from smtime import catalogue as catalogues
    from smtime import request
    from smtime.i18n import localize
    from smtime.options import Asked
    from smtime.render.notes import assumption_lines

    args = ("--profile", str(EXAMPLES / "acme.yaml"), "-l", lang)
    path = write_xlsx(smtime, tmp_path / "r.xlsx", *args, command="report")
    book = openpyxl.load_workbook(path)
    estimate, details = book.worksheets
    assert estimate.title == translate("Estimate", lang)
    assert details.title == translate("Assumptions and actions", lang)
    cells: list[list[Any]] = [[cell.value for cell in row] for row in details.iter_rows()]
    assert cells[0][0] == "ACME Corp"
    assert cells[1][0].startswith(translate("Prepared on {date}", lang, date=""))
    first = [row[0] for row in cells]
    assert translate("Assumptions", lang) in first
    answer = request.estimated(Asked(), profile=EXAMPLES / "acme.yaml", lang=lang)
    sentences = assumption_lines(answer.result, answer.assumptions, answer.catalogue, lang)
    start = first.index(translate("Assumptions", lang)) + 1
    assert first[start : start + len(sentences)] == sentences
    assert sentences[0] == translate(
        "Scenario: {value}", lang, value=translate("low hypothesis", lang)
    )
    seed = catalogues.load(catalogues.bundled_path())
    header = first.index(translate("Family", lang))
    assert cells[header][1] == translate("Actions", lang)
    actions: dict[str, list[str]] = {}
    family = None
    for row in cells[header + 1 :]:
        family = row[0] or family
        assert family is not None
        actions.setdefault(family, []).append(row[1])
    assert actions == {
        localize(f.label, lang): [localize(a.label, lang) for a in f.actions] for f in seed.families
    }
    hypotheses = first.index(translate("The hypotheses", lang))
    assert cells[hypotheses + 1][1] == localize(seed.hypotheses.low.description, lang)


def test_report_is_html_by_default(smtime: Smtime) -> None:
    """Without --format, report writes its web page, as before."""
    run = smtime("report", "-H", "low")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("<!DOCTYPE html>")
    assert smtime("report", "-H", "low", "--format", "html").stdout == run.stdout


# --- where a spreadsheet goes ----------------------------------------------------------------


def _smtime_process(*args: str, **options: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "smtime", *args], check=False, timeout=120, **options
    )


def test_a_spreadsheet_is_not_written_to_a_terminal() -> None:
    """Standard output on a terminal: one line on stderr, exit 2, nothing written."""
    leader, follower = pty.openpty()
    try:
        run = _smtime_process(
            "estimate", "--format", "xlsx", stdout=follower, stderr=subprocess.PIPE
        )
        os.set_blocking(leader, False)
        with pytest.raises(BlockingIOError):
            os.read(leader, 1024)
    finally:
        os.close(follower)
        os.close(leader)
    assert run.returncode == 2
    assert run.stderr == (
        b"smtime: will not write an .xlsx spreadsheet to a terminal: give --output FILE, "
        b"or redirect standard output to a file\n"
    )


def test_a_spreadsheet_goes_through_a_pipe(tmp_path: Path) -> None:
    """Standard output that is not a terminal gets the workbook's bytes."""
    run = _smtime_process(
        "report", "-H", "low", "--format", "xlsx", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b"PK\x03\x04")
    (tmp_path / "piped.xlsx").write_bytes(run.stdout)
    assert len(openpyxl.load_workbook(tmp_path / "piped.xlsx").worksheets) == 2


def test_a_spreadsheet_never_overwrites_an_input(smtime: Smtime, tmp_path: Path) -> None:
    """-o naming the profile that is read: exit 73, the profile left as it was."""
    profile = tmp_path / "acme.yaml"
    shutil.copy(EXAMPLES / "acme.yaml", profile)
    before = profile.read_bytes()
    run = smtime("estimate", "--profile", str(profile), "--format", "xlsx", "-o", str(profile))
    assert run.exit_code == 73
    assert "refusing to overwrite" in run.stderr
    assert profile.read_bytes() == before


# --- recalculated by LibreOffice -------------------------------------------------------------

RECALCULATE_ON_LOAD = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
"""LibreOffice's setting to recalculate every .xlsx file it opens (0: always), instead of
showing the values the file holds."""
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false"
"""Comma, double quote, UTF-8, numbers as they are held (not as shown), the first sheet."""


def recalculated(folder: Path, books: list[Path]) -> dict[Path, list[list[str]]]:
    """Each workbook recalculated by LibreOffice and converted to CSV: its first sheet's rows.
    A profile of its own (in ``folder``) keeps runs apart and sets recalculation on load."""
    assert SOFFICE is not None
    profile = folder / "libreoffice"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    out = folder / "csv"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            *map(str, books),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(folder)},
    )
    sheets = {}
    for book in books:
        with (out / f"{book.stem}.csv").open(encoding="utf-8", newline="") as handle:
            sheets[book] = list(csv.reader(handle))
    return sheets


def figures_of(rows: list[list[str]], families: int) -> list[list[float | None]]:
    """The numbers of the families, subtotal, unplanned work and total of a recalculated
    sheet: low, high, level, weekly hours, hours over the period, FTE and cost."""
    return [[float(cell) if cell else None for cell in row[1:8]] for row in rows[1 : families + 4]]


def near(value: float | None, expected: float | None) -> bool:
    """``value`` (LibreOffice writes 15 significant digits) is ``expected`` (JSON: 6
    decimals)."""
    if expected is None or value is None:
        return value is expected
    return value == pytest.approx(expected, rel=1e-12, abs=1e-6)


def assert_figures(rows: list[list[str]], data: dict[str, Any]) -> None:
    """The recalculated sheet holds the figures of estimate --format json."""
    lines = lines_of(data)
    weeks = weeks_of(data)
    for figures, line in zip(figures_of(rows, len(data["tasks"])), lines, strict=True):
        low, high, _, _, hours, fte, cost = figures
        assert low is not None
        assert high is not None
        assert near(low * weeks, line["low"]), (figures, line)
        assert near(high * weeks, line["high"]), (figures, line)
        assert near(hours, line["hours"]), (figures, line)
        assert near(fte, line["fte"]["hours"]), (figures, line)
        assert near(cost, line["cost"]["hours"] if line["cost"] else None), (figures, line)


@needs_libreoffice
def test_libreoffice_recalculates_the_same_figures(smtime: Smtime, tmp_path: Path) -> None:
    """Recalculated by LibreOffice, every scenario's workbook shows smtime's figures: the
    formulas compute what smtime computes."""
    books = {
        write_xlsx(smtime, tmp_path / f"s{index}.xlsx", *args): args
        for index, args in enumerate(SCENARIOS.values())
    }
    for book, rows in recalculated(tmp_path, list(books)).items():
        assert_figures(rows, estimate_json(smtime, *books[book]))


def edited(path: Path, target: Path, changes: dict[str, Any]) -> Path:
    """The workbook at ``path`` with cells changed (by defined name, or ``B7``), saved as
    ``target`` by openpyxl (which keeps the formulas and drops their cached values)."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for name, value in changes.items():
        cell = name
        if name in book.defined_names:
            cell = book.defined_names[name].attr_text.split("!")[1].replace("$", "")
        sheet[cell] = value
    book.save(target)
    return target


@needs_libreoffice
def test_a_level_changed_in_the_spreadsheet(smtime: Smtime, tmp_path: Path) -> None:
    """A client types another level (and one family's own) in the workbook: recalculated, the
    totals are those of smtime estimate with that level, in every language."""
    base = ("--contingency", "10", "--rate", "55", "--period", "month")
    expected = estimate_json(smtime, "--level", "0.35", "--set", "blogging=0.9", *base)
    books = []
    for lang in LANGUAGES:
        written = write_xlsx(smtime, tmp_path / f"{lang}.xlsx", "-H", "low", *base, "-l", lang)
        books.append(edited(written, tmp_path / f"{lang}-edited.xlsx", {"Level": 0.35, "D4": 0.9}))
    for rows in recalculated(tmp_path, books).values():
        assert_figures(rows, expected)


@needs_libreoffice
def test_assumptions_changed_in_the_spreadsheet(smtime: Smtime, tmp_path: Path) -> None:
    """A client changes the rate, the period (in the workbook's language), the weeks per year,
    the full-time hours and the unplanned work: the costs and totals follow."""
    changed = (
        "--rate", "72.5", "--period", "year", "--weeks-per-year", "45",
        "--full-time-hours", "38", "--contingency", "15",
    )  # fmt: skip
    expected = estimate_json(smtime, "-H", "mid", *changed)
    books = []
    for lang in LANGUAGES:
        written = write_xlsx(smtime, tmp_path / f"{lang}.xlsx", "-H", "mid", "-l", lang)
        changes = {
            "HourlyRate": 72.5,
            "Period": translate("year", lang),
            "WeeksPerYear": 45,
            "FullTimeHours": 38,
            "Contingency": 0.15,
        }
        books.append(edited(written, tmp_path / f"{lang}-edited.xlsx", changes))
    for rows in recalculated(tmp_path, books).values():
        assert_figures(rows, expected)


@needs_libreoffice
def test_weeks_per_year_cleared_is_an_error_not_zero(smtime: Smtime, tmp_path: Path) -> None:
    """A client who clears the weeks per year of a monthly budget gets an error (#N/A) in the
    hours over the period and the costs, never hours and costs of 0; a weekly budget, which
    does not depend on them, keeps its figures."""
    base = ("-H", "mid", "--rate", "55", "--contingency", "10")
    month = write_xlsx(smtime, tmp_path / "month.xlsx", *base, "--period", "month", "-l", "fr")
    week = write_xlsx(smtime, tmp_path / "week.xlsx", *base)
    books = [
        edited(month, tmp_path / "month-edited.xlsx", {"WeeksPerYear": None}),
        edited(week, tmp_path / "week-edited.xlsx", {"WeeksPerYear": None}),
    ]
    sheets = recalculated(tmp_path, books)
    data = estimate_json(smtime, *base)
    for row in sheets[books[0]][1 : len(data["tasks"]) + 4]:
        hours, fte, cost = row[5:8]
        assert (hours, cost) == ("#N/A", "#N/A"), row
        assert float(fte) > 0, row
    assert_figures(sheets[books[1]], data)


@needs_libreoffice
def test_text_pasted_past_a_check_is_an_error_not_left_out(smtime: Smtime, tmp_path: Path) -> None:
    """Text pasted into a cell (a paste skips the cell's check) makes the figures that
    depend on it errors, up to the totals: never a sum that leaves the cell out, nor hours
    left empty as if no level had been given. An emptied level still means no level; an
    emptied low is an error (#N/A), never 0 hours."""
    written = write_xlsx(smtime, tmp_path / "e.xlsx", "-H", "mid", "--set", "curation=1.5h",
                         "--rate", "55")  # fmt: skip
    families = 7
    subtotal, total = families + 1, families + 3  # 0-based rows of the CSV
    edits: dict[str, dict[str, Any]] = {
        "low": {"B2": "abc"},
        "fixed": {"E5": "abc"},
        "level": {"Level": "abc"},
        "rate": {"HourlyRate": "abc"},
        "cleared": {"D3": None},
        "no low": {"B2": None},
    }
    books = {
        name: edited(written, tmp_path / f"{name}.xlsx", changes) for name, changes in edits.items()
    }
    found = recalculated(tmp_path, list(books.values()))
    sheets = {name: found[book] for name, book in books.items()}
    low = sheets["low"]
    assert low[1][1:5] == ["abc", "4", "0.5", "#VALUE!"]
    assert low[subtotal][1] == low[total][1] == "#VALUE!"
    assert low[subtotal][4] == low[total][4] == "#VALUE!"
    assert low[total][5:8] == ["#VALUE!"] * 3
    fixed = sheets["fixed"]
    assert fixed[4][4:8] == ["abc", "#VALUE!", "#VALUE!", "#VALUE!"]
    assert fixed[total][4] == "#VALUE!"
    level = sheets["level"]
    assert all(row[4] == "#VALUE!" for i, row in enumerate(level[1 : total + 1], 1) if i != 4)
    rate = sheets["rate"]
    assert [row[7] for row in rate[1 : total + 1]] == ["#VALUE!"] * (families + 3)
    no_low = sheets["no low"]  # an emptied low is an error, never 0 hours
    assert no_low[1][1:5] == ["", "4", "0.5", "#N/A"]
    assert no_low[subtotal][1] == no_low[total][4] == "#N/A"
    cleared = sheets["cleared"]  # no level for one family: no chosen hours in the totals
    assert cleared[2][3:8] == ["", "", "", "", ""]
    assert cleared[total][4:8] == ["", "", "", ""]
