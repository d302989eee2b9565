"""The options that commands share, each declared once, and the groups they form; an option
that only one command has is declared in that command's module (``smtime.cli.commands``).

``@scenario_options(...)`` puts the scenario options (``--hypothesis`` … ``--currency``, with
``--profile``) in place of a command's ``asked`` parameter and hands the command one
``smtime.options.Asked`` and the profile's path; ``@output_options(...)`` puts ``--catalogue``,
``--format``, ``--lang`` and ``--output`` in place of its ``out`` parameter and hands it one
``Output``. Typer reads the command's ``__signature__`` and ``__annotations__``, so help,
names and defaults are those declared here, in the order of the command's own signature.

Each option that takes a number or one of a few names reads it with a parser of its own
(``number``, ``whole``, ``choice``): numbers as people type them (``55,5``, ``10 %``), names
with a "did you mean"; a value refused is an ``OptionError``, one line naming the option.
"""

import functools
import inspect
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from smtime import __version__, domain
from smtime.cli import completion
from smtime.cli.renderers import (
    PROG,
    DataFormat,
)
from smtime.core import refused_name
from smtime.domain import (
    SAFE_INTEGER,
    Bound,
    Hypothesis,
    NamedTuple,
    OutOfBounds,
    Period,
    read_number,
)
from smtime.i18n import Language
from smtime.options import Asked, check_asked


class OptionError(typer.BadParameter):
    """A value an option does not accept, shown as ``--option: why, and what to write``
    (Click adds no words of its own around it)."""

    def format_message(self) -> str:
        names = list(getattr(self.param, "opts", None) or [])
        name = max(names, key=len) if names else ""  # the long form: --hypothesis, not -H
        return f"{name}: {self.message}" if name else self.message


def number(bound: Bound) -> Callable[[str], float]:
    """The parser of an option whose value is a number within ``bound``, typed as people type
    numbers (``domain.Bound.read``: ``55.5``, ``55,5``; ``10 %`` for a percentage)."""

    def parse(text: str) -> float:
        try:
            return bound.read(text)
        except OutOfBounds as exc:
            raise OptionError(str(exc)) from None

    return parse


def path(text: str | Path) -> Path:
    """The parser of an option or argument that names a file or folder: an empty name (an
    unset variable in a script, ``-o "$OUT"``) is refused as such, never read as ``.``."""
    if isinstance(text, Path):  # a default
        return text
    if not text:
        raise OptionError("empty: give a path")
    if text != "-" and str(Path(text)) == "-":  # ./-: a file named -, not standard output
        return Path.cwd() / "-"
    return Path(text)


PATH: dict[str, Any] = {"parser": path, "metavar": "<path>"}
"""What every option naming a file or folder declares (those with a metavar of their own,
and the arguments, whose metavar is their name: ``parser=path``)."""


def whole(text: str | int) -> int:
    """The parser of an option whose value is a whole number (``--min-block``, ``--jobs``)."""
    if isinstance(text, int):  # the declared default
        return text
    try:
        value = read_number(text)
    except OutOfBounds as exc:
        raise OptionError(str(exc)) from None
    if not value.is_integer():
        raise OptionError(f"{text.strip()!r} is not a whole number")
    if abs(value) >= SAFE_INTEGER:  # beyond, a float no longer holds every whole number
        raise OptionError(f"{text.strip()!r} is too large a number")
    return int(value)


Choice = TypeVar("Choice", bound=StrEnum)


def choice(kind: type[Choice]) -> Callable[[str], Choice]:
    """The parser of an option whose value is one of ``kind`` (case aside); another value is
    refused with the nearest one, else the list of those accepted (``core.refused_name``)."""

    def parse(text: str) -> Choice:
        wanted = text.strip().lower()
        for member in kind:
            if member.value == wanted:
                return member
        raise OptionError(refused_name(text, [member.value for member in kind]))

    return parse


def choice_of(kind: type[Choice]) -> dict[str, Any]:
    """What an option whose value is one of ``kind`` is declared with: its parser
    (``choice``) and the shell completion of its values."""
    return {"parser": choice(kind), "autocompletion": completion.asked(completion.values(kind))}


SCENARIO = "Scenario"
MONEY = "Period, staff and cost"
OUTPUT = "Output"


class Declared(NamedTuple):
    """One option of a shared group: its parameter name, its Typer annotation, its default."""

    name: str
    annotation: Any
    default: Any = None


class Defaults(NamedTuple):
    """The help of ``--catalogue`` and ``--lang``, which says what they default to: that
    depends on whether the command reads a profile, or a file of them."""

    catalogue: str
    lang: str


_ENVIRONMENT = "$SMTIME_CATALOGUE, else the bundled one"
_LOCALE = "from LC_ALL/LC_MESSAGES/LANG, else en"
WITHOUT_PROFILE = Defaults(
    catalogue=f"Catalogue file (YAML) [default: {_ENVIRONMENT}].",
    lang=f"Language of labels and headers [default: {_LOCALE}].",
)
WITH_PROFILE = Defaults(
    catalogue=f"Catalogue file (YAML) [default: the profile's, else {_ENVIRONMENT}].",
    lang=f"Language of labels and headers [default: the profile's, else {_LOCALE}].",
)
PER_PROFILE = Defaults(
    catalogue=f"Catalogue of the profiles that name none [default: {_ENVIRONMENT}].",
    lang=f"Language of labels and headers, for every profile [default: each profile's, "
    f"else {_LOCALE}].",
)


def catalogue_option(help: str) -> Any:
    """``--catalogue``/``-c``, with ``help`` (which says what it defaults to)."""
    return typer.Option("--catalogue", "-c", **PATH, help=help, show_default=False)


def _lang(help: str) -> Any:
    return typer.Option(
        "--lang",
        "-l",
        **choice_of(Language),
        help=help,
        show_default=False,
        rich_help_panel=OUTPUT,
    )


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        **PATH,
        help="Write to this file (atomically) instead of stdout.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]


def show_version(value: bool) -> None:
    """Print the version and end the run (the eager callback of --version)."""
    if value:
        from smtime.output import stdout

        stdout().write(f"{PROG} {__version__}\n")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", "-V", help="Show the version and exit.", callback=show_version, is_eager=True
    ),
]


def format_option(kind: type[StrEnum], default: StrEnum, help: str = "Output format.") -> Declared:
    """``--format``/``-f``, with the formats ``kind`` and their ``default``: one declaration
    for every command, whatever its formats."""
    option = typer.Option("--format", "-f", help=help, **choice_of(kind), rich_help_panel=OUTPUT)
    return Declared("fmt", Annotated[kind, option], default)


DATA_FORMAT = format_option(DataFormat, DataFormat.TABLE)
SPREADSHEET = "xlsx: a spreadsheet whose totals are formulas, to --output or a redirection."

RANGE = "the low–high range"


def hypothesis_option(without: str = RANGE) -> Declared:
    """``--hypothesis``/``-H``; ``without`` says what the command does without a scenario."""
    option = typer.Option(
        "--hypothesis",
        "-H",
        **choice_of(Hypothesis),
        help="low (small organisation that must be present), high (effective social-media "
        f"flow) or mid (halfway). Without it: {without}.",
        show_default=False,
        rich_help_panel=SCENARIO,
    )
    return Declared("hypothesis", Annotated[Hypothesis | None, option])


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

PeriodOption = Annotated[
    Period | None,
    typer.Option(
        "--period",
        **choice_of(Period),
        help="Period of the figures [default: week].",
        show_default=False,
        rich_help_panel=MONEY,
    ),
]

# The scenario options, in their order on every command; the first of each pair is the field
# of ``Asked`` (or ``profile``) the option fills.
SCENARIO_OPTIONS: dict[str, Declared] = {
    "hypothesis": hypothesis_option(),
    "level": Declared(
        "level",
        Annotated[
            float | None,
            typer.Option(
                "--level",
                parser=number(domain.LEVEL),
                help="A level between 0 (low) and 1 (high), instead of --hypothesis.",
                show_default=False,
                rich_help_panel=SCENARIO,
            ),
        ],
    ),
    "sets": Declared(
        "set_",
        Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                "-s",
                metavar="FAMILY=VALUE",
                help="One family's level: low, mid, high, 0 to 1, or weekly hours such as 1.5h. "
                "Repeatable.",
                show_default=False,
                rich_help_panel=SCENARIO,
                autocompletion=completion.asked(completion.settings),
            ),
        ],
    ),
    "only": Declared(
        "only",
        Annotated[
            list[str] | None,
            typer.Option(
                "--only",
                metavar="ID,ID",
                help="Keep only these families.",
                show_default=False,
                rich_help_panel=SCENARIO,
                autocompletion=completion.asked(completion.family_lists),
            ),
        ],
    ),
    "exclude": Declared(
        "exclude",
        Annotated[
            list[str] | None,
            typer.Option(
                "--exclude",
                metavar="ID,ID",
                help="Leave these families out.",
                show_default=False,
                rich_help_panel=SCENARIO,
                autocompletion=completion.asked(completion.family_lists),
            ),
        ],
    ),
    "drivers": Declared("driver", DriverOption),
    "contingency": Declared(
        "contingency",
        Annotated[
            float | None,
            typer.Option(
                "--contingency",
                parser=number(domain.CONTINGENCY),
                metavar="PERCENT",
                help="Add unplanned work as its own line: this percentage of the subtotal.",
                show_default=False,
                rich_help_panel=SCENARIO,
            ),
        ],
    ),
    "capacity": Declared(
        "capacity",
        Annotated[
            str | None,
            typer.Option(
                "--capacity",
                metavar="HOURS",
                help="Hours a week available for the work, such as 6 or 2x15h (two people, "
                "15 hours each): shows what they cover and what is dropped.",
                show_default=False,
                rich_help_panel=SCENARIO,
            ),
        ],
    ),
    "priority": Declared(
        "priority",
        Annotated[
            list[str] | None,
            typer.Option(
                "--priority",
                metavar="ID,ID",
                help="Families a capacity covers first, in this order (then the catalogue's).",
                show_default=False,
                rich_help_panel=SCENARIO,
            ),
        ],
    ),
    "profile": Declared(
        "profile",
        Annotated[
            Path | None,
            typer.Option(
                "--profile",
                "-p",
                **PATH,
                help="Client profile (YAML); options on the command line override it.",
                show_default=False,
                rich_help_panel=SCENARIO,
            ),
        ],
    ),
    "period": Declared("period", PeriodOption),
    "weeks_per_year": Declared(
        "weeks_per_year",
        Annotated[
            float | None,
            typer.Option(
                "--weeks-per-year",
                parser=number(domain.WEEKS_PER_YEAR),
                help="Working weeks in a year [default: 52; 47 leaves five weeks of leave].",
                show_default=False,
                rich_help_panel=MONEY,
            ),
        ],
    ),
    "full_time_hours": Declared(
        "full_time_hours",
        Annotated[
            float | None,
            typer.Option(
                "--full-time-hours",
                parser=number(domain.FULL_TIME_HOURS),
                help="Weekly hours of one full-time person (1 to 168), for FTE [default: 35].",
                show_default=False,
                rich_help_panel=MONEY,
            ),
        ],
    ),
    "rate": Declared(
        "rate",
        Annotated[
            float | None,
            typer.Option(
                "--rate",
                parser=number(domain.RATE),
                metavar="AMOUNT",
                help="Hourly rate, to show the cost of the period.",
                show_default=False,
                rich_help_panel=MONEY,
            ),
        ],
    ),
    "currency": Declared(
        "currency",
        Annotated[
            str | None,
            typer.Option(
                "--currency",
                metavar="CODE",
                help="ISO 4217 currency code of the rate [default: EUR].",
                show_default=False,
                rich_help_panel=MONEY,
            ),
        ],
    ),
}


# What a command that sets no period, staff or cost takes (plan), and one that adds no
# contingency either (compare).
CHOICE = ("hypothesis", "level", "sets", "only", "exclude", "drivers")
PLANNED = (*CHOICE, "contingency")

# Options of single commands, declared here with the others.
ActualsArgument = Annotated[
    Path,
    typer.Argument(
        parser=path,
        help="Time-tracker export: timew export, watson log --json (or Watson's frames file), "
        "a Toggl Track, Clockify, Harvest or Kimai CSV, an iCalendar file, or a CSV with the "
        "header date,task,hours; - reads standard input.",
        show_default=False,
    ),
]


class Output(NamedTuple):
    """The output group of a command line: catalogue, format, language and file to write."""

    catalogue: Path | None
    format: str
    lang: str | None
    output: Path | None


Command = Callable[..., None]
KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _grouped(
    placeholder: str,
    declared: list[Declared],
    build: Callable[[dict[str, Any]], dict[str, Any]],
    hidden: tuple[str, ...] = (),
) -> Callable[[Command], Command]:
    """A decorator that puts the options ``declared`` in place of the command's parameter
    ``placeholder`` (and hides its parameters ``hidden``), then calls the command with
    ``build(values of the options)``, which fills the placeholder and the hidden ones.

    A command shows one of the options elsewhere by naming it as a parameter of its own: the
    option takes that parameter's place (``batch`` shows ``--jobs`` before ``--catalogue``),
    and its value reaches the command both as that parameter and in the group.
    """

    def option(d: Declared) -> inspect.Parameter:
        return inspect.Parameter(d.name, KEYWORD, default=d.default, annotation=d.annotation)

    def decorate(command: Command) -> Command:
        own = {n: p for n, p in inspect.signature(command).parameters.items() if n not in hidden}
        params: list[inspect.Parameter] = []
        for param in own.values():
            if param.name == placeholder:
                params += [option(d) for d in declared if d.name not in own]
            elif any(d.name == param.name for d in declared):
                params += [option(d) for d in declared if d.name == param.name]
            else:
                params.append(param.replace(kind=KEYWORD))
        names = [d.name for d in declared]
        placed = [name for name in names if name in own]

        @functools.wraps(command)
        def run(**given: Any) -> None:
            group = {name: given[name] for name in names}
            kept = {k: v for k, v in given.items() if k not in names or k in placed}
            command(**kept, **build(group))

        run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate


def scenario_options(*fields: str, without: str = RANGE) -> Callable[[Command], Command]:
    """Put the scenario options ``fields`` (default: all), with ``--profile``, in place of the
    command's ``asked`` parameter; the command receives ``asked`` (an ``Asked``, checked) and
    ``profile`` (a path or None). ``without``: what the command does without a scenario."""
    options = {**SCENARIO_OPTIONS, "hypothesis": hypothesis_option(without)}
    chosen = [d for f, d in options.items() if not fields or f in fields or f == "profile"]
    fields_of = {d.name: f for f, d in SCENARIO_OPTIONS.items()}

    def build(values: dict[str, Any]) -> dict[str, Any]:
        profile = values.pop("profile")
        given = {fields_of[name]: value for name, value in values.items()}
        for repeated in ("sets", "only", "exclude", "drivers", "priority"):
            if repeated in given:
                given[repeated] = tuple(given[repeated] or ())
        return {"asked": check_asked(Asked(**given)), "profile": profile}

    return _grouped("asked", chosen, build, hidden=("profile",))


def output_options(
    fmt: Declared | None = DATA_FORMAT, *, defaults: Defaults
) -> Callable[[Command], Command]:
    """Put ``--catalogue``, ``--format`` (``fmt``; None: no choice of format), ``--lang`` and
    ``--output`` in place of the command's ``out`` parameter; it receives one ``Output``.
    ``defaults``: the help of ``--catalogue`` and ``--lang``, as the command reads profiles."""
    declared = [
        Declared("catalogue", Annotated[Path | None, catalogue_option(defaults.catalogue)]),
        *([fmt] if fmt is not None else []),
        Declared("lang", Annotated[Language | None, _lang(defaults.lang)]),
        Declared("output", OutputOption),
    ]

    def build(values: dict[str, Any]) -> dict[str, Any]:
        lang = values["lang"]
        chosen = values.get("fmt")
        return {
            "out": Output(
                catalogue=values["catalogue"],
                format="" if chosen is None else str(chosen),
                lang=None if lang is None else str(lang),
                output=values["output"],
            )
        }

    return _grouped("out", declared, build)


def export_options() -> Callable[[Command], Command]:
    """Put the options of reading a time-tracker export (``--tracker``, ``--map``,
    ``--encoding``, ``--date-format``, ``--all-day-hours``, ``--tz``, ``--now``) in place of
    the command's ``export`` parameter; it receives one ``request.ExportOptions``."""
    from smtime import formats
    from smtime.request import ExportOptions

    tracker = Annotated[
        formats.TrackerFormat,
        typer.Option(
            "--tracker",
            "--input-format",
            "-i",
            **choice_of(formats.TrackerFormat),
            help="The tracker ACTUALS comes from [default: auto, from its content]; "
            "--input-format is the former name.",
            show_default=False,
        ),
    ]
    mapping = Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="TAG=FAMILY",
            help="Count time logged under TAG (tag, project, task, client, description or event "
            "summary) as FAMILY. Repeatable.",
            show_default=False,
            autocompletion=completion.asked(completion.mapped),
        ),
    ]
    encoding = Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="Text encoding of ACTUALS, such as cp1252, latin-1 or utf-16 [default: UTF-8].",
            show_default=False,
        ),
    ]
    date_format = Annotated[
        formats.DateFormat,
        typer.Option(
            "--date-format",
            **choice_of(formats.DateFormat),
            help="How ACTUALS writes its dates: iso (2026-12-31), dmy (31/12/2026) or mdy "
            "(12/31/2026) [default: auto: from the dates, refusing a file where either reads].",
            show_default=False,
        ),
    ]
    all_day_hours = Annotated[
        str | None,
        typer.Option(
            "--all-day-hours",
            metavar="HOURS",
            help="ics: count each day of an all-day event as HOURS (such as 7 or 7:30) "
            "[default: all-day events are not counted].",
            show_default=False,
        ),
    ]
    zone = Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Time zone that decides the ISO week of each entry, and of the times an export "
            "writes without one [default: the system's].",
            show_default=False,
        ),
    ]
    now = Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="DATETIME",
            help="Running entries count up to this time, and calendar events after it not at all "
            "(ISO 8601) [default: now].",
            show_default=False,
        ),
    ]
    declared = [
        Declared("tracker", tracker, formats.TrackerFormat.AUTO),
        Declared("map_", mapping),
        Declared("encoding", encoding),
        Declared("date_format", date_format, formats.DateFormat.AUTO),
        Declared("all_day_hours", all_day_hours),
        Declared("tz", zone),
        Declared("now", now),
    ]

    def build(values: dict[str, Any]) -> dict[str, Any]:
        return {
            "export": ExportOptions(
                tracker=str(values["tracker"]),
                encoding=values["encoding"],
                date_format=str(values["date_format"]),
                all_day_hours=values["all_day_hours"],
                mapping=tuple(values["map_"] or ()),
                tz=values["tz"],
                now=values["now"],
            )
        }

    return _grouped("export", declared, build)
