"""smtime's own messages: gettext catalogues that cover every message, in step, well typeset."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from smtime import i18n
from smtime.i18n import DOMAIN, Language, translate, translate_plural
from smtime.render.report import long_date
from tests.conftest import Run

Smtime = Callable[..., Run]

PACKAGE = Path(i18n.__file__).parent
LOCALES = PACKAGE / "locales"
KEYWORDS = {
    "translate": None,
    "translate_in": ((1, "c"), 2),
    "translate_plural": (1, 2),
    "marked": None,
}
"""The functions that mark messages, as Babel's extractor reads them (`pybabel extract -k`)."""
TRANSLATED = [lang.value for lang in Language if lang is not Language.EN]
SAME_AS_ENGLISH = {
    "fr": {"Actions", "Budget", "Id", "Total", "{family} {hours} h"},
    "es": {
        "Id",
        "Subtotal",
        "Total",
        "{family} {hours} h",
        "{family}: {value}",
        "{family}: {low} – {high} h",
        "; ",
    },
}
"""Messages written the same in a language as in English, on purpose."""
FIELD = re.compile(r"\{(\w+)[^}]*\}")


def _extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=()
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(path: Path, locale: str | None = None) -> object:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale)


def _messages(catalogue: object) -> dict[str, object]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalogue if m.id}  # type: ignore[attr-defined]


def test_the_template_holds_every_message_of_the_code() -> None:
    """Each message marked in the code is in smtime.pot, and the template has no other."""
    template = _messages(_catalogue(LOCALES / f"{DOMAIN}.pot"))
    assert set(template) == _extracted()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    """Every message of the template has a translation: not empty, not fuzzy, with the same
    placeholders, and different from the English unless listed as the same on purpose."""
    template = _messages(_catalogue(LOCALES / f"{DOMAIN}.pot"))
    catalogue = _messages(_catalogue(LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang))
    assert set(catalogue) == set(template)
    for msgid, message in catalogue.items():
        english = message.id if isinstance(message.id, tuple) else (message.id,)  # type: ignore[attr-defined]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        assert all(strings), f"{lang}: no translation for {msgid!r}"
        assert not message.fuzzy, f"{lang}: {msgid!r} is fuzzy"  # type: ignore[attr-defined]
        for text in strings:
            assert set(FIELD.findall(text)) == set(FIELD.findall(english[0])), (lang, msgid)
        if msgid not in SAME_AS_ENGLISH[lang]:
            assert strings[0] != english[0], f"{lang}: {msgid!r} is left in English"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogues_are_in_step_with_their_sources(lang: str) -> None:
    """The .mo shipped is what Babel compiles from the .po (`python -m smtime.i18n`)."""
    source = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(source, lang), use_fuzzy=False)  # type: ignore[arg-type]
    assert source.with_suffix(".mo").read_bytes() == compiled.getvalue()


def test_french_puts_a_narrow_no_break_space_before_high_punctuation() -> None:
    """In French, : ; ! ? and % follow a narrow no-break space, never a space or nothing."""
    catalogue = _messages(_catalogue(LOCALES / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po", "fr"))
    for msgid, message in catalogue.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        for text in strings:
            for found in re.finditer(r"[:;!?%]", text):
                before = text[found.start() - 1] if found.start() else ""
                assert before == "\u202f", f"{msgid!r}: {text!r}"


def test_messages_are_translated_at_run_time() -> None:
    """translate and translate_plural read the compiled catalogues; English is the source."""
    assert translate("mid hypothesis", "fr") == "hypothèse intermédiaire"
    assert translate("mid hypothesis", "es") == "hipótesis intermedia"
    assert translate("Period: {period}", "fr", period="mois") == "Période\u202f: mois"
    assert translate("Period: {period}", "en", period="month") == "Period: month"
    one = "{weeks} tracked week, mean level {level}: {where}"
    many = "{weeks} tracked weeks, mean level {level}: {where}"
    values = {"level": "0,5", "where": "x"}
    assert translate_plural(one, many, 1, "fr", weeks=1, **values).startswith("1 semaine suivie")
    assert translate_plural(one, many, 3, "fr", weeks=3, **values).startswith("3 semaines")
    assert translate_plural(one, many, 1, "en", weeks=1, **values).startswith("1 tracked week,")


def test_dates_in_prose_are_written_as_the_language_writes_them() -> None:
    """The report's date is a long date in the language (Babel), not an ISO date."""
    day = date(2026, 11, 30)
    assert long_date(day, "fr") == "30 novembre 2026"
    assert long_date(day, "en") == "30 November 2026"
    assert long_date(day, "es") == "30 de noviembre de 2026"


@pytest.mark.parametrize(
    ("lang", "words", "not_words"),
    [
        ("fr", ["Scénario\u202f: hypothèse intermédiaire", "Retenu"], ["Médiane", "Scénario :"]),
        ("es", ["Escenario: hipótesis intermedia", "Elegido"], ["Media "]),
        ("en", ["Scenario: mid hypothesis", "Chosen (mid hypothesis)"], []),
    ],
)
def test_markdown_names_the_hypothesis_in_full(
    smtime: Smtime, lang: str, words: list[str], not_words: list[str]
) -> None:
    """The mid hypothesis is named in full in every language, never as a bare adjective."""
    result = smtime("estimate", "-H", "mid", "--format", "markdown", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    for word in words:
        assert word in result.stdout
    for word in not_words:
        assert word not in result.stdout


def test_per_family_settings_show_labels_not_ids(smtime: Smtime) -> None:
    """The per-family settings name each family by its label, in the chosen language."""
    result = smtime(
        "estimate", "-H", "low", "--set", "strategie=high", "--format", "markdown", "--lang", "fr"
    )
    assert "Réglages par famille\u202f: Stratégie\u202f: hypothèse haute" in result.stdout
    assert "strategie =" not in result.stdout
