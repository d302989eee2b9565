"""Console examples of README.md and docs/, read with Sybil and run in a shell.

The convention (documented in docs/index.md, "Examples in this manual"):

- a ```console block holds commands, each on a line that starts with ``$ `` (a line ending in
  ``\\`` goes on on the next line), and the output each one prints, stdout and stderr together,
  as a terminal shows them;
- a command with no output under it is run and must succeed, its output is not compared;
- a command with output under it is run and its output compared, line by line (spaces at the
  end of a line and blank lines at the end are not significant). A line that is ``...`` alone
  stands for any number of lines, and ``...`` within a line for any text on that line: that
  is how output that varies (dates, versions, paths, timings) or that is cut short is marked;
- a command must exit 0, unless the next one is ``echo $?``, which shows its status;
- the commands of a block run in one shell (``set -o pipefail``), in a new temporary folder
  that holds a copy of the files of docs/examples/, with a fixed environment (``ENVIRONMENT``);
- a block preceded by ``<!-- not-run: REASON -->`` is not run; only a block with a command
  that runs a program other than the ``RUNNABLE`` ones may be marked so, and any block with
  such a command must be.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from difflib import unified_diff
from pathlib import Path

from sybil import Document, Example, Region, Sybil
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

PROMPT = "$ "
ELLIPSIS = "..."
NOT_RUN = "not-run"
STATUS = "echo $?"
SEPARATORS = frozenset({"|", "||", "&&", ";", "&", "("})
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*")
RUNNABLE = frozenset({"smtime", "cat", "echo", "head", "ls", "mkdir", "jq", "hledger"})
"""The programs a block that is run may use; any other needs ``<!-- not-run -->``."""

ENVIRONMENT = {
    "LANG": "C.UTF-8",
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "TZ": "UTC",
    "SOURCE_DATE_EPOCH": "1796083200",  # 2026-12-01: the DTSTAMP of an iCalendar file
}
"""What every example sees, besides PATH (smtime's own folder first), HOME and the cache."""

MARK = "\x1esmtime-docs-status"
CLOSE = re.compile(r"\s*(?:--+>)?\s*")  # the rest of a marker, up to its block
ENDED = re.compile(f"\n?{MARK} ([0-9]+)\n")
TIMEOUT = 120


@dataclass
class Command:
    """One ``$`` line (with its continuations) and the output shown under it, if any."""

    text: str
    line: int
    output: list[str] = field(default_factory=list)

    def programs(self) -> list[str]:
        """The programs the command runs: the first word of each part of a pipeline or list."""
        lexer = shlex.shlex(self.text, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        found: list[str] = []
        first = True
        for token in lexer:
            if token in SEPARATORS:
                first = True
            elif first and not ASSIGNMENT.fullmatch(token):
                found.append(token)
                first = False
        return found


@dataclass
class Session:
    """A ```console block: its commands, and why it is not run when it is marked so."""

    commands: list[Command]
    not_run: str | None
    path: Path
    line: int

    def name(self) -> str:
        """``README.md:12``: where the block starts, for test ids and messages."""
        return f"{shown(self.path)}:{self.line}"

    def foreign(self) -> list[str]:
        """The commands that run a program other than the ``RUNNABLE`` ones."""
        return [c.text for c in self.commands if set(c.programs()) - RUNNABLE]

    def missing(self) -> list[str]:
        """The programs the block runs that are not installed here."""
        wanted = {p for c in self.commands for p in c.programs()} - {"echo", "smtime"}
        return sorted(p for p in wanted if shutil.which(p) is None)


def shown(path: Path) -> str:
    """A page's path as a message names it: from the top of the repository when it is there."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parse_commands(source: str, first_line: int) -> list[Command]:
    """The commands of a console block whose first line is line ``first_line`` of its page."""
    commands: list[Command] = []
    lines = source.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith(PROMPT):
            command = Command(line[len(PROMPT) :], first_line + index)
            while command.text.endswith("\\") and index + 1 < len(lines):
                index += 1
                command.text += "\n" + lines[index]
            commands.append(command)
        elif commands:
            commands[-1].output.append(line)
        elif line.strip():
            raise ValueError(f"line {first_line + index}: output before any command: {line!r}")
        index += 1
    return commands


class ConsoleParser:
    """A Sybil parser for ```console blocks, each one an example (a ``Session``)."""

    def __call__(self, document: Document) -> Iterable[Region]:
        markers = [
            (region.end, str(region.lexemes["arguments"]).strip())
            for region in DirectiveInHTMLCommentLexer(NOT_RUN)(document)
        ]
        path = Path(document.path)
        for region in FencedCodeBlockLexer("console")(document):
            text = document.text
            line = text.count("\n", 0, region.start) + 1
            reason = next(
                (why for end, why in markers if CLOSE.fullmatch(text, end, region.start)), None
            )
            commands = parse_commands(str(region.lexemes["source"]), line + 1)
            session = Session(commands, reason, path, line)
            yield Region(region.start, region.end, session, evaluate)


SYBIL = Sybil(parsers=[ConsoleParser()])


def sessions() -> Iterator[Session]:
    """Every console block of README.md and docs/*.md, in page order."""
    for page in PAGES:
        for example in SYBIL.parse(page):
            yield example.parsed


def environment(folder: Path, cache: Path | None = None) -> dict[str, str]:
    """The fixed environment of an example run in ``folder``; ``cache`` is the folder of
    smtime's cache of validated catalogues (a new one in ``folder`` without it)."""
    own = Path(sys.executable).parent  # smtime's console script lives beside its interpreter
    return {
        **ENVIRONMENT,
        "PATH": f"{own}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(folder / ".home"),
        "SMTIME_CACHE_DIR": str(cache or folder / ".cache"),
    }


def script(commands: list[Command]) -> str:
    """One shell script that runs the commands and prints a mark with each one's status."""
    lines = ["set -o pipefail", "exec 2>&1"]
    for command in commands:
        lines.append(command.text)
        lines.append(f'__status=$?; printf "\\n{MARK} %d\\n" "$__status"; (exit "$__status")')
    return "\n".join(lines) + "\n"


def run(session: Session, cache: Path | None = None) -> list[tuple[str, int]]:
    """Run the commands of ``session`` in a new folder holding docs/examples/: what each printed,
    with its exit status. Examples may share a ``cache``: it changes no output, only speed."""
    with tempfile.TemporaryDirectory(prefix="smtime-docs-") as name:
        folder = Path(name)
        shutil.copytree(EXAMPLES, folder, dirs_exist_ok=True)
        done = subprocess.run(
            ["bash", "-c", script(session.commands)],
            cwd=folder,
            env=environment(folder, cache),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    parts = ENDED.split(done.stdout)
    printed = [(parts[i], int(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
    if len(printed) != len(session.commands):
        raise AssertionError(f"{session.name()}: the shell stopped early:\n{done.stdout}")
    return printed


def run_all(sessions: list[Session], cache: Path) -> dict[str, list[tuple[str, int]]]:
    """``run`` for each session, one per processor at a time, by ``Session.name``."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = pool.map(lambda session: run(session, cache), sessions)
        return {session.name(): printed for session, printed in zip(sessions, done, strict=True)}


def lines_of(text: str) -> list[str]:
    """Lines without the spaces at their end, and without blank lines at the end."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def pattern(expected: list[str]) -> re.Pattern[str]:
    """The expected lines as a pattern: ``...`` alone is any lines, ``...`` in a line any text."""
    parts = []
    for line in lines_of("\n".join(expected)):
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            literal = re.escape(line).replace(re.escape(ELLIPSIS), r"[^\n]*?")
            parts.append(literal + r"\n")
    return re.compile("".join(parts))


def matches(expected: list[str], printed: str) -> bool:
    """Whether ``printed`` is what ``expected`` shows, under the ellipsis convention."""
    actual = "".join(line + "\n" for line in lines_of(printed))
    return pattern(expected).fullmatch(actual) is not None


def evaluate(example: Example) -> str | None:
    """Sybil's evaluator: run the block, and say what differs from the page (None if nothing)."""
    session: Session = example.parsed
    ran = example.namespace.get("ran", {})
    results = ran.get(session.name()) or run(session, example.namespace.get("cache"))
    failures = []
    for index, (command, (printed, status)) in enumerate(
        zip(session.commands, results, strict=True)
    ):
        status_shown = (
            index + 1 < len(session.commands) and session.commands[index + 1].text == STATUS
        )
        place = f"{shown(session.path)}:{command.line}: $ {command.text}"
        if status != 0 and not status_shown:
            failures.append(f"{place}\nexited {status}:\n{printed}")
        elif command.output and not matches(command.output, printed):
            diff = unified_diff(
                lines_of("\n".join(command.output)),
                lines_of(printed),
                "page",
                "smtime",
                lineterm="",
            )
            failures.append(f"{place}\n" + "\n".join(diff))
    return "\n\n".join(failures) or None
