"""The ``smtime`` command line: parse options, call the core, pick a renderer, map errors.

This is the only module that knows Typer. rich and yaml are imported inside the functions
that need them, so that ``--version`` and JSON output start as fast as Typer allows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from smtime import __version__
from smtime.core import Hypothesis, Scenario
from smtime.errors import ExitCode, InvalidFileError, SmtimeError
from smtime.i18n import Language, default_language

if TYPE_CHECKING:
    from smtime.models import Catalogue

PROG = "smtime"


class OutputFormat(StrEnum):
    """Output formats of the data commands."""

    TABLE = "table"
    JSON = "json"


app = typer.Typer(
    name=PROG,
    help=(
        "How much time does social media really take? Weekly time budgets for social-media "
        "work, from a catalogue of task families with low and high hypotheses.\n\n"
        "Example: smtime estimate --hypothesis low"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalogue_app = typer.Typer(
    help="Check catalogues.\n\nExample: smtime catalogue validate my-catalogue.yaml",
    no_args_is_help=True,
)
app.add_typer(catalogue_app, name="catalogue")


CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        "-c",
        envvar="SMTIME_CATALOGUE",
        help="Catalogue file (YAML) to use instead of the bundled one.",
        show_default=False,
        dir_okay=True,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language of labels and headers [default: from LC_ALL/LC_MESSAGES/LANG, else en].",
        case_sensitive=False,
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """How much time does social media really take?"""


@contextmanager
def _reported() -> Iterator[None]:
    """Turn smtime's errors into messages on stderr and their exit codes; end quietly on EPIPE."""
    try:
        yield
        sys.stdout.flush()
    except SmtimeError as exc:
        # Problems in a file read like a compiler's (FILE:LINE:COL: ...); the rest name smtime.
        prefix = "" if isinstance(exc, InvalidFileError) else f"{PROG}: "
        sys.stderr.writelines(f"{prefix}{line}\n" for line in exc.lines())
        raise typer.Exit(int(exc.exit_code)) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(int(ExitCode.BROKEN_PIPE)) from None


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the final flush cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _language(lang: Language | None) -> str:
    return (lang or default_language()).value


def _load(path: Path | None) -> Catalogue:
    from smtime import catalogue

    return catalogue.load(path)


def _print_json(data: object) -> None:
    from smtime.render.json import dumps

    sys.stdout.write(dumps(data))


@app.command()
def tasks(
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """List the task families with their actions and weekly hours.

    Example: smtime tasks --lang en
    """
    with _reported():
        cat = _load(catalogue)
        language = _language(lang)
        if fmt is OutputFormat.JSON:
            from smtime.render.json import tasks_data

            _print_json(tasks_data(cat, language))
        else:
            from smtime.render import table

            table.render(table.tasks_table(cat, language))


@app.command()
def estimate(
    hypothesis: Annotated[
        Hypothesis | None,
        typer.Option(
            "--hypothesis",
            "-H",
            help="low (small organisation that must be present), high (effective "
            "social-media flow) or mid (halfway). Without it: the low–high range.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        float | None,
        typer.Option(
            "--level",
            help="A level between 0 (low) and 1 (high), instead of --hypothesis.",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Estimate the weekly hours of every family and the total.

    Example: smtime estimate --hypothesis low --format json | jq .total.hours
    """
    with _reported():
        scenario = Scenario.of(hypothesis=hypothesis, level=level)
        cat = _load(catalogue)
        from smtime.core import estimate as run_estimate

        result = run_estimate(catalogue=cat, scenario=scenario)
        language = _language(lang)
        if fmt is OutputFormat.JSON:
            from smtime.render.json import estimate_data

            _print_json(estimate_data(result, language))
        else:
            from smtime.render import table

            table.render(table.estimate_table(result, cat, language))


@app.command()
def breakdown(
    task: Annotated[
        str,
        typer.Option(
            "--task",
            "-t",
            help="Family id; case and accents do not matter (Stratégie = strategie).",
            show_default=False,
        ),
    ],
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
) -> None:
    """Show one family: its actions, its hours under each hypothesis, its share of the total.

    Example: smtime breakdown --task blogging
    """
    with _reported():
        cat = _load(catalogue)
        from smtime.core import breakdown as run_breakdown
        from smtime.core import find_family

        result = run_breakdown(catalogue=cat, family=find_family(cat, task))
        language = _language(lang)
        if fmt is OutputFormat.JSON:
            from smtime.render.json import breakdown_data

            _print_json(breakdown_data(result, language))
        else:
            from smtime.render import table

            table.render(table.breakdown_table(result, language))


@catalogue_app.command("validate")
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue to check [default: --catalogue, $SMTIME_CATALOGUE or the bundled one].",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Check a catalogue: list every problem with its line, or say that it is valid.

    Example: smtime catalogue validate my-catalogue.yaml
    """
    with _reported():
        from smtime.catalogue import resolve_path

        target = resolve_path(path or catalogue)
        cat = _load(target)
        low = sum(f.low for f in cat.families)
        high = sum(f.high for f in cat.families)
        count = len(cat.families)
        sys.stdout.write(
            f"{target}: valid ({count} famil{'ies' if count != 1 else 'y'}, "
            f"{low:g}–{high:g} hours a week)\n"
        )


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"{PROG}: {message}\n")
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes one message on stderr."""
    from typer.main import get_command

    command = get_command(app)
    try:
        result = command.main(args=argv, prog_name=PROG, standalone_mode=False)
    except typer.TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            return int(ExitCode.OK)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message().strip().replace("\n", " ")
        _fail(f"error: {message}{hint}", exc.exit_code)
    except typer.Abort:
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        return int(ExitCode.BROKEN_PIPE)
    except Exception as exc:  # a bug: still one line, never a traceback
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.SOFTWARE
        )
    return result if isinstance(result, int) else int(ExitCode.OK)
