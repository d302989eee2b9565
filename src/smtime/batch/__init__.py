"""Batch estimates: many profiles in, one estimate per profile out, in one streaming pass.

Profiles come from JSON Lines (one object per line), CSV (one profile per row, the columns of
docs/batch.md) or YAML (a list of profiles, or a stream of documents separated by ``---``).
Each is validated, estimated and written as ``smtime estimate --profile P --format json``
does (``estimating``); a bad one is reported with its line number and skipped, and the
others are still estimated, in their order. ``run_file`` is the ``batch`` command.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from smtime.errors import Problem, UsageError
from smtime.formats import InputFormat, OutputFormat

if TYPE_CHECKING:
    from smtime.batch.estimating import Estimator

__all__ = [
    "MAX_REPORTED",
    "PARALLEL_BYTES",
    "InputFormat",
    "OutputFormat",
    "run_file",
]

BATCH_CSV_COLUMNS = ("profile", "line")
PARALLEL_BYTES = 1 << 20
"""The size from which a file of JSON Lines is estimated by several processes by default."""
MAX_REPORTED = 100
"""Problems printed at most; the others are counted in one last line."""


def run_file(
    profiles: Path,
    *,
    input_format: str,
    output_format: str,
    jobs: int | None,
    catalogue: Path | None,
    lang: str | None,
    output: Path | None,
) -> int:
    """Estimate every profile of ``profiles`` (``-``: standard input) and write them to
    ``output`` (None or ``-``: standard output); return the number of bad profiles.

    ``jobs`` None picks one process, or one per processor for a file of JSON Lines of
    ``PARALLEL_BYTES`` or more. Raises ``SmtimeError`` for what stops the batch as a whole:
    an unreadable file of profiles, an invalid default catalogue (``catalogue``, else
    ``$SMTIME_CATALOGUE``, else the bundled one), an output that cannot be written or is one
    of those inputs, a ``jobs`` out of bounds. A signal turned into an exception
    (``smtime.signals``) leaves the output file as it was and ends the workers."""
    from smtime.batch import workers as pool
    from smtime.batch.estimating import Estimator
    from smtime.files import stdin_bytes
    from smtime.output import names_stdout

    chosen = InputFormat(input_format)
    fmt = OutputFormat(output_format)
    limit = pool.JOBS_PER_CPU * pool.usable_cpus()
    if jobs is not None and not 1 <= jobs <= limit:
        raise UsageError(
            f"--jobs: {jobs} is out of bounds: from 1 to {limit} "
            f"({pool.JOBS_PER_CPU} times the processors here)"
        )
    stdin = str(profiles) == "-"
    name = "<stdin>" if stdin else str(profiles)
    from smtime.catalogue import chosen_path, resolve_path

    default = chosen_path(catalogue)  # None: the bundled one
    with contextlib.ExitStack() as stack:
        source = _peekable(stdin_bytes()) if stdin else stack.enter_context(_opened(profiles, name))
        if chosen is InputFormat.AUTO:
            from smtime.batch.read import detect

            chosen = detect(None if stdin else profiles, source.peek(512)[:512])
        estimator = Estimator(
            folder=Path.cwd() if stdin else profiles.parent,
            default_catalogue=default,
            lang=lang,
            output_format=fmt,
            output=None if names_stdout(output) else output,
        )
        estimator.default()
        from smtime.output import opened

        inputs = [resolve_path(default)] + ([] if stdin else [profiles])
        write = _bytes_writer(stack.enter_context(opened(output, inputs=inputs)))
        if fmt is OutputFormat.CSV:
            write(_csv_header())
        report = stack.enter_context(_reporter(name))
        if chosen is not InputFormat.JSONL or not pool.can_fork():
            jobs = 1
        elif jobs is None:
            jobs = pool.usable_cpus() if _size(source) >= PARALLEL_BYTES else 1
        return _estimate(stack, source, chosen, name, jobs, estimator, write, report)
    raise AssertionError("unreachable")  # pragma: no cover (for mypy: ExitStack may swallow)


def _estimate(
    stack: contextlib.ExitStack[Any],
    source: IO[bytes],
    chosen: InputFormat,
    name: str,
    jobs: int,
    estimator: Estimator,
    write: Callable[[bytes], Any],
    report: Callable[[Problem], Any],
) -> int:
    """Estimate every profile of ``source`` with ``jobs`` processes; the number of bad ones."""
    from smtime.batch import workers as pool
    from smtime.batch.estimating import run
    from smtime.batch.read import lines, records

    if jobs == 1:
        advance = stack.enter_context(_progress(estimator.lang))
        return run(records(source, chosen, name), name, estimator, write, report, advance)[1]
    executor = stack.enter_context(pool.workers(jobs, estimator, name))
    # the progress display's thread starts after the workers' fork
    advance = stack.enter_context(_progress(estimator.lang))
    more = pool.run_parallel(lines(source), name, executor, jobs, estimator, write, report, advance)
    return more[1]


@contextlib.contextmanager
def _opened(path: Path, name: str) -> Iterator[io.BufferedReader]:
    from smtime.files import open_input

    with open_input(path, mode="rb") as handle:
        assert isinstance(handle, io.BufferedReader)
        yield handle


def _peekable(stream: Any) -> io.BufferedReader:
    """``stream``, or a buffer over it that can peek (for the tests' standard input)."""
    if hasattr(stream, "peek"):
        return stream  # type: ignore[no-any-return]
    return io.BufferedReader(stream)


def _size(source: IO[bytes]) -> int:
    """The size of a regular file; 0 for a pipe or a terminal."""
    import stat

    try:
        status = os.fstat(source.fileno())
    except (OSError, ValueError):
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


def _bytes_writer(out: TextIO) -> Callable[[bytes], Any]:
    """What writes UTF-8 bytes to ``out``: to the bytes under it when it writes UTF-8, else
    decoded."""
    import codecs

    buffer = getattr(out, "buffer", None)
    if buffer is not None and codecs.lookup(getattr(out, "encoding", None) or "ascii").name == (
        "utf-8"
    ):
        out.flush()
        return buffer.write  # type: ignore[no-any-return]
    return lambda data: out.write(data.decode())


def _csv_header() -> bytes:
    """The header row of a batch's CSV output."""
    from smtime.render.csv import ESTIMATE_COLUMNS

    return (",".join([*BATCH_CSV_COLUMNS, *ESTIMATE_COLUMNS]) + "\n").encode()


@contextlib.contextmanager
def _reporter(name: str) -> Iterator[Callable[[Problem], None]]:
    """What prints a problem on stderr, the first ``MAX_REPORTED``; then how many others."""
    count = 0

    def report(problem: Problem) -> None:
        nonlocal count
        count += 1
        if count <= MAX_REPORTED:
            sys.stderr.write(f"{problem}\n")

    try:
        yield report
    finally:
        if count > MAX_REPORTED:
            others = count - MAX_REPORTED
            sys.stderr.write(
                f"{name}: {others} more problem{'s' if others > 1 else ''} not shown\n"
            )


@contextlib.contextmanager
def _progress(lang: str | None) -> Iterator[Callable[[int], None] | None]:
    """A progress display on stderr when it is a terminal, in ``lang`` (else the locale's);
    nothing (None) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from smtime.i18n import default_language, translate

    profiles = translate("profiles done", lang or default_language().value)
    with Progress(
        SpinnerColumn(),
        TextColumn(f"{{task.completed:,}} {profiles.replace('{', '{{').replace('}', '}}')}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("batch", total=None)
        yield lambda count: progress.advance(task, count)
