"""Capacity and coverage: what the hours available cover of the budget, in priority order."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, json_of

Smtime = Callable[..., Run]


def capacity(run: Run) -> dict[str, Any]:
    data = json_of(run, "estimate")
    return dict(data["capacity"])


def statuses(data: dict[str, Any]) -> list[tuple[str, float, float, str]]:
    return [(f["id"], f["needed"], f["allotted"], f["status"]) for f in data["families"]]


def test_six_hours_cover_the_first_families_in_the_catalogues_order(smtime: Smtime) -> None:
    """Mid needs 19 h; 6 h keep strategy (1.5) and monitoring (3) whole, give the 1.5 h left
    to communication (needs 2), drop the rest: 6/19 covered, 13 h and 13/35 FTE short."""
    data = capacity(smtime("estimate", "-H", "mid", "--capacity", "6", "-f", "json"))
    assert data["hours_per_week"] == 6
    assert data["needed"] == 19
    assert data["coverage"] == round(6 / 19, 6)
    assert data["shortfall"] == 13
    assert data["spare"] == 0
    assert data["fte_missing"] == round(13 / 35, 6)
    assert statuses(data) == [
        ("strategie", 1.5, 1.5, "kept"),
        ("veille", 3, 3, "kept"),
        ("communication", 2, 1.5, "reduced"),
        ("analyse", 2, 0, "dropped"),
        ("acquisition", 3, 0, "dropped"),
        ("curation", 2.5, 0, "dropped"),
        ("blogging", 5, 0, "dropped"),
    ]


def test_priority_and_contingency(smtime: Smtime) -> None:
    """--priority puts blogging first; with 10 % contingency each family needs 1.1 × its
    hours: blogging 5.5 kept, strategy gets the 0.5 left of its 1.65."""
    run = smtime(
        "estimate", "-H", "mid", "--capacity", "6", "--priority", "Blogging",
        "--contingency", "10", "-f", "json",
    )  # fmt: skip
    data = capacity(run)
    assert data["needed"] == 20.9
    assert statuses(data)[:3] == [
        ("blogging", 5.5, 5.5, "kept"),
        ("strategie", 1.65, 0.5, "reduced"),
        ("veille", 3.3, 0, "dropped"),
    ]


def test_people_times_hours_and_spare_hours(smtime: Smtime) -> None:
    """2x15h is 30 h a week: at mid (19 h) all is kept with 11 h to spare; over a month the
    hours are the period's (× 52 / 12)."""
    data = capacity(smtime("estimate", "-H", "mid", "--capacity", "2x15h", "-f", "json"))
    assert (data["people"], data["hours_per_person"], data["hours_per_week"]) == (2, 15, 30)
    assert (data["coverage"], data["shortfall"], data["spare"]) == (1, 0, 11)
    assert {f["status"] for f in data["families"]} == {"kept"}
    month = capacity(
        smtime("estimate", "-H", "mid", "--capacity", "2x15", "--period", "month", "-f", "json")
    )
    assert month["available"] == 130
    assert month["spare"] == round(11 * 52 / 12, 6)


def test_without_a_scenario_the_low_hypothesis_is_covered(smtime: Smtime) -> None:
    """With no hypothesis or level, the capacity is set against the low hypothesis (10 h)."""
    data = capacity(smtime("estimate", "--capacity", "5", "-f", "json"))
    assert data["needed"] == 10
    assert data["coverage"] == 0.5


def test_people_read_the_coverage_in_every_format(smtime: Smtime) -> None:
    """Table, Markdown and the report say the coverage and what is kept, reduced, dropped;
    the CSV has each family's allotted hours and status."""
    args = ("estimate", "-H", "mid", "--capacity", "6", "--lang", "en")
    line = "Capacity: 6 h a week covers 31.6% of the 19 h needed: 13 h short, 0.37 FTE missing."
    order = "kept: Strategy, Monitoring / Sourcing; reduced: Communication (1.5 of 2 h)"
    markdown = smtime(*args, "-f", "markdown").stdout
    assert line in markdown
    assert order in markdown
    table = smtime(*args).stdout
    assert "13 h short" in " ".join(table.split())
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(smtime(*args, "-f", "csv").stdout))}
    assert (rows["communication"]["allotted"], rows["communication"]["status"]) == (
        "1.5",
        "reduced",
    )
    assert (rows["blogging"]["allotted"], rows["blogging"]["status"]) == ("0", "dropped")
    assert rows["total"]["allotted"] == "6"
    report = smtime("report", "-H", "mid", "--capacity", "6", "--lang", "en").stdout
    assert "13 h short" in report


def test_profiles_and_batch_rows_take_a_capacity(smtime: Smtime, tmp_path: Path) -> None:
    """A profile's capacity and priority work as the options do; a batch row's too."""
    profile = tmp_path / "p.yaml"
    profile.write_text("hypothesis: mid\ncapacity: 2x3h\npriority: [blogging]\n")
    data = capacity(smtime("estimate", "--profile", str(profile), "-f", "json"))
    assert statuses(data)[0] == ("blogging", 5, 5, "kept")
    assert data["hours_per_week"] == 6
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"name": "a", "hypothesis": "mid", "capacity": 6, "priority": "blogging"}\n')
    line = smtime("batch", str(rows)).json()
    assert statuses(line["capacity"])[0] == ("blogging", 5, 5, "kept")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--capacity", "abc"), "expected weekly hours such as 6 or 6h"),
        (("--capacity", "0x3"), "people must be a whole number from 1"),
        (("--capacity", "2x200h"), "hours per person must be"),
        (("--capacity", "2000000"), "capacity must be"),
        (("--capacity", "6", "--priority", "nope"), "nope"),
    ],
)
def test_a_bad_capacity_or_priority_is_a_usage_error(
    smtime: Smtime, args: tuple[str, ...], message: str
) -> None:
    """A capacity that is not hours or people × hours, or out of bounds, or an unknown family
    in --priority, is refused with exit 2 and says why."""
    run = smtime("estimate", *args)
    assert run.exit_code == 2
    assert message in run.stderr


def test_the_report_marks_what_the_capacity_covers(smtime: Smtime) -> None:
    """The report's chart draws, under each family the capacity covers, a line as long as
    the hours it covers, and its caption says what the line is."""
    import re

    html = smtime("report", "-H", "mid", "--capacity", "6", "--lang", "en").stdout
    widths = {}
    for group in html.split('<g class="family-bar"')[1:]:
        family = re.search(r'data-family="(\w+)"', group)
        covered = re.search(r'class="covered"[^>]*width="([\d.]+)"', group)
        if family and covered:
            widths[family.group(1)] = covered.group(1)
    assert set(widths) == {"strategie", "veille", "communication"}
    assert float(widths["veille"]) == pytest.approx(2 * float(widths["strategie"]), abs=0.02)
    assert "The dark line under a bar is the hours the capacity covers." in html
    assert 'class="covered"' not in smtime("report", "-H", "mid", "--lang", "en").stdout
