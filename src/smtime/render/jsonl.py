"""JSON Lines records from templates: the JSON text of the estimate object, made once by the
renderers of ``render.json`` and orjson, cut where a profile's own values go.

``template`` writes data in which ``SLOT`` stands for a value and returns the text around the
slots; ``numbers`` writes many numbers at once exactly as ``render.json.number`` and orjson
write them, or says that it cannot (``None``: the caller then writes the record the usual
way); ``join`` puts the values' texts in the slots.
"""

from __future__ import annotations

from typing import Any

import orjson

SLOT = orjson.Fragment(b"\x01")
"""Stands for a value in the data given to ``template``."""

FAST_LIMIT = 1e9
"""Numbers from 0 up to this have at most 15 significant digits once rounded to 6 decimals:
``%.6f`` then writes the digits orjson writes for the rounded number."""

_SMALL = 1e-5
"""Below this orjson writes some numbers in exponent form (``1e-6``)."""

_FORMATS: dict[int, bytes] = {}


def template(data: Any) -> list[bytes]:
    """The JSON text (UTF-8) of ``data`` cut at each ``SLOT``: the texts before, between and
    after.

    orjson writes every control character of a text escaped (``\\u0001``), so a raw one is only
    where a ``SLOT`` was put, never in text from a catalogue or a profile."""
    return orjson.dumps(data).split(b"\x01")


def numbers(values: list[float]) -> list[bytes] | None:
    """The JSON text of each of ``values`` rounded to 6 decimals, as ``number`` and orjson
    write it; None when a value is not from 0 up to ``FAST_LIMIT``, or is -0.0 or below 1e-5
    but not 0 (written the usual way: 0, and orjson's exponent form)."""
    if not values:
        return []
    least = min(values)
    if not (least >= 0.0 and max(values) < FAST_LIMIT):
        return None
    if least < _SMALL and not all(v >= _SMALL or str(v) == "0.0" for v in values):
        return None
    count = len(values)
    form = _FORMATS.get(count)
    if form is None:
        form = _FORMATS[count] = b"%.6f\x00" * count
    # %.6f rounds as round(value, 6) does (both correctly, by the same dtoa); what is left is
    # writing the rounded number as orjson does: no trailing zeros, no point for whole ones.
    # Each number ends with a NUL until its zeros are taken off with it, so no zero goes twice.
    text = form % tuple(values)
    if b"n" in text:  # nan, which min and max may not have seen
        return None
    text = text.replace(b".000000\x00", b",")
    for zeros in (b"00000\x00", b"0000\x00", b"000\x00", b"00\x00", b"0\x00", b"\x00"):
        text = text.replace(zeros, b",")
    return text.split(b",")[:-1]


def join(constants: list[bytes], texts: list[bytes]) -> bytes:
    """``constants[0]``, ``texts[0]``, ``constants[1]``, ... ``constants[-1]``, as one text."""
    parts: list[bytes] = [b""] * (2 * len(texts) + 1)
    parts[::2] = constants
    parts[1::2] = texts
    return b"".join(parts)
