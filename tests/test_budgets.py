"""smtime plan --format ledger and --format beancount: budgets that Ledger and Beancount read
with the plan's hours; labels and account names that cannot break them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import account as beancount_account
from beancount.core.amount import Amount
from beancount.core.data import Custom, Open
from hypothesis import given
from hypothesis import strategies as st

from smtime.errors import ExitCode
from smtime.render.beancount import ROOTS, account_problem, component
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


def test_beancount_budget(smtime: Smtime) -> None:
    """--format beancount: Beancount loads it without an error; one open and one Fava budget
    entry (account, "weekly", hours in HOURS) per family, from the Monday of --from's week."""
    run = smtime("plan", "-H", "mid", "-f", "beancount", "--from", "2026-12-02")
    assert run.exit_code == 0, run.stderr
    entries, errors, _ = loader.load_string(run.stdout)
    assert errors == []
    opened = {e.account: e.date for e in entries if isinstance(e, Open)}
    budgets = [e for e in entries if isinstance(e, Custom) and e.type == "budget"]
    assert len(budgets) == len(HOURS)
    for entry in budgets:
        name, interval, amount = (v.value for v in entry.values)
        assert entry.date == date(2026, 11, 30)
        assert opened[name] <= entry.date
        assert interval == "weekly"
        assert isinstance(amount, Amount)
        assert amount.currency == "HOURS"
        family = name.removeprefix("Expenses:Social-Media:")
        assert amount.number == Decimal(str(HOURS[family.lower()])).quantize(Decimal("0.01"))


def test_beancount_budget_beside_a_time_log(smtime: Smtime) -> None:
    """Hours logged to the budget's accounts load without an error beside it."""
    budget = smtime("plan", "-H", "low", "-f", "beancount", "--from", "2026-11-30").stdout
    log = (
        "2026-11-30 open Income:Time\n"
        '2026-12-01 * "Monitoring"\n'
        "  Expenses:Social-Media:Veille  1.50 HOURS\n"
        "  Income:Time\n"
    )
    entries, errors, _ = loader.load_string(budget + log)
    assert errors == []
    assert any(isinstance(e, Custom) for e in entries)


@pytest.mark.parametrize(
    ("account", "fragment"),
    [
        ("social-media", "must start with one of Assets"),
        ("Expenses:time", "'time' must start with a capital letter or a digit"),
        ("Expenses:Social Media", "holds ' '"),
        ("Expenses::X", "empty part"),
        ("Expenses:A_b", "holds '_'"),
    ],
)
def test_beancount_refuses_names_it_cannot_read(
    smtime: Smtime, account: str, fragment: str
) -> None:
    """An --account Beancount would misread is refused with exit 2, nothing written."""
    run = smtime("plan", "-f", "beancount", "--account", account)
    assert run.exit_code == ExitCode.USAGE
    assert "is not a valid Beancount account name" in run.stderr
    assert fragment in run.stderr
    assert run.stdout == ""


@given(st.text(alphabet="AaÉé9_-: ·\u0301Ex", max_size=12))
def test_beancount_account_rule_is_beancounts(tail: str) -> None:
    """What the check accepts is what Beancount accepts, under one of its five roots."""
    for root in (*ROOTS, "Time"):
        name = f"{root}:{tail}"
        accepted = beancount_account.is_valid(name) and root in ROOTS
        assert (account_problem(name) is None) == accepted, name


def test_family_ids_become_beancount_components(smtime: Smtime, tmp_path: Path) -> None:
    """Ids become capitalised components; two ids that would share one are refused (exit 2)."""
    assert component("social_media-2x") == "Social-Media-2x"
    path = tmp_path / "c.yaml"
    path.write_text(MINIMAL.replace("id: alpha", "id: a-b").replace("id: beta", "id: a_b"))
    run = smtime("plan", "-f", "beancount", "--catalogue", str(path))
    assert run.exit_code == ExitCode.USAGE
    assert "would share the Beancount account 'Expenses:Social-Media:A-B'" in run.stderr


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
