"""What every tracker reader shares: how an export is read (``Reading``), the limits on an
entry, the one running rule (``timed``), and problems reported once per kind (``Problems``).

Implausible entries are problems, reported with their line or index: an entry longer than
``MAX_INTERVAL_HOURS`` (a timer left running), one that ends before it starts, and one dated
outside ``FIRST_YEAR`` to the year after ``now`` (never past ``LAST_YEAR``, so that moving a
time to any time zone stays within Python's calendar).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from smtime.domain import Entry, NamedTuple
from smtime.errors import InvalidFileError, Problem
from smtime.formats import DateFormat

MAX_INTERVAL_HOURS = 7 * 24
"""Longest entry accepted (7 days); a longer one is a timer left running, or an error."""
FIRST_YEAR = 1970
"""Entries before this year are refused."""
LAST_YEAR = 9998
"""Entries after this year are refused whatever ``now`` is (time-zone shifts stay in range)."""
MAX_RUNS_SHOWN = 10
"""A problem found on many lines lists at most this many runs of line numbers (2–40, 45)."""


class Reading(NamedTuple):
    """How an export is read: running entries count up to ``now``; wall-clock times (CSV,
    floating calendar times) are in ``zone``; ``dates`` says how CSV dates are written;
    ``all_day_hours`` is what a day of an all-day event counts (None: not counted)."""

    now: datetime
    zone: tzinfo
    dates: DateFormat = DateFormat.AUTO
    all_day_hours: float | None = None


def timed(
    start: datetime,
    end: datetime | None,
    names: Iterable[str],
    reading: Reading,
    *,
    hours: float | None = None,
) -> Entry:
    """Time logged from ``start`` to ``end`` (``hours`` of work in it, when the tracker says).

    The running rule, for every tracker: an entry without an end is running, and counts
    from its start up to ``reading.now``; its week is marked running.
    """
    if hours is not None:
        check_length(hours)
    running = end is None
    stop = reading.now if end is None else end
    if running and stop < start:
        raise ValueError(f"running since {start:%Y-%m-%d %H:%M}, after --now")
    span = _span(start, stop, reading.now)
    worked = span if hours is None or running else hours
    check_length(worked)
    return Entry(start, worked, tuple(names), running, stop)


def elapsed(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` of real time after ``start`` (an aware time): across a change of
    the clocks, a 4-hour entry from 01:00 still lasts 4 hours (Python's ``start +
    timedelta`` adds wall-clock time, which would make it 3 or 5)."""
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


def day_total(day: date, hours: float, names: Iterable[str], reading: Reading) -> Entry:
    """Hours logged on a day without times of day (Harvest, the plain CSV, all-day events)."""
    start = datetime.combine(day, time(), tzinfo=reading.zone)
    check_year(start, reading.now)
    check_length(hours)
    return Entry(start, hours, tuple(names))


def _span(start: datetime, end: datetime, now: datetime | None) -> float:
    """The hours from ``start`` to ``end``, or a ``ValueError`` saying why they are implausible."""
    for moment in (start, end):
        check_year(moment, now)
    seconds = end.timestamp() - start.timestamp()  # aware times: no conversion, no overflow
    if seconds < 0:
        raise ValueError("ends before it starts")
    return seconds / 3600


def check_year(moment: datetime | date, now: datetime | None) -> None:
    """A ``ValueError`` for a moment dated outside the years that are read."""
    last = LAST_YEAR if now is None else min(LAST_YEAR, now.year + 1)
    if not FIRST_YEAR <= moment.year <= last:
        raise ValueError(
            f"dated {moment.year:04d}, outside the years {FIRST_YEAR} to {last} that are read"
        )


def check_length(hours: float) -> None:
    """A ``ValueError`` for an entry longer than ``MAX_INTERVAL_HOURS``."""
    if hours > MAX_INTERVAL_HOURS:
        shown = f"{hours:,.1f}" if hours < 1e9 else f"{hours:.3g}"  # 1e+308, not 300 digits
        raise ValueError(
            f"lasts {shown} h, longer than the limit of {MAX_INTERVAL_HOURS} h "
            "(7 days): a timer left running?"
        )


# Problems -------------------------------------------------------------------------------------

_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d+(?:[.,:]\d+)*")
"""Quoted values and numbers: what differs between two reports of the same problem."""


class Problems:
    """The problems of one file, each at a line (``item`` None) or at an item of a JSON array
    (``item`` names it: ``"interval"``). The same problem on several places is one report."""

    def __init__(self, name: str, item: str | None = None) -> None:
        self.name = name
        self.item = item
        self.found: list[tuple[int | None, str]] = []

    def add(self, place: int | None, message: str) -> None:
        """Record ``message`` at ``place`` (a line, or an index; None: the whole file)."""
        self.found.append((place, message))

    def fail(self) -> None:
        """Raise the problems found, if any, as one ``InvalidFileError``."""
        if self.found:
            raise InvalidFileError(self.name, self.grouped())

    def grouped(self) -> list[Problem]:
        """One ``Problem`` per kind of message (its values aside), in the order first found."""
        kinds: dict[str, list[tuple[int | None, str]]] = {}
        for place, message in self.found:
            key = message if place is None else _VALUES.sub("#", message)
            kinds.setdefault(key, []).append((place, message))
        return [self._problem(found) for found in kinds.values()]

    def _problem(self, found: list[tuple[int | None, str]]) -> Problem:
        place, message = found[0]
        if place is None:
            return Problem(self.name, message, "", 1 if self.item is None else None)
        places = sorted({p for p, _ in found if p is not None})
        if len(places) == 1:
            if self.item is None:
                return Problem(self.name, message, "", place)
            return Problem(self.name, f"{self.item} {place}: {message}", f"[{place}]")
        unit = "line" if self.item is None else self.item
        where = f"{unit}s {runs(places)} ({len(places):,} {unit}s)"
        if all(m == message for _, m in found):
            return Problem(self.name, f"{where}: {message}")
        return Problem(self.name, f"{where}, for example {unit} {place}: {message}")


def runs(numbers: list[int]) -> str:
    """``2–40, 45, 50–51``: sorted numbers as runs, at most ``MAX_RUNS_SHOWN`` of them."""
    spans: list[tuple[int, int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:MAX_RUNS_SHOWN]]
    return ", ".join(shown) + (", …" if len(spans) > MAX_RUNS_SHOWN else "")
