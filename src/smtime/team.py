"""Team plans: the weekly budget shared out among people, each planned in their own window.

The rule (docs/plan.md, "Team plans"):

1. Each line of the budget (families, then unplanned work) goes, largest first, to the
   people who may take it: those whose ``takes`` names it (or who name nothing) and whose
   ``avoids`` does not.
2. A line stays with one person when someone eligible has the free time for all of it, in
   the whole blocks their plan will give it (``plan.block_minutes``), their free time in the
   whole blocks their days hold (``Person.minutes``): the one with the most free time.
   Otherwise it is split, the person with the most free time first, until it is all given
   or no eligible person has time left; what is left is not given to anyone, and the plan
   says so.
3. Each person's share is then laid out in their own window by ``plan.make_plan``, which
   never books past a window's end.
4. What a person's plan could not place (daily time beyond one block a day, or more time
   than their days have room for) is offered, in whole blocks, to the others who may take
   it, the one with the most room first; so are the hours given to no one in step 2 (a
   share of daily time that a plan could not place took room that it did not use). A move
   is kept when it puts more hours in the calendars, until none does.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from smtime.domain import NamedTuple
from smtime.plan import (
    Line,
    Plan,
    Window,
    block_minutes,
    budget_of,
    in_hours,
    in_minutes,
    make_plan,
)


class Person(NamedTuple):
    """Someone who does part of the work: their window, and the families (ids) they take
    (empty: any) or may not take."""

    name: str
    window: Window
    takes: tuple[str, ...] = ()
    avoids: tuple[str, ...] = ()
    email: str | None = None

    def may_take(self, key: str) -> bool:
        """Whether this person may take line ``key`` (the unplanned work goes to anyone)."""
        if key in self.avoids:
            return False
        return not self.takes or key in self.takes or key == "contingency"

    @property
    def minutes(self) -> int:
        """The minutes a week this person's window holds in whole blocks: a day of 45
        minutes holds one block of 30, not 45 minutes of work (``Window.holds``)."""
        return len(self.window.days) * self.window.holds()


class TeamPlan(NamedTuple):
    """Each person's plan (their share of the lines, placed in their window) and the hours
    of each line given to no one."""

    lines: tuple[Line, ...]
    people: tuple[tuple[Person, Plan], ...]
    unassigned: dict[str, float]

    @property
    def budget(self) -> float:
        """The weekly hours the team was asked to place."""
        return budget_of(self.lines)

    @property
    def planned_minutes(self) -> int:
        """The weekly minutes placed in the team's calendars."""
        return sum(plan.planned_minutes for _, plan in self.people)

    @property
    def unplaced(self) -> dict[str, float]:
        """Hours of each line not in anyone's calendar: given to no one, or given to someone
        whose window could not hold them."""
        missing = dict(self.unassigned)
        for _, plan in self.people:
            for key, minutes in plan.unplaced.items():
                if minutes:
                    missing[key] = missing.get(key, 0.0) + in_hours(minutes)
        return {key: hours for key, hours in missing.items() if hours > 0}

    @property
    def fits(self) -> bool:
        return not self.unplaced


def share_out(lines: list[Line], people: list[Person]) -> TeamPlan:
    """The lines shared out among ``people`` and planned in each one's window (the module's
    rule)."""
    shares, unassigned = _shares(lines, people)
    position = {line.key: i for i, line in enumerate(lines)}

    def planned(share: list[Line], person: Person) -> Plan:
        return make_plan(sorted(share, key=lambda ln: position[ln.key]), person.window)

    plans = [planned(share, person) for share, person in zip(shares, people, strict=True)]

    def offer(giver: int | None, key: str, minutes: float) -> bool:
        """Move whole blocks of ``minutes`` of ``key``, left by ``giver``'s plan or given to
        no one (None), to the first other person who may take them and after whom the
        calendars hold more; whether a move was made."""
        line = lines[position[key]]  # a share differs from its line in its hours only
        takers = [i for i, p in enumerate(people) if i != giver and p.may_take(key)]
        for taker in sorted(takers, key=lambda i: (-plans[i].room, i)):
            step = people[taker].window.min_block
            give = int(min(minutes, plans[taker].room) // step * step)
            if give <= 0 or (giver is not None and step != people[giver].window.min_block):
                continue
            more = _moved(shares[taker], line, give, step)
            tried = [(taker, more, planned(more, people[taker]))]
            if giver is not None:
                less = _moved(shares[giver], line, -give, step)
                tried.append((giver, less, planned(less, people[giver])))
            if sum(plan.planned_minutes for _, _, plan in tried) > sum(
                plans[i].planned_minutes for i, _, _ in tried
            ):
                for i, share, plan in tried:
                    shares[i], plans[i] = share, plan
                if giver is None:
                    rest = unassigned.pop(key) - in_hours(give)
                    if rest > 1e-9:
                        unassigned[key] = rest
                return True
        return False

    # 4. what a plan could not place, and what was given to no one, offered to those with
    # room: each move kept puts more minutes in the calendars, so the moves end (the bound is
    # a guard)
    for _ in range(2 * len(people) * (len(lines) + 1)):
        left: list[tuple[int | None, str, float]] = [
            (i, key, m) for i, plan in enumerate(plans) for key, m in plan.unplaced.items() if m
        ]
        left += [(None, key, in_minutes(hours)) for key, hours in unassigned.items()]
        if not any(offer(giver, key, minutes) for giver, key, minutes in left):
            break
    return TeamPlan(tuple(lines), tuple(zip(people, plans, strict=True)), unassigned)


def _shares(lines: list[Line], people: list[Person]) -> tuple[list[list[Line]], dict[str, float]]:
    """Each person's share of ``lines``, and the hours of each line given to no one (steps 1
    and 2 of the module's rule)."""
    free = [float(person.minutes) for person in people]
    shares: list[list[Line]] = [[] for _ in people]
    unassigned: dict[str, float] = {}
    order = sorted(range(len(lines)), key=lambda i: -lines[i].hours)
    for index in order:
        line = lines[index]
        eligible = [i for i, person in enumerate(people) if person.may_take(line.key)]
        # the line in whole blocks, as each one's plan will have it (``plan.block_minutes``)
        blocks = {i: block_minutes(line.hours, people[i].window.min_block) for i in eligible}
        whole = [i for i in eligible if free[i] >= blocks[i]]
        if whole:
            who = max(whole, key=lambda i: (free[i], -i))
            shares[who].append(line)
            free[who] -= blocks[who]
            continue
        need = float(blocks[eligible[0]]) if eligible else in_minutes(line.hours)
        for who in sorted(eligible, key=lambda i: (-free[i], i)):
            step = people[who].window.min_block
            given = min(need, free[who] // step * step)  # whole blocks, so that it fits
            if need <= 0 or given <= 0:
                continue
            shares[who].append(line._replace(hours=in_hours(given)))
            free[who] -= given
            need -= given
        if need > 1e-9:
            unassigned[line.key] = in_hours(need)
    return shares, unassigned


def _moved(share: list[Line], line: Line, minutes: int, step: int) -> list[Line]:
    """``share`` with ``minutes`` more (or fewer, when negative) of ``line``'s family, its
    hours first made the whole blocks its plan gives them, so that what moves is exact."""
    held = next((ln for ln in share if ln.key == line.key), None)
    total = (block_minutes(held.hours, step) if held is not None else 0) + minutes
    kept = [ln for ln in share if ln.key != line.key]
    return [*kept, line._replace(hours=in_hours(total))] if total > 0 else kept


STEM_LENGTH = 64
"""The longest stem of a person's file name, far below the 255 bytes file systems allow."""
RESERVED_STEMS = frozenset(
    ("con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)))
)
"""Names Windows keeps for devices, whatever the extension (``con.ics`` is the console)."""


def file_stems(names: Sequence[str]) -> list[str]:
    """A file name stem for each of ``names``, safe on every system and unique among them:
    ASCII letters and digits joined by ``-``, lower case (``José Núñez`` → ``jose-nunez``),
    at most ``STEM_LENGTH`` characters; ``person`` when nothing is left; ``-2``, ``-3`` …
    after a stem already taken or that Windows keeps for a device (``con`` → ``con-2``),
    still within ``STEM_LENGTH``."""
    import re
    import unicodedata

    used: set[str] = set(RESERVED_STEMS)
    stems = []
    for name in names:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:STEM_LENGTH]
        base = base.rstrip("-") or "person"
        stem, count = base, 1
        while stem in used:
            count += 1
            suffix = f"-{count}"
            stem = base[: STEM_LENGTH - len(suffix)].rstrip("-") + suffix
        used.add(stem)
        stems.append(stem)
    return stems
