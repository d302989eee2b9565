"""The commands: each parses its options, makes one call into ``smtime.request`` (or
``smtime.batch``), picks its renderer from ``renderers.WRITERS`` and writes the result.

The functions are registered under their command names in ``smtime.cli.app``, which also turns
their errors into messages and exit codes; the options are declared in ``smtime.cli.options``.
"""

from pathlib import Path

import typer

from smtime import request
from smtime.cli import renderers
from smtime.cli.options import (
    BATCH_FORMAT,
    CALIBRATE_FORMAT,
    CHOICE,
    ESTIMATE_FORMAT,
    PER_PROFILE,
    PLAN_FORMAT,
    PLANNED,
    REPORT_FORMAT,
    WITH_PROFILE,
    WITHOUT_PROFILE,
    AccountOption,
    ActualsArgument,
    CatalogueArgument,
    CatalogueOption,
    DaysOption,
    DriverOption,
    EndOption,
    ForceOption,
    FromOption,
    HledgerUnitOption,
    JobsOption,
    MinBlockOption,
    MinWeeksOption,
    Output,
    OutputDirOption,
    OutputOption,
    PeriodOption,
    PlanZoneOption,
    PreviousOption,
    ProfileArgument,
    ProfilesArgument,
    ProfilesFormatOption,
    QuantilesOption,
    SaveOption,
    StarterLangOption,
    StartOption,
    TaskOption,
    TeamOption,
    TitleOption,
    export_options,
    output_options,
    scenario_options,
)
from smtime.cli.renderers import HledgerUnit, PlanFormat
from smtime.errors import ExitCode, UsageError
from smtime.formats import InputFormat
from smtime.options import Asked
from smtime.request import ExportOptions


@output_options(defaults=WITHOUT_PROFILE)
def tasks_command(*, out: Output) -> None:
    """List the task families with their actions and weekly hours.

    Example: smtime tasks --lang en --format markdown
    """
    listing = request.listing(out.catalogue, out.lang)
    renderers.write("tasks", out.format, listing, out.output)


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
    zone = request.parse_zone(tz) if out.format == PlanFormat.ICS else None
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


@output_options(defaults=WITHOUT_PROFILE)
def breakdown_command(*, task: TaskOption, driver: DriverOption = None, out: Output) -> None:
    """Show one family: its actions, its hours under each hypothesis, its share of the total.

    Example: smtime breakdown --task blogging
    """
    answer = request.broken_down(task, driver or (), catalogue=out.catalogue, lang=out.lang)
    renderers.write("breakdown", out.format, answer, out.output)


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


def catalogue_validate_command(
    path: CatalogueArgument = None, catalogue: CatalogueOption = None
) -> None:
    """Check a catalogue: list every problem with its line, or say that it is valid.

    Example: smtime catalogue validate my-catalogue.yaml
    """
    renderers.emit_text(request.catalogue_summary(path or catalogue) + "\n", None)


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
