"""Scenarios, money and languages: per-family levels, selection, contingency, periods, staff,
cost, drivers, aliases, profiles, CSV and Markdown."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime import catalogue as catalogues
from smtime.core import estimate, parse_choice
from smtime.domain import Assumptions, Choice, Period, Scenario
from smtime.errors import UsageError
from smtime.models import ProfileSchema
from tests.conftest import MINIMAL, ROOT, Run, json_of

Smtime = Callable[..., Run]
EXAMPLES = ROOT / "docs" / "examples"
DRIVERS = EXAMPLES / "catalogue-drivers.yaml"
ACME = EXAMPLES / "acme.yaml"
SEED = catalogues.load(catalogues.bundled_path())


def estimate_json(smtime: Smtime, *args: str) -> dict[str, Any]:
    """Run estimate --format json and check the result against the schema."""
    data: dict[str, Any] = json_of(smtime("estimate", "--format", "json", *args), "estimate")
    return data


def task(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """One family of an estimate."""
    found: dict[str, Any] = next(t for t in data["tasks"] if t["id"] == ident)
    return found


# --- per-family levels ---------------------------------------------------------------------


def test_set_family_to_high(smtime: Smtime) -> None:
    """--set blogging=high raises blogging to 8 h; the others stay low: 16 h in all."""
    data = estimate_json(smtime, "--hypothesis", "low", "--set", "blogging=high")
    assert data["total"]["hours"] == 16
    blogging = task(data, "blogging")
    assert blogging["hours"] == 8
    assert blogging["choice"] == {
        "source": "set",
        "hypothesis": "high",
        "level": 1,
        "fixed_hours": None,
    }
    veille = task(data, "veille")
    assert veille["choice"]["source"] == "default"
    assert veille["choice"]["hypothesis"] == "low"


def test_set_fixed_hours(smtime: Smtime) -> None:
    """--set curation=1.5h fixes curation at 1.5 hours a week."""
    data = estimate_json(smtime, "-H", "low", "--set", "blogging=high", "--set", "curation=1.5h")
    curation = task(data, "curation")
    assert curation["hours"] == 1.5
    assert curation["choice"]["fixed_hours"] == 1.5
    assert curation["choice"]["level"] is None
    assert data["total"]["hours"] == 16.5


@pytest.mark.parametrize(
    ("value", "hours"),
    [("mid", 5), ("0.25", 3.5), ("3h", 3), ("90min", 1.5), ("1h30", 1.5), ("2,5h", 2.5)],
)
def test_set_value_forms(smtime: Smtime, value: str, hours: float) -> None:
    """--set accepts a hypothesis, a level and hours in several spellings."""
    data = estimate_json(smtime, "-H", "low", "--set", f"blogging={value}")
    assert task(data, "blogging")["hours"] == hours


def test_set_without_default_leaves_the_rest_as_range(smtime: Smtime) -> None:
    """Without --hypothesis, only the families named by --set get hours; the total has none."""
    data = estimate_json(smtime, "--set", "blogging=high")
    assert task(data, "blogging")["hours"] == 8
    assert task(data, "veille")["hours"] is None
    assert data["total"]["hours"] is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("huge", "expected low, mid, high"),
        ("2", "write 2h"),
        ("2000000h", "1,000,000"),
        ("", "NAME=VALUE"),
    ],
)
def test_set_bad_values_exit_2(smtime: Smtime, value: str, fragment: str) -> None:
    """A --set value that is not a hypothesis, level or hours exits 2 and says what is accepted."""
    run = smtime("estimate", "-H", "low", "--set", f"blogging={value}")
    assert run.exit_code == 2
    assert fragment in run.stderr


def test_set_unknown_family_exits_2(smtime: Smtime) -> None:
    """--set on an unknown family exits 2 with a suggestion."""
    run = smtime("estimate", "-H", "low", "--set", "bloging=high")
    assert run.exit_code == 2
    assert "did you mean 'blogging'?" in run.stderr


# --- selection -------------------------------------------------------------------------------


def test_only(smtime: Smtime) -> None:
    """--only keeps the named families, matched without case or accents."""
    data = estimate_json(smtime, "-H", "low", "--only", "Veille,BLOGGING", "--only", "stratégie")
    assert [t["id"] for t in data["tasks"]] == ["veille", "blogging", "strategie"]
    assert data["total"]["hours"] == 5
    assert data["assumptions"]["only"] == ["veille", "blogging", "strategie"]


def test_exclude(smtime: Smtime) -> None:
    """--exclude leaves families out of the table and the total."""
    data = estimate_json(smtime, "-H", "high", "--exclude", "blogging,curation")
    assert "blogging" not in [t["id"] for t in data["tasks"]]
    assert data["total"]["hours"] == 16


def test_selection_leaving_nothing_exits_2(smtime: Smtime) -> None:
    """--only and --exclude that leave no family exit 2."""
    run = smtime("estimate", "--only", "blogging", "--exclude", "blogging")
    assert run.exit_code == 2
    assert "no family" in run.stderr


# --- contingency -----------------------------------------------------------------------------


def test_contingency_is_its_own_line(smtime: Smtime) -> None:
    """--contingency 10 adds 1 hour to the 10-hour low budget as a separate line."""
    data = estimate_json(smtime, "-H", "low", "--contingency", "10", "--lang", "en")
    assert data["subtotal"]["hours"] == 10
    assert data["contingency"]["hours"] == 1
    assert data["contingency"]["label"] == "Unplanned work"
    assert data["contingency"]["percent"] == 10
    assert data["total"]["hours"] == 11
    assert sum(t["hours"] for t in data["tasks"]) == 10


def test_contingency_label_in_french(smtime: Smtime) -> None:
    """The contingency line is called Imprévus in French."""
    data = estimate_json(smtime, "-H", "low", "--contingency", "10", "--lang", "fr")
    assert data["contingency"]["label"] == "Imprévus"
    table = smtime("estimate", "-H", "low", "--contingency", "10", "--lang", "fr")
    assert "Imprévus" in table.stdout


@pytest.mark.parametrize("value", ["-5", "nan", "inf", "2000"])
def test_bad_contingency_exits_2(smtime: Smtime, value: str) -> None:
    """A negative, infinite or absurd contingency exits 2."""
    run = smtime("estimate", "-H", "low", "--contingency", value)
    assert run.exit_code == 2
    assert "contingency" in run.stderr


# --- periods, staff and cost -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "factor"),
    [
        ((), 1),
        (("--period", "year"), 52),
        (("--period", "month"), 52 / 12),
        (("--period", "year", "--weeks-per-year", "47"), 47),
        (("--period", "month", "--weeks-per-year", "47"), 47 / 12),
    ],
)
def test_periods(smtime: Smtime, args: tuple[str, ...], factor: float) -> None:
    """A year is --weeks-per-year weeks and a month a twelfth of it."""
    data = estimate_json(smtime, "-H", "low", *args)
    assert data["total"]["hours"] == pytest.approx(10 * factor, abs=1e-5)
    assert data["assumptions"]["weeks_per_period"] == pytest.approx(factor, abs=1e-5)
    assert data["period"] == data["assumptions"]["period"]


def test_fte(smtime: Smtime) -> None:
    """FTE is weekly hours over full-time hours, whatever the period."""
    data = estimate_json(smtime, "-H", "high", "--period", "year", "--full-time-hours", "40")
    assert data["total"]["fte"]["hours"] == pytest.approx(28 / 40)
    assert task(data, "blogging")["fte"]["hours"] == pytest.approx(8 / 40)
    assert data["assumptions"]["full_time_hours"] == 40


def test_cost(smtime: Smtime) -> None:
    """Cost is the period's hours times the rate, with the currency code."""
    data = estimate_json(
        smtime, "-H", "mid", "--period", "month", "--rate", "60", "--currency", "usd"
    )
    assert data["currency"] == "USD"
    assert data["total"]["cost"]["hours"] == pytest.approx(19 * 52 / 12 * 60, abs=1e-4)
    assert task(data, "strategie")["cost"]["low"] == pytest.approx(52 / 12 * 60, abs=1e-4)


def test_no_rate_means_no_cost(smtime: Smtime) -> None:
    """Without --rate, cost is null and no currency is claimed."""
    data = estimate_json(smtime, "-H", "low")
    assert data["total"]["cost"] is None
    assert data["currency"] is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--rate", "-1"), "rate"),
        (("--rate", "nan"), "rate"),
        (("--rate", "1e308", "--period", "year"), "1,000,000,000,000"),  # costs would overflow
        (("--currency", "XYZ"), "ISO 4217"),
        (("--currency", "euro"), "ISO 4217"),
        (("--weeks-per-year", "0"), "weeks per year"),
        (("--weeks-per-year", "60"), "weeks per year"),
        (("--full-time-hours", "-35"), "full-time hours"),
        (("--full-time-hours", "1e-320"), "full-time hours"),  # its FTE would be infinite
        (("--period", "fortnight"), "week"),
        (("--lang", "de"), "fr"),
        (("--format", "xml"), "markdown"),
    ],
)
def test_bad_values_exit_2(smtime: Smtime, args: tuple[str, ...], fragment: str) -> None:
    """Bad rates, currencies, periods, languages and formats exit 2 naming what is accepted."""
    run = smtime("estimate", "-H", "low", *args)
    assert run.exit_code == 2
    assert fragment in run.stderr


def test_money_in_french_table(smtime: Smtime) -> None:
    """French tables write money as 1 234,50 €."""
    run = smtime("estimate", "-H", "low", "--rate", "123.45", "--lang", "fr")
    assert "1\u202f234,50\u00a0€" in run.stdout


def test_money_in_english_and_spanish_tables(smtime: Smtime) -> None:
    """English writes €1,234.50; Spanish 1.234,50 €, with decimal commas for hours."""
    assert "€1,234.50" in smtime("estimate", "-H", "low", "--rate", "123.45", "-l", "en").stdout
    spanish = smtime("estimate", "-H", "low", "--rate", "123.45", "--lang", "es").stdout
    assert "1.234,50\u00a0€" in spanish
    assert "Curación de contenidos" in spanish
    assert "2,5" in smtime("estimate", "-H", "mid", "--lang", "es").stdout


def test_assumptions_under_the_table(smtime: Smtime) -> None:
    """The table states the period, weeks, full-time hours, rate and contingency it used."""
    out = smtime(
        "estimate",
        "-H",
        "low",
        "--period",
        "year",
        "--weeks-per-year",
        "47",
        "--rate",
        "50",
        "--contingency",
        "5",
        "--lang",
        "en",
    ).stdout
    for text in (
        "Period: year",
        "Weeks per year: 47",
        "Full time: 35 h",
        "Hourly rate: €50.00",
        "Unplanned work: 5% of the subtotal",
    ):
        assert text in out


# --- the bar ---------------------------------------------------------------------------------


def test_bar_marks_the_chosen_level(smtime: Smtime) -> None:
    """The estimate table draws a low–high bar per family and marks the chosen hours."""
    with_level = smtime("estimate", "-H", "mid", "--lang", "en").stdout
    assert with_level.count("●") == 7
    assert "━" in with_level
    assert "●" not in smtime("estimate", "--lang", "en").stdout


def test_bar_is_scaled_to_the_largest_family() -> None:
    """The largest family's high end reaches the end of the bar; a small one stops short."""
    from smtime.domain import Figures
    from smtime.render.table import BAR_WIDTH, bar

    full = bar(Figures(2, 8, None), 8).plain
    short = bar(Figures(1, 2, 1.5), 8).plain
    assert full.endswith("━")
    assert len(full) == BAR_WIDTH
    assert short.rstrip("·").endswith("━")
    assert short.count("●") == 1


# --- drivers and aliases ---------------------------------------------------------------------


def test_drivers_multiply_hours(smtime: Smtime) -> None:
    """A family per network and post scales with both quantities."""
    default = estimate_json(smtime, "-c", str(DRIVERS), "-H", "low")
    assert task(default, "publishing")["hours"] == pytest.approx(0.25 * 3 * 4)
    assert default["assumptions"]["drivers"] == {"networks": 3, "posts": 4}
    more = estimate_json(smtime, "-c", str(DRIVERS), "-H", "low", "--driver", "networks=5")
    assert task(more, "publishing")["hours"] == pytest.approx(0.25 * 5 * 4)
    assert task(more, "community")["hours"] == pytest.approx(0.5 * 5)
    assert task(more, "veille")["hours"] == 2
    assert task(more, "publishing")["drivers"] == ["networks", "posts"]


def test_unknown_driver_exits_2(smtime: Smtime) -> None:
    """--driver with a name the catalogue does not declare exits 2 and names the known ones."""
    run = smtime("estimate", "-c", str(DRIVERS), "--driver", "blogs=2")
    assert run.exit_code == 2
    assert "networks, posts" in run.stderr
    bad = smtime("estimate", "-c", str(DRIVERS), "--driver", "networks=-1")
    assert bad.exit_code == 2


def test_drivers_that_multiply_hours_beyond_reason_exit_2(smtime: Smtime) -> None:
    """Quantities whose product would take a family past a billion hours a week (and its
    period figures towards infinity, which JSON cannot carry) are refused, naming the family."""
    args = ("--driver", "networks=1000000", "--driver", "posts=1000000")
    run = smtime("estimate", "-c", str(DRIVERS), "-H", "low", "--format", "json", *args)
    assert run.exit_code == 2
    assert "publishing's hours beyond 1,000,000,000 a week" in run.stderr
    assert "Traceback" not in run.stderr


def test_aliases_are_honoured_everywhere(smtime: Smtime) -> None:
    """Aliases work in --set, --only and breakdown --task."""
    data = estimate_json(
        smtime,
        "-c",
        str(DRIVERS),
        "-H",
        "low",
        "--set",
        "Monitoring=high",
        "--only",
        "sourcing,posting",
    )
    assert [t["id"] for t in data["tasks"]] == ["veille", "publishing"]
    assert task(data, "veille")["hours"] == 4
    run = smtime("breakdown", "-c", str(DRIVERS), "--task", "moderation", "-f", "json")
    assert run.json()["id"] == "community"


def test_catalogue_with_undeclared_driver_is_invalid(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """A family may only use drivers the catalogue declares."""
    path = write_catalogue(MINIMAL.replace("    high: 3\n", "    high: 3\n    per: posts\n"))
    run = smtime("catalogue", "validate", str(path))
    assert run.exit_code == 65
    assert "families[0].per[0]: unknown driver 'posts'" in run.stderr


def test_alias_clashing_with_another_id_is_invalid(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """An alias may not repeat another family's id or alias, even in another case."""
    path = write_catalogue(MINIMAL.replace("    high: 3\n", "    high: 3\n    aliases: [BETA]\n"))
    run = smtime("catalogue", "validate", str(path))
    assert run.exit_code == 65
    assert (
        "alias 'BETA' is already used by" in run.stderr or "id 'beta' is already used" in run.stderr
    )


# --- CSV and Markdown ------------------------------------------------------------------------


def test_estimate_csv(smtime: Smtime) -> None:
    """CSV: a header, one row per family, then contingency and total; plain numbers."""
    run = smtime(
        "estimate",
        "-H",
        "high",
        "--contingency",
        "10",
        "--rate",
        "1000",
        "--period",
        "year",
        "-f",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["kind"] for r in rows] == ["family"] * 7 + ["contingency", "total"]
    total = rows[-1]
    assert float(total["hours"]) == pytest.approx(28 * 1.1 * 52)
    assert float(total["cost_hours"]) == pytest.approx(28 * 1.1 * 52 * 1000)
    assert "," not in total["cost_hours"]
    assert total["currency"] == "EUR"
    assert total["period"] == "year"


def test_tasks_and_breakdown_csv(smtime: Smtime) -> None:
    """tasks and breakdown have CSV forms too."""
    tasks = list(csv.DictReader(io.StringIO(smtime("tasks", "-f", "csv", "-l", "en").stdout)))
    assert len(tasks) == 7
    assert tasks[2]["actions"] == "Editorial line; Planning, writing; Publishing"
    one = list(
        csv.DictReader(io.StringIO(smtime("breakdown", "-t", "analyse", "-f", "csv").stdout))
    )
    assert float(one[0]["share_low"]) == pytest.approx(0.1)


def test_estimate_markdown(smtime: Smtime) -> None:
    """Markdown: a GFM table with the same number of cells per row, assumptions below."""
    run = smtime(
        "estimate", "-H", "mid", "--contingency", "10", "--rate", "50", "-f", "markdown", "-l", "en"
    )
    lines = run.stdout.splitlines()
    rows = [line for line in lines if line.startswith("|")]
    assert len(rows) == 2 + 7 + 3
    assert len({row.count(" | ") for row in rows}) == 1
    assert "| **Total** |" in run.stdout
    assert "- Unplanned work: 10% of the subtotal" in run.stdout


def test_csv_cells_cannot_be_formulas(smtime: Smtime, write_catalogue: Callable[..., Path]) -> None:
    """Labels starting with = + - @ are neutralised in CSV; numbers stay numbers."""
    path = write_catalogue(
        MINIMAL.replace("label: Alpha", 'label: "=HYPERLINK(\\"https://evil.invalid\\")"').replace(
            "label: {fr: Bêta, en: Beta}", 'label: "@SUM(A1:A9)"'
        )
    )
    rows = list(
        csv.reader(
            io.StringIO(smtime("estimate", "-c", str(path), "-H", "low", "-f", "csv").stdout)
        )
    )
    assert rows[1][2] == '\'=HYPERLINK("https://evil.invalid")'
    assert rows[2][2] == "'@SUM(A1:A9)"
    assert rows[1][3] == "1"


def test_markdown_cells_keep_the_table_shape(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """A label with | and a line break does not break the Markdown table."""
    path = write_catalogue(MINIMAL.replace("label: Alpha", 'label: "Al|pha\\nline <b>two</b>"'))
    out = smtime("estimate", "-c", str(path), "-H", "low", "-f", "markdown").stdout
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len({row.replace("\\|", "").count("|") for row in rows}) == 1
    assert "Al\\|pha<br>line \\<b\\>two\\</b\\>" in out


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize(
    "command", [["tasks"], ["estimate", "-H", "low"], ["breakdown", "-t", "blogging"]]
)
def test_every_data_command_has_every_format(smtime: Smtime, command: list[str], fmt: str) -> None:
    """tasks, estimate and breakdown write table, json, csv and markdown."""
    run = smtime(*command, "--format", fmt)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip()


def test_json_keys_are_the_same_in_every_language(smtime: Smtime) -> None:
    """JSON keys and ids never change with --lang."""
    outs = [
        estimate_json(smtime, "-H", "low", "--contingency", "5", "-l", lang)
        for lang in ("fr", "en", "es")
    ]
    assert outs[0].keys() == outs[1].keys() == outs[2].keys()
    assert [t["id"] for t in outs[0]["tasks"]] == [t["id"] for t in outs[2]["tasks"]]
    assert outs[2]["contingency"]["label"] == "Imprevistos"


# --- profiles --------------------------------------------------------------------------------


def test_profile(smtime: Smtime) -> None:
    """estimate --profile uses the profile's scenario, period, rate and language."""
    data = estimate_json(smtime, "--profile", str(ACME))
    weekly = 10 - 2 + 8 - 1 + 1.5
    assert data["subtotal"]["hours"] == pytest.approx(weekly * 47 / 12, abs=1e-5)
    assert data["total"]["hours"] == pytest.approx(weekly * 1.1 * 47 / 12, abs=1e-5)
    assert data["assumptions"]["rate"] == 55
    assert data["tasks"][0]["label"] == "Veille / Sourcing"


def test_command_line_overrides_the_profile(smtime: Smtime) -> None:
    """Options on the command line win over the profile's."""
    data = estimate_json(
        smtime,
        "--profile",
        str(ACME),
        "-H",
        "high",
        "--period",
        "week",
        "--lang",
        "en",
        "--set",
        "curation=low",
    )
    assert task(data, "veille")["hours"] == 4
    assert task(data, "curation")["hours"] == 1
    assert task(data, "blogging")["hours"] == 8
    assert data["period"] == "week"
    assert data["tasks"][0]["label"] == "Monitoring / Sourcing"


def test_profile_init_writes_a_valid_profile(smtime: Smtime, tmp_path: Path) -> None:
    """profile init writes a commented profile that validates and estimates."""
    path = tmp_path / "acme.yaml"
    assert smtime("profile", "init", "--output", str(path)).exit_code == 0
    text = path.read_text()
    assert text.startswith("# smtime profile")
    ProfileSchema.model_validate(yaml.safe_load(text))
    assert smtime("profile", "validate", str(path)).exit_code == 0
    data = estimate_json(smtime, "--profile", str(path))
    assert data["hypothesis"] == "mid"
    assert smtime("profile", "init").stdout == text.replace("acme.yaml", "acme.yaml")


def test_profile_relative_catalogue(smtime: Smtime, tmp_path: Path) -> None:
    """A profile's catalogue path is read from the profile's folder."""
    (tmp_path / "cat.yaml").write_text(MINIMAL)
    profile = tmp_path / "p.yaml"
    profile.write_text("catalogue: cat.yaml\nhypothesis: high\n")
    data = estimate_json(smtime, "--profile", str(profile))
    assert data["total"]["hours"] == 5


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "hypotesis: low\n",
            "p.yaml:1:1: hypotesis: unknown key 'hypotesis' (did you mean 'hypothesis'?)",
        ),
        (
            "set:\n  bloging: high\n",
            "p.yaml:2:3: set.bloging: unknown family 'bloging': did you mean 'blogging'?",
        ),
        (
            "set:\n  blogging: 3\n",
            "p.yaml:2:13: set.blogging: level 3 is not between 0 and 1 (for fixed hours write 3h)",
        ),
        (
            "rate: -4\n",
            "p.yaml:1:7: rate: the hourly rate must be a number from 0 to 1,000,000,000,000, not -4",
        ),
        ("currency: XYZ\n", "p.yaml:1:11: currency: 'XYZ' is not an ISO 4217 currency code"),
        ("hypothesis: low\nlevel: 0.5\n", "level: give either hypothesis or level, not both"),
        ("only: [nope]\n", "p.yaml:1:8: only[0]: unknown family 'nope'"),
        ("drivers: {networks: 2}\n", "drivers.networks: unknown driver 'networks'"),
        ("period: fortnight\n", "period: 'fortnight' is not one of week, month, year"),
        ("lang: de\n", "lang: 'de' is not one of fr, en, es"),
        ("!!python/object:os.system {}\n", "unsupported YAML tag"),
    ],
)
def test_bad_profiles_exit_65(smtime: Smtime, tmp_path: Path, text: str, fragment: str) -> None:
    """Profiles are validated like catalogues: every problem placed, exit 65."""
    path = tmp_path / "p.yaml"
    path.write_text(text)
    run = smtime("estimate", "--profile", str(path))
    assert run.exit_code == 65, run.stderr
    assert fragment in run.stderr


def test_missing_profile_exits_66(smtime: Smtime, tmp_path: Path) -> None:
    """A profile that does not exist exits 66."""
    run = smtime("estimate", "--profile", str(tmp_path / "none.yaml"))
    assert run.exit_code == 66


# --- output files ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_output_writes_the_file(smtime: Smtime, tmp_path: Path, fmt: str) -> None:
    """--output writes the same text as stdout would get, and leaves no temporary file."""
    target = tmp_path / f"out.{fmt}"
    run = smtime("estimate", "-H", "low", "-f", fmt, "-o", str(target))
    assert run.exit_code == 0
    assert run.stdout == ""
    written = target.read_text()
    if fmt != "table":
        assert written == smtime("estimate", "-H", "low", "-f", fmt).stdout
    else:
        assert "Total" in written
        assert "\x1b" not in written
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_output_refuses_to_overwrite_the_catalogue(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """--output pointing at the catalogue being read exits 73 and leaves it intact."""
    path = write_catalogue(MINIMAL)
    run = smtime("estimate", "-c", str(path), "-f", "json", "-o", str(path))
    assert run.exit_code == 73
    assert "refusing to overwrite" in run.stderr
    assert path.read_text() == MINIMAL


def test_output_refuses_to_overwrite_the_profile(smtime: Smtime, tmp_path: Path) -> None:
    """--output pointing at the profile being read exits 73."""
    profile = tmp_path / "p.yaml"
    profile.write_text("hypothesis: low\n")
    run = smtime("estimate", "-p", str(profile), "-o", str(profile))
    assert run.exit_code == 73
    assert profile.read_text() == "hypothesis: low\n"


@pytest.mark.parametrize("where", ["missing/out.json", "."])
def test_unwritable_output_exits_73(smtime: Smtime, tmp_path: Path, where: str) -> None:
    """An output in a missing folder, or a folder itself, exits 73 with the reason."""
    run = smtime("estimate", "-f", "json", "-o", str(tmp_path / where))
    assert run.exit_code == 73
    assert run.stderr.startswith("smtime: ")


def test_failed_write_leaves_the_old_file(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When writing fails midway, the existing file is untouched and no temporary is left."""
    import os

    target = tmp_path / "out.json"
    target.write_text("previous\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    run = smtime("estimate", "-f", "json", "-o", str(target))
    assert run.exit_code == 73
    assert "No space left on device" in run.stderr
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# --- properties of the core ------------------------------------------------------------------

levels = st.floats(min_value=0, max_value=1, allow_nan=False)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)
rates = st.floats(min_value=0, max_value=10_000, allow_nan=False)
weeks = st.floats(min_value=1, max_value=53, allow_nan=False)


@settings(max_examples=60)
@given(levels, weeks)
def test_periods_scale_linearly(level: float, weeks_per_year: float) -> None:
    """Year figures are weekly figures times the weeks of a year; a month is a twelfth."""
    result = estimate(catalogue=SEED, scenario=Scenario(default=Choice(level=level)))
    week = Assumptions(weeks_per_year=weeks_per_year)
    year = Assumptions(period=Period.YEAR, weeks_per_year=weeks_per_year)
    month = Assumptions(period=Period.MONTH, weeks_per_year=weeks_per_year)
    weekly = week.in_period(result.total)
    assert year.in_period(result.total).hours == pytest.approx((weekly.hours or 0) * weeks_per_year)
    assert month.in_period(result.total).low == pytest.approx(weekly.low * weeks_per_year / 12)


@settings(max_examples=60)
@given(levels, percents)
def test_contingency_adds_exactly_its_share(level: float, percent: float) -> None:
    """The contingency line is percent/100 of the subtotal, and the total is their sum."""
    result = estimate(
        catalogue=SEED, scenario=Scenario(default=Choice(level=level), contingency=percent)
    )
    assert result.contingency is not None
    assert result.contingency.hours == pytest.approx((result.subtotal.hours or 0) * percent / 100)
    assert result.total.hours == pytest.approx((result.subtotal.hours or 0) * (1 + percent / 100))
    plain = estimate(catalogue=SEED, scenario=Scenario(default=Choice(level=level)))
    assert [r.weekly for r in result.families] == [r.weekly for r in plain.families]


@settings(max_examples=60)
@given(levels, rates, st.sampled_from(list(Period)))
def test_cost_is_hours_times_rate(level: float, rate: float, period: Period) -> None:
    """Cost is the period's hours times the hourly rate, for every line."""
    result = estimate(catalogue=SEED, scenario=Scenario(default=Choice(level=level)))
    assumptions = Assumptions(period=period, rate=rate)
    for weekly in [r.weekly for r in result.families] + [result.total]:
        hours, _, cost = assumptions.figures(weekly)
        assert cost is not None
        assert cost.hours == pytest.approx((hours.hours or 0) * rate)
        assert cost.high == pytest.approx(hours.high * rate)


@settings(max_examples=60)
@given(levels, st.sampled_from([f.id for f in SEED.families]), st.one_of(levels, st.floats(0, 20)))
def test_override_changes_only_its_family(level: float, family: str, value: float) -> None:
    """--set on one family changes that family's hours and no other."""
    base = estimate(catalogue=SEED, scenario=Scenario(default=Choice(level=level)))
    choice = parse_choice(f"{value}h") if value > 1 else Choice(level=value)
    changed = estimate(
        catalogue=SEED, scenario=Scenario(default=Choice(level=level), overrides={family: choice})
    )
    for before, after in zip(base.families, changed.families, strict=True):
        if before.family.id != family:
            assert after.weekly == before.weekly
        else:
            assert after.overridden


def test_parse_choice_rejects_nonsense() -> None:
    """parse_choice refuses booleans, NaN and words it does not know."""
    for value in (True, math.nan, "later", "-1h"):
        with pytest.raises(UsageError):
            parse_choice(value)


AGENCY = """\
format: smtime-catalogue/1
version: "1"
unit: hours/week
title: An agency
source: {title: tests}
hypotheses:
  low: {label: Low, description: small}
  high: {label: High, description: large}
families:
  - {id: community, label: Community, low: 80, high: 120}
  - {id: content, label: Content, low: 60, high: 80}
"""


def test_an_organisation_budgets_more_than_one_persons_week(
    smtime: Smtime, write_catalogue: Callable[..., Path]
) -> None:
    """A catalogue of 140 to 200 hours a week (a team) estimates: at the high hypothesis the
    FTE column says 200 / 35 = 5.714286 people; fixed hours above 168 are accepted too."""
    path = write_catalogue(AGENCY)
    run = smtime("estimate", "--catalogue", str(path), "-H", "high", "-f", "json")
    assert run.exit_code == 0, run.stderr
    total = run.json()["total"]
    assert total["hours"] == 200
    assert total["fte"]["hours"] == 5.714286
    assert smtime("catalogue", "validate", str(path)).exit_code == 0
    fixed = smtime("estimate", "--catalogue", str(path), "--set", "community=400h", "-f", "json")
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.json()["tasks"][0]["hours"] == 400
