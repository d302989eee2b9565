"""Text from catalogues and profiles is data: the one place where it is made safe per format.

Every renderer passes such text through one of these functions; none interprets it.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (terminal escape sequences start with one), DEL, and the
# bidirectional overrides that can make text display as something else.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def plain(text: str) -> str:
    """``text`` without control characters; tabs become spaces, other line breaks stay."""
    return _CONTROL.sub("", text.replace("\t", " "))


def one_line(text: str) -> str:
    """``plain`` text on one line."""
    return " ".join(plain(text).split())


def csv_cell(text: str) -> str:
    """A CSV text cell that a spreadsheet will not run as a formula (OWASP: prefix a quote)."""
    if text.startswith(_FORMULA_START):
        return "'" + _CONTROL.sub("", text)
    return _CONTROL.sub("", text)


def markdown_cell(text: str) -> str:
    """Text for a GitHub-flavoured Markdown table cell: punctuation escaped, one line."""
    lines = [_MARKDOWN_SPECIAL.sub(r"\\\1", plain(line).strip()) for line in text.splitlines()]
    return "<br>".join(line for line in lines if line) or " "


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph or list item: punctuation escaped, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
