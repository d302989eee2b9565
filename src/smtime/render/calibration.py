"""A calibration: the calibrated catalogue as a YAML file, and the base and calibrated ranges
side by side for people (table, Markdown) and scripts (JSON; docs/json.md#calibrate)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtime import __version__
from smtime.calibration import (
    BEYOND_BOUND,
    NO_TIME,
    NO_UNITS,
    SPREAD,
    STEP,
    Calibration,
    FamilyCalibration,
    apply_to,
)
from smtime.domain import ANY_LANGUAGE, Catalogue, Figures, Localized
from smtime.i18n import marked, translate, translate_plural
from smtime.render.escape import markdown_cell, markdown_text
from smtime.render.notes import labels_of
from smtime.render.numbers import decimal, number, span
from smtime.terminal import BIDI, visible

if TYPE_CHECKING:
    from smtime.render.table import Fitted

UNMAPPED_SHOWN = 5
"""The names of unmapped time a line for people lists (the most hours first)."""


# The catalogue file ----------------------------------------------------------------------------


def _text(value: Localized) -> Any:
    """Localised text as a catalogue writes it: plain text for every language, else a mapping."""
    if set(value) == {ANY_LANGUAGE}:
        return value[ANY_LANGUAGE]
    return dict(value)


def _exact(hours: float) -> int | float:
    """Hours as a catalogue keeps them: whole numbers without a fraction, others to the last
    digit (hours per unit such as 10.166666666666666 give back the tracked hours exactly)."""
    return int(hours) if hours.is_integer() else hours


def _maybe(key: str, value: Any) -> dict[str, Any]:
    return {} if value is None else {key: value}


def catalogue_data(catalogue: Catalogue) -> dict[str, Any]:
    """``catalogue`` as the data of a catalogue file (docs/catalogue-format.md): what
    ``smtime.catalogue`` builds the same catalogue from."""
    source = catalogue.source
    return {
        "format": catalogue.format,
        "version": catalogue.version,
        "unit": catalogue.unit,
        "title": _text(catalogue.title),
        "source": {
            "title": source.title,
            **_maybe("author", source.author),
            **_maybe("url", source.url),
            **_maybe("language", source.language),
            **_maybe(
                "description", None if source.description is None else _text(source.description)
            ),
        },
        "hypotheses": {
            name: {"label": _text(text.label), "description": _text(text.description)}
            for name, text in zip(("low", "high"), catalogue.hypotheses, strict=True)
        },
        **(
            {
                "drivers": {
                    name: {
                        "label": _text(driver.label),
                        "default": driver.default,
                        **_maybe(
                            "description",
                            None if driver.description is None else _text(driver.description),
                        ),
                    }
                    for name, driver in catalogue.drivers.items()
                }
            }
            if catalogue.drivers
            else {}
        ),
        "families": [
            {
                "id": family.id,
                "label": _text(family.label),
                "low": _exact(family.low),
                "high": _exact(family.high),
                **_maybe("aliases", list(family.aliases) or None),
                **_maybe("per", list(family.per) or None),
                "rhythm": family.rhythm.value,
                **_maybe("priority", family.priority),
                "actions": [{"label": _text(action.label)} for action in family.actions],
            }
            for family in catalogue.families
        ],
    }


def provenance(result: Calibration) -> dict[str, Any]:
    """The ``calibration`` block of a calibrated catalogue: where its ranges come from."""
    return {
        "source": result.source,
        "tracker": result.tracker,
        "first_week": result.weeks[0],
        "last_week": result.weeks[-1],
        "weeks": len(result.weeks),
        "partial_weeks": list(result.partial),
        "quantiles": list(result.quantiles),
        "step": STEP,
        "smtime": __version__,
        "unmapped_hours": number(result.unmapped_hours),
        "not_calibrated": [f.id for f in result.families if f.calibrated is None],
    }


def _comment(text: str) -> str:
    """Text quoted inside a YAML comment, on one line: control characters as escapes, and
    U+2028 and U+2029, where YAML also ends a line."""
    shown = visible(text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'"{shown}"'


def catalogue_yaml(result: Calibration, base: Catalogue) -> str:
    """The catalogue ``base`` calibrated by ``result``, as a YAML file: a header of comments
    that says where its ranges come from, then the catalogue with its ``calibration`` block."""

    low, high = result.quantiles
    width = max(len(f.id) for f in result.families)
    lines = [
        "# A catalogue of smtime calibrated from tracked time (docs/calibrate.md).",
        f"# Written by smtime {__version__} from the {result.tracker} export "
        f"{_comment(result.source)}:",
        f"# {_weeks_en(result)}.",
        f"# low and high: P{low} and P{high}, the {_ordinal(low)} and {_ordinal(high)} "
        "percentiles of each",
        "# family's weekly hours over those weeks (0 in a week without its time), to the quarter",
        "# hour.",
        f"# Base catalogue: {_comment(base.source.title)}, version {_comment(base.version)}; its",
        "# ids, labels, actions, rhythms and priorities are kept.",
        "#",
    ]
    for family in result.families:
        before = f"{_hours(family.base)} h"
        if family.calibrated is None:
            after = f"kept: not calibrated, {WHY_EN[family.reason or NO_TIME]}"
        else:
            after = (
                f"calibrated {_hours(family.calibrated)} h, "
                f"from {family.weeks} of {len(result.weeks)} weeks with time"
            )
        lines.append(f"#   {family.id:<{width}}  base {before:<12} {after}")
    unmapped = number(result.unmapped_hours)
    lines += [
        "#",
        f"# Time that mapped to no family: {unmapped} h (--map TAG=FAMILY maps it).",
        "",
    ]
    data = catalogue_data(apply_to(base, result))
    data["calibration"] = provenance(result)
    return "\n".join(lines) + catalogue_text(data)


WHY_EN = {
    NO_TIME: "no time tracked",
    NO_UNITS: "its drivers' default quantities come to 0 units",
    BEYOND_BOUND: "its hours per unit would exceed 1,000,000 a week",
}
"""Why a family is not calibrated, in the comments of the catalogue written."""


def catalogue_text(data: dict[str, Any]) -> str:
    """Catalogue data as YAML text that reads back the same (keys in their order). The
    bidirectional controls of text (``\\u202e``) are written as escapes, never raw: the
    text is in double quotes (``_dumper``), where YAML reads the escape back as the
    character."""
    import re

    import yaml

    text = yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)
    return re.sub(f"[{BIDI}]", lambda found: f"\\u{ord(found.group()):04x}", text)


def _dumper() -> Any:
    """PyYAML's safe dumper, with text holding U+0085 (NEL) in double quotes, where it is
    written ``\\N``: PyYAML writes it raw in single quotes, and reads it back as a space;
    text holding a bidirectional control in double quotes too (``catalogue_text``)."""
    import re

    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        quoted = "\x85" in value or re.search(f"[{BIDI}]", value) is not None
        return dumper.represent_scalar(
            "tag:yaml.org,2002:str", value, style='"' if quoted else None
        )

    Dumper.add_representer(str, text)
    return Dumper


def _hours(values: Figures) -> str:
    return f"{number(values.low)}–{number(values.high)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _weeks_en(result: Calibration) -> str:
    weeks = f"{len(result.weeks)} complete ISO weeks, {result.weeks[0]} to {result.weeks[-1]}"
    if result.partial:
        weeks += f" (left out as partial: {', '.join(result.partial)})"
    return weeks


# The view --------------------------------------------------------------------------------------


def _range(values: Figures | None) -> dict[str, Any] | None:
    return None if values is None else {"low": number(values.low), "high": number(values.high)}


def calibration_data(result: Calibration, base: Catalogue, lang: str) -> dict[str, Any]:
    """The ``calibrate`` object (docs/schema/calibration.schema.json)."""
    labels = labels_of(base, lang)
    return {
        "source": {"file": result.source, "tracker": result.tracker},
        "quantiles": list(result.quantiles),
        "step": STEP,
        "weeks": {
            "complete": list(result.weeks),
            "partial": list(result.partial),
            "empty": result.empty,
            "first_day": result.first.isoformat(),
            "last_day": result.last.isoformat(),
        },
        "families": [
            {
                "id": f.id,
                "label": labels[f.id],
                "base": _range(f.base),
                "calibrated": _range(f.calibrated),
                "reason": f.reason,
                "tracked_hours": number(f.hours),
                "weeks_with_time": f.weeks,
            }
            for f in result.families
        ],
        "total": {
            "base": _range(result.base_total),
            "calibrated": _range(result.total),
            "weekly": {
                f"p{p}": number(value) for p, value in zip(SPREAD, result.spread, strict=True)
            },
        },
        "unmapped": {
            "hours": number(result.unmapped_hours),
            "names": {name: number(hours) for name, hours in result.unmapped.items()},
        },
        "left_out_hours": number(result.left_out),
    }


def _shown(values: Figures | None, lang: str) -> str:
    return span(values, lambda hours: decimal(hours, lang))


def _calibrated_cell(family: FamilyCalibration, lang: str) -> str:
    if family.calibrated is None:
        return translate("not calibrated", lang)
    return _shown(family.calibrated, lang)


def title(result: Calibration, lang: str) -> str:
    """``Calibrated on 8 complete weeks (2026-W41 to 2026-W48)``."""
    return translate_plural(
        "Calibrated on {weeks} complete week ({first} to {last})",
        "Calibrated on {weeks} complete weeks ({first} to {last})",
        len(result.weeks),
        lang,
        weeks=len(result.weeks),
        first=result.weeks[0],
        last=result.weeks[-1],
    )


WHY_NOT = {
    NO_TIME: marked(
        "Not calibrated (no time tracked): {families}; the base catalogue's range is kept."
    ),
    NO_UNITS: marked(
        "Not calibrated (their drivers' default quantities come to 0 units): {families}; "
        "the base catalogue's range is kept."
    ),
    BEYOND_BOUND: marked(
        "Not calibrated (their hours per unit would exceed 1,000,000 a week): {families}; "
        "the base catalogue's range is kept."
    ),
}
"""The note under the view for the families not calibrated, by the reason."""


def notes(result: Calibration, base: Catalogue, lang: str) -> list[str]:
    """The lines under the table: the spread of real weeks, the rule, what was left out."""
    p10, p50, p90 = (decimal(value, lang) for value in result.spread)
    low, high = result.quantiles
    lines = [
        translate(
            "Real weekly totals: P10 {p10} h, P50 {p50} h, P90 {p90} h.",
            lang,
            p10=p10,
            p50=p50,
            p90=p90,
        ),
        translate(
            "Low and high: P{low} and P{high} of each family's weekly hours, to the quarter hour.",
            lang,
            low=low,
            high=high,
        ),
    ]
    if result.partial:
        lines.append(
            translate(
                "Left out as partial weeks: {weeks} ({hours} h).",
                lang,
                weeks=", ".join(result.partial),
                hours=decimal(result.left_out, lang),
            )
        )
    if result.empty:
        lines.append(
            translate_plural(
                "{count} complete week without time for any family counts as 0 h.",
                "{count} complete weeks without time for any family count as 0 h.",
                result.empty,
                lang,
                count=result.empty,
            )
        )
    labels = labels_of(base, lang)
    driven = [labels[f.id] for f in base.families if f.per]
    if driven:
        lines.append(
            PER_UNIT_MARK
            + " "
            + translate(
                "Hours per unit of their drivers, not per week: {families}.",
                lang,
                families=", ".join(driven),
            )
        )
    for reason, message in WHY_NOT.items():
        kept = [labels[f.id] for f in result.families if f.reason == reason]
        if kept:
            lines.append(translate(message, lang, families=", ".join(kept)))
    if result.unmapped:
        shown = list(result.unmapped.items())[:UNMAPPED_SHOWN]
        named = ", ".join(f"{name} ({decimal(hours, lang)} h)" for name, hours in shown)
        if len(result.unmapped) > UNMAPPED_SHOWN:
            named += ", …"
        lines.append(
            translate(
                "Mapped to no family: {hours} h ({names}); --map TAG=FAMILY maps it.",
                lang,
                hours=decimal(result.unmapped_hours, lang),
                names=named,
            )
        )
    return lines


PER_UNIT_MARK = "*"
"""Marks, in the view, the families whose ranges are hours per unit of their drivers."""


def _rows(result: Calibration, base: Catalogue, lang: str) -> list[tuple[str, str, str, str, str]]:
    """Each family, then the total: label (marked when its ranges are hours per unit of its
    drivers), base, calibrated, weeks with time, tracked hours."""
    labels = labels_of(base, lang)
    for family in base.families:
        if family.per:
            labels[family.id] += f" {PER_UNIT_MARK}"
    count = len(result.weeks)
    rows = [
        (
            labels[f.id],
            _shown(f.base, lang),
            _calibrated_cell(f, lang),
            f"{f.weeks}/{count}",
            decimal(f.hours, lang),
        )
        for f in result.families
    ]
    tracked = result.tracked_hours
    rows.append(
        (
            translate("Total", lang),
            _shown(result.base_total, lang),
            _shown(result.total, lang),
            "",
            decimal(tracked, lang),
        )
    )
    return rows


def _headers(lang: str) -> list[str]:
    return [
        translate("Family", lang),
        translate("Base (h/week)", lang),
        translate("Calibrated (h/week)", lang),
        translate("Weeks with time", lang),
        translate("Tracked (h)", lang),
    ]


def calibration_table(result: Calibration, base: Catalogue, lang: str) -> Fitted:
    """The base and calibrated ranges side by side, the total, then the notes. Narrow
    terminals: the tracked hours give way first, then the weeks with time."""
    from rich.console import Group

    from smtime.render.table import Column, Fitted, clean, fitted_table

    rows = _rows(result, base, lang)
    headers = _headers(lang)

    def build(width: int) -> Group:
        columns = [
            Column(headers[0], [clean(r[0]) for r in rows], "left"),
            Column(headers[1], [r[1] for r in rows]),
            Column(headers[2], [r[2] for r in rows]),
            Column(headers[3], [r[3] for r in rows], gives_way=1),
            Column(headers[4], [r[4] for r in rows], gives_way=2),
        ]
        table = fitted_table(columns, width, title=title(result, lang), title_justify="left")
        table.rows[len(rows) - 2].end_section = True
        return Group(table, *(clean(line) for line in notes(result, base, lang)))

    return Fitted(build, len(rows))


def calibration_markdown(result: Calibration, base: Catalogue, lang: str) -> str:
    """The side-by-side view as a GFM table, then the notes."""
    rows = _rows(result, base, lang)
    out = [f"### {markdown_text(title(result, lang))}", ""]
    out.append("| " + " | ".join(markdown_cell(h) for h in _headers(lang)) + " |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        out.append("| " + " | ".join(markdown_cell(cell) for cell in row) + " |")
    out.append("")
    out += [markdown_text(line) + "  " for line in notes(result, base, lang)]
    return "\n".join(out).rstrip() + "\n"
