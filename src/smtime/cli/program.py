"""The ``smtime`` program: the table of its commands, the Typer app built from it (the whole
app, or the lean one of the command a run names), ``main()``, and the one place where errors
become messages on stderr and exit codes.

rich, yaml and pydantic are imported inside the functions that need them, so that
``--version`` and JSON output start as fast as Typer allows.
"""

import functools
import importlib
import os
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand

from smtime.cli import completion
from smtime.cli.options import VersionOption
from smtime.cli.renderers import PROG
from smtime.domain import NamedTuple, OutOfBounds
from smtime.errors import ExitCode, InvalidFileError, SmtimeError
from smtime.signals import Terminated, check, install

try:  # Typer's conversion of a parameter's value (a private module: see defer_conversions)
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - a Typer that converts otherwise
    RuntimeParam = object  # type: ignore[misc,assignment]
    build_runtime_param = None  # type: ignore[assignment]

SETTINGS: dict[str, Any] = {
    "name": PROG,
    "help": (
        "How much time does social media really take? Weekly time budgets for social-media "
        "work, from a catalogue of task families with low and high hypotheses.\n\n"
        "Example: smtime estimate --hypothesis low"
    ),
    "no_args_is_help": True,
    # --install-completion and --show-completion belong to the root; a run that names a
    # command (the lean build below) is never a completion request, which comes with no
    # arguments (the words are in the environment), so only the whole app carries them.
    "add_completion": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,  # help text is plain: [default: …] must not be read as markup
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

GROUPS: dict[str, str] = {
    "catalogue": "Check catalogues.\n\nExample: smtime catalogue validate my-catalogue.yaml",
    "profile": "Client profiles: a named scenario in a YAML file.\n\n"
    "Example: smtime profile init --output acme.yaml",
}
"""The groups of commands, with their help."""

COMMANDS: dict[tuple[str, ...], str] = {
    ("tasks",): "tasks:tasks_command",
    ("estimate",): "estimate:estimate_command",
    ("report",): "report:report_command",
    ("plan",): "plan:plan_command",
    ("compare",): "compare:compare_command",
    ("calibrate",): "calibrate:calibrate_command",
    ("breakdown",): "breakdown:breakdown_command",
    ("batch",): "batch:batch_command",
    ("catalogue", "validate"): "catalogue:catalogue_validate_command",
    ("profile", "init"): "profile:profile_init_command",
    ("profile", "validate"): "profile:profile_validate_command",
}
"""Every command, by its path of names, and its function (``module:function`` of
``smtime.cli.commands``), in the order the help lists them."""


class Ending(NamedTuple):
    """How a run ends after an exception: its exit code, and whether stderr said why."""

    code: int
    said: bool


def _visible(text: str) -> str:
    from smtime.terminal import visible

    return visible(text)


def ending(exc: BaseException) -> Ending:
    """THE map from errors to exit codes: write the message on stderr (the help on stdout
    when a group is called bare) and return the code. Used by every command and by main()."""
    if isinstance(exc, SmtimeError):
        # Problems in a file read like a compiler's (FILE:LINE:COL: ...); the rest name smtime.
        prefix = "" if isinstance(exc, InvalidFileError) else f"{PROG}: "
        sys.stderr.writelines(f"{prefix}{line}\n" for line in exc.lines())
        return Ending(int(exc.exit_code), said=True)
    if isinstance(exc, OutOfBounds):  # a value outside a bound of smtime.domain
        sys.stderr.write(_visible(f"{PROG}: {exc}") + "\n")
        return Ending(int(ExitCode.USAGE), said=True)
    if isinstance(exc, BrokenPipeError):
        from smtime.output import silence_stdout

        silence_stdout()
        return Ending(int(ExitCode.BROKEN_PIPE), said=False)
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        return Ending(int(ExitCode.INTERRUPTED), said=False)
    if isinstance(exc, Terminated):
        return Ending(exc.exit_code, said=False)
    if isinstance(exc, typer.TyperException):
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            from smtime.output import emit

            try:
                emit(ctx.get_help() + "\n", None)
            except (SmtimeError, BrokenPipeError) as failed:  # >&-, > /dev/full, | head
                return ending(failed)
            return Ending(int(ExitCode.OK), said=False)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message().strip().replace("\n", " ")
        sys.stderr.write(_visible(f"{PROG}: {message}{hint}") + "\n")
        return Ending(exc.exit_code, said=True)
    # A bug: still one line, never a traceback.
    bug = f"{PROG}: internal error: {type(exc).__name__}: {exc} (please report this)"
    sys.stderr.write(_visible(bug) + "\n")
    return Ending(int(ExitCode.SOFTWARE), said=True)


def reported(command: Callable[..., None]) -> Callable[..., None]:
    """``command``, with smtime's errors and a closed pipe ended through ``ending``, so that a
    command run by Typer itself (tests, the reference) ends as one run by main()."""

    @functools.wraps(command)
    def run(**given: Any) -> None:
        from smtime.output import flush_stdout, stdout_errors

        try:
            with stdout_errors():
                command(**given)
                flush_stdout()
        except (SmtimeError, OutOfBounds, BrokenPipeError) as exc:
            raise typer.Exit(ending(exc).code) from None

    return run


class _Deferred(RuntimeParam):
    """Typer's conversion of one parameter's value, made when the parameter has one.

    Typer makes a pydantic validator for every parameter of a command as it parses, given or
    not (some half a million machine instructions each; ``estimate`` has 21 parameters).
    Typer's own ``coerce`` still answers for a parameter left unset; a value is converted by
    the validator Typer makes for it then, which also replaces this one."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        param._runtime_param = build_runtime_param(param.type_descriptor)
        return param._runtime_param._coerce_value(value, param=param, ctx=ctx)


def defer_conversions(params: list[Any]) -> None:
    """Make Typer convert only the values given (``_Deferred``); a parameter whose
    conversion Typer already made, or a Typer that converts otherwise, is left as it is."""
    if build_runtime_param is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _Deferred(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )


class Command(TyperCommand):
    """A command whose unknown options are named in plain words, with a suggestion only when
    one of its own options is near (Click would offer ``--rate`` for ``--format``), and
    whose parameters left unset cost no conversion (``defer_conversions``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        defer_conversions(self.params)
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoSuchOption":
                exc.message = unknown_option(str(getattr(exc, "option_name", "")), ctx)
                exc.possibilities = None  # type: ignore[attr-defined]
            raise


def unknown_option(option: str, ctx: Any) -> str:
    """Why ``option`` is refused by the command of ``ctx``: the nearest of its options, if
    one is near."""
    from smtime.core import closest

    command = ctx.command_path
    own = [name for param in ctx.command.params for name in param.opts if name.startswith("--")]
    close = closest(option.lstrip("-"), [name[2:] for name in own], cutoff=0.7)
    if close is not None:
        return f"'{command}' has no option {option}: did you mean --{close}?"
    return f"'{command}' has no option {option}"


def root(version: VersionOption = False) -> None:
    """How much time does social media really take?"""


def command_function(path: tuple[str, ...]) -> Callable[..., None]:
    """The function of the command at ``path`` (in ``COMMANDS``), its module imported."""
    module, _, name = COMMANDS[path].partition(":")
    function: Callable[..., None] = getattr(
        importlib.import_module(f"smtime.cli.commands.{module}"), name
    )
    return function


def build(name: str | None = None) -> typer.Typer:
    """The app with the command or group ``name``, or with every one (None), which alone
    offers --install-completion and --show-completion.

    Typer builds the Click object of every command its app holds, and each command's module
    declares its options as it is imported: a run needs one command, and builds only that.
    """
    app = typer.Typer(**{**SETTINGS, "add_completion": name is None})
    app.callback()(root)
    groups: dict[str, typer.Typer] = {}
    for path in COMMANDS:
        if name is not None and path[0] != name:
            continue
        owner = app
        if len(path) > 1:
            if path[0] not in groups:
                groups[path[0]] = typer.Typer(
                    help=GROUPS[path[0]], no_args_is_help=True, rich_markup_mode=None
                )
                app.add_typer(groups[path[0]], name=path[0])
            owner = groups[path[0]]
        owner.command(path[-1], cls=Command)(reported(command_function(path)))
    return app


@functools.cache
def whole() -> typer.Typer:
    """The app with every command (``smtime --help``, completion, the reference, tests)."""
    return build()


def _for_command(args: list[str]) -> typer.Typer:
    """The app with only the command or group that ``args`` names (the whole app when it
    names none): help for the whole app still lists them all."""
    name = next((a for a in args if not a.startswith("-")), None)
    if name is None or name != args[0] or not any(path[0] == name for path in COMMANDS):
        return whole()
    return build(name)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes one message on stderr (then
    the run ends through SystemExit, as Click's own errors do)."""
    from typer.main import get_command

    from smtime.output import ClosedStdout, flush_stdout, stdout_errors

    install()
    if sys.stderr is None:  # 2>&-: messages have nowhere to go; the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:  # >&-: a write there (the help too) fails, exit 73
        sys.stdout = ClosedStdout()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        command = get_command(_for_command(args))
        if completion.ASKED:
            from smtime.cli.shells import register

            register()  # after Typer's own, which building the whole app registers
        with stdout_errors():  # also what Click writes itself: --help, --version
            result = command.main(args=args, prog_name=PROG, standalone_mode=False)
            flush_stdout()
        check()  # a signal whose exception a finaliser dropped still ends the run as one
    except SystemExit as exc:
        # Typer ends a run whose stdout pipe closed (while it wrote the help, say) with exit
        # 1, after wrapping stdout; the run ends as every closed pipe does here
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            return ending(BrokenPipeError()).code
        raise
    except (Exception, KeyboardInterrupt, Terminated) as exc:
        code, said = ending(exc)
        if said:
            raise SystemExit(code) from None
        return code
    return result if isinstance(result, int) else int(ExitCode.OK)
