"""Batch estimates: formats in and out, bad profiles, order, progress only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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
