"""Shell completion: what bash, zsh and fish get from smtime, asked the way Typer's completion
scripts ask (the words in the environment, ``_SMTIME_COMPLETE=complete_SHELL``)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"
SHELLS = ["bash", "zsh", "fish"]
ZSH_ITEM = re.compile(r'"((?:[^"]|"")*)"(?::"(?:[^"]|"")*")?')


def ask(
    shell: str, line: str, env: dict[str, str] | None = None, action: str = "get-args"
) -> subprocess.CompletedProcess[str]:
    """Run smtime as ``shell``'s completion script does for ``line`` (the cursor at its end)."""
    given = {**os.environ, **(env or {}), "_SMTIME_COMPLETE": f"complete_{shell}"}
    if shell == "bash":  # the words, and the index of the one under the cursor
        words = shlex.split(line)
        given["COMP_WORDS"] = line
        given["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:  # zsh sends the words up to the cursor, fish the line up to the cursor
        given["_TYPER_COMPLETE_ARGS"] = line
        given["_TYPER_COMPLETE_FISH_ACTION"] = action
    return subprocess.run(
        [sys.executable, "-m", "smtime"],
        env=given,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def candidates(shell: str, line: str, env: dict[str, str] | None = None) -> list[str]:
    """The values ``shell`` is offered for ``line``, read from its own format."""
    return read(shell, ask(shell, line, env))


def read(shell: str, done: subprocess.CompletedProcess[str]) -> list[str]:
    """The values in what smtime answered ``shell``; the answer must be quiet and successful."""
    assert (done.returncode, done.stderr) == (0, ""), done
    out = done.stdout
    if shell == "zsh":  # _arguments '*: :(("value":"help" ...))', or _files for none
        if out.strip() == "_files":
            return []
        specs = out.removeprefix("_arguments '*: :((").rstrip().removesuffix("))'")
        return [m.group(1).replace('""', '"') for m in ZSH_ITEM.finditer(specs)]
    return [line.split("\t")[0] for line in out.splitlines() if line]


COMMANDS = ["tasks", "estimate", "report", "plan", "compare", "calibrate", "breakdown", "batch"]
BUNDLED = ["veille", "acquisition", "blogging", "curation", "communication", "analyse"]
BUNDLED.append("strategie")
DRIVERS = EXAMPLES / "catalogue-drivers.yaml"
DRIVER_NAMES = ["veille", "monitoring", "sourcing", "publishing", "posting", "community"]
DRIVER_NAMES += ["communication", "moderation", "analyse", "strategie"]
LEVELS = ["blogging=low", "blogging=mid", "blogging=high"]
PLAN_FORMATS = ["table", "json", "markdown", "ics", "hledger", "ledger", "beancount"]

# (shell, line, candidates): each line is asked of one shell, and each shell is asked lines of
# every kind; what differs between shells is how they ask and read, not what is completed.
CASES = [
    ("bash", "smtime ", [*COMMANDS, "catalogue", "profile"]),
    ("zsh", "smtime ", [*COMMANDS, "catalogue", "profile"]),
    ("fish", "smtime ", [*COMMANDS, "catalogue", "profile"]),
    ("zsh", "smtime pro", ["profile"]),
    ("fish", "smtime profile ", ["init", "validate"]),
    ("bash", "smtime estimate --hyp", ["--hypothesis"]),
    ("zsh", "smtime plan --h", ["--hypothesis", "--hledger-unit", "--help"]),
    ("fish", "smtime --", ["--version", "--install-completion", "--show-completion", "--help"]),
    ("bash", "smtime estimate --hypothesis ", ["low", "mid", "high"]),
    ("zsh", "smtime plan -H m", ["mid"]),
    ("fish", "smtime estimate --format ", ["table", "json", "csv", "markdown", "xlsx"]),
    ("bash", "smtime report --format ", ["html", "xlsx"]),
    ("zsh", "smtime tasks --format ", ["table", "json", "csv", "markdown"]),
    ("bash", "smtime plan -f ", [*PLAN_FORMATS]),
    ("zsh", "smtime batch --format ", ["jsonl", "csv"]),
    ("fish", "smtime tasks --lang ", ["fr", "en", "es"]),
    ("bash", "smtime estimate --period ", ["week", "month", "year"]),
    ("zsh", "smtime compare log.csv --input-format t", ["timewarrior", "toggl"]),
    ("fish", "smtime plan --hledger-unit ", ["none", "h"]),
    ("bash", "smtime breakdown --task ", BUNDLED),
    ("zsh", "smtime breakdown --task ", BUNDLED),
    ("fish", "smtime breakdown -t str", ["strategie"]),
    ("bash", f"smtime breakdown --catalogue {DRIVERS} --task ", DRIVER_NAMES),
    ("zsh", f"smtime breakdown --catalogue {DRIVERS} --task ", DRIVER_NAMES),
    ("fish", f"smtime estimate -c {DRIVERS} --only mo", ["monitoring", "moderation"]),
    ("bash", "smtime estimate --set ", [f"{name}=" for name in BUNDLED]),
    ("zsh", "smtime estimate --set c", ["curation=", "communication="]),
    ("bash", "smtime estimate --set blo", LEVELS),
    ("fish", "smtime plan -s blogging=h", ["blogging=high"]),  # bash splits words at "="
    ("bash", "smtime estimate --only veille,c", ["veille,curation", "veille,communication"]),
    ("fish", "smtime compare --exclude curation,b", ["curation,blogging"]),
    ("zsh", "smtime compare log.csv --map Newsletter=bl", ["Newsletter=blogging"]),
    ("fish", "smtime compare log.csv --map News", []),
]


Answers = dict[tuple[str, str], subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def answers(request: pytest.FixtureRequest) -> Answers:
    """smtime's answers to the cases chosen for this run, asked side by side (one per
    processor): each is a process of its own that starts Typer whole."""
    chosen = [
        (str(item.callspec.params["shell"]), str(item.callspec.params["line"]))
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_candidates"
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = pool.map(lambda case: ask(*case), chosen)
        return dict(zip(chosen, done, strict=True))


@pytest.mark.parametrize(
    ("shell", "line", "values"), CASES, ids=[f"{c[0]}:{c[1][7:]}" for c in CASES]
)
def test_candidates(shell: str, line: str, values: list[str], answers: Answers) -> None:
    """Commands, options, choices (hypotheses, formats, languages, periods, units) and the family ids
    and aliases of the catalogue in use complete as the line asks, in bash, zsh and fish."""
    assert read(shell, answers[shell, line]) == values


def test_every_shell_is_asked_every_kind_of_line() -> None:
    """The cases ask each shell for commands, options, choices and families."""
    for shell in SHELLS:
        lines = [line for asked, line, _ in CASES if asked == shell]
        assert any(line == "smtime " for line in lines)
        assert any(line.endswith("--") or " --h" in line for line in lines), shell
        assert any("-H " in line or "--format " in line or "-f " in line for line in lines)
        assert any("--task " in line or "-t " in line for line in lines), shell


@pytest.mark.parametrize("shell", SHELLS)
def test_families_of_smtime_catalogue_and_of_a_profile(shell: str, tmp_path: Path) -> None:
    """Without --catalogue, the profile's catalogue gives the families, else $SMTIME_CATALOGUE."""
    if shell == "bash":
        env = {"SMTIME_CATALOGUE": str(DRIVERS)}
        assert candidates(shell, "smtime breakdown --task pub", env) == ["publishing"]
    else:
        profile = tmp_path / "client.yaml"
        profile.write_text(f"catalogue: {DRIVERS}\n", encoding="utf-8")
        line = f"smtime estimate --profile {profile} --exclude pub"
        assert candidates(shell, line) == ["publishing"]


def broken_catalogues(tmp_path: Path) -> list[Path]:
    """Catalogues that cannot be used: not valid, not text, missing, a folder, a FIFO."""
    not_text = tmp_path / "binary.yaml"
    not_text.write_bytes(b"\x00\xff\x00")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    return [EXAMPLES / "broken-catalogue.yaml", not_text, tmp_path / "missing.yaml", tmp_path, fifo]


def test_broken_catalogue_completes_nothing_quietly(tmp_path: Path) -> None:
    """A catalogue that cannot be read or is not valid completes no family, in any shell, says
    nothing on stderr (``candidates`` checks), and never waits on a FIFO; the rest of the line
    still completes."""
    broken = broken_catalogues(tmp_path)
    for index, path in enumerate(broken):
        shell = SHELLS[index % len(SHELLS)]
        assert candidates(shell, f"smtime breakdown --catalogue {path} --task ") == [], path
    env = {"SMTIME_CATALOGUE": str(broken[0])}
    assert candidates("fish", "smtime estimate --set blo", env) == []
    assert candidates("zsh", f"smtime estimate -c {broken[-1]} -H ") == ["low", "mid", "high"]


def test_fish_asks_whether_to_complete_files() -> None:
    """fish's second question: smtime has candidates (exit 0), or leaves fish to files (exit 1)."""
    assert ask("fish", "smtime breakdown --task ", action="is-args").returncode == 0
    assert ask("fish", "smtime estimate --profile ", action="is-args").returncode == 1


def test_help_of_candidates_is_literal_and_on_one_line() -> None:
    """zsh and fish show each candidate's help as written, [default: …] included, on one line."""
    fish = ask("fish", "smtime estimate --").stdout.splitlines()
    assert "--period\tPeriod of the figures [default: week]." in fish
    assert all(line.startswith("--") for line in fish)  # no help wrapped onto a line of its own
    zsh = ask("zsh", "smtime estimate --per").stdout
    assert (
        zsh == """_arguments '*: :(("--period":"Period of the figures [default\\\\: week]."))'\n"""
    )
    fish_families = ask("fish", "smtime breakdown -t ").stdout.splitlines()
    assert "veille\tMonitoring / Sourcing" in fish_families
    assert "veille\tVeille / Sourcing" in ask("fish", "smtime breakdown -l fr -t v").stdout


def bash_session(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash, with smtime on the PATH and ``home`` as HOME."""
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", "--norc", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_install_completion_then_complete_in_bash(tmp_path: Path) -> None:
    """--install-completion, run from bash, installs a script that bash then completes with."""
    installed = bash_session("smtime --install-completion; true", tmp_path)
    assert installed.returncode == 0, installed.stderr
    script = tmp_path / ".bash_completions" / "smtime.sh"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    assert "_SMTIME_COMPLETE=complete_bash" in script.read_text()
    session = bash_session(
        f"source '{script}'\n"
        "COMP_WORDS=(smtime estimate --hypothesis ''); COMP_CWORD=3\n"
        "_smtime_completion smtime\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n',
        tmp_path,
    )
    assert session.stdout.split() == ["low", "mid", "high"]


def test_show_completion_prints_the_script_of_the_shell(tmp_path: Path) -> None:
    """--show-completion, run from bash, prints bash's completion script for smtime."""
    shown = bash_session("smtime --show-completion; true", tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _smtime_completion smtime" in shown.stdout
    assert not (tmp_path / ".bashrc").exists()


def test_completion_options_are_the_root_s() -> None:
    """smtime --help lists --install-completion and --show-completion; a command's help not."""
    root = subprocess.run(
        [sys.executable, "-m", "smtime", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--install-completion" in root
    assert "--show-completion" in root
    command = subprocess.run(
        [sys.executable, "-m", "smtime", "estimate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--install-completion" not in command


@pytest.mark.parametrize("instruction", ["complete_tcsh", "bash_complete", "nonsense"])
def test_a_request_no_shell_sends_is_refused_on_stderr(instruction: str) -> None:
    """A completion request with an instruction or a shell that Typer does not know exits
    with the documented code 1 and one line on stderr, nothing on stdout for a shell to read."""
    from smtime.errors import ExitCode

    done = subprocess.run(
        [sys.executable, "-m", "smtime"],
        env={**os.environ, "_SMTIME_COMPLETE": instruction},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == ExitCode.COMPLETION_REFUSED
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
