"""smtime plan --format ledger (and the hledger budget): budgets that Ledger reads with the
plan's hours; labels and dates that cannot break them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]
HOURS = {  # the mid hypothesis of the bundled catalogue, as plan --format json gives them
    "veille": 3.0,
    "acquisition": 3.0,
    "blogging": 5.0,
    "curation": 2.5,
    "communication": 2.0,
    "analyse": 2.0,
    "strategie": 1.5,
}
LEDGER_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}


def planned_hours(smtime: Smtime, *args: str) -> dict[str, float]:
    """Each family's weekly hours, as plan --format json gives them."""
    run = smtime("plan", "-f", "json", *args)
    assert run.exit_code == 0, run.stderr
    return {f["id"]: f["budget_hours"] for f in run.json()["families"]}


def test_mid_hours_are_those_of_the_plan(smtime: Smtime) -> None:
    """The hours these tests expect are the plan's own."""
    assert planned_hours(smtime, "-H", "mid") == HOURS


def test_ledger_budget(smtime: Smtime) -> None:
    """--format ledger: one ~ weekly rule from the Monday of --from's week, nothing after the
    period, amounts in seconds with the hours beside them, labels in comment lines above."""
    run = smtime("plan", "-H", "mid", "-f", "ledger", "--from", "2026-12-02", "--lang", "en")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    rule = lines.index("~ weekly from 2026-11-30")
    assert all(line.startswith(";") for line in lines[:rule])
    assert any(re.fullmatch(r"; social-media:strategie +Strategy", line) for line in lines)
    postings = lines[rule + 1 :]
    assert len(postings) == len(HOURS)
    for line in postings:
        found = re.fullmatch(r"    \(social-media:(\w+)\) +(\d+)s  ; (\d+\.\d\d)h", line)
        assert found, line
        name, seconds, hours = found.groups()
        assert int(seconds) == HOURS[name] * 3600
        assert float(hours) == HOURS[name]
    assert "~ weekly" in smtime("plan", "-f", "ledger").stdout.splitlines()


def ledger_balance(*args: str) -> dict[str, float]:
    """``ledger ARGS --flat balance`` as hours per account (Ledger writes short times in m)."""
    out = subprocess.run(
        ["ledger", *args, "--flat", "--no-total", "balance"],
        capture_output=True,
        text=True,
        check=True,
        env=LEDGER_ENV,
    ).stdout
    found = {}
    for line in out.splitlines():
        shown = re.fullmatch(r"\s*(-?[\d.]+)([hm])\s+(\S.*)", line)
        assert shown, f"one amount a line, in h or m: {line!r}"
        number, unit, name = shown.groups()
        found[name] = float(number) / (60 if unit == "m" else 1)
    return found


@pytest.mark.skipif(shutil.which("ledger") is None, reason="ledger is installed by .ci/run")
def test_ledger_reads_the_budget(smtime: Smtime, tmp_path: Path) -> None:
    """ledger --budget gives each family its weekly hours, then what is left of them once a
    time log is counted, entries of less than an hour too."""
    budget = tmp_path / "budget.ledger"
    run = smtime("plan", "-H", "mid", "-f", "ledger", "--from", "2026-11-30", "-o", str(budget))
    assert run.exit_code == 0, run.stderr
    week = ("--budget", "--start-of-week", "monday", "-p", "from 2026-11-30 to 2026-12-07")
    alone = ledger_balance("-f", str(budget), *week)
    assert alone == {f"social-media:{k}": -v for k, v in HOURS.items()}
    log = tmp_path / "time.timeclock"
    log.write_text(
        "i 2026-11-30 09:00:00 social-media:veille\no 2026-11-30 10:30:00\n"
        "i 2026-12-01 14:00:00 social-media:blogging\no 2026-12-01 19:00:00\n"
        "i 2026-12-02 09:00:00 social-media:curation\no 2026-12-02 09:15:00\n"
    )
    left = ledger_balance("-f", str(budget), "-f", str(log), *week)
    assert left["social-media:veille"] == -1.5
    assert "social-media:blogging" not in left  # 5 h logged of 5: nothing left
    assert left["social-media:curation"] == -2.25


LABEL = "Events [2026] date:2026-13-01 [=x] Key:: 1/0"


@pytest.mark.parametrize(
    ("fmt", "tool", "command"),
    [
        ("hledger", "hledger", ["balance", "--forecast=2026-11-30..2026-12-07"]),
        ("ledger", "ledger", ["--budget", "-p", "from 2026-11-30 to 2026-12-07", "balance"]),
    ],
)
def test_labels_that_look_like_journal_syntax(
    smtime: Smtime, tmp_path: Path, fmt: str, tool: str, command: list[str]
) -> None:
    """A family label with brackets, date: tags or Key:: values leaves the budget readable."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is installed by .ci/run")
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text(MINIMAL.replace("label: Alpha", f"label: '{LABEL}'"))
    budget = tmp_path / "budget"
    run = smtime(
        "plan", "-f", fmt, "--catalogue", str(catalogue), "--from", "2026-11-30", "-o", str(budget)
    )
    assert run.exit_code == 0, run.stderr
    assert LABEL in budget.read_text()
    shown = subprocess.run(
        [tool, "-f", str(budget), *command],
        capture_output=True,
        text=True,
        env=LEDGER_ENV,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "alpha" in shown.stdout


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is installed by .ci/run")
def test_hledger_budget_from_any_day(smtime: Smtime, tmp_path: Path) -> None:
    """--from a Wednesday starts the hledger rule on that week's Monday, which hledger reads."""
    budget = tmp_path / "budget.journal"
    run = smtime("plan", "-f", "hledger", "--from", "2026-12-02", "-o", str(budget))
    assert run.exit_code == 0, run.stderr
    assert "~ weekly from 2026-11-30  smtime budget" in budget.read_text()
    shown = subprocess.run(
        ["hledger", "-f", str(budget), "balance", "--forecast=2026-11-30..2026-12-07"],
        capture_output=True,
        text=True,
        env=LEDGER_ENV,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
