"""``smtime calibrate``: a catalogue's ranges learnt from tracked weeks."""

from pathlib import Path
from typing import Annotated

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    WITHOUT_PROFILE,
    ActualsArgument,
    Output,
    export_options,
    format_option,
    output_options,
    path,
)
from smtime.cli.renderers import CalibrateFormat
from smtime.errors import UsageError
from smtime.request import ExportOptions

CALIBRATE_FORMAT = format_option(
    CalibrateFormat,
    CalibrateFormat.TABLE,
    help="table, json, markdown: the base and calibrated ranges side by side; yaml: the "
    "calibrated catalogue.",
)

QuantilesOption = Annotated[
    str,
    typer.Option(
        "--quantiles",
        "-q",
        metavar="LOW,HIGH",
        help="The percentiles of each family's weekly hours taken as its low and high: two "
        "whole numbers from 0 to 100.",
    ),
]

MinWeeksOption = Annotated[
    int,
    typer.Option(
        "--min-weeks",
        metavar="WEEKS",
        help="The fewest complete ISO weeks to calibrate from (at least 2).",
    ),
]

SaveOption = Annotated[
    Path | None,
    typer.Option(
        "--save",
        "-s",
        parser=path,
        metavar="FILE",
        help="Also write the calibrated catalogue (YAML) to FILE, whatever --format shows.",
        show_default=False,
    ),
]


@output_options(CALIBRATE_FORMAT, defaults=WITHOUT_PROFILE)
@export_options()
def calibrate_command(
    actuals: ActualsArgument,
    *,
    quantiles: QuantilesOption = "20,80",
    min_weeks: MinWeeksOption = 4,
    save: SaveOption = None,
    export: ExportOptions,
    out: Output,
) -> None:
    """Learn a catalogue's ranges from the weeks already tracked.

    Each family's low and high become percentiles of its weekly hours over the complete ISO
    weeks of the export (a week without its time counts as 0 h), to the quarter hour. The
    families keep the catalogue's ids, labels and actions; a family with no tracked time keeps
    its range. Shows the base and calibrated ranges side by side, with the spread of the real
    weekly totals; --save (or --format yaml) writes the calibrated catalogue.

    Examples:

    \b
      timew export | smtime calibrate - --save ours.yaml
      smtime calibrate toggl.csv --quantiles 10,90 --map "Newsletter=blogging"
      smtime calibrate watson.json --format yaml --output ours.yaml
      smtime estimate --catalogue ours.yaml --hypothesis mid
    """
    if save is not None and out.output is not None and save.resolve() == out.output.resolve():
        raise UsageError("--save and --output name the same file: give --format yaml instead")
    from smtime.output import is_stdout

    if save is not None and is_stdout(save) and (out.output is None or is_stdout(out.output)):
        raise UsageError(
            f"--save {save}: the view goes to standard output too: give --format yaml instead"
        )
    answer = request.calibrated(
        actuals,
        export,
        quantiles=quantiles,
        min_weeks=min_weeks,
        catalogue=out.catalogue,
        lang=out.lang,
    )
    if save is not None:  # both checked first; the view, which may go to standard output, first
        renderers.check_targets([save, out.output], answer.paths())
    renderers.write("calibrate", out.format, answer, out.output)
    if save is not None:
        renderers.write("calibrate", "yaml", answer, save)
