"""``smtime compare``: the time really spent against the budget."""

from pathlib import Path

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    CHOICE,
    WITH_PROFILE,
    ActualsArgument,
    Output,
    export_options,
    output_options,
    scenario_options,
)
from smtime.options import Asked
from smtime.request import ExportOptions


@scenario_options(*CHOICE)
@output_options(defaults=WITH_PROFILE)
@export_options()
def compare_command(
    actuals: ActualsArgument,
    *,
    export: ExportOptions,
    asked: Asked,
    profile: Path | None,
    out: Output,
) -> None:
    """Set the time really spent against the budget, per ISO week and per family.

    Reads Timewarrior, Watson, Toggl Track, Clockify, Harvest, Kimai, iCalendar or a plain
    date,task,hours CSV, told apart by their content. Tags, projects, tasks and descriptions
    map to families by id, alias or label (case and accents do not matter), or through --map.
    Time that maps to no family is shown as unmapped.

    Examples:

    \b
      timew export | smtime compare - --tracker timewarrior
      smtime compare toggl.csv --map "Newsletter=blogging" --hypothesis mid
      smtime compare clockify.csv --date-format mdy --encoding cp1252
      smtime compare frames.json --format json | jq .summary
    """
    answer = request.compared(
        asked, actuals, export, catalogue=out.catalogue, profile=profile, lang=out.lang
    )
    renderers.write("compare", out.format, answer, out.output)
