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
    return "\n".join([*parts, COMPLETION])


COMPLETION = """\
## Shell completion

`smtime --install-completion` installs completion for the shell it is run from (bash, zsh or
fish, found from the process that runs smtime); it takes effect in a new shell:

| shell | script | loaded by |
|---|---|---|
| bash | `~/.bash_completions/smtime.sh` | a `source` line added to `~/.bashrc` |
| zsh | `~/.zfunc/_smtime` | `fpath+=~/.zfunc; autoload -Uz compinit; compinit` in `~/.zshrc` |
| fish | `~/.config/fish/completions/smtime.fish` | fish itself |

`smtime --show-completion` prints the script for the shell it is run from, to install it by
hand. Both are Typer's: the scripts run `smtime` with the words of the line in the environment
(`_SMTIME_COMPLETE=complete_bash` with `COMP_WORDS` and `COMP_CWORD`; `complete_zsh` and
`complete_fish` with `_TYPER_COMPLETE_ARGS`), and smtime prints the candidates.

What completes:

- commands and groups, and the options of each command (`--install-completion` and
  `--show-completion` are options of `smtime` itself);
- the values of `--hypothesis`, `--format`, `--lang`, `--period`, `--input-format` and
  `--hledger-unit`;
- families, by id and alias: `--task`; `--only` and `--exclude` (the last family of a
  comma-separated list, leaving out those already in it); `--set` (`FAMILY=` while several
  families match, then `FAMILY=low`, `mid` and `high`: bash splits words at `=`, so only zsh
  and fish complete a level typed after it); `--map TAG=FAMILY` (the family after `=`, in zsh
  and fish). zsh and fish show each family's label beside it, in the language of `--lang` or
  the locale;
- file names for paths (bash, zsh and fish complete them themselves).

The families are those of the catalogue the command would read: `--catalogue` when it is
earlier on the line, else the catalogue of the profile given earlier by `--profile`, else
`$SMTIME_CATALOGUE`, else the bundled one. A catalogue that cannot be read (missing, not a
regular file, not valid) completes no family, and completion never writes on stderr.
"""


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.stdout.write(render())
