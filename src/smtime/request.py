"""What a command was asked: its files, scenario, assumptions and language.

A command names a catalogue (or leaves it to the profile, ``$SMTIME_CATALOGUE`` or the bundled
one), maybe a profile, scenario options and a language. This module reads those files,
combines them with the options into a scenario, and computes what each command shows: an
estimate, a plan, a comparison, a breakdown. It knows nothing of the command line's framework,
so a script can call it as the CLI does::

    from smtime import request
    from smtime.options import Asked

    answer = request.estimated(Asked(level=0.5), profile=Path("acme.yaml"))
    answer.result.total.hours
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import smtime.core
import smtime.options
from smtime.domain import NamedTuple
from smtime.errors import UsageError

if TYPE_CHECKING:
    from datetime import date, datetime

    from smtime.actuals import Export
    from smtime.calibration import Calibration
    from smtime.compare import Comparison
    from smtime.domain import Assumptions, Breakdown, Catalogue, Estimate, Scenario
    from smtime.options import Asked, Combined
    from smtime.plan import Line, Plan, Window
    from smtime.profile import LoadedProfile
    from smtime.render.ics import Previous
    from smtime.team import TeamPlan

STDIN = "-"
T = TypeVar("T")


class Inputs(NamedTuple):
    """The files a command reads: its catalogue and, when given, a profile."""

    catalogue: Catalogue
    catalogue_path: Path | None
    profile: LoadedProfile | None

    def paths(self) -> list[Path]:
        """The files read, which an output file must never replace."""
        found = [] if self.catalogue_path is None else [self.catalogue_path]
        return found + ([self.profile.path] if self.profile else [])

    def profile_name(self) -> str | None:
        """The profile's name, when a profile was read and names its client."""
        return self.profile.profile.name if self.profile else None


def catalogue_path(given: Path | None, profile: LoadedProfile | None = None) -> Path | None:
    """--catalogue, else the profile's catalogue, else $SMTIME_CATALOGUE, else bundled (None)."""
    from smtime.catalogue import chosen_path

    if given is None and profile is not None:
        given = profile.catalogue_path()
    return chosen_path(given)


def read(catalogue: Path | None = None, profile: Path | None = None) -> Inputs:
    """Read the profile (when given), then the catalogue it leads to (see ``catalogue_path``)."""
    import smtime.catalogue

    loaded = None
    if profile is not None:
        import smtime.profile  # after smtime.catalogue: ``smtime`` is bound either way

        loaded = smtime.profile.load(profile, catalogue)
    path = catalogue_path(catalogue, loaded)
    found = smtime.catalogue.load(path)
    return Inputs(found, path or smtime.catalogue.bundled_path(), loaded)


def language(given: str | None, fallback: str | None = None) -> str:
    """The language asked for, else ``fallback`` (a profile's), else the locale's, else en."""
    if given is not None:
        return str(given)
    from smtime.i18n import default_language

    return fallback or default_language().value


def combined(inputs: Inputs, asked: Asked) -> Combined:
    """The scenario from the options and the profile, with the profile's names checked."""
    profile = inputs.profile
    if profile is not None:
        from smtime.profile import check_names

        check_names(profile, inputs.catalogue)
    return smtime.options.combine(asked, profile.profile if profile else None)


class Request(NamedTuple):
    """What a scenario command works from: its files, the combined scenario, the language."""

    inputs: Inputs
    combined: Combined
    language: str


def prepared(
    asked: Asked,
    *,
    catalogue: Path | None = None,
    profile: Path | None = None,
    lang: str | None = None,
) -> Request:
    """Read the catalogue and profile, combine them with ``asked``, pick the language."""
    inputs = read(catalogue, profile)
    scenario = combined(inputs, asked)
    return Request(inputs, scenario, language(lang, scenario.lang))


def estimate_inputs(inputs: Inputs, scenario: Scenario) -> Estimate:
    """The estimate of ``scenario`` on the catalogue of ``inputs``."""
    return smtime.core.estimate(catalogue=inputs.catalogue, scenario=scenario)


class Listing(NamedTuple):
    """A catalogue to list (``tasks``), in a language."""

    inputs: Inputs
    language: str

    def paths(self) -> list[Path]:
        return self.inputs.paths()


def listing(catalogue: Path | None = None, lang: str | None = None) -> Listing:
    """The catalogue's families, to list in ``lang`` (else the locale's language)."""
    inputs = read(catalogue)
    return Listing(inputs, language(lang))


class Estimated(NamedTuple):
    """An estimate with what shows it: its request and a title (``estimate``, ``report``)."""

    request: Request
    result: Estimate
    title: str | None

    @property
    def catalogue(self) -> Catalogue:
        return self.request.inputs.catalogue

    @property
    def assumptions(self) -> Assumptions:
        return self.request.combined.assumptions

    @property
    def language(self) -> str:
        return self.request.language

    def paths(self) -> list[Path]:
        return self.request.inputs.paths()


def estimated(
    asked: Asked,
    *,
    catalogue: Path | None = None,
    profile: Path | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> Estimated:
    """Estimate the scenario asked for; the title is ``title``, else the profile's name."""
    request = prepared(asked, catalogue=catalogue, profile=profile, lang=lang)
    result = estimate_inputs(request.inputs, request.combined.scenario)
    return Estimated(request, result, title or request.inputs.profile_name())


def parse_window(days: str, start: str, end: str, min_block: int) -> Window:
    """The weekly window a plan fills, from its text (``mon-fri``, ``09:00``), checked."""
    from smtime import plan

    def read(option: str, parse: Callable[[str], T], text: str) -> T:
        try:
            return parse(text)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc.message}") from None

    return plan.Window(
        days=read("--days", plan.parse_days, days),
        start=read("--start", plan.parse_clock, start),
        end=read("--end", plan.parse_clock, end),
        min_block=min_block,
    ).checked()


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD (--from)."""
    from datetime import date

    from smtime.actuals.entries import FIRST_YEAR, LAST_YEAR

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--from: {text!r} is not a date such as 2027-01-04") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # time zones are known from 1970
        raise UsageError(f"--from: {text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


def first_monday(start: date | None) -> date:
    """The Monday a plan or its calendars start on: ``--from``'s (``start``), else next
    Monday."""
    return start or next_monday()


def next_monday(today: date | None = None) -> date:
    """The Monday after ``today`` (default: the real today): where a calendar starts."""
    from datetime import date, timedelta

    from smtime.plan import monday_of

    return monday_of(today or date.today()) + timedelta(days=7)


def parse_zone(name: str | None) -> str:
    """An IANA time zone name: the one given (checked), else the system's (``system_zone``)."""
    if name is None:
        return system_zone()
    if not is_zone(name):
        raise UsageError(f"--tz: {name!r} is not an IANA time zone such as Europe/Paris")
    return name


def system_zone() -> str:
    """The system's IANA time zone: its name (``Europe/Paris`` where the system names its
    ``posix/`` or ``right/`` copy), else UTC when it cannot be told."""
    try:
        import tzlocal

        name = str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # no way to tell the system's zone: say so in UTC
        return "UTC"
    folder, _, zone = name.partition("/")
    if folder.casefold() in ZONE_COPIES and zone:
        name = zone
    return name if is_zone(name) else "UTC"


def is_zone(name: str) -> bool:
    """Whether ``name`` is a zone of the tz database that Python can read: none of the other
    files of a system's zone folder (``NOT_ZONES``), no folder."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.split("/", 1)[0].casefold() in NOT_ZONES:  # case: macOS's file system
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder (Europe)
        return False
    return True


ZONE_COPIES = frozenset({"posix", "right"})
"""The folders of a system's zone folder that hold a copy of every zone, in lower case."""
NOT_ZONES = frozenset({"localtime", "posixrules", "factory"}) | ZONE_COPIES
"""Files of a system's zone folder that are no zone of the tz database, though ``zoneinfo``
reads them: this machine's zone under another name (``localtime``), copies of every zone
under ``posix/`` and ``right/`` (the latter counting leap seconds, which calendars do not),
and the placeholder ``Factory``; in lower case, as compared. A calendar whose events name
them means nothing elsewhere."""


def parse_moment(now: str | None, zone: str) -> datetime:
    """The time up to which running intervals count: ``now`` (ISO 8601, in ``zone`` when it
    names none), else the present."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    where = ZoneInfo(zone)
    if now is None:
        return datetime.now(tz=where)
    try:
        found = datetime.fromisoformat(now)
    except ValueError:
        raise UsageError(
            f"--now: {now!r} is not a date and time such as 2026-11-30T18:00"
        ) from None
    from smtime.actuals.entries import FIRST_YEAR

    if found.year < FIRST_YEAR:  # no entry could be read before it
        raise UsageError(f"--now: {now!r} is before {FIRST_YEAR}, the first year that is read")
    return found if found.tzinfo else found.replace(tzinfo=where)


def planned_scenario(scenario: Scenario) -> Scenario:
    """The scenario a plan is made for: the low hypothesis when none was chosen."""
    if scenario.default is not None:
        return scenario
    from smtime.domain import Choice, Hypothesis

    return scenario._replace(default=Choice.of(hypothesis=Hypothesis.LOW))


class Planned(NamedTuple):
    """A weekly plan with what its formats need (the calendar's start, zone and previous
    plan; the budgets' account and unit)."""

    request: Request
    plan: Plan
    scenario: Scenario
    name: str
    start: date | None
    zone: str | None
    account: str | None
    unit: str | None
    previous: dict[str, Previous] | None = None
    previous_path: Path | None = None

    @property
    def language(self) -> str:
        return self.request.language

    @property
    def first_day(self) -> date:
        """The Monday the plan starts on (``first_monday``)."""
        return first_monday(self.start)

    def account_or(self, default: str) -> str:
        """The budget's account (--account), else the format's own ``default``."""
        return default if self.account is None else self.account

    def paths(self) -> list[Path]:
        found = self.request.inputs.paths()
        return found + ([] if self.previous_path is None else [self.previous_path])


def planned(
    asked: Asked,
    window: Window,
    *,
    start: date | None = None,
    zone: str | None = None,
    account: str | None = None,
    unit: str | None = None,
    previous: Path | None = None,
    catalogue: Path | None = None,
    profile: Path | None = None,
    lang: str | None = None,
) -> Planned:
    """Estimate the scenario asked for (low when none) and lay it out in ``window``.
    ``previous``: the calendar file written for the plan before (``-``: standard input),
    read to update and cancel its events; ``account`` None: each budget format's own."""
    from smtime import plan

    request, scenario, lines = _plan_lines(asked, catalogue, profile, lang)
    timetable = plan.make_plan(lines, window)
    name = request.inputs.profile_name() or plan.UNNAMED
    events = None if previous is None else previous_events(previous)
    source = None if previous is None or str(previous) == STDIN else previous
    return Planned(request, timetable, scenario, name, start, zone, account, unit, events, source)


def previous_events(path: Path) -> dict[str, Previous]:
    """The events of the calendar file ``plan --format ics`` wrote before, by UID."""
    from smtime.files import decode, read_input
    from smtime.render.ics import MAX_PREVIOUS_BYTES, read_previous

    data, name = read_input(path, limit=MAX_PREVIOUS_BYTES)
    return read_previous(decode(data, name), name)


def _plan_lines(
    asked: Asked, catalogue: Path | None, profile: Path | None, lang: str | None
) -> tuple[Request, Scenario, list[Line]]:
    """The request, the scenario planned (low when none) and the lines of its estimate."""
    from smtime import plan
    from smtime.i18n import Language, translate

    request = prepared(asked, catalogue=catalogue, profile=profile, lang=lang)
    scenario = planned_scenario(request.combined.scenario)
    result = estimate_inputs(request.inputs, scenario)
    unplanned = {code.value: translate("Unplanned work", code.value) for code in Language}
    return request, scenario, plan.lines_of(result, unplanned)


class TeamPlanned(NamedTuple):
    """A weekly budget shared out among a team, with what its calendars need."""

    request: Request
    team: TeamPlan
    scenario: Scenario
    name: str
    start: date | None
    zone: str | None
    team_path: Path

    @property
    def language(self) -> str:
        return self.request.language

    @property
    def first_day(self) -> date:
        """The Monday the calendars start on (``first_monday``)."""
        return first_monday(self.start)

    @property
    def calendar_zone(self) -> str:
        """The calendars' time zone: ``--tz``, else the system's."""
        return self.zone or system_zone()

    def paths(self) -> list[Path]:
        return [*self.request.inputs.paths(), self.team_path]


def team_planned(
    asked: Asked,
    window: Window,
    team: Path,
    *,
    start: date | None = None,
    zone: str | None = None,
    catalogue: Path | None = None,
    profile: Path | None = None,
    lang: str | None = None,
) -> TeamPlanned:
    """Estimate the scenario asked for (low when none) and share it out among the people of
    the team file (``window`` for those who give no days or hours)."""
    from smtime import plan, teamfile
    from smtime.team import share_out

    request, scenario, lines = _plan_lines(asked, catalogue, profile, lang)
    people = teamfile.load(team, request.inputs.catalogue, window)
    name = request.inputs.profile_name() or plan.UNNAMED
    return TeamPlanned(request, share_out(lines, people), scenario, name, start, zone, team)


class ExportOptions(NamedTuple):
    """How to read a time-tracker export (what ``compare`` and ``calibrate`` share): its
    tracker (``auto``: from its shape), text encoding (None: UTF-8), date format (of a CSV),
    the hours a day of an all-day calendar event counts (None: not counted), ``TAG=FAMILY``
    items, the time zone of its weeks (None: the system's) and the moment running entries
    count up to (ISO 8601; None: now)."""

    tracker: str = "auto"
    encoding: str | None = None
    date_format: str = "auto"
    all_day_hours: str | None = None
    mapping: Sequence[str] = ()
    tz: str | None = None
    now: str | None = None


class Tracked(NamedTuple):
    """A time-tracker export as read: its entries and tracker, the file (None: stdin) and
    the name it is reported under; the time zone, the moment and the mapping it was read
    with."""

    export: Export
    source: Path | None
    name: str
    zone: str
    now: datetime
    mapping: dict[str, str]


def tracked(actuals: Path, options: ExportOptions) -> Tracked:
    """Read a time-tracker export (``-``: standard input) as ``options`` say; every option is
    checked before the file is read."""
    from zoneinfo import ZoneInfo

    import smtime.actuals
    from smtime.files import read_input, text_encoding
    from smtime.formats import DateFormat, TrackerFormat

    zone = parse_zone(options.tz)
    now = parse_moment(options.now, zone)
    mapping = dict(smtime.options.pairs(options.mapping, "--map"))
    day_hours = None if options.all_day_hours is None else parse_day_hours(options.all_day_hours)
    if options.encoding is not None:
        text_encoding(options.encoding)
    data, name = read_input(actuals)
    export = smtime.actuals.load(
        data,
        TrackerFormat(options.tracker),
        name,
        now=now,
        zone=ZoneInfo(zone),
        encoding=options.encoding,
        dates=DateFormat(options.date_format),
        all_day_hours=day_hours,
    )
    source = None if str(actuals) == STDIN else actuals
    return Tracked(export, source, name, zone, now, mapping)


class Compared(NamedTuple):
    """Time really spent set against the estimate, and the tracker file it was read from."""

    request: Request
    comparison: Comparison
    scenario: Scenario
    source: Path | None

    @property
    def language(self) -> str:
        return self.request.language

    def paths(self) -> list[Path]:
        return self.request.inputs.paths() + ([] if self.source is None else [self.source])


def compared(
    asked: Asked,
    actuals: Path,
    options: ExportOptions,
    *,
    catalogue: Path | None = None,
    profile: Path | None = None,
    lang: str | None = None,
) -> Compared:
    """Read a time-tracker export (``-``: standard input; see ``tracked``) and compare it, per
    ISO week of its time zone, with the estimate of the scenario asked for (without
    contingency)."""
    from zoneinfo import ZoneInfo

    from smtime.compare import compare

    export = tracked(actuals, options)
    request = prepared(asked, catalogue=catalogue, profile=profile, lang=lang)
    scenario = request.combined.scenario._replace(contingency=None)
    result = estimate_inputs(request.inputs, scenario)
    comparison = compare(
        export.export.entries,
        estimate=result,
        catalogue=request.inputs.catalogue,
        mapping=export.mapping,
        zone=ZoneInfo(export.zone),
    )
    return Compared(request, comparison, scenario, export.source)


class Calibrated(NamedTuple):
    """A catalogue calibrated by tracked time: the base catalogue and the calibration."""

    base: Catalogue
    calibration: Calibration
    language: str
    files: list[Path]

    def paths(self) -> list[Path]:
        return self.files


def calibrated(
    actuals: Path,
    options: ExportOptions,
    *,
    quantiles: str = "20,80",
    min_weeks: int = 4,
    catalogue: Path | None = None,
    lang: str | None = None,
) -> Calibrated:
    """Read a time-tracker export (see ``tracked``) and calibrate the catalogue by its complete
    ISO weeks (``smtime.calibration``): ``quantiles`` such as ``20,80``, at least
    ``min_weeks`` weeks."""
    from zoneinfo import ZoneInfo

    from smtime import calibration
    from smtime.errors import InvalidFileError, Problem

    chosen = calibration.parse_quantiles(quantiles)
    if min_weeks < 2:
        raise UsageError(f"--min-weeks: {min_weeks} is too few: percentiles need 2 weeks or more")
    export = tracked(actuals, options)
    inputs = read(catalogue)
    try:
        result = calibration.calibrate(
            export.export.entries,
            catalogue=inputs.catalogue,
            mapping=export.mapping,
            zone=ZoneInfo(export.zone),
            now=export.now,
            quantiles=chosen,
            min_weeks=min_weeks,
            source=export.source.name if export.source is not None else export.name,
            tracker=str(export.export.tracker),
        )
    except calibration.TooFewWeeks as exc:
        raise InvalidFileError(export.name, [Problem(export.name, exc.message)]) from None
    return Calibrated(
        base=inputs.catalogue,
        calibration=result,
        language=language(lang),
        files=inputs.paths() + ([] if export.source is None else [export.source]),
    )


def parse_day_hours(text: str) -> float:
    """The hours a day of an all-day event counts (--all-day-hours): more than 0, at most 24."""
    from smtime.actuals.cells import hours

    try:
        value = hours(text, "--all-day-hours")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not 0 < value <= 24:
        raise UsageError(f"--all-day-hours: {text!r} is not more than 0 and at most 24 hours")
    return value


class BrokenDown(NamedTuple):
    """One family's breakdown, in a language."""

    inputs: Inputs
    result: Breakdown
    language: str

    def paths(self) -> list[Path]:
        return self.inputs.paths()


def broken_down(
    task: str,
    drivers: Sequence[str] = (),
    *,
    catalogue: Path | None = None,
    lang: str | None = None,
) -> BrokenDown:
    """The family ``task`` names (id, alias or label): its actions and hours under each
    hypothesis with the quantities of ``drivers`` (``NAME=QTY`` items)."""
    quantities = {
        n: smtime.options.quantity(n, v) for n, v in smtime.options.pairs(drivers, "--driver")
    }
    inputs = read(catalogue)
    family = smtime.core.find_family(inputs.catalogue, task)
    result = smtime.core.breakdown(catalogue=inputs.catalogue, family=family, drivers=quantities)
    return BrokenDown(inputs, result, language(lang))


def catalogue_summary(catalogue: Path | None = None) -> str:
    """Check a catalogue and say so in one line: its file, families and weekly hours."""
    inputs = read(catalogue)
    found = inputs.catalogue
    from smtime.domain import catalogue_range, default_quantities
    from smtime.i18n import default_language, translate_plural
    from smtime.render.numbers import decimal

    low, high, _ = catalogue_range(found, default_quantities(found))
    count = len(found.families)
    lang = default_language().value
    return translate_plural(
        "{path}: valid ({count} family, {low}–{high} hours a week)",
        "{path}: valid ({count} families, {low}–{high} hours a week)",
        count,
        lang,
        path=inputs.catalogue_path,
        count=count,
        low=decimal(low, lang, 6),
        high=decimal(high, lang, 6),
    )


def profile_summary(profile: Path) -> str:
    """Check a profile and the names it uses against its catalogue; say so in one line."""
    from smtime.i18n import default_language, translate

    combined(read(None, profile), smtime.options.NOTHING_ASKED)
    return translate("{path}: valid", default_language().value, path=profile)


def starter_profile(
    target: Path | None = None, lang: str | None = None, period: str | None = None
) -> str:
    """A commented starter profile in ``lang`` (else the locale's language), with ``period``
    (else week), naming the file it is written to (else acme.yaml)."""
    from smtime.output import names_stdout
    from smtime.profile import starter

    filename = "acme.yaml" if target is None or names_stdout(target) else target.name
    return starter(filename, language(lang), period or "week")
