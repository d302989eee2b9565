"""``smtime batch``: an estimate for every profile of a file."""

from pathlib import Path
from typing import Annotated

import typer

from smtime.cli.options import (
    PER_PROFILE,
    Output,
    choice_of,
    format_option,
    output_options,
    path,
    whole,
)
from smtime.errors import ExitCode
from smtime.formats import InputFormat, OutputFormat

BATCH_FORMAT = format_option(
    OutputFormat,
    OutputFormat.JSONL,
    help="jsonl: one estimate object per line; csv: the estimate rows of every profile.",
)

ProfilesArgument = Annotated[
    Path,
    typer.Argument(
        parser=path,
        help="File of profiles: JSON Lines, CSV or YAML; - reads standard input.",
        show_default=False,
    ),
]

ProfilesFormatOption = Annotated[
    InputFormat,
    typer.Option(
        "--input-format",
        "-i",
        **choice_of(InputFormat),
        help="Format of PROFILES [default: auto: by suffix, else by content].",
        show_default=False,
    ),
]

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        parser=whole,
        help=(
            "Processes that estimate JSON Lines from a file, in chunks of lines; the output"
            " keeps the order of the profiles [default: every processor for a file of 1 MiB"
            " or more on Linux, else 1]."
        ),
        show_default=False,
    ),
]


@output_options(BATCH_FORMAT, defaults=PER_PROFILE)
def batch_command(
    profiles: ProfilesArgument,
    *,
    input_format: ProfilesFormatOption = InputFormat.AUTO,
    fmt: str,
    jobs: JobsOption = None,
    out: Output,
) -> None:
    """Estimate a whole portfolio: one estimate per profile, streamed in one pass.

    A bad profile is reported on stderr with its line, the others are still estimated, and the
    exit code is then 65. A progress bar shows on stderr when it is a terminal. A large file
    of JSON Lines is estimated by one process per processor (--jobs).

    Examples:

    \b
      smtime batch clients.jsonl > estimates.jsonl
      smtime batch clients.csv --format csv --output estimates.csv
      smtime batch portfolio.yaml | jq -c '{profile, total: .total.hours}'
      smtime batch big.jsonl --jobs 1 --output estimates.jsonl
    """
    from smtime.batch import run_file

    bad = run_file(
        profiles,
        input_format=input_format,
        output_format=out.format,
        jobs=jobs,
        catalogue=out.catalogue,
        lang=out.lang,
        output=out.output,
    )
    if bad:
        raise typer.Exit(int(ExitCode.DATA_ERROR))
