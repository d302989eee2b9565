"""Text from catalogues, profiles, exports and file names is data: made safe here, per format.

Every renderer, and every message on stderr, passes such text through one of these functions;
none interprets it. ``visible`` is the one neutraliser: control characters (C0, DEL, C1, which
start terminal escape sequences) and the bidirectional controls that can make text display
as something else are shown as escapes (``\\x1b``, ``\\u202e``), so they are seen, never run.
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the bidirectional controls (embeddings, overrides,
# isolates, marks) that can reorder what a terminal or a browser displays.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_NEWLINE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    With ``newlines=True`` a line break stays a line break (table cells, descriptions);
    otherwise it is shown as ``\\x0a`` too, so the text stays on one line (messages).
    """
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.sub(_shown, text)


def plain(text: str) -> str:
    """``text`` for people: tabs become spaces, line breaks stay, other controls made visible."""
    return visible(text.replace("\t", " ").replace("\r\n", "\n"), newlines=True)


def one_line(text: str) -> str:
    """``plain`` text on one line."""
    return " ".join(plain(text).split())


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
    lines = [_MARKDOWN_SPECIAL.sub(r"\\\1", plain(line).strip()) for line in text.splitlines()]
    return "<br>".join(line for line in lines if line) or " "


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph or list item: punctuation escaped, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
