"""``smtime plan``: the weekly budget as a timetable, a calendar or a budget journal."""

from pathlib import Path
from typing import Annotated

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    OUTPUT,
    PATH,
    PLANNED,
    WITH_PROFILE,
    Output,
    choice_of,
    format_option,
    output_options,
    path,
    scenario_options,
    whole,
)
from smtime.cli.renderers import (
    HledgerUnit,
    PlanFormat,
)
from smtime.errors import UsageError
from smtime.options import Asked

PLAN_FORMAT = format_option(PlanFormat, PlanFormat.TABLE)

DaysOption = Annotated[
    str, typer.Option("--days", help="Working days: mon-fri, mon,wed,fri, monday or 1-5.")
]

StartOption = Annotated[
    str, typer.Option("--start", help="Start of the daily window: 09:00, 9h30 or 9.")
]

EndOption = Annotated[
    str, typer.Option("--end", help="End of the daily window: 17:00, 17h30 or 24:00.")
]

MinBlockOption = Annotated[
    int, typer.Option("--min-block", parser=whole, help="Shortest block, in minutes.")
]

FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="ics, hledger, ledger, beancount: the plan starts in the week of this date "
        "(YYYY-MM-DD) [default: ics, beancount: next Monday; hledger, ledger: no start].",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

PlanZoneOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="ics: IANA time zone of the events [default: the system's].",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

PreviousOption = Annotated[
    Path | None,
    typer.Option(
        "--previous",
        parser=path,
        metavar="OLD.ics",
        help="ics: the calendar file written for the plan before; its events that stay get "
        "updated, those the new plan drops are written again, cancelled.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

HledgerUnitOption = Annotated[
    HledgerUnit,
    typer.Option(
        "--hledger-unit",
        **choice_of(HledgerUnit),
        help="hledger: plain hours (as timedot logs) or hours with the h unit (as timeclock).",
        rich_help_panel=OUTPUT,
    ),
]

TeamOption = Annotated[
    Path | None,
    typer.Option(
        "--team",
        **PATH,
        help="Team file (YAML): share the budget out among its people, each in their own "
        "days and hours (docs/plan.md).",
        show_default=False,
    ),
]

OutputDirOption = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        **PATH,
        help="ics with --team: write one calendar per person into this folder.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

AccountOption = Annotated[
    str | None,
    typer.Option(
        "--account",
        help="hledger, ledger, beancount: parent account of the families "
        "[default: social-media; beancount: Expenses:Social-Media].",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]


@scenario_options(*PLANNED, without="the low hypothesis")
@output_options(PLAN_FORMAT, defaults=WITH_PROFILE)
def plan_command(
    *,
    asked: Asked,
    profile: Path | None,
    days: DaysOption = "mon-fri",
    start: StartOption = "09:00",
    end: EndOption = "17:00",
    min_block: MinBlockOption = 30,
    from_: FromOption = None,
    tz: PlanZoneOption = None,
    previous: PreviousOption = None,
    hledger_unit: HledgerUnitOption = HledgerUnit.NONE,
    account: AccountOption = None,
    team: TeamOption = None,
    output_dir: OutputDirOption = None,
    out: Output,
) -> None:
    """Turn the weekly budget into a timetable, a calendar (ics) or a budget for hledger,
    Ledger or Beancount (Fava).

    Without --hypothesis, --level or a profile's scenario, the low hypothesis is planned.

    Examples:

    \b
      smtime plan --hypothesis mid
      smtime plan -H high --days mon-thu --start 08:30 --end 12:30 --min-block 45
      smtime plan --profile acme.yaml --format ics --from 2027-01-04 --tz Europe/Paris -o acme.ics
      smtime plan --profile acme.yaml -f ics --previous acme.ics -o acme-new.ics
      smtime plan -H low --format hledger --hledger-unit h > budget.journal
      smtime plan -H low --format beancount --from 2027-01-04 > budget.beancount
      smtime plan -H high --team team.yaml --format ics --output-dir calendars/
    """
    window = request.parse_window(days, start, end, min_block)
    first_day = request.parse_date(from_) if from_ else None
    zone = request.parse_zone(tz) if out.format == PlanFormat.ICS or tz is not None else None
    if previous is not None and out.format != PlanFormat.ICS:
        raise UsageError("--previous: only with --format ics")
    if previous is not None and team is not None:
        raise UsageError("--previous: not with --team, whose people each have a calendar")
    if team is not None or output_dir is not None:
        renderers.check_team_output(team, out.format, out.output, output_dir)
        team_plan = request.team_planned(
            asked,
            window,
            team,  # type: ignore[arg-type]  # checked above: given with --output-dir
            start=first_day,
            zone=zone,
            catalogue=out.catalogue,
            profile=profile,
            lang=out.lang,
        )
        renderers.write_team(team_plan, out.format, out.output, output_dir)
        return
    unit = None if hledger_unit is HledgerUnit.NONE else hledger_unit.value
    answer = request.planned(
        asked,
        window,
        start=first_day,
        zone=zone,
        account=account,
        unit=unit,
        previous=previous,
        catalogue=out.catalogue,
        profile=profile,
        lang=out.lang,
    )
    renderers.write("plan", out.format, answer, out.output)
