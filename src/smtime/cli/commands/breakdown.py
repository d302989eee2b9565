"""``smtime breakdown``: one family in detail."""

from typing import Annotated

import typer

from smtime import request
from smtime.cli import completion, renderers
from smtime.cli.options import (
    WITHOUT_PROFILE,
    DriverOption,
    Output,
    output_options,
)

TaskOption = Annotated[
    str,
    typer.Option(
        "--task",
        "-t",
        help="Family id, alias or label; case and accents do not matter (Stratégie = strategie).",
        show_default=False,
        autocompletion=completion.asked(completion.families),
    ),
]


@output_options(defaults=WITHOUT_PROFILE)
def breakdown_command(*, task: TaskOption, driver: DriverOption = None, out: Output) -> None:
    """Show one family: its actions, its hours under each hypothesis, its share of the total.

    Example: smtime breakdown --task blogging
    """
    answer = request.broken_down(task, driver or (), catalogue=out.catalogue, lang=out.lang)
    renderers.write("breakdown", out.format, answer, out.output)
