"""A weekly timetable from an estimate: blocks of time per family, placed in a daily window.

The rule (docs/plan.md):

1. Each line's weekly hours (families, then unplanned work) are rounded to the nearest whole
   number of blocks of ``min_block`` minutes, halves up; a line with any hours gets at least
   one block.
2. A family's ``rhythm`` says how its time is cut: ``daily`` a little every working day (replying
   to the community), ``weekly`` in one block a week when it fits in a day (strategy), and
   ``sessions`` (the default) in sessions of at most two hours. No block is longer than the
   daily window: sessions are shorter when the day is, and daily time beyond what a day holds
   is left unplaced.
3. Daily blocks go first, one per day, at the start of the day, on the first working days
   that have room. The other blocks, largest first, go to the day with the most free time,
   preferring a day that has no block of that family. Then what no day held whole is
   split, family by family, in whole blocks, at most one a day, over the days with room
   left (those without a block of that family first, then the roomiest).
4. Nothing is booked past the window's end: what no day has room for is left unplaced, and
   the plan says so.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

from smtime.domain import Estimate, NamedTuple, Rhythm, to_step
from smtime.errors import UsageError

SESSION_MINUTES = 120
UNNAMED = "smtime"
"""The name of a plan of no profile (its calendar's name, and part of its blocks' UIDs)."""
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Window(NamedTuple):
    """Working days (1 = Monday … 7 = Sunday) and the daily window, in minutes after midnight."""

    days: tuple[int, ...] = (1, 2, 3, 4, 5)
    start: int = 9 * 60
    end: int = 17 * 60
    min_block: int = 30

    def checked(self, prefix: str = "--") -> Window:
        """This window, or a ``UsageError`` that says what is wrong with it, naming its days,
        start and end after ``prefix`` (``--start`` on the command line, ``start`` in a team
        file)."""
        if not self.days:
            raise UsageError(f"{prefix}days: give at least one working day")
        if not 0 <= self.start < self.end <= 24 * 60:
            raise UsageError(
                f"{prefix}start must be before {prefix}end, not "
                f"{clock(self.start)}–{clock(self.end)}"
            )
        if not 5 <= self.min_block <= self.end - self.start:
            raise UsageError(
                f"--min-block must be from 5 minutes to the length of the day "
                f"({clock(self.start)}–{clock(self.end)}: {self.length} "
                f"minute{'s' if self.length != 1 else ''}), "
                f"not {self.min_block}"
            )
        return self

    @property
    def length(self) -> int:
        return self.end - self.start

    def holds(self, used: int = 0) -> int:
        """The minutes of whole blocks a day holds beyond the ``used`` ones: the longest
        block a day takes, and the time left in a day for more (a day of 45 minutes holds
        one block of 30)."""
        return (self.length - used) // self.min_block * self.min_block


class Line(NamedTuple):
    """One family (or the unplanned work) to plan."""

    key: str
    label: dict[str, str]
    rhythm: Rhythm
    hours: float
    actions: tuple[dict[str, str], ...] = ()


class Block(NamedTuple):
    """A block of time on one day of the week."""

    day: int
    start: int
    end: int
    key: str

    @property
    def minutes(self) -> int:
        return self.end - self.start


class Plan(NamedTuple):
    """The timetable: its lines, their blocks, and what could not be placed."""

    window: Window
    lines: tuple[Line, ...]
    blocks: tuple[Block, ...]
    planned: dict[str, int]
    unplaced: dict[str, int]

    @property
    def fits(self) -> bool:
        return not any(self.unplaced.values())

    @property
    def capacity(self) -> int:
        return len(self.window.days) * self.window.length

    @property
    def room(self) -> int:
        """The minutes its days still hold, in whole blocks (``Window.holds``)."""
        used = dict.fromkeys(self.window.days, 0)
        for block in self.blocks:
            used[block.day] += block.minutes
        return sum(self.window.holds(minutes) for minutes in used.values())

    @property
    def budget(self) -> float:
        """The weekly hours the plan was asked to place."""
        return budget_of(self.lines)

    @property
    def planned_minutes(self) -> int:
        """The weekly minutes the plan placed."""
        return sum(self.planned.values())


def budget_of(lines: Iterable[Line]) -> float:
    """The weekly hours of ``lines`` (a plan's, or a team's)."""
    return math.fsum(line.hours for line in lines)


MINUTES_PER_HOUR = 60


def in_hours(minutes: float) -> float:
    """Minutes (a plan's unit) as hours (the estimate's)."""
    return minutes / MINUTES_PER_HOUR


def in_minutes(hours: float) -> float:
    """Hours (the estimate's unit) as minutes (a plan's)."""
    return hours * MINUTES_PER_HOUR


def monday_of(day: date) -> date:
    """The Monday of ``day``'s ISO week: where a plan that starts on ``day`` starts, and where
    tracked time is cut into weeks (``compare.split``, ``calibration.complete_weeks``)."""
    return day - timedelta(days=day.weekday())


def clock(minutes: int) -> str:
    """``540`` → ``09:00``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_CLOCK = r"([0-9]{1,2})(?::([0-9]{2})|h([0-9]{2})?)?"
"""A time of day as people write it: ``9``, ``09:00``, ``9h``, ``9h30`` (ASCII digits)."""
DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_clock(text: str) -> int:
    """``9:00``, ``09:00``, ``9h`` or ``9h30`` → minutes after midnight (to ``24:00``)."""
    import re

    match = re.fullmatch(_CLOCK, text.strip().lower())
    if match is not None:
        hours, minutes = int(match[1]), int(match[2] or match[3] or 0)
        if minutes < 60 and hours * 60 + minutes <= 24 * 60:
            return hours * 60 + minutes
    raise UsageError(f"{text!r} is not a time of day such as 09:00, 9h30 or 24:00")


def parse_days(text: str) -> tuple[int, ...]:
    """``mon-fri``, ``mon,wed,fri``, ``monday`` or ``1-5`` → ISO weekdays, in order."""
    found: set[int] = set()
    for part in text.lower().split(","):
        first, sep, last = part.strip().partition("-")
        a = _day(first)
        b = _day(last) if sep else a
        if b < a:
            raise UsageError(f"{part.strip()!r} goes backwards: write the first day first")
        found.update(range(a, b + 1))
    return tuple(sorted(found))


def _day(text: str) -> int:
    """An ISO weekday: ``1`` to ``7``, or a day's name in English, whole or in three letters."""
    text = text.strip()
    if text in ("1", "2", "3", "4", "5", "6", "7"):
        return int(text)
    for number, (name, word) in enumerate(zip(DAY_NAMES, DAY_WORDS, strict=True), 1):
        if text in (name, word):
            return number
    raise UsageError(f"{text!r} is not a day: write mon … sun (or monday … sunday), or 1 … 7")


def lines_of(result: Estimate, contingency_label: dict[str, str]) -> list[Line]:
    """The lines of an estimate that has chosen hours: its families, then the contingency."""
    found = []
    for line in result.lines():
        row = line.row
        if row is None or row.hours is None:
            continue
        rhythm = row.family.rhythm
        found.append(
            Line(
                row.family.id,
                dict(row.family.label),
                rhythm,
                row.hours,
                tuple(dict(a.label) for a in row.family.actions),
            )
        )
    if result.contingency is not None and result.contingency.hours:
        found.append(Line("contingency", contingency_label, Rhythm.DAILY, result.contingency.hours))
    return found


def _sizes(total: int, count: int, step: int) -> list[int]:
    """``total`` minutes in ``count`` blocks of whole ``step``s, as equal as possible."""
    units = total // step
    base, extra = divmod(units, count)
    return [(base + (1 if i < extra else 0)) * step for i in range(count) if base or i < extra]


def block_minutes(hours: float, step: int) -> int:
    """A line's weekly ``hours`` in whole blocks of ``step`` minutes: the nearest number of
    blocks, halves up (``domain.to_step``), and at least one block for any hours."""
    minutes = int(to_step(in_minutes(hours), step))
    return step if hours > 0 and minutes == 0 else minutes


def _has(day: list[tuple[int, Line]], key: str) -> bool:
    """Whether a day's blocks (``(minutes, line)``) hold one of line ``key``."""
    return any(line.key == key for _, line in day)


def _whole(
    size: int,
    key: str,
    window: Window,
    free: dict[int, int],
    placed: dict[int, list[tuple[int, Line]]],
) -> int | None:
    """The day a block of ``size`` minutes of line ``key`` goes to whole: the one with the
    most free time, preferring a day without a block of the line; None when no day holds it."""
    candidates = [d for d in window.days if free[d] >= size]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (not _has(placed[d], key), free[d], -d))


def _split(
    size: int,
    key: str,
    window: Window,
    free: dict[int, int],
    placed: dict[int, list[tuple[int, Line]]],
) -> tuple[list[tuple[int, int]], int]:
    """``size`` minutes of line ``key`` that no day held whole, as (day, minutes) pieces in
    whole blocks, at most one a day, over the days with room (those without a block of the
    line first, then the roomiest), and the minutes left for want of room."""
    pieces, left = [], size
    days = sorted(window.days, key=lambda d: (_has(placed[d], key), -free[d], d))
    for day in days:
        piece = min(left, window.holds(window.length - free[day]))
        if piece > 0:
            pieces.append((day, piece))
            left -= piece
    return pieces, left


def make_plan(lines: list[Line], window: Window) -> Plan:
    """Cut each line into blocks and place them in the window (see the module's rule)."""
    window = window.checked()
    step = window.min_block
    longest = window.holds()  # the longest block a day holds
    planned: dict[str, int] = {}
    unplaced: dict[str, int] = {}
    daily: list[tuple[Line, list[int]]] = []
    others: list[tuple[int, int, Line]] = []
    for order, line in enumerate(lines):
        minutes = block_minutes(line.hours, step)
        planned[line.key] = 0
        if minutes == 0:
            continue
        if line.rhythm is Rhythm.DAILY:
            count = min(len(window.days), minutes // step)
            sizes = _sizes(minutes, count, step)
            beyond = sum(size - longest for size in sizes if size > longest)
            if beyond:
                unplaced[line.key] = beyond
            daily.append((line, [min(size, longest) for size in sizes]))
            continue
        largest = longest if line.rhythm is Rhythm.WEEKLY else min(SESSION_MINUTES, longest)
        count = max(1, math.ceil(minutes / max(step, largest - largest % step)))
        others += [(size, order, line) for size in _sizes(minutes, count, step)]
    free = dict.fromkeys(window.days, window.length)
    placed: dict[int, list[tuple[int, Line]]] = {day: [] for day in window.days}

    def put(day: int, size: int, line: Line) -> None:
        free[day] -= size
        placed[day].append((size, line))
        planned[line.key] += size

    for line, sizes in daily:
        for size in sizes:  # one a day: the first working day that has room
            chosen = next(
                (
                    d
                    for d in window.days
                    if free[d] >= size and all(ln.key != line.key for _, ln in placed[d])
                ),
                None,
            )
            if chosen is None:
                unplaced[line.key] = unplaced.get(line.key, 0) + size
                continue
            put(chosen, size, line)
    others.sort(key=lambda item: (-item[0], item[1]))
    too_large: dict[str, tuple[int, Line]] = {}  # each line's minutes no day held whole
    for size, _, line in others:
        day = _whole(size, line.key, window, free, placed)
        if day is None:
            too_large[line.key] = (too_large.get(line.key, (0, line))[0] + size, line)
        else:
            put(day, size, line)
    for size, line in too_large.values():  # once every block that fits whole is placed
        pieces, left = _split(size, line.key, window, free, placed)
        if left:
            unplaced[line.key] = unplaced.get(line.key, 0) + left
        for day, piece in pieces:
            put(day, piece, line)
    return Plan(window, tuple(lines), _laid_out(placed, lines, window), planned, unplaced)


def _laid_out(
    placed: dict[int, list[tuple[int, Line]]], lines: list[Line], window: Window
) -> tuple[Block, ...]:
    """Each day's blocks one after the other from the window's start: daily ones first, then
    in the order of ``lines``."""
    blocks = []
    position = {line.key: i for i, line in enumerate(lines)}
    for day in window.days:
        cursor = window.start
        items = sorted(
            placed[day],
            key=lambda item: (item[1].rhythm is not Rhythm.DAILY, position[item[1].key]),
        )
        for size, line in items:
            blocks.append(Block(day, cursor, cursor + size, line.key))
            cursor += size
    return tuple(blocks)
