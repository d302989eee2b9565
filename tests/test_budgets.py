"""smtime plan budgets for journal tools: labels and dates that cannot break them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]
LEDGER_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
LABEL = "Events [2026] date:2026-13-01 [=x] Key:: 1/0"


@pytest.mark.parametrize(
    ("fmt", "tool", "command"),
    [
        ("hledger", "hledger", ["balance", "--forecast=2026-11-30..2026-12-07"]),
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
