"""Figures that add up as shown: the lines of every human format add up to their totals."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime import catalogue, core
from smtime.domain import Assumptions, Choice, Period, Scenario
from smtime.render.csv import estimate_csv
from smtime.render.markdown import estimate_markdown
from smtime.render.numbers import shown_lines
from tests.conftest import Run

Smtime = Callable[..., Run]
SEED = catalogue.load(None)
NUMBER = re.compile(r"-?[\d\u202f\u00a0.,]*\d")


def _value(cell: str, lang: str) -> Decimal | None:
    """A number as a person reads it in ``lang``: ``1 045,50 €`` → 1045.50."""
    found = NUMBER.search(cell.replace("*", ""))
    if found is None:
        return None
    text = found.group().replace("\u202f", "").replace("\u00a0", "")
    english = lang == "en"
    return Decimal(text.replace(",", "") if english else text.replace(".", "").replace(",", "."))


def _markdown_columns(text: str, lang: str) -> list[list[Decimal | None]]:
    """The numeric cells of the estimate table, row by row (label dropped)."""
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    return [[_value(cell, lang) for cell in row.strip("|").split(" | ")[1:]] for row in rows]


def _adds_up(rows: list[list[Decimal | None]], count: int, contingency: bool) -> None:
    """The ``count`` family rows add up to the subtotal, which with the contingency adds up
    to the total (or straight to the total without a contingency), column by column."""
    families, lines = rows[:count], rows[count:]
    for column in range(len(rows[0])):
        if any(row[column] is None for row in rows):
            continue
        added = sum((row[column] or Decimal(0) for row in families), Decimal(0))
        if contingency:
            subtotal, unplanned, total = (line[column] for line in lines)
            assert added == subtotal, column
            assert (subtotal or 0) + (unplanned or 0) == total, column
        else:
            assert added == lines[0][column], column


scenarios = st.fixed_dictionaries(
    {
        "level": st.floats(0, 1).map(lambda x: round(x, 3)),
        "contingency": st.one_of(st.none(), st.floats(0, 50).map(lambda x: round(x, 2))),
        "rate": st.one_of(st.none(), st.floats(1, 500).map(lambda x: round(x, 2))),
        "currency": st.sampled_from(["EUR", "USD", "JPY"]),
        "period": st.sampled_from(list(Period)),
        "lang": st.sampled_from(["fr", "en", "es"]),
    }
)


@settings(max_examples=80, deadline=None)
@given(scenarios)
def test_markdown_and_csv_lines_add_up_to_their_totals(given_: dict[str, object]) -> None:
    """For any scenario, the Markdown's family lines add up to the subtotal, subtotal and
    contingency to the total, in hours, FTE and money; the CSV's family and contingency rows
    add up to its total row in every column."""
    level, contingency = given_["level"], given_["contingency"]
    scenario = Scenario(default=Choice.of(level=level), contingency=contingency)  # type: ignore[arg-type]
    result = core.estimate(catalogue=SEED, scenario=scenario)
    assumptions = Assumptions(
        period=given_["period"],  # type: ignore[arg-type]
        rate=given_["rate"],  # type: ignore[arg-type]
        currency=given_["currency"],  # type: ignore[arg-type]
    )
    lang = str(given_["lang"])
    markdown = estimate_markdown(result, assumptions, SEED, lang)
    _adds_up(_markdown_columns(markdown, lang), len(SEED.families), contingency is not None)
    rows = list(csv.DictReader(io.StringIO(estimate_csv(result, assumptions, lang))))
    columns = ["low", "high", "hours", "fte_low", "fte_high", "fte_hours"]
    if given_["rate"] is not None:
        columns += ["cost_low", "cost_high", "cost_hours"]
    for column in columns:
        parts = sum((Decimal(r[column]) for r in rows if r["kind"] != "total"), Decimal(0))
        assert parts == Decimal(rows[-1][column]), column


def test_the_cent_a_client_would_miss_is_not_missing(smtime: Smtime) -> None:
    """The case that showed a cent missing (4 523,75 € + 452,38 € shown as 4 976,12 €, and
    82,25 h + 8,22 h as 90,48 h): each line is rounded half up, the total adds them."""
    run = smtime(
        "estimate", "--set", "veille=82.25h", "--only", "veille", "--contingency", "10",
        "--rate", "55", "--lang", "fr", "-f", "markdown",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    subtotal, unplanned, total = (line.split(" | ") for line in lines[-3:])
    assert (subtotal[3], subtotal[5]) == ("82,25", "4\u202f523,75\u00a0€ |")
    assert (unplanned[3], unplanned[5]) == ("8,23", "452,38\u00a0€ |")
    assert (total[3], total[5]) == ("**90,48**", "**4\u202f976,13\u00a0€** |")
    _adds_up(_markdown_columns(run.stdout, "fr"), 1, contingency=True)


def test_lines_are_rounded_half_up_then_added() -> None:
    """Each line is rounded half up to the shown decimals; the totals add the rounded lines."""
    scenario = Scenario(default=Choice.of(level=0.5), contingency=12.5)
    result = core.estimate(catalogue=SEED, scenario=scenario)
    shown = shown_lines(result, Assumptions(rate=10.0))
    kinds = [s.line.kind.value for s in shown]
    assert kinds[-3:] == ["subtotal", "contingency", "total"]
    subtotal, contingency, total = shown[-3:]
    assert contingency.hours.hours == 2.38  # 19 h x 12.5 % = 2.375, rounded half up
    assert total.hours.hours == pytest.approx(subtotal.hours.hours + 2.38)  # type: ignore[operator]
    assert total.cost is not None
    assert total.cost.hours == pytest.approx(190 + 23.75)


def test_csv_numbers_are_plain_digits_however_large_or_small() -> None:
    """CSV numbers never take an exponent (formats.md: plain numbers, at most 6 decimals):
    a yearly cost of 1.3e19 is written in digits, and so is an FTE of 1e-05, each the same
    number as the JSON's."""
    import json
    import subprocess
    import sys

    from smtime.render.csv import cell

    assert cell(1.325e19) == "13250000000000000000"
    assert cell(1e-05) == "0.00001"
    assert cell(2.5) == 2.5
    drivers = Path(__file__).parents[1] / "docs/examples/catalogue-drivers.yaml"
    args = [sys.executable, "-m", "smtime", "estimate", "-c", str(drivers), "-H", "high",
            "--driver", "networks=1000", "--driver", "posts=1000", "--rate", "1000000000000",
            "--period", "year"]  # fmt: skip
    text = subprocess.run([*args, "-f", "csv"], capture_output=True, text=True, check=True)
    data = json.loads(
        subprocess.run([*args, "-f", "json"], capture_output=True, text=True, check=True).stdout
    )
    rows = list(csv.DictReader(io.StringIO(text.stdout)))
    numeric = ("low", "high", "hours", "fte_low", "fte_high", "cost_low", "cost_high")
    for row in rows:
        for column in numeric:
            assert re.fullmatch(r"-?[0-9]+(\.[0-9]{1,6})?", row[column]), (column, row[column])
    publishing = next(row for row in rows if row["id"] == "publishing")
    task = next(t for t in data["tasks"] if t["id"] == "publishing")
    assert float(publishing["cost_low"]) == task["cost"]["low"]
    assert "e" not in publishing["cost_low"]
