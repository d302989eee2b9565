"""Languages: choosing one, picking a label in it, and smtime's own messages in it (gettext
catalogues under ``smtime/locales``, written in English and translated in ``.po`` files)."""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path


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


DOMAIN = "smtime"
"""The gettext domain of smtime's messages: ``locales/<lang>/LC_MESSAGES/smtime.po``, compiled
to ``.mo`` beside it (``python -m smtime.i18n`` compiles them; a test holds the two in step)."""


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled messages of ``lang``; English, the language of the source, has none."""
    if lang == Language.EN.value or lang not in Language._value2member_map_:
        return gettext.NullTranslations()
    from importlib.resources import files

    compiled = files("smtime") / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with compiled.open("rb") as stream:
        return gettext.GNUTranslations(stream)


def translate(message: str, lang: str, /, **values: object) -> str:
    """``message`` (English) in ``lang``, with its ``{placeholders}`` filled in."""
    text = _catalogue(lang).gettext(message)
    return text.format(**values) if values else text


def translate_in(context: str, message: str, lang: str, /, **values: object) -> str:
    """``message`` in ``lang`` as ``context`` means it (the same English word may need
    different words in another language)."""
    text = _catalogue(lang).pgettext(context, message)
    return text.format(**values) if values else text


def translate_plural(singular: str, plural: str, count: int, lang: str, /, **values: object) -> str:
    """``singular`` or ``plural`` (English) in ``lang``, as the language chooses for ``count``."""
    text = _catalogue(lang).ngettext(singular, plural, count)
    return text.format(**values) if values else text


def marked(message: str) -> str:
    """``message`` unchanged, marked for translation where it is written down and translated
    later (gettext's ``N_``)."""
    return message


def compile_catalogues() -> list[Path]:
    """Compile every ``.po`` of the package into the ``.mo`` beside it (with Babel); the
    ``.mo`` files written."""
    from importlib.resources import files

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(Path(str(files("smtime") / "locales")).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as stream:
            messages = read_po(stream, locale=po.parts[-3])
        mo = po.with_suffix(".mo")
        with mo.open("wb") as stream:
            write_mo(stream, messages, use_fuzzy=False)
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(path)
