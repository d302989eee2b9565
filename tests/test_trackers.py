"""smtime compare: each tracker's export read from its own shape, files as spreadsheets save
them, messages that help, and each tracker's running entry.

Every expected number below is counted by hand from the fixture's rows, never by smtime.
The fixtures are in tests/trackers/; each test says where its fixture's shape comes from.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smtime.actuals import detect
from smtime.actuals.cells import hours
from smtime.formats import TrackerFormat
from tests.conftest import Run, json_of

Smtime = Callable[..., Run]
TRACKERS = Path(__file__).parent / "trackers"
PARIS = ("--tz", "Europe/Paris", "--now", "2026-12-08T12:00")
Weeks = dict[str, dict[str, float]]


def counted(smtime: Smtime, fixture: str | Path, *args: str) -> Weeks:
    """Each week's hours of a fixture, by family id and by 'unmapped: NAMES', zeros left out;
    a running week also holds 'running': 1."""
    path = fixture if isinstance(fixture, Path) else TRACKERS / fixture
    data = json_of(smtime("compare", str(path), "--format", "json", *PARIS, *args), "compare")
    found: Weeks = {}
    for week in data["weeks"]:
        hours_ = {f["id"]: f["actual"] for f in week["families"] if f["actual"]}
        hours_ |= {f"unmapped: {k}": v for k, v in week["unmapped"]["tags"].items()}
        if week["running"]:
            hours_["running"] = 1
        found[week["week"]] = hours_
    return found


def refused(smtime: Smtime, path: Path, *args: str) -> str:
    """The one-line message of an export refused with exit 65."""
    run = smtime("compare", str(path), *PARIS, *args)
    assert run.exit_code == 65, run.stdout
    assert "Traceback" not in run.stderr
    return run.stderr


# 1. Each tracker, from its own shape -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tracker"),
    [
        ("timewarrior.json", TrackerFormat.TIMEWARRIOR),
        ("watson.json", TrackerFormat.WATSON),
        ("watson-current.json", TrackerFormat.WATSON),
        ("watson-frames", TrackerFormat.WATSON),
        ("watson.csv", TrackerFormat.WATSON),
        ("toggl.csv", TrackerFormat.TOGGL),
        ("toggl-classic.csv", TrackerFormat.TOGGL),
        ("toggl-decimal.csv", TrackerFormat.TOGGL),
        ("toggl-entries.csv", TrackerFormat.TOGGL),
        ("clockify.csv", TrackerFormat.CLOCKIFY),
        ("clockify-us.csv", TrackerFormat.CLOCKIFY),
        ("harvest.csv", TrackerFormat.HARVEST),
        ("kimai.csv", TrackerFormat.KIMAI),
        ("kimai-1.csv", TrackerFormat.KIMAI),
        ("calendar.ics", TrackerFormat.ICS),
        ("plain.csv", TrackerFormat.CSV),
        ("plain-excel-fr.csv", TrackerFormat.CSV),
    ],
)
def test_each_fixture_is_told_by_its_shape(name: str, tracker: TrackerFormat) -> None:
    """Every fixture's tracker is found from its content alone."""
    text = (TRACKERS / name).read_bytes().decode("utf-8-sig")
    assert detect(text) is tracker


@pytest.mark.parametrize("tracker", ["timewarrior", "TIMEWARRIOR"])
def test_tracker_and_its_former_name_force_a_reader(smtime: Smtime, tracker: str) -> None:
    """--tracker names the reader; --input-format and -i, its former names, still work."""
    for option in ("--tracker", "--input-format", "-i"):
        run = smtime("compare", str(TRACKERS / "timewarrior.json"), option, tracker, *PARIS)
        assert run.exit_code == 0, run.stderr


def test_watson_log_json(smtime: Smtime) -> None:
    """watson log --json, made by Watson 2.1.0 (watson add, then watson log --json --all):
    veille 09:00-11:00 (2 h); social +communication 14:00-15:30 (1.5 h); admin 10:00-10:45
    (0.75 h, unmapped); blogging 08:30-10:00 on Monday 7 December (1.5 h, W50)."""
    assert counted(smtime, "watson.json") == {
        "2026-W49": {"veille": 2, "communication": 1.5, "unmapped: admin": 0.75},
        "2026-W50": {"blogging": 1.5},
    }


def test_watson_frames_file_is_read_directly(smtime: Smtime) -> None:
    """Watson's own frames file (the same four frames, [start, stop, project, id, tags,
    updated_at] in Unix seconds, copied from the folder of Watson 2.1.0) gives the same hours
    as watson log --json."""
    assert counted(smtime, "watson-frames") == {
        "2026-W49": {"veille": 2, "communication": 1.5, "unmapped: admin": 0.75},
        "2026-W50": {"blogging": 1.5},
    }


def test_watson_current_frame_runs_to_now(smtime: Smtime) -> None:
    """watson log --json --current, made by Watson 2.1.0 at 10:00 with a frame started at
    09:15: its frame "current" has the export's time as stop, and counts to --now instead
    (09:15 to 12:00 = 2.75 h), its week marked running."""
    weeks = counted(smtime, "watson-current.json")
    assert weeks["2026-W50"] == {"blogging": 1.5, "strategie": 2.75, "running": 1}


def test_watson_log_csv(smtime: Smtime) -> None:
    """watson log --csv --current (Watson 2.1.0): the same frames, local times, tags joined
    by commas; the current one runs to --now (2.75 h)."""
    assert counted(smtime, "watson.csv") == {
        "2026-W49": {"veille": 2, "communication": 1.5, "unmapped: admin": 0.75},
        "2026-W50": {"blogging": 1.5, "strategie": 2.75, "running": 1},
    }


@pytest.mark.parametrize(
    ("name", "half_a_minute"),
    [
        ("toggl.csv", 30 / 3600),  # 00:00:30
        ("toggl-classic.csv", 30 / 3600),  # 30 sec
        ("toggl-decimal.csv", 0.01),  # 0.01 h, as Toggl rounds it
    ],
)
def test_toggl_each_duration_format(smtime: Smtime, name: str, half_a_minute: float) -> None:
    """Toggl Track's detailed report, CSV (the columns Toggl documents for its CSV export,
    with the byte-order mark Toggl writes), in each duration format of Toggl's profile
    setting: improved (01:30:00), classic (1:30:00, 45:00 min, 30 sec) and decimal (1.50 h).
    By hand: veille 1.5; Blog mapped to blogging 3; Internal unmapped 1 (its client ACME last
    among its names); W50: communication 0.75 and curation half a minute."""
    weeks = counted(smtime, name, "--map", "blog=blogging")
    assert weeks["2026-W49"] == {
        "veille": 1.5,
        "blogging": 3,
        "unmapped: Internal, Team meeting, ACME": 1,
    }
    assert weeks["2026-W50"]["communication"] == 0.75
    assert weeks["2026-W50"]["curation"] == pytest.approx(half_a_minute, abs=1e-6)


def test_toggl_time_entries_export_and_its_running_timer(smtime: Smtime) -> None:
    """Toggl Track's time-entries CSV (every cell quoted, Member, Stop date and Stop time, "-"
    for an empty project or tags, a byte-order mark), its shape as importers that read it
    publish in their tests. The last timer has no stop and no duration: it runs from 09:00
    to --now 12:00 (3 h)."""
    assert counted(smtime, "toggl-entries.csv", "--map", "blog=blogging") == {
        "2026-W49": {"veille": 1.5, "blogging": 3, "unmapped: Internal, Team meeting": 1},
        "2026-W50": {"communication": 3, "running": 1},
    }


def test_clockify_maps_projects_with_map(smtime: Smtime) -> None:
    """Clockify's detailed report, CSV, as Clockify writes it (every cell quoted, the user's
    date format MM/DD/YYYY, 12-hour times, Duration (h) and Duration (decimal)), its header as
    importers of Clockify files publish it. By hand: Social media/Veille 09:00-10:30 AM 1.5;
    project Newsletter, mapped to blogging, 02:00-04:45 PM 2.75; tag communication 0.75;
    project Internal, mapped to strategie, 1; W50: 11:30 PM to 12:30 AM, 1 h."""
    weeks = counted(
        smtime, "clockify.csv", "--map", "Newsletter=blogging", "--map", "Internal=strategie"
    )
    assert weeks == {
        "2026-W49": {"veille": 1.5, "blogging": 2.75, "communication": 0.75, "strategie": 1},
        "2026-W50": {"communication": 1},
    }


def test_harvest_maps_projects_with_map(smtime: Smtime) -> None:
    """Harvest's detailed time report, CSV (the columns Harvest's help centre lists: Date,
    Client, Project, Project Code, Task, Notes, Hours, Hours Rounded, …; ISO dates, decimal
    hours). By hand: Monitoring mapped to veille 1.5, Newsletter mapped to blogging 2.25,
    task Communication 0.75, task Analysis 1; W50 Monitoring 2."""
    weeks = counted(
        smtime, "harvest.csv", "--map", "Newsletter=blogging", "--map", "Monitoring=veille"
    )
    assert weeks == {
        "2026-W49": {"veille": 1.5, "blogging": 2.25, "communication": 0.75, "analyse": 1},
        "2026-W50": {"veille": 2},
    }


def test_harvest_is_never_half_read_as_a_plain_csv(smtime: Smtime) -> None:
    """A Harvest export has Date, Task and Hours columns, yet every row is read as Harvest's:
    7.5 hours in all (1.5 + 2.25 + 0.75 + 1 + 2), none dropped, none read as a plain CSV."""
    assert detect((TRACKERS / "harvest.csv").read_text()) is TrackerFormat.HARVEST
    weeks = counted(smtime, "harvest.csv")
    assert sum(sum(w.values()) for w in weeks.values()) == pytest.approx(7.5)
    run = smtime("compare", str(TRACKERS / "harvest.csv"), "--tracker", "csv", *PARIS)
    assert run.exit_code == 65
    assert "this looks like Harvest" in run.stderr


def test_kimai(smtime: Smtime) -> None:
    """Kimai's CSV export since 2.27: the columns of Kimai's default template with their
    English names (Date, From, To, Duration, …, Customer, Project, Activity, Description,
    Billable, Tags, Type, Category, …), dates Y-m-d, times H:i, Duration in decimal hours, as
    Kimai's source writes them. By hand: veille 1.5; blogging 2 (a whole number of hours, as
    long as its span); communication 1.75 (2 h less a 15-minute break); W50: 23:00 to 01:00
    past midnight, strategie 2."""
    assert counted(smtime, "kimai.csv") == {
        "2026-W49": {"veille": 1.5, "blogging": 2, "communication": 1.75},
        "2026-W50": {"strategie": 2},
    }


def test_kimai_before_2_27_writes_seconds(smtime: Smtime) -> None:
    """Kimai before 2.27 (the example of Kimai's import documentation: every cell quoted,
    Duration in seconds): 5400 s = 1.5 h of veille, 6300 s = 1.75 h of communication."""
    assert counted(smtime, "kimai-1.csv") == {"2026-W49": {"veille": 1.5, "communication": 1.75}}


def test_kimai_whole_hours_longer_than_the_span_are_hours(smtime: Smtime) -> None:
    """Kimai since 2.27 with its rounding on: a Duration of ``1`` for 50 minutes (Kimai rounds
    the duration, not From and To) is 1 hour, not 1 second; ``1.5`` for 40 minutes is 1.5;
    ``24`` from 09:00 to 09:00 (To has no date) is a day. 26.5 hours in all."""
    assert counted(smtime, "kimai-rounded.csv") == {"2026-W49": {"veille": 26.5}}


@pytest.mark.parametrize(
    ("whole", "span", "hours"),
    [
        (5400, 1.5, 1.5),  # Kimai before 2.27: seconds
        (1, 50 / 60, 1.0),  # rounded up to the hour
        (2, 2.0, 2.0),
        (24, 0.0, 24.0),  # a day: From and To alike
        (90, 90 / 3600, 90 / 3600),  # 90 seconds
        (169, 0.05, 169 / 3600),  # beyond the longest entry read: seconds
    ],
)
def test_a_whole_kimai_duration_is_read_as_its_span_says(
    whole: int, span: float, hours: float
) -> None:
    """Seconds or hours: the reading nearer the span from From to To, whole days aside."""
    from smtime.actuals.sheets import kimai_duration

    assert kimai_duration(whole, span) == pytest.approx(hours)


def test_a_row_cut_short_is_a_problem_not_a_running_timer(smtime: Smtime, tmp_path: Path) -> None:
    """A Toggl Track row that stops after its Start time (a file cut short) has no End time,
    which reads as a timer still running: it is a problem of its line, not 48 hours."""
    lines = (TRACKERS / "toggl.csv").read_text(encoding="utf-8-sig").splitlines()
    cut = ",".join(lines[2].split(",")[:9])
    export = tmp_path / "cut.csv"
    export.write_text("\n".join([lines[0], lines[1], cut, *lines[3:]]) + "\n")
    message = refused(smtime, export)
    assert (
        message
        == f"{export}:3: 9 cells for 14 columns: a line cut short? (every row has a cell for each column, empty or not)\n"
    )


@pytest.mark.parametrize("fixture", ["toggl.csv", "plain.csv", "clockify.csv"])
def test_lines_ending_with_cr_alone_are_read(smtime: Smtime, tmp_path: Path, fixture: str) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: read as the same file with
    LF or CRLF."""
    text = (TRACKERS / fixture).read_text(encoding="utf-8")
    mac = tmp_path / fixture
    mac.write_text(text.replace("\r\n", "\n").replace("\n", "\r"), encoding="utf-8", newline="")
    assert counted(smtime, mac) == counted(smtime, fixture)


def test_a_utf8_byte_order_mark_wins_over_the_encoding_named(smtime: Smtime) -> None:
    """Excel's "CSV UTF-8" starts with UTF-8's byte-order mark: read as UTF-8 even with
    --encoding cp1252 (which the docs suggest for Excel's other "CSV"), not as ``ï»¿Date``."""
    utf8 = counted(smtime, "plain-excel-fr.csv")
    assert counted(smtime, "plain-excel-fr.csv", "--encoding", "cp1252") == utf8


def test_a_calendar_without_events_is_read(smtime: Smtime, tmp_path: Path) -> None:
    """A calendar with no event at all: nothing tracked, exit 0 (not an internal error)."""
    export = tmp_path / "empty.ics"
    export.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n", newline="")
    assert counted(smtime, export) == {}


def test_dates_of_different_kinds_are_said_in_words(smtime: Smtime) -> None:
    """icalendar's test calendar with ``RDATE;VALUE=TIME`` (a time of day alone) cannot be
    expanded: the refusal says why in words, not in Python's (``'<' not supported between
    instances of 'datetime.datetime' and 'datetime.time'``)."""
    message = refused(smtime, TRACKERS / "rdate-time.ics")
    assert "mixes kinds of dates that cannot be compared" in message
    assert "instances of" not in message


def test_icalendar(smtime: Smtime) -> None:
    """An iCalendar file laid out as Google Calendar exports one (VTIMEZONE, TZID times,
    X-WR-TIMEZONE, STATUS, TRANSP), written by hand. By hand: weekly Veille on Mondays
    09:00-10:00 from 16 November, 23 November excluded (W47, W49, W50: 1 h each); Newsletter,
    described Blogging, 2.5 h; a floating Analysis 1 h; a cancelled Stratégie not counted; an
    all-day Communication not counted; Curation 11:30-13:00 still going on at --now 12:00:
    0.5 h, running; Blogging on 9 December, after --now, not counted."""
    assert counted(smtime, "calendar.ics") == {
        "2026-W47": {"veille": 1},
        "2026-W49": {"veille": 1, "blogging": 2.5, "analyse": 1},
        "2026-W50": {"veille": 1, "curation": 0.5, "running": 1},
    }


def test_icalendar_all_day_events_count_when_asked(smtime: Smtime) -> None:
    """--all-day-hours 7:30 counts the all-day Communication of 4 December as 7.5 hours."""
    weeks = counted(smtime, "calendar.ics", "--all-day-hours", "7:30")
    assert weeks["2026-W49"]["communication"] == 7.5


def test_the_plans_own_calendar_gives_back_the_planned_hours(
    smtime: Smtime, tmp_path: Path
) -> None:
    """smtime plan --format ics, read back by compare --tracker ics after its first week:
    each family's actual hours are exactly its planned hours."""
    calendar = tmp_path / "plan.ics"
    plan = ("plan", "-H", "mid", "--from", "2026-11-30", "--tz", "Europe/Paris")
    assert smtime(*plan, "--format", "ics", "-o", str(calendar)).exit_code == 0
    planned = {f["id"]: f["planned_hours"] for f in smtime(*plan, "-f", "json").json()["families"]}
    read_back = ("--tracker", "ics", "--tz", "Europe/Paris", "--now", "2026-12-06T23:00")
    run = smtime("compare", str(calendar), *read_back, "-H", "mid", "-f", "json")
    [week] = json_of(run, "compare")["weeks"]
    assert week["week"] == "2026-W49"
    assert {f["id"]: f["actual"] for f in week["families"]} == planned
    assert week["unmapped"]["hours"] == 0


@pytest.mark.parametrize(
    "rule",
    ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5", "FREQ=DAILY;BYSECOND=0,30"],
)
def test_calendar_rules_more_often_than_hourly_are_refused(
    smtime: Smtime, tmp_path: Path, rule: str
) -> None:
    """A rule repeating more often than every hour is refused with its event's line."""
    path = tmp_path / "fast.ics"
    path.write_text(_calendar(f"DTSTART:20261130T090000Z\r\nRRULE:{rule}\r\n"))
    assert f"{path}:4: event 'veille': repeats more often than every hour" in refused(smtime, path)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "RRULE never happens"),
        ("FREQ=YEARLY;BYMONTH=13", "RRULE BYMONTH=13 is outside 1 to 12"),
        ("FREQ=DAILY;INTERVAL=-1", "RRULE INTERVAL=-1 is not a whole number from 1"),
        ("FREQ=DAILY;INTERVAL=0", "RRULE INTERVAL=0 is not a whole number from 1"),
        ("FREQ=WEEKLY;BYDAY=XX", "RRULE not readable: Expected weekday abbreviation, got: XX"),
        ("FREQ=DAILY;COUNT=99999999999999999999", "RRULE not readable: Integer 9999"),
    ],
)
def test_calendar_rules_no_date_meets_are_refused(
    smtime: Smtime, tmp_path: Path, rule: str, message: str
) -> None:
    """A rule no date can meet, or that cannot be read (a negative interval, a day that is
    none), is refused at its line and said as such, not searched for up to the year 9999
    nor reported in the library's words ("broken property", "day is out of range")."""
    path = tmp_path / "never.ics"
    path.write_text(_calendar(f"DTSTART:20261130T090000Z\r\nRRULE:{rule}\r\n"))
    assert f"{path}:4: event 'veille': {message}" in refused(smtime, path)


def test_a_calendar_that_expands_too_far_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """Hourly since 1980 is over 400,000 events up to --now: refused before expanding them."""
    path = tmp_path / "hourly.ics"
    path.write_text(
        _calendar("DTSTART:19800101T090000Z\r\nDTEND:19800101T100000Z\r\nRRULE:FREQ=HOURLY\r\n")
    )
    assert "more than 100,000 events up to --now" in refused(smtime, path)


def test_a_calendar_event_that_ends_before_it_starts(smtime: Smtime, tmp_path: Path) -> None:
    """An event whose end is before its start is a problem at its line, never swapped."""
    path = tmp_path / "back.ics"
    path.write_text(_calendar("DTSTART:20261130T090000Z\r\nDTEND:20261130T080000Z\r\n"))
    assert f"{path}:4: event 'veille': ends before it starts" in refused(smtime, path)


def _calendar(times: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\n"
        f"DTSTAMP:20261201T000000Z\r\n{times}SUMMARY:veille\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


# 2. Files as spreadsheets save them -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("1:30", 1.5),
        ("1:30:00", 1.5),
        ("01:30:00", 1.5),
        ("47:06 min", 47.1 / 60),
        ("45 sec", 45 / 3600),
        ("0.79 h", 0.79),
        (" 2 ", 2.0),
    ],
)
def test_hours_as_trackers_and_spreadsheets_write_them(cell: str, expected: float) -> None:
    """Decimal points and commas, h:mm, h:mm:ss, and Toggl's min, sec and h forms."""
    assert hours(cell) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["lots", "1_0", "-1", "1:75", "1,5,0", "", "nan"])
def test_cells_that_are_not_hours(cell: str) -> None:
    """Anything else is a ValueError naming the column, the cell and the forms read."""
    expected = f"Duration: {cell!r} is not a duration: write one such as 1.5, 1,5, 1:30, "
    with pytest.raises(ValueError, match=re.escape(expected)):
        hours(cell, "Duration")


def test_hours_are_numbers_as_people_type_them() -> None:
    """A comma before three digits may separate thousands: refused, as every number smtime
    reads (domain.read_number), with the two ways to write it."""
    with pytest.raises(ValueError, match=re.escape("hours: '1,250' is ambiguous")):
        hours("1,250")


def test_a_semicolon_csv_from_a_french_excel(smtime: Smtime) -> None:
    """plain.csv saved again by a French Excel as "CSV UTF-8": byte-order mark, semicolons,
    day-first dates, decimal commas, CRLF. By hand, as plain.csv: veille 2, blogging 3.5,
    curation 1, Stratégie 1.5, coffee unmapped 0.5; W50 veille 4."""
    assert counted(smtime, "plain-excel-fr.csv") == {
        "2026-W49": {
            "veille": 2,
            "blogging": 3.5,
            "curation": 1,
            "strategie": 1.5,
            "unmapped: coffee": 0.5,
        },
        "2026-W50": {"veille": 4},
    }


def test_an_excel_sep_line_names_the_delimiter(smtime: Smtime, tmp_path: Path) -> None:
    """Excel's first line sep=; names the delimiter; line numbers still count it."""
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\ndate;task;hours\n30/11/2026;veille;1,5\n01/12/2026;veille;x\n")
    assert f"{path}:4: hours: 'x' is not a duration" in refused(smtime, path)
    path.write_text("sep=;\ndate;task;hours\n30/11/2026;veille;1,5\n")
    assert counted(smtime, path) == {"2026-W49": {"veille": 1.5}}


def test_a_cp1252_file_reads_with_encoding(smtime: Smtime) -> None:
    """Toggl's detailed report saved again by a French Excel as "CSV (séparateur:
    point-virgule)": Windows-1252, semicolons, day-first dates. With --encoding cp1252 its
    accents read; by hand: veille 1.5, Blog unmapped 3, W50 communication 0.75."""
    assert counted(smtime, "toggl-excel-fr.csv", "--encoding", "cp1252") == {
        "2026-W49": {"veille": 1.5, "unmapped: Blog, Écrire l'article de décembre, ACME": 3},
        "2026-W50": {"communication": 0.75},
    }


def test_undecodable_bytes_suggest_encoding(smtime: Smtime) -> None:
    """Without --encoding, the cp1252 file is refused at its first bad byte, and the message
    says how to name its encoding."""
    message = refused(smtime, TRACKERS / "toggl-excel-fr.csv")
    assert "toggl-excel-fr.csv:2:63: not UTF-8 text (byte 0x96)" in message
    assert "--encoding (such as cp1252 or latin-1)" in message


def test_utf16_reads_with_encoding(smtime: Smtime, tmp_path: Path) -> None:
    """A UTF-16 file is refused with the option that reads it, and reads with it."""
    path = tmp_path / "utf16.csv"
    path.write_bytes("date,task,hours\n2026-11-30,veille,2\n".encode("utf-16"))
    assert "UTF-16 text: save the file as UTF-8, or read it with --encoding utf-16" in refused(
        smtime, path
    )
    assert counted(smtime, path, "--encoding", "utf-16") == {"2026-W49": {"veille": 2}}


def test_an_unknown_encoding_is_a_usage_error(smtime: Smtime) -> None:
    """--encoding names a text encoding Python knows, else exit 2."""
    for name in ("klingon", "rot13"):
        run = smtime("compare", str(TRACKERS / "plain.csv"), "--encoding", name)
        assert run.exit_code == 2, name
        assert f"--encoding: '{name}' is not a text encoding" in run.stderr


def test_us_dates_with_date_format(smtime: Smtime) -> None:
    """Clockify with US dates whose days are never above 12 (12/01, 12/02, 12/07/2026): with
    --date-format mdy they are 1, 2 and 7 December; with dmy, 12 January, 12 February and
    12 July. 24-hour times and compact durations (1:30) as Clockify's other settings write."""
    assert counted(smtime, "clockify-us.csv", "--date-format", "mdy") == {
        "2026-W49": {"veille": 1.5, "blogging": 2},
        "2026-W50": {"communication": 0.75},
    }
    assert list(counted(smtime, "clockify-us.csv", "--date-format", "dmy")) == [
        "2026-W03",
        "2026-W07",
        "2026-W28",
    ]


def test_an_ambiguous_date_file_is_refused(smtime: Smtime) -> None:
    """The same file without --date-format is refused: 12/01/2026 reads both ways."""
    message = refused(smtime, TRACKERS / "clockify-us.csv")
    assert "dates such as 12/01/2026 (line 2) may be day first or month first" in message
    assert "--date-format dmy (31/12/2026) or --date-format mdy (12/31/2026)" in message


def test_a_file_whose_dates_disagree_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """A day above 12 first on one line and second on another: refused, both lines named."""
    path = tmp_path / "mixed.csv"
    path.write_text("date,task,hours\n30/11/2026,veille,1\n12/31/2026,veille,1\n")
    message = refused(smtime, path)
    assert "dates are day first on line 2 (30/11/2026) and month first on line 3" in message


# 3. Messages that help ---------------------------------------------------------------------------


def test_the_same_problem_on_many_lines_is_one_line(smtime: Smtime, tmp_path: Path) -> None:
    """3,000 lines with the same bad cell: one line naming them, with their count."""
    path = tmp_path / "big.csv"
    path.write_text("date,task,hours\n" + "2026-11-30,veille,lots\n" * 3000)
    assert refused(smtime, path).splitlines() == [
        f"{path}: lines 2–3001 (3,000 lines): hours: 'lots' is not a duration: write one such "
        "as 1.5, 1,5, 1:30, 1:30:00, 47:06 min, 45 sec or 0.79 h"
    ]


def test_problems_differing_in_their_values_are_grouped(smtime: Smtime, tmp_path: Path) -> None:
    """Bad cells of one kind on lines 2-3 and 5 are one line, quoting the first."""
    path = tmp_path / "values.csv"
    path.write_text(
        "date,task,hours\n2026-11-30,veille,x\n2026-11-30,veille,y\n"
        "2026-11-30,veille,1\n2026-11-30,veille,z\n2026-13-01,veille,1\n"
    )
    assert refused(smtime, path).splitlines() == [
        f"{path}: lines 2–3, 5 (3 lines), for example line 2: hours: 'x' is not a duration: "
        "write one such as 1.5, 1,5, 1:30, 1:30:00, 47:06 min, 45 sec or 0.79 h",
        f"{path}:6: date: '2026-13-01' is not a date such as 2026-11-30",
    ]


def test_line_numbers_listed_are_capped(smtime: Smtime, tmp_path: Path) -> None:
    """Every other line bad: the first 10 runs of line numbers are listed, then an ellipsis
    and the count."""
    path = tmp_path / "every-other.csv"
    path.write_text("date,task,hours\n" + "2026-11-30,veille,1\n2026-11-30,veille,x\n" * 40)
    [line] = refused(smtime, path).splitlines()
    assert line.startswith(f"{path}: lines 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, … (40 lines)")


def test_intervals_of_a_json_export_are_grouped(smtime: Smtime, tmp_path: Path) -> None:
    """Timewarrior intervals that end before they start, 3 of them: one line, by index."""
    path = tmp_path / "timew.json"
    path.write_text(
        '[{"start":"20261130T100000Z","end":"20261130T090000Z"},'
        '{"start":"20261130T100000Z","end":"20261130T090000Z"},'
        '{"start":"20261130T100000Z","end":"20261130T110000Z"},'
        '{"start":"20261130T100000Z","end":"20261130T090000Z"}]'
    )
    assert refused(smtime, path).splitlines() == [
        f"{path}: intervals 0–1, 3 (3 intervals): ends before it starts"
    ]


@pytest.mark.parametrize(
    ("name", "tracker", "message"),
    [
        (
            "clockify.csv",
            "toggl",
            "this looks like Clockify (detailed report, CSV), not Toggl Track (detailed report "
            "or time entries, CSV): use --tracker clockify, or leave --tracker out",
        ),
        ("watson.json", "timewarrior", "this looks like Watson"),
        ("toggl.csv", "watson", "this looks like Toggl Track"),
        ("plain.csv", "harvest", "this looks like a CSV whose header is exactly date,task,hours"),
        ("calendar.ics", "kimai", "this looks like iCalendar (.ics), not Kimai"),
    ],
)
def test_another_trackers_file_is_named(
    smtime: Smtime, name: str, tracker: str, message: str
) -> None:
    """A file of another tracker than --tracker says is named, and how to read it."""
    assert message in refused(smtime, TRACKERS / name, "--tracker", tracker)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "\nWk  Date       Day Tags     Start      End    Time    Total\n"
            "W49 2026-11-30 Mon veille  9:00:00 10:30:00 1:30:00  1:30:00\n",
            "this looks like the table timew summary prints: read timew export instead",
        ),
        (
            "Monday 30 November 2026 (2h 00m 00s)\n\t691ef43  09:00 to 11:00  2h 00m 00s  veille\n",
            "this looks like the text watson log prints: read watson log --json instead",
        ),
        (
            '{"project": "veille", "start": 1796717700, "tags": []}',
            "this looks like Watson's state file (the frame running now)",
        ),
        (
            '[{"id": 1, "workspace_id": 2, "start": "2026-11-30T09:00:00Z", "stop": null}]',
            "this looks like JSON from Toggl Track's API: export a detailed report as CSV",
        ),
        (
            "Project,Client,Time (h),Time (decimal),Amount (EUR)\nBlog,ACME,01:00:00,1.00,55\n",
            "this looks like a Clockify summary or weekly report",
        ),
        (
            "Project,Duration\nx,01:00:00\n",
            "this looks like a Toggl Track summary report (no Start date column)",
        ),
        (
            "When,What,How long\n2026-11-30,veille,1\n",
            "not a time-tracker export smtime reads: expected Timewarrior (timew export), "
            "Watson (watson log --json or its frames file), Toggl Track, Clockify, Harvest or "
            "Kimai (CSV), iCalendar (.ics), or a CSV whose header is exactly date,task,hours",
        ),
        (
            "Start date,Task,Hours\n2026-11-30,veille,1\n",
            "the nearest is Toggl Track (detailed report or time entries), but there is no "
            "Duration column",
        ),
        ("date,task,hours,notes\n2026-11-30,veille,1,x\n", "a CSV whose header is exactly"),
        ("  \n", "empty file: expected a time-tracker export"),
    ],
)
def test_confusions_are_named(smtime: Smtime, tmp_path: Path, content: str, message: str) -> None:
    """Files that are no tracker's export say what they look like, or which shapes exist."""
    path = tmp_path / "export.txt"
    path.write_text(content)
    assert message in refused(smtime, path)


@pytest.mark.parametrize(
    ("magic", "what"),
    [(b"PK\x03\x04", "a spreadsheet"), (b"\xd0\xcf\x11\xe0", "an Excel 97-2003"), (b"%PDF", "PDF")],
)
def test_binary_files_are_named(smtime: Smtime, tmp_path: Path, magic: bytes, what: str) -> None:
    """An .xlsx, .xls or PDF file is named, and told to be saved as CSV."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(magic + b"\x00" * 40)
    message = refused(smtime, path)
    assert what in message
    assert "save it as CSV" in message


# 4. The running entry of each tracker ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "tracker"),
    [
        (
            '"Project","Client","Description","Task","User","Group","Email","Tags","Billable",'
            '"Start Date","Start Time","End Date","End Time","Duration (h)","Duration (decimal)"\n'
            '"Social media","","","Veille","Ada","","","","No","2026-12-08","09:30:00 AM","","",'
            '"",""\n',
            "clockify",
        ),
        (
            "Date,From,To,Duration,Customer,Project,Activity,Description,Tags\n"
            "2026-12-08,09:30,,0,ACME,Social media,Veille,,\n",
            "kimai",
        ),
        (
            "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
            "End time,Duration,Tags,Amount ()\n"
            "Ada,a@b.c,,Veille,,,No,2026-12-08,09:30:00,,,,,\n",
            "toggl",
        ),
        ('[{"start":"20261208T083000Z","tags":["veille"]}]', "timewarrior"),
        (
            '[{"id":"current","project":"veille","start":"2026-12-08T09:30:00+01:00",'
            '"stop":"2026-12-08T10:00:00+01:00","tags":[]}]',
            "watson",
        ),
    ],
)
def test_running_entries_count_up_to_now(
    smtime: Smtime, tmp_path: Path, content: str, tracker: str
) -> None:
    """Each tracker's running entry (Clockify and Kimai: no end; Toggl: no end and no
    duration; Timewarrior: no end; Watson: the frame "current") counts from 09:30 Paris to
    --now 12:00: 2.5 hours, its week marked running."""
    path = tmp_path / "running.txt"
    path.write_text(content)
    assert counted(smtime, path) == {"2026-W50": {"veille": 2.5, "running": 1}}
    assert detect(content) == TrackerFormat(tracker)


def test_clockify_breaks_are_not_work(smtime: Smtime, tmp_path: Path) -> None:
    """A Clockify entry of Type Break is left out; the Regular one counts (1 h)."""
    path = tmp_path / "breaks.csv"
    head = "Project,Task,Type,Start Date,Start Time,End Date,End Time,Duration (h)\n"
    path.write_text(
        head + "Social,Veille,Regular,2026-12-01,09:00,2026-12-01,10:00,1:00\n"
        "Social,Veille,Break,2026-12-01,10:00,2026-12-01,10:30,0:30\n"
    )
    assert counted(smtime, path) == {"2026-W49": {"veille": 1}}


def test_all_day_hours_must_be_a_day_at_most(smtime: Smtime) -> None:
    """--all-day-hours takes hours from more than 0 to 24; anything else is exit 2."""
    for value in ("0", "25", "lots"):
        run = smtime("compare", str(TRACKERS / "calendar.ics"), "--all-day-hours", value)
        assert run.exit_code == 2, value
        assert "--all-day-hours" in run.stderr


def test_compare_reads_a_calendar_from_stdin(tmp_path: Path) -> None:
    """compare - reads an iCalendar file from standard input, in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-m", "smtime", "compare", "-", "-f", "json", *PARIS],
        input=(TRACKERS / "calendar.ics").read_text(),
        capture_output=True,
        text=True,
        check=True,
    )
    data: Any = json.loads(out.stdout)
    assert [w["week"] for w in data["weeks"]] == ["2026-W47", "2026-W49", "2026-W50"]


# Changes of the clocks -------------------------------------------------------------------------

TOGGL_HEADER = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags,Amount ()\n"
)
"""The header of Toggl Track's detailed report (as tests/trackers/toggl-classic.csv)."""


@pytest.mark.parametrize(
    ("day", "end", "duration", "worked"),
    [
        ("2026-10-25", "04:00:00", "4:00:00", 4),  # clocks back at 03:00: 4 real hours
        ("2027-03-28", "04:00:00", "2:00:00", 2),  # clocks forward at 02:00: 2 real hours
    ],
)
def test_toggl_entries_across_a_change_of_the_clocks_last_their_duration(
    smtime: Smtime, tmp_path: Path, day: str, end: str, duration: str, worked: float
) -> None:
    """A Toggl entry from 01:00 to 04:00 in Paris lasts its Duration, the real time elapsed:
    wall-clock arithmetic said 5 and 1 hours."""
    export = tmp_path / "toggl.csv"
    export.write_text(
        TOGGL_HEADER
        + f"Ada,ada@example.org,ACME,Social media,,Veille,No,{day},01:00:00,{day},{end},"
        + f"{duration},veille,\n"
    )
    run = smtime("compare", str(export), "--tz", "Europe/Paris", "--now", "2027-06-01T00:00Z",
                 "-f", "json")  # fmt: skip
    assert json_of(run, "compare")["summary"]["actual_hours"] == worked


CALENDAR = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//smtime tests//EN\r
BEGIN:VEVENT\r
UID:veille@example.org\r
DTSTAMP:20261001T000000Z\r
DTSTART;TZID=Europe/Paris:20261025T010000\r
DURATION:{duration}\r
SUMMARY:Veille\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.mark.parametrize(
    ("duration", "worked"),
    [("PT4H", 4), ("PT3H30M", 3.5), ("P1D", 25), ("P1DT1H", 26), ("PT24H", 24), ("PT30H", 30)],
)
def test_icalendar_durations_across_a_change_of_the_clocks(
    smtime: Smtime, tmp_path: Path, duration: str, worked: float
) -> None:
    """An event of DURATION from 01:00 on the night the clocks go back in Paris (RFC 5545,
    3.3.6): its hours are exact (PT4H is 4 hours, where its end as wall-clock time said 5);
    its days are days of the calendar (P1D lasts 25 hours that night, PT24H 24: the library
    reads both as one day, the text tells them apart)."""
    export = tmp_path / "calendar.ics"
    export.write_text(CALENDAR.format(duration=duration), newline="")
    run = smtime("compare", str(export), "--tz", "Europe/Paris", "--now", "2026-12-10T00:00Z",
                 "-f", "json")  # fmt: skip
    assert json_of(run, "compare")["summary"]["actual_hours"] == worked


def test_an_alarms_duration_is_not_the_events(smtime: Smtime, tmp_path: Path) -> None:
    """A VALARM with a DURATION of its own, written before the event's PT24H (the night the
    clocks go back): the event still lasts its 24 exact hours, not the alarm's 15 minutes."""
    alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDURATION:PT15M\r\nREPEAT:1\r\nEND:VALARM\r\n"
    text = CALENDAR.format(duration="PT24H").replace(
        "DURATION:PT24H\r\n", alarm + "DURATION:PT24H\r\n"
    )
    export = tmp_path / "calendar.ics"
    export.write_text(text, newline="")
    run = smtime("compare", str(export), "--tz", "Europe/Paris", "--now", "2026-12-10T00:00Z",
                 "-f", "json")  # fmt: skip
    assert json_of(run, "compare")["summary"]["actual_hours"] == 24


def test_a_period_of_an_rdate_lasts_its_own_time(smtime: Smtime) -> None:
    """RFC 7265's example (from icalendar's tests): a meeting every day at noon for an hour
    (DURATION:PT1H, five times, one moved) and, by RDATE;VALUE=PERIOD, one of two hours on
    the first day: 7 hours, the period not cut to the rule's hour."""
    run = smtime("compare", str(TRACKERS / "rdate-period.ics"), "--tz", "America/New_York",
                 "--now", "2026-01-01T00:00Z", "-f", "json")  # fmt: skip
    (week,) = json_of(run, "compare")["weeks"]
    assert (week["week"], week["unmapped"]["hours"]) == ("2006-W01", 7)


GOOGLE_EVENTS = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
BEGIN:VEVENT\r
UID:a@google.com\r
DTSTART:20261130T080000Z\r
DTEND:20261130T093000Z\r
SUMMARY:Veille\r
END:VEVENT\r
{more}END:VCALENDAR\r
"""
BIRTHDAY = """\
BEGIN:VEVENT\r
UID:bday@google.com\r
DTSTART;VALUE=DATE:19650312\r
DTEND;VALUE=DATE:19650313\r
RRULE:FREQ=YEARLY\r
SUMMARY:Anniversaire\r
END:VEVENT\r
"""
BOOKED = """\
BEGIN:VEVENT\r
UID:future@google.com\r
DTSTART:20280615T080000Z\r
DTEND:20280615T100000Z\r
SUMMARY:Conference booked in advance\r
END:VEVENT\r
"""
HOLIDAY = """\
BEGIN:VEVENT\r
UID:holiday@google.com\r
DTSTART;VALUE=DATE:20261221\r
DTEND;VALUE=DATE:{end}\r
SUMMARY:Vacances\r
END:VEVENT\r
"""


@pytest.mark.parametrize("more", [BIRTHDAY, BOOKED, HOLIDAY.format(end="20270104")])
def test_events_never_counted_do_not_stop_the_calendar(
    smtime: Smtime, tmp_path: Path, more: str
) -> None:
    """A Google Calendar holds events that are never counted: a yearly birthday since 1965
    (all-day, without --all-day-hours), an event booked for 2028 (after --now), a holiday of
    two weeks. They are left out, and the rest is read: 1.5 hours of veille."""
    export = tmp_path / "calendar.ics"
    export.write_text(GOOGLE_EVENTS.format(more=more), newline="")
    run = smtime("compare", str(export), "--tz", "Europe/Paris", "--now", "2026-12-15T00:00Z",
                 "-f", "json")  # fmt: skip
    assert json_of(run, "compare")["summary"]["actual_hours"] == 1.5


def test_an_all_day_event_counts_each_day_up_to_a_year(smtime: Smtime, tmp_path: Path) -> None:
    """With --all-day-hours 7, a holiday of 14 days is 14 days' totals (98 hours), not a
    timer left running; an all-day event of more than 366 days is refused, in days."""
    export = tmp_path / "calendar.ics"
    export.write_text(GOOGLE_EVENTS.format(more=HOLIDAY.format(end="20270104")), newline="")
    args = ("--tz", "Europe/Paris", "--now", "2027-01-10T00:00Z", "--all-day-hours", "7")
    run = smtime("compare", str(export), *args, "-f", "json")
    data = json_of(run, "compare")
    assert data["summary"]["actual_hours"] == 1.5
    assert sum(w["unmapped"]["hours"] for w in data["weeks"]) == 98
    export.write_text(GOOGLE_EVENTS.format(more=HOLIDAY.format(end="20281221")), newline="")
    message = refused(smtime, export, "--now", "2027-01-10T00:00Z", "--all-day-hours", "7")
    assert "event 'Vacances': an all-day event of 731 days, longer than the limit of 366" in message


def test_icalendar_negative_duration_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """DURATION:-PT1H ends before it starts: refused with the event's line, not counted."""
    export = tmp_path / "calendar.ics"
    export.write_text(CALENDAR.format(duration="-PT1H"), newline="")
    message = refused(smtime, export)
    assert message == (f"{export}:4: event 'Veille': ends before it starts (a negative DURATION)\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[{"id":1,"start":"20261130T090000","end":"20261130T100000Z","tags":["veille"]}]',
            'interval 0: "20261130T090000" is not a time such as 20261130T090000Z',
        ),
        (
            '[{"id":1,"start":20261130,"end":"20261130T100000Z","tags":["veille"]}]',
            "interval 0: 20261130 is not a time such as 20261130T090000Z",
        ),
        (
            '[[true, 1764500000, "blog", "a1b2", [], 1764500000]]',
            "true is not a time in Unix seconds",
        ),
        (
            "[[1" + "0" * 400 + '.5, 1764500000, "blog", "a1b2", [], 1764500000]]',
            "a number too large to be a time in Unix seconds",
        ),
    ],
)
def test_times_an_export_cannot_hold_are_said_in_its_words(
    smtime: Smtime, tmp_path: Path, content: str, message: str
) -> None:
    """A Timewarrior time without its Z, or not text, and a Watson frame starting at true:
    the value as the export wrote it and what was expected, never Python's wording
    ("does not match format", "True")."""
    export = tmp_path / ("export.json" if content.startswith("[{") else "frames")
    export.write_text(content)
    assert message in refused(smtime, export)


def test_an_absurd_length_is_said_in_a_few_characters(smtime: Smtime, tmp_path: Path) -> None:
    """Hours of 1e308 in a plain CSV: refused as too long, the number in a few characters
    (it was written with its 300 digits)."""
    export = tmp_path / "hours.csv"
    export.write_text("date,task,hours\n2026-11-30,veille,1e308\n")
    message = refused(smtime, export)
    assert "lasts 1e+308 h, longer than the limit of 168 h" in message
    assert len(message) < 200
