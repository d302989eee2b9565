"""A self-contained HTML report for a client: inline CSS and SVG, nothing fetched.

The page is rendered by Jinja2 with autoescaping on: every text from a catalogue or profile is
escaped, so none can inject markup or script.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from smtime import __version__
from smtime.domain import Assumptions, Estimate
from smtime.i18n import localize, marked, translate
from smtime.render.escape import one_line, plain
from smtime.render.json import action_labels
from smtime.render.notes import assumption_lines, hours_per, line_label, scenario_name
from smtime.render.numbers import LOCALES, Shown, decimal, money, shown_lines, span

if TYPE_CHECKING:
    from smtime.domain import Catalogue

WIDTH, LABEL_WIDTH, ROW, BAR = 720, 200, 34, 18


def chart(result: Estimate, assumptions: Assumptions, lang: str) -> dict[str, Any]:
    """Geometry of the bar chart: one low–high bar per family, the chosen hours marked."""
    rows = [(r, assumptions.in_period(r.weekly)) for r in result.families]
    largest = max((hours.high for _, hours in rows), default=0.0) or 1.0
    plot = WIDTH - LABEL_WIDTH - 20

    def x(value: float) -> float:
        return round(LABEL_WIDTH + value / largest * plot, 2)

    allotted = {}
    if result.coverage is not None:
        allotted = {
            a.family.id: assumptions.per_week(a.allotted)[0] for a in result.coverage.allotments
        }
    bars = []
    for index, (row, hours) in enumerate(rows):
        label = one_line(localize(row.family.label, lang))
        low, high = decimal(hours.low, lang), decimal(hours.high, lang)
        tooltip = translate("{family}: {low} – {high} h", lang, family=label, low=low, high=high)
        if hours.hours is not None:
            mark = translate("chosen: {hours} h", lang, hours=decimal(hours.hours, lang))
            tooltip += f" ({mark})"
        covered = allotted.get(row.family.id)
        if covered is not None:
            shown = translate("covered: {hours} h", lang, hours=decimal(covered, lang))
            tooltip += f" ({shown})"
        bars.append(
            {
                "id": row.family.id,
                "label": label,
                "x": x(hours.low),
                "y": 10 + index * ROW,
                "width": max(round(x(hours.high) - x(hours.low), 2), 2),
                "height": BAR,
                "mark": None if hours.hours is None else x(hours.hours),
                "covered": None if covered is None else round(x(covered) - x(0.0), 2),
                "tooltip": tooltip,
            }
        )
    bottom = 10 + len(rows) * ROW
    step = _step(largest)
    ticks = [
        {"x": x(value), "label": decimal(value, lang)}
        for value in [step * i for i in range(int(largest / step) + 1)]
    ]
    description = "; ".join(str(bar["tooltip"]) for bar in bars)
    return {
        "width": WIDTH,
        "height": bottom + 26,
        "top": 4,
        "bottom": bottom,
        "label_width": LABEL_WIDTH,
        "bars": bars,
        "covered": bool(allotted),
        "ticks": ticks,
        "description": description,
    }


def _step(largest: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if largest / step <= 8:
            return step
    return 10_000.0


REPORT_WORDS = {
    "assumptions": marked("Assumptions"),
    "family": marked("Family"),
    "low": marked("Low"),
    "high": marked("High"),
    "chosen": marked("Chosen"),
    "fte": marked("FTE"),
    "cost": marked("Cost"),
    "actions": marked("Actions"),
    "chart": marked("Low–high range by family"),
    "chart_caption": marked(
        "Each bar runs from the low to the high hypothesis; the red mark is the chosen scenario."
    ),
    "chart_covered": marked("The dark line under a bar is the hours the capacity covers."),
    "hypotheses": marked("The hypotheses"),
}
"""The template's words, by the name the template gives them."""


def long_date(day: date, lang: str) -> str:
    """``30 novembre 2026``, ``30 November 2026``, ``30 de noviembre de 2026`` (Babel)."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=LOCALES.get(lang, LOCALES["en"])))


def report_title(title: str | None, lang: str) -> str:
    """The report's title: ``title``, else a generic one in ``lang``."""
    return title or translate("Social media time budget", lang)


def date_line(today: date, lang: str) -> str:
    """``Prepared on 30 November 2026``."""
    return translate("Prepared on {date}", lang, date=long_date(today, lang))


def source_line(catalogue: Catalogue, lang: str) -> str:
    """The catalogue's title and its source: ``Title — Source: …``."""
    source = translate("Source: {source}", lang, source=catalogue.source.title)
    return f"{localize(catalogue.title, lang)} — {source}"


def hypothesis_texts(catalogue: Catalogue, lang: str) -> list[tuple[str, str]]:
    """The low and high hypotheses of the catalogue: each one's label and description."""
    return [
        (localize(h.label, lang), localize(h.description, lang))
        for h in (catalogue.hypotheses.low, catalogue.hypotheses.high)
    ]


def _shown(value: Any) -> Any:
    """Every text the template prints, with control and bidi characters made visible."""
    return plain(value) if isinstance(value, str) else value


def report_html(
    result: Estimate,
    assumptions: Assumptions,
    catalogue: Catalogue,
    lang: str,
    *,
    title: str | None,
    today: date | None = None,
) -> str:
    """The report as one HTML page."""
    from jinja2 import Environment, select_autoescape

    environment = Environment(
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    template = environment.from_string(
        files("smtime").joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    )
    chosen = any(r.hours is not None for r in result.families)
    costed = assumptions.rate is not None

    def line_view(shown: Shown) -> dict[str, Any]:
        line, hours, fte, cost = shown
        return {
            "kind": line.kind.value,
            "id": line.row.family.id if line.row else line.kind.value,
            "label": one_line(line_label(line, lang)),
            "low": decimal(hours.low, lang),
            "high": decimal(hours.high, lang),
            "hours": decimal(hours.hours, lang),
            "fte": span(fte, lambda v: decimal(v, lang), " – "),
            "cost": span(cost, lambda v: money(v, assumptions.currency, lang), " – "),
        }

    lines = [line_view(shown) for shown in shown_lines(result, assumptions)]
    rows = lines[: len(result.families)]
    footer = lines[len(result.families) :]
    words = {key: translate(message, lang) for key, message in REPORT_WORDS.items()}
    period = hours_per(assumptions.period, lang)
    words |= {"estimate": period, "table_caption": f"{period} — {scenario_name(result, lang)}"}
    today = today or date.today()
    hypotheses = [
        {"label": label, "description": description}
        for label, description in hypothesis_texts(catalogue, lang)
    ]
    families = [
        {"label": localize(r.family.label, lang), "actions": action_labels(r.family, lang)}
        for r in result.families
    ]
    return str(
        template.render(
            lang=lang,
            version=__version__,
            title=one_line(report_title(title, lang)),
            date_line=date_line(today, lang),
            source_line=one_line(source_line(catalogue, lang)),
            assumptions=[
                one_line(a) for a in assumption_lines(result, assumptions, catalogue, lang)
            ],
            words=words,
            chosen=chosen,
            costed=costed,
            rows=rows,
            footer=footer,
            chart=chart(result, assumptions, lang),
            hypotheses=hypotheses,
            families=families,
            colophon=translate("Made with smtime {version}.", lang, version=__version__),
        )
    )
