"""The memoised portfolio estimator gives exactly what validating each profile as a whole gives.

``Portfolio.estimate`` works a profile out from parts shared with earlier profiles, and
``Portfolio.jsonl`` writes its JSON Lines record from memoised templates; ``Portfolio.slow``
validates and estimates it on its own, as ``smtime estimate --profile`` does. For any sequence
of profiles, good or bad, they must agree: the same record, to the character, and the same
problems. The reference record is written by orjson from ``estimate_data``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime import portfolio
from smtime.errors import SmtimeError
from smtime.portfolio import Bad, Outcome, Portfolio
from smtime.render.json import estimate_data

FAMILIES = ["veille", "acquisition", "blogging", "curation", "Stratégie", "analysis", "nope"]
NUMBERS = st.one_of(
    st.sampled_from([0, 1, 0.0, -0.0, 1.0, 0.5, 0.25, 10, 10.0, 52, 47, 35, 55.5, -1, 2000]),
    st.booleans(),
    st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda x: round(x, 3)),
    st.floats(allow_nan=True, allow_infinity=True),
)
CHOICES = st.one_of(st.sampled_from(["low", "mid", "high", "1.5h", "90min", "0.3", "x"]), NUMBERS)
TEXTS = st.one_of(st.text(max_size=5), st.sampled_from(["", "x" * 2001]), st.integers(0, 2))


def _field(name: str) -> st.SearchStrategy[Any]:
    return {
        "name": TEXTS,
        "description": TEXTS,
        "format": st.sampled_from(["smtime-profile/1", "smtime-profile/2", ["x"], {"a": 1}]),
        "hypothesis": st.sampled_from(["low", "mid", "high", "LOW", None, ["low"], {"a": 1}]),
        "level": NUMBERS,
        "set": st.dictionaries(st.sampled_from(FAMILIES), CHOICES, max_size=2),
        "drivers": st.dictionaries(st.sampled_from(["networks", "posts"]), NUMBERS, max_size=1),
        "only": st.one_of(st.sampled_from(FAMILIES), st.lists(st.sampled_from(FAMILIES))),
        "exclude": st.lists(st.sampled_from(FAMILIES), max_size=2),
        "contingency": NUMBERS,
        "period": st.sampled_from(["week", "month", "year", "day", {"week": 1}]),
        "weeks_per_year": NUMBERS,
        "full_time_hours": NUMBERS,
        "rate": NUMBERS,
        "currency": st.sampled_from(["EUR", "USD", "XYZ", "eur", ["EUR"]]),
        "lang": st.sampled_from(["fr", "en", "es", "de", ["fr"]]),
        "hypotesis": st.just("low"),
        "catalogue": st.sampled_from([str(DRIVERS), "missing.yaml", 3]),
    }[name]


HYPOTHESES = ["low", "mid", "high"]
LANGS = ["fr", "en", "es"]
FIELD_NAMES = sorted([*portfolio.FIELDS, "hypotesis"])
DRIVERS = Path(__file__).parents[1] / "docs" / "examples" / "catalogue-drivers.yaml"


@st.composite
def profiles(draw: st.DrawFn) -> Any:
    """A profile as read from a file: mostly valid-looking, sometimes not a mapping at all."""
    if draw(st.integers(0, 30)) == 0:
        return draw(st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2)))
    names = draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=6, unique=True))
    return {name: draw(_field(name)) for name in names}


def _outcome(estimate: Callable[[Any], Outcome], data: Any) -> Outcome | tuple[str, Any]:
    """What ``estimate`` gives for ``data``: the outcome, or the problems it reports."""
    try:
        return estimate(data)
    except Bad as exc:
        return ("bad", exc.messages)
    except SmtimeError as exc:
        return ("error", str(exc))


def _reference(runner: Portfolio, data: Any, line: int) -> Any:
    """What validating ``data`` as a whole gives: the estimate record's text, or the problems."""
    outcome = _outcome(runner.slow, data)
    if not isinstance(outcome, Outcome):
        return outcome
    result = estimate_data(outcome.result, outcome.lang, outcome.assumptions, outcome.catalogue)
    record = {"profile": outcome.name, "line": line, **result}
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode()


def _memoised(runner: Portfolio, data: Any, line: int) -> Any:
    """The record the memoised estimator writes for ``data`` from its templates, or the
    problems; the record of its estimate (as CSV output uses it) must be the same."""
    try:
        text = runner.jsonl(data, line).decode()
    except Bad as exc:
        return ("bad", exc.messages)
    except SmtimeError as exc:
        return ("error", str(exc))
    assert runner.jsonl_line(runner.estimate(data), line) == text
    return text


def _portfolio() -> Portfolio:
    return Portfolio(folder=Path.cwd(), default_catalogue=None, lang=None)


@settings(max_examples=150, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=12))
def test_memoised_estimates_equal_whole_validation(batch: list[Any]) -> None:
    """Profile after profile, sharing memos, the estimate and the problems are those of the
    profile validated on its own."""
    runner, reference = _portfolio(), _portfolio()
    for line, data in enumerate([*batch, *batch], 1):  # the second pass is served by the memos
        expected = _reference(reference, data, line)
        assert _memoised(runner, data, line) == expected, data


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"level": 1.0}, {"level": True}),  # equal in Python, but a boolean is not a level
        ({"contingency": 10}, {"contingency": "10"}),
        ({"set": {}}, {"set": None}),  # an empty mapping is valid; null is not
        ({"name": "a"}, {"name": ""}),
        ({"name": "ab"}, {"name": ["ab"]}),
        ({"lang": "fr"}, {"lang": ["fr"]}),
        ({"hypothesis": "low"}, {"hypothesis": "['low']"}),  # text that reads like a list
    ],
)
def test_values_equal_in_python_are_not_confused(first: Any, second: Any) -> None:
    """A memo key tells apart values that compare equal but do not validate alike."""
    runner = _portfolio()
    assert isinstance(_memoised(runner, first, 1), str)
    assert _memoised(runner, second, 2) == _reference(_portfolio(), second, 2)
    assert _memoised(runner, second, 2)[0] == "bad"


def test_memos_stay_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``MEMO_SIZE`` entries a memo starts again (past ``PIECES_SIZE`` for the pieces of
    records: the task texts of every context, the total lines, the subtotals), and estimates
    stay the same."""
    monkeypatch.setattr(portfolio, "MEMO_SIZE", 3)
    monkeypatch.setattr(portfolio, "PIECES_SIZE", 5)
    runner = _portfolio()
    batch = [
        {"name": f"c{i}", "level": i / 20, "period": ["week", "month", "year"][i % 3], "rate": i}
        for i in range(21)
    ]
    batch += [{"name": "h", "hypothesis": h, "lang": lang} for h in HYPOTHESES for lang in LANGS]
    for line, data in enumerate(batch * 2, 1):
        assert _memoised(runner, data, line) == _reference(_portfolio(), data, line)
    pieces = {"_lines", "_subtotals"}
    sizes = [len(m) for n, m in vars(runner).items() if isinstance(m, dict) and n not in pieces]
    assert max(sizes) <= 3
    assert max(len(runner._lines), len(runner._subtotals)) <= 5
    assert sum(len(tasks) for tasks in runner._tasks.values()) <= 5


def test_text_utf8_cannot_encode_is_refused_after_text_of_its_length() -> None:
    """A lone surrogate (valid in JSON, not in UTF-8) is refused, even when a valid name of
    the same length was seen before."""
    runner = _portfolio()
    assert json.loads(_memoised(runner, {"name": "abc"}, 1))["profile"] == "abc"
    data = json.loads('{"name": "a\\ud800b"}')
    assert _memoised(runner, data, 2) == _reference(_portfolio(), data, 2)
    assert _memoised(runner, data, 2)[0] == "bad"


@pytest.mark.parametrize(
    "data",
    [
        {
            "name": "huge",
            "hypothesis": "high",
            "catalogue": str(DRIVERS),
            "drivers": {"networks": 1_000_000, "posts": 1000},
            "rate": 1e12,
            "period": "year",
        },
        {"name": "minus zero", "level": 0.5, "rate": -0.0, "contingency": -0.0},
        {"name": "tiny", "level": 0.5, "full_time_hours": 168, "set": {"veille": "0.001h"}},
        {"name": "zero", "hypothesis": "low", "rate": 0},
        {"name": "range only", "rate": 40, "set": {"blogging": "high"}},
    ],
)
def test_numbers_written_the_usual_way_give_the_same_record(data: dict[str, Any]) -> None:
    """Numbers the templates do not write (beyond a billion, -0.0, below 1e-5) send the record
    to the usual writer; records stay the same, whichever writes them."""
    runner = _portfolio()
    text = _memoised(runner, data, 3)
    assert text == _reference(_portfolio(), data, 3)
    assert json.loads(text)["profile"] == data["name"]
