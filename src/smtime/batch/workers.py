"""Estimating JSON Lines with several processes, the output in the order of the lines.

The lines are read here in chunks of ``CHUNK``; each chunk is estimated by a worker process
forked from this one (smtime's modules imported, the default catalogue read) with the same
``run`` as one process uses, and its output and problems come back and are written here in
the order of the chunks, with at most ``2 × jobs + 1`` chunks in flight (memory stays flat).
Workers leave signals to this process: they ignore SIGINT, SIGTERM and SIGHUP, and finish
the chunk in hand when this process is interrupted (a worker killed while it sends a result
would leave half a message in the pipe, on which the pool would wait for ever); ``workers``
then ends them on every way out. On Linux the kernel kills them should this process die
without doing so.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from smtime.batch.estimating import run
from smtime.batch.read import jsonl_records
from smtime.domain import NamedTuple

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from smtime.batch.estimating import Estimator
    from smtime.batch.read import InputLine
    from smtime.errors import Problem

CHUNK = 500
"""Lines of JSON Lines a worker process estimates at a time."""
JOBS_PER_CPU = 4
"""``--jobs`` is at most this many times the processors this process may run on."""


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


class _Chunk(NamedTuple):
    """What a worker made of a chunk: its output (UTF-8), its problems and counts."""

    output: bytes
    problems: list[Problem]
    done: int
    bad: int


_ESTIMATOR: list[tuple[Estimator, str]] = []
"""The estimator and name of the batch, in a worker process."""

_PR_SET_PDEATHSIG = 1


def _start_worker(estimator: Estimator, name: str, parent: int) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)  # the main process's to handle
    if sys.platform == "linux":
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the main process ended before the call above
        os._exit(1)
    _ESTIMATOR.append((estimator, name))


def _work(lines: list[tuple[int, bytes, str | None]]) -> _Chunk:
    """``run`` on a chunk of lines, each sent as a plain tuple (an ``InputLine``'s fields):
    plain tuples are pickled in C, a NamedTuple by a call back into Python for each."""
    estimator, name = _ESTIMATOR[0]
    output: list[bytes] = []
    problems: list[Problem] = []
    done, bad = run(jsonl_records(lines), name, estimator, output.append, problems.append)
    return _Chunk(b"".join(output), problems, done, bad)


@contextmanager
def workers(jobs: int, estimator: Estimator, name: str) -> Iterator[ProcessPoolExecutor]:
    """``jobs`` worker processes, forked now (before any thread of this process, such as a
    progress display, starts); terminated when the block ends, however it ends."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # what the workers inherit is left out of garbage collection: collecting would write to
    # every object, and each page written is copied into each worker
    gc.freeze()
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(estimator, name, os.getpid()),
    )
    try:
        pool.submit(int).result()  # forks every worker
        yield pool
    finally:
        # chunks not started are dropped; those in hand end soon, and the workers with them
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def run_parallel(
    source: Iterator[InputLine],
    name: str,
    pool: ProcessPoolExecutor,
    jobs: int,
    estimator: Estimator,
    write: Callable[[bytes], Any],
    report: Callable[[Problem], Any],
    advance: Callable[[int], Any] | None = None,
) -> tuple[int, int]:
    """``run`` on JSON Lines, chunk by chunk in ``pool``'s workers, the output and problems
    in the order of the lines. A chunk whose worker died is estimated here instead."""
    done = bad = 0
    pending: deque[tuple[list[InputLine], Future[_Chunk] | None]] = deque()

    def finish(lines: list[InputLine], future: Future[_Chunk] | None) -> None:
        nonlocal done, bad
        try:
            chunk = None if future is None else future.result()
        except Exception:  # a worker that died: the chunk is done here
            chunk = None
        if chunk is None:
            more, worse = run(jsonl_records(lines), name, estimator, write, report, advance)
        else:
            write(chunk.output)
            for problem in chunk.problems:
                report(problem)
            more, worse = chunk.done, chunk.bad
            if advance is not None:
                advance(more + worse)
        done += more
        bad += worse

    while lines := list(itertools.islice(source, CHUNK)):
        try:
            future: Future[_Chunk] | None = pool.submit(_work, [(*line,) for line in lines])
        except Exception:  # a pool that lost a worker takes no more: the rest is done here
            future = None
        pending.append((lines, future))
        if len(pending) > 2 * jobs:  # a few chunks ahead, never the whole file in memory
            finish(*pending.popleft())
    while pending:
        finish(*pending.popleft())
    return done, bad
