"""Reading input files: a size limit before anything is parsed, and text that must be UTF-8."""

from __future__ import annotations

from pathlib import Path

from smtime.errors import InputError, InvalidFileError, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before they are parsed."""


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file of at most ``limit`` bytes, or raise an ``InputError`` that says why not."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise unreadable(name, exc) from None
    if len(data) > limit:
        raise InvalidFileError(
            name, [Problem(name, f"file is larger than the limit of {limit // 1024 // 1024} MiB")]
        )
    return data


def unreadable(name: str, exc: OSError) -> InputError:
    """The error to report for a file that could not be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory, not a file")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    return InputError(f"{name}: cannot read: {exc.strerror or exc}")


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is allowed), refusing binary data with its position."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            message = f"{encoding} text: save the file as UTF-8"
            raise InvalidFileError(name, [Problem(name, message, "", 1, 1)])
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise InvalidFileError(
            name, [Problem(name, "binary data (a NUL byte): not a text file", "", line, column)]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        raise InvalidFileError(
            name, [Problem(name, f"not UTF-8 text (byte 0x{bad})", "", line, column)]
        ) from None


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
