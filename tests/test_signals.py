"""Pipes and interrupts: a closed pipe and Ctrl-C end quietly with the conventional codes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smtime.cli import main

SMTIME = [sys.executable, "-m", "smtime"]


AT_A_TERMINAL = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'smtime', *sys.argv[1:]])",
]
"""smtime, with SIGINT as a terminal's foreground job has it: a test run started in the
background of a shell without job control (``pytest &``) ignores SIGINT, and its children
would inherit that, as ``nohup`` makes them."""


def _big_catalogue(path: Path, families: int) -> Path:
    head = (
        "format: smtime-catalogue/1\nversion: '1'\nunit: hours/week\ntitle: big\n"
        "source: {title: t}\nhypotheses:\n  low: {label: l, description: d}\n"
        "  high: {label: h, description: d}\nfamilies:\n"
    )
    rows = "".join(
        f"  - {{id: f{i}, label: Family number {i}, low: 0.001, high: 0.002}}\n"
        for i in range(families)
    )
    path.write_text(head + rows)
    return path


def _piped(reader: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = f'"$@" | {reader}; echo " ${{PIPESTATUS[0]}}"'
    return subprocess.run(
        ["bash", "-c", script, "bash", *SMTIME, *args],
        capture_output=True,
        text=True,
        check=True,
    )


def test_head_c_1_ends_quietly() -> None:
    """`smtime estimate --format json | head -c 1` prints no traceback and nothing on stderr."""
    out = _piped("head -c 1", "estimate", "--format", "json")
    assert out.stdout in ("{ 0\n", "{ 141\n")
    assert out.stderr == ""


def test_closed_pipe_exits_141(tmp_path: Path) -> None:
    """Writing to a pipe whose reader has gone exits 141 (128 + SIGPIPE), quietly."""
    big = _big_catalogue(tmp_path / "big.yaml", 2000)
    out = _piped("true", "tasks", "--format", "json", "--catalogue", str(big))
    assert out.stdout == " 141\n"
    assert out.stderr == ""


def test_broken_pipe_in_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """main() turns a BrokenPipeError while writing into exit code 141 and no message."""

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["estimate", "--format", "json"]) == 141
    assert capsys.readouterr().err == ""


def test_ctrl_c_ends_quietly(tmp_path: Path) -> None:
    """SIGINT while smtime waits on its input exits 130 without a traceback."""
    fifo = tmp_path / "catalogue.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [*AT_A_TERMINAL, "tasks", "--catalogue", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = None
    for _ in range(400):  # wait until smtime has the FIFO open for reading
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            time.sleep(0.025)
    assert writer is not None, "smtime never opened its catalogue"
    try:
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        os.close(writer)
    assert proc.returncode == 130
    assert "Traceback" not in err


def test_keyboard_interrupt_in_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A KeyboardInterrupt anywhere in a command makes main() return 130 quietly."""
    from smtime import catalogue

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalogue, "load", interrupted)
    assert main(["estimate"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_internal_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception is reported in one line with exit code 70, not a traceback."""
    from smtime import catalogue

    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(catalogue, "load", broken)
    with pytest.raises(SystemExit) as info:
        main(["estimate"])
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert err == "smtime: internal error: ZeroDivisionError: boom (please report this)\n"


@pytest.mark.skipif(sys.platform != "linux", reason="several processes only on Linux")
def test_ctrl_c_during_a_batch_in_several_processes(tmp_path: Path) -> None:
    """SIGINT while worker processes estimate a batch exits 130 without a traceback, and the
    workers end with it."""
    path = tmp_path / "many.jsonl"
    path.write_text('{"name": "c", "level": 0.5, "rate": 40}\n' * 200_000)
    proc = subprocess.Popen(
        [*AT_A_TERMINAL, "batch", str(path), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    time.sleep(1.5)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C: to every process of the group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert _group(proc.pid) == []


def _group(pgid: int) -> list[int]:
    """The processes still in process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    found.append(int(entry.name))
            except ProcessLookupError:
                pass
    return found


DROPPED = """\
import os, signal, sys
from pathlib import Path
from smtime.output import atomic
from smtime.signals import Terminated, install

install()


class Finaliser:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10_000):  # the handler runs in here: Python drops its exception
            pass


try:
    with atomic(Path(sys.argv[1])) as out:
        out.write("half a file")
        Finaliser()
        out.write(" and the rest")
    print("committed")
except Terminated as exc:
    print("terminated", exc.signum)
"""


def test_a_signal_dropped_by_a_finaliser_still_stops_the_write(tmp_path: Path) -> None:
    """SIGTERM while a finaliser runs: Python drops its exception and the program goes on;
    the file must still not be committed (signals.check before the rename), and the dropped
    exception is not reported as a traceback."""
    target = tmp_path / "out.txt"
    done = subprocess.run(
        [sys.executable, "-c", DROPPED, str(target)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout == f"terminated {int(signal.SIGTERM)}\n"
    assert done.stderr == ""  # no report of the dropped exception, no traceback
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_run_that_received_a_signal_ends_with_its_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A signal received, its exception dropped, the command done: the run still ends with
    128 + the signal's number, not 0."""
    import smtime.signals

    monkeypatch.setattr(smtime.signals, "RECEIVED", [int(signal.SIGHUP)])
    assert main(["tasks", "--format", "json"]) == 129
    capsys.readouterr()
