"""``smtime tasks``: the task families of a catalogue."""

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    WITHOUT_PROFILE,
    Output,
    output_options,
)


@output_options(defaults=WITHOUT_PROFILE)
def tasks_command(*, out: Output) -> None:
    """List the task families with their actions and weekly hours.

    Example: smtime tasks --lang en --format markdown
    """
    listing = request.listing(out.catalogue, out.lang)
    renderers.write("tasks", out.format, listing, out.output)
