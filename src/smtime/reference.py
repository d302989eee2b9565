"""The CLI reference (docs/cli.md), generated from the application's own help.

    python -m smtime.reference > docs/cli.md

A test regenerates it and fails when docs/cli.md is out of date.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

WIDTH = 100


def commands() -> Iterator[tuple[list[str], Any]]:
    """Every command and group of the app, depth first, with its path."""
    import typer

    from smtime.cli import app

    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        yield path, command
        for name in sorted(getattr(command, "commands", {})):
            yield from walk(command.commands[name], [*path, name])

    yield from walk(typer.main.get_command(app), [])


def help_text(path: list[str]) -> str:
    """The ``--help`` output of one command, plain, at a fixed width."""
    from typer.testing import CliRunner

    from smtime.cli import app

    env = {"TERMINAL_WIDTH": str(WIDTH), "COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*path, "--help"], env=env, prog_name="smtime")
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip() + "\n"


def render() -> str:
    """The whole reference as Markdown."""
    parts = [
        "# CLI reference",
        "",
        "Generated from `smtime --help` and each command's help by `python -m smtime.reference`;",
        "do not edit by hand. The test suite fails when this file is out of date.",
        "",
    ]
    for path, _ in commands():
        name = " ".join(["smtime", *path])
        parts += [f"## `{name}`", "", "```text", help_text(path).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.stdout.write(render())
