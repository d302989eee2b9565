"""Start-up: the JSON path imports no table or parsing machinery; the validation cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from smtime import cache, catalogue
from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]

PROBE = """\
import sys
from smtime.cli import main
code = main(sys.argv[1:])
heavy = (
    "rich", "yaml", "smtime.models", "smtime.safeyaml", "babel", "smtime.cli.shells", "xlsxwriter",
    "smtime.formats",
)
other_commands = [
    m for m in sys.modules
    if m.startswith("smtime.cli.commands.") and m != "smtime.cli.commands." + sys.argv[1]
]
print(",".join(sorted(m for m in heavy if m in sys.modules) + other_commands), file=sys.stderr)
sys.exit(code)
"""


def _probe(tmp_path: Path, *args: str) -> tuple[str, str]:
    env = {**os.environ, "SMTIME_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout, out.stderr.strip()


def test_json_path_never_imports_rich(tmp_path: Path) -> None:
    """estimate --format json imports neither rich nor babel, even on a first run."""
    _, first = _probe(tmp_path, "estimate", "--format", "json")
    assert "rich" not in first.split(",")
    assert "babel" not in first.split(",")


def test_warm_json_path_imports_no_parser_or_models(tmp_path: Path) -> None:
    """Once the catalogue is cached, estimate --format json needs no YAML nor pydantic models,
    nor the completion formats (smtime.cli.shells), which only a completion request loads,
    nor the spreadsheet writer (xlsxwriter), nor the module of another command or the
    formats only other commands name (smtime.formats)."""
    _probe(tmp_path, "estimate", "--format", "json")
    out, second = _probe(tmp_path, "estimate", "-H", "low", "--format", "json")
    assert second == ""
    assert json.loads(out)["total"]["hours"] == 10


def test_table_path_imports_rich(tmp_path: Path) -> None:
    """The table path does import rich (the probe sees it)."""
    _, loaded = _probe(tmp_path, "estimate")
    assert "rich" in loaded.split(",")


def test_cache_hit_equals_miss(write_catalogue: Callable[..., Path]) -> None:
    """A catalogue read from the cache is the same data as one freshly validated."""
    path = write_catalogue(MINIMAL)
    fresh = catalogue.load(path)
    cached = catalogue.load(path)
    assert cached == fresh
    assert cached.families[1].label["en"] == "Beta"
    assert cache.get("catalogue", path.read_bytes()) is not None


def test_changed_file_is_validated_again(write_catalogue: Callable[..., Path]) -> None:
    """Editing the catalogue misses the cache: an error introduced is reported."""
    path = write_catalogue(MINIMAL)
    catalogue.load(path)
    path.write_text(MINIMAL.replace("high: 3", "high: -3"))
    with pytest.raises(Exception, match="problem"):
        catalogue.load(path)


def test_corrupt_cache_is_ignored(write_catalogue: Callable[..., Path]) -> None:
    """A damaged cache file is ignored and the catalogue validated again."""
    path = write_catalogue(MINIMAL)
    content = path.read_bytes()
    catalogue.load(path)
    folder = cache.folder()
    assert folder is not None
    (folder / cache.key("catalogue", content)).write_text("{not json")
    assert catalogue.load(path).families[0].id == "alpha"
    (folder / cache.key("catalogue", content)).write_text('{"smtime": "0.0.0", "data": {}}')
    assert catalogue.load(path).families[0].id == "alpha"


def test_cache_off_writes_nothing(
    write_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SMTIME_CACHE=off neither reads nor writes the cache."""
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SMTIME_CACHE", "off")
    catalogue.load(write_catalogue(MINIMAL))
    assert not (tmp_path / "c").exists()


def test_unwritable_cache_is_ignored(
    write_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A cache folder that cannot be created does not stop smtime."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(blocker / "cache"))
    assert catalogue.load(write_catalogue(MINIMAL)).families[0].id == "alpha"


def test_a_run_builds_only_its_command() -> None:
    """main() builds the Click object of the named command only; the root help lists all."""
    import typer

    from smtime.cli.program import _for_command, whole

    lean = typer.main.get_command(_for_command(["estimate", "--format", "json"]))
    assert list(lean.commands) == ["estimate"]  # type: ignore[attr-defined]
    assert list(typer.main.get_command(_for_command(["profile", "init"])).commands) == ["profile"]  # type: ignore[attr-defined]
    full = typer.main.get_command(whole())
    for args in (["--help"], ["-V"], ["nope"], []):
        assert list(typer.main.get_command(_for_command(args)).commands) == list(full.commands)  # type: ignore[attr-defined]


def test_main_runs_subcommands_of_groups(capsys: pytest.CaptureFixture[str]) -> None:
    """Through main(), grouped commands and their options work as through the whole app."""
    from smtime.cli import main

    assert main(["catalogue", "validate"]) == 0
    assert "valid (7 families" in capsys.readouterr().out
    assert main(["profile", "init"]) == 0
    assert capsys.readouterr().out.startswith("# smtime profile")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["families"][0].update(label={"en": 5}),
        lambda d: d["families"][0].update(id=5),
        lambda d: d["families"][0].update(low="1"),
        lambda d: d["families"][0].update(low=True),
        lambda d: d["families"][0].update(aliases="abc"),
        lambda d: d["families"][0].update(actions=[{"label": {"en": None}}]),
        lambda d: d["families"][0].update(priority="first"),
        lambda d: d["families"][0].update(priority=1.5),
        lambda d: d["families"][0].update(per=[3]),
        lambda d: d.update(title={"en": ["a list"]}),
        lambda d: d.update(unit=5),
        lambda d: d["source"].update(url=7),
        lambda d: d.update(drivers={"n": {"label": {"en": "N"}, "default": "2"}}),
    ],
)
def test_a_cache_entry_of_the_wrong_types_is_ignored(
    write_catalogue: Callable[..., Path], damage: Callable[[dict[str, object]], None]
) -> None:
    """An entry whose values have the wrong types (an int for a label, text for hours or a
    priority) is read as a miss: the catalogue is read again, never half-used."""
    path = write_catalogue(MINIMAL)
    content = path.read_bytes()
    fresh = catalogue.load(path)
    folder = cache.folder()
    assert folder is not None
    entry = folder / cache.key("catalogue", content)
    envelope = json.loads(entry.read_text(encoding="utf-8"))
    damage(envelope["data"])
    entry.write_text(json.dumps(envelope), encoding="utf-8")
    assert catalogue.load(path) == fresh


def test_a_signal_while_the_cache_is_written_leaves_no_temporary_file(
    write_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM or SIGHUP (``Terminated``, not an ``Exception``) landing between the cache
    entry's temporary file and its rename ends the run, and the temporary file goes."""
    from smtime.signals import Terminated

    def interrupted(*_: object) -> None:
        raise Terminated(15)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(Terminated):
        catalogue.load(write_catalogue(MINIMAL))
    folder = cache.folder()
    assert folder is not None
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json"],
        ["-H", "mid", "--set", "blogging=high", "--set", "curation=1,5h", "--only", "blogging"],
        ["--level", "0,25", "--contingency", "10 %", "--rate", "55", "--period", "month"],
        ["-d", "networks=3", "--exclude", "curation", "--lang", "FR", "--capacity", "2x15h"],
    ],
)
def test_options_left_unset_are_not_converted(args: list[str]) -> None:
    """A run converts the values of the options it is given exactly as Typer does, and makes
    no converter for the options it is not given (Typer would make one for each)."""
    import typer
    from typer.core import TyperCommand

    from smtime.cli.commands.estimate import estimate_command
    from smtime.cli.program import Command, _Deferred, _for_command, reported

    lean = typer.main.get_command(_for_command(["estimate"])).commands["estimate"]  # type: ignore[attr-defined]
    assert isinstance(lean, Command)
    plain = typer.Typer()
    plain.command("estimate", cls=TyperCommand)(reported(estimate_command))
    plain.command("other")(lambda: None)
    typers = typer.main.get_command(plain).commands["estimate"]  # type: ignore[attr-defined]
    ours = lean.make_context("estimate", list(args))
    theirs = typers.make_context("estimate", list(args))
    assert ours.params == theirs.params
    unset = [p for p in lean.params if ours.params[p.name] in (None, ())]
    assert 10 < len(unset) < len(lean.params)
    deferred = [p for p in lean.params if isinstance(p._runtime_param, _Deferred)]  # type: ignore[attr-defined]
    assert deferred == unset
    assert not any(isinstance(p._runtime_param, _Deferred) for p in typers.params)
