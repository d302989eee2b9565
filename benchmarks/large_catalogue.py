"""Large catalogues: load + validate + estimate against the bare libyaml parse of the same file.

Builds catalogues of 10,000 and 100,000 families with 5 actions each. Targets: smtime's
load, validation and estimate take at most 1.5 × `yaml.load(text, Loader=yaml.CSafeLoader)`
on the same file, and the cost grows linearly (the time per family at 100,000 is at most
1.5 × the time per family at 10,000). The cache of validated files is off: every run parses
and validates. Run: python benchmarks/large_catalogue.py [--quick]
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QUICK, report

HEAD = """\
format: smtime-catalogue/1
version: "1.0"
unit: hours/week
title: {fr: Grand catalogue, en: Large catalogue}
source: {title: smtime benchmark}
hypotheses:
  low: {label: {fr: Basse, en: Low}, description: {fr: Hypothèse basse, en: Low hypothesis}}
  high: {label: {fr: Haute, en: High}, description: {fr: Hypothèse haute, en: High hypothesis}}
families:
"""


def build(families: int) -> str:
    """A catalogue of ``families`` families with 5 actions each, in block style.

    Hours are small enough that 100,000 families stay within the 168 hours of a week.
    """
    rows = []
    for i in range(families):
        actions = "".join(
            f"      - label: {{fr: Action {i}-{a} en français, en: Action {i}-{a} in English}}\n"
            for a in range(5)
        )
        rows.append(
            f"  - id: family-{i}\n"
            f"    label: {{fr: Famille {i}, en: Family {i}}}\n"
            f"    low: {0.0001 * (i % 7):.4f}\n"
            f"    high: {0.0001 * (i % 7) + 0.0004:.4f}\n"
            f"    actions:\n{actions}"
        )
    return HEAD + "".join(rows)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """Median seconds of ``action``, with the garbage collector settled between runs."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    import yaml

    from smtime import catalogue
    from smtime.core import Scenario, estimate

    os.environ["SMTIME_CACHE"] = "off"
    sizes = (200, 2_000) if QUICK else (10_000, 100_000)
    runs = 1 if QUICK else 3
    measured: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        warm = Path(folder) / "warm-up.yaml"
        warm.write_text(build(10), encoding="utf-8")
        catalogue.load(warm)  # imports and model building are start-up, not load cost
        for size in sizes:
            path = Path(folder) / f"catalogue-{size}.yaml"
            path.write_text(build(size), encoding="utf-8")
            repeat = runs if size == sizes[0] else 1

            def bare(path: Path = path) -> object:
                return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

            def smtime(path: Path = path) -> object:
                cat = catalogue.load(path)
                return estimate(catalogue=cat, scenario=Scenario.of(level=0.5))

            measured[size] = (best_of(repeat, smtime), best_of(repeat, bare))
    small, large = sizes
    rows = [
        (f"load+validate+estimate, {n:,} families / bare CSafeLoader", s, b, 1.5)
        for n, (s, b) in measured.items()
    ]
    per_small = measured[small][0] / small
    per_large = measured[large][0] / large
    rows.append((f"time per family, {large:,} / {small:,} families", per_large, per_small, 1.5))
    ok = report(f"large catalogues, median of {runs} runs", rows)
    return 0 if ok or QUICK else 1


if __name__ == "__main__":
    raise SystemExit(main())
