"""Batch: `smtime batch` on JSON Lines against a bare json.loads/json.dumps loop over the same file.

Targets: smtime's wall time is at most 3 × the bare loop's on 100,000 profiles, and its peak
resident memory for 1,000,000 profiles is within 10% of that for 10,000 (flat memory).
Both are run as fresh processes by the same interpreter. A last section shows, in this
process, where the time per line goes. Run: python benchmarks/batch.py [--quick]
"""

from __future__ import annotations

import io
import json
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QUICK, precompile, report

from smtime.batch.workers import usable_cpus

BARE = """\
import json, sys
out = sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        out.write(json.dumps(json.loads(line)) + "\\n")
"""

FLOOR = """\
import sys

import orjson

from smtime.batch import estimating
from smtime.render.json import estimate_data
from smtime.render.numbers import number
from smtime.terminal import json_visible_utf8

ready = []
FACTORS = [1 + k / 31 for k in range(30)]


def record(self, data, line, cells=()):
    profile = estimating.validate(data)
    if not ready:
        made = estimating.estimate_profile(
            profile, self.basis(profile), self.assumptions(profile), None
        )
        ready.append(estimate_data(made.result, made.lang, made.assumptions, made.catalogue))
    level = 0.5 if profile.level is None else profile.level
    ready[0]["level"] = [number(level * factor) for factor in FACTORS][-1]
    body = orjson.dumps(ready[0])[1:]
    record = b'{"profile":%b,"line":%d,%b\\n' % (orjson.dumps(profile.name), line, body)
    return json_visible_utf8(record)


estimating.Estimator.record = record
sys.argv = ["smtime", "batch", sys.argv[1]]
from smtime.cli import main

raise SystemExit(main())
"""
"""The least any batch of the same validation and JSON contract does (docs/performance.md):
``smtime batch`` with each profile's estimate replaced by a ready one. Each line is still read,
validated by the profile model and written as an estimate object of the usual size, and the
numbers an estimate works out afresh for each profile (hours, FTE and cost of each line: 30
of them, from its level) are rounded as ``render.numbers.number`` does; nothing is estimated."""

RUNS = 1 if QUICK else 5
"""Runs of each command; the figures are their medians (peak memory at 1,000,000: one run)."""

MEASURE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "w") as sink:
    subprocess.run(sys.argv[2:], check=True, stdout=sink)
wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

FAMILIES = [
    "veille",
    "acquisition",
    "blogging",
    "curation",
    "communication",
    "analyse",
    "strategie",
]


def profiles(count: int, seed: int = 7) -> str:
    """``count`` varied client profiles as JSON Lines."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        profile: dict[str, object] = {"name": f"client-{i}"}
        if rng.random() < 0.5:
            profile["hypothesis"] = rng.choice(["low", "mid", "high"])
        else:
            profile["level"] = round(rng.random(), 3)
        if rng.random() < 0.5:
            profile["set"] = {rng.choice(FAMILIES): rng.choice(["high", "1.5h", "0.25"])}
        if rng.random() < 0.3:
            profile["exclude"] = [rng.choice(FAMILIES)]
        if rng.random() < 0.5:
            profile["contingency"] = rng.choice([5, 10, 15])
        profile["period"] = rng.choice(["week", "month", "year"])
        if rng.random() < 0.6:
            profile["rate"] = rng.choice([40, 55, 70.5])
            profile["currency"] = "EUR"
        profile["lang"] = rng.choice(["fr", "en", "es"])
        lines.append(json.dumps(profile))
    return "\n".join(lines) + "\n"


def measure(folder: Path, command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of ``command``, its stdout to a file."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(folder / "out"), *command],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, rss = out.stdout.split()
    return float(wall), int(rss)


def per_line(work: Callable[[], object], lines: int) -> float:
    """Best of three timings of ``work``, in seconds per line."""
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best / lines


def parts(count: int) -> None:
    """Where the time goes, in one process, per line: the bare loop's work; reading a line
    and validating it as a profile; writing an estimate that is already made (``render.json``
    and orjson); and the whole of smtime's work per profile (from a fresh estimator, memo
    empty), as one worker does it."""
    from smtime.batch.estimating import Estimator, estimate_json, estimate_profile, validate
    from smtime.batch.read import InputLine, jsonl_records
    from smtime.formats import OutputFormat

    lines = profiles(count).splitlines()
    raw = [InputLine(n, line.encode()) for n, line in enumerate(lines, 1)]
    records = list(jsonl_records(raw))

    def estimator() -> Estimator:
        made = Estimator(
            folder=Path.cwd(), default_catalogue=None, lang=None, output_format=OutputFormat.JSONL
        )
        made.default()
        return made

    runner = estimator()
    validated = [validate(r.data) for r in records]
    made = [estimate_profile(p, runner.basis(p), runner.assumptions(p), None) for p in validated]

    def bare() -> None:
        for line in lines:
            json.dumps(json.loads(line))

    def read_and_validate() -> None:
        for record in jsonl_records(raw):
            validate(record.data)

    def estimate_only() -> None:
        for p in validated:
            estimate_profile(p, runner.basis(p), runner.assumptions(p), None)

    def write_only() -> None:
        for outcome in made:
            estimate_json(outcome)

    def whole() -> None:
        fresh = estimator()
        out = io.BytesIO()
        for record in jsonl_records(raw):
            out.write(fresh.record(record.data, record.line))

    base = per_line(bare, count)
    print(f"in this process, {count:,} profiles, per line (best of 3):")
    print(f"  bare json.loads + json.dumps{'':18} {base * 1e6:7.1f} µs")
    for name, work in [
        ("reading and validating a profile", read_and_validate),
        ("estimating a validated profile (core)", estimate_only),
        ("writing a made estimate (render.json, orjson)", write_only),
        ("smtime's whole work (memo empty at first)", whole),
    ]:
        took = per_line(work, count)
        print(f"  {name:<46} {took * 1e6:7.1f} µs  ratio {took / base:5.2f}")


def main() -> int:
    precompile()
    speed_size, small, large = (2_000, 1_000, 10_000) if QUICK else (100_000, 10_000, 1_000_000)
    smtime = [sys.executable, "-m", "smtime", "batch"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = folder / "bare.py"
        bare.write_text(BARE)
        files = {}
        for size in sorted({speed_size, small, large}):
            files[size] = folder / f"profiles-{size}.jsonl"
            files[size].write_text(profiles(size))
        started = time.perf_counter()
        commands = {
            "smtime": [*smtime, str(files[speed_size])],
            "bare": [sys.executable, str(bare), str(files[speed_size])],
            "one": [*smtime, "--jobs", "1", str(files[speed_size])],
            "floor": [sys.executable, "-c", FLOOR, str(files[speed_size])],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(RUNS):  # interleaved, so that a slow spell of the machine hits all
            for name, command in commands.items():
                walls[name].append(measure(folder, command)[0])
        smtime_wall, bare_wall, one_wall, floor_wall = (
            statistics.median(walls[n]) for n in commands
        )
        small_rss = statistics.median(
            measure(folder, [*smtime, str(files[small])])[1] for _ in range(RUNS)
        )
        _, large_rss = measure(folder, [*smtime, str(files[large])])
        lines = sum(1 for _ in (folder / "out").open())
    ok = report(
        f"batch, medians of {RUNS} interleaved runs (took {time.perf_counter() - started:.0f} s)",
        [
            (f"smtime batch, {speed_size:,} profiles / bare loop", smtime_wall, bare_wall, 3.0),
        ],
    )
    print(
        f"  (the same with --jobs 1, one process: {one_wall * 1000:.1f} ms, ratio "
        f"{one_wall / bare_wall:.2f}; processors here: {usable_cpus()})"
    )
    print(
        f"  (the floor, each estimate replaced by a ready one: {floor_wall * 1000:.1f} ms, "
        f"ratio {floor_wall / bare_wall:.2f}: what reading, validating, rounding and writing "
        "take alone)"
    )
    spread = sorted(s / b for s, b in zip(walls["smtime"], walls["bare"], strict=True))
    print(f"  (ratios of the runs one by one: {', '.join(f'{r:.2f}' for r in spread)})")
    ratio = large_rss / small_rss
    verdict = "ok" if ratio <= 1.10 else "OVER"
    print(
        f"  peak memory, {large:,} / {small:,} profiles{'':13} {large_rss / 1024:9.1f} MiB  "
        f"baseline {small_rss / 1024:9.1f} MiB  ratio {ratio:5.2f}  (target ≤ 1.10) {verdict}"
    )
    assert lines == large, f"{lines} estimates written for {large} profiles"
    parts(2_000 if QUICK else 20_000)
    return 0 if (ok and ratio <= 1.10) or QUICK else 1


if __name__ == "__main__":
    raise SystemExit(main())
