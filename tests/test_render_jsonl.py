"""JSON Lines records from templates write numbers exactly as the usual renderer does."""

from __future__ import annotations

import math

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime.render.json import number
from smtime.render.jsonl import FAST_LIMIT, SLOT, join, numbers, template

VALUES = st.one_of(
    st.floats(min_value=0, max_value=FAST_LIMIT, exclude_max=True),
    st.floats(min_value=0, max_value=1e-3),
    st.integers(0, 10**9 - 1).map(float),
    st.integers(0, 10**12).map(lambda n: n / 1e6),  # six decimals already
    st.integers(0, 10**7).map(lambda n: n / 2e6 + 5e-7),  # halfway between two millionths
    st.sampled_from([0.0, 1e-5, 0.5, 13.0, 100000.0, 999999999.9999995]),
)


@settings(max_examples=500)
@given(st.lists(VALUES, max_size=40))
def test_numbers_are_written_as_number_and_orjson_write_them(values: list[float]) -> None:
    """Each text is orjson's text of ``number(value)``: rounded to 6 decimals, whole numbers
    without a fraction. Only a number below 1e-5 but not 0 is left to the usual way."""
    texts = numbers(values)
    if any(0 < v < 1e-5 for v in values):
        assert texts is None
    else:
        assert texts == [orjson.dumps(number(v)) for v in values]


@pytest.mark.parametrize(
    "value",
    [-0.0, -1e-9, 1e-6, 9.99e-6, FAST_LIMIT, 1e300, math.inf, math.nan],
)
def test_numbers_it_cannot_write_are_left_to_the_usual_way(value: float) -> None:
    """-0.0, negative numbers, numbers orjson writes in exponent form, numbers of more than
    15 digits, infinities and NaN, wherever they stand among others: None."""
    assert numbers([value, 1.5]) is None
    assert numbers([1.5, value]) is None


def test_zero_is_written_0() -> None:
    assert numbers([0.0, 2.5]) == [b"0", b"2.5"]


def test_template_cuts_at_slots_and_join_fills_them() -> None:
    """Text from anyone (with control characters, quotes, percent signs) cannot be taken for
    a slot."""
    data = {"label": '50% \x01 "x" \\ é', "hours": SLOT, "fte": {"hours": SLOT}}
    pieces = template(data)
    assert len(pieces) == 3
    text = join(pieces, [b"1.5", b"0.04"])
    assert orjson.loads(text) == {
        "label": '50% \x01 "x" \\ é',
        "hours": 1.5,
        "fte": {"hours": 0.04},
    }
