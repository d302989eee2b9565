"""Helpers shared by the benchmarks: timing commands side by side and printing ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

QUICK = "--quick" in sys.argv or os.environ.get("SMTIME_BENCH_QUICK") == "1"


def precompile() -> None:
    """Byte-compile smtime as an installed wheel is, so that no run pays for compiling it.

    Editable installs are not compiled, and PYTHONDONTWRITEBYTECODE may keep Python from
    caching; the baselines' packages were compiled by pip when they were installed.
    """
    import compileall

    import smtime

    compileall.compile_dir(os.path.dirname(smtime.__file__), quiet=1)


def wall(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds one run of ``command`` takes, its output discarded; fails if the command fails."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def interleaved(commands: dict[str, Sequence[str]], runs: int, warmup: int = 2) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so drift hits them all alike."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    for _ in range(warmup):
        for command in commands.values():
            wall(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def report(title: str, rows: list[tuple[str, float, float, float]]) -> bool:
    """Print ``name  smtime  baseline  ratio (target)`` rows; True when every target holds."""
    print(title)
    ok = True
    for name, measured, baseline, target in rows:
        ratio = measured / baseline
        verdict = "ok" if ratio <= target else "OVER"
        ok = ok and ratio <= target
        print(
            f"  {name:<44} {measured * 1000:9.1f} ms  baseline {baseline * 1000:9.1f} ms  "
            f"ratio {ratio:5.2f}  (target ≤ {target:.2f}) {verdict}"
        )
    return ok
