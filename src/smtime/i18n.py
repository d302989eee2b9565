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
}


def word(key: str, lang: str) -> str:
    """One of smtime's own words in ``lang``."""
    entry = _WORDS[key]
    return entry.get(lang) or entry["en"]
