"""``smtime report``: a report to send a client (a web page or a spreadsheet)."""

from pathlib import Path
from typing import Annotated

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    OUTPUT,
    SPREADSHEET,
    WITH_PROFILE,
    Output,
    format_option,
    output_options,
    scenario_options,
)
from smtime.cli.renderers import ReportFormat
from smtime.options import Asked

TitleOption = Annotated[
    str | None,
    typer.Option(
        "--title",
        help="Title of the report [default: the profile's name, else a generic title].",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

REPORT_FORMAT = format_option(
    ReportFormat, ReportFormat.HTML, help=f"html: a web page to print or send; {SPREADSHEET}"
)


@scenario_options()
@output_options(REPORT_FORMAT, defaults=WITH_PROFILE)
def report_command(
    *, asked: Asked, profile: Path | None, title: TitleOption = None, out: Output
) -> None:
    """Write a report for a client: assumptions, table, chart, actions.

    As HTML, the page has no external resources (inline CSS and SVG), prints on A4, and
    escapes every text from the catalogue and profile. As xlsx, a workbook: the estimate
    with its totals as formulas, then a sheet of the assumptions and actions.

    Examples:

    \b
      smtime report -H mid --rate 55 --contingency 10 --title "ACME — social media" -o acme.html
      smtime report --profile acme.yaml --output acme.html
      smtime report --profile acme.yaml --format xlsx --output acme.xlsx
    """
    answer = request.estimated(
        asked, catalogue=out.catalogue, profile=profile, lang=out.lang, title=title
    )
    renderers.write("report", out.format, answer, out.output)
