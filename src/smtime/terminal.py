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
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_NEWLINE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


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
