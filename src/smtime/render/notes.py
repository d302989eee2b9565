"""The assumptions behind an estimate, as sentences for tables and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtime.domain import Assumptions, Coverage, Estimate, EstimateLine, LineKind, Period
from smtime.i18n import localize, marked, translate
from smtime.render.numbers import decimal, money, percent

if TYPE_CHECKING:
    from smtime.domain import Catalogue


def labels_of(catalogue: Catalogue, lang: str) -> dict[str, str]:
    """Each family's label in ``lang``, by id."""
    return {f.id: localize(f.label, lang) for f in catalogue.families}


LINE_NAMES = {
    LineKind.SUBTOTAL: marked("Subtotal"),
    LineKind.CONTINGENCY: marked("Unplanned work"),
    LineKind.TOTAL: marked("Total"),
}
HYPOTHESIS_NAMES = {
    "low": marked("low hypothesis"),
    "mid": marked("mid hypothesis"),
    "high": marked("high hypothesis"),
}
PERIOD_NAMES = {
    Period.WEEK: marked("week"),
    Period.MONTH: marked("month"),
    Period.YEAR: marked("year"),
}
HOURS_PER = {
    Period.WEEK: marked("Hours per week"),
    Period.MONTH: marked("Hours per month"),
    Period.YEAR: marked("Hours per year"),
}


def line_label(line: EstimateLine, lang: str) -> str:
    """A line's label: the family's in ``lang``, or Subtotal, Unplanned work, Total."""
    if line.row is not None:
        return localize(line.row.family.label, lang)
    return translate(LINE_NAMES[line.kind], lang)


def hypothesis_name(hypothesis: str, lang: str) -> str:
    """A hypothesis (``low``, ``mid``, ``high``) named in full: ``low hypothesis``."""
    return translate(HYPOTHESIS_NAMES[hypothesis], lang)


def hours_per(period: Period, lang: str) -> str:
    """``Hours per week`` (month, year)."""
    return translate(HOURS_PER[period], lang)


def level_name(level: float, lang: str) -> str:
    """``level 0.25``."""
    return translate("level {level}", lang, level=decimal(level, lang))


def scenario_name(result: Estimate, lang: str) -> str:
    """``mid hypothesis``, ``level 0.25`` or the low–high range."""
    scenario = result.scenario
    if scenario.hypothesis is not None:
        return hypothesis_name(scenario.hypothesis.value, lang)
    if scenario.level is not None:
        return level_name(scenario.level, lang)
    return translate("low–high range", lang)


def assumption_lines(
    result: Estimate, assumptions: Assumptions, catalogue: Catalogue, lang: str
) -> list[str]:
    """One sentence per assumption the figures depend on."""
    lines = [
        translate("Scenario: {value}", lang, value=scenario_name(result, lang)),
        translate(
            "Period: {period}", lang, period=translate(PERIOD_NAMES[assumptions.period], lang)
        ),
        translate("Weeks per year: {value}", lang, value=decimal(assumptions.weeks_per_year, lang)),
        translate(
            "Full time: {value} h a week (FTE = weekly hours ÷ {value})",
            lang,
            value=decimal(assumptions.full_time_hours, lang),
        ),
    ]
    if assumptions.rate is not None:
        rate = money(assumptions.rate, assumptions.currency, lang)
        lines.append(translate("Hourly rate: {value}", lang, value=rate))
    if result.scenario.contingency is not None:
        share = decimal(result.scenario.contingency, lang)
        lines.append(translate("Unplanned work: {value}% of the subtotal", lang, value=share))
    overridden = [r for r in result.families if r.overridden and r.choice is not None]
    if overridden:
        parts = []
        for row in overridden:
            choice = row.choice
            assert choice is not None
            if choice.hours is not None:
                value = translate("{hours} h a week", lang, hours=decimal(choice.hours, lang))
            elif choice.hypothesis is not None:
                value = hypothesis_name(choice.hypothesis.value, lang)
            else:
                value = level_name(choice.level or 0.0, lang)
            label = localize(row.family.label, lang)
            parts.append(translate("{family}: {value}", lang, family=label, value=value))
        lines.append(
            translate("Per-family settings: {value}", lang, value=_separator(lang).join(parts))
        )
    if result.drivers:
        quantities = ", ".join(
            f"{localize(catalogue.drivers[name].label, lang)} = {decimal(q, lang)}"
            for name, q in result.drivers.items()
        )
        lines.append(translate("Volumes: {value}", lang, value=quantities))
    if result.coverage is not None:
        lines += coverage_lines(result.coverage, assumptions, lang)
    lines.append(
        translate(
            "Catalogue: {title}, version {version} (source: {source})",
            lang,
            title=localize(catalogue.title, lang),
            version=catalogue.version,
            source=catalogue.source.title,
        )
    )
    return lines


def coverage_lines(coverage: Coverage, assumptions: Assumptions, lang: str) -> list[str]:
    """What a capacity covers, in two sentences (weekly hours): its share of the need with the
    shortfall or spare hours, then the families kept, reduced and dropped."""
    capacity = coverage.capacity
    hours = decimal(capacity.hours, lang)
    if capacity.people is not None:
        each = decimal(capacity.per_person or 0.0, lang)
        hours = f"{capacity.people} × {each} h = {hours}"

    values = {
        "capacity": hours,
        "share": percent(coverage.share, lang),
        "need": decimal(coverage.need, lang),
    }
    if coverage.shortfall > 0:
        fte = decimal(assumptions.per_week(coverage.shortfall)[1], lang)
        first = translate(
            "Capacity: {capacity} h a week covers {share} of the {need} h needed: "
            "{short} h short, {fte} FTE missing",
            lang,
            short=decimal(coverage.shortfall, lang),
            fte=fte,
            **values,
        )
    else:
        first = translate(
            "Capacity: {capacity} h a week covers all {need} h needed, {spare} h to spare",
            lang,
            spare=decimal(coverage.spare, lang),
            **{k: v for k, v in values.items() if k != "share"},
        )
    parts = []
    for status, message in (
        ("kept", marked("kept: {families}")),
        ("reduced", marked("reduced: {families}")),
        ("dropped", marked("dropped: {families}")),
    ):
        chosen = [a for a in coverage.allotments if a.status == status]
        if not chosen:
            continue
        names = [localize(a.family.label, lang) for a in chosen]
        if status == "reduced":
            names = [
                translate(
                    "{family} ({allotted} of {need} h)",
                    lang,
                    family=name,
                    allotted=decimal(a.allotted, lang),
                    need=decimal(a.need, lang),
                )
                for name, a in zip(names, chosen, strict=True)
            ]
        parts.append(translate(message, lang, families=", ".join(names)))
    order = translate("In priority order, {parts}.", lang, parts=_separator(lang).join(parts))
    return [first + ".", order]


def _separator(lang: str) -> str:
    """Between the items of a list whose items have commas: ``; `` (French: `` ; ``)."""
    return translate("; ", lang)
