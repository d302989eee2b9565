"""The one neutraliser of text that reaches a person: control characters (C0, DEL, C1, which
start terminal escape sequences) and the bidirectional controls that can make text display as
something else are shown as escapes (``\\x1b``, ``\\u202e``), so they are seen, never run.

Every message on stderr (``smtime.errors``) and every renderer (``smtime.render.escape``) uses
``visible``.
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the bidirectional controls (embeddings, overrides,
# isolates, marks) that can reorder what a terminal or a browser displays.
_C0 = r"\x00-\x09\x0b-\x1f"  # without the line break, which has a class of its own
BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""The bidirectional controls (embeddings, overrides, isolates, marks), as a class of ``re``."""
_OTHERS = rf"\x7f-\x9f{BIDI}"
# Patterns as text, compiled by ``re`` (and cached there) when first used: not at import.
_CONTROL = rf"[{_C0}\n{_OTHERS}]"
_CONTROL_BUT_NEWLINE = rf"[{_C0}{_OTHERS}]"
_BEYOND_JSON = rf"[{_OTHERS}]"
"""What JSON leaves raw in its strings: every C0 control is escaped by any JSON writer."""
_BEYOND_JSON_UTF8 = (
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""The characters of ``_BEYOND_JSON`` in UTF-8 (a test holds the two to the same set)."""
_ASCII_BUT_DEL = bytes(range(0x7F))


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    With ``newlines=True`` a line break stays a line break (table cells, descriptions);
    otherwise it is shown as ``\\x0a`` too, so the text stays on one line (messages).
    """
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return re.sub(pattern, _shown, text)


def json_visible(text: str) -> str:
    """JSON text with the controls JSON writers leave raw (DEL, C1, bidirectional controls)
    written as ``\\u`` escapes: the same values, harmless on a terminal. They can only stand
    inside strings, so the JSON stays valid."""
    return re.sub(_BEYOND_JSON, lambda match: f"\\u{ord(match.group()):04x}", text)


def json_visible_utf8(data: bytes) -> bytes:
    """``json_visible`` on UTF-8 JSON: the same bytes when there is nothing to escape (the
    usual case, found without decoding), else those of ``json_visible``'s text.

    Only the bytes beyond ASCII (and DEL) are searched: deleting the others leaves every
    multi-byte character whole, since none of its bytes is ASCII."""
    if re.search(_BEYOND_JSON_UTF8, data.translate(None, _ASCII_BUT_DEL)) is None:
        return data
    return json_visible(data.decode()).encode()
