"""Batch estimates: many profiles in, one estimate per profile out, in one streaming pass.

Profiles come from JSON Lines (one object per line), CSV (one profile per row, the columns of
docs/batch.md) or YAML (a list of profiles, or a stream of documents separated by ``---``).
Each is validated like a profile file; a bad one is reported with its line number and skipped,
and the others are still estimated, in their order. The estimating is ``smtime.portfolio``'s.
"""

from __future__ import annotations

import csv
import itertools
import json
import mmap
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from smtime.domain import OutOfBounds
from smtime.errors import InvalidFileError, Problem, SmtimeError, UsageError

if TYPE_CHECKING:
    import contextlib
    from concurrent.futures import Executor

    from smtime.portfolio import Outcome, Portfolio


class InputFormat(StrEnum):
    """How a file of profiles is written."""

    AUTO = "auto"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"


CSV_COLUMNS = (
    "name",
    "description",
    "catalogue",
    "hypothesis",
    "level",
    "set",
    "drivers",
    "only",
    "exclude",
    "contingency",
    "period",
    "weeks_per_year",
    "full_time_hours",
    "rate",
    "currency",
    "lang",
)
_CSV_NUMBERS = {"level", "contingency", "weeks_per_year", "full_time_hours", "rate"}
_CSV_PAIRS = {"set", "drivers"}
_CSV_LISTS = {"only", "exclude"}
_SUFFIXES = {
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".json": InputFormat.JSONL,
    ".csv": InputFormat.CSV,
    ".yaml": InputFormat.YAML,
    ".yml": InputFormat.YAML,
}


def detect(path: Path, head: str) -> InputFormat:
    """The format of a profiles file, from its suffix, else from its first characters."""
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return InputFormat.JSONL
    if start.startswith(("-", "#", "name:", "%YAML")) or ": " in start.split("\n", 1)[0]:
        return InputFormat.YAML
    return InputFormat.CSV


class Record:
    """One profile as read: its line, its data, or the problem that stopped it being read."""

    __slots__ = ("data", "line", "problem")

    def __init__(self, line: int, data: Any = None, problem: str | None = None) -> None:
        self.line = line
        self.data = data
        self.problem = problem


def records(stream: TextIO, fmt: InputFormat, name: str) -> Iterator[Record]:
    """The profiles of ``stream``, one record at a time."""
    if fmt is InputFormat.JSONL:
        return jsonl_records(stream)
    if fmt is InputFormat.CSV:
        return _csv(stream, name)
    return _yaml(stream, name)


def jsonl_records(stream: Iterable[str], start: int = 1) -> Iterator[Record]:
    """The profiles of JSON Lines, the first on line ``start``."""
    import orjson

    fast = orjson.loads
    for number, line in enumerate(stream, start):
        try:
            data = fast(line)
        except ValueError:
            # orjson is stricter than the standard library (integers beyond 64 bits, NaN): what
            # the standard library reads is read, and its messages say what is wrong.
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                yield Record(number, problem=f"not valid JSON: {exc}")
                continue
        yield Record(number, data)


def _csv(stream: TextIO, name: str) -> Iterator[Record]:
    reader = csv.DictReader(stream)
    header = [column.removeprefix("\ufeff").strip() for column in reader.fieldnames or []]
    reader.fieldnames = header
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        import difflib

        hints = []
        for column in unknown:
            close = difflib.get_close_matches(column, CSV_COLUMNS, n=1)
            hints.append(f"{column!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise InvalidFileError(
            name,
            [
                Problem(
                    name,
                    f"unknown column {', '.join(hints)}; columns: {', '.join(CSV_COLUMNS)}",
                    "",
                    1,
                )
            ],
        )
    for row in reader:
        number = reader.line_num
        if None in row:
            yield Record(number, problem="more cells than columns")
            continue
        try:
            yield Record(number, _from_csv(row))
        except UsageError as exc:
            yield Record(number, problem=exc.message)


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, cell in row.items():
        value = (cell or "").strip()
        if not value:
            continue
        if column in _CSV_NUMBERS:
            try:
                data[column] = float(value)
            except ValueError:
                raise UsageError(f"{column}: {value!r} is not a number") from None
        elif column in _CSV_PAIRS:
            pairs = {}
            for part in value.split(";"):
                key, sep, item = part.partition("=")
                if not sep:
                    raise UsageError(
                        f"{column}: expected NAME=VALUE separated by ';', not {part!r}"
                    )
                pairs[key.strip()] = (
                    float(item) if column == "drivers" and _is_number(item) else item.strip()
                )
            data[column] = pairs
        elif column in _CSV_LISTS:
            data[column] = [n.strip() for n in value.split(";") if n.strip()]
        else:
            data[column] = value
    return data


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _yaml(stream: TextIO, name: str) -> Iterator[Record]:
    from smtime import safeyaml

    documents = safeyaml.parse_stream(stream.read(), name)
    for document in documents:
        data = document.data
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield Record(document.locate((index,))[0], item)
        elif data is not None:
            yield Record(document.locate(())[0], data)


def run(
    records: Iterable[Record],
    name: str,
    emit: Callable[[Any, int], None],
    report: Callable[[Problem], None],
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Estimate every profile of ``records`` in order; return (estimated, bad).

    ``emit(data, line)`` estimates and writes one profile; it raises ``Bad`` (or a
    ``SmtimeError``) for a profile that cannot be estimated. ``advance(count)`` is told of
    every record read."""
    from smtime.portfolio import Bad

    done = bad = 0
    for record in records:
        if advance is not None:
            advance(1)
        if record.problem is not None:
            report(Problem(name, record.problem, "", record.line))
            bad += 1
            continue
        try:
            emit(record.data, record.line)
        except Bad as exc:
            who = _who(record.data)
            for message in exc.messages:
                report(Problem(name, f"{who}{message}", "", record.line))
            bad += 1
            continue
        except (SmtimeError, OutOfBounds) as exc:
            if isinstance(exc, InvalidFileError):
                raise
            report(Problem(name, f"{_who(record.data)}{exc}", "", record.line))
            bad += 1
            continue
        done += 1
    return done, bad


def _who(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return f"profile {data['name']!r}: "
    return ""


BATCH_CSV_COLUMNS = ("profile", "line")


class OutputFormat(StrEnum):
    """What a batch writes."""

    JSONL = "jsonl"
    CSV = "csv"


def csv_header(out: TextIO) -> None:
    """The header row of a batch's CSV output."""
    from smtime.render.csv import ESTIMATE_COLUMNS

    csv.writer(out, lineterminator="\n").writerow([*BATCH_CSV_COLUMNS, *ESTIMATE_COLUMNS])


class Binary:
    """Writes UTF-8 text to ``out``: to the bytes under it when it writes UTF-8 (after what
    was written to it as text), else decoded. Records are gathered and written about a
    megabyte at a time; ``flush`` writes what is left (leaving the ``with`` block does)."""

    SIZE = 1 << 20

    def __init__(self, out: TextIO) -> None:
        import codecs

        self._out = out
        buffer = getattr(out, "buffer", None)
        self._bytes = buffer is not None and codecs.lookup(out.encoding or "ascii").name == "utf-8"
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self._pending)
        self._pending.clear()
        self._size = 0
        if self._bytes:
            self._out.flush()  # what was written to it as text
            self._out.buffer.write(data)
        else:
            self._out.write(data.decode())

    def __enter__(self) -> Binary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


class _Encoded:
    """A file-like object for ``csv.writer`` that passes its text on as UTF-8."""

    def __init__(self, write: Callable[[bytes], Any]) -> None:
        self._write = write

    def write(self, text: str) -> None:
        self._write(text.encode())


def emitter(
    fmt: OutputFormat, write: Callable[[bytes], Any], portfolio: Portfolio
) -> Callable[[Any, int], None]:
    """What estimates one profile and writes it in ``fmt`` with ``write`` (as UTF-8; CSV rows
    without the header)."""
    if fmt is OutputFormat.JSONL:
        jsonl = portfolio.jsonl

        def write_line(data: Any, line: int) -> None:
            write(jsonl(data, line))

        return write_line
    from smtime.render.csv import cell

    writer = csv.writer(_Encoded(write), lineterminator="\n")

    def write_rows(data: Any, line: int) -> None:
        rows = csv_rows(portfolio.estimate(data), line)
        writer.writerows([cell(v) for v in row] for row in rows)

    return write_rows


def csv_rows(outcome: Outcome, line: int) -> list[list[Any]]:
    """The estimate CSV rows of one profile, each led by its name and line."""
    from smtime.render.csv import estimate_rows

    return [
        [outcome.name, line, *row]
        for row in estimate_rows(outcome.result, outcome.assumptions, outcome.lang)
    ]


# Estimating with several processes: JSON Lines read in chunks of lines, each chunk estimated
# by a worker process forked from this one (smtime's modules already imported, its portfolio
# inherited), the results written here in the order of the chunks.

CHUNK = 500
"""Lines of JSON Lines a worker process estimates at a time (their records make about 1.3 MB)."""
PARALLEL_BYTES = 1 << 20
"""The size from which a file of JSON Lines is estimated by several processes by default."""


def usable_cpus() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked (Linux): elsewhere a batch runs in one."""
    import multiprocessing

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


SLOT_SIZE = 4 << 20
"""Bytes of output a worker can hand over in shared memory for one chunk (its records make
about 1.3 MB); a chunk's output that is larger goes through the result pipe."""


class _Chunk(NamedTuple):
    """What a worker made of a chunk: its output, its problems and counts; or that something
    stopped it (``failed``), which the main process will then meet again itself."""

    output: bytes
    """UTF-8, which the main process writes as it is (empty when it is in the chunk's slot
    of shared memory)."""
    shared: int
    """The length of the output in the chunk's slot of shared memory."""
    problems: list[Problem]
    done: int
    bad: int
    failed: bool


_WORKER: tuple[Portfolio, OutputFormat, mmap.mmap] | None = None


def _start_worker(portfolio: Portfolio, fmt: OutputFormat, shared: mmap.mmap) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    global _WORKER  # noqa: PLW0603 (one portfolio per worker process)
    _WORKER = (portfolio, fmt, shared)


def _work(name: str, start: int, lines: list[str], slot: int) -> _Chunk:
    assert _WORKER is not None
    portfolio, fmt, shared = _WORKER
    output: list[bytes] = []
    problems: list[Problem] = []
    emit = emitter(fmt, output.append, portfolio)
    try:
        if fmt is OutputFormat.JSONL:
            done, bad = _jsonl_chunk(name, start, lines, portfolio, emit, output, problems)
        else:
            done, bad = run(jsonl_records(lines, start), name, emit, problems.append)
    except Exception:  # the main process does the chunk again and reports it
        return _Chunk(b"", 0, [], 0, 0, True)
    text = b"".join(output)
    if len(text) > SLOT_SIZE:
        return _Chunk(text, 0, problems, done, bad, False)
    shared[_slot(slot, len(text))] = text
    return _Chunk(b"", len(text), problems, done, bad, False)


def _slot(slot: int, size: int) -> slice:
    """The first ``size`` bytes of slot ``slot`` of the shared memory."""
    return slice(slot * SLOT_SIZE, slot * SLOT_SIZE + size)


def _jsonl_chunk(
    name: str,
    start: int,
    lines: list[str],
    portfolio: Portfolio,
    emit: Callable[[Any, int], None],
    output: list[bytes],
    problems: list[Problem],
) -> tuple[int, int]:
    """``run`` on JSON Lines to JSON Lines, the usual lines the short way: a line that is
    not a good profile (or not JSON) goes through ``run``, which reports it."""
    import orjson

    from smtime.portfolio import Bad

    jsonl, loads, append = portfolio.jsonl, orjson.loads, output.append
    done = bad = 0
    for number, line in enumerate(lines, start):
        try:
            append(jsonl(loads(line), number))
        except (ValueError, Bad, SmtimeError):
            more, worse = run(jsonl_records([line], number), name, emit, problems.append)
            done += more
            bad += worse
        else:
            done += 1
    return done, bad


class Pool(NamedTuple):
    """Worker processes, and the memory they share with this one: a slot of ``SLOT_SIZE``
    bytes for each chunk that may be in flight (``slots``), where a worker puts its output."""

    executor: Executor
    shared: mmap.mmap
    slots: int


@contextmanager
def workers(jobs: int, portfolio: Portfolio, fmt: OutputFormat) -> Iterator[Pool]:
    """``jobs`` worker processes, started now (before any thread of this process, such as a
    progress display, is)."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    slots = 2 * jobs + 1  # as many as run_parallel keeps in flight
    shared = mmap.mmap(-1, slots * SLOT_SIZE)  # shared with the processes forked from here
    # what the workers inherit is left out of garbage collection: collecting would write to
    # every object, and each page written is copied into each worker
    gc.freeze()
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(portfolio, fmt, shared),
    )
    try:
        pool.submit(int).result()  # forks every worker
        yield Pool(pool, shared, slots)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shared.close()


def _read(stream: TextIO, count: int) -> tuple[list[str], UnicodeDecodeError | None]:
    """The next ``count`` lines of ``stream`` (fewer at its end); and the error that stopped
    the reading, if a byte is not UTF-8 (after the lines read before it)."""
    lines: list[str] = []
    try:
        lines.extend(itertools.islice(stream, count))
    except UnicodeDecodeError as exc:
        return lines, exc
    return lines, None


def warm_up(
    stream: TextIO,
    name: str,
    emit: Callable[[Any, int], None],
    report: Callable[[Problem], None],
) -> tuple[int, int, int, bool]:
    """``run`` on the first lines of JSON Lines (two chunks' worth), in this process, before
    the workers are forked: they then inherit what its portfolio has worked out (catalogues,
    selections, settings, task texts), instead of each working it out again. Returns the
    profiles estimated and bad, the lines read, and whether they were the whole file (fewer
    than two chunks); raises what stopped the reading."""
    count = 2 * CHUNK
    lines, failure = _read(stream, count)
    done, bad = run(jsonl_records(lines), name, emit, report)
    if failure is not None:
        raise failure
    return done, bad, len(lines), len(lines) < count


def run_parallel(
    stream: TextIO,
    name: str,
    pool: Pool,
    emit: Callable[[Any, int], None],
    write: Callable[[bytes], Any],
    report: Callable[[Problem], None],
    advance: Callable[[int], None] | None = None,
    start: int = 1,
) -> tuple[int, int]:
    """``run`` on JSON Lines, chunk by chunk in ``pool``'s workers, the output and problems in
    the order of the lines. A chunk a worker could not finish (a catalogue that stops the
    batch, a worker that died) is done again here with ``emit``, which meets the same problem
    and reports it as ``run`` does. ``start`` is the number of the next line of ``stream``.

    Chunk ``n`` goes to slot ``n % pool.slots`` of the shared memory: at most ``pool.slots``
    chunks are in flight, and each is written out before a chunk is given its slot again."""
    from collections import deque
    from concurrent.futures import Future

    done = bad = count = 0
    pending: deque[tuple[int, list[str], int, Future[_Chunk] | None]] = deque()

    def finish(start: int, lines: list[str], slot: int, future: Future[_Chunk] | None) -> None:
        nonlocal done, bad
        try:
            chunk = None if future is None else future.result()
        except Exception:  # a worker that died: the chunk is done here
            chunk = None
        if chunk is None or chunk.failed:
            more, worse = run(jsonl_records(lines, start), name, emit, report, advance)
        else:
            if chunk.shared:
                write(pool.shared[_slot(slot, chunk.shared)])
            else:
                write(chunk.output)
            for problem in chunk.problems:
                report(problem)
            more, worse = chunk.done, chunk.bad
            if advance is not None:
                advance(more + worse)  # every record is estimated or bad, as ``run`` counts
        done += more
        bad += worse

    failure = None
    while failure is None:
        lines, failure = _read(stream, CHUNK)
        if not lines:
            break
        slot = count % pool.slots
        count += 1
        try:
            future: Future[_Chunk] | None = pool.executor.submit(_work, name, start, lines, slot)
        except Exception:  # a pool that lost a worker takes no more: the rest is done here
            future = None
        pending.append((start, lines, slot, future))
        start += len(lines)
        if len(pending) >= pool.slots:  # a few chunks ahead, never the whole file in memory
            finish(*pending.popleft())
    while pending:
        finish(*pending.popleft())
    if failure is not None:
        raise failure
    return done, bad


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
    """Estimate every profile of the file ``profiles`` (``-``: standard input) and write the
    estimates to ``output`` (None: stdout); return the number of bad profiles, each reported
    on stderr with its line."""
    import contextlib
    import io

    from smtime.files import unreadable
    from smtime.output import opened
    from smtime.request import catalogue_path

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
        chosen = InputFormat(input_format)
        if chosen is InputFormat.AUTO:
            try:
                head = "" if stdin else source.read(512)
            except UnicodeDecodeError as exc:
                raise _not_utf8(name, exc) from None
            if not stdin:
                source.seek(0)
            chosen = detect(Path(name), head) if not stdin else InputFormat.JSONL
        folder = Path.cwd() if stdin else profiles.parent
        from smtime.portfolio import Portfolio

        runner = Portfolio(folder=folder, default_catalogue=catalogue_path(catalogue), lang=lang)
        inputs = [] if stdin else [profiles]
        out = stack.enter_context(opened(output, inputs=inputs))
        fmt = OutputFormat(output_format)
        if fmt is OutputFormat.CSV:
            csv_header(out)
        binary = stack.enter_context(Binary(out))
        if chosen is not InputFormat.JSONL or stdin or not can_fork():
            jobs = 1
        elif jobs is None:
            large = profiles.stat().st_size >= PARALLEL_BYTES
            jobs = usable_cpus() if large else 1
        try:
            return _estimate_batch(stack, source, chosen, name, jobs, runner, fmt, binary)
        except UnicodeDecodeError as exc:
            raise _not_utf8(name, exc) from None


def _estimate_batch(
    stack: contextlib.ExitStack[bool | None],
    source: TextIO,
    chosen: InputFormat,
    name: str,
    jobs: int,
    runner: Portfolio,
    fmt: OutputFormat,
    binary: Binary,
) -> int:
    """Estimate every profile of ``source`` with ``jobs`` processes and write them to
    ``binary``; return the number of bad profiles."""
    write = binary.write
    emit = emitter(fmt, write, runner)

    def report(problem: Any) -> None:
        sys.stderr.write(f"{problem}\n")

    if jobs == 1:
        advance = stack.enter_context(_progress())
        return run(records(source, chosen, name), name, emit, report, advance)[1]
    done, bad, read, whole = warm_up(source, name, emit, report)
    if whole:
        return bad
    pool = stack.enter_context(workers(jobs, runner, fmt))
    advance = stack.enter_context(_progress())  # its thread starts after the workers' fork
    if advance is not None:
        advance(done + bad)
    more = run_parallel(source, name, pool, emit, write, report, advance, read + 1)
    return bad + more[1]


def _not_utf8(name: str, exc: UnicodeDecodeError) -> SmtimeError:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return _invalid(name, f"not UTF-8 text (byte 0x{byte})")


def _invalid(name: str, message: str) -> SmtimeError:
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
