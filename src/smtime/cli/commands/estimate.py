"""``smtime estimate``: the weekly hours of every family, with staff and cost."""

from pathlib import Path

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    SPREADSHEET,
    WITH_PROFILE,
    Output,
    format_option,
    output_options,
    scenario_options,
)
from smtime.cli.renderers import EstimateFormat
from smtime.options import Asked

ESTIMATE_FORMAT = format_option(
    EstimateFormat, EstimateFormat.TABLE, help=f"Output format; {SPREADSHEET}"
)


@scenario_options()
@output_options(ESTIMATE_FORMAT, defaults=WITH_PROFILE)
def estimate_command(*, asked: Asked, profile: Path | None, out: Output) -> None:
    """Estimate the hours of every family and the total, with staff and cost.

    Examples:

    \b
      smtime estimate --hypothesis low --format json | jq .total.hours
      smtime estimate -H low --set blogging=high --set curation=1.5h --contingency 10
      smtime estimate -H mid --period month --rate 55 --currency EUR --lang fr
      smtime estimate --profile acme.yaml --format markdown --output acme.md
      smtime estimate --profile acme.yaml --format xlsx --output acme.xlsx
    """
    answer = request.estimated(asked, catalogue=out.catalogue, profile=profile, lang=out.lang)
    renderers.write("estimate", out.format, answer, out.output)
