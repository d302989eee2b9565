"""The manual: the CLI reference is generated from the app and must be up to date."""

from __future__ import annotations

import re

from smtime import reference
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
