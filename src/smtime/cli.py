"""The ``smtime`` command line: parse options, call the core, pick a renderer, map errors.

This is the only module that knows Typer. rich, yaml and pydantic are imported inside the
functions that need them, so that ``--version`` and JSON output start as fast as Typer allows.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer

from smtime import __version__
from smtime.core import Hypothesis, Period
from smtime.errors import ExitCode, InvalidFileError, SmtimeError, UsageError
from smtime.i18n import Language, default_language

if TYPE_CHECKING:
    import contextlib
    from typing import TextIO

    from smtime import batch as batches
    from smtime.models import Catalogue
    from smtime.options import Combined
    from smtime.portfolio import Portfolio
    from smtime.profile import LoadedProfile

PROG = "smtime"
CATALOGUE_ENV = "SMTIME_CATALOGUE"


class OutputFormat(StrEnum):
    """Output formats of the data commands."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


app = typer.Typer(
    name=PROG,
    help=(
        "How much time does social media really take? Weekly time budgets for social-media "
        "work, from a catalogue of task families with low and high hypotheses.\n\n"
        "Example: smtime estimate --hypothesis low"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain: [default: …] must not be read as markup
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalogue_app = typer.Typer(
    help="Check catalogues.\n\nExample: smtime catalogue validate my-catalogue.yaml",
    no_args_is_help=True,
    rich_markup_mode=None,
)
profile_app = typer.Typer(
    rich_markup_mode=None,
    help="Client profiles: a named scenario in a YAML file.\n\n"
    "Example: smtime profile init --output acme.yaml",
    no_args_is_help=True,
)
app.add_typer(catalogue_app, name="catalogue")
app.add_typer(profile_app, name="profile")

SCENARIO = "Scenario"
MONEY = "Period, staff and cost"
OUTPUT = "Output"

CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        "-c",
        help="Catalogue file (YAML) [default: the profile's, else $SMTIME_CATALOGUE, "
        "else the bundled one].",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="Output format.", case_sensitive=False, rich_help_panel=OUTPUT
    ),
]
LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language of labels and headers [default: the profile's, else from "
        "LC_ALL/LC_MESSAGES/LANG, else en].",
        case_sensitive=False,
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        "-p",
        help="Client profile (YAML); options on the command line override it.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
HypothesisOption = Annotated[
    Hypothesis | None,
    typer.Option(
        "--hypothesis",
        "-H",
        help="low (small organisation that must be present), high (effective "
        "social-media flow) or mid (halfway). Without it: the low–high range.",
        case_sensitive=False,
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
LevelOption = Annotated[
    float | None,
    typer.Option(
        "--level",
        help="A level between 0 (low) and 1 (high), instead of --hypothesis.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="FAMILY=VALUE",
        help="One family's level: low, mid, high, 0 to 1, or weekly hours such as 1.5h. "
        "Repeatable.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        metavar="ID,ID",
        help="Keep only these families.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="ID,ID",
        help="Leave these families out.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
DriverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--driver",
        "-d",
        metavar="NAME=QTY",
        help="Quantity of a volume driver of the catalogue, such as networks=3. Repeatable.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
ContingencyOption = Annotated[
    float | None,
    typer.Option(
        "--contingency",
        metavar="PERCENT",
        help="Add unplanned work as its own line: this percentage of the subtotal.",
        show_default=False,
        rich_help_panel=SCENARIO,
    ),
]
PeriodOption = Annotated[
    Period | None,
    typer.Option(
        "--period",
        help="Period of the figures [default: week].",
        case_sensitive=False,
        show_default=False,
        rich_help_panel=MONEY,
    ),
]
WeeksOption = Annotated[
    float | None,
    typer.Option(
        "--weeks-per-year",
        help="Working weeks in a year [default: 52; 47 leaves five weeks of leave].",
        show_default=False,
        rich_help_panel=MONEY,
    ),
]
FullTimeOption = Annotated[
    float | None,
    typer.Option(
        "--full-time-hours",
        help="Weekly hours of one full-time person (1 to 168), for FTE [default: 35].",
        show_default=False,
        rich_help_panel=MONEY,
    ),
]
RateOption = Annotated[
    float | None,
    typer.Option(
        "--rate",
        metavar="AMOUNT",
        help="Hourly rate, to show the cost of the period.",
        show_default=False,
        rich_help_panel=MONEY,
    ),
]
CurrencyOption = Annotated[
    str | None,
    typer.Option(
        "--currency",
        metavar="CODE",
        help="ISO 4217 currency code of the rate [default: EUR].",
        show_default=False,
        rich_help_panel=MONEY,
    ),
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """How much time does social media really take?"""


@contextmanager
def _reported() -> Iterator[None]:
    """Turn smtime's errors into messages on stderr and their exit codes; end quietly on EPIPE."""
    from smtime import output

    try:
        with output.stdout_errors():
            yield
            output.flush_stdout()
    except SmtimeError as exc:
        # Problems in a file read like a compiler's (FILE:LINE:COL: ...); the rest name smtime.
        prefix = "" if isinstance(exc, InvalidFileError) else f"{PROG}: "
        sys.stderr.writelines(f"{prefix}{line}\n" for line in exc.lines())
        raise typer.Exit(int(exc.exit_code)) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(int(ExitCode.BROKEN_PIPE)) from None


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the final flush cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Inputs(NamedTuple):
    """The files a command reads: its catalogue and, when given, a profile."""

    catalogue: "Catalogue"
    catalogue_path: Path | None
    profile: "LoadedProfile | None"

    def paths(self) -> list[Path]:
        found = [] if self.catalogue_path is None else [self.catalogue_path]
        return found + ([self.profile.path] if self.profile else [])


def _catalogue_path(given: Path | None, profile: "LoadedProfile | None") -> Path | None:
    """--catalogue, else the profile's catalogue, else $SMTIME_CATALOGUE, else bundled (None)."""
    if given is not None:
        return given
    if profile is not None and profile.catalogue_path() is not None:
        return profile.catalogue_path()
    env = os.environ.get(CATALOGUE_ENV)
    return Path(env) if env else None


def _read(catalogue: Path | None, profile: Path | None = None) -> _Inputs:
    from smtime import catalogue as catalogues

    loaded = None
    if profile is not None:
        from smtime import profile as profiles

        loaded = profiles.load(profile)
    path = _catalogue_path(catalogue, loaded)
    cat = catalogues.load(path)
    return _Inputs(cat, path or catalogues.bundled_path(), loaded)


def _language(lang: Language | None, fallback: str | None = None) -> str:
    if lang is not None:
        return lang.value
    return fallback or default_language().value


def _emit(text: str, output: Path | None, inputs: _Inputs, *also: Path) -> None:
    from smtime.output import emit

    emit(text, output, inputs=[*inputs.paths(), *also])


def _show(renderable: Any, output: Path | None, inputs: _Inputs) -> None:
    from smtime.render import table

    if output is None:
        table.render(renderable)
    else:
        _emit(table.to_text(renderable), output, inputs)


def _check_currency(code: str | None) -> None:
    if code is None:
        return
    from smtime.render.numbers import is_currency

    if not is_currency(code.upper()):
        raise UsageError(
            f"--currency: {code!r} is not an ISO 4217 currency code (such as EUR, USD, GBP, CHF)"
        )


def _combine(inputs: _Inputs, asked: Any) -> "Combined":
    """The scenario from the command line and the profile, with the profile's names checked."""
    from smtime.options import combine

    profile = inputs.profile
    if profile is not None:
        from smtime.profile import check_names

        check_names(profile, inputs.catalogue)
    return combine(asked, profile.profile if profile else None)


class _Prepared(NamedTuple):
    """What a scenario command works from: its files, the combined scenario, the language."""

    inputs: _Inputs
    combined: "Combined"
    language: str


def _prepare(
    asked: Any, catalogue: Path | None, profile: Path | None, lang: Language | None
) -> _Prepared:
    """Read the catalogue and profile, combine them with the command line, pick the language."""
    inputs = _read(catalogue, profile)
    combined = _combine(inputs, asked)
    return _Prepared(inputs, combined, _language(lang, combined.lang))


@app.command()
def tasks(
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """List the task families with their actions and weekly hours.

    Example: smtime tasks --lang en --format markdown
    """
    with _reported():
        inputs = _read(catalogue)
        language = _language(lang)
        from smtime.render.json import tasks_data

        if fmt is OutputFormat.TABLE:
            from smtime.render import table

            _show(table.tasks_table(inputs.catalogue, language), output, inputs)
            return
        data = tasks_data(inputs.catalogue, language)
        render: Callable[[], str]
        if fmt is OutputFormat.JSON:
            from smtime.render.json import dumps

            render = lambda: dumps(data)  # noqa: E731
        elif fmt is OutputFormat.CSV:
            from smtime.render.csv import tasks_csv

            render = lambda: tasks_csv(data)  # noqa: E731
        else:
            from smtime.render.markdown import tasks_markdown

            render = lambda: tasks_markdown(data, language)  # noqa: E731
        _emit(render(), output, inputs)


@app.command()
def estimate(
    hypothesis: HypothesisOption = None,
    level: LevelOption = None,
    set_: SetOption = None,
    only: OnlyOption = None,
    exclude: ExcludeOption = None,
    driver: DriverOption = None,
    contingency: ContingencyOption = None,
    profile: ProfileOption = None,
    period: PeriodOption = None,
    weeks_per_year: WeeksOption = None,
    full_time_hours: FullTimeOption = None,
    rate: RateOption = None,
    currency: CurrencyOption = None,
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Estimate the hours of every family and the total, with staff and cost.

    Examples:

    \b
      smtime estimate --hypothesis low --format json | jq .total.hours
      smtime estimate -H low --set blogging=high --set curation=1.5h --contingency 10
      smtime estimate -H mid --period month --rate 55 --currency EUR --lang fr
      smtime estimate --profile acme.yaml --format markdown --output acme.md
    """
    with _reported():
        asked = _asked(
            hypothesis=hypothesis,
            level=level,
            sets=set_,
            only=only,
            exclude=exclude,
            drivers=driver,
            contingency=contingency,
            period=period,
            weeks_per_year=weeks_per_year,
            full_time_hours=full_time_hours,
            rate=rate,
            currency=currency,
        )
        inputs, combined, language = _prepare(asked, catalogue, profile, lang)
        from smtime.core import estimate as run_estimate

        result = run_estimate(catalogue=inputs.catalogue, scenario=combined.scenario)
        assumptions = combined.assumptions
        if fmt is OutputFormat.TABLE:
            from smtime.render import table

            view = table.estimate_table(result, inputs.catalogue, language, assumptions)
            _show(view, output, inputs)
            return
        if fmt is OutputFormat.JSON:
            from smtime.render.json import dumps, estimate_data

            text = dumps(estimate_data(result, language, assumptions, inputs.catalogue))
        elif fmt is OutputFormat.CSV:
            from smtime.render.csv import estimate_csv

            text = estimate_csv(result, assumptions, language)
        else:
            from smtime.render.markdown import estimate_markdown

            text = estimate_markdown(result, assumptions, inputs.catalogue, language)
        _emit(text, output, inputs)


@app.command()
def report(
    hypothesis: HypothesisOption = None,
    level: LevelOption = None,
    set_: SetOption = None,
    only: OnlyOption = None,
    exclude: ExcludeOption = None,
    driver: DriverOption = None,
    contingency: ContingencyOption = None,
    profile: ProfileOption = None,
    period: PeriodOption = None,
    weeks_per_year: WeeksOption = None,
    full_time_hours: FullTimeOption = None,
    rate: RateOption = None,
    currency: CurrencyOption = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="Title of the report [default: the profile's name, else a generic title].",
            show_default=False,
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Write a self-contained HTML report for a client: assumptions, table, chart, actions.

    The page has no external resources (inline CSS and SVG), prints on A4, and escapes every
    text from the catalogue and profile.

    Examples:

    \b
      smtime report -H mid --rate 55 --contingency 10 --title "ACME — social media" -o acme.html
      smtime report --profile acme.yaml --output acme.html
    """
    with _reported():
        asked = _asked(
            hypothesis=hypothesis,
            level=level,
            sets=set_,
            only=only,
            exclude=exclude,
            drivers=driver,
            contingency=contingency,
            period=period,
            weeks_per_year=weeks_per_year,
            full_time_hours=full_time_hours,
            rate=rate,
            currency=currency,
        )
        inputs, combined, language = _prepare(asked, catalogue, profile, lang)
        from smtime.core import estimate as run_estimate
        from smtime.render.report import report_html

        result = run_estimate(catalogue=inputs.catalogue, scenario=combined.scenario)
        name = inputs.profile.profile.name if inputs.profile else None
        html = report_html(
            result, combined.assumptions, inputs.catalogue, language, title=title or name
        )
        _emit(html, output, inputs)


class PlanFormat(StrEnum):
    """Output formats of ``plan``."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    ICS = "ics"
    HLEDGER = "hledger"


class HledgerUnit(StrEnum):
    """How hledger amounts are written."""

    NONE = "none"
    H = "h"


@app.command()
def plan(
    hypothesis: HypothesisOption = None,
    level: LevelOption = None,
    set_: SetOption = None,
    only: OnlyOption = None,
    exclude: ExcludeOption = None,
    driver: DriverOption = None,
    contingency: ContingencyOption = None,
    profile: ProfileOption = None,
    days: Annotated[
        str,
        typer.Option("--days", help="Working days: mon-fri, mon,wed,fri or 1-5."),
    ] = "mon-fri",
    start: Annotated[str, typer.Option("--start", help="Start of the daily window.")] = "09:00",
    end: Annotated[str, typer.Option("--end", help="End of the daily window.")] = "17:00",
    min_block: Annotated[int, typer.Option("--min-block", help="Shortest block, in minutes.")] = 30,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="ics, hledger: the plan starts in the week of this date (YYYY-MM-DD) "
            "[default: next Monday].",
            show_default=False,
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="ics: IANA time zone of the events [default: the system's].",
            show_default=False,
            rich_help_panel=OUTPUT,
        ),
    ] = None,
    hledger_unit: Annotated[
        HledgerUnit,
        typer.Option(
            "--hledger-unit",
            help="hledger: plain hours (as timedot logs) or hours with the h unit (as timeclock).",
            case_sensitive=False,
            rich_help_panel=OUTPUT,
        ),
    ] = HledgerUnit.NONE,
    account: Annotated[
        str,
        typer.Option(
            "--account", help="hledger: parent account of the families.", rich_help_panel=OUTPUT
        ),
    ] = "social-media",
    catalogue: CatalogueOption = None,
    fmt: Annotated[
        PlanFormat,
        typer.Option(
            "--format", "-f", help="Output format.", case_sensitive=False, rich_help_panel=OUTPUT
        ),
    ] = PlanFormat.TABLE,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Turn the weekly budget into a timetable, a calendar (ics) or an hledger budget.

    Without --hypothesis, --level or a profile's scenario, the low hypothesis is planned.

    Examples:

    \b
      smtime plan --hypothesis mid
      smtime plan -H high --days mon-thu --start 08:30 --end 12:30 --min-block 45
      smtime plan --profile acme.yaml --format ics --from 2027-01-04 --tz Europe/Paris -o acme.ics
      smtime plan -H low --format hledger --hledger-unit h > budget.journal
    """
    with _reported():
        from smtime import plan as plans

        asked = _asked(
            hypothesis=hypothesis,
            level=level,
            sets=set_,
            only=only,
            exclude=exclude,
            drivers=driver,
            contingency=contingency,
        )
        window = plans.Window(
            days=plans.parse_days(days),
            start=plans.parse_clock(start),
            end=plans.parse_clock(end),
            min_block=min_block,
        ).checked()
        first_day = _parse_date(from_) if from_ else None
        zone = _zone(tz) if fmt is PlanFormat.ICS else None
        inputs, combined, language = _prepare(asked, catalogue, profile, lang)
        scenario = combined.scenario
        if scenario.default is None:
            from smtime.core import Choice, Hypothesis

            scenario = scenario._replace(default=Choice.of(hypothesis=Hypothesis.LOW))
        from smtime.core import estimate as run_estimate
        from smtime.i18n import word

        result = run_estimate(catalogue=inputs.catalogue, scenario=scenario)
        unplanned = {code: word("contingency", code) for code in ("fr", "en", "es")}
        timetable = plans.make_plan(plans.lines_of(result, unplanned), window)
        name = (inputs.profile.profile.name if inputs.profile else None) or "smtime"
        if fmt is PlanFormat.TABLE:
            from smtime.render.plan import plan_table

            _show(plan_table(timetable, language), output, inputs)
            return
        from smtime.render.plan import warning

        note = warning(timetable, language)
        if note and fmt is not PlanFormat.JSON:
            sys.stderr.write(f"{PROG}: warning: {note}\n")
        if fmt is PlanFormat.JSON:
            from smtime.render.json import dumps
            from smtime.render.plan import plan_data

            chosen = {
                "hypothesis": scenario.hypothesis.value if scenario.hypothesis else None,
                "level": scenario.level,
            }
            text = dumps(plan_data(timetable, language, chosen))
        elif fmt is PlanFormat.MARKDOWN:
            from smtime.render.plan import plan_markdown

            text = plan_markdown(timetable, language)
        elif fmt is PlanFormat.ICS:
            from smtime.render.ics import plan_ics

            assert zone is not None
            text = plan_ics(
                timetable, lang=language, start=first_day or _next_monday(), zone=zone, name=name
            )
        else:
            from smtime.render.hledger import plan_hledger

            unit = None if hledger_unit is HledgerUnit.NONE else hledger_unit.value
            text = plan_hledger(
                timetable, lang=language, account=account, unit=unit, start=first_day, name=name
            )
        _emit(text, output, inputs)


def _parse_date(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--from: {text!r} is not a date such as 2027-01-04") from None


def _next_monday() -> Any:
    from datetime import date, timedelta

    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def _zone(name: str | None) -> str:
    """An IANA time zone name: the one given (checked), else the system's."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name is None:
        try:
            import tzlocal

            name = str(tzlocal.get_localzone_name() or "UTC")
        except Exception:  # no way to tell the system's zone: say so in UTC
            name = "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz: {name!r} is not an IANA time zone such as Europe/Paris") from None
    return name


class TrackerOption(StrEnum):
    """Input formats of ``compare``."""

    AUTO = "auto"
    TIMEWARRIOR = "timewarrior"
    TOGGL = "toggl"
    WATSON = "watson"
    CSV = "csv"


@app.command()
def compare(
    actuals: Annotated[
        Path,
        typer.Argument(
            help="Time-tracker export: timew export JSON, Toggl Track detailed CSV, watson log "
            "--json, or a CSV with date,task,hours.",
            show_default=False,
        ),
    ],
    input_format: Annotated[
        TrackerOption,
        typer.Option(
            "--input-format",
            "-i",
            help="Format of ACTUALS [default: auto, from the content].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = TrackerOption.AUTO,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="TAG=FAMILY",
            help="Count time logged under TAG (tag, project, task or description) as FAMILY. "
            "Repeatable.",
            show_default=False,
        ),
    ] = None,
    hypothesis: HypothesisOption = None,
    level: LevelOption = None,
    set_: SetOption = None,
    only: OnlyOption = None,
    exclude: ExcludeOption = None,
    driver: DriverOption = None,
    profile: ProfileOption = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone that decides the ISO week of each entry [default: the system's].",
            show_default=False,
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="DATETIME",
            help="Running intervals count up to this time (ISO 8601) [default: now].",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Set the time really spent against the budget, per ISO week and per family.

    Tags, projects and descriptions map to families by id, alias or label (case and accents
    do not matter), or through --map. Time that maps to no family is shown as unmapped.

    Examples:

    \b
      timew export | smtime compare - --input-format timewarrior
      smtime compare toggl.csv --map "Newsletter=blogging" --hypothesis mid
      smtime compare frames.json --format json | jq .summary
    """
    with _reported():
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from smtime import actuals as trackers
        from smtime.compare import compare as run_compare
        from smtime.files import decode, read_bytes, read_stdin
        from smtime.options import pairs

        asked = _asked(
            hypothesis=hypothesis,
            level=level,
            sets=set_,
            only=only,
            exclude=exclude,
            drivers=driver,
        )
        zone = ZoneInfo(_zone(tz))
        moment = datetime.now(tz=zone)
        if now is not None:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise UsageError(
                    f"--now: {now!r} is not a date and time such as 2026-11-30T18:00"
                ) from None
            moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
        mapping = dict(pairs(map_ or (), "--map"))
        inputs, combined, language = _prepare(asked, catalogue, profile, lang)
        stdin = str(actuals) == "-"
        name = "<stdin>" if stdin else str(actuals)
        data = read_stdin() if stdin else read_bytes(actuals)
        text = decode(data, name)
        entries = trackers.read(text, trackers.TrackerFormat(input_format.value), name, now=moment)
        from smtime.core import estimate as run_estimate

        scenario = combined.scenario._replace(contingency=None)
        result = run_estimate(catalogue=inputs.catalogue, scenario=scenario)
        comparison = run_compare(
            entries, estimate=result, catalogue=inputs.catalogue, mapping=mapping, zone=zone
        )
        from smtime.render import compare as view

        labels = view.labels_of(inputs.catalogue, language)
        if fmt is OutputFormat.TABLE:
            _show(view.compare_table(comparison, labels, language), output, inputs)
            return
        if fmt is OutputFormat.JSON:
            from smtime.render.json import dumps

            chosen = {
                "hypothesis": scenario.hypothesis.value if scenario.hypothesis else None,
                "level": scenario.level,
            }
            text_out = dumps(view.compare_data(comparison, labels, chosen))
        elif fmt is OutputFormat.CSV:
            text_out = view.compare_csv(comparison, labels)
        else:
            text_out = view.compare_markdown(comparison, labels, language)
        _emit(text_out, output, inputs, *([] if stdin else [actuals]))


@app.command()
def breakdown(
    task: Annotated[
        str,
        typer.Option(
            "--task",
            "-t",
            help="Family id, alias or label; case and accents do not matter (Stratégie = "
            "strategie).",
            show_default=False,
        ),
    ],
    driver: DriverOption = None,
    catalogue: CatalogueOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    lang: LangOption = None,
    output: OutputOption = None,
) -> None:
    """Show one family: its actions, its hours under each hypothesis, its share of the total.

    Example: smtime breakdown --task blogging
    """
    with _reported():
        from smtime.options import pairs, quantity

        drivers = {n: quantity(n, v) for n, v in pairs(driver or (), "--driver")}
        inputs = _read(catalogue)
        from smtime.core import breakdown as run_breakdown
        from smtime.core import find_family

        family = find_family(inputs.catalogue, task)
        result = run_breakdown(catalogue=inputs.catalogue, family=family, drivers=drivers)
        language = _language(lang)
        if fmt is OutputFormat.TABLE:
            from smtime.render import table

            _show(table.breakdown_table(result, language), output, inputs)
            return
        if fmt is OutputFormat.JSON:
            from smtime.render.json import breakdown_data, dumps

            text = dumps(breakdown_data(result, language))
        elif fmt is OutputFormat.CSV:
            from smtime.render.csv import breakdown_csv

            text = breakdown_csv(result, language)
        else:
            from smtime.render.markdown import breakdown_markdown

            text = breakdown_markdown(result, language)
        _emit(text, output, inputs)


class BatchFormat(StrEnum):
    """Output formats of ``batch``."""

    JSONL = "jsonl"
    CSV = "csv"


class ProfilesFormat(StrEnum):
    """Input formats of ``batch``."""

    AUTO = "auto"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"


@app.command()
def batch(
    profiles: Annotated[
        Path,
        typer.Argument(
            help="File of profiles: JSON Lines, CSV or YAML; - reads standard input.",
            show_default=False,
        ),
    ],
    input_format: Annotated[
        ProfilesFormat,
        typer.Option(
            "--input-format",
            "-i",
            help="Format of PROFILES [default: auto: by suffix, else by content].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = ProfilesFormat.AUTO,
    fmt: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one estimate object per line; csv: the estimate rows of every profile.",
            case_sensitive=False,
            rich_help_panel=OUTPUT,
        ),
    ] = BatchFormat.JSONL,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help=(
                "Processes that estimate JSON Lines from a file, in chunks of lines; the output"
                " keeps the order of the profiles [default: every processor for a file of 1 MiB"
                " or more on Linux, else 1]."
            ),
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    lang: LangOption = None,
    output: OutputOption = None,
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
    with _reported():
        _run_batch(profiles, input_format, fmt, jobs, catalogue, lang, output)


def _run_batch(
    profiles: Path,
    input_format: ProfilesFormat,
    fmt: BatchFormat,
    jobs: int | None,
    catalogue: Path | None,
    lang: Language | None,
    output: Path | None,
) -> None:
    import contextlib
    import io

    from smtime import batch as batches
    from smtime.files import unreadable
    from smtime.output import opened

    stdin = str(profiles) == "-"
    name = "<stdin>" if stdin else str(profiles)
    try:
        source: Any = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            if stdin
            else profiles.open(encoding="utf-8-sig", newline="")
        )
    except OSError as exc:
        raise unreadable(name, exc) from None
    with contextlib.ExitStack() as stack:
        if not stdin:
            stack.enter_context(source)
        chosen = batches.InputFormat(input_format.value)
        if chosen is batches.InputFormat.AUTO:
            try:
                head = "" if stdin else source.read(512)
            except UnicodeDecodeError as exc:
                raise _not_utf8(name, exc) from None
            if not stdin:
                source.seek(0)
            chosen = batches.detect(Path(name), head) if not stdin else batches.InputFormat.JSONL
        folder = Path.cwd() if stdin else profiles.parent
        from smtime.portfolio import Portfolio

        runner = Portfolio(
            folder=folder,
            default_catalogue=_catalogue_path(catalogue, None),
            lang=lang.value if lang else None,
        )
        inputs = [] if stdin else [profiles]
        out = stack.enter_context(opened(output, inputs=inputs))
        output_format = batches.OutputFormat(fmt.value)
        if output_format is batches.OutputFormat.CSV:
            batches.csv_header(out)
        binary = stack.enter_context(batches.Binary(out))
        if chosen is not batches.InputFormat.JSONL or stdin or not batches.can_fork():
            jobs = 1
        elif jobs is None:
            large = profiles.stat().st_size >= batches.PARALLEL_BYTES
            jobs = batches.usable_cpus() if large else 1
        try:
            bad = _estimate_batch(stack, source, chosen, name, jobs, runner, output_format, binary)
        except UnicodeDecodeError as exc:
            raise _not_utf8(name, exc) from None
    if bad:
        raise typer.Exit(int(ExitCode.DATA_ERROR))


def _estimate_batch(
    stack: "contextlib.ExitStack[bool | None]",
    source: "TextIO",
    chosen: "batches.InputFormat",
    name: str,
    jobs: int,
    runner: "Portfolio",
    fmt: "batches.OutputFormat",
    binary: "batches.Binary",
) -> int:
    """Estimate every profile of ``source`` with ``jobs`` processes and write them to
    ``binary``; return the number of bad profiles."""
    from smtime import batch as batches

    write = binary.write
    emit = batches.emitter(fmt, write, runner)

    def report(problem: Any) -> None:
        sys.stderr.write(f"{problem}\n")

    if jobs == 1:
        advance = stack.enter_context(_progress())
        return batches.run(batches.records(source, chosen, name), name, emit, report, advance)[1]
    done, bad, read, whole = batches.warm_up(source, name, emit, report)
    if whole:
        return bad
    pool = stack.enter_context(batches.workers(jobs, runner, fmt))
    advance = stack.enter_context(_progress())  # its thread starts after the workers' fork
    if advance is not None:
        advance(done + bad)
    more = batches.run_parallel(source, name, pool, emit, write, report, advance, read + 1)
    return bad + more[1]


def _not_utf8(name: str, exc: UnicodeDecodeError) -> SmtimeError:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return _invalid(name, f"not UTF-8 text (byte 0x{byte})")


def _invalid(name: str, message: str) -> SmtimeError:
    from smtime.errors import Problem

    return InvalidFileError(name, [Problem(name, message)])


@contextmanager
def _progress() -> Iterator[Callable[[int], None] | None]:
    """A progress display on stderr when it is a terminal; nothing (None) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,} profiles"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("batch", total=None)
        yield lambda count: progress.advance(task, count)


@catalogue_app.command("validate")
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue to check [default: --catalogue, $SMTIME_CATALOGUE or the bundled one].",
            show_default=False,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Check a catalogue: list every problem with its line, or say that it is valid.

    Example: smtime catalogue validate my-catalogue.yaml
    """
    with _reported():
        from smtime.catalogue import bundled_path
        from smtime.core import driver_quantities, multiplier

        inputs = _read(path or catalogue)
        cat = inputs.catalogue
        quantities = driver_quantities(cat, {})
        low = sum(f.low * multiplier(f, quantities) for f in cat.families)
        high = sum(f.high * multiplier(f, quantities) for f in cat.families)
        count = len(cat.families)
        shown = inputs.catalogue_path or bundled_path()
        sys.stdout.write(
            f"{shown}: valid ({count} famil{'ies' if count != 1 else 'y'}, "
            f"{low:g}–{high:g} hours a week)\n"
        )


@profile_app.command("init")
def profile_init(output: OutputOption = None) -> None:
    """Write a commented starter profile to stdout or to a file.

    Example: smtime profile init --output acme.yaml
    """
    with _reported():
        from smtime.output import emit
        from smtime.profile import STARTER

        name = output.name if output is not None else "acme.yaml"
        emit(STARTER.format(filename=name), output)


@profile_app.command("validate")
def profile_validate(
    path: Annotated[Path, typer.Argument(help="Profile to check.", show_default=False)],
) -> None:
    """Check a profile and the names it uses against its catalogue.

    Example: smtime profile validate acme.yaml
    """
    with _reported():
        inputs = _read(None, path)
        _combine(inputs, _asked())
        sys.stdout.write(f"{path}: valid\n")


def _asked(**given: Any) -> Any:
    """The scenario options of a command line; values that need no file are checked first, so
    a bad option is a usage error even when the catalogue is missing too."""
    from smtime.options import Asked

    for repeated in ("sets", "only", "exclude", "drivers"):
        given[repeated] = tuple(given.get(repeated) or ())
    _check_currency(given.get("currency"))
    if given.get("level") is not None:
        from smtime.core import check_level

        check_level(given["level"])
    return Asked(**given)


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"{PROG}: {message}\n")
    raise SystemExit(code)


def _for_command(args: list[str]) -> typer.Typer:
    """The app with only the command that ``args`` names (the whole app when it names none).

    Typer builds every command's Click object up front, which costs more start-up than all of
    smtime's own modules; a run needs only one. Help for the whole app still lists them all.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    if name is None or name != args[0]:
        return app
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    lean = typer.Typer(
        name=PROG,
        help=app.info.help,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    lean.registered_callback = app.registered_callback
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.strip("_").replace("_", "-"))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes one message on stderr."""
    from typer.main import get_command

    from smtime import signals
    from smtime.render.escape import visible

    signals.install()
    args = sys.argv[1:] if argv is None else list(argv)
    command = get_command(_for_command(args))
    argv = args
    try:
        result = command.main(args=argv, prog_name=PROG, standalone_mode=False)
    except typer.TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            return int(ExitCode.OK)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message().strip().replace("\n", " ")
        _fail(visible(f"error: {message}{hint}"), exc.exit_code)
    except typer.Abort:
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except signals.Terminated as exc:
        return exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        return int(ExitCode.BROKEN_PIPE)
    except Exception as exc:  # a bug: still one line, never a traceback
        _fail(
            visible(f"internal error: {type(exc).__name__}: {exc} (please report this)"),
            ExitCode.SOFTWARE,
        )
    return result if isinstance(result, int) else int(ExitCode.OK)
