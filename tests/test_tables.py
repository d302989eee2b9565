"""Tables that fit: at any width from 60 columns, labels wrap and numbers stay whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run

Smtime = Callable[..., Run]
WIDTHS = (60, 80, 120)
LANGS = ("fr", "en", "es")
HEAD = """\
format: smtime-catalogue/1
version: "1"
unit: hours/week
title: Test labels
source: {title: test}
hypotheses:
  low: {label: Low, description: small}
  high: {label: High, description: large}
families:
"""
"""The head of a test catalogue, up to its families."""
LONG_LABELS = (
    HEAD
    + """\
  - id: community
    label:
      fr: Animation de communauté et modération des conversations en ligne
      en: Community management and moderation of online conversations
      es: Gestión de la comunidad y moderación de las conversaciones en línea
    low: 100.5
    high: 140.75
  - id: paid
    label:
      fr: Campagnes sponsorisées
      en: Sponsored campaigns
      es: Campañas patrocinadas
    low: 0.25
    high: 3
"""
)
FRAME = "│┃"


def _cells(text: str) -> list[list[str]]:
    """The cells of each row of a drawn table, stripped (rules and titles left out)."""
    rows = []
    for line in text.splitlines():
        if line[:1] in FRAME:
            rows.append([cell.strip() for cell in re.split(f"[{FRAME}]", line)[1:-1]])
    return rows


def _column(rows: list[list[str]], index: int) -> list[str]:
    return [row[index] for row in rows if len(row) > index]


def _labels(rows: list[list[str]]) -> str:
    """The first column's text, its wrapped lines joined again."""
    return " ".join(cell for cell in _column(rows, 0) if cell)


def _numbers(rows: list[list[str]]) -> set[str]:
    return {cell for row in rows for cell in row[1:] if cell and cell[0].isdigit()}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chosen", [(), ("-H", "mid")])
def test_estimate_table_fits_with_whole_numbers_and_readable_labels(
    smtime: Smtime, tmp_path: Path, width: int, lang: str, chosen: tuple[str, ...]
) -> None:
    """With the longest labels and with cost, the table is within the width, every label is
    there whole (wrapped), and every amount is whole: the same as in the Markdown."""
    catalogue = tmp_path / "long.yaml"
    catalogue.write_text(LONG_LABELS)
    args: tuple[str, ...] = ("estimate", "--catalogue", str(catalogue), "--lang", lang)
    args += ("--rate", "55.5")
    args += ("--period", "year", "--contingency", "10", *chosen)
    run = smtime(*args, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    table = run.stdout.split("\n\n")[0] if "\n\n" in run.stdout else run.stdout
    assert all(len(line) <= width for line in table.splitlines())
    rows = _cells(table)
    labels = _labels(rows)
    markdown = smtime(*args, "--format", "markdown").stdout
    md_rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line[:2] == "| "]
    header = rows[0]
    always = [3 if chosen else 1, -1] + ([] if chosen else [2])  # chosen or low–high; cost
    kept = [i for i, name in enumerate(md_rows[0]) if name.split()[0] in header]
    assert all(md_rows[0][i] in [md_rows[0][k] for k in kept] for i in always)
    shown = "\n".join(" | ".join(row) for row in rows[1:])
    for md_row in md_rows[2:]:  # the header and the rule left out
        assert md_row[0].strip(" *") in labels
        amounts = [part.strip(" *") for i in kept[1:] for part in md_row[i].split(" – ")]
        for amount in amounts:
            assert amount in shown, (amount, width, lang)


@pytest.mark.parametrize("width", [60, 64])
def test_labels_narrow_to_their_longest_word_before_an_amount_is_cut(
    smtime: Smtime, width: int
) -> None:
    """Yearly costs in millions, folded onto two lines, still leave the table too wide for
    labels of 20 columns: the labels narrow to their longest word, and no amount is cut."""
    agency = ROOT / "docs" / "examples" / "agency.yaml"
    args = ("estimate", "-c", str(agency), "--period", "year", "--rate", "1500",
            "--weeks-per-year", "47", "--contingency", "15", "--lang", "es")  # fmt: skip
    run = smtime(*args, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    table = run.stdout.split("\n\n")[0]
    assert all(len(line) <= width for line in table.splitlines())
    assert "…" not in table
    shown = "\n".join(" ".join(row) for row in _cells(table))
    for amount in ("2.820.000,00\u00a0€ –", "7.755.000,00\u00a0€", "8.918.250,00\u00a0€"):
        assert amount in shown


@pytest.mark.parametrize("width", WIDTHS)
def test_the_bar_gives_way_first_then_the_fte(smtime: Smtime, width: int) -> None:
    """At 120 columns the bar and FTE show; narrower, the bar goes first, then the FTE; the
    chosen hours and the cost always stay."""
    run = smtime(
        "estimate", "-H", "mid", "--rate", "55", "--lang", "fr", env={"COLUMNS": str(width)}
    )
    header = _cells(run.stdout)[0]
    assert header[0] == "Famille"
    assert "Retenu" in header
    assert "Coût" in header
    if width == 120:
        assert "Basse → haute" in header
        assert "ETP" in header
    if width == 60:
        assert "Basse → haute" not in header
        assert "ETP" not in header


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("lang", LANGS)
def test_compare_and_tasks_tables_fit(smtime: Smtime, width: int, lang: str) -> None:
    """compare (with its budget) and tasks stay within the width, numbers and ids whole."""
    trackers = Path(__file__).parent / "trackers"
    env = {"COLUMNS": str(width)}
    compare = smtime(
        "compare", str(trackers / "plain.csv"), "--tz", "Europe/Paris",
        "--now", "2026-12-08T12:00", "-H", "mid", "--lang", lang, env=env,
    )  # fmt: skip
    assert compare.exit_code == 0, compare.stderr
    assert all(len(line) <= width for line in compare.stdout.splitlines())
    assert "…" not in compare.stdout
    tasks = smtime("tasks", "--lang", lang, env=env)
    assert all(len(line) <= width for line in tasks.stdout.splitlines())
    assert "…" not in tasks.stdout
    ids = _column(_cells(tasks.stdout), 0)
    for family in ("veille", "acquisition", "blogging", "curation", "communication"):
        assert family in ids


@pytest.mark.parametrize("width", [20, 30, 40])
def test_below_60_columns_a_number_cut_short_says_so(smtime: Smtime, width: int) -> None:
    """Narrower than the tables are made for, a number that does not fit ends with "…",
    never cropped into another number (2.5 shown as "2.", €1,045.00 as "€1,045.0")."""
    run = smtime("estimate", "-H", "mid", "--rate", "55", env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    data = smtime("estimate", "-H", "mid", "--rate", "55", "-f", "json").json()
    whole = {f"{t['hours']:g}" for t in data["tasks"]} | {f"{data['total']['hours']:g}"}
    whole |= {f"€{t['cost']['hours']:,.2f}" for t in data["tasks"]}
    whole.add(f"€{data['total']['cost']['hours']:,.2f}")
    for row in _cells(run.stdout):
        for cell in row[1:]:
            if cell and (cell[0].isdigit() or cell[0] == "€"):
                assert cell in whole or cell.endswith("…"), (width, cell)


@pytest.mark.parametrize("width", [40, *WIDTHS, 100])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("days", "team"), [("mon-fri", False), ("mon-sun", False), ("mon-sun", True)]
)
def test_plan_tables_cut_nothing(
    smtime: Smtime, width: int, lang: str, days: str, team: bool
) -> None:
    """A week's plan (and a team's) fits the width from 40 columns, five or seven days: no
    time or label is cut (no "…"), each block's start and end are there, and no word of a
    label is folded within itself: where a day side by side has no room for the longest
    word ("Communication", "Adquisición"), the days are rows instead."""
    args = ["plan", "-H", "high", "--days", days, "--lang", lang]
    if team:
        args += ["--team", str(Path(__file__).parents[1] / "docs/examples/team.yaml")]
    run = smtime(*args, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    table = run.stdout
    assert "…" not in table
    assert all(len(line) <= width for line in table.splitlines())
    plan = smtime(*args, "--format", "json").json()
    blocks = [b for person in plan.get("people", [plan]) for b in person["blocks"]]
    assert blocks
    cells = re.sub(r"[│┃\s]+", " ", table)
    words = set(cells.split())
    for block in blocks:
        assert block["start"] in cells
        assert block["end"] in cells
        assert set(block["label"].split()) <= words, (block["label"], table)


ODD_PLAN = (
    HEAD
    + """\
  - {id: review, rhythm: weekly, low: 1, high: 1,
     label: "Review of https://example.org/a/very/long/path/that/fits/nowhere/at/all"}
  - {id: i18n, rhythm: weekly, low: 1, high: 1,
     label: "Internationalisation-and-localisation-of-captions checks"}
  - {id: ctrl, rhythm: daily, low: 2.5, high: 2.5, label: "Ab\\e\\e\\e\\e\\e\\e\\e\\e"}
  - {id: cd, rhythm: daily, low: 2.5, high: 2.5, label: "Cd [bold]x[/bold]"}
"""
)


@pytest.mark.parametrize("days", ["mon", "mon-fri", "mon-sun"])
def test_plan_tables_keep_every_word_that_the_width_can_hold_whole(
    smtime: Smtime, tmp_path: Path, days: str
) -> None:
    """At every width from 16 columns, with one day or several: no line wider than the
    terminal, nothing cut ("…"), every block's times there, and every word of a label as
    shown (a control character as its escape, markup as text) whole wherever it is
    narrower than the terminal less the table's rules. A one-day plan keeps its column."""
    from rich.cells import cell_len

    catalogue = tmp_path / "odd.yaml"
    catalogue.write_text(ODD_PLAN)
    args = ["plan", "-c", str(catalogue), "-H", "high", "--days", days, "--lang", "en"]
    plan = smtime(*args, "--format", "json").json()
    assert plan["blocks"]
    shown = {b["label"].replace("\x1b", "\\x1b") for b in plan["blocks"]}
    for width in range(16, 131, 3):
        run = smtime(*args, env={"COLUMNS": str(width)})
        assert run.exit_code == 0, run.stderr
        assert "…" not in run.stdout, (width, run.stdout)
        assert all(cell_len(line) <= width for line in run.stdout.splitlines())
        cells = re.sub(r"[│┃|\s]+", " ", run.stdout)
        words = set(cells.split())
        for block in plan["blocks"]:
            assert block["start"] in cells, (width, block)
            assert block["end"] in cells, (width, block)
        for label in shown:
            whole = {w for w in label.split() if cell_len(w) <= width - 4}
            assert whole <= words, (width, label, run.stdout)


@pytest.mark.parametrize("days", ["mon", "mon-fri", "mon-sun"])
def test_a_label_with_spaces_around_keeps_its_words_whole(
    smtime: Smtime, tmp_path: Path, days: str
) -> None:
    """A label that starts with a space (or a tab, or has an indented line) takes the room of
    its words only: "Communication" is whole at every width that holds it, in every
    layout."""
    families = """\
  - {id: a, rhythm: daily, low: 5, high: 5, label: " Communication"}
  - {id: b, rhythm: daily, low: 1, high: 1, label: "Other\\n\\t Sharing "}
"""
    catalogue = tmp_path / "spaced.yaml"
    catalogue.write_text(HEAD + families)
    args = ("plan", "-c", str(catalogue), "-H", "high", "--days", days)
    for width in range(17, 131):
        run = smtime(*args, env={"COLUMNS": str(width)})
        assert run.exit_code == 0, run.stderr
        words = set(re.sub(r"[│┃\s]+", " ", run.stdout).split())
        assert {"Communication", "Other", "Sharing"} <= words, (width, run.stdout)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", range(14, 26))
def test_an_empty_plan_is_not_cut_however_narrow(smtime: Smtime, lang: str, width: int) -> None:
    """A plan with nothing to place, seven days, in 14 to 25 columns: every day's name
    whole, nothing cut ("…"), no line wider than the terminal."""
    args = ("plan", "--only", "blogging", "--set", "blogging=0h", "--days", "mon-sun")
    run = smtime(*args, "--lang", lang, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    assert "…" not in run.stdout
    assert all(len(line) <= width for line in run.stdout.splitlines())
    from smtime.render.plan import day_name

    cells = set(re.sub(r"[│┃\s]+", " ", run.stdout).split())
    assert {day_name(day, lang) for day in range(1, 8)} <= cells


def test_a_plan_table_counts_its_rows_as_drawn_one_a_block(smtime: Smtime, tmp_path: Path) -> None:
    """A week of 2,016 five-minute blocks (seven days of 288) is more rows than a table is
    drawn for, at any width: counted as one row a block (as narrow terminals draw it), not
    as the longest day."""
    families = "".join(
        f"  - {{id: f{i}, rhythm: daily, low: 0.5833, high: 0.5833, label: F{i}}}\n"
        for i in range(300)
    )
    catalogue = tmp_path / "many.yaml"
    catalogue.write_text(HEAD + families)
    args: tuple[str, ...] = ("plan", "-c", str(catalogue), "-H", "low", "--days", "mon-sun")
    args += ("--start", "00:00", "--end", "24:00", "--min-block", "5")
    for width in (80, 250):
        run = smtime(*args, env={"COLUMNS": str(width)})
        assert run.exit_code == 2
        assert "rows is more than the 2,000 a table is drawn for" in run.stderr
    assert smtime(*args, "--format", "json").exit_code == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_word_wider_than_the_label_column_folds_and_numbers_stay_whole(
    smtime: Smtime, tmp_path: Path, width: int
) -> None:
    """A label of one 64-character word (a catalogue's, or a URL logged as a tag) folds
    within its column: every amount stays whole, nothing ends with "…", and the word is all
    there, its lines joined again."""
    word = "Monitoring-of-" + "x" * 50
    bundled = (Path(__file__).parents[1] / "data" / "catalogue.yaml").read_text()
    catalogue = tmp_path / "long-word.yaml"
    catalogue.write_text(bundled.replace("en: Monitoring / Sourcing,", f"en: {word},"))
    args = ("estimate", "-c", str(catalogue), "-H", "mid", "--rate", "55", "--lang", "en")
    run = smtime(*args, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    table = run.stdout
    assert "…" not in table
    assert all(len(line) <= width for line in table.splitlines())
    rows = _cells(table)
    assert word in "".join(_column(rows, 0))
    for amount in ("€165.00", "€275.00", "€82.50"):
        assert amount in table


def test_a_long_tag_leaves_the_comparison_readable(smtime: Smtime, tmp_path: Path) -> None:
    """An interval tagged with a 68-character URL: in 80 columns the actual hours and the
    status stay whole (they were "…" and one letter a line)."""
    import json

    url = "https://example.org/" + "a" * 48
    export = tmp_path / "timew.json"
    export.write_text(
        json.dumps(
            [
                {"id": 1, "start": "20261130T090000Z", "end": "20261130T103000Z", "tags": [url]},
                {
                    "id": 2,
                    "start": "20261201T090000Z",
                    "end": "20261201T100000Z",
                    "tags": ["veille"],
                },
            ]
        )
    )
    args = ("compare", str(export), "--now", "2026-12-10T00:00Z", "--tz", "UTC", "-H", "mid")
    run = smtime(*args, env={"COLUMNS": "80"})
    assert run.exit_code == 0, run.stderr
    assert "…" not in run.stdout
    assert all(len(line) <= 80 for line in run.stdout.splitlines())
    rows = _cells(run.stdout)
    assert url in "".join(_column(rows, 0))
    assert "below" in run.stdout.split()
