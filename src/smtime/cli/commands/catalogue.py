"""``smtime catalogue validate``: check a catalogue."""

from pathlib import Path
from typing import Annotated

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    WITHOUT_PROFILE,
    catalogue_option,
    path,
)

CatalogueOption = Annotated[Path | None, catalogue_option(WITHOUT_PROFILE.catalogue)]

CatalogueArgument = Annotated[
    Path | None,
    typer.Argument(
        parser=path,
        help="Catalogue to check [default: --catalogue, $SMTIME_CATALOGUE or the bundled one].",
        show_default=False,
    ),
]


def catalogue_validate_command(
    path: CatalogueArgument = None, catalogue: CatalogueOption = None
) -> None:
    """Check a catalogue: list every problem with its line, or say that it is valid.

    Example: smtime catalogue validate my-catalogue.yaml
    """
    renderers.emit_text(request.catalogue_summary(path or catalogue) + "\n", None)
