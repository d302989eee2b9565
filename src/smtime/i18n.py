"""Languages: choosing one, picking a label in it, and the words of smtime's own output."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum


class Language(StrEnum):
    """Languages smtime speaks."""

    FR = "fr"
    EN = "en"
    ES = "es"


FALLBACK = (Language.EN.value, Language.FR.value)


def default_language(environ: Mapping[str, str] | None = None) -> Language:
    """The language of the locale: the first set of LC_ALL, LC_MESSAGES, LANG; else English."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            code = value[:2].lower()
            return Language(code) if code in Language._value2member_map_ else Language.EN
    return Language.EN


def localize(text: Mapping[str, str], lang: str) -> str:
    """``text`` in ``lang``; else in any language given as plain text, English, French, or any."""
    for code in (lang, "*", *FALLBACK):
        if code in text:
            return text[code]
    return next(iter(text.values()))


_WORDS: dict[str, dict[str, str]] = {
    "family": {"fr": "Famille", "en": "Family", "es": "Familia"},
    "id": {"fr": "Id", "en": "Id", "es": "Id"},
    "actions": {"fr": "Actions", "en": "Actions", "es": "Acciones"},
    "low": {"fr": "Basse", "en": "Low", "es": "Baja"},
    "high": {"fr": "Haute", "en": "High", "es": "Alta"},
    "mid": {"fr": "Médiane", "en": "Mid", "es": "Media"},
    "hours": {"fr": "Heures", "en": "Hours", "es": "Horas"},
    "range": {"fr": "Fourchette", "en": "Range", "es": "Rango"},
    "share": {"fr": "Part du total", "en": "Share of total", "es": "Parte del total"},
    "total": {"fr": "Total", "en": "Total", "es": "Total"},
    "level": {"fr": "niveau", "en": "level", "es": "nivel"},
    "hypothesis": {"fr": "Hypothèse", "en": "Hypothesis", "es": "Hipótesis"},
    "weekly_hours": {
        "fr": "Heures par semaine",
        "en": "Hours per week",
        "es": "Horas por semana",
    },
    "families_title": {
        "fr": "Familles de tâches",
        "en": "Task families",
        "es": "Familias de tareas",
    },
    "source": {"fr": "Source", "en": "Source", "es": "Fuente"},
    "valid": {"fr": "catalogue valide", "en": "valid catalogue", "es": "catálogo válido"},
    "families_count": {"fr": "familles", "en": "families", "es": "familias"},
    "per_week": {"fr": "h par semaine", "en": "h a week", "es": "h por semana"},
    "contingency": {"fr": "Imprévus", "en": "Unplanned work", "es": "Imprevistos"},
    "subtotal": {"fr": "Sous-total", "en": "Subtotal", "es": "Subtotal"},
    "fte": {"fr": "ETP", "en": "FTE", "es": "ETC"},
    "cost": {"fr": "Coût", "en": "Cost", "es": "Coste"},
    "spread": {"fr": "Basse → haute", "en": "Low → high", "es": "Baja → alta"},
    "assumptions": {"fr": "Hypothèses de calcul", "en": "Assumptions", "es": "Supuestos"},
    "week": {"fr": "semaine", "en": "week", "es": "semana"},
    "month": {"fr": "mois", "en": "month", "es": "mes"},
    "year": {"fr": "an", "en": "year", "es": "año"},
    "hours_per": {
        "fr": "Heures par {period}",
        "en": "Hours per {period}",
        "es": "Horas por {period}",
    },
    "a_period": {"fr": "Période : {period}", "en": "Period: {period}", "es": "Periodo: {period}"},
    "weeks_per_year": {
        "fr": "Semaines par an : {value}",
        "en": "Weeks per year: {value}",
        "es": "Semanas por año: {value}",
    },
    "full_time": {
        "fr": "Temps plein : {value} h par semaine (ETP = heures hebdomadaires ÷ {value})",
        "en": "Full time: {value} h a week (FTE = weekly hours ÷ {value})",
        "es": "Jornada completa: {value} h por semana (ETC = horas semanales ÷ {value})",
    },
    "rate": {
        "fr": "Taux horaire : {value}",
        "en": "Hourly rate: {value}",
        "es": "Tarifa por hora: {value}",
    },
    "contingency_note": {
        "fr": "Imprévus : {value} % du sous-total",
        "en": "Unplanned work: {value}% of the subtotal",
        "es": "Imprevistos: {value} % del subtotal",
    },
    "scenario": {"fr": "Scénario : {value}", "en": "Scenario: {value}", "es": "Escenario: {value}"},
    "range_only": {
        "fr": "fourchette basse – haute",
        "en": "low–high range",
        "es": "rango bajo – alto",
    },
    "overrides": {
        "fr": "Réglages par famille : {value}",
        "en": "Per-family settings: {value}",
        "es": "Ajustes por familia: {value}",
    },
    "drivers_note": {
        "fr": "Volumes : {value}",
        "en": "Volumes: {value}",
        "es": "Volúmenes: {value}",
    },
    "catalogue_note": {
        "fr": "Catalogue : {title}, version {version} (source : {source})",
        "en": "Catalogue: {title}, version {version} (source: {source})",
        "es": "Catálogo: {title}, versión {version} (fuente: {source})",
    },
    "chosen": {"fr": "Retenu", "en": "Chosen", "es": "Elegido"},
    "plan_title": {"fr": "Semaine type", "en": "Weekly plan", "es": "Semana tipo"},
    "actual": {"fr": "Réel", "en": "Actual", "es": "Real"},
    "level_header": {"fr": "Niveau", "en": "Level", "es": "Nivel"},
    "report_title": {
        "fr": "Le temps des médias sociaux : budget hebdomadaire",
        "en": "Social media time budget",
        "es": "Presupuesto de tiempo para redes sociales",
    },
    "report_date": {
        "fr": "Établi le {date}",
        "en": "Prepared on {date}",
        "es": "Elaborado el {date}",
    },
    "report_chart": {
        "fr": "Fourchette basse – haute par famille",
        "en": "Low–high range by family",
        "es": "Rango bajo – alto por familia",
    },
    "report_chart_caption": {
        "fr": "Chaque barre va de l'hypothèse basse à l'hypothèse haute ; le trait rouge marque le scénario retenu.",
        "en": "Each bar runs from the low to the high hypothesis; the red mark is the chosen scenario.",
        "es": "Cada barra va de la hipótesis baja a la alta; la marca roja es el escenario elegido.",
    },
    "report_hypotheses": {"fr": "Les hypothèses", "en": "The hypotheses", "es": "Las hipótesis"},
    "report_colophon": {
        "fr": "Produit par smtime {version}.",
        "en": "Made with smtime {version}.",
        "es": "Elaborado con smtime {version}.",
    },
    "status": {"fr": "État", "en": "Status", "es": "Estado"},
    "status_below": {"fr": "sous la basse", "en": "below low", "es": "por debajo"},
    "status_within": {"fr": "dans la fourchette", "en": "within", "es": "dentro"},
    "status_above": {"fr": "au-dessus de la haute", "en": "above high", "es": "por encima"},
    "unmapped": {"fr": "Non affecté", "en": "Unmapped", "es": "Sin asignar"},
    "running": {"fr": "(en cours)", "en": "(running)", "es": "(en curso)"},
    "below_low": {
        "fr": "sous l'hypothèse basse",
        "en": "below the low hypothesis",
        "es": "por debajo de la hipótesis baja",
    },
    "above_high": {
        "fr": "au-dessus de l'hypothèse haute",
        "en": "above the high hypothesis",
        "es": "por encima de la hipótesis alta",
    },
    "compare_summary": {
        "fr": "{weeks} semaine(s) suivie(s), niveau moyen {level} : {match}",
        "en": "{weeks} tracked week(s), mean level {level}: {match}",
        "es": "{weeks} semana(s) registrada(s), nivel medio {level}: {match}",
    },
    "compare_none": {
        "fr": "Aucune semaine suivie ne permet de situer le niveau.",
        "en": "No tracked week to place on the low–high scale.",
        "es": "Ninguna semana registrada permite situar el nivel.",
    },
}


def word(key: str, lang: str, **values: object) -> str:
    """One of smtime's own phrases in ``lang``, with ``{placeholders}`` filled in."""
    entry = _WORDS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
