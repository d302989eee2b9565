"""Property-based fuzzing: random YAML, catalogue-shaped data and bytes end cleanly, every time."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtime import catalogue, safeyaml
from smtime.compare import split
from smtime.domain import Entry
from smtime.errors import ExitCode, SmtimeError
from smtime.render.escape import csv_cell
from smtime.terminal import json_visible, json_visible_utf8, visible
from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]
DOCUMENTED = {ExitCode.OK, ExitCode.USAGE, ExitCode.DATA_ERROR, ExitCode.NO_INPUT}
FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),  # a hang guard, not a speed measure
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["no", "yes", "on", "1:30", "010", ".nan", "2024-01-01", "~", "-.inf"]),
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
hours = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 300),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
)
family = st.fixed_dictionaries(
    {
        "id": st.one_of(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text(max_size=8)),
        "label": st.one_of(
            st.text(max_size=10), st.dictionaries(st.sampled_from(["fr", "en", "xx"]), st.text())
        ),
        "low": hours,
        "high": hours,
    },
    optional={
        "actions": st.lists(st.fixed_dictionaries({"label": st.text(max_size=10)}), max_size=3),
        "extra": plain_data,
    },
)
catalogue_shaped = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["smtime-catalogue/1", "other"]),
        "version": st.one_of(st.text(max_size=5), st.floats()),
        "unit": st.sampled_from(["hours/week", "minutes"]),
        "title": st.text(max_size=10),
        "source": st.fixed_dictionaries({"title": st.text(max_size=10)}),
        "hypotheses": st.just(
            {"low": {"label": "l", "description": "d"}, "high": {"label": "h", "description": "d"}}
        ),
        "families": st.lists(family, max_size=6),
    }
)


def _load_text(text: str) -> None:
    error: SmtimeError | None = None
    try:
        catalogue.validate(safeyaml.parse(text, "fuzz.yaml"))
    except SmtimeError as exc:
        error = exc
    if error is not None:
        assert error.exit_code in DOCUMENTED
        assert all(line.startswith("fuzz.yaml") for line in error.lines())


@FUZZ
@given(st.text())
def test_json_visible_utf8_is_json_visible(text: str) -> None:
    """On any text, the UTF-8 neutraliser gives the bytes of ``json_visible``'s text."""
    assert json_visible_utf8(text.encode()) == json_visible(text).encode()


def test_json_visible_utf8_finds_what_json_visible_escapes() -> None:
    """Every character, alone and amid text, is escaped by the UTF-8 neutraliser exactly
    when ``json_visible`` escapes it, with the same result."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates have no UTF-8
        sample = f"a{chr(code)}é{chr(code)}"
        assert json_visible_utf8(sample.encode()) == json_visible(sample).encode(), hex(code)
    for text in ["plain", "Curation é €", "\u2069x\x85"]:
        assert json_visible_utf8(text.encode()) == json_visible(text).encode()
    assert json_visible_utf8(b"\xef\xbf\xbd") == "\ufffd".encode()


@FUZZ
@given(plain_data)
def test_random_yaml_documents(data: Any) -> None:
    """Any YAML document of plain data loads or fails with a documented error."""
    _load_text(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(catalogue_shaped)
def test_random_catalogue_shaped_data(data: dict[str, Any]) -> None:
    """Catalogue-shaped data with random values loads or fails with a documented error."""
    _load_text(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("[]{}:-,&*!|>'\"#%@`?\n\t ab0.~<")), max_size=200))
def test_random_yaml_syntax(text: str) -> None:
    """Random strings of YAML punctuation load or fail with a documented error."""
    _load_text(text)


@FUZZ
@given(st.integers(0, len(MINIMAL) - 1), st.text(max_size=6))
def test_mutated_catalogue(position: int, insert: str) -> None:
    """A valid catalogue with random text spliced in loads or fails cleanly."""
    _load_text(MINIMAL[:position] + insert + MINIMAL[position:])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_through_the_cli(smtime: Smtime, tmp_path_factory: Any, data: bytes) -> None:
    """Random bytes as a catalogue: the CLI exits with a documented code, never a traceback."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "random.yaml"
    path.write_bytes(data)
    run = smtime("estimate", "--format", "json", "--catalogue", str(path))
    assert run.exit_code in DOCUMENTED
    assert "Traceback" not in run.stderr
    if run.exit_code:
        assert run.stdout == ""
        assert run.stderr.strip()


@FUZZ
@given(catalogue_shaped, st.sampled_from(["tasks", "estimate", "catalogue validate"]))
def test_random_catalogues_through_the_cli(
    smtime: Smtime, tmp_path_factory: Any, data: dict[str, Any], command: str
) -> None:
    """Random catalogue-shaped files through every command exit with a documented code."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "shaped.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = smtime(*command.split(), "--catalogue", str(path))
    assert run.exit_code in DOCUMENTED
    assert "Traceback" not in run.stderr


tracker_json = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "start": st.one_of(
                st.text(max_size=20),
                st.sampled_from(["20261130T090000Z", "2026-11-30T09:00:00+01:00"]),
                st.integers(),
            ),
            "end": st.one_of(
                st.none(), st.text(max_size=20), st.sampled_from(["20261130T100000Z"])
            ),
            "stop": st.one_of(st.none(), st.sampled_from(["2026-11-30T10:00:00+01:00", "x"])),
            "tags": st.one_of(
                st.lists(st.text(max_size=8), max_size=3), st.text(max_size=5), st.integers()
            ),
            "project": st.one_of(st.text(max_size=8), st.integers()),
            "annotation": st.one_of(st.text(max_size=8), st.none()),
        },
    ),
    max_size=5,
)


@FUZZ
@given(
    st.one_of(st.binary(max_size=300), tracker_json.map(lambda items: json.dumps(items).encode()))
)
def test_random_tracker_exports(smtime: Smtime, tmp_path_factory: Any, data: bytes) -> None:
    """Random bytes or interval-shaped JSON as a time-tracker export end cleanly."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "export.json"
    path.write_bytes(data)
    run = smtime(
        "compare", str(path), "--format", "json", "--tz", "UTC", "--now", "2026-12-01T00:00"
    )
    assert run.exit_code in DOCUMENTED, run.stderr
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr


@FUZZ
@given(st.one_of(st.binary(max_size=300), plain_data.map(lambda d: yaml.safe_dump(d).encode())))
def test_random_profiles(smtime: Smtime, tmp_path_factory: Any, data: bytes) -> None:
    """Random bytes or YAML as a profile end cleanly."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "profile.yaml"
    path.write_bytes(data)
    run = smtime("estimate", "--format", "json", "--profile", str(path))
    assert run.exit_code in DOCUMENTED, run.stderr
    assert "internal error" not in run.stderr


@FUZZ
@given(
    st.lists(st.one_of(plain_data.map(json.dumps), st.text(max_size=30)), max_size=5),
    st.sampled_from(["jsonl", "csv", "yaml"]),
)
def test_random_batch_files(
    smtime: Smtime, tmp_path_factory: Any, lines: list[str], fmt: str
) -> None:
    """Random lines as a batch file in any format end cleanly, one estimate per good line."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "profiles.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = smtime("batch", str(path), "--input-format", fmt)
    assert run.exit_code in DOCUMENTED, run.stderr
    assert "internal error" not in run.stderr


ZONES = [
    "UTC",
    "Europe/Paris",
    "America/Santiago",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Asia/Tehran",
]
moments = st.datetimes(
    min_value=datetime(1969, 12, 25), max_value=datetime(9999, 12, 31, 23, 59)
).map(lambda d: d.replace(tzinfo=UTC))


@FUZZ
@given(
    st.lists(st.tuples(moments, st.one_of(st.none(), moments)), min_size=1, max_size=4),
    st.sampled_from(ZONES),
    st.sampled_from(["9999-12-31T23:59", "2026-12-01T00:00", "1970-01-01T00:00"]),
)
def test_tracker_times_at_the_calendar_edges(
    smtime: Smtime, tmp_path_factory: Any, intervals: list[Any], zone: str, now: str
) -> None:
    """Intervals anywhere from 1969 to 9999, running or not, in far time zones: exit 0 or
    65, and no week ever holds more hours than a week has."""
    items = [
        {
            "start": start.strftime("%Y%m%dT%H%M%SZ"),
            "tags": ["veille"],
            **({"end": end.strftime("%Y%m%dT%H%M%SZ")} if end else {}),
        }
        for start, end in intervals
    ]
    path: Path = tmp_path_factory.mktemp("fuzz") / "timew.json"
    path.write_text(json.dumps(items))
    run = smtime("compare", str(path), "-f", "json", "--tz", zone, "--now", now)
    assert run.exit_code in (0, 65), run.stderr
    if run.exit_code == 0:
        for week in run.json()["weeks"]:
            assert week["total"]["actual"] <= 169 * len(items)


@FUZZ
@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 1)),
    st.floats(min_value=0, max_value=168),
    st.sampled_from(ZONES),
)
def test_split_keeps_every_hour_and_no_more_than_a_week(
    start: datetime, hours: float, zone: str
) -> None:
    """The parts of an interval add up to its hours; none is longer than its week."""
    tz = ZoneInfo(zone)
    begin = start.replace(tzinfo=UTC)
    end = begin + timedelta(hours=hours)
    parts = split(Entry(begin, hours, (), False, end), tz)
    assert abs(sum(h for _, h in parts) - hours) < 1e-6
    assert all(0 <= h <= 169 + 1e-9 for _, h in parts)
    assert len({week for week, _ in parts}) == len(parts)


invisible = st.text(
    st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000 \u202f"), max_size=4
)


@FUZZ
@given(invisible, st.sampled_from("=+-@＝＋－＠﹦﹢"), st.text(max_size=10))
def test_csv_guard_against_formulas(prefix: str, start: str, rest: str) -> None:
    """Whatever invisible characters come first, a formula start is quoted."""
    assert csv_cell(prefix + start + rest).startswith("'")


@FUZZ
@given(st.text(max_size=40))
def test_visible_leaves_no_control_character(text: str) -> None:
    """No C0/C1 control or bidi control survives the neutraliser."""
    shown = visible(text)
    assert not any(
        ord(c) < 0x20
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
        for c in shown
    )


@FUZZ
@given(st.integers(4301, 6000), st.sampled_from(["", "-", "0x", "0o"]))
def test_huge_integers_are_problems(digits: int, sign: str) -> None:
    """An integer of more than 4,300 digits is a located problem, never a ValueError."""
    number = sign + ("7" * digits)
    with pytest.raises(SmtimeError) as info:
        safeyaml.parse(f"a: {number}\n", "x.yaml")
    assert info.value.lines()[0].startswith("x.yaml:1:4: number too large")


TRACKER_HEADERS = [
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags",
    "Project,Client,Description,Task,Tags,Type,Start Date,Start Time,End Date,End Time,"
    "Duration (h),Duration (decimal)",
    "Date,Client,Project,Project Code,Task,Notes,Hours",
    "Date,From,To,Duration,Customer,Project,Activity,Description,Tags",
    "id,start,stop,project,tags",
    "date,task,hours",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "2026-11-30",
            "30/11/2026",
            "11/30/2026",
            "31/31/2026",
            "0001-01-01",
            "09:00",
            "9:30 PM",
            "12:00 AM",
            "24:00",
            "1:30",
            "1,5",
            "0.79 h",
            "45:00 min",
            "30 sec",
            "99999999:00:00",
            "999999999",
            "current",
            "Break",
            "veille",
            '"a,b"',
            "2026-11-30 09:00:00",
        ]
    ),
    st.text(max_size=12),
)


@FUZZ
@given(
    st.sampled_from(TRACKER_HEADERS),
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.lists(CELLS, max_size=14), max_size=5),
)
def test_random_cells_under_each_trackers_header(
    smtime: Smtime, tmp_path_factory: Any, header: str, delimiter: str, rows: list[list[str]]
) -> None:
    """Any cells under any tracker's CSV header, with any delimiter, end cleanly: exit 0 or
    65, never an internal error."""
    lines = [header.replace(",", delimiter), *(delimiter.join(row) for row in rows)]
    path: Path = tmp_path_factory.mktemp("fuzz") / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = smtime("compare", str(path), "-f", "json", "--tz", "UTC", "--now", "2026-12-01T00:00")
    assert run.exit_code in (0, 65), run.stderr


EVENT_LINES = st.sampled_from(
    [
        "DTSTART:20261130T090000Z",
        "DTSTART;VALUE=DATE:20261130",
        "DTSTART:20261130T090000",
        "DTSTART;TZID=Europe/Paris:20261130T090000",
        "DTSTART;TZID=Nowhere/Land:20261130T0900",
        "DTSTART:19000101T000000Z",
        "DTSTART:99991231T000000Z",
        "DTSTART:bad",
        "DTEND:20261130T100000Z",
        "DTEND;VALUE=DATE:20261201",
        "DTEND:20261129T100000Z",
        "DURATION:PT1H",
        "DURATION:-PT1H",
        "DURATION:P30D",
        "RRULE:FREQ=WEEKLY",
        "RRULE:FREQ=DAILY;COUNT=3",
        "RRULE:FREQ=HOURLY;UNTIL=20261201T000000Z",
        "RRULE:FREQ=YEARLY;BYMONTH=13",
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "RRULE:bad",
        "RRULE:FREQ=SECONDLY",
        "EXDATE:20261207T090000Z",
        "RDATE:20261201T090000Z",
        "RECURRENCE-ID:20261207T090000Z",
        "SUMMARY:veille",
        "CATEGORIES:blogging,x",
        "DESCRIPTION:Curation",
        "STATUS:CANCELLED",
        "UID:a",
        "UID:b",
    ]
)


@FUZZ
@given(st.lists(st.lists(EVENT_LINES, max_size=6), max_size=3), st.sampled_from([None, "7"]))
def test_random_calendars(
    smtime: Smtime, tmp_path_factory: Any, events: list[list[str]], all_day: str | None
) -> None:
    """Calendars of random, broken or hostile events end cleanly: exit 0 or 65."""
    body = "".join(
        "BEGIN:VEVENT\r\n" + "".join(f"{p}\r\n" for p in e) + "END:VEVENT\r\n" for e in events
    )
    path: Path = tmp_path_factory.mktemp("fuzz") / "agenda.ics"
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n")
    extra = ["--all-day-hours", all_day] if all_day else []
    run = smtime(
        "compare", str(path), "-f", "json", "--tz", "UTC", "--now", "2026-12-08T12:00", *extra
    )
    assert run.exit_code in (0, 65), run.stderr
