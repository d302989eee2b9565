"""``smtime profile init`` and ``smtime profile validate``: write and check profiles."""

from pathlib import Path
from typing import Annotated

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    OUTPUT,
    OutputOption,
    PeriodOption,
    choice_of,
    path,
)
from smtime.i18n import Language

StarterLangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        **choice_of(Language),
        help="Language of the starter's comments and of its lang key [default: from "
        "LC_ALL/LC_MESSAGES/LANG, else en].",
        show_default=False,
    ),
]

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace the file --output names if it exists.", rich_help_panel=OUTPUT
    ),
]

ProfileArgument = Annotated[
    Path, typer.Argument(parser=path, help="Profile to check.", show_default=False)
]


def profile_init_command(
    output: OutputOption = None,
    lang: StarterLangOption = None,
    period: PeriodOption = None,
    force: ForceOption = False,
) -> None:
    """Write a commented starter profile in your language, to stdout or to a file.

    A profile that already exists is not replaced unless --force is given.

    Example: smtime profile init --output acme.yaml
    """
    starter = request.starter_profile(
        output, None if lang is None else str(lang), None if period is None else str(period)
    )
    renderers.emit_text(starter, output, if_exists=None if force else "give --force to replace it")


def profile_validate_command(path: ProfileArgument) -> None:
    """Check a profile and the names it uses against its catalogue.

    Example: smtime profile validate acme.yaml
    """
    renderers.emit_text(request.profile_summary(path) + "\n", None)
