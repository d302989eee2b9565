"""smtime plan --format ics as a calendar that is updated: SEQUENCE, LAST-MODIFIED, stable
UIDs, --previous and its cancellations, and a real import into khal."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from smtime.errors import ExitCode
from smtime.render.ics import MAX_PREVIOUS_BYTES
from tests.conftest import Run

Smtime = Callable[..., Run]
ICS = ("plan", "-f", "ics", "--from", "2026-11-30", "--tz", "Europe/Paris", "--lang", "en")
FIRST, SECOND = "1796083200", "1796169600"  # 2026-12-01 and 2026-12-02, 00:00 UTC


def events(text: str) -> dict[str, Any]:
    """The events of an iCalendar text, by UID."""
    return {str(e["UID"]): e for e in Calendar.from_ical(text).walk("VEVENT")}


def written(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, epoch: str, *args: str
) -> dict[str, Any]:
    """Run plan --format ics at the time ``epoch`` and return its events by UID."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    run = smtime(*ICS, *args)
    assert run.exit_code == 0, run.stderr
    return events(run.stdout)


def save(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, epoch: str, path: Path, *args: str
) -> None:
    """Write plan --format ics to ``path`` at the time ``epoch``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    run = smtime(*ICS, *args, "-o", str(path))
    assert run.exit_code == 0, run.stderr


def status(event: Any) -> str:
    """An event's STATUS."""
    return str(event["STATUS"])


def key(event: Any) -> tuple[str, int, datetime]:
    """What identifies a block: its family, its weekday, and its start to order the rest."""
    start = event["DTSTART"].dt
    return str(event["CATEGORIES"].cats[1]), start.isoweekday(), start


def test_every_event_has_sequence_and_last_modified(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first export: every event is confirmed, SEQUENCE 0, LAST-MODIFIED the export time."""
    events = written(smtime, monkeypatch, FIRST, "-H", "mid")
    assert events
    stamp = datetime.fromtimestamp(int(FIRST), tz=UTC)
    for event in events.values():
        assert event["SEQUENCE"] == 0
        assert event["LAST-MODIFIED"].dt == stamp
        assert event["DTSTAMP"].dt == stamp
        assert status(event) == "CONFIRMED"


def test_a_block_that_ends_at_midnight_ends_at_the_next_days_midnight(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window to 24:00 ends its last block at the next day's 00:00, so that the block
    lasts its whole hour in every calendar (not 23:59:59, one second short)."""
    found = written(smtime, monkeypatch, FIRST, "-H", "low", "--only", "strategie",
                    "--start", "23:00", "--end", "24:00")  # fmt: skip
    (event,) = found.values()
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-30T23:00:00+01:00",
        "2026-12-01T00:00:00+01:00",
    )


def test_the_calendar_is_named_once(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plan of no profile is named ``smtime``; of a profile, ``smtime — its name``; never
    ``smtime — smtime``."""
    run = smtime(*ICS, "-H", "low")
    assert Calendar.from_ical(run.stdout)["X-WR-CALNAME"] == "smtime"
    profile = tmp_path / "acme.yaml"
    profile.write_text("format: smtime-profile/1\nname: ACME\nhypothesis: low\n")
    run = smtime(*ICS, "--profile", str(profile))
    assert run.exit_code == 0, run.stderr
    assert Calendar.from_ical(run.stdout)["X-WR-CALNAME"] == "smtime — ACME"


def test_a_previous_plan_of_long_ago_keeps_the_time_zone_of_the_new_one(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With --previous a plan of 1990, the time zone spells out the clock changes from 1990
    (its cancelled events) to twenty years after the new plan's first week, not 2010."""
    old = tmp_path / "old.ics"
    run = smtime("plan", "-f", "ics", "-H", "low", "--from", "1990-01-01", "--tz",
                 "Europe/Paris", "-o", str(old))  # fmt: skip
    assert run.exit_code == 0, run.stderr
    run = smtime(*ICS, "-H", "mid", "--start", "10:00", "--previous", str(old))
    assert run.exit_code == 0, run.stderr
    (zone,) = Calendar.from_ical(run.stdout).walk("VTIMEZONE")
    changes = daylight_changes(zone)
    assert (changes[0].year, changes[-1].year) == (1990, 2045)


@pytest.mark.parametrize(
    ("window", "said"),
    [
        (("--start", "01:00", "--end", "04:00"), "2026-03-29 01:00–03:00"),  # spans the gap
        (("--start", "02:30", "--end", "04:30"), "2026-03-29 02:30–04:30"),  # starts in it
        (("--start", "01:00", "--end", "04:00", "--from", "2026-10-19"), "2026-10-25 01:00–03:00"),
    ],
)
def test_a_block_across_a_change_of_the_clocks_is_said(
    smtime: Smtime, window: tuple[str, ...], said: str
) -> None:
    """A Sunday block that the night the clocks change makes an hour shorter (spring) or
    longer (autumn: the hour from 02:00 comes twice), in the year from the plan's first
    week, is named in a warning; the calendar is written."""
    run = smtime("plan", "-f", "ics", "-H", "low", "--only", "blogging", "--days", "sun",
                 "--from", "2026-03-23", *window, "--tz", "Europe/Paris")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("BEGIN:VCALENDAR")
    assert run.stderr == (
        f"smtime: warning: blocks across a change of the clocks in Europe/Paris ({said}): "
        "that day they last an hour less or more than planned\n"
    )


def test_blocks_by_day_say_nothing_of_the_clocks(smtime: Smtime) -> None:
    """The usual window, 09:00 to 17:00, never meets a change of the clocks: no warning."""
    run = smtime(*ICS, "-H", "high", "--days", "mon-sun")
    assert (run.exit_code, run.stderr) == (0, "")


def test_uids_stay_when_another_family_changes(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lengthening one family's blocks moves the blocks after them, which keep their UIDs."""
    before = written(smtime, monkeypatch, FIRST, "-H", "mid")
    after = written(smtime, monkeypatch, FIRST, "-H", "mid", "--set", "veille=4.5h")
    others = {u: e for u, e in before.items() if key(e)[0] != "veille"}
    assert others.keys() <= after.keys()
    moved = [u for u, e in others.items() if after[u]["DTSTART"].dt != e["DTSTART"].dt]
    assert moved, "the test must move some block of another family"
    for uid in others:
        assert key(after[uid])[:2] == key(before[uid])[:2]


def test_previous_cancels_dropped_blocks(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--previous: dropped blocks cancelled with a higher SEQUENCE, changed ones re-sequenced,
    unchanged ones as they were; the confirmed events are the new plan."""
    old_file = tmp_path / "old.ics"
    save(smtime, monkeypatch, FIRST, old_file, "-H", "high")
    old = events(old_file.read_text())
    new = written(smtime, monkeypatch, SECOND, "-H", "low", "--previous", str(old_file))
    alone = written(smtime, monkeypatch, SECOND, "-H", "low")
    confirmed = {u: e for u, e in new.items() if status(e) == "CONFIRMED"}
    assert confirmed.keys() == alone.keys()
    dropped = old.keys() - alone.keys()
    assert dropped
    assert {u for u, e in new.items() if status(e) == "CANCELLED"} == dropped
    for uid in dropped:
        event = new[uid]
        assert event["SEQUENCE"] == old[uid]["SEQUENCE"] + 1
        assert "RRULE" not in event
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event["DTSTART"].dt == old[uid]["DTSTART"].dt
        assert str(event["SUMMARY"]) == str(old[uid]["SUMMARY"])
    changed = unchanged = 0
    for uid, event in confirmed.items():
        if uid not in old:
            assert event["SEQUENCE"] == 0
        elif (event["DTSTART"].dt, event["DTEND"].dt) != (
            old[uid]["DTSTART"].dt,
            old[uid]["DTEND"].dt,
        ):
            changed += 1
            assert event["SEQUENCE"] == 1
            assert event["LAST-MODIFIED"].dt == datetime.fromtimestamp(int(SECOND), tz=UTC)
        else:
            unchanged += 1
            assert event["SEQUENCE"] == 0
            assert event["LAST-MODIFIED"].dt == old[uid]["LAST-MODIFIED"].dt
    assert changed
    assert unchanged


def test_previous_again_changes_nothing(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plan written again over itself keeps every SEQUENCE, LAST-MODIFIED and cancellation."""
    first, second = tmp_path / "high.ics", tmp_path / "low.ics"
    save(smtime, monkeypatch, FIRST, first, "-H", "high")
    save(smtime, monkeypatch, SECOND, second, "-H", "low", "--previous", str(first))
    before = events(second.read_text())
    again = written(smtime, monkeypatch, "1796256000", "-H", "low", "--previous", str(second))
    assert again.keys() == before.keys()
    for uid, event in again.items():
        assert event["SEQUENCE"] == before[uid]["SEQUENCE"]
        assert event["LAST-MODIFIED"].dt == before[uid]["LAST-MODIFIED"].dt
        assert status(event) == status(before[uid])


def test_a_block_that_comes_back_is_confirmed_again(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A block cancelled by one plan and planned again by the next gets a higher SEQUENCE."""
    high, low = tmp_path / "high.ics", tmp_path / "low.ics"
    save(smtime, monkeypatch, FIRST, high, "-H", "high")
    save(smtime, monkeypatch, SECOND, low, "-H", "low", "--previous", str(high))
    cancelled = {u for u, e in events(low.read_text()).items() if status(e) == "CANCELLED"}
    back = written(smtime, monkeypatch, "1796256000", "-H", "high", "--previous", str(low))
    assert cancelled <= back.keys()
    for uid in cancelled:
        assert status(back[uid]) == "CONFIRMED"
        assert back[uid]["SEQUENCE"] == 2
        assert "RRULE" in back[uid]


NOT_SMTIME = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
    "BEGIN:VEVENT\r\nUID:abc@google.com\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _smtime_calendar(event: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//smtime//weekly social-media plan//EN\r\n"
        f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


GOOD_UID = "UID:0123456789abcdef0123456789abcdef@smtime\r\n"
TIMES = "DTSTART:20261130T090000Z\r\nDTEND:20261130T100000Z\r\n"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("families:\n  - id: x\n", ExitCode.DATA_ERROR, "old.ics: not an iCalendar file ("),
        (b"\x00\x01BEGIN", ExitCode.DATA_ERROR, "binary data"),
        ("BEGIN:VEVENT\r\nEND:VEVENT\r\n", ExitCode.DATA_ERROR, "no VCALENDAR"),
        (NOT_SMTIME, ExitCode.DATA_ERROR, "not a plan written by smtime plan --format ics"),
        (
            _smtime_calendar("UID:x@smtime\r\n" + TIMES),
            ExitCode.DATA_ERROR,
            "event 1: UID 'x@smtime'",
        ),
        (_smtime_calendar(GOOD_UID + "DTSTART:garbage\r\n"), ExitCode.DATA_ERROR, "DTSTART is not"),
        (
            _smtime_calendar(GOOD_UID + TIMES + "SEQUENCE:-3\r\n"),
            ExitCode.DATA_ERROR,
            "SEQUENCE must be a whole number",
        ),
        (
            _smtime_calendar(GOOD_UID + "DTSTART:20261130T090000\r\nDTEND:20261130T100000\r\n"),
            ExitCode.DATA_ERROR,
            "DTSTART is not a date and time in UTC or a named time zone",
        ),
        (b"x" * (MAX_PREVIOUS_BYTES + 1), ExitCode.DATA_ERROR, "larger than the limit of 4 MiB"),
    ],
)
def test_a_previous_file_that_is_not_an_smtime_plan(
    smtime: Smtime, tmp_path: Path, content: str | bytes, code: int, message: str
) -> None:
    """A --previous file that is not a plan smtime wrote is one line on stderr, exit 65."""
    path = tmp_path / "old.ics"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    run = smtime(*ICS, "--previous", str(path))
    assert run.exit_code == code, (run.stdout, run.stderr)
    assert message in run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr


def test_previous_usage(smtime: Smtime, tmp_path: Path) -> None:
    """--previous: a missing file is exit 66, another format or a team exit 2, and writing
    over the file read is refused (exit 73) with the file left as it was."""
    missing = smtime(*ICS, "--previous", str(tmp_path / "nope.ics"))
    assert missing.exit_code == ExitCode.NO_INPUT
    assert "no such file" in missing.stderr
    old = tmp_path / "plan.ics"
    assert smtime(*ICS, "-o", str(old)).exit_code == 0
    table = smtime("plan", "--previous", str(old))
    assert table.exit_code == ExitCode.USAGE
    assert "--previous: only with --format ics" in table.stderr
    team = tmp_path / "team.yaml"
    team.write_text("format: smtime-team/1\npeople:\n  - name: Alice\n")
    shared = smtime(
        *ICS, "--team", str(team), "--output-dir", str(tmp_path), "--previous", str(old)
    )
    assert shared.exit_code == ExitCode.USAGE
    assert "--previous: not with --team" in shared.stderr
    text = old.read_text()
    over = smtime(*ICS, "--previous", str(old), "-o", str(old))
    assert over.exit_code == ExitCode.CANNOT_CREATE
    assert old.read_text() == text


@settings(
    max_examples=60,
    deadline=timedelta(seconds=10),  # a hang guard, not a speed measure
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "BEGIN:VEVENT",
                    "END:VEVENT",
                    "BEGIN:VCALENDAR",
                    "END:VCALENDAR",
                    GOOD_UID.strip(),
                    "DTSTART;TZID=Europe/Paris:20261130T090000",
                    "DTEND;TZID=Nowhere/City:20261130T100000",
                    "SEQUENCE:99999999999999999999",
                    "LAST-MODIFIED:2026",
                    "CATEGORIES:",
                    "SUMMARY:\x1b[31m",
                    " folded",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=12,
    )
)
def test_random_previous_files_end_cleanly(
    smtime: Smtime, tmp_path: Path, lines: list[str]
) -> None:
    """Whatever follows an smtime PRODID, --previous ends with 0 or 65, never a traceback."""
    path = tmp_path / "fuzz.ics"
    head = "BEGIN:VCALENDAR\r\nPRODID:-//smtime//weekly social-media plan//EN\r\n"
    path.write_text(head + "\r\n".join(lines) + "\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    run = smtime(*ICS, "--previous", str(path))
    assert run.exit_code in (ExitCode.OK, ExitCode.DATA_ERROR), run.stderr
    if run.exit_code:
        assert run.stderr.strip()
        assert "Traceback" not in run.stderr


# khal ----------------------------------------------------------------------------------------

KHAL_CONFIG = """\
[calendars]
[[plan]]
path = {folder}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = Europe/Paris
local_timezone = Europe/Paris
[sqlite]
path = {database}
"""


class Khal:
    """khal on a calendar of its own, in a temporary folder."""

    def __init__(self, folder: Path) -> None:
        (folder / "calendar").mkdir()
        self.config = folder / "khal.conf"
        self.config.write_text(
            KHAL_CONFIG.format(folder=folder / "calendar", database=folder / "khal.db")
        )
        self.env = {**os.environ, "HOME": str(folder), "LANG": "C.UTF-8", "TZ": "Europe/Paris"}

    def run(self, *args: str) -> str:
        """Run khal with this configuration and return what it printed."""
        return subprocess.run(
            ["khal", "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            check=True,
            env=self.env,
            stdin=subprocess.DEVNULL,
        ).stdout

    def listed(self, first: str, last: str) -> list[tuple[str, str, str, str, bool]]:
        """The events khal lists from ``first`` to ``last``: day, start, end, title, and
        whether it is cancelled."""
        listed = self.run(
            "list",
            first,
            last,
            "--day-format",
            "",
            "--format",
            "{start-date}|{start-time}|{end-time}|{cancelled}|{title}",
        )
        found = []
        for line in listed.splitlines():
            if line.strip():
                day, start, end, cancelled, title = line.split("|")
                found.append((day, start, end, title, bool(cancelled.strip())))
        return found


def hours(events: list[tuple[str, str, str, str, bool]]) -> float:
    """The hours of the events that are not cancelled."""
    total = 0.0
    for _, start, end, _, cancelled in events:
        if not cancelled:
            a, b = (datetime.strptime(t, "%H:%M") for t in (start, end))
            total += (b - a).total_seconds() / 3600
    return total


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is installed by .ci/run")
def test_khal_import_of_a_changed_plan_leaves_only_the_new_blocks(
    smtime: Smtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Imported into khal over the high plan (28 h), the low plan written with --previous
    leaves exactly its blocks, 10 h a week; written without it, old blocks stay behind."""
    high, low, alone = tmp_path / "high.ics", tmp_path / "low.ics", tmp_path / "alone.ics"
    save(smtime, monkeypatch, FIRST, high, "-H", "high")
    save(smtime, monkeypatch, SECOND, low, "-H", "low", "--previous", str(high))
    save(smtime, monkeypatch, SECOND, alone, "-H", "low")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    updated, stale = Khal(tmp_path / "a"), Khal(tmp_path / "b")
    updated.run("import", "--batch", str(high))
    updated.run("import", "--batch", str(low))
    stale.run("import", "--batch", str(high), str(alone))  # one after the other, as above
    plan = [
        (e["DTSTART"].dt, e["DTEND"].dt.strftime("%H:%M"), str(e["SUMMARY"]), False)
        for e in events(alone.read_text()).values()
    ]
    listed = updated.listed("2026-11-30", "2026-12-13")
    for shift in (0, 7):
        week = [e for e in listed if e[0] in days(shift)]
        assert hours(week) == 10
        expected = [
            ((s + timedelta(days=shift)).strftime("%Y-%m-%d"), s.strftime("%H:%M"), *rest)
            for s, *rest in plan
        ]
        assert sorted(e for e in week if not e[4]) == sorted(expected)
    assert not any(e[4] for e in listed if e[0] in days(7)), "cancelled: the first week only"
    assert any(e[4] for e in listed if e[0] in days(0))
    assert hours(stale.listed("2026-12-07", "2026-12-13")) > 10


def daylight_changes(zone: Any) -> list[datetime]:
    """The moments a VTIMEZONE says the clocks go forward, in order."""
    changes = []
    for part in zone.walk("DAYLIGHT"):
        rdates = part.get("RDATE", [])  # one RDATE property, or a list of them
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            changes += [moment.dt for moment in rdate.dts]
        changes.append(part["DTSTART"].dt)
    return sorted(changes)


@pytest.mark.parametrize("first", ["2040-01-02", "2026-11-30", "9998-01-05"])
def test_the_time_zone_spells_out_the_clock_changes_of_the_plan(smtime: Smtime, first: str) -> None:
    """The calendar's VTIMEZONE gives the clock changes from the plan's first week on, for
    twenty years: a plan of 2040 has those of 2040 (icalendar's default stopped at 2038),
    and one of year 9998 is written too."""
    run = smtime(*ICS[:3], "-H", "low", "--from", first, "--tz", "Europe/Paris")
    assert run.exit_code == 0, run.stderr
    (zone,) = Calendar.from_ical(run.stdout).walk("VTIMEZONE")
    changes = daylight_changes(zone)
    year = int(first[:4])
    assert changes[0].year in (year, year + 1)  # the first spring after the first week
    assert changes[-1].year == min(year + 19, 9998)


def days(shift: int) -> set[str]:
    """The dates of the week that starts ``shift`` days after Monday 2026-11-30."""
    monday = datetime(2026, 11, 30) + timedelta(days=shift)
    return {(monday + timedelta(days=n)).strftime("%Y-%m-%d") for n in range(7)}


def test_a_tzid_that_is_a_folder_of_zones_is_the_files_problem(
    tmp_path: Path, smtime: Smtime
) -> None:
    """TZID=Europe (a folder of the zone database) is said as an unknown time zone, without
    the library's paths, in an export and in a --previous calendar."""
    ics = tmp_path / "agenda.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Europe:20261201T090000\r\n"
        "DTEND;TZID=Europe:20261201T100000\r\nSUMMARY:veille\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    for args in (
        ("compare", str(ics), "--now", "2026-12-05T00:00Z"),
        ("plan", "-H", "low", "--format", "ics", "--previous", str(ics)),
    ):
        run = smtime(*args)
        assert run.exit_code == 65, run.stderr
        assert "a time zone it names, as a TZID, is not known" in run.stderr
        assert "Errno" not in run.stderr
        assert "site-packages" not in run.stderr
