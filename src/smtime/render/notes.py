"""The assumptions behind an estimate, as sentences for tables and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtime.domain import Assumptions, Estimate, EstimateLine
from smtime.i18n import localize, word
from smtime.render.numbers import decimal, money

if TYPE_CHECKING:
    from smtime.domain import Catalogue


def line_label(line: EstimateLine, lang: str) -> str:
    """A line's label: the family's in ``lang``, or Subtotal, Unplanned work, Total."""
    if line.row is not None:
        return localize(line.row.family.label, lang)
    return word(line.kind.value, lang)


def scenario_name(result: Estimate, lang: str) -> str:
    """``Mid``, ``level 0.25`` or the low–high range."""
    scenario = result.scenario
    if scenario.hypothesis is not None:
        return word(scenario.hypothesis.value, lang)
    if scenario.level is not None:
        return f"{word('level', lang)} {decimal(scenario.level, lang)}"
    return word("range_only", lang)


def assumption_lines(
    result: Estimate, assumptions: Assumptions, catalogue: Catalogue, lang: str
) -> list[str]:
    """One sentence per assumption the figures depend on."""
    lines = [
        word("scenario", lang, value=scenario_name(result, lang)),
        word("a_period", lang, period=word(assumptions.period.value, lang)),
        word("weeks_per_year", lang, value=decimal(assumptions.weeks_per_year, lang)),
        word("full_time", lang, value=decimal(assumptions.full_time_hours, lang)),
    ]
    if assumptions.rate is not None:
        lines.append(word("rate", lang, value=money(assumptions.rate, assumptions.currency, lang)))
    if result.scenario.contingency is not None:
        lines.append(
            word("contingency_note", lang, value=decimal(result.scenario.contingency, lang))
        )
    overridden = [r for r in result.families if r.overridden and r.choice is not None]
    if overridden:
        parts = []
        for row in overridden:
            choice = row.choice
            assert choice is not None
            if choice.hours is not None:
                value = f"{decimal(choice.hours, lang)} h"
            elif choice.hypothesis is not None:
                value = word(choice.hypothesis.value, lang)
            else:
                value = f"{word('level', lang)} {decimal(choice.level or 0.0, lang)}"
            parts.append(f"{row.family.id} = {value}")
        lines.append(word("overrides", lang, value=", ".join(parts)))
    if result.drivers:
        quantities = ", ".join(
            f"{localize(catalogue.drivers[name].label, lang)} = {decimal(q, lang)}"
            for name, q in result.drivers.items()
        )
        lines.append(word("drivers_note", lang, value=quantities))
    lines.append(
        word(
            "catalogue_note",
            lang,
            title=localize(catalogue.title, lang),
            version=catalogue.version,
            source=catalogue.source.title,
        )
    )
    return lines
