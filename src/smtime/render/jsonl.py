"""JSON Lines records from formats: the JSON text of the estimate object, made once by the
renderers of ``render.json`` and orjson, as a ``bytes`` %-format with a place for each of a
profile's own values.

``form`` writes data in which ``SLOT`` stands for a value and returns its %-format;
``numbers`` writes many numbers at once exactly as ``render.json.number`` and orjson write
them, when ``plain`` says it can (else the caller writes the record the usual way).
"""

from __future__ import annotations

from math import isnan
from typing import Any

import orjson

SLOT = orjson.Fragment(b"\x01")
"""Stands for a value in the data given to ``form`` or ``template``."""

FAST_LIMIT = 1e9
"""Numbers from 0 up to this have at most 15 significant digits once rounded to 6 decimals:
``%.6f`` then writes the digits orjson writes for the rounded number."""

_SMALL = 1e-5
"""Below this orjson writes some numbers in exponent form (``1e-6``)."""

_FORMATS: dict[int, bytes] = {}
_ZEROS = (b".000000\x00", b"00000\x00", b"0000\x00", b"000\x00", b"00\x00", b"0\x00", b"\x00")


def template(data: Any) -> list[bytes]:
    """The JSON text (UTF-8) of ``data`` cut at each ``SLOT``: the texts before, between and
    after.

    orjson writes every control character of a text escaped (``\\u0001``), so a raw one is only
    where a ``SLOT`` was put, never in text from a catalogue or a profile."""
    return orjson.dumps(data).split(b"\x01")


def own(text: bytes) -> bytes:
    """``text`` in a bytes object of its own size. orjson returns each text in a buffer of at
    least 4 KiB: a memo that kept orjson's texts would keep that much for each."""
    return memoryview(text).tobytes()


def escape(text: bytes) -> bytes:
    """``text`` as a piece of a %-format that writes it as it is."""
    return text.replace(b"%", b"%%")


def form(data: Any) -> bytes:
    """The JSON text of ``data`` as a %-format, with a ``%b`` where each ``SLOT`` is (for a
    JSON text: a number's from ``numbers``, a name's from orjson)."""
    return b"%b".join([escape(piece) for piece in template(data)])


def plain(values: list[float]) -> bool:
    """Whether ``numbers`` can write every one of ``values``: 0.0 (not -0.0), or from 1e-5
    up to ``FAST_LIMIT``."""
    if not values:
        return True
    if min(values) >= _SMALL and max(values) < FAST_LIMIT:
        return not isnan(sum(values))  # which min and max may not have seen
    return all(_SMALL <= v < FAST_LIMIT or (v == 0.0 and str(v) == "0.0") for v in values)


def numbers(values: list[float]) -> list[bytes]:
    """The JSON text of each of ``values`` (which are ``plain``) rounded to 6 decimals, as
    ``render.json.number`` and orjson write it."""
    count = len(values)
    layout = _FORMATS.get(count)
    if layout is None:
        layout = _FORMATS[count] = b"%.6f\x00" * count
    # %.6f rounds as round(value, 6) does (both correctly, by the same dtoa); what is left is
    # writing the rounded number as orjson does: no trailing zeros, no point for a whole one.
    # Each number ends with a NUL until its zeros are taken off with it, so no zero goes twice.
    text = layout % tuple(values)
    for zeros in _ZEROS:
        text = text.replace(zeros, b",")
    return text.split(b",")[:-1]
