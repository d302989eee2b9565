"""The smtime command line: figures, JSON contract, languages, help and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

from smtime import __version__
from smtime.cli import app, main
from smtime.errors import SmtimeError
from tests.conftest import MINIMAL, ROOT, Run, conforming

Smtime = Callable[..., Run]


@pytest.mark.parametrize(("hypothesis", "total"), [("low", 10), ("high", 28), ("mid", 19)])
def test_estimate_json_totals(smtime: Smtime, hypothesis: str, total: int) -> None:
    """estimate --format json gives 10 hours (low), 28 (high) and 19 (mid) a week."""
    run = smtime("estimate", "--hypothesis", hypothesis, "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    conforming(data, "estimate")
    assert data["total"]["hours"] == total
    assert data["hypothesis"] == hypothesis
    assert data["period"] == "week"
    assert data["unit"] == "hours"
    assert sum(t["hours"] for t in data["tasks"]) == total


def test_estimate_json_whole_numbers_have_no_fraction(smtime: Smtime) -> None:
    """Whole numbers are written as 10, not 10.0, so `jq .total.hours` prints 10."""
    run = smtime("estimate", "--hypothesis", "low", "--format", "json")
    total = run.stdout[run.stdout.rindex('"total"') :]
    assert re.search(r'"hours": 10[,\n]', total)
    assert "10.0" not in run.stdout


@pytest.mark.parametrize(
    ("args", "level"),
    [
        (["estimate", "-H", "high"], "1"),
        (["plan", "-H", "low"], "0"),
        (["compare", str(ROOT / "tests" / "trackers" / "plain.csv"), "-H", "high"], "1"),
    ],
    ids=["estimate", "plan", "compare"],
)
def test_whole_levels_have_no_fraction(smtime: Smtime, args: list[str], level: str) -> None:
    """estimate, plan and compare write a whole level as 0 or 1, never 0.0 or 1.0."""
    run = smtime(*args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert f'\n  "level": {level},\n' in run.stdout


def test_estimate_without_hypothesis_gives_the_range(smtime: Smtime) -> None:
    """Without a scenario, hours are null and low/high give the range."""
    data = smtime("estimate", "--format", "json").json()
    conforming(data, "estimate")
    assert data["hypothesis"] is None
    assert data["level"] is None
    assert (data["total"]["low"], data["total"]["high"], data["total"]["hours"]) == (10, 28, None)
    assert all(t["hours"] is None for t in data["tasks"])


def test_estimate_level(smtime: Smtime) -> None:
    """--level 0.25 lies a quarter of the way from low to high."""
    data = smtime("estimate", "--level", "0.25", "--format", "json").json()
    conforming(data, "estimate")
    assert data["hypothesis"] is None
    assert data["level"] == 0.25
    assert data["total"]["hours"] == 14.5
    blogging = next(t for t in data["tasks"] if t["id"] == "blogging")
    assert blogging["hours"] == 3.5


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "inf", "abc"])
def test_estimate_bad_level_is_a_usage_error(smtime: Smtime, value: str) -> None:
    """A level outside [0, 1], NaN or not a number exits 2."""
    run = smtime("estimate", "--level", value)
    assert run.exit_code == 2
    assert "level" in run.stderr.lower()


def test_estimate_both_hypothesis_and_level(smtime: Smtime) -> None:
    """--hypothesis and --level together exit 2 with a message."""
    run = smtime("estimate", "--hypothesis", "low", "--level", "0.5")
    assert run.exit_code == 2
    assert "not both" in run.stderr


def test_estimate_unknown_hypothesis(smtime: Smtime) -> None:
    """An unknown hypothesis exits 2 and names the accepted values."""
    run = smtime("estimate", "--hypothesis", "medium")
    assert run.exit_code == 2
    assert "low" in run.stderr
    assert "high" in run.stderr


def test_estimate_table(smtime: Smtime) -> None:
    """The table lists every family with its hours and the total."""
    run = smtime("estimate", "--hypothesis", "high", "--lang", "en")
    assert run.exit_code == 0
    for text in ("Monitoring / Sourcing", "Strategy", "Total", "28"):
        assert text in run.stdout
    assert "\x1b[" not in run.stdout


def test_tasks_json(smtime: Smtime) -> None:
    """tasks --format json lists the seven families with their actions."""
    data = smtime("tasks", "--format", "json", "--lang", "fr").json()
    conforming(data, "tasks")
    assert [t["id"] for t in data][:3] == ["veille", "acquisition", "blogging"]
    strategie = data[-1]
    assert strategie["label"] == "Stratégie"
    assert strategie["actions"][0] == "Plan social media"
    assert (strategie["low"], strategie["high"]) == (1, 2)


def test_tasks_table(smtime: Smtime) -> None:
    """tasks shows ids, labels and actions."""
    run = smtime("tasks", "--lang", "fr")
    assert run.exit_code == 0
    assert "veille" in run.stdout
    assert "Ligne éditoriale" in run.stdout


def test_breakdown_json(smtime: Smtime) -> None:
    """breakdown gives a family's actions, hours and share of the total."""
    data = smtime("breakdown", "--task", "blogging", "--format", "json", "--lang", "en").json()
    conforming(data, "breakdown")
    assert data["id"] == "blogging"
    assert data["actions"] == ["Editorial line", "Planning, writing", "Publishing"]
    assert (data["low"], data["high"]) == (2, 8)
    assert data["share"]["low"] == 0.2
    assert data["share"]["high"] == pytest.approx(8 / 28, abs=1e-6)


@pytest.mark.parametrize("query", ["stratégie", "Strategie", "STRATEGIE"])
def test_breakdown_matches_without_case_or_accents(smtime: Smtime, query: str) -> None:
    """breakdown --task accepts any case and accents."""
    run = smtime("breakdown", "--task", query, "--format", "json")
    assert run.exit_code == 0
    assert run.json()["id"] == "strategie"


def test_breakdown_table(smtime: Smtime) -> None:
    """The breakdown table shows the actions and shares."""
    run = smtime("breakdown", "--task", "analyse", "--lang", "en")
    assert run.exit_code == 0
    assert "KPIs, measurement and reporting" in run.stdout
    assert "10.0%" in run.stdout


def test_unknown_family_exits_2_with_suggestion(smtime: Smtime) -> None:
    """An unknown family id exits 2 and suggests the closest id."""
    run = smtime("breakdown", "--task", "bloging")
    assert run.exit_code == 2
    assert "'blogging'" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("env", "label"),
    [
        ({"LC_ALL": "fr_FR.UTF-8"}, "Stratégie"),
        ({"LANG": "fr_CA.UTF-8"}, "Stratégie"),
        ({"LANG": "de_DE.UTF-8"}, "Strategy"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "Strategy"),
        ({}, "Strategy"),
    ],
)
def test_language_follows_the_locale(smtime: Smtime, env: dict[str, str], label: str) -> None:
    """Without --lang, LC_ALL then LANG choose French when they start with fr, else English."""
    data = smtime("tasks", "--format", "json", env=env).json()
    assert data[-1]["label"] == label


def test_lang_option_beats_the_locale(smtime: Smtime) -> None:
    """--lang en wins over a French locale."""
    data = smtime("tasks", "--format", "json", "--lang", "en", env={"LANG": "fr_FR"}).json()
    assert data[0]["label"] == "Monitoring / Sourcing"


def test_json_keys_do_not_change_with_language(smtime: Smtime) -> None:
    """JSON keys and ids are the same in every language."""
    fr = smtime("estimate", "-H", "low", "-f", "json", "--lang", "fr").json()
    en = smtime("estimate", "-H", "low", "-f", "json", "--lang", "en").json()
    assert fr.keys() == en.keys()
    assert [t["id"] for t in fr["tasks"]] == [t["id"] for t in en["tasks"]]


def test_catalogue_option_and_env(smtime: Smtime, write_catalogue: Callable[..., Path]) -> None:
    """--catalogue and SMTIME_CATALOGUE select another catalogue."""
    path = write_catalogue(MINIMAL)
    by_option = smtime("estimate", "-H", "high", "-f", "json", "--catalogue", str(path)).json()
    by_env = smtime("estimate", "-H", "high", "-f", "json", env={"SMTIME_CATALOGUE": str(path)})
    assert by_option["total"]["hours"] == 5
    assert by_env.json() == by_option
    assert [t["id"] for t in by_option["tasks"]] == ["alpha", "beta"]


def test_missing_catalogue_exits_66(smtime: Smtime, tmp_path: Path) -> None:
    """A catalogue that does not exist exits 66 with its name."""
    run = smtime("estimate", "--catalogue", str(tmp_path / "nope.yaml"))
    assert run.exit_code == 66
    assert "nope.yaml: no such file" in run.stderr


def test_invalid_catalogue_exits_65(smtime: Smtime, write_catalogue: Callable[..., Path]) -> None:
    """A catalogue with bad content exits 65 and says where."""
    path = write_catalogue(MINIMAL.replace("high: 3", "high: -3"))
    run = smtime("estimate", "--catalogue", str(path))
    assert run.exit_code == 65
    assert f"{path}:14:11: families[0].high:" in run.stderr


def test_validate_valid(smtime: Smtime) -> None:
    """catalogue validate says the bundled catalogue is valid."""
    run = smtime("catalogue", "validate")
    assert run.exit_code == 0
    assert "valid (7 families, 10–28 hours a week)" in run.stdout


def test_validate_path(smtime: Smtime, write_catalogue: Callable[..., Path]) -> None:
    """catalogue validate PATH checks that file and lists every problem."""
    bad = MINIMAL.replace("low: 1\n", "lwo: 1\n").replace("label: Alpha", "label: [1]")
    path = write_catalogue(bad)
    run = smtime("catalogue", "validate", str(path))
    assert run.exit_code == 65
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 3
    assert "families[0].label: expected text" in run.stderr
    assert "families[0].lwo: unknown key 'lwo' (did you mean 'low'?)" in run.stderr
    assert "families[0].low: missing key 'low'" in run.stderr


def test_version(smtime: Smtime) -> None:
    """--version prints the package version."""
    run = smtime("--version")
    assert run.exit_code == 0
    assert run.stdout.strip() == f"smtime {__version__}"


def _all_commands() -> list[list[str]]:
    command = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        found.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(command, [])
    return found


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(p) or "smtime")
def test_every_command_has_help(smtime: Smtime, path: list[str]) -> None:
    """Every command and group answers --help with a description and an example."""
    run = smtime(*path, "--help")
    assert run.exit_code == 0
    assert "Usage" in run.stdout
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help
    assert "Example" in command.help


def test_python_m_smtime_help() -> None:
    """python -m smtime --help works in a subprocess."""
    out = subprocess.run(
        [sys.executable, "-m", "smtime", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert out.returncode == 0
    assert "estimate" in out.stdout
    assert "breakdown" in out.stdout


def test_main_usage_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad option through main() prints one line on stderr and returns 2."""
    with pytest.raises(SystemExit) as info:
        main(["estimate", "--format", "xml"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err == (
        "smtime: --format: 'xml' is not one of table, json, csv, markdown, xlsx:"
        " did you mean 'xlsx'? (see 'smtime estimate --help')\n"
    )


def test_main_success_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """main() returns 0 after printing the result."""
    assert main(["estimate", "-H", "low", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["hours"] == 10


def test_main_without_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    """smtime with no command prints its help and exits 0."""
    assert main([]) == 0
    assert "estimate" in capsys.readouterr().out


def test_every_format_has_one_writer() -> None:
    """The renderer table holds a writer for every format each command offers, and no other."""
    from smtime.cli.renderers import (
        WRITERS,
        CalibrateFormat,
        DataFormat,
        EstimateFormat,
        PlanFormat,
        ReportFormat,
    )

    offered = {(view, f.value) for view in ("tasks", "compare", "breakdown") for f in DataFormat}
    offered |= {("estimate", f.value) for f in EstimateFormat}
    offered |= {("plan", f.value) for f in PlanFormat} | {("report", f.value) for f in ReportFormat}
    offered |= {("calibrate", f.value) for f in CalibrateFormat}
    assert set(WRITERS) == offered


def test_commands_take_the_library_enums() -> None:
    """batch and compare offer the library's own formats, not copies of them."""
    import inspect
    from typing import get_args

    from smtime import formats
    from smtime.cli.commands import batch, compare

    def kind(command: Callable[..., None], name: str) -> Any:
        return get_args(inspect.signature(command).parameters[name].annotation)[0]

    assert kind(batch.batch_command, "input_format") is formats.InputFormat
    assert kind(batch.batch_command, "fmt") is formats.OutputFormat
    assert kind(compare.compare_command, "tracker") is formats.TrackerFormat
    assert kind(compare.compare_command, "date_format") is formats.DateFormat


def test_scenario_options_are_the_same_on_every_command() -> None:
    """The scenario options that estimate, report, plan and compare share are one declaration:
    same names and help everywhere, in the same order, but what --hypothesis says of a run
    without one: plan plans the low hypothesis, the others show the low–high range."""
    full = typer.main.get_command(app)
    shared = ["hypothesis", "level", "set_", "only", "exclude", "driver", "profile"]

    def options(name: str) -> list[tuple[str, ...]]:
        params = full.commands[name].params  # type: ignore[attr-defined]
        return [(p.name, *p.opts, p.help) for p in params if p.name in shared]

    assert options("estimate")[1:] == options("report")[1:] == options("plan")[1:]
    assert options("estimate")[1:] == options("compare")[1:]
    assert [o[0] for o in options("estimate")] == shared
    for name in ("estimate", "report", "compare"):
        assert options(name)[0][-1].endswith("Without it: the low–high range.")
    assert options("plan")[0][-1].endswith("Without it: the low hypothesis.")


def _option_help(path: list[str]) -> str:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return " ".join(getattr(p, "help", None) or "" for p in command.params)


@pytest.mark.parametrize(
    "path",
    [p for p in _all_commands() if p and p[0] != "profile" and p != ["catalogue"]],
    ids=" ".join,
)
def test_options_speak_of_a_profile_only_where_one_is_read(path: list[str]) -> None:
    """The help of a command's options names a profile only when the command reads one
    (--profile) or a file of them (batch)."""
    text = _option_help(path)
    reads = "--profile" in text or "Client profile (YAML)" in text
    if path == ["batch"]:
        assert "Catalogue of the profiles that name none" in text
        assert "each profile's" in text
    elif reads:
        assert "[default: the profile's, else $SMTIME_CATALOGUE" in text
    else:
        assert "profile" not in text.lower(), path


def test_plan_help_says_what_it_plans_without_a_hypothesis(smtime: Smtime) -> None:
    """plan --help says the low hypothesis is planned without one, and so it is."""
    assert "Without it: the low hypothesis." in " ".join(smtime("plan", "--help").stdout.split())
    data = smtime("plan", "--format", "json").json()
    assert (data["hypothesis"], data["budget_hours"]) == ("low", 10)


def test_request_is_a_library(tmp_path: Path) -> None:
    """What a command computes, a script gets from smtime.request without the command line."""
    from smtime import request
    from smtime.domain import Hypothesis
    from smtime.options import Asked

    answer = request.estimated(Asked(hypothesis=Hypothesis.LOW), lang="en")
    assert answer.result.total.hours == 10
    assert answer.language == "en"
    plan = request.planned(Asked(), request.parse_window("mon-fri", "09:00", "17:00", 30))
    assert plan.scenario.hypothesis is Hypothesis.LOW  # low when nothing is chosen
    assert request.catalogue_summary().endswith("valid (7 families, 10–28 hours a week)")
    with pytest.raises(SmtimeError):
        request.read(tmp_path / "missing.yaml")


def test_one_error_map_for_both_paths(
    smtime: Smtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error ends a run the same way through Typer's own runner and through main()."""
    missing = str(tmp_path / "missing.yaml")
    run = smtime("estimate", "--catalogue", missing)
    assert main(["estimate", "--catalogue", missing]) == run.exit_code == 66
    assert capsys.readouterr().err == run.stderr
    assert run.stderr.startswith("smtime: ")
