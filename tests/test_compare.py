"""smtime compare: tracker exports against the budget, per ISO week and per family."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, json_of

Smtime = Callable[..., Run]
TRACKERS = Path(__file__).parent / "trackers"
PARIS = ("--tz", "Europe/Paris", "--now", "2026-12-08T12:00")


def compare_json(smtime: Smtime, name: str, *args: str) -> dict[str, Any]:
    """Run compare --format json on a fixture and check it against the schema."""
    run = smtime("compare", str(TRACKERS / name), "--format", "json", *PARIS, *args)
    data: dict[str, Any] = json_of(run, "compare")
    return data


def family(week: dict[str, Any], ident: str) -> dict[str, Any]:
    """One family of one week."""
    found: dict[str, Any] = next(f for f in week["families"] if f["id"] == ident)
    return found


def test_timewarrior(smtime: Smtime) -> None:
    """Timewarrior tags map to families by id or label, --map adds names, running counts to --now."""
    data = compare_json(smtime, "timewarrior.json", "--map", "newsletter=blogging")
    first, second = data["weeks"]
    assert first["week"] == "2026-W49"
    assert family(first, "veille")["actual"] == 1.5
    assert family(first, "blogging")["actual"] == 5.5
    assert family(first, "strategie")["actual"] == 1
    assert first["total"]["actual"] == 8
    assert first["running"] is False
    assert second["week"] == "2026-W50"
    assert second["running"] is True
    assert family(second, "veille")["actual"] == 2
    assert family(second, "communication")["actual"] == 2


def test_unmapped_time_is_kept_with_its_tags(smtime: Smtime) -> None:
    """Without --map, newsletter time is unmapped, with the tag it came from."""
    first = compare_json(smtime, "timewarrior.json")["weeks"][0]
    assert first["unmapped"] == {"hours": 1.5, "tags": {"newsletter": 1.5}}
    assert first["total"]["actual"] == 6.5


def test_watson(smtime: Smtime) -> None:
    """Watson frames map by project, then by tag."""
    week = compare_json(smtime, "watson.json")["weeks"][0]
    assert family(week, "veille")["actual"] == 2
    assert family(week, "communication")["actual"] == 1.5
    assert week["unmapped"]["tags"] == {"admin": 0.75}


def test_toggl(smtime: Smtime) -> None:
    """Toggl rows map by project, task, tags, description or client; unmapped time keeps
    every name it was logged under."""
    data = compare_json(smtime, "toggl.csv", "--map", "blog=blogging")
    first, second = data["weeks"]
    assert family(first, "veille")["actual"] == 1.5
    assert family(first, "blogging")["actual"] == 3
    assert first["unmapped"]["tags"] == {"Internal, Team meeting, ACME": 1}
    assert family(second, "communication")["actual"] == 0.75


def test_plain_csv(smtime: Smtime) -> None:
    """A date,task,hours CSV: labels with accents match (Stratégie)."""
    data = compare_json(smtime, "plain.csv")
    first = data["weeks"][0]
    assert family(first, "strategie")["actual"] == 1.5
    assert family(first, "blogging")["actual"] == 3.5
    assert first["unmapped"]["tags"] == {"coffee": 0.5}


def test_status_level_and_summary(smtime: Smtime) -> None:
    """Status says below, within or above; level places actual on 0 = low … 1 = high."""
    data = compare_json(smtime, "plain.csv", "--hypothesis", "mid")
    first = data["weeks"][0]
    blogging = family(first, "blogging")
    assert blogging["status"] == "within"
    assert blogging["level"] == pytest.approx((3.5 - 2) / 6)
    assert blogging["budget"] == 5
    assert family(first, "acquisition")["status"] == "below"
    assert family(first, "acquisition")["level"] == -1
    veille_w50 = family(data["weeks"][1], "veille")
    assert veille_w50["status"] == "within"
    levels = [w["total"]["level"] for w in data["weeks"]]
    assert data["summary"]["level"] == pytest.approx(sum(levels) / 2, abs=1e-6)
    assert data["summary"]["match"] == "below-low"
    assert data["summary"]["weeks"] == 2


def test_above_high(smtime: Smtime, tmp_path: Path) -> None:
    """A week over the high hypothesis is above, and the summary says so."""
    path = tmp_path / "busy.csv"
    path.write_text(
        "date,task,hours\n2026-11-30,blogging,5\n2026-12-01,blogging,5\n2026-12-01,veille,30\n"
    )
    run = smtime("compare", str(path), "-f", "json", "--tz", "UTC")
    week = run.json()["weeks"][0]
    assert family(week, "blogging")["status"] == "above"
    assert run.json()["summary"]["match"] == "above-high"


def test_week_follows_the_time_zone(smtime: Smtime, tmp_path: Path) -> None:
    """An interval late on Sunday in UTC belongs to Monday's week in Tokyo."""
    path = tmp_path / "late.json"
    path.write_text('[{"start":"20261206T230000Z","end":"20261206T233000Z","tags":["veille"]}]')
    utc = smtime("compare", str(path), "-f", "json", "--tz", "UTC").json()
    tokyo = smtime("compare", str(path), "-f", "json", "--tz", "Asia/Tokyo").json()
    assert utc["weeks"][0]["week"] == "2026-W49"
    assert tokyo["weeks"][0]["week"] == "2026-W50"


def test_compare_csv_and_markdown(smtime: Smtime) -> None:
    """CSV has a row per week and family, then total and unmapped rows; Markdown a table a week."""
    run = smtime("compare", str(TRACKERS / "plain.csv"), "-f", "csv", *PARIS)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["id"] for r in rows if r["week"] == "2026-W49"][-2:] == ["total", "unmapped"]
    assert float(next(r for r in rows if r["id"] == "blogging")["actual"]) == 3.5
    markdown = smtime(
        "compare", str(TRACKERS / "plain.csv"), "-f", "markdown", "-l", "en", *PARIS
    ).stdout
    assert "### 2026-W49" in markdown
    assert "| Unmapped: coffee | 0.5 |" in markdown
    table = smtime("compare", str(TRACKERS / "plain.csv"), "-l", "fr", *PARIS).stdout
    assert "sous la fourchette" in table
    assert "niveau moyen -0,22\u202f: sous l’hypothèse basse" in table


def test_people_see_the_budget_when_a_scenario_gives_one(smtime: Smtime) -> None:
    """With --hypothesis, the table and Markdown show each family's budget beside the actual
    time, and the status in the words of the JSON's status; without it, no budget column."""
    args = ("compare", str(TRACKERS / "plain.csv"), *PARIS, "-l", "en")
    data = smtime(*args, "--hypothesis", "mid", "-f", "json").json()
    week = data["weeks"][0]
    blogging = family(week, "blogging")
    markdown = smtime(*args, "--hypothesis", "mid", "-f", "markdown").stdout
    lines = markdown.splitlines()
    header = next(line for line in lines if line.startswith("| Family"))
    assert header == "| Family | Actual | Low | High | Budget | Status | Level |"
    row = next(line for line in lines if line.startswith("| Blogging"))
    words = {"below": "below the range", "within": "within the range", "above": "above the range"}
    expected = f"| Blogging | 3.5 | 2 | 8 | {blogging['budget']:g} | {words[blogging['status']]} |"
    assert row.startswith(expected)
    table = smtime(*args, "--hypothesis", "mid").stdout
    assert "Budget" in table
    assert words[blogging["status"]] in table
    plain = smtime(*args, "-f", "markdown").stdout
    assert "Budget" not in plain


def test_tracker_can_be_forced(smtime: Smtime) -> None:
    """--tracker (or its former name --input-format) forces a reader: a Toggl file read as
    Watson is an error that names what the file looks like, exit 65."""
    for option in ("--tracker", "--input-format"):
        run = smtime("compare", str(TRACKERS / "toggl.csv"), option, "watson")
        assert run.exit_code == 65
        assert "this looks like Toggl Track" in run.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            '[{"start": "yesterday", "tags": []}]',
            'interval 0: "yesterday" is not a time such as 20261130T090000Z',
        ),
        (
            '[{"start":"20261130T100000Z","end":"20261130T090000Z","tags":["x"]}]',
            "ends before it starts",
        ),
        ('{"not": "a list"}', "expected a JSON array"),
        (
            "date,task,hours\n2026-11-30,veille,lots\n",
            ":2: hours: 'lots' is not a duration: write one such as 1.5, 1,5, 1:30",
        ),
        (
            "date,task,hours\n2026-13-01,veille,1\n",
            ":2: date: '2026-13-01' is not a date such as 2026-11-30",
        ),
        ("Project,Duration\nx,01:00:00\n", "no Start date column"),
        ("Project,Start date,Duration\nx,2026-11-30,1 hr\n", "Duration: '1 hr' is not a duration"),
    ],
)
def test_bad_exports_exit_65(smtime: Smtime, tmp_path: Path, content: str, fragment: str) -> None:
    """Broken exports are reported with their place, exit 65."""
    path = tmp_path / "export.txt"
    path.write_text(content)
    run = smtime("compare", str(path), "--tz", "UTC")
    assert run.exit_code == 65, run.stderr
    assert fragment in run.stderr


def test_unknown_map_target_exits_2(smtime: Smtime) -> None:
    """--map onto an unknown family exits 2 with a suggestion."""
    run = smtime("compare", str(TRACKERS / "plain.csv"), "--map", "news=bloging")
    assert run.exit_code == 2
    assert "did you mean 'blogging'?" in run.stderr


def test_stdin(tmp_path: Path) -> None:
    """compare - reads the export from standard input."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "smtime", "compare", "-", "-f", "json", "--tz", "UTC"],
        input=(TRACKERS / "plain.csv").read_text(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["summary"]["weeks"] == 2


def test_hours_over_weeks_are_added_exactly() -> None:
    """A comparison's tracked and unmapped hours are added in one place each, exactly
    (``math.fsum``): ten tenths of an hour are one hour, not 0.9999999999999999."""
    from smtime.compare import Comparison, FamilyWeek, Week

    weeks = tuple(
        Week(
            f"2026-W{n:02d}",
            (FamilyWeek("blogging", 0.1, 1.0, 2.0, 1.5), FamilyWeek("veille", 0.1, 2, 4, 3)),
            {"newsletter": 0.1, "(no tag)": 0.1},
            running=False,
        )
        for n in range(1, 6)
    )
    result = Comparison(weeks, None, None)
    assert weeks[0].unmapped_hours == 0.2
    assert result.actual_hours == 1.0
    assert result.unmapped_hours == 1.0
