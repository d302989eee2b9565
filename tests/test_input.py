"""Output that reads right: numbers as people type them, messages in plain words, every
problem of a file at once, and a starter profile in the user's language."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smtime.cli import main
from smtime.domain import CONTINGENCY, LEVEL, RATE, OutOfBounds, read_number
from tests.conftest import ROOT, Run, json_of

Smtime = Callable[..., Run]
DRIVERS = ROOT / "docs" / "examples" / "catalogue-drivers.yaml"

JARGON = (
    "Input should",
    "input should",
    "Value error",
    "valid number",
    "unable to parse",
    "Invalid value",
    "No such option",
    "Possible options",
    "should be",
    "should have",
    "Traceback",
)
"""Words of pydantic, Click or Python that a person should never read from smtime."""


def estimate(smtime: Smtime, *args: str) -> dict[str, Any]:
    """The JSON of a successful estimate, checked against its schema."""
    data: dict[str, Any] = json_of(smtime("estimate", "--format", "json", *args), "estimate")
    return data


def one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What main() writes on stderr for a usage error (exit 2), checked to be one line."""
    try:
        code = main(args)
    except SystemExit as exc:  # an error found while the options are read
        code = int(str(exc.code))
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert not any(word in err for word in JARGON), err
    return err


# 1. Numbers as people type them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("55.5", 55.5),
        ("55,5", 55.5),
        (" 55,5 ", 55.5),
        ("0,25", 0.25),
        ("0,125", 0.125),
        (",5", 0.5),
        ("1.234", 1.234),
        ("1,2345", 1.2345),
        ("1e3", 1000.0),
        ("-4", -4.0),
    ],
)
def test_read_number_reads_a_point_or_a_comma(typed: str, value: float) -> None:
    """A decimal point and a decimal comma both read as the same number."""
    assert read_number(typed) == value


@pytest.mark.parametrize("typed", ["10%", "10 %", "10\u00a0%", "10\u202f%", " 10 % "])
def test_read_number_reads_a_percentage_where_one_is_meant(typed: str) -> None:
    """10%, 10 % (with a space, a no-break space or a narrow one) is 10 for a contingency."""
    assert CONTINGENCY.read(typed) == 10.0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1,234",
            "'1,234' is ambiguous: the comma may separate thousands or decimals: "
            "write 1234 or 1.234",
        ),
        (
            "-1,500",
            "'-1,500' is ambiguous: the comma may separate thousands or decimals: "
            "write -1500 or -1.500",
        ),
        ("1 234", "'1 234' groups digits by thousands, which smtime does not read: write 1234"),
        ("1.234,5", "groups digits by thousands, which smtime does not read: write 1234.5"),
        ("1,234,567", "groups digits by thousands, which smtime does not read: write 1234567"),
        ("1,234.5", "groups digits by thousands, which smtime does not read: write 1234.5"),
        ("abc", "'abc' is not a number: write a number such as 55.5 or 55,5"),
        ("nan", "'nan' is not a number"),
        ("1_000", "'1_000' is not a number"),
        ("٥٥", "is not a number"),
        (
            "10%",
            "'10%' is a percentage, which is not accepted here: the hourly rate is a number "
            "from 0 to 1,000,000,000,000",
        ),
    ],
)
def test_read_number_refuses_with_the_reason(typed: str, message: str) -> None:
    """Text that is ambiguous, grouped by thousands or not a number is refused, saying why."""
    with pytest.raises(OutOfBounds) as info:
        RATE.read(typed)
    assert message in str(info.value)


def test_a_percentage_where_a_fraction_is_meant_says_what_to_write() -> None:
    """25% for a level (0 to 1) is refused with the level to write instead."""
    with pytest.raises(OutOfBounds, match=r"write 0\.25$"):
        LEVEL.read("25%")


@pytest.mark.parametrize(
    ("option", "french", "english"),
    [
        ("--rate", "55,5", "55.5"),
        ("--level", "0,25", "0.25"),
        ("--contingency", "12,5", "12.5"),
        ("--contingency", "10%", "10"),
        ("--contingency", "10 %", "10"),
        ("--weeks-per-year", "47,5", "47.5"),
        ("--full-time-hours", "37,5", "37.5"),
        ("--set", "curation=1,5h", "curation=1.5h"),
        ("--set", "curation=0,5", "curation=0.5"),
    ],
)
def test_options_read_french_numbers(
    smtime: Smtime, option: str, french: str, english: str
) -> None:
    """Every number option reads 55,5 as 55.5 and 10 % as 10: the same estimate."""
    scenario = ["--period", "year", "--rate", "50"] if option != "--rate" else ["-H", "mid"]
    if option != "--level":
        scenario += ["-H", "mid"] if "-H" not in scenario else []
    assert estimate(smtime, *scenario, option, french) == estimate(
        smtime, *scenario, option, english
    )


def test_tracker_csv_hours_read_as_typed(smtime: Smtime, tmp_path: Path) -> None:
    """A plain date,task,hours export reads "1,5" as 1.5 hours, refuses "1,250" as
    ambiguous and a bad date in plain words, each after the name of its column."""
    good = write(tmp_path, "good.csv", 'date,task,hours\n2024-01-01,blogging,"1,5"\n')
    args = ["--tz", "UTC", "--now", "2024-02-01T00:00", "--format", "json"]
    run = smtime("compare", str(good), *args)
    assert run.exit_code == 0, run.stderr
    assert "1.5" in run.stdout
    bad = write(
        tmp_path, "bad.csv", 'date,task,hours\n2024-01-01,blogging,"1,250"\n2024-13-01,x,1\n'
    )
    run = smtime("compare", str(bad), *args)
    assert run.exit_code == 65
    assert run.stderr.splitlines() == [
        f"{bad}:2: hours: '1,250' is ambiguous: the comma may separate thousands or decimals: "
        "write 1250 or 1.250",
        f"{bad}:3: date: '2024-13-01' is not a date such as 2026-11-30",
    ]


def test_driver_quantities_read_french_numbers(smtime: Smtime) -> None:
    """--driver networks=1,5 is 1.5 networks; a comma before NAME= still starts a new pair."""
    common = ["--catalogue", str(DRIVERS), "-H", "mid"]
    french = estimate(smtime, *common, "--driver", "networks=1,5,posts=2")
    english = estimate(smtime, *common, "--driver", "networks=1.5", "--driver", "posts=2")
    assert french == english
    assert french["assumptions"]["drivers"] == {"networks": 1.5, "posts": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["estimate", "--rate", "1,234"],
            "smtime: --rate: '1,234' is ambiguous: the comma may separate thousands or "
            "decimals: write 1234 or 1.234 (see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--weeks-per-year", "47,500"],
            "smtime: --weeks-per-year: '47,500' is ambiguous: the comma may separate thousands "
            "or decimals: write 47500 or 47.500 (see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--rate", "10%"],
            "smtime: --rate: '10%' is a percentage, which is not accepted here: the hourly "
            "rate is a number from 0 to 1,000,000,000,000 (see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--level", "25 %"],
            "smtime: --level: '25 %' is a percentage, and level is a number from 0 (low) to "
            "1 (high): write 0.25 (see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--rate", "55,5x"],
            "smtime: --rate: '55,5x' is not a number: write a number such as 55.5 or 55,5 "
            "(see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--contingency", "dix"],
            "smtime: --contingency: 'dix' is not a number: write a number such as 10, 12.5 "
            "or 12,5 % (see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--rate", "-4"],
            "smtime: --rate: the hourly rate must be a number from 0 to 1,000,000,000,000, "
            "not -4 (see 'smtime estimate --help')\n",
        ),
        (
            ["plan", "--min-block", "22,5"],
            "smtime: --min-block: '22,5' is not a whole number (see 'smtime plan --help')\n",
        ),
        (
            ["estimate", "--set", "curation=1,234h"],
            "smtime: --set curation=1,234h: '1,234' is ambiguous: the comma may separate "
            "thousands or decimals: write 1234 or 1.234\n",
        ),
        (
            ["estimate", "--driver", "networks=1,000"],
            "smtime: --driver networks: '1,000' is ambiguous: the comma may separate "
            "thousands or decimals: write 1000 or 1.000\n",
        ),
    ],
)
def test_numbers_refused_on_the_command_line_say_why(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A number option refused is one line naming the option, the value and what to write."""
    assert one_line(args, capsys) == message


def test_options_refused_through_the_test_runner_too(smtime: Smtime) -> None:
    """Typer's own runner shows the same words (after Click's usage lines), exit 2."""
    run = smtime("estimate", "--rate", "1,234")
    assert run.exit_code == 2
    assert "--rate: '1,234' is ambiguous" in run.stderr
    assert not any(word in run.stderr for word in JARGON), run.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file of ``text`` in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_reads_french_numbers(smtime: Smtime, tmp_path: Path) -> None:
    """A profile's rate: 55,5, level: 0,25, contingency: 10 % and 1,5h read as typed."""
    french = write(
        tmp_path,
        "fr.yaml",
        "level: 0,25\nrate: 55,5\ncontingency: 10 %\nweeks_per_year: 47,5\n"
        "full_time_hours: 37,5\nset:\n  curation: 1,5h\nperiod: month\n",
    )
    english = write(
        tmp_path,
        "en.yaml",
        "level: 0.25\nrate: 55.5\ncontingency: 10\nweeks_per_year: 47.5\n"
        "full_time_hours: 37.5\nset:\n  curation: 1.5h\nperiod: month\n",
    )
    assert estimate(smtime, "--profile", str(french)) == estimate(smtime, "--profile", str(english))
    percent = write(tmp_path, "pc.yaml", "hypothesis: low\ncontingency: 10%\n")
    assert estimate(smtime, "--profile", str(percent))["total"]["hours"] == 11


def test_profile_drivers_read_french_numbers(smtime: Smtime, tmp_path: Path) -> None:
    """A profile's driver quantity 1,5 is 1.5."""
    profile = write(
        tmp_path, "p.yaml", f"catalogue: {DRIVERS}\nhypothesis: mid\ndrivers:\n  networks: 1,5\n"
    )
    data = estimate(smtime, "--profile", str(profile))
    assert data["assumptions"]["drivers"]["networks"] == 1.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rate: 1,234\n",
            "p.yaml:1:7: rate: '1,234' is ambiguous: the comma may separate thousands or "
            "decimals: write 1234 or 1.234",
        ),
        (
            "rate: 10%\n",
            "p.yaml:1:7: rate: '10%' is a percentage, which is not accepted here: the hourly "
            "rate is a number from 0 to 1,000,000,000,000",
        ),
        (
            "level: 50 %\n",
            "p.yaml:1:8: level: '50 %' is a percentage, and level is a number from 0 (low) "
            "to 1 (high): write 0.5",
        ),
        ("rate: 55,5 euros\n", "p.yaml:1:7: rate: '55,5 euros' is not a number"),
        ("contingency: 1 000\n", "p.yaml:1:14: contingency: '1 000' groups digits"),
    ],
)
def test_profile_numbers_refused_say_why(
    smtime: Smtime, tmp_path: Path, text: str, message: str
) -> None:
    """A profile number that cannot be read is placed, with the reason and what to write."""
    run = smtime("profile", "validate", str(write(tmp_path, "p.yaml", text)))
    assert run.exit_code == 65
    assert message in run.stderr
    assert "without quotes" not in run.stderr
    assert not any(word in run.stderr for word in JARGON), run.stderr


def test_batch_jsonl_reads_french_numbers(smtime: Smtime, tmp_path: Path) -> None:
    """A JSON Lines profile may give numbers as text typed by people: "55,5", "10 %"."""
    path = write(
        tmp_path,
        "p.jsonl",
        '{"name": "fr", "level": "0,25", "rate": "55,5", "contingency": "10 %"}\n'
        '{"name": "en", "level": 0.25, "rate": 55.5, "contingency": 10}\n',
    )
    run = smtime("batch", str(path))
    assert run.exit_code == 0, run.stderr
    french, english = (json.loads(line) for line in run.stdout.splitlines())
    for data in (french, english):
        del data["profile"], data["line"]
    assert french == english


def test_batch_csv_reads_french_numbers(smtime: Smtime, tmp_path: Path) -> None:
    """CSV cells hold numbers as people type them: "55,5" (quoted), 10 %, 1,5h."""
    path = write(
        tmp_path,
        "p.csv",
        "name,level,rate,contingency,set\n"
        'fr,"0,25","55,5",10 %,"curation=1,5h"\n'
        "en,0.25,55.5,10,curation=1.5h\n",
    )
    run = smtime("batch", str(path), "--format", "csv")
    assert run.exit_code == 0, run.stderr
    rows = run.stdout.splitlines()[1:]
    french = [row.split(",", 2)[2] for row in rows if row.startswith("fr,")]
    english = [row.split(",", 2)[2] for row in rows if row.startswith("en,")]
    assert french == english
    assert french


def test_batch_refuses_an_ambiguous_number_on_its_line(smtime: Smtime, tmp_path: Path) -> None:
    """A batch row with rate 1,234 is reported on its line with the reason; others go on."""
    path = write(tmp_path, "p.csv", 'name,rate\nA,"1,234"\nB,55\n')
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert [json.loads(line)["profile"] for line in run.stdout.splitlines()] == ["B"]
    assert run.stderr == (
        f"{path}:2: profile 'A': rate: '1,234' is ambiguous: the comma may separate "
        "thousands or decimals: write 1234 or 1.234\n"
    )


# 2. Messages in plain words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["estimate", "--hypothesis", "medium"],
            "smtime: --hypothesis: 'medium' is not one of low, mid, high: did you mean 'mid'? "
            "(see 'smtime estimate --help')\n",
        ),
        (
            ["estimate", "--format", "yml"],
            "smtime: --format: 'yml' is not one of table, json, csv, markdown, xlsx "
            "(see 'smtime estimate --help')\n",
        ),
        (
            ["plan", "--format", "yml"],
            "smtime: --format: 'yml' is not one of table, json, markdown, ics, hledger, ledger, beancount "
            "(see 'smtime plan --help')\n",
        ),
        (
            ["batch", "x.jsonl", "--format", "yml"],
            "smtime: --format: 'yml' is not one of jsonl, csv (see 'smtime batch --help')\n",
        ),
        (
            ["estimate", "--period", "mnth"],
            "smtime: --period: 'mnth' is not one of week, month, year: did you mean 'month'? "
            "(see 'smtime estimate --help')\n",
        ),
        (
            ["tasks", "--lang", "de"],
            "smtime: --lang: 'de' is not one of fr, en, es (see 'smtime tasks --help')\n",
        ),
        (
            ["report", "--format", "pdf"],
            "smtime: --format: 'pdf' is not one of html, xlsx (see 'smtime report --help')\n",
        ),
        (
            ["tasks", "--format", "xlsx"],
            "smtime: --format: 'xlsx' is not one of table, json, csv, markdown "
            "(see 'smtime tasks --help')\n",
        ),
        (
            ["estimate", "--hypotesis", "low"],
            "smtime: 'smtime estimate' has no option --hypotesis: did you mean --hypothesis? "
            "(see 'smtime estimate --help')\n",
        ),
        (
            ["batch", "x.jsonl", "--jobs", "two"],
            "smtime: --jobs: 'two' is not a number: write a number such as 55.5 or 55,5 "
            "(see 'smtime batch --help')\n",
        ),
    ],
)
def test_usage_errors_in_plain_words(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused option value names the option, the value and what is accepted, with the
    nearest accepted value where there is one; never Click's or pydantic's words."""
    assert one_line(args, capsys) == message


def test_unknown_format_option_suggests_nothing_wrong(smtime: Smtime) -> None:
    """A command without --format says so, and suggests none of its other options (Click
    would offer --catalogue)."""
    run = smtime("catalogue", "validate", "--format", "json")
    assert run.exit_code == 2
    assert "'smtime catalogue validate' has no option --format" in run.stderr
    assert "did you mean" not in run.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hypothesis: medium\n", "p.yaml:1:13: hypothesis: 'medium' is not one of low, mid, high"),
        ("period: mnth\n", "p.yaml:1:9: period: 'mnth' is not one of week, month, year: did you"),
        ("lang: de\n", "p.yaml:1:7: lang: 'de' is not one of fr, en, es"),
        ("hypotesis: low\n", "unknown key 'hypotesis' (did you mean 'hypothesis'?)"),
        ("set:\n  curaton: high\n", "unknown family 'curaton': did you mean 'curation'"),
        ("period: 3\n", "p.yaml:1:9: period: expected week, month or year, not the number 3"),
        ("name: ''\n", "p.yaml:1:7: name: empty text: write some, or leave the key out"),
        ("currency: eur\n", "currency: 'eur' is not an ISO 4217 currency code"),
        ("rate: true\n", "rate: the hourly rate must be a number"),
        ("rate: -4\n", "rate: the hourly rate must be a number from 0 to 1,000,000,000,000"),
        ("weeks_per_year: 60\n", "weeks per year must be above 0 and at most 53, not 60"),
    ],
)
def test_profile_messages_in_plain_words(
    smtime: Smtime, tmp_path: Path, text: str, message: str
) -> None:
    """Profile problems name the place, the value and what is accepted, with a "did you
    mean" where one exists, and none of pydantic's words."""
    run = smtime("profile", "validate", str(write(tmp_path, "p.yaml", text)))
    assert run.exit_code == 65
    assert message in run.stderr
    assert not any(word in run.stderr for word in JARGON), run.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("low: 1\n", "low: true\n"), "families[0].low: expected a number, not true/false"),
        (("low: 1\n", "low: 1,5\n"), "'1,5' is text here: write the number with a decimal point"),
        (("low: 1\n", "low: -1\n"), "hours must be a number of weekly hours from 0 to 1,000,000"),
        (("id: alpha", "id: Alpha"), "'Alpha' is not a valid id"),
        (
            ("families:\n", "drivers:\n  Bad Name: {label: x, default: 1}\nfamilies:\n"),
            "is not a valid name",
        ),
        (('version: "1"', 'version: ""'), "version: empty text"),
        (
            ("    high: 3\n", "    high: 3\n    priority: 0\n"),
            "priority: must be at least 1, not 0",
        ),
        (("    high: 3\n", "    high: 3\n    priority: 1.5\n"), "expected a whole number, not"),
    ],
)
def test_catalogue_messages_in_plain_words(
    smtime: Smtime, write_catalogue: Callable[..., Path], change: tuple[str, str], message: str
) -> None:
    """Catalogue problems are in plain words too: no "input should be"."""
    from tests.conftest import MINIMAL

    path = write_catalogue(MINIMAL.replace(*change, 1))
    run = smtime("catalogue", "validate", str(path))
    assert run.exit_code == 65
    assert message in run.stderr
    assert not any(word in run.stderr for word in JARGON), run.stderr


@pytest.mark.parametrize(
    "row",
    [
        '{"level": 2}',
        '{"rate": -1}',
        '{"rate": "abc"}',
        '{"period": "mnth"}',
        '{"hypothesis": "medium"}',
        '{"name": 3}',
        '{"set": []}',
        '{"drivers": {"networks": true}}',
        '{"only": 3}',
        '{"currency": "eur"}',
    ],
)
def test_batch_problems_in_plain_words(smtime: Smtime, tmp_path: Path, row: str) -> None:
    """A batch row's problems use the same plain words as a profile file's."""
    run = smtime("batch", str(write(tmp_path, "p.jsonl", row + "\n")))
    assert run.exit_code == 65
    assert run.stderr.startswith(f"{tmp_path / 'p.jsonl'}:1: ")
    assert not any(word in run.stderr for word in JARGON), run.stderr


# 3. Every problem of a file at once, in the order of the file -------------------------------


def test_profile_reports_every_problem_at_once_in_line_order(
    smtime: Smtime, tmp_path: Path
) -> None:
    """An unknown key, an unknown family and a bad number are reported in one run, sorted."""
    path = write(
        tmp_path,
        "p.yaml",
        "set:\n  bloging: high\nhypotesis: low\nrate: 1,234\nonly: [veille, strat]\n",
    )
    for command in (["profile", "validate"], ["estimate", "--profile"]):
        run = smtime(*command, str(path))
        assert run.exit_code == 65
        assert run.stderr.splitlines() == [
            f"{path}:2:3: set.bloging: unknown family 'bloging': did you mean 'blogging'?",
            f"{path}:3:1: hypotesis: unknown key 'hypotesis' (did you mean 'hypothesis'?)",
            f"{path}:4:7: rate: '1,234' is ambiguous: the comma may separate thousands or "
            "decimals: write 1234 or 1.234",
            f"{path}:5:16: only[1]: unknown family 'strat': did you mean 'strategie'?",
        ]


def test_profile_names_checked_against_the_catalogue_given(
    smtime: Smtime, tmp_path: Path, write_catalogue: Callable[..., Path]
) -> None:
    """With --catalogue, a refused profile's families are checked against that catalogue."""
    from tests.conftest import MINIMAL

    catalogue = write_catalogue(MINIMAL)
    path = write(tmp_path, "p.yaml", "hypotesis: low\nset:\n  alpha: high\n  blogging: low\n")
    run = smtime("estimate", "--profile", str(path), "--catalogue", str(catalogue))
    assert run.exit_code == 65
    assert [line.split(": ", 1)[1] for line in run.stderr.splitlines()] == [
        "hypotesis: unknown key 'hypotesis' (did you mean 'hypothesis'?)",
        "set.blogging: unknown family 'blogging': known families: alpha, beta",
    ]


def test_catalogue_reports_names_with_the_schema_problems(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """A misspelt key and a label that another family's id takes come in one run."""
    from tests.conftest import MINIMAL

    text = MINIMAL.replace("    high: 3\n", "    hihg: 3\n").replace(
        "label: {fr: Bêta, en: Beta}", "label: alpha"
    )
    path = write_catalogue(text)
    run = smtime("catalogue", "validate", str(path))
    assert run.exit_code == 65
    assert [line.split(": ", 1)[1] for line in run.stderr.splitlines()] == [
        "families[0].high: missing key 'high'",
        "families[0].hihg: unknown key 'hihg' (did you mean 'high'?)",
        "families[1].label: label 'alpha' is already used by 'alpha' (families[0].id, line "
        "11, column 9)",
    ]


def test_batch_row_reports_every_problem_at_once(smtime: Smtime, tmp_path: Path) -> None:
    """A JSON Lines row's unknown key, unknown family and bad number come in one run, in
    the order of its keys."""
    path = write(
        tmp_path,
        "p.jsonl",
        '{"name": "X", "hypotesis": "low", "set": {"bloging": "high"}, "rate": "1,234"}\n',
    )
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr.splitlines() == [
        f"{path}:1: profile 'X': hypotesis: unknown key 'hypotesis' (did you mean 'hypothesis'?)",
        f"{path}:1: profile 'X': set.bloging: unknown family 'bloging': did you mean 'blogging'?",
        f"{path}:1: profile 'X': rate: '1,234' is ambiguous: the comma may separate "
        "thousands or decimals: write 1234 or 1.234",
    ]


def test_batch_names_come_in_the_order_of_the_row(smtime: Smtime, tmp_path: Path) -> None:
    """A valid row naming an unknown driver, then an unknown family, gets both in that order,
    as the same profile in a file does."""
    row = {"drivers": {"networks": 0}, "only": "nope"}
    path = write(tmp_path, "p.jsonl", json.dumps(row) + "\n")
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    lines = [line.split(": ", 1)[1] for line in run.stderr.splitlines()]
    assert [line.split(":")[0] for line in lines] == ["drivers.networks", "only[0]"]
    profile = write(tmp_path, "p.yaml", "drivers:\n  networks: 0\nonly: nope\n")
    alone = smtime("profile", "validate", str(profile))
    assert [line.split(": ", 1)[1] for line in alone.stderr.splitlines()] == lines


def test_batch_csv_row_reports_a_bad_cell_with_the_others(smtime: Smtime, tmp_path: Path) -> None:
    """A CSV row's unreadable set cell, its bad rate and its unknown family come together."""
    path = write(tmp_path, "p.csv", "name,set,rate,only\nX,blogging,abc,strat\n")
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr.splitlines() == [
        f"{path}:2: profile 'X': set: expected NAME=VALUE separated by ';', not 'blogging'",
        f"{path}:2: profile 'X': rate: 'abc' is not a number: write a number such as 55.5 or 55,5",
        f"{path}:2: profile 'X': only[0]: unknown family 'strat': did you mean 'strategie'?",
    ]


# 4. A starter profile in the user's language --------------------------------------------------


def test_profile_init_without_a_locale_is_english_and_weekly(
    smtime: Smtime, tmp_path: Path
) -> None:
    """Without a locale the starter is in English, weekly, and the README's next command
    prints English weekly figures."""
    path = tmp_path / "acme.yaml"
    assert smtime("profile", "init", "--output", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# smtime profile: one client's scenario.")
    assert "\nperiod: week\n" in text
    assert "\nlang: en\n" in text
    assert smtime("profile", "validate", str(path)).stdout == f"{path}: valid\n"
    run = smtime("estimate", "--profile", str(path))
    assert run.exit_code == 0
    assert "Hours per week" in run.stdout
    assert "Monitoring / Sourcing" in run.stdout
    assert estimate(smtime, "--profile", str(path))["period"] == "week"


@pytest.mark.parametrize(
    ("locale", "first", "lang"),
    [
        ("fr_FR.UTF-8", "# Profil smtime : le scénario d'un client.", "fr"),
        ("es_ES.UTF-8", "# Perfil de smtime: el escenario de un cliente.", "es"),
        ("de_DE.UTF-8", "# smtime profile: one client's scenario.", "en"),
    ],
)
def test_profile_init_follows_the_locale(
    smtime: Smtime, tmp_path: Path, locale: str, first: str, lang: str
) -> None:
    """The starter's comments and lang key follow the locale (English for others)."""
    path = tmp_path / "acme.yaml"
    assert smtime("profile", "init", "-o", str(path), env={"LANG": locale}).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(first)
    assert f"\nlang: {lang}\n" in text
    assert "\nperiod: week\n" in text
    assert smtime("profile", "validate", str(path)).exit_code == 0


def test_profile_init_options_win_over_the_locale(smtime: Smtime, tmp_path: Path) -> None:
    """--lang and --period choose the starter's language and period."""
    run = smtime("profile", "init", "--lang", "es", "--period", "month", env={"LANG": "fr_FR"})
    assert run.exit_code == 0
    assert run.stdout.startswith("# Perfil de smtime")
    assert "\nperiod: month\n" in run.stdout
    assert "\nlang: es\n" in run.stdout


def test_profile_init_never_replaces_a_profile_unasked(smtime: Smtime, tmp_path: Path) -> None:
    """An existing file is left as it was, with exit 73 and one line saying how to replace
    it; --force replaces it; a device and standard output are written as usual, the latter
    naming the starter acme.yaml rather than "-"."""
    path = tmp_path / "acme.yaml"
    path.write_text("name: ours, hand-made\n")
    run = smtime("profile", "init", "-o", str(path))
    assert run.exit_code == 73
    assert run.stderr == f"smtime: {path}: already exists; give --force to replace it\n"
    assert path.read_text() == "name: ours, hand-made\n"
    assert smtime("profile", "init", "-o", str(path), "--force").exit_code == 0
    assert smtime("profile", "validate", str(path)).exit_code == 0
    assert "hand-made" not in path.read_text()
    assert smtime("profile", "init", "-o", os.devnull).exit_code == 0
    dash = smtime("profile", "init", "-o", "-", "--lang", "en")
    assert dash.exit_code == 0
    assert "--profile acme.yaml" in dash.stdout
    assert "--profile -" not in dash.stdout


def test_profile_init_never_writes_over_its_template(smtime: Smtime) -> None:
    """The starter's template is a file being read: even --force does not replace it."""
    import smtime as package

    template = Path(package.__file__).parent / "templates" / "profile.en.yaml"
    before = template.read_bytes()
    run = smtime("profile", "init", "--lang", "en", "-o", str(template), "--force")
    assert run.exit_code == 73
    assert "which is being read" in run.stderr
    assert template.read_bytes() == before


def test_a_file_named_dash_is_a_file(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o ./-`` writes a file named -, where ``-o -`` writes to standard output."""
    monkeypatch.chdir(tmp_path)
    run = smtime("profile", "init", "--lang", "en", "-o", "./-")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert (tmp_path / "-").read_text().startswith("# smtime profile")


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
def test_every_starter_estimates_the_same_figures(
    smtime: Smtime, tmp_path: Path, lang: str
) -> None:
    """Each language's starter (French and Spanish with 1,5h and 10 %) gives the same
    weekly figures; only the language differs."""
    path = tmp_path / f"{lang}.yaml"
    assert smtime("profile", "init", "--lang", lang, "-o", str(path)).exit_code == 0
    data = estimate(smtime, "--profile", str(path), "--lang", "en")
    assert data["period"] == "week"
    assert data["total"]["hours"] == 23.1
    assert data["contingency"]["percent"] == 10


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["estimate", "-o", ""], "--output"),
        (["estimate", "--catalogue="], "--catalogue"),
        (["estimate", "--profile", ""], "--profile"),
        (["plan", "--format", "ics", "--previous", ""], "--previous"),
        (["plan", "--team", ""], "--team"),
        (["plan", "--format", "ics", "--output-dir", ""], "--output-dir"),
        (["calibrate", "docs/examples/timew-weeks.json", "--save", ""], "--save"),
        (["batch", ""], "profiles"),
        (["compare", ""], "actuals"),
        (["calibrate", ""], "actuals"),
        (["catalogue", "validate", ""], "path"),
        (["profile", "validate", ""], "path"),
        (["profile", "init", "-o", ""], "--output"),
    ],
)
def test_an_empty_path_is_said_to_be_empty(
    args: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty file name (a script's unset variable: ``-o "$OUT"``) is a usage error that
    names the option, never read as the current folder (``.: is a directory``)."""
    command = " ".join(a for a in args[:2] if a.isalpha())
    expected = f"smtime: {name}: empty: give a path (see 'smtime {command} --help')\n"
    assert one_line(args, capsys) == expected


def test_a_file_created_while_the_starter_is_written_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --force the starter is linked into place, never renamed over: a file that
    appears between the first check and the end of the writing is kept, the run refused
    (exit 73), and no temporary file is left behind."""
    from smtime import output
    from smtime.errors import OutputError

    target = tmp_path / "acme.yaml"
    check = output.refuse_inputs
    calls: list[int] = []

    def meanwhile(*args: Any, **kwargs: Any) -> None:  # the check before the commit: the 2nd
        calls.append(1)
        if len(calls) == 2:
            target.write_text("someone else's\n")
        check(*args, **kwargs)

    monkeypatch.setattr(output, "refuse_inputs", meanwhile)
    with pytest.raises(OutputError, match="already exists; give --force to replace it"):
        output.emit("starter\n", target, if_exists="give --force to replace it")
    assert len(calls) == 2
    assert target.read_text() == "someone else's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.yaml"]
    output.emit("replaced\n", target)  # without if_exists, the usual atomic replace
    assert target.read_text() == "replaced\n"


def test_a_bad_byte_after_a_byte_order_mark_is_where_it_is(smtime: Smtime, tmp_path: Path) -> None:
    """A UTF-8 file with a byte-order mark (Excel's "CSV UTF-8") and one Latin-1 byte: the
    message names that byte, at its line and column, not one three bytes further on."""
    export = tmp_path / "hours.csv"
    export.write_bytes(b"\xef\xbb\xbfdate;task;hours\n30/11/2026;x;1\n01/12/2026;Veille \xe9;1,5\n")
    run = smtime("compare", str(export))
    assert run.exit_code == 65
    assert run.stderr.startswith(f"{export}:3:19: not UTF-8 text (byte 0xe9)")
