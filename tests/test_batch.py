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

from smtime import batch as batches
from smtime.batch import workers
from tests.conftest import MINIMAL, Run, conforming

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
    assert f"{listed}:3: profile 'B': level: input should be less than or equal to 1" in run.stderr
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
    assert run.stderr.startswith(f"{path}:10: profile 'x': catalogue: ")
    assert "broken.yaml:2:1: YAML syntax error" in run.stderr


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
