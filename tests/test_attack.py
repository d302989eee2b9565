"""Hostile use: files written over, special files, signals, terminal escapes, hostile names,
implausible tracker data, inputs without bounds, closed pipes, huge tables and numbers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smtime import files, output
from smtime.actuals import read
from smtime.compare import split
from smtime.domain import Entry
from smtime.errors import MAX_PROBLEMS_SHOWN, InvalidFileError, OutputError, Problem
from smtime.formats import TrackerFormat
from smtime.render.escape import csv_cell
from smtime.terminal import visible
from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]
SMTIME = [sys.executable, "-m", "smtime"]
TRACKERS = Path(__file__).parent / "trackers"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\rFAKE\u202e"


def _run(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SMTIME, *args], capture_output=True, text=True, check=False, **options)  # type: ignore[call-overload, no-any-return]


def _shell(script: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run ``script`` in bash with smtime as "$@"; its stdout."""
    return subprocess.run(
        ["bash", "-c", script, "bash", *SMTIME, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    ).stdout


def _catalogue(path: Path, families: int, label: str = "Family number {i}") -> Path:
    head = MINIMAL.split("families:")[0] + "families:\n"
    rows = "".join(
        f"  - {{id: f{i}, label: {json.dumps(label.format(i=i))}, low: 0.001, high: 0.002}}\n"
        for i in range(families)
    )
    path.write_text(head + rows, encoding="utf-8")
    return path


# 1. Never write over a file being read ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_compare_never_overwrites_its_export(tmp_path: Path, smtime: Smtime, fmt: str) -> None:
    """compare a.csv -o a.csv is refused in every format, the table included."""
    export = tmp_path / "a.csv"
    shutil.copy(TRACKERS / "plain.csv", export)
    before = export.read_bytes()
    run = smtime("compare", str(export), "-f", fmt, "-o", str(export), "--tz", "UTC")
    assert run.exit_code == 73, run.stderr
    assert f"{export}: refusing to overwrite {export}, which is being read" in run.stderr
    assert export.read_bytes() == before


def test_catalogue_from_the_environment_is_never_overwritten(
    tmp_path: Path, smtime: Smtime
) -> None:
    """A catalogue named by SMTIME_CATALOGUE is an input like --catalogue."""
    path = tmp_path / "cat.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    run = smtime("estimate", "-o", str(path), env={"SMTIME_CATALOGUE": str(path)})
    assert run.exit_code == 73, run.stderr
    assert "which is being read" in run.stderr
    assert path.read_text(encoding="utf-8") == MINIMAL


def test_catalogue_named_in_a_profile_is_never_overwritten(tmp_path: Path, smtime: Smtime) -> None:
    """A catalogue named inside a profile, written to under another name, is refused."""
    (tmp_path / "cat.yaml").write_text(MINIMAL, encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("format: smtime-profile/1\nname: P\ncatalogue: cat.yaml\n")
    other_name = tmp_path / "sub" / ".." / "cat.yaml"
    (tmp_path / "sub").mkdir()
    run = smtime("estimate", "--profile", str(profile), "-f", "json", "-o", str(other_name))
    assert run.exit_code == 73, run.stderr
    assert (tmp_path / "cat.yaml").read_text(encoding="utf-8") == MINIMAL


@pytest.mark.parametrize("how", ["environment", "line"])
def test_batch_never_overwrites_a_catalogue_it_reads_later(
    tmp_path: Path, smtime: Smtime, how: str
) -> None:
    """A batch opens its output before it reads the catalogues its lines name: the check is
    made again before the output replaces the target."""
    path = tmp_path / "cat.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    batch = tmp_path / "b.jsonl"
    line = {"name": "a"} if how == "environment" else {"name": "a", "catalogue": "cat.yaml"}
    batch.write_text(json.dumps(line) + "\n")
    env = {"SMTIME_CATALOGUE": str(path)} if how == "environment" else None
    run = smtime("batch", str(batch), "-o", str(path), env=env)
    assert run.exit_code == 73, run.stderr
    assert "which is being read" in run.stderr
    assert path.read_text(encoding="utf-8") == MINIMAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.jsonl", "cat.yaml"]


def test_every_file_read_is_remembered(tmp_path: Path) -> None:
    """atomic() refuses a file read by files.read_bytes, even through another name (a link)."""
    source = tmp_path / "in.txt"
    source.write_text("data")
    link = tmp_path / "link.txt"
    link.symlink_to(source)
    hard = tmp_path / "hard.txt"
    os.link(source, hard)
    files.read_bytes(source)
    for target in (source, link, hard):
        with pytest.raises(OutputError, match="which is being read"), output.atomic(target):
            pass
    assert source.read_text() == "data"


def test_a_file_read_then_replaced_is_no_longer_refused(tmp_path: Path) -> None:
    """The registry counts a file only while its name still leads to it (inodes are reused)."""
    source = tmp_path / "in.txt"
    source.write_text("data")
    files.read_bytes(source)
    source.unlink()
    fresh = tmp_path / "new.txt"
    output.emit("ok", fresh)
    assert fresh.read_text() == "ok"


# 2. Special files ---------------------------------------------------------------------------


def _device(path: Path, minor: int) -> Path:
    """A private character device node (1, minor): 3 is null, 7 is full, as /dev/null and
    /dev/full. The system's own nodes are never the target: code that replaced them, run as
    root, would break the machine."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return path


def test_devices_are_written_in_place_never_replaced(tmp_path: Path) -> None:
    """-o NULL writes to the device; the node stays a character device (even as root)."""
    null = _device(tmp_path / "null", 3)
    run = _run("estimate", "-f", "json", "-o", str(null))
    assert run.returncode == 0, run.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)
    full = _device(tmp_path / "full", 7)
    run = _run("estimate", "-f", "json", "-o", str(full))
    assert run.returncode == 73
    assert run.stderr == f"smtime: {full}: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_a_link_to_standard_output_writes_to_it(tmp_path: Path) -> None:
    """-o LINK, LINK -> /proc/self/fd/1 (what /dev/stdout is), writes to the pipe; the link
    stays a link."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    out = _shell(
        '"$@" | head -c 1; echo " ${PIPESTATUS[0]}"', "estimate", "-f", "json", "-o", str(link)
    )
    assert out == "{ 0\n"
    assert link.is_symlink()


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    """-o FIFO writes into the FIFO, which stays a FIFO."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    run = _run("estimate", "-f", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert run.returncode == 0, run.stderr
    assert json.loads(got[0])["tasks"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_standard_output_full_or_closed_exits_73(fmt: str) -> None:
    """> /dev/full and >&- end with exit 73 and one message, never a traceback."""
    full = _shell('"$@" 2>&1 > /dev/full; echo " $?"', "estimate", "-f", fmt)
    assert full == "smtime: cannot write to standard output: No space left on device\n 73\n"
    closed = _shell('"$@" 2>&1 >&- | cat; echo " ${PIPESTATUS[0]}"', "estimate", "-f", fmt)
    assert closed == "smtime: cannot write to standard output: it is closed\n 73\n"


@pytest.mark.parametrize(
    "args",
    [
        ("catalogue", "validate"),
        ("profile", "validate", str(Path(__file__).parents[1] / "docs/examples/acme.yaml")),
        (),
        ("catalogue",),
        ("profile",),
        ("--help",),
        ("estimate", "--help"),
        ("profile", "init", "--help"),
    ],
)
def test_every_command_reports_a_closed_standard_output(args: tuple[str, ...]) -> None:
    """>&- is exit 73 with one message for every command, the validators and the help (which
    Click and rich would otherwise drop without a word, exit 0): never an internal error or
    a traceback."""
    closed = _shell('"$@" 2>&1 >&- | cat; echo " ${PIPESTATUS[0]}"', *args)
    assert closed == "smtime: cannot write to standard output: it is closed\n 73\n"


def test_a_closed_standard_output_is_no_matter_with_output(tmp_path: Path) -> None:
    """With --output, a closed standard output is never written: the run succeeds."""
    target = tmp_path / "estimate.json"
    closed = _shell('"$@" >&-; echo "rc=$?"', "estimate", "-f", "json", "-o", str(target))
    assert closed == "rc=0\n"
    assert json.loads(target.read_text())["unit"] == "hours"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("estimate", "--format", "xml"), 2),
        (("estimate", "--catalogue", "/nonexistent.yaml"), 66),
        (("catalogue", "validate", str(Path(__file__).parent / "hostile/bad_id.yaml")), 65),
        (("estimate", "--set", "nope=high"), 2),
    ],
)
def test_a_closed_standard_error_keeps_the_exit_code(args: tuple[str, ...], code: int) -> None:
    """2>&-: the message has nowhere to go, but the exit code is still the documented one."""
    status = _shell('"$@" 2>&- > /dev/null; echo "$?"', *args)
    assert status == f"{code}\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [
        ("estimate", "-H", "mid", "--lang", "fr"),
        ("estimate", "-f", "json", "--lang", "es"),
        ("breakdown", "-t", "blogging"),
        ("report",),
        ("plan", "-f", "ics", "--tz", "UTC"),
    ],
)
def test_standard_output_in_another_encoding(encoding: str, args: tuple[str, ...]) -> None:
    """A locale (or PYTHONIOENCODING) that is not UTF-8 never makes an internal error: what
    goes to a pipe or a file is UTF-8, as --output writes it."""
    run = subprocess.run(
        [*SMTIME, *args],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    run.stdout.decode("utf-8")


# 3. Signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_signal_during_a_write_removes_the_temporary_file(
    tmp_path: Path, signum: int, code: int
) -> None:
    """SIGTERM or SIGHUP while -o out.jsonl is being written: exit 128 + signal, no .tmp left."""
    target = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [*SMTIME, "batch", "-", "-o", str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdin is not None
    proc.stdin.write(b'{"name": "a"}\n')
    proc.stdin.flush()
    for _ in range(400):  # wait for the temporary file: the write has begun
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            break
        time.sleep(0.025)
    else:
        pytest.fail("smtime never started writing")
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert b"Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# 4. Terminal escapes ------------------------------------------------------------------------


def test_profile_keys_cannot_drive_the_terminal(tmp_path: Path, smtime: Smtime) -> None:
    """A key made of escape sequences is shown escaped in the problem, never sent raw."""
    profile = tmp_path / "p.yaml"
    key = json.dumps(ESCAPES)
    profile.write_text(f"format: smtime-profile/1\nname: P\n{key}: 1\n", encoding="utf-8")
    run = smtime("estimate", "--profile", str(profile))
    assert run.exit_code == 65
    assert "\x1b" not in run.stderr
    assert "\r" not in run.stderr
    assert "\u202e" not in run.stderr
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\x0dFAKE\\u202e" in run.stderr


def test_file_names_cannot_drive_the_terminal(tmp_path: Path, smtime: Smtime) -> None:
    """A file name with escapes is shown escaped in every message."""
    name = tmp_path / f"x{ESCAPES}.yaml"
    run = smtime("tasks", "--catalogue", str(name))
    assert run.exit_code == 66
    assert "\x1b" not in run.stderr
    assert "\\x1b[2J" in run.stderr


def test_command_line_errors_cannot_drive_the_terminal() -> None:
    """An unknown option made of escapes is echoed escaped by main()."""
    run = _run("estimate", "--x" + ESCAPES)
    assert run.returncode == 2
    assert "\x1b" not in run.stderr
    assert "--x\\x1b[2J" in run.stderr


def test_one_neutraliser() -> None:
    """Control, C1 and bidi characters become visible escapes; line breaks only on request."""
    assert visible("a\x1b[31mb\x9b\u202ec\u2066d\ne") == "a\\x1b[31mb\\x9b\\u202ec\\u2066d\\x0ae"
    assert visible("a\nb", newlines=True) == "a\nb"
    problem = Problem("f\x1b.yaml", "bad\x07", "k\u202e", 1, 2)
    assert str(problem) == "f\\x1b.yaml:1:2: k\\u202e: bad\\x07"


def test_table_cells_are_neutralised(tmp_path: Path, smtime: Smtime) -> None:
    """Labels with escapes and bidi overrides reach a table as visible escapes."""
    path = _catalogue(tmp_path / "c.yaml", 2, label="L{i}" + ESCAPES)
    run = smtime("tasks", "--catalogue", str(path))
    assert run.exit_code == 0, run.stderr
    assert "\x1b" not in run.stdout
    assert "\u202e" not in run.stdout
    assert "\\u202e" in run.stdout


# 5. hledger ---------------------------------------------------------------------------------

HOSTILE_ACCOUNTS = ["a  b", "a\nX", "a)  99", "a\tb", " a", "a ", "", "a\x1bb", "a\u2028b"]
HLEDGER_ENV = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


@pytest.mark.parametrize("account", HOSTILE_ACCOUNTS)
def test_hostile_account_names_are_refused(smtime: Smtime, account: str) -> None:
    """Names hledger would misread are refused with exit 2, before anything is written."""
    run = smtime("plan", "-H", "mid", "-f", "hledger", "--account", account)
    assert run.exit_code == 2, run.stdout
    assert "is not a valid hledger account name" in run.stderr
    assert run.stdout == ""


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_accepted_account_names_read_back_the_same_in_hledger(
    tmp_path: Path, smtime: Smtime
) -> None:
    """Odd but valid names (single spaces, ;, #, brackets inside) come back intact."""
    for account in ("time", "a b", "a;b", "c#d", "x (y) z", "é ü:sub", "(a", "[a]", "a)"):
        journal = tmp_path / "budget.journal"
        run = smtime("plan", "-H", "mid", "-f", "hledger", "--account", account, "-o", str(journal))
        assert run.exit_code == 0, run.stderr
        shown = subprocess.run(
            ["hledger", "-f", str(journal), "accounts", "--forecast=2026-01-01..2026-01-08"],
            capture_output=True,
            text=True,
            check=True,
            env=HLEDGER_ENV,
        ).stdout.splitlines()
        assert shown, account
        assert all(line.startswith(f"{account}:") for line in shown), (account, shown)


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
@pytest.mark.parametrize("account", ["a  b", "a)  99", "a\tb"])
def test_refused_names_are_those_hledger_misreads(tmp_path: Path, account: str) -> None:
    """What the check refuses, hledger would indeed read as another account (or not at all)."""
    journal = tmp_path / "j.journal"
    journal.write_text(f"~ weekly  b\n    ({account}:blogging)    2\n")
    shown = subprocess.run(
        ["hledger", "-f", str(journal), "accounts", "--forecast=2026-01-01..2026-01-08"],
        capture_output=True,
        text=True,
        check=False,
        env=HLEDGER_ENV,
    )
    assert shown.returncode != 0 or shown.stdout.strip() != f"{account}:blogging"


# 6. HTML report and CSV ---------------------------------------------------------------------


def test_report_neutralises_every_text(tmp_path: Path, smtime: Smtime) -> None:
    """Hypotheses, family labels and actions reach the HTML with escapes visible."""
    text = (
        MINIMAL.replace(
            "{label: Low, description: The low one}",
            '{label: "L\\u202e", description: "low\\e[2J\\u202eone"}',
        )
        .replace("label: Do alpha things", 'label: "do\\e]0;x\\a\\u202e"')
        .replace("label: Alpha", 'label: "Al\\u202epha\\e[1m"')
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    run = smtime("report", "--catalogue", str(path), "-H", "mid")
    assert run.exit_code == 0, run.stderr
    for raw in ("\x1b", "\u202e", "\x07"):
        assert raw not in run.stdout
    for shown in ("low\\x1b[2J\\u202eone", "do\\x1b]0;x\\x07\\u202e", "Al\\u202epha"):
        assert shown in run.stdout


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "＝1+1",
        "＋cmd",
        "－1",
        "＠SUM(A1)",
        "\u200b=1+1",
        "\u00a0=1",
        "\u2060\ufeff+1",
        "\t=1",
    ],
)
def test_csv_formula_guard_sees_through_invisible_and_fullwidth(text: str) -> None:
    """A cell that a spreadsheet could read as a formula starts with a quote."""
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["Blog", "a=b", "1-2", "\u200bBlog"])
def test_csv_guard_leaves_text_alone(text: str) -> None:
    """Other text is not quoted."""
    assert not csv_cell(text).startswith("'")


# 7. ICS -------------------------------------------------------------------------------------


def test_ics_with_a_line_break_in_the_name(tmp_path: Path, smtime: Smtime) -> None:
    """A profile name over two lines gives a valid calendar (one-line name), not exit 70."""
    from icalendar import Calendar

    profile = tmp_path / "p.yaml"
    profile.write_text('format: smtime-profile/1\nname: "A\\nB\\e[2J"\nhypothesis: mid\n')
    run = smtime("plan", "-f", "ics", "--profile", str(profile))
    assert run.exit_code == 0, run.stderr
    calendar = Calendar.from_ical(run.stdout)
    assert str(calendar["x-wr-calname"]) == "smtime — A B\\x1b[2J"


# 8. Tracker time split and bounded ----------------------------------------------------------


def _timew(tmp_path: Path, *intervals: tuple[str, str | None]) -> Path:
    items = [
        {"start": start, "tags": ["veille"], **({"end": end} if end else {})}
        for start, end in intervals
    ]
    path = tmp_path / "timew.json"
    path.write_text(json.dumps(items))
    return path


def _weeks(run: Run) -> dict[str, float]:
    assert run.exit_code == 0, run.stderr
    return {w["week"]: w["total"]["actual"] for w in run.json()["weeks"]}


def test_an_interval_is_split_at_week_boundaries(tmp_path: Path, smtime: Smtime) -> None:
    """Sun 1 Nov 00:00 to Thu 5 Nov 00:00 UTC: 24 h in W44, 72 h in W45 (by hand)."""
    path = _timew(tmp_path, ("20261101T000000Z", "20261105T000000Z"))
    run = smtime("compare", str(path), "-f", "json", "--tz", "UTC", "--now", "2026-12-01")
    assert _weeks(run) == {"2026-W44": 24.0, "2026-W45": 72.0}


def test_a_split_across_a_daylight_saving_change(tmp_path: Path, smtime: Smtime) -> None:
    """Paris, Sat 24 Oct 12:00Z to Mon 26 Oct 12:00Z 2026 (DST ends on the 25th): the week
    ends on Mon 00:00 CET = Sun 23:00Z, so W43 has 35 real hours and W44 13 (by hand)."""
    path = _timew(tmp_path, ("20261024T120000Z", "20261026T120000Z"))
    run = smtime("compare", str(path), "-f", "json", "--tz", "Europe/Paris", "--now", "2026-12-01")
    assert _weeks(run) == {"2026-W43": 35.0, "2026-W44": 13.0}


def test_a_week_with_a_daylight_saving_change_holds_its_real_length() -> None:
    """Monday to Monday in Paris across the October change is 169 hours, split exactly."""
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 10, 19, tzinfo=paris)
    end = datetime(2026, 10, 26, tzinfo=paris)
    hours = (end.timestamp() - start.timestamp()) / 3600
    assert hours == 169
    assert split(Entry(start, hours, (), False, end), paris) == [("2026-W43", 169.0)]


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (
            '[{"start":"20261101T000000Z","end":"20261201T000000Z","tags":["x"]}]',
            TrackerFormat.TIMEWARRIOR,
            "interval 0: lasts 720.0 h, longer than the limit of 168 h",
        ),
        (
            '[{"start":"00010101T000000Z","tags":["x"]}]',
            TrackerFormat.TIMEWARRIOR,
            "interval 0: dated 0001, outside the years 1970 to 2027",
        ),
        (
            '[{"start":"9999-12-31T00:00:00+00:00","stop":"9999-12-31T01:00:00+00:00"}]',
            TrackerFormat.WATSON,
            "frame 0: dated 9999",
        ),
        (
            '[{"start":"20261202T000000Z","end":"20261201T000000Z"}]',
            TrackerFormat.TIMEWARRIOR,
            "ends before it starts",
        ),
        (
            "Start date,Start time,Duration,Project\n2026-11-30,09:00:00,999999:00:00,x\n",
            TrackerFormat.TOGGL,
            "lasts 999,999.0 h",
        ),
        ("Start date,Duration\n0001-01-01,01:00:00\n", TrackerFormat.TOGGL, "dated 0001"),
        ("date,task,hours\n0001-01-01,x,1\n", TrackerFormat.CSV, "dated 0001"),
    ],
)
def test_implausible_entries_are_problems(content: str, fmt: TrackerFormat, message: str) -> None:
    """Too long, too old, too far ahead, backwards: each is a problem with its place."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(InvalidFileError) as info:
        read(content, fmt, "x", now=now)
    assert message in str(info.value.problems[0])


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def test_calendar_edges_never_crash(tmp_path: Path, smtime: Smtime, zone: str) -> None:
    """Years 0001 and 9999, moved to far time zones, end in exit 65 (2 for a --now before
    the years that are read), never 70."""
    for start, end in (
        ("00010101T000000Z", "00010101T010000Z"),
        ("99991231T220000Z", "99991231T230000Z"),
        ("00010101T000000Z", None),
    ):
        path = _timew(tmp_path, (start, end))
        for now, code in (("9999-12-31T23:59", 65), ("0001-01-01T00:00", 2), ("2026-12-01", 65)):
            run = smtime("compare", str(path), "-f", "json", "--tz", zone, "--now", now)
            assert run.exit_code == code, (start, end, now, run.stderr)


# 9. Size limits -----------------------------------------------------------------------------


def test_standard_input_has_the_file_size_limit() -> None:
    """64 MiB and more on stdin is refused without reading it all (cat /dev/zero | ...)."""
    out = _shell('head -c 80000000 /dev/zero | "$@" 2>&1; echo " ${PIPESTATUS[1]}"', "compare", "-")
    assert out == "<stdin>: file is larger than the limit of 64 MiB\n 65\n"


def test_deeply_nested_json_is_a_problem(tmp_path: Path, smtime: Smtime) -> None:
    """100,000 nested [ is a problem (exit 65), not a RecursionError, in every JSON format."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    for fmt in ("auto", "timewarrior", "watson"):
        run = smtime("compare", str(path), "-i", fmt)
        assert run.exit_code == 65, run.stderr
        assert "JSON nested too deeply" in run.stderr


def test_problems_printed_are_capped(tmp_path: Path, smtime: Smtime) -> None:
    """A catalogue with 500 problems prints the first 50, then one line counting the rest; a
    tracker export with the same problem on 500 lines prints it once, with its lines."""
    families = "\n".join(f"  - {{id: f{i}, label: F{i}, low: 2, high: 1}}" for i in range(500))
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text(MINIMAL.split("families:")[0] + "families:\n" + families + "\n")
    run = smtime("catalogue", "validate", str(catalogue))
    assert run.exit_code == 65
    lines = run.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == f"{catalogue}: 450 more problems not shown"
    path = tmp_path / "t.csv"
    path.write_text("date,task,hours\n" + "nope,x,1\n" * 500)
    run = smtime("compare", str(path))
    assert run.exit_code == 65
    assert run.stderr.splitlines() == [
        f"{path}: lines 2–501 (500 lines): date: 'nope' is not a date such as 2026-11-30"
    ]


# 10. Closed pipe ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_closed_pipe_exits_141_in_every_format(tmp_path: Path, fmt: str, unbuffered: str) -> None:
    """smtime tasks -c big.yaml | head -1 exits 141, buffered or not (PYTHONUNBUFFERED)."""
    big = _catalogue(tmp_path / "big.yaml", 1900)
    out = _shell(
        '"$@" | head -1 > /dev/null; echo "${PIPESTATUS[0]}"',
        "tasks",
        "-f",
        fmt,
        "-c",
        str(big),
        env={"PYTHONUNBUFFERED": unbuffered},
    )
    assert out == "141\n"


# 11. Huge tables ----------------------------------------------------------------------------


def test_huge_tables_are_refused_with_a_hint(tmp_path: Path, smtime: Smtime) -> None:
    """Over 2,000 rows, the table says to use --format csv (exit 2); CSV writes them all."""
    big = _catalogue(tmp_path / "big.yaml", 2001)
    run = smtime("tasks", "-c", str(big))
    assert run.exit_code == 2
    assert "use --format csv" in run.stderr
    assert smtime("tasks", "-c", str(big), "-o", str(tmp_path / "t.txt")).exit_code == 2
    csv = smtime("tasks", "-c", str(big), "-f", "csv")
    assert csv.exit_code == 0
    assert len(csv.stdout.splitlines()) == 2002


# 12. Huge integers in YAML ------------------------------------------------------------------


def test_huge_integers_in_a_profile_and_a_batch(tmp_path: Path, smtime: Smtime) -> None:
    """An integer over 4,300 digits is a problem with its line and column, in every YAML."""
    profile = tmp_path / "p.yaml"
    profile.write_text("format: smtime-profile/1\nname: P\nlevel: " + "9" * 5000 + "\n")
    run = smtime("estimate", "--profile", str(profile))
    assert run.exit_code == 65, run.stderr
    assert f"{profile}:3:8: number too large" in run.stderr
    batch = tmp_path / "b.yaml"
    batch.write_text("- name: A\n  rate: !!int '" + "1" * 5000 + "'\n")
    run = smtime("batch", str(batch))
    assert run.exit_code == 65
    assert ":2:9: number too large" in run.stderr
    assert len(run.stderr) < 500


@pytest.mark.parametrize("tracker", ["auto", "timewarrior", "watson"])
def test_huge_integers_in_a_json_export(tmp_path: Path, smtime: Smtime, tracker: str) -> None:
    """An integer over 4,300 digits in a JSON export is smtime's 'number too large', not
    Python's advice on sys.set_int_max_str_digits."""
    export = tmp_path / "timew.json"
    export.write_text('[{"id": ' + "1" * 5000 + ', "start": "20261201T090000Z"}]')
    run = smtime("compare", str(export), "-i", tracker)
    assert run.exit_code == 65
    assert run.stderr.strip().endswith(
        "timew.json: number too large: an integer of 5,000 characters "
        "(at most 4,300 digits are read)"
    )
    assert "set_int_max_str_digits" not in run.stderr


# A second outside attack, on the new layout.


def test_parallel_batch_never_overwrites_a_catalogue_a_line_names(tmp_path: Path) -> None:
    """With worker processes, a line's catalogue read by a worker that is the output file
    stops the batch with exit 73 and leaves the catalogue as it was."""
    catalogue = tmp_path / "c2.yaml"
    catalogue.write_text(MINIMAL, encoding="utf-8")
    lines = ['{"name": "A"}\n'] * 3000 + ['{"name": "B", "catalogue": "c2.yaml"}\n'] * 10
    batch = tmp_path / "in.jsonl"
    batch.write_text("".join(lines))
    run = _run("batch", str(batch), "--jobs", "2", "-o", str(catalogue))
    assert run.returncode == 73, run.stderr
    assert "refusing to overwrite" in run.stderr
    assert catalogue.read_text(encoding="utf-8") == MINIMAL


def test_a_link_planted_in_the_cache_is_replaced_not_followed(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symbolic link under a cache entry's name is replaced by the entry, never written
    through: the file it points to keeps its content and mode."""
    from smtime import cache

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(folder))
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(MINIMAL, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    victim.chmod(0o644)
    (folder / cache.key("catalogue", catalogue.read_bytes())).symlink_to(victim)
    assert smtime("tasks", "-c", str(catalogue)).exit_code == 0
    assert victim.read_text() == "precious"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


@pytest.mark.parametrize("forged", [{"aliases": [1]}, {"id": None}, {"label": {"en": 5}}])
def test_a_cache_entry_of_the_wrong_types_is_ignored(
    smtime: Smtime, tmp_path: Path, forged: dict[str, object]
) -> None:
    """A cache entry whose names are not text is ignored, not an internal error."""
    from smtime import cache

    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(MINIMAL, encoding="utf-8")
    assert smtime("tasks", "-c", str(catalogue)).exit_code == 0
    folder = cache.folder()
    assert folder is not None
    entry = folder / cache.key("catalogue", catalogue.read_bytes())
    envelope = json.loads(entry.read_text(encoding="utf-8"))
    envelope["data"]["families"][0].update(forged)
    entry.write_text(json.dumps(envelope), encoding="utf-8")
    run = smtime("tasks", "-c", str(catalogue), "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()[0]["id"] == "alpha"


def test_a_line_whose_catalogue_is_a_fifo_does_not_stop_the_batch(tmp_path: Path) -> None:
    """A catalogue named by a line that is not a regular file (a FIFO) is that line's
    problem: the batch does not wait on it and goes on."""
    os.mkfifo(tmp_path / "fifo")
    batch = tmp_path / "fq.jsonl"
    batch.write_text('{"name": "f", "catalogue": "fifo"}\n{"name": "ok"}\n')
    run = _run("batch", str(batch), timeout=60)
    assert run.returncode == 65, run.stderr
    assert "not a regular file" in run.stderr
    assert [json.loads(line)["profile"] for line in run.stdout.splitlines()] == ["ok"]


def test_a_csv_set_naming_a_family_twice_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """In a batch CSV, `set` naming the same family twice is that profile's problem."""
    path = tmp_path / "s.csv"
    path.write_text("name,set\nB,blogging=1;blogging=0\nC,blogging=1\n")
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert "set: 'blogging' is given twice" in run.stderr
    assert [json.loads(line)["profile"] for line in run.stdout.splitlines()] == ["C"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024-01-01,blogging,1,5", "more cells than columns (an unquoted decimal comma?"),
        ("2024-01-01,blogging,1_0", "hours: '1_0' is not a duration: write one such as 1.5"),
    ],
)
def test_plain_csv_cells_are_never_cut_or_misread(
    smtime: Smtime, tmp_path: Path, row: str, message: str
) -> None:
    """An unquoted decimal comma or an underscore in a plain CSV's hours is a problem with
    its line, never hours silently cut (1,5 read as 1) or misread (1_0 read as 10)."""
    path = tmp_path / "x.csv"
    path.write_text(f"date,task,hours\n{row}\n")
    run = smtime("compare", str(path), "--tz", "UTC", "--now", "2024-02-01T00:00")
    assert run.exit_code == 65
    assert f"{path}:2: {message}" in run.stderr


def test_csv_exports_keep_the_year_limit_of_now(smtime: Smtime, tmp_path: Path) -> None:
    """Toggl and plain CSV rows dated after the year following --now are problems, as a
    Timewarrior interval there is."""
    path = tmp_path / "x.csv"
    path.write_text("date,task,hours\n5000-01-07,blogging,1\n")
    run = smtime("compare", str(path), "--tz", "UTC", "--now", "2026-12-01T00:00")
    assert run.exit_code == 65
    assert "dated 5000" in run.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["tasks", "--help"]])
def test_version_and_help_on_a_full_or_closed_stdout_exit_73(
    tmp_path: Path, args: list[str]
) -> None:
    """--version and --help go through the same output handling as the commands: a full
    device is exit 73 with a message, never an internal error."""
    full = tmp_path / "full"
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    with full.open("w") as sink:
        run = subprocess.run(
            [*SMTIME, *args], check=False, stdout=sink, stderr=subprocess.PIPE, text=True
        )
    assert run.returncode == 73, run.stderr
    assert "cannot write to standard output" in run.stderr
    closed = _shell('"$@" --version >&-; echo "rc=$?"')
    assert "rc=73" in closed


def test_json_output_escapes_what_a_terminal_would_act_on(smtime: Smtime, tmp_path: Path) -> None:
    """JSON on stdout writes U+202E and C1 controls as \\u escapes: the same values, and
    nothing a terminal would reorder or run (estimate and batch alike)."""
    text = MINIMAL.replace("label: Alpha", 'label: "Al\\u202epha\\u009b"')
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(text, encoding="utf-8")
    run = smtime("estimate", "-c", str(catalogue), "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert "\u202e" not in run.stdout
    assert "\x9b" not in run.stdout
    assert "\\u202e" in run.stdout
    assert run.json()["tasks"][0]["label"] == "Al\u202epha\x9b"
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"name": "x\\u202ey"}\n')
    run = smtime("batch", str(batch), "-c", str(catalogue))
    assert run.exit_code == 0, run.stderr
    assert "\u202e" not in run.stdout
    record = json.loads(run.stdout)
    assert record["profile"] == "x\u202ey"
    assert record["tasks"][0]["label"] == "Al\u202epha\x9b"


def test_a_batch_line_that_is_not_a_mapping_reads_cleanly(smtime: Smtime, tmp_path: Path) -> None:
    """A batch line that is a list is reported as such, without an empty place before it."""
    batch = tmp_path / "odd.jsonl"
    batch.write_text("[1, 2]\n")
    run = smtime("batch", str(batch))
    assert run.exit_code == 65
    assert run.stderr == f"{batch}:1: expected a mapping (key: value lines), not a list\n"


@pytest.mark.parametrize("args", [["--help"], ["tasks", "--help"], ["--version"]])
def test_help_and_version_into_a_closed_pipe_exit_141(args: list[str]) -> None:
    """A reader gone before --help or --version is written: exit 141, quietly, as for every
    command."""
    # the reader (true) is gone long before Python has started and writes
    closed = _shell('exec 3>&1; ( "$@"; echo "rc=$?" >&3 ) | true', *args)
    assert "rc=141" in closed, closed


@pytest.mark.parametrize("now", ["0001-01-01T00:00Z", "1969-12-31T23:59Z"])
def test_now_before_the_years_read_is_a_usage_error(smtime: Smtime, now: str) -> None:
    """--now before 1970 is refused as such, not as entries 'outside the years 1970 to 2'."""
    export = Path(__file__).parent / "trackers" / "timewarrior.json"
    run = smtime("compare", str(export), "--now", now)
    assert run.exit_code == 2
    assert run.stderr.strip().endswith(
        f"--now: '{now}' is before 1970, the first year that is read"
    )
