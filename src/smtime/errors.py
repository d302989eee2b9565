"""The project's exceptions, each with the exit code the CLI maps it to.

Every line they print goes through ``terminal.visible``: names of files, keys and values
come from files and command lines, and a terminal must never run what they contain.
"""

from enum import IntEnum

from smtime.domain import NamedTuple
from smtime.terminal import visible

MAX_PROBLEMS_SHOWN = 50
"""At most this many problems of one file are printed, then a line that counts the rest."""


class ExitCode(IntEnum):
    """Documented exit codes (see docs/errors.md); 65, 66 and 73 follow sysexits.h."""

    OK = 0
    COMPLETION_REFUSED = 1
    """A shell-completion request with an instruction or shell Typer does not know (Typer's)."""
    USAGE = 2
    DATA_ERROR = 65
    NO_INPUT = 66
    SOFTWARE = 70
    CANNOT_CREATE = 73
    HANGUP = 129
    INTERRUPTED = 130
    BROKEN_PIPE = 141
    TERMINATED = 143


class Problem(NamedTuple):
    """One thing wrong in a file, with its place when the place is known."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return visible(text)


class SmtimeError(Exception):
    """Base of every error smtime reports to a person; never shown as a traceback."""

    exit_code: ExitCode = ExitCode.DATA_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """The lines to print on stderr, control characters made visible."""
        return [visible(self.message)]


class UsageError(SmtimeError):
    """A bad option or value on the command line."""

    exit_code = ExitCode.USAGE


class UnknownFamilyError(UsageError):
    """A family id that matches no family of the catalogue."""

    def __init__(self, query: str, suggestions: list[str], known: list[str]) -> None:
        if suggestions:
            hint = f"did you mean {' or '.join(repr(s) for s in suggestions)}?"
        else:
            hint = f"known families: {', '.join(known)}"
        super().__init__(f"unknown family {query!r}: {hint}")
        self.query = query
        self.suggestions = suggestions


class InputError(SmtimeError):
    """A file that is missing or cannot be read."""

    exit_code = ExitCode.NO_INPUT


class InvalidFileError(SmtimeError):
    """A file that was read but whose content is wrong; carries every problem found, in the
    order of the file (by line, then column; problems of the whole file first)."""

    exit_code = ExitCode.DATA_ERROR

    def __init__(self, file: str, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{file}: {count} problem{'s' if count != 1 else ''} found")
        self.file = file
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))

    def lines(self) -> list[str]:
        """Each problem on its line, the first ``MAX_PROBLEMS_SHOWN`` only, then a count."""
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        rest = len(self.problems) - len(shown)
        if rest > 0:
            more = f"{rest} more problem{'s' if rest != 1 else ''} not shown"
            shown.append(visible(f"{self.file}: {more}"))
        return shown


class OutputError(SmtimeError):
    """An output file that cannot be written."""

    exit_code = ExitCode.CANNOT_CREATE


def calendar_refusal(exc: BaseException, limit: int = 200) -> str:
    """Why icalendar refused a calendar (an export, or a ``--previous`` plan), for a person:
    the first line of its message (at most ``limit`` characters), or its type's name. There a
    file system error can only come from a time zone's lookup (a TZID such as ``Europe``
    read as a zone file): it says so, without the library's paths on this machine."""
    if isinstance(exc, OSError):
        return "a time zone it names, as a TZID, is not known"
    if isinstance(exc, TypeError) and "not supported between instances of" in str(exc):
        # Python's words for comparing a date with a time: dates of different kinds
        return (
            "it mixes kinds of dates that cannot be compared (a time of day alone, a date, a "
            "date and time), as in an RDATE or EXDATE of another kind than its DTSTART"
        )
    text = str(exc)
    return text.splitlines()[0][:limit] if text.strip() else type(exc).__name__
