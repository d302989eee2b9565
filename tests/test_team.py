"""Team plans: the budget shared out among people, no one overbooked, nothing lost."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from smtime.domain import Rhythm
from smtime.plan import Line, Window, make_plan
from smtime.team import Person, share_out
from tests.conftest import Run, conforming

Smtime = Callable[..., Run]
KEYS = ["veille", "acquisition", "blogging", "curation", "communication", "analyse", "strategie"]
TEAM = """\
format: smtime-team/1
people:
  - name: Alice
    email: alice@example.org
    days: mon-fri
    start: "09:00"
    end: "12:00"
    takes: [veille, communication, Stratégie]
  - name: Bob
    days: mon,wed
    start: "14:00"
    end: "18:00"
    avoids: [veille]
  - name: Chloé
    days: tue-thu
    start: "09:00"
    end: "13:00"
"""

lines = st.lists(
    st.builds(
        Line,
        key=st.sampled_from([*KEYS, "contingency"]),
        label=st.just({"en": "x"}),
        rhythm=st.sampled_from(list(Rhythm)),
        hours=st.integers(0, 24).map(lambda n: n / 2),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda line: line.key,
)
people = st.lists(
    st.builds(
        Person,
        name=st.text(min_size=1, max_size=5),
        window=st.builds(
            Window,
            days=st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True).map(
                lambda d: tuple(sorted(d))
            ),
            start=st.integers(7, 10).map(lambda h: h * 60),
            end=st.integers(11, 19).map(lambda h: h * 60),
            min_block=st.just(30),
        ),
        takes=st.lists(st.sampled_from(KEYS), max_size=3).map(tuple),
        avoids=st.lists(st.sampled_from(KEYS), max_size=2).map(tuple),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(lines, people)
def test_no_one_is_overbooked_and_every_hour_is_placed_or_said(
    budget: list[Line], team: list[Person]
) -> None:
    """Whatever the team: no one's blocks leave their window or overlap, each person only has
    families they may take, and for each line the hours in the calendars plus those said not
    to fit make the budget (to within the rounding of blocks)."""
    result = share_out(budget, team)
    placed: dict[str, float] = {}
    for person, plan in result.people:
        window = person.window
        assert sum(b.minutes for b in plan.blocks) <= len(window.days) * window.length
        for day in window.days:
            blocks = sorted((b.start, b.end) for b in plan.blocks if b.day == day)
            assert all(window.start <= s < e <= window.end for s, e in blocks)
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(blocks))
        assert {b.day for b in plan.blocks} <= set(window.days)
        assert all(person.may_take(b.key) for b in plan.blocks)
        for block in plan.blocks:
            placed[block.key] = placed.get(block.key, 0.0) + block.minutes / 60
    missing = result.unplaced
    for line in budget:
        shares = sum(1 for _, plan in result.people if line.key in plan.planned)
        slack = max(1, shares) * 0.5  # each share is rounded to whole blocks of 30 minutes
        total = placed.get(line.key, 0.0) + missing.get(line.key, 0.0)
        assert abs(total - line.hours) <= slack, (line, placed, missing)
        if line.rhythm is not Rhythm.DAILY and missing.get(line.key):
            # sessions are said not to fit only when no one who may take them has a block free
            rooms = {p.name: plan.room for p, plan in result.people if p.may_take(line.key)}
            assert not any(rooms.values()), (line, rooms, missing)


def test_a_family_stays_with_one_person_when_someone_has_the_time() -> None:
    """Blogging (8 h) goes whole to the one person with time for it, not split."""
    window = Window(days=(1, 2, 3, 4, 5), start=9 * 60, end=13 * 60)
    budget = [Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 8.0)]
    result = share_out(budget, [Person("A", window), Person("B", window)])
    holders = [p.name for p, plan in result.people if plan.planned.get("blogging")]
    assert holders == ["A"]
    assert result.fits


def _events(path: Path) -> list[Any]:
    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize("blocker", ["team file", "folder"])
def test_a_calendar_that_cannot_be_written_stops_before_any_is(
    smtime: Smtime, tmp_path: Path, blocker: str
) -> None:
    """When one person's calendar would overwrite the team file (a link planted under its
    name) or is a folder, nothing is written: the folder is left as it was, not half
    updated (alice.ics new, bob.ics old)."""
    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    (out / "alice.ics").write_text("old")
    if blocker == "team file":
        (out / "bob.ics").symlink_to(team)
    else:
        (out / "bob.ics").mkdir()
    run = smtime("plan", "-H", "mid", "--team", str(team), "-f", "ics", "--output-dir", str(out))
    assert run.exit_code == 73
    assert "bob.ics" in run.stderr
    assert (out / "alice.ics").read_text() == "old"
    assert team.read_text() == TEAM


def test_one_calendar_per_person_that_khal_reads(smtime: Smtime, tmp_path: Path) -> None:
    """--team --format ics --output-dir writes one calendar per person; each holds exactly
    that person's planned hours, inside their window; khal imports each."""
    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    args = ("plan", "-H", "mid", "--team", str(team), "--tz", "Europe/Paris")
    data = conforming(smtime(*args, "-f", "json").json(), "team-plan")
    run = smtime(*args, "-f", "ics", "--output-dir", str(out), "--from", "2027-01-04")
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["alice.ics", "bob.ics", "chloe.ics"]
    for person in data["people"]:
        name = "chloe" if person["name"] == "Chloé" else person["name"].lower()
        events = _events(out / f"{name}.ics")
        hours = sum(
            (e.decoded("dtend") - e.decoded("dtstart")).total_seconds() / 3600 for e in events
        )
        assert hours == person["planned_hours"]
    total = sum(p["planned_hours"] for p in data["people"])
    assert total + sum(data["unplaced"].values()) == data["budget_hours"] == 19
    assert all(f["id"] in {"veille", "communication", "strategie", "contingency"}
               for f in data["people"][0]["families"] if f["planned_hours"])  # fmt: skip
    if shutil.which("khal") is None:
        pytest.skip("khal is not installed")
    config = tmp_path / "khal.conf"
    store = tmp_path / "store"
    store.mkdir()
    config.write_text(
        f"[calendars]\n[[team]]\npath = {store}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    for path in sorted(out.iterdir()):
        imported = subprocess.run(
            ["khal", "-c", str(config), "import", "--batch", "-a", "team", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        ["khal", "-c", str(config), "list", "2027-01-04", "7d", "--format", "{start}|{end}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    minutes = 0.0
    for line in listed.splitlines():
        if "|" in line:
            start, end = (datetime.strptime(x.strip(), "%Y-%m-%d %H:%M") for x in line.split("|"))
            minutes += (end - start).total_seconds() / 60
    assert minutes / 60 == total


def test_calendars_without_from_or_tz_start_next_monday(smtime: Smtime, tmp_path: Path) -> None:
    """Without --from and --tz, a team's calendars start next Monday in the system's zone."""
    from smtime.request import next_monday

    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    run = smtime("plan", "-H", "mid", "--team", str(team), "-f", "ics", "--output-dir", str(out))
    assert run.exit_code == 0, run.stderr
    starts = [event.decoded("dtstart").date() for event in _events(out / "alice.ics")]
    assert min(starts) == next_monday()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TEAM.replace("takes: [veille", "takes: [vielle"), ":8:"),
        (TEAM.replace("days: mon,wed", "days: mon,xyz"), ":10:11: people[1].days: 'xyz' is not"),
        (TEAM.replace("days: mon,wed", "days: monkey"), ":10:11: people[1].days: 'monkey' is"),
        (
            TEAM.replace("takes: [veille, ", "avoids: [communication]\n    takes: [veille, "),
            ":8:14: people[0].avoids[0]: 'communication' is in takes too",
        ),
        (
            TEAM.replace('end: "18:00"', 'end: "14:20"'),
            ":9:5: people[1]: --min-block must be from 5 minutes to the length of the day "
            "(14:00–14:20: 20 minutes), not 30",
        ),
        (
            TEAM.replace('end: "18:00"', 'end: "13:00"'),
            ":9:5: people[1]: start must be before end, not 14:00–13:00",
        ),
        (TEAM.replace("name: Bob", "name: alice"), ":9:11: people[1].name: 'alice' is named twice"),
        (TEAM.replace("    email: alice@example.org\n", "    mail: x\n"), "mail"),
        (
            "format: smtime-team/1\npeople:\n" + "".join(f"  - name: p{i}\n" for i in range(1001)),
            ":3:3: people: a list of 1,001 items is longer than the limit of 1,000",
        ),
    ],
)
def test_team_file_problems_have_their_line(
    smtime: Smtime, tmp_path: Path, text: str, message: str
) -> None:
    """A bad team file is refused with exit 65, the problem placed at its line."""
    team = tmp_path / "team.yaml"
    team.write_text(text)
    run = smtime("plan", "--team", str(team))
    assert run.exit_code == 65, run.stderr
    assert message in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "ics"), "--output-dir"),
        (("-f", "hledger"), "table, markdown, json and ics"),
        (("-f", "json", "--output-dir", "."), "--output-dir is for --format ics"),
    ],
)
def test_team_outputs_are_checked(
    smtime: Smtime, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A team's calendars need --output-dir; hledger has no team form: exit 2, said."""
    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    run = smtime("plan", "--team", str(team), *args)
    assert run.exit_code == 2
    assert message in run.stderr


def test_the_table_shows_each_persons_week(smtime: Smtime, tmp_path: Path) -> None:
    """The table has one week per person, titled with their name and hours."""
    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    run = smtime("plan", "-H", "low", "--team", str(team), "--lang", "en")
    assert run.exit_code == 0, run.stderr
    for name in ("Alice", "Bob", "Chloé"):
        assert f"Weekly plan — {name} (" in run.stdout


def test_a_share_fits_the_days_of_whoever_takes_it() -> None:
    """Two hours of blogging given to someone whose days are one hour long are planned as two
    sessions of an hour, not left unplaced while the team has the time."""
    ann = Person("Ann", Window(start=540, end=600))
    ben = Person("Ben", Window(days=(1,), start=540, end=780))
    team = share_out([Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 2.0)], [ann, ben])
    assert team.fits, team.unplaced
    assert team.planned_minutes == 120


def test_shares_are_counted_in_the_blocks_they_will_take() -> None:
    """Six lines of 0.6 hours in blocks of an hour are six hours once planned: Alice (4 h)
    and Bob (2 h) hold them all. Counted in raw minutes (36 each), Alice took five, which
    became five hours in her plan, and one was left unplaced while Bob had time."""
    alice = Person("Alice", Window(days=(1,), start=540, end=780, min_block=60))
    bob = Person("Bob", Window(days=(1,), start=540, end=660, min_block=60))
    lines = [Line(f"f{i}", {"en": f"F{i}"}, Rhythm.SESSIONS, 0.6) for i in range(6)]
    team = share_out(lines, [alice, bob])
    assert team.fits, team.unplaced
    assert team.planned_minutes == 360


def test_free_time_is_counted_in_the_blocks_a_day_holds() -> None:
    """Alice's five days of 45 minutes hold five blocks of 30 minutes (2.5 hours), not 3.75
    hours: of 3.5 hours of blogging, she takes what fits and Bob's free Monday the rest."""
    alice = Person("Alice", Window(start=540, end=585))
    bob = Person("Bob", Window(days=(1,), start=540, end=720))
    team = share_out([Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 3.5)], [alice, bob])
    assert team.fits, team.unplaced
    assert team.planned_minutes == 210


@pytest.mark.parametrize(
    ("hours", "block", "alice", "bob"),
    [
        # Bob takes 13.5 h whole (the most free time) in sessions of 90 minutes, and his days
        # of 225 minutes hold two each: 1.5 h left, which Alice's free Monday now takes
        (
            13.5,
            45,
            Window(days=(1,), start=540, end=720),
            Window(days=(2, 3, 4, 5), start=540, end=765),
        ),
        # split between them, Alice's days of 45 minutes cannot hold her sessions: the rest
        # goes to Bob's free Saturday
        (
            5.5,
            30,
            Window(days=(1, 2, 3, 4, 5, 6), start=540, end=585),
            Window(days=(1, 6), start=540, end=645),
        ),
    ],
)
def test_what_a_plan_cannot_place_goes_to_someone_with_room(
    hours: float, block: int, alice: Window, bob: Window
) -> None:
    """Hours one person's days cannot hold are offered to a teammate who has room: nothing
    is said unplaced while someone could take it."""
    team = share_out(
        [Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, hours)],
        [
            Person("Alice", alice._replace(min_block=block)),
            Person("Bob", bob._replace(min_block=block)),
        ],
    )
    assert team.fits, team.unplaced
    assert team.planned_minutes == hours * 60


def test_hours_given_to_no_one_go_to_whoever_has_room_once_planned() -> None:
    """Daily time a person's plan cannot place (beyond one block a day) took room in the
    sharing that the plan left free: the weekly analysis given to no one then goes there. A
    team of one places what ``smtime plan`` alone places in the same window."""
    window = Window(days=(1, 2, 3), start=420, end=720)
    lines = [
        Line("acquisition", {"en": "Sharing"}, Rhythm.WEEKLY, 1.0),
        Line("blogging", {"en": "Blogging"}, Rhythm.DAILY, 6.5),
        Line("curation", {"en": "Curation"}, Rhythm.DAILY, 6.5),
        Line("veille", {"en": "Monitoring"}, Rhythm.DAILY, 1.5),
    ]
    alone = make_plan(lines, window)
    team = share_out(lines, [Person("Ann", window)])
    assert team.people[0][1].planned == alone.planned
    assert alone.planned["acquisition"] == 60
    assert "acquisition" not in team.unplaced


def test_calendar_file_stems_are_safe_and_unique() -> None:
    """Accents dropped, anything else but letters and digits joined by '-', lower case, at
    most 64 characters; a name with nothing left is 'person'; a stem already taken, or kept
    by Windows for a device, is numbered: '-2', '-3' …"""
    from smtime.team import file_stems

    names = ["José Núñez", "jose nunez", "../../etc/passwd", "李雷", "李雷", "A\x1b[31mB"]
    names += ["CON", "nul", "Com1", "b" * 300, "b" * 63 + " c" + "d" * 300, "b" * 300]
    assert file_stems(names) == [
        "jose-nunez",
        "jose-nunez-2",
        "etc-passwd",
        "person",
        "person-2",
        "a-31mb",
        "con-2",
        "nul-2",
        "com1-2",
        "b" * 64,
        "b" * 63,  # cut at 64 characters, the '-' it ended with dropped
        "b" * 62 + "-2",  # taken: numbered, still 64 characters
    ]
    many = file_stems(["x" * 100] * 300)
    assert len(set(many)) == 300
    assert max(len(stem) for stem in many) == 64


def test_a_long_name_makes_a_calendar_file(smtime: Smtime, tmp_path: Path) -> None:
    """A person's name of 300 characters (a team file may hold up to 2,000) makes a file
    name a file system takes, not an internal error."""
    team = tmp_path / "team.yaml"
    name = "b" * 300
    team.write_text(f"format: smtime-team/1\npeople:\n  - name: {name}\n    days: mon-fri\n")
    out = tmp_path / "calendars"
    out.mkdir()
    run = smtime("plan", "-H", "low", "--team", str(team), "--format", "ics", "--output-dir",
                 str(out), "--tz", "Europe/Paris")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert [p.name for p in out.iterdir()] == ["b" * 64 + ".ics"]


def test_a_signal_while_calendars_are_put_in_place_leaves_all_new(
    smtime: Smtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SIGTERM after the first calendar is renamed into place: the others follow before the
    run ends (exit 143), never a folder half of the old plan and half of the new."""
    import os
    import signal

    from smtime import signals as handling
    from smtime.cli import main

    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    args = ["plan", "--team", str(team), "-f", "ics", "--output-dir", str(out), "--tz", "UTC"]
    assert smtime(*args, "-H", "low").exit_code == 0
    old = {p.name: p.read_text() for p in out.iterdir()}
    replace = os.replace
    renamed: list[str] = []

    def interrupted(source: str, target: Path) -> None:
        replace(source, target)
        renamed.append(str(target))
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "replace", interrupted)
    monkeypatch.setattr(handling, "RECEIVED", [])  # this run's signal, not the next's
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        code = main([*args, "-H", "high"])
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    capsys.readouterr()
    assert code == 143
    assert len(renamed) == len(old) == 3
    new = {p.name: p.read_text() for p in out.iterdir()}
    assert new.keys() == old.keys()  # no temporary file left
    assert all(new[name] != old[name] for name in old)


def test_a_signal_as_a_temporary_file_is_made_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM just as a calendar's temporary file is made (before smtime knew its name):
    the run ends with 143 and no temporary file is left in the folder."""
    import os
    import signal
    import tempfile

    from smtime import signals as handling
    from smtime.cli import main

    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    made = tempfile.mkstemp

    def interrupted(*args: Any, **kwargs: Any) -> tuple[int, str]:
        found = made(*args, **kwargs)
        if Path(found[1]).parent == out:  # a calendar's, not the cache's
            os.kill(os.getpid(), signal.SIGTERM)
        return found

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    monkeypatch.setattr(handling, "RECEIVED", [])
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        code = main(["plan", "--team", str(team), "-f", "ics", "--output-dir", str(out)])
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    capsys.readouterr()
    assert code == 143
    assert list(out.iterdir()) == []


def test_two_calendars_that_are_one_file_are_refused(smtime: Smtime, tmp_path: Path) -> None:
    """bob.ics a link to alice.ics: writing both would leave one calendar under two names;
    refused (exit 73) before anything is written."""
    team = tmp_path / "team.yaml"
    team.write_text(TEAM)
    out = tmp_path / "calendars"
    out.mkdir()
    args = ("plan", "--team", str(team), "-f", "ics", "--output-dir", str(out), "--tz", "UTC")
    assert smtime(*args, "-H", "low").exit_code == 0
    (out / "bob.ics").unlink()
    (out / "bob.ics").symlink_to("alice.ics")
    before = (out / "alice.ics").read_text()
    run = smtime(*args, "-H", "high")
    assert run.exit_code == 73
    assert "the same file as" in run.stderr
    assert (out / "alice.ics").read_text() == before
    assert sorted(p.name for p in out.iterdir()) == ["alice.ics", "bob.ics", "chloe.ics"]
