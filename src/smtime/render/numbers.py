"""Numbers: rounded for machines (``number``), and for people with the language's decimal
mark and grouping; money through Babel."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from smtime.domain import SAFE_INTEGER, Figures, LineKind, NamedTuple, add_up

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtime.domain import Assumptions, Estimate, EstimateLine

NUMBER_DIGITS = 6
"""Decimals of the numbers written for machines."""


@lru_cache(maxsize=4096)
def number(value: float) -> int | float:
    """A number as machines read it (JSON, CSV): rounded to 6 decimals, whole numbers without
    a fraction (beyond 2^53, where not every reader keeps integers exact, they stay floats).
    Memoised: values equal as numbers (0.0 and -0.0, 1 and 1.0) are written alike anyway."""
    rounded = round(value, NUMBER_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return (
        int(rounded) if rounded.is_integer() and -SAFE_INTEGER < rounded < SAFE_INTEGER else rounded
    )


def maybe_number(value: float | None) -> int | float | None:
    """``number``, or None (JSON's null) for no value."""
    return None if value is None else number(value)


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


def money_format(currency: str, lang: str) -> str:
    """The number format of a spreadsheet cell (Excel's format codes, which LibreOffice reads
    too) that shows an amount in ``currency`` as ``money`` writes it for ``lang``.

    It is made of Babel's standard currency pattern for the language's locale (``LOCALES``):
    the text before and after the number, its sign ``¤`` replaced by the currency's symbol
    in that locale, quoted as literal text; the number grouped by thousands, with the
    currency's own decimals (two for EUR, none for JPY). ``fr``/EUR gives
    ``#,##0.00"\u00a0€"`` (``1 234,50 €``), ``en``/USD ``"US$"#,##0.00``, ``es``/JPY
    ``#,##0"\u00a0JPY"``. The separators a spreadsheet shows (``,`` or ``.``, thousands or
    decimals) are those of the viewer's locale, as for every number it shows."""
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    locale = LOCALES.get(lang, LOCALES["en"])
    pattern = Locale.parse(locale).currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale)
    digits = int(get_currency_precision(currency))
    amount = "#,##0" + ("." + "0" * digits if digits else "")
    before, after = (part[0].replace("¤", symbol) for part in (pattern.prefix, pattern.suffix))
    return _literal(before) + amount + _literal(after)


def percent_format(lang: str, digits: int = 1) -> str:
    """The number format of a spreadsheet cell that holds a fraction and shows it as
    ``percent`` writes it: ``0.0%`` (en), ``0.0"\u202f"%`` (fr), ``0.0"\u00a0"%`` (es)."""
    sign = _PERCENT_SIGN.get(lang, "%")
    number = "0" + ("." + "0" * digits if digits else "")
    return number + _literal(sign[:-1]) + "%"


def _literal(text: str) -> str:
    """``text`` as literal text in a number format: quoted (each character escaped with a
    backslash when it holds a quote); nothing for no text."""
    if not text:
        return ""
    if '"' in text:
        return "".join("\\" + char for char in text)
    return f'"{text}"'


def span(values: Figures | None, fmt: Callable[[float], Any], sep: str = "–") -> str:
    """The chosen value when there is one, else ``low–high``; empty for None."""
    if values is None:
        return ""
    if values.hours is not None:
        return str(fmt(values.hours))
    return f"{fmt(values.low)}{sep}{fmt(values.high)}"


class Shown(NamedTuple):
    """A line of an estimate as people read it: its hours over the period, full-time
    equivalents and cost (None without a rate), rounded as ``shown_lines`` says."""

    line: EstimateLine
    hours: Figures
    fte: Figures
    cost: Figures | None


HOURS_DIGITS = FTE_DIGITS = 2
"""Decimals shown to people for hours and FTE; money has its currency's (Babel)."""


def shown_lines(
    result: Estimate, assumptions: Assumptions, digits: int | None = None
) -> list[Shown]:
    """The lines of ``result`` (``Estimate.lines``) rounded so that they add up as shown:
    each family line and the contingency are rounded half up (hours and FTE to
    ``HOURS_DIGITS``, money to its currency's decimals; every value to ``digits`` when
    given), the subtotal is the sum of the rounded family lines and the total that of the
    rounded subtotal and contingency (``domain.add_up``). A reader who adds a column finds
    its total."""
    hours_digits, fte_digits, money_digits = (
        (digits, digits, digits) if digits is not None else _display_digits(assumptions)
    )

    def rounded(line: EstimateLine) -> _Parts:
        hours, fte, cost = assumptions.figures(line.weekly)
        return (
            _rounded(hours, hours_digits),
            _rounded(fte, fte_digits),
            None if cost is None else _rounded(cost, money_digits),
        )

    shown: list[Shown] = []
    families = [rounded(line) for line in result.lines() if line.kind is LineKind.FAMILY]
    subtotal = _added(families)
    for line in result.lines():
        if line.kind is LineKind.FAMILY:
            values = families[len(shown)]
        elif line.kind is LineKind.CONTINGENCY:
            values = rounded(line)
        elif line.kind is LineKind.SUBTOTAL or result.contingency is None:
            values = subtotal
        else:  # the total of a subtotal and its contingency, the line before
            values = _added([subtotal, shown[-1][1:]])
        shown.append(Shown(line, *values))
    return shown


_Parts = tuple[Figures, Figures, Figures | None]
"""A line's hours over the period, FTE and cost (None without a rate)."""


def _added(lines: list[_Parts]) -> _Parts:
    """Lines added up part by part (``domain.add_up``)."""
    costs = [cost for _, _, cost in lines]
    return (
        add_up([hours for hours, _, _ in lines]),
        add_up([fte for _, fte, _ in lines]),
        None if any(c is None for c in costs) else add_up([c for c in costs if c is not None]),
    )


def _display_digits(assumptions: Assumptions) -> tuple[int, int, int]:
    if assumptions.rate is None:
        return HOURS_DIGITS, FTE_DIGITS, 2
    from babel.numbers import get_currency_precision

    return HOURS_DIGITS, FTE_DIGITS, int(get_currency_precision(assumptions.currency))


def _rounded(values: Figures, digits: int) -> Figures:
    """``values`` rounded half up to ``digits`` decimals (as people round: 0.125 → 0.13)."""
    from decimal import ROUND_HALF_UP, Decimal  # not at import: the JSON path never rounds so

    quantum = Decimal(1).scaleb(-digits)

    def half_up(value: float) -> float:
        return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))

    hours = None if values.hours is None else half_up(values.hours)
    return Figures(half_up(values.low), half_up(values.high), hours)
