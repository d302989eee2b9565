"""JSON Lines records from formats write numbers exactly as the usual renderer does."""

from __future__ import annotations

import math
import tracemalloc

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime.render.jsonl import FAST_LIMIT, SLOT, escape, form, numbers, own, plain, template
from smtime.render.numbers import number

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
def test_plain_numbers_are_written_as_number_and_orjson_write_them(values: list[float]) -> None:
    """Each text is orjson's text of ``number(value)``: rounded to 6 decimals, whole numbers
    without a fraction. Only a number below 1e-5 but not 0 is not plain."""
    if any(0 < v < 1e-5 for v in values):
        assert not plain(values)
    else:
        assert plain(values)
        assert numbers(values) == [orjson.dumps(number(v)) for v in values]


@pytest.mark.parametrize(
    "value",
    [-0.0, -1e-9, 1e-6, 9.99e-6, FAST_LIMIT, 1e300, math.inf, -math.inf, math.nan],
)
def test_numbers_it_cannot_write_are_not_plain(value: float) -> None:
    """-0.0, negative numbers, numbers orjson writes in exponent form, numbers of more than
    15 digits, infinities and NaN, wherever they stand among others, are not plain."""
    assert not plain([value, 1.5])
    assert not plain([1.5, value])
    assert not plain([1.5, value, 2.5])


def test_zero_is_written_0_and_nothing_is_written_as_nothing() -> None:
    assert plain([0.0, 2.5])
    assert numbers([0.0, 2.5]) == [b"0", b"2.5"]
    assert plain([])
    assert numbers([]) == []


def test_a_form_writes_text_from_anyone_as_it_is() -> None:
    """Text from anyone (control characters, quotes, percent signs, a %b of its own) cannot
    be taken for a place or a format directive: the format gives the data's JSON, its places
    filled in order."""
    label = '50% \x01 "x" \\ é %b %s %%'
    data = {"label": label, "hours": SLOT, "fte": {"hours": SLOT}}
    assert len(template(data)) == 3
    text = form(data) % (b"1.5", b"0.04")
    assert orjson.loads(text) == {"label": label, "hours": 1.5, "fte": {"hours": 0.04}}
    assert escape(b"100%") % () == b"100%"


def test_own_keeps_a_text_in_a_buffer_of_its_size() -> None:
    """orjson returns each text in a buffer of at least 4 KiB; what the memos keep is copied
    into one of its own size."""
    tracemalloc.start()
    try:
        texts = [own(orjson.dumps({"x": i})) for i in range(100)]
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert texts[5] == b'{"x":5}'
    assert kept < 100 * 200  # orjson's buffers would be 100 * 4096
