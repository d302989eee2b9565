"""The estimation core: figures of the seed catalogue and invariants for any catalogue."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtime import catalogue as catalogue_module
from smtime import safeyaml
from smtime.core import breakdown, estimate, find_family
from smtime.domain import Catalogue, Hypothesis, OutOfBounds, Scenario, fold, interpolate
from smtime.errors import UnknownFamilyError

SEED = catalogue_module.load(catalogue_module.bundled_path())


def make_catalogue(ranges: list[tuple[float, float]]) -> Catalogue:
    """A catalogue with one family per (low, high) pair."""
    data = {
        "format": "smtime-catalogue/1",
        "version": "1",
        "unit": "hours/week",
        "title": "t",
        "source": {"title": "t"},
        "hypotheses": {
            "low": {"label": "l", "description": "d"},
            "high": {"label": "h", "description": "d"},
        },
        "families": [
            {"id": f"f{i}", "label": f"F{i}", "low": lo, "high": hi}
            for i, (lo, hi) in enumerate(ranges)
        ],
    }
    return catalogue_module.validate(safeyaml.parse(json.dumps(data), "test.yaml"))


hours = st.floats(min_value=0, max_value=20, allow_nan=False, allow_infinity=False)
ranges = st.lists(st.tuples(hours, hours).map(lambda p: (min(p), max(p))), min_size=1, max_size=8)
levels = st.floats(min_value=0, max_value=1, allow_nan=False)


def test_seed_totals_are_10_and_28() -> None:
    """The seed catalogue adds up to 10 hours (low) and 28 hours (high) a week."""
    low = estimate(catalogue=SEED, scenario=Scenario.of(hypothesis=Hypothesis.LOW))
    high = estimate(catalogue=SEED, scenario=Scenario.of(hypothesis=Hypothesis.HIGH))
    assert (low.hours, high.hours) == (10, 28)
    assert [r.family.id for r in low.families] == [
        "veille",
        "acquisition",
        "blogging",
        "curation",
        "communication",
        "analyse",
        "strategie",
    ]


def test_seed_family_hours_match_the_source_table() -> None:
    """Every family's low and high hours are those of the source table."""
    table = {
        "veille": (2, 4),
        "acquisition": (2, 4),
        "blogging": (2, 8),
        "curation": (1, 4),
        "communication": (1, 3),
        "analyse": (1, 3),
        "strategie": (1, 2),
    }
    assert {f.id: (f.low, f.high) for f in SEED.families} == table


def test_mid_is_halfway() -> None:
    """mid is level 0.5: halfway between low and high for every family."""
    result = estimate(catalogue=SEED, scenario=Scenario.of(hypothesis=Hypothesis.MID))
    assert result.hours == 19
    assert [r.hours for r in result.families] == [3, 3, 5, 2.5, 2, 2, 1.5]


def test_no_scenario_gives_only_the_range() -> None:
    """Without a hypothesis or level, hours are None and the range is still there."""
    result = estimate(catalogue=SEED, scenario=Scenario.of())
    assert result.hours is None
    assert all(r.hours is None for r in result.families)
    assert (result.low, result.high) == (10, 28)


@pytest.mark.parametrize("level", [-0.1, 1.01, math.nan, math.inf])
def test_level_outside_zero_one_is_refused(level: float) -> None:
    """A level must lie in [0, 1]; NaN and infinities are refused."""
    with pytest.raises(OutOfBounds, match="level"):
        Scenario.of(level=level)


def test_hypothesis_and_level_together_are_refused() -> None:
    """Giving both a hypothesis and a level is a usage error."""
    with pytest.raises(OutOfBounds, match="not both"):
        Scenario.of(hypothesis=Hypothesis.LOW, level=0.3)


def test_breakdown_share_of_blogging() -> None:
    """Blogging is 2 of 10 hours (low) and 8 of 28 hours (high)."""
    result = breakdown(catalogue=SEED, family=find_family(SEED, "blogging"))
    assert result.share_low == pytest.approx(0.2)
    assert result.share_high == pytest.approx(8 / 28)


@pytest.mark.parametrize(
    "query", ["stratégie", "Strategie", "strategie", "STRATÉGIE", " strategie "]
)
def test_ids_match_without_case_or_accents(query: str) -> None:
    """stratégie, Strategie and strategie are one family."""
    assert find_family(SEED, query).id == "strategie"


def test_unknown_id_suggests_the_closest() -> None:
    """An unknown id raises a usage error that names the closest ids."""
    with pytest.raises(UnknownFamilyError) as info:
        find_family(SEED, "bloging")
    assert info.value.suggestions == ["blogging"]
    assert info.value.exit_code == 2


def test_fold_removes_case_and_accents() -> None:
    """fold() lower-cases and strips accents."""
    assert fold("Éditorialisation") == "editorialisation"


@given(ranges, levels)
def test_total_is_the_sum_of_the_families(pairs: list[tuple[float, float]], level: float) -> None:
    """The total under any level is the sum of the families' hours."""
    result = estimate(catalogue=make_catalogue(pairs), scenario=Scenario.of(level=level))
    assert result.hours == pytest.approx(math.fsum(r.hours or 0 for r in result.families))
    assert result.low == pytest.approx(sum(lo for lo, _ in pairs))
    assert result.high == pytest.approx(sum(hi for _, hi in pairs))


@given(ranges, levels)
def test_level_total_lies_between_low_and_high(
    pairs: list[tuple[float, float]], level: float
) -> None:
    """low total ≤ level total ≤ high total, and each family lies within its range."""
    result = estimate(catalogue=make_catalogue(pairs), scenario=Scenario.of(level=level))
    assert result.hours is not None
    assert result.low - 1e-9 <= result.hours <= result.high + 1e-9
    for row in result.families:
        assert row.hours is not None
        assert row.low - 1e-9 <= row.hours <= row.high + 1e-9


@given(ranges, levels, levels)
def test_hours_are_monotone_in_level(pairs: list[tuple[float, float]], a: float, b: float) -> None:
    """A higher level never gives fewer hours, for the total or any family."""
    cat = make_catalogue(pairs)
    lo, hi = sorted((a, b))
    first = estimate(catalogue=cat, scenario=Scenario.of(level=lo))
    second = estimate(catalogue=cat, scenario=Scenario.of(level=hi))
    assert first.hours is not None
    assert second.hours is not None
    assert first.hours <= second.hours + 1e-9
    for x, y in zip(first.families, second.families, strict=True):
        assert (x.hours or 0) <= (y.hours or 0) + 1e-9


@given(hours, hours)
def test_interpolate_hits_both_ends(low: float, high: float) -> None:
    """Level 0 gives exactly low and level 1 exactly high."""
    assert interpolate(low, high, 0.0) == low
    assert interpolate(low, high, 1.0) == high


def test_core_imports_no_io_framework() -> None:
    """The core imports neither typer, rich nor yaml."""
    code = (
        "import sys, smtime.core; "
        "print(sorted(m for m in ('typer', 'rich', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (2.0, "2"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333"),
        (2.0**53 - 1, "9007199254740991"),
        (1e20, "1e+20"),  # beyond 2^53 a whole number stays floating-point
    ],
)
def test_json_numbers(value: float, written: str) -> None:
    """Numbers are rounded to 6 decimals, and whole ones below 2^53 lose their fraction."""
    from smtime.render.numbers import number

    assert json.dumps(number(value)) == written
