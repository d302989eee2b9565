"""Text from catalogues, profiles, exports and file names is data: made safe here, per format.

Every renderer, and every message on stderr, passes such text through one of these functions;
none interprets it. They build on ``smtime.terminal.visible``, the one neutraliser.
"""

from __future__ import annotations

import re

from smtime.terminal import visible

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Patterns as text, compiled by ``re`` (and cached there) when first used: not at import.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|~])"
_BREAKABLE_SPACE = r"[^\S\u00a0\u2007\u202f]+"
"""Runs of white space but the no-break spaces (which typography puts where they are)."""


def plain(text: str) -> str:
    """``text`` for people: tabs become spaces, line breaks stay, other controls made visible."""
    return visible(text.replace("\t", " ").replace("\r\n", "\n"), newlines=True)


def one_line(text: str) -> str:
    """``plain`` text on one line: runs of white space (but no-break spaces) as one space."""
    return re.sub(_BREAKABLE_SPACE, " ", plain(text)).strip(" ")


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    Invisible characters before it (format characters such as U+200B, spaces of any kind)
    are skipped, and the first visible character is compared after NFKC normalisation, so
    that fullwidth ``＝＋－＠`` count as ``=+-@``.
    """
    if text.startswith(_FORMULA_START):
        return True
    import unicodedata

    for char in text:
        if unicodedata.category(char) in ("Cf", "Zs", "Cc"):
            continue
        return unicodedata.normalize("NFKC", char).startswith(_FORMULA_START)
    return False


def csv_cell(text: str) -> str:
    """A CSV text cell that a spreadsheet will not run as a formula (OWASP: prefix a quote)."""
    shown = visible(text, newlines=True)
    return "'" + shown if _formula_like(text) else shown


def markdown_cell(text: str) -> str:
    """Text for a GitHub-flavoured Markdown table cell: punctuation escaped, one line."""
    lines = [re.sub(_MARKDOWN_SPECIAL, r"\\\1", plain(line).strip()) for line in text.splitlines()]
    return "<br>".join(line for line in lines if line) or " "


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph or list item: punctuation escaped, one line."""
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", one_line(text))
