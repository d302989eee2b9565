"""Batch estimates: formats in and out, bad profiles, order, progress only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smtime import batch as batches
from smtime.batch import workers
from smtime.cli import app
from tests.conftest import MINIMAL, ROOT, Run, conforming

Smtime = Callable[..., Run]

JSONL = """\
{"name": "ACME", "hypothesis": "low", "set": {"blogging": "high"}, "rate": 50}
{"name": "Bad", "hypotesis": "low"}

not json
{"name": "Globex", "level": 0.5, "period": "month", "lang": "fr"}
{"name": "Nope", "set": {"bloging": "high"}}
{"name": "Initech", "hypothesis": "high", "contingency": 10}
"""


def lines(text: str) -> list[dict[str, object]]:
    """The JSON objects of a JSON Lines text."""
    return [json.loads(line) for line in text.splitlines() if line]


def test_jsonl_in_and_out(smtime: Smtime, tmp_path: Path) -> None:
    """Each good profile gives one estimate line, in order; bad ones are reported; exit 65."""
    path = tmp_path / "clients.jsonl"
    path.write_text(JSONL)
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    out = lines(run.stdout)
    assert [(o["profile"], o["line"]) for o in out] == [("ACME", 1), ("Globex", 5), ("Initech", 7)]
    for item in out:
        estimate = {k: v for k, v in item.items() if k not in ("profile", "line")}
        conforming(estimate, "estimate")
    assert out[0]["total"]["hours"] == 16  # type: ignore[index]
    assert out[0]["total"]["cost"]["hours"] == 800  # type: ignore[index]
    assert out[1]["tasks"][0]["label"] == "Veille / Sourcing"  # type: ignore[index]
    assert out[2]["total"]["hours"] == pytest.approx(30.8)  # type: ignore[index]
    errors = run.stderr.splitlines()
    assert errors == [
        f"{path}:2: profile 'Bad': hypotesis: unknown key 'hypotesis' (did you mean 'hypothesis'?)",
        f"{path}:4: not valid JSON: Expecting value: line 1 column 1 (char 0)",
        f"{path}:6: profile 'Nope': set.bloging: unknown family 'bloging': did you mean 'blogging'?",
    ]


def test_all_good_exits_0(smtime: Smtime, tmp_path: Path) -> None:
    """Without a bad profile the exit code is 0 and stderr stays empty."""
    path = tmp_path / "ok.jsonl"
    path.write_text('{"name": "a", "hypothesis": "low"}\n{"name": "b", "hypothesis": "high"}\n')
    run = smtime("batch", str(path))
    assert run.exit_code == 0
    assert run.stderr == ""
    assert [o["total"]["hours"] for o in lines(run.stdout)] == [10, 28]  # type: ignore[index]


def test_csv_in_and_out(smtime: Smtime, tmp_path: Path) -> None:
    """CSV profiles (documented columns) give CSV estimate rows led by profile and line."""
    path = tmp_path / "clients.csv"
    path.write_text(
        "\ufeffname,hypothesis,set,exclude,rate,period\n"
        "A,low,blogging=high;curation=1.5h,,50,week\n"
        "B,mid,,blogging;curation,,year\n"
        "C,high,blogging=huge,,,\n"
    )
    run = smtime("batch", str(path), "--format", "csv")
    assert run.exit_code == 65
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    totals = [r for r in rows if r["kind"] == "total"]
    assert [(r["profile"], r["line"]) for r in totals] == [("A", "2"), ("B", "3")]
    assert float(totals[0]["hours"]) == 16.5
    assert float(totals[0]["cost_hours"]) == 825
    assert float(totals[1]["hours"]) == pytest.approx((19 - 5 - 2.5) * 52)
    assert len([r for r in rows if r["profile"] == "B"]) == 6
    assert f"{path}:4: profile 'C': set.blogging: invalid value 'huge'" in run.stderr


def test_csv_unknown_column_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """A CSV with an unknown column exits 65 naming it, with a suggestion."""
    path = tmp_path / "clients.csv"
    path.write_text("name,hypotesis\nA,low\n")
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert "unknown column 'hypotesis' (did you mean 'hypothesis'?)" in run.stderr


def test_yaml_list_and_stream(smtime: Smtime, tmp_path: Path) -> None:
    """A YAML list and a multi-document stream are both read, with line numbers."""
    listed = tmp_path / "list.yaml"
    listed.write_text(
        "- name: A\n  hypothesis: low\n- name: B\n  level: 2\n- name: C\n  level: 1\n"
    )
    run = smtime("batch", str(listed))
    assert run.exit_code == 65
    assert [(o["profile"], o["line"]) for o in lines(run.stdout)] == [("A", 1), ("C", 5)]
    assert (
        f"{listed}:3: profile 'B': level: level must be a number from 0 (low) to 1 (high), not 2"
        in run.stderr
    )
    stream = tmp_path / "stream.yml"
    stream.write_text("name: A\nhypothesis: low\n---\nname: B\nhypothesis: high\n")
    assert [o["total"]["hours"] for o in lines(smtime("batch", str(stream)).stdout)] == [10, 28]  # type: ignore[index]


def test_input_format_is_detected_by_content(smtime: Smtime, tmp_path: Path) -> None:
    """Without a known suffix the format is found from the content; --input-format forces it."""
    path = tmp_path / "clients.txt"
    path.write_text('{"name": "a", "hypothesis": "mid"}\n')
    assert lines(smtime("batch", str(path)).stdout)[0]["total"]["hours"] == 19  # type: ignore[index]
    path.write_text("name,hypothesis\na,mid\n")
    assert lines(smtime("batch", str(path)).stdout)[0]["profile"] == "a"
    forced = smtime("batch", str(path), "--input-format", "jsonl")
    assert forced.exit_code == 65
    assert "not valid JSON" in forced.stderr


def test_profile_catalogue_is_relative_to_the_batch_file(smtime: Smtime, tmp_path: Path) -> None:
    """A profile's catalogue path is read from the folder of the batch file."""
    (tmp_path / "cat.yaml").write_text(MINIMAL)
    path = tmp_path / "clients.jsonl"
    path.write_text('{"name": "a", "catalogue": "cat.yaml", "hypothesis": "high"}\n{"name": "b"}\n')
    out = lines(smtime("batch", str(path), "--lang", "en").stdout)
    assert [t["id"] for t in out[0]["tasks"]] == ["alpha", "beta"]  # type: ignore[attr-defined]
    assert len(out[1]["tasks"]) == 7  # type: ignore[arg-type]


def test_order_and_count_are_kept(smtime: Smtime, tmp_path: Path) -> None:
    """Many profiles come out in their order, none lost."""
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"name": f"c{i}", "level": (i % 11) / 10}) + "\n" for i in range(300))
    )
    out = lines(smtime("batch", str(path)).stdout)
    assert [o["profile"] for o in out] == [f"c{i}" for i in range(300)]
    assert [o["level"] for o in out] == [(i % 11) / 10 for i in range(300)]


def test_output_file_and_stdin(smtime: Smtime, tmp_path: Path) -> None:
    """--output writes the file; - reads profiles from standard input."""
    target = tmp_path / "out.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "smtime", "batch", "-", "-o", str(target)],
        input='{"name": "a", "hypothesis": "low"}\n',
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert lines(target.read_text())[0]["profile"] == "a"


def test_missing_batch_file_exits_66(smtime: Smtime, tmp_path: Path) -> None:
    """A batch file that does not exist exits 66."""
    run = smtime("batch", str(tmp_path / "none.jsonl"))
    assert run.exit_code == 66


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    """With stderr a pipe, nothing but problems is written there."""
    path = tmp_path / "ok.jsonl"
    path.write_text('{"name": "a"}\n' * 50)
    run = subprocess.run(
        [sys.executable, "-m", "smtime", "batch", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stderr == ""
    assert len(run.stdout.splitlines()) == 50


def test_progress_on_a_terminal(tmp_path: Path) -> None:
    """With stderr a terminal, a progress display is drawn there (and stdout stays clean)."""
    import os
    import pty

    path = tmp_path / "ok.jsonl"
    path.write_text('{"name": "a"}\n' * 2000)
    out_path = tmp_path / "out.jsonl"
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "smtime", "batch", str(path), "-o", str(out_path)],
            stderr=secondary,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "TERM": "xterm", "NO_COLOR": "1"},
            check=True,
            timeout=120,
        )
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert proc.returncode == 0
    assert b"profiles" in seen
    assert len(out_path.read_text().splitlines()) == 2000


MIXED = "".join(
    [
        '{"name": "a", "hypothesis": "low", "rate": 50}\n',
        "\n",
        '{"name": "b", "hypotesis": "low"}\n',
        "not json\n",
        '{"name": "c", "level": 0.25, "period": "month", "lang": "fr", "contingency": 10}\n',
        '{"name": "d", "set": {"bloging": "high"}}\n',
        '{"name": "e", "level": 1e-9, "full_time_hours": 168}\n',  # numbers below 1e-5
        '{"name": "f", "set": {"blogging": "2h"}, "exclude": ["veille"], "rate": 0}\n',
        '{"name": "g", "level": NaN}\n',  # read by the standard library, then refused
    ]
    * 7
)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 lines, so that a small file makes several, with workers on any machine."""
    monkeypatch.setattr(workers, "CHUNK", 4)
    monkeypatch.setattr(workers, "usable_cpus", lambda: 2)


@pytest.mark.skipif(not workers.can_fork(), reason="several processes only where they fork")
@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_several_processes_write_what_one_writes(smtime: Smtime, tmp_path: Path, fmt: str) -> None:
    """With --jobs 2 the output, the problems (in the order of the lines) and the exit code are
    those of --jobs 1, to the character."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED)
    one = smtime("batch", str(path), "--format", fmt, "--jobs", "1")
    two = smtime("batch", str(path), "--format", fmt, "--jobs", "2")
    assert one.exit_code == two.exit_code == 65
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    assert one.stderr.count("\n") == 4 * 7  # b, not json, d and g in each round
    if fmt == "jsonl":
        names = [o["profile"] for o in lines(two.stdout)]
        assert names == ["a", "c", "e", "f"] * 7


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers of each pool the batches start."""
    jobs_started: list[int] = []
    pool = workers.workers

    def counted(jobs: int, *args: Any) -> Any:
        jobs_started.append(jobs)
        return pool(jobs, *args)

    monkeypatch.setattr(workers, "workers", counted)
    return jobs_started


@pytest.mark.skipif(not workers.can_fork(), reason="several processes only where they fork")
@pytest.mark.usefixtures("small_chunks")
def test_large_files_use_every_processor_by_default(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    """From PARALLEL_BYTES a JSON Lines file is estimated by one process per processor."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED)
    monkeypatch.setattr(batches, "PARALLEL_BYTES", path.stat().st_size + 1)
    smtime("batch", str(path))
    assert started == []
    monkeypatch.setattr(batches, "PARALLEL_BYTES", path.stat().st_size)
    parallel = smtime("batch", str(path))
    assert started == [2]
    assert parallel.stdout == smtime("batch", str(path), "--jobs", "1").stdout


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_catalogue_that_cannot_be_read_is_reported_on_its_line(
    smtime: Smtime, tmp_path: Path, jobs: str
) -> None:
    """A profile naming a catalogue that is not valid is reported on its line, with the batch
    file's line number, and the profiles after it are still estimated (and written with -o)."""
    (tmp_path / "broken.yaml").write_text("families: [\n")
    path = tmp_path / "stop.jsonl"
    good = '{"name": "ok", "hypothesis": "mid"}\n'
    path.write_text(good * 9 + '{"name": "x", "catalogue": "broken.yaml"}\n' + good * 9)
    target = tmp_path / "out.jsonl"
    run = smtime("batch", str(path), "--jobs", jobs, "-o", str(target))
    assert run.exit_code == 65
    assert len(lines(target.read_text())) == 18
    assert run.stderr.startswith(f"{path}:10: profile 'x': {tmp_path / 'broken.yaml'}:2:1: ")
    assert "broken.yaml:2:1: YAML syntax error" in run.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("~nobody-such-user/cat.yaml", "~nobody-such-user/cat.yaml: no such file"),
        ("cat\u0000.yaml", "cat\\x00.yaml: no such file (a file name cannot hold a NUL byte)"),
    ],
)
def test_a_catalogue_name_no_file_can_have_is_a_missing_file(
    smtime: Smtime, tmp_path: Path, name: str, message: str
) -> None:
    """A catalogue under the home of a user who does not exist, or with a NUL byte in its
    name, is a missing file on the profile's line, not an internal error; and so for a profile
    file (exit 66)."""
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"name": "x", "catalogue": name}) + "\n")
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr.startswith(f"{path}:1: profile 'x': ")
    assert run.stderr.endswith(f"{message}\n")
    profile = tmp_path / "odd.yaml"
    profile.write_text(f"name: x\ncatalogue: {json.dumps(name)}\n")
    for args in (("estimate", "--profile", str(profile)), ("profile", "validate", str(profile))):
        run = smtime(*args)
        assert run.exit_code == 66
        assert run.stderr.startswith("smtime: ")
        assert run.stderr.endswith(f"{message}\n")


def _dying_work(chunk: list[Any]) -> Any:
    import os

    if chunk[0].number > 8:
        os._exit(1)  # a worker killed in the middle of the batch
    return WORK(chunk)


WORK = workers._work


@pytest.mark.skipif(not workers.can_fork(), reason="several processes only where they fork")
@pytest.mark.usefixtures("small_chunks")
def test_a_worker_that_dies_leaves_its_chunks_to_the_main_process(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is lost or reordered when a worker process dies: what it did not finish is
    estimated by the main process."""
    monkeypatch.setattr(workers, "_work", _dying_work)
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED)
    two = smtime("batch", str(path), "--jobs", "2")
    monkeypatch.setattr(workers, "_work", WORK)
    one = smtime("batch", str(path), "--jobs", "1")
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)


def test_jobs_must_be_at_least_1(smtime: Smtime, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"name": "a"}\n')
    run = smtime("batch", str(path), "--jobs", "0")
    assert run.exit_code == 2
    assert "--jobs" in run.stderr


def test_jobs_are_bounded(smtime: Smtime, tmp_path: Path) -> None:
    """More than 4 processes per processor is a usage error (it used to fork until the
    system refused, exit 70)."""
    path = tmp_path / "a.jsonl"
    path.write_text('{"name": "a"}\n')
    limit = workers.JOBS_PER_CPU * workers.usable_cpus()
    run = smtime("batch", str(path), "--jobs", "1000000")
    assert run.exit_code == 2
    assert run.stderr == (
        f"smtime: --jobs: 1000000 is out of bounds: from 1 to {limit} "
        "(4 times the processors here)\n"
    )
    assert smtime("batch", str(path), "--jobs", str(limit)).exit_code == 0


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_line_that_is_not_utf8_is_reported_with_its_number(
    smtime: Smtime, tmp_path: Path, jobs: str
) -> None:
    """A line that is not UTF-8 is reported with its number; the others are estimated."""
    path = tmp_path / "bad-byte.jsonl"
    path.write_bytes(MIXED.encode() + b'{"name": "\xff"}\n' + MIXED.encode())
    run = smtime("batch", str(path), "--jobs", jobs)
    assert run.exit_code == 65
    bad_line = MIXED.count("\n") + 1
    assert f"{path}:{bad_line}: not UTF-8 text (byte 0xff)\n" in run.stderr
    assert len(lines(run.stdout)) == 2 * 4 * 7


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_byte_order_mark_is_read_on_the_first_line_only(
    smtime: Smtime, tmp_path: Path, jobs: str
) -> None:
    """A file's byte-order mark is skipped; one further down (files joined with ``cat``) is
    that line's problem, named as such."""
    path = tmp_path / "joined.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"name": "a"}\n' * 3)
    run = smtime("batch", str(path), "--jobs", jobs)
    assert run.exit_code == 65
    assert [o["profile"] for o in lines(run.stdout)] == ["a"]
    bom = "not valid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"
    assert run.stderr.splitlines() == [f"{path}:2: {bom}", f"{path}:3: {bom}"]


# What an outside attack found: one bad profile never stops the others, every read is
# bounded, pipes work, the output never replaces an input.


@pytest.mark.parametrize("value", ["null", "[1]", '{"a": 1}'])
def test_a_set_value_that_is_not_a_choice_is_reported(
    smtime: Smtime, tmp_path: Path, value: str
) -> None:
    """null, a list or a mapping as a family's choice is a problem of that profile (it used
    to end the batch with an internal error)."""
    path = tmp_path / "set.jsonl"
    path.write_text(f'{{"name": "n", "set": {{"blogging": {value}}}}}\n{{"name": "after"}}\n')
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr.startswith(f"{path}:1: profile 'n': set.blogging: invalid value ")
    assert [o["profile"] for o in lines(run.stdout)] == ["after"]


def test_deep_nesting_is_reported(smtime: Smtime, tmp_path: Path) -> None:
    """100,000 nested brackets on one line are that line's problem (it used to end the batch
    with a RecursionError)."""
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "\n" + '{"name": "after"}\n')
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr == f"{path}:1: not valid JSON: nested too deeply\n"
    assert [o["profile"] for o in lines(run.stdout)] == ["after"]


def test_duplicate_keys_are_refused(smtime: Smtime, tmp_path: Path) -> None:
    """A key given twice in a JSON line is refused, as the YAML reader refuses it; so is a
    family set twice under names that fold to the same (case and accents aside)."""
    path = tmp_path / "twice.jsonl"
    path.write_text(
        '{"level": 0.1, "level": 0.9}\n'
        '{"name": "s", "set": {"BLOGGING": "high", "blogging": "low"}}\n'
        '{"name": "t", "set": {"Stratégie": "high", "strategie": "low"}}\n'
        '{"name": "after", "set": {"blogging": "high"}}\n'
    )
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr.splitlines() == [
        f"{path}:1: duplicate key 'level'",
        f"{path}:2: profile 's': set: 'BLOGGING' and 'blogging' name the same family: give it once",
        f"{path}:3: profile 't': set: 'Stratégie' and 'strategie' name the same family: give it once",
    ]
    assert [o["profile"] for o in lines(run.stdout)] == ["after"]


def test_a_line_over_the_limit_is_skipped(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line longer than the limit is reported with its number and skipped, in JSON Lines
    and CSV; the reading never holds much more of it than the limit."""
    from smtime.batch import read

    monkeypatch.setattr(read, "MAX_LINE_BYTES", 100)
    path = tmp_path / "long.jsonl"
    path.write_text('{"name": "a"}\n{"name": "' + "x" * 1000 + '"}\n{"name": "b"}\n')
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    assert run.stderr == f"{path}:2: line longer than the limit of 100 bytes: skipped\n"
    assert [o["profile"] for o in lines(run.stdout)] == ["a", "b"]
    path = tmp_path / "long.csv"
    path.write_text("name,hypothesis\na,low\n" + "x" * 1000 + ",low\nb,high\n")
    run = smtime("batch", str(path), "--format", "csv")
    assert run.exit_code == 65
    assert run.stderr == f"{path}:3: line longer than the limit of 100 bytes: skipped\n"


def test_lines_are_read_in_bounded_memory() -> None:
    """A line of 64 MiB is read past with no more than a few times the limit in memory."""
    import tracemalloc

    from smtime.batch.read import lines as read_lines

    source = io.BytesIO(b"x" * (64 << 20) + b"\n{}\n")
    tracemalloc.start()
    try:
        found = list(read_lines(source, limit=1 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(n, p is None) for n, _, p in found] == [(1, False), (2, True)]
    assert peak < 4 << 20


def test_dev_zero_is_reported_and_stops(tmp_path: Path) -> None:
    """/dev/zero (one endless line of NUL bytes) is reported as binary, at once."""
    run = subprocess.run(
        [sys.executable, "-m", "smtime", "batch", "/dev/zero"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 65
    assert (
        run.stderr == "/dev/zero:1: binary data (a NUL byte): not a text file; reading stops here\n"
    )


def test_problems_printed_are_capped(smtime: Smtime, tmp_path: Path) -> None:
    """The first MAX_REPORTED problems are printed, then one line counts the others."""
    path = tmp_path / "bad.jsonl"
    path.write_text("x\n" * (batches.MAX_REPORTED + 5))
    run = smtime("batch", str(path))
    assert run.exit_code == 65
    errors = run.stderr.splitlines()
    assert len(errors) == batches.MAX_REPORTED + 1
    assert errors[-1] == f"{path}: 5 more problems not shown"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "yaml"])
def test_a_pipe_is_read_without_seeking(tmp_path: Path, fmt: str) -> None:
    """A FIFO (as `batch <(…)` gives) is read as a file is, its format found from its first
    bytes (it used to end with "underlying stream is not seekable")."""
    import os
    import threading

    text = {
        "jsonl": '{"name": "a", "hypothesis": "low"}\n',
        "csv": "name,hypothesis\na,low\n",
        "yaml": "- name: a\n  hypothesis: low\n",
    }[fmt]
    fifo = tmp_path / "profiles"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w") as handle:
            handle.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    run = subprocess.run(
        [sys.executable, "-m", "smtime", "batch", str(fifo)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    writer.join()
    assert run.returncode == 0, run.stderr
    assert lines(run.stdout)[0]["total"]["hours"] == 10  # type: ignore[index]


def test_standard_input_is_read_by_its_content() -> None:
    """Profiles on standard input are found to be CSV or YAML from their first bytes."""
    runner = CliRunner()
    csv_run = runner.invoke(app, ["batch", "-"], input="name,hypothesis\na,low\n")
    assert lines(csv_run.stdout)[0]["profile"] == "a"
    yaml_run = runner.invoke(app, ["batch", "-"], input="- name: b\n  hypothesis: high\n")
    assert lines(yaml_run.stdout)[0]["total"]["hours"] == 28  # type: ignore[index]


def test_the_output_never_replaces_what_is_read(
    smtime: Smtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-o naming the catalogue (--catalogue, SMTIME_CATALOGUE or a line's catalogue) or the
    profiles file is refused (exit 73) and leaves it as it was."""
    cat = tmp_path / "cat.yaml"
    cat.write_text(MINIMAL)
    path = tmp_path / "c.jsonl"
    path.write_text('{"name": "a"}\n')
    run = smtime("batch", str(path), "-c", str(cat), "-o", str(cat))
    assert run.exit_code == 73
    assert "refusing to overwrite" in run.stderr
    run = smtime("batch", str(path), "-o", str(cat), env={"SMTIME_CATALOGUE": str(cat)})
    assert run.exit_code == 73
    assert cat.read_text() == MINIMAL
    assert smtime("batch", str(path), "-o", str(path)).exit_code == 73
    assert path.read_text() == '{"name": "a"}\n'
    path.write_text('{"name": "a", "catalogue": "cat.yaml"}\n{"name": "b"}\n')
    run = smtime("batch", str(path), "-o", str(cat))
    assert run.exit_code == 73
    assert "refusing to overwrite" in run.stderr
    assert cat.read_text() == MINIMAL


@pytest.mark.skipif(not workers.can_fork(), reason="several processes only where they fork")
@pytest.mark.parametrize(("signum", "jobs"), [(15, "2"), (1, "1"), (1, "2")])
def test_a_signal_leaves_no_temporary_file_and_no_worker(
    tmp_path: Path, signum: int, jobs: str
) -> None:
    """SIGTERM or SIGHUP during `batch -o` exits 128 + the signal, removes the temporary
    output and ends every worker."""
    import time

    from tests.test_signals import _group

    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(f'{{"name": "c", "level": {i % 1000 / 1000}}}\n' for i in range(300_000))
    )
    target = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "smtime", "batch", str(path), "--jobs", jobs, "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the batch ended before the signal"
    proc.send_signal(signum)  # to smtime alone: its workers must end with it
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [path]
    for _ in range(100):
        if not _group(proc.pid):
            break
        time.sleep(0.05)
    assert _group(proc.pid) == []


# The same estimate: a batch line is what `smtime estimate --profile P --format json` gives
# for that profile, plus its name and line; a bad profile gives the same messages.

FAMILIES = ["veille", "acquisition", "blogging", "curation", "Stratégie", "analysis", "nope"]
NUMBERS = st.one_of(
    st.sampled_from([0, 1, 0.0, 1.0, 0.5, 0.25, 10, 52, 47, 35, 55.5, -1, 2000, 1e15]),
    st.booleans(),
    st.floats(min_value=0, max_value=1).map(lambda x: round(x, 3)),
)
CHOICES = st.one_of(st.sampled_from(["low", "mid", "high", "1.5h", "90min", "0.3", "x"]), NUMBERS)
DRIVERS = ROOT / "docs" / "examples" / "catalogue-drivers.yaml"
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["ACME", "Globex é", "", "x" * 2001, 3]),
    "description": st.sampled_from(["A client", ""]),
    "format": st.sampled_from(["smtime-profile/1", "smtime-profile/2"]),
    "hypothesis": st.sampled_from(["low", "mid", "high", "LOW", None, ["low"]]),
    "level": NUMBERS,
    "set": st.dictionaries(st.sampled_from(FAMILIES), CHOICES, max_size=2),
    "drivers": st.dictionaries(st.sampled_from(["networks", "posts", "x"]), NUMBERS, max_size=2),
    "only": st.one_of(st.sampled_from(FAMILIES), st.lists(st.sampled_from(FAMILIES), max_size=3)),
    "exclude": st.lists(st.sampled_from(FAMILIES), max_size=2),
    "contingency": NUMBERS,
    "period": st.sampled_from(["week", "month", "year", "day"]),
    "weeks_per_year": NUMBERS,
    "full_time_hours": NUMBERS,
    "rate": NUMBERS,
    "currency": st.sampled_from(["EUR", "USD", "XYZ", "eur"]),
    "lang": st.sampled_from(["fr", "en", "es", "de"]),
    "hypotesis": st.just("low"),
    "catalogue": st.sampled_from([str(DRIVERS), "missing.yaml"]),
    "capacity": st.one_of(NUMBERS, st.sampled_from(["2x15h", "6h", "6,5", "0x3", "x", "1e9"])),
    "priority": st.one_of(
        st.sampled_from(FAMILIES), st.lists(st.sampled_from(FAMILIES), max_size=3)
    ),
}


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=6, unique=True))
    return {name: draw(FIELDS[name]) for name in names}


def _messages(text: str, prefix: str) -> list[str]:
    """The messages of stderr, without what places them (file, line, column, profile)."""
    import re

    pattern = re.compile(prefix)
    return [pattern.sub("", line, count=1) for line in text.splitlines()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=1, max_size=4))
def test_each_line_is_what_estimate_gives_for_its_profile(portfolio: list[dict[str, Any]]) -> None:
    """For random profiles, good and bad, each batch line is the JSON of `smtime estimate
    --profile P --format json` with `profile` and `line` first; each bad profile's messages
    are those `estimate --profile` prints."""
    import tempfile

    run = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "batch.jsonl"
        path.write_text("".join(json.dumps(p) + "\n" for p in portfolio))
        batch = run.invoke(app, ["batch", str(path)])
        out = {o["line"]: o for o in lines(batch.stdout)}
        problems: dict[int, list[str]] = {}
        for line in batch.stderr.splitlines():
            number = int(line.split(":")[1])
            problems.setdefault(number, []).append(line)
        for number, profile in enumerate(portfolio, 1):
            single = folder / f"p{number}.json"
            single.write_text(json.dumps(profile))
            alone = run.invoke(app, ["estimate", "--profile", str(single), "--format", "json"])
            if alone.exit_code == 0:
                expected = {
                    "profile": profile.get("name"),
                    "line": number,
                    **json.loads(alone.stdout),
                }
                assert out[number] == expected
                assert number not in problems
            else:
                assert number not in out, alone.stderr
                got = _messages(
                    "\n".join(problems[number]), r"^.*?batch\.jsonl:\d+: (profile '[^']*': )?"
                )
                assert got == _messages(alone.stderr, r"^(smtime: |.*?p\d+\.json(:\d+)*: )")
        assert batch.exit_code == (65 if problems else 0)
