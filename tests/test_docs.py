"""The manual: the CLI reference is generated from the app, and every console example of the
README and docs/ is run and its output compared (tests/console.py has the convention)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sybil import Example
from sybil.example import SybilFailure

from smtime import reference
from tests import console
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_cli_reference_is_up_to_date() -> None:
    """docs/cli.md is exactly what `python -m smtime.reference` generates."""
    assert (DOCS / "cli.md").read_text() == reference.render(), (
        "docs/cli.md is out of date: run python -m smtime.reference > docs/cli.md"
    )


def test_cli_reference_covers_every_command() -> None:
    """Every command and group has a section in the reference."""
    text = (DOCS / "cli.md").read_text()
    for path, _ in reference.commands():
        assert f"## `{' '.join(['smtime', *path])}`" in text


def test_help_is_plain_text() -> None:
    """Help text is not read as markup: every [default: …] survives."""
    text = reference.help_text(["batch"])
    assert "[default: auto: by suffix" in text


def test_docs_links_resolve() -> None:
    """Every relative link in README.md and docs/ points at a file that exists."""
    pages = [ROOT / "README.md", *DOCS.glob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_every_exit_code_is_documented() -> None:
    """docs/errors.md lists every exit code smtime can return."""
    from smtime.errors import ExitCode

    text = (DOCS / "errors.md").read_text()
    for code in ExitCode:
        assert f"| {int(code)} |" in text, code


EXAMPLES = [example for page in console.PAGES for example in console.SYBIL.parse(page)]
RUN = [example for example in EXAMPLES if example.parsed.not_run is None]


@pytest.fixture(scope="module")
def ran(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[str, int]]]:
    """What the commands of the examples chosen for this run printed, run side by side (one
    per processor), sharing one cache of validated catalogues; each test compares its own."""
    chosen = [
        item.callspec.params["example"]
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_console_example"
    ]
    runnable = [
        example.parsed
        for example in chosen
        if isinstance(example, Example) and not example.parsed.missing()
    ]
    return console.run_all(runnable, tmp_path_factory.mktemp("docs-cache"))


@pytest.mark.parametrize("example", RUN, ids=lambda example: example.parsed.name())
def test_console_example(example: Example, ran: dict[str, list[tuple[str, int]]]) -> None:
    """A console example of the README or the manual prints what the page shows."""
    missing = example.parsed.missing()
    if missing:
        pytest.skip(f"{', '.join(missing)}: installed by .ci/run")
    example.namespace["ran"] = ran
    example.evaluate()


def test_examples_not_run_are_marked_for_a_reason() -> None:
    """Only a block with a command that is not smtime's is left out, and the page says why."""
    left_out = [example.parsed for example in EXAMPLES if example.parsed.not_run is not None]
    assert left_out
    for session in left_out:
        assert session.not_run, session.name()
        assert session.foreign(), f"{session.name()}: only smtime commands, yet not run"


def test_examples_run_only_smtime_and_plain_tools() -> None:
    """A block run by the tests runs no program but smtime, plain tools, jq and hledger."""
    for example in EXAMPLES:
        session = example.parsed
        if session.not_run is None:
            assert not session.foreign(), f"{session.name()}: mark it <!-- not-run: why -->"


def page(tmp_path: Path, text: str) -> list[Example]:
    """The console examples of a page holding ``text``."""
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return list(console.SYBIL.parse(path))


def test_wrong_output_fails(tmp_path: Path) -> None:
    """An example whose output differs from smtime's fails, with a diff that names its line."""
    (example,) = page(
        tmp_path,
        "Text.\n\n```console\n$ smtime estimate -H low --format json | jq .total.hours\n11\n```\n",
    )
    with pytest.raises(SybilFailure, match=r"page.md:4: \$ smtime estimate(.|\n)*-11\n\+10"):
        example.evaluate()


def test_failing_command_fails(tmp_path: Path) -> None:
    """A command that fails fails its example, unless the next command shows its status."""
    failing, shown = page(
        tmp_path,
        "```console\n$ smtime estimate --task nope\n```\n\n"
        "```console\n$ smtime estimate --task nope > /dev/null 2>&1\n$ echo $?\n2\n```\n",
    )
    with pytest.raises(SybilFailure, match="exited 2"):
        failing.evaluate()
    shown.evaluate()


@pytest.mark.parametrize(
    ("expected", "printed", "matching"),
    [
        (["a", "...", "d"], "a\nb\nc\nd\n", True),
        (["a", "...", "b"], "a\nb\n", True),
        (["a", "...", "d"], "a\nb\nc\n", False),
        (["smtime ..."], "smtime 0.1.0\n", True),
        (["smtime ...!"], "smtime 0.1.0\n", False),
        (["a", "b"], "a  \nb\n\n\n", True),
        (["a.b"], "axb\n", False),
        (["  ..."], "x\ny\n", True),
    ],
)
def test_ellipsis_convention(expected: list[str], printed: str, matching: bool) -> None:
    """``...`` alone is any lines, ``...`` in a line any text; all else is literal."""
    assert console.matches(expected, printed) is matching


def test_not_run_marker(tmp_path: Path) -> None:
    """<!-- not-run: REASON --> just before a block leaves it out, and gives the reason."""
    marked, plain = page(
        tmp_path,
        "<!-- not-run: needs Timewarrior -->\n```console\n$ timew export\n```\n\n"
        "<!-- not-run: far away -->\n\nText.\n\n```console\n$ smtime --version\n```\n",
    )
    assert marked.parsed.not_run == "needs Timewarrior"
    assert marked.parsed.foreign() == ["timew export"]
    assert plain.parsed.not_run is None


def test_commands_and_their_output_are_parsed() -> None:
    """A command goes on after a backslash; the lines under it are its output."""
    commands = console.parse_commands("$ smtime a \\\n    --b\none\n$ FOO=1 smtime c | jq .x\n", 10)
    assert [(c.text, c.line, c.output) for c in commands] == [
        ("smtime a \\\n    --b", 10, ["one"]),
        ("FOO=1 smtime c | jq .x", 13, []),
    ]
    assert commands[1].programs() == ["smtime", "jq"]
