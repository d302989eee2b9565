"""Numbers: rounded for machines (``number``), and for people with the language's decimal
mark and grouping; money through Babel."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtime.domain import Figures

SAFE_INTEGER = 2**53
"""Whole numbers below this are exact in every JSON reader, and written without a fraction."""


@lru_cache(maxsize=4096)
def number(value: float) -> int | float:
    """A number as machines read it (JSON, CSV): rounded to 6 decimals, whole numbers without
    a fraction (beyond 2^53, where not every reader keeps integers exact, they stay floats).
    Memoised: values equal as numbers (0.0 and -0.0, 1 and 1.0) are written alike anyway."""
    rounded = round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    return (
        int(rounded) if rounded.is_integer() and -SAFE_INTEGER < rounded < SAFE_INTEGER else rounded
    )


_SEPARATORS = {"fr": ("\u202f", ","), "es": (".", ","), "en": (",", ".")}
_PERCENT_SIGN = {"fr": "\u202f%", "es": "\u00a0%", "en": "%"}
LOCALES = {"fr": "fr_FR", "es": "es_ES", "en": "en_GB"}


def decimal(value: float | None, lang: str, digits: int = 2) -> str:
    """``1234.5`` → ``1,234.5`` (en), ``1 234,5`` (fr), ``1.234,5`` (es); None → ``–``."""
    if value is None:
        return "–"
    shown = f"{value:,.{digits}f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    if shown in ("-0", ""):
        shown = "0"
    group, mark = _SEPARATORS.get(lang, _SEPARATORS["en"])
    return shown.replace(",", "\x00").replace(".", mark).replace("\x00", group)


def percent(fraction: float, lang: str) -> str:
    """``0.1`` → ``10.0%`` (en), ``10,0 %`` (fr, with a narrow no-break space; es, with a
    no-break space, as CLDR writes them)."""
    shown = decimal(fraction * 100, lang, 1)
    if "," not in shown and "." not in shown:
        shown += ",0" if lang in ("fr", "es") else ".0"
    return shown + _PERCENT_SIGN.get(lang, "%")


def money(value: float | None, currency: str, lang: str) -> str:
    """An amount in ``currency`` as the language writes it: ``1 234,50 €``, ``€1,234.50``."""
    if value is None:
        return "–"
    from babel.numbers import format_currency

    return str(format_currency(value, currency, locale=LOCALES.get(lang, "en_GB")))


def span(values: Figures | None, fmt: Callable[[float], Any], sep: str = "–") -> str:
    """The chosen value when there is one, else ``low–high``; empty for None."""
    if values is None:
        return ""
    if values.hours is not None:
        return str(fmt(values.hours))
    return f"{fmt(values.low)}{sep}{fmt(values.high)}"
