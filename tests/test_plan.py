"""smtime plan: the timetable, its rule, iCalendar export and the hledger budget."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from smtime.domain import Rhythm
from smtime.errors import UsageError
from smtime.plan import Line, Window, block_minutes, make_plan, parse_clock, parse_days
from tests.conftest import Run, json_of

Smtime = Callable[..., Run]


def plan_json(smtime: Smtime, *args: str) -> dict[str, Any]:
    """Run plan --format json and check it against the schema."""
    data: dict[str, Any] = json_of(smtime("plan", "--format", "json", *args), "plan")
    return data


def test_plan_books_every_budget_hour(smtime: Smtime) -> None:
    """The high hypothesis (28 h) fits in Monday–Friday 9–17 and every family gets its hours."""
    data = plan_json(smtime, "-H", "high", "--lang", "en")
    assert data["fits"] is True
    assert data["planned_hours"] == 28
    assert data["capacity_hours"] == 40
    for family in data["families"]:
        assert family["planned_hours"] == family["budget_hours"]
    minutes: dict[str, int] = defaultdict(int)
    for block in data["blocks"]:
        minutes[block["id"]] += block["minutes"]
    assert minutes["blogging"] == 8 * 60


def test_rhythms(smtime: Smtime) -> None:
    """Community replies come a little every day; strategy in one block a week."""
    data = plan_json(smtime, "-H", "high")
    days_of: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for block in data["blocks"]:
        days_of[block["id"]].add(block["day"])
        count[block["id"]] += 1
    assert days_of["communication"] == {"mon", "tue", "wed", "thu", "fri"}
    assert count["strategie"] == 1
    assert count["analyse"] == 1
    assert all(b["minutes"] <= 120 for b in data["blocks"] if b["id"] == "blogging")


def test_default_scenario_is_low(smtime: Smtime) -> None:
    """Without a scenario, plan books the low hypothesis."""
    data = plan_json(smtime)
    assert data["hypothesis"] == "low"
    assert data["planned_hours"] == 10


def test_budget_that_does_not_fit_is_said(smtime: Smtime) -> None:
    """A window too small leaves blocks unplaced, and says so; nothing is overbooked."""
    data = plan_json(smtime, "-H", "high", "--days", "mon,tue", "--start", "9:00", "--end", "12:00")
    assert data["fits"] is False
    assert data["planned_hours"] <= 6
    assert sum(f["unplaced_hours"] for f in data["families"]) == pytest.approx(
        28 - data["planned_hours"]
    )
    table = smtime("plan", "-H", "high", "--days", "mon,tue", "--end", "12:00", "--lang", "en")
    assert "does not fit" in table.stdout
    ics = smtime(
        "plan", "-H", "high", "--days", "mon", "--end", "10:00", "-f", "ics", "--tz", "UTC"
    )
    assert "warning: the budget of 28 hours does not fit" in ics.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--days", "funday"), "not a day"),
        (("--days", "fri-mon"), "backwards"),
        (("--start", "18:00", "--end", "09:00"), "--start must be before --end"),
        (("--start", "25:00"), "not a time of day"),
        (("--min-block", "2"), "--min-block"),
        (("--min-block", "99999999999999999999999"), "'99999999999999999999999' is too large"),
        (("--format", "ics", "--tz", "Mars/Olympus"), "IANA time zone"),
        (("--format", "ics", "--tz", "Europe"), "IANA time zone"),  # a folder of zones
        (("--format", "ics", "--tz", "America/"), "IANA time zone"),
        # files of the zone folder that are no zone: their names mean nothing elsewhere
        (("--format", "ics", "--tz", "localtime"), "'localtime' is not an IANA time zone"),
        (("--format", "ics", "--tz", "posix/Europe/Paris"), "IANA time zone"),
        (("--format", "ics", "--tz", "right/Europe/Paris"), "IANA time zone"),
        (("--format", "ics", "--tz", "Factory"), "IANA time zone"),
        (("--from", "next week"), "not a date"),
        (("--format", "ics", "--from", "0001-01-01"), "outside the years 1970 to 9998"),
        (("--format", "ics", "--from", "9999-12-27"), "outside the years 1970 to 9998"),
    ],
)
def test_bad_plan_options_exit_2(smtime: Smtime, args: tuple[str, ...], fragment: str) -> None:
    """Bad days, times, blocks, zones or dates exit 2 with what is expected."""
    run = smtime("plan", "-H", "low", *args)
    assert run.exit_code == 2
    assert fragment in run.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "hledger"])
def test_a_bad_zone_is_refused_whatever_the_format(smtime: Smtime, fmt: str) -> None:
    """``--tz`` names the events' zone of a calendar only, but a zone that is none is
    refused with any format, not taken without a word; a real one is accepted."""
    run = smtime("plan", "-H", "low", "-f", fmt, "--tz", "localtime")
    assert run.exit_code == 2
    assert "'localtime' is not an IANA time zone" in run.stderr
    assert smtime("plan", "-H", "low", "-f", fmt, "--tz", "Europe/Paris").exit_code == 0


@pytest.mark.parametrize(
    ("system", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("posix/Europe/Paris", "Europe/Paris"),  # where /etc/localtime links into posix/
        ("right/Asia/Tokyo", "Asia/Tokyo"),
        ("localtime", "UTC"),
        ("Mars/Olympus", "UTC"),
        (None, "UTC"),
    ],
)
def test_the_system_zone_is_named_as_the_tz_database_names_it(
    monkeypatch: pytest.MonkeyPatch, system: str | None, zone: str
) -> None:
    """Without ``--tz``, the system's zone is its IANA name, its ``posix/`` or ``right/``
    copy named as the zone itself; a system zone that is no zone is UTC, never a refusal
    of a ``--tz`` nobody gave."""
    import tzlocal

    from smtime.request import parse_zone

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: system)
    assert parse_zone(None) == zone


def test_plan_markdown_and_table(smtime: Smtime) -> None:
    """Table and Markdown show the days as columns."""
    table = smtime("plan", "-H", "mid", "--lang", "fr").stdout
    assert "Lundi" in table
    assert "Vendredi" in table
    markdown = smtime("plan", "-H", "mid", "--lang", "en", "-f", "markdown").stdout
    assert markdown.splitlines()[2].startswith("| Monday | Tuesday")


def _events(text: str, weeks: int = 2) -> list[Any]:
    calendar = Calendar.from_ical(text)
    start = datetime(2026, 11, 30, tzinfo=ZoneInfo("Europe/Paris"))
    end = (
        datetime(2026, 11, 30 + 7 * weeks, tzinfo=ZoneInfo("Europe/Paris")) if weeks == 0 else None
    )
    del end
    events: list[Any] = recurring_ical_events.of(calendar).between(
        start, datetime(2026, 12, 14, tzinfo=ZoneInfo("Europe/Paris"))
    )
    return events


def test_ics_round_trip(smtime: Smtime) -> None:
    """Expanding the weekly recurrences gives each family its hours every week."""
    run = smtime(
        "plan",
        "-H",
        "high",
        "--contingency",
        "10",
        "-f",
        "ics",
        "--from",
        "2026-12-02",
        "--tz",
        "Europe/Paris",
        "--lang",
        "en",
    )
    assert run.exit_code == 0, run.stderr
    calendar = Calendar.from_ical(run.stdout)
    assert calendar["VERSION"] == "2.0"
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    events = _events(run.stdout)
    per_week: dict[tuple[int, str], float] = defaultdict(float)
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start.tzinfo is not None
        assert str(start.tzinfo) == "Europe/Paris"
        assert start.hour >= 9
        assert (end.hour, end.minute) <= (17, 0)
        week = start.isocalendar()[1]
        per_week[(week, str(event["CATEGORIES"].cats[1]))] += (end - start).total_seconds() / 3600
    assert {week for week, _ in per_week} == {49, 50}
    for week in (49, 50):
        assert per_week[(week, "blogging")] == 8
        assert per_week[(week, "strategie")] == 2
        assert per_week[(week, "contingency")] == pytest.approx(3.0)
    first = min(e["DTSTART"].dt for e in events)
    assert first.date().isoformat() == "2026-11-30"
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Monitoring / Sourcing" in summaries
    blogging = next(e for e in events if str(e["SUMMARY"]) == "Blogging")
    assert "Editorial line" in str(blogging["DESCRIPTION"])
    assert all("DTSTAMP" in e for e in events)


def test_ics_uids_are_stable(smtime: Smtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exporting the same plan again gives the same UIDs, one per weekly block."""
    args = ("plan", "-H", "mid", "-f", "ics", "--from", "2026-11-30", "--tz", "Europe/Paris")
    first = Calendar.from_ical(smtime(*args).stdout)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = Calendar.from_ical(
        smtime(*args[:-4], "--from", "2027-01-04", "--tz", "Europe/Paris").stdout
    )
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    stamp = second.walk("VEVENT")[0].DTSTAMP
    assert stamp == datetime.fromtimestamp(1700000000, tz=ZoneInfo("UTC"))


def test_ics_summary_in_the_chosen_language(smtime: Smtime) -> None:
    """Event summaries follow --lang."""
    text = smtime("plan", "-H", "low", "-f", "ics", "--tz", "UTC", "--lang", "fr").stdout
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(text).walk("VEVENT")}
    assert "Stratégie" in summaries


def test_hledger_rules(smtime: Smtime) -> None:
    """--format hledger writes ~ weekly rules, one account per family, plain or with h."""
    plain = smtime("plan", "-H", "mid", "-f", "hledger").stdout
    assert "~ weekly  smtime budget" in plain
    assert "(social-media:blogging)" in plain
    assert plain.count("(social-media:") == 7
    unit = smtime(
        "plan",
        "-H",
        "mid",
        "-f",
        "hledger",
        "--hledger-unit",
        "h",
        "--from",
        "2026-11-30",
        "--account",
        "time:sm",
    ).stdout
    assert "~ weekly from 2026-11-30  smtime budget" in unit
    assert "(time:sm:curation)" in unit
    assert "2.50h" in unit


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is installed by .ci/run")
@pytest.mark.parametrize(
    ("unit", "log", "suffix"),
    [
        ("none", "2026-11-30\nsocial-media:veille  1.5\nsocial-media:blogging  2\n", "timedot"),
        ("h", "i 2026-11-30 09:00:00 social-media:veille\no 2026-11-30 10:30:00\n", "timeclock"),
    ],
)
def test_hledger_round_trip(
    smtime: Smtime, tmp_path: Path, unit: str, log: str, suffix: str
) -> None:
    """hledger balance --budget sets a timedot or timeclock log against the budget."""
    budget = tmp_path / "budget.journal"
    smtime(
        "plan",
        "-H",
        "low",
        "-f",
        "hledger",
        "--hledger-unit",
        unit,
        "--from",
        "2026-11-30",
        "-o",
        str(budget),
    )
    actual = tmp_path / f"time.{suffix}"
    actual.write_text(log)
    out = subprocess.run(
        [
            "hledger",
            "-f",
            str(budget),
            "-f",
            str(actual),
            "balance",
            "--budget",
            "-W",
            "-b",
            "2026-11-30",
            "-e",
            "2026-12-07",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    veille = next(line for line in out.splitlines() if "social-media:veille" in line)
    assert "75% of" in veille
    assert ("2.00h" in veille) == (unit == "h")


windows = st.builds(
    lambda days, start, length, block: Window(days, start, start + length, block),
    st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True).map(
        lambda d: tuple(sorted(d))
    ),
    st.integers(0, 20 * 60).map(lambda m: m - m % 15),
    st.integers(60, 4 * 60).map(lambda m: m - m % 15),
    st.sampled_from([15, 30, 45, 60]),
)
lines = st.lists(
    st.builds(
        lambda i, rhythm, hours: Line(f"f{i}", {"en": f"F{i}"}, rhythm, hours),
        st.integers(0, 1000),
        st.sampled_from(list(Rhythm)),
        st.floats(0, 30, allow_nan=False),
    ),
    max_size=9,
    unique_by=lambda line: line.key,
)


@settings(max_examples=200)
@given(lines, windows)
def test_plan_never_exceeds_the_window(plan_lines: list[Line], window: Window) -> None:
    """No block starts before the window, ends after it, overlaps another or is too short."""
    if window.end > 24 * 60 or window.min_block > window.length:
        return
    plan = make_plan(plan_lines, window)
    by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for block in plan.blocks:
        assert block.day in window.days
        assert window.start <= block.start < block.end <= window.end
        assert block.minutes >= window.min_block
        by_day[block.day].append((block.start, block.end))
    for spans in by_day.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start
    for line in plan_lines:  # every minute of the rounded budget is planned or unplaced
        wanted = block_minutes(line.hours, window.min_block)
        assert plan.planned[line.key] + plan.unplaced.get(line.key, 0) == wanted
    by_key = {line.key: line for line in plan_lines}
    if any(by_key[key].rhythm is not Rhythm.DAILY for key, m in plan.unplaced.items() if m):
        assert plan.room == 0  # sessions are left unplaced only when no day has a block free


@pytest.mark.parametrize(
    ("hours", "block", "minutes"),
    [
        (0.75, 30, 60),
        (1.25, 30, 90),
        (1.75, 30, 120),
        (2.25, 30, 150),
        (2.5, 60, 180),
        (1.5, 60, 120),
        (1.2, 30, 60),
        (0.1, 30, 30),
        (0.0, 30, 0),
        (0.1 + 0.2 + 0.45, 30, 60),  # 0.75 as floats add up: still a half, still up
    ],
)
def test_hours_round_to_the_nearest_block_halves_up(hours: float, block: int, minutes: int) -> None:
    """A line's hours become the nearest whole number of blocks, halves up as people round
    (never to the even number), and at least one block for any hours."""
    assert block_minutes(hours, block) == minutes


def test_parsers() -> None:
    """Days and times read in the usual spellings."""
    assert parse_days("mon-fri") == (1, 2, 3, 4, 5)
    assert parse_days("Monday,wed,7") == (1, 3, 7)
    assert parse_days("tuesday-THU") == (2, 3, 4)
    assert parse_clock("9h30") == 570
    assert parse_clock("08:05") == 485
    assert parse_clock("9h") == parse_clock("9") == 540
    assert parse_clock(" 24:00 ") == 1440


@pytest.mark.parametrize("days", ["monkey", "wedding", "mo", "tues", "8", "0", "٣", "mon,", "mon-"])
def test_words_that_are_not_days_are_refused(days: str) -> None:
    """Only a day's number, its three letters or its whole name: not any word that starts
    like one (``monkey`` was Monday), nor digits of other scripts."""
    with pytest.raises(UsageError, match="is not a day"):
        parse_days(days)


@pytest.mark.parametrize(
    "clock", ["1:5", "+17:00", "٩:٠٠", "9:60", "24:01", "25", "9:00:00", "", "h", "9:"]
)
def test_what_is_not_a_time_of_day_is_refused(clock: str) -> None:
    """A time of day is one or two ASCII digits, then minutes in two digits after ``:`` or
    ``h``: not ``1:5``, a sign, other scripts' digits, nor seconds."""
    with pytest.raises(UsageError, match="is not a time of day"):
        parse_clock(clock)


def test_daily_blocks_go_to_the_days_that_have_room() -> None:
    """Daily families that fill the first days go on to the next ones: with seven days of
    one hour, five hours of daily work are all placed, one block a day each."""
    daily = [
        Line("veille", {"en": "Monitoring"}, Rhythm.DAILY, 2.0),
        Line("acquisition", {"en": "Sharing"}, Rhythm.DAILY, 2.0),
        Line("curation", {"en": "Curation"}, Rhythm.DAILY, 1.0),
    ]
    plan = make_plan(daily, Window(days=tuple(range(1, 8)), start=540, end=600, min_block=60))
    assert plan.fits, plan.unplaced
    assert plan.planned == {"veille": 120, "acquisition": 120, "curation": 60}
    assert sorted(b.day for b in plan.blocks) == [1, 2, 3, 4, 5]
    for key in plan.planned:  # one block a day, as daily means
        days = [b.day for b in plan.blocks if b.key == key]
        assert len(days) == len(set(days))


def test_a_session_no_day_holds_whole_is_split_over_the_days() -> None:
    """Blogging's two-hour session, in a week whose days have an hour left each once the
    daily work is placed, is split into an hour on two days, not left unplaced."""
    lines = [
        Line("veille", {"en": "Monitoring"}, Rhythm.DAILY, 2.0),
        Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 2.0),
    ]
    plan = make_plan(lines, Window(days=(1, 2), start=540, end=660))
    assert plan.fits, plan.unplaced
    assert [(b.day, b.key, b.minutes) for b in plan.blocks] == [
        (1, "veille", 60),
        (1, "blogging", 60),
        (2, "veille", 60),
        (2, "blogging", 60),
    ]


def test_blocks_that_fit_whole_keep_their_place_before_any_is_split() -> None:
    """Analysis and strategy keep the hour each that fits whole; only then is blogging's
    session, which no day holds whole, split over the room left (not placed first, taking
    their room)."""
    lines = [
        Line("veille", {"en": "Monitoring"}, Rhythm.DAILY, 5.0),
        Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 2.0),
        Line("analyse", {"en": "Analysis"}, Rhythm.WEEKLY, 1.0),
        Line("strategie", {"en": "Strategy"}, Rhythm.WEEKLY, 1.0),
    ]
    plan = make_plan(lines, Window(days=(1, 2), start=540, end=780))
    assert plan.planned == {"veille": 300, "blogging": 60, "analyse": 60, "strategie": 60}
    assert plan.unplaced == {"blogging": 60}


def test_a_split_session_prefers_days_without_that_family() -> None:
    """The pieces of a split session go first to days without a block of the same family,
    so that a day does not show one sitting as two events back to back."""
    lines = [
        Line("veille", {"en": "Monitoring"}, Rhythm.DAILY, 3.0),
        Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 3.0),
    ]
    plan = make_plan(lines, Window(days=(1, 2, 3), start=540, end=660))
    assert plan.fits, plan.unplaced
    days = [b.day for b in plan.blocks if b.key == "blogging"]
    assert len(days) == len(set(days)) == 3


def test_sessions_are_no_longer_than_the_day() -> None:
    """Two hours of blogging in days of one hour are two sessions of one hour, not one of two
    hours that no day holds."""
    blogging = [Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 2.0)]
    plan = make_plan(blogging, Window(start=540, end=600))
    assert plan.fits, plan.unplaced
    assert [(b.day, b.minutes) for b in plan.blocks] == [(1, 60), (2, 60)]


def test_daily_time_beyond_a_day_is_placed_as_far_as_the_days_go() -> None:
    """Twelve hours of daily work in five days of two hours: ten are placed, two are said to
    be left over (not all twelve, as when each day's share was longer than the day)."""
    buffer = [Line("contingency", {"en": "Unplanned"}, Rhythm.DAILY, 12.0)]
    plan = make_plan(buffer, Window(start=540, end=660))
    assert plan.planned == {"contingency": 600}
    assert plan.unplaced == {"contingency": 120}


def test_the_warning_says_whether_the_week_or_its_days_are_too_short() -> None:
    """More hours than the window holds: the budget does not fit. As many as it holds, in
    days whose ends whole blocks cannot fill: it fits in the week, not in its days."""
    from smtime.render.plan import warning

    window = Window(days=(1, 2), start=540, end=585, min_block=30)  # two days of 45 minutes
    blogging = Line("blogging", {"en": "Blogging"}, Rhythm.SESSIONS, 1.5)
    days = warning(make_plan([blogging], window), "en")
    assert days == (
        "the budget of 1.5 hours fits in the window of 1.5 hours a week, but not in whole "
        "blocks of its days; not placed: Blogging 0.5 h"
    )
    week = warning(make_plan([blogging._replace(hours=3.0)], window), "en")
    assert week is not None
    assert week.startswith("the budget of 3 hours does not fit in the window of 1.5 hours")


def test_a_plan_with_no_hours_says_it_has_nothing_to_place(smtime: Smtime, tmp_path: Path) -> None:
    """Families set to 0 hours leave nothing to place: the calendar has no events, and a
    warning says why (on stderr for a file format, under the table), in the chosen language;
    the JSON says it fits, as it does."""
    zero = ["plan", "--only", "blogging", "--set", "blogging=0h"]
    ics = smtime(*zero, "--format", "ics", "--from", "2027-01-04", "--tz", "Europe/Paris")
    assert ics.exit_code == 0
    assert "BEGIN:VEVENT" not in ics.stdout
    assert ics.stderr == "smtime: warning: the budget is 0 hours: the plan has nothing to place\n"
    table = smtime(*zero, "--lang", "fr")
    assert "le budget est de 0 heure\u202f: le plan n’a rien à placer" in table.stdout
    json = smtime(*zero, "--format", "json")
    assert (json.stderr, json_of(json, "plan")["fits"]) == ("", True)
    team = tmp_path / "team.yaml"
    team.write_text("format: smtime-team/1\npeople:\n  - name: Ann\n")
    both = smtime(*zero, "--team", str(team), "--format", "markdown")
    assert "the budget is 0 hours: the plan has nothing to place" in both.stdout
