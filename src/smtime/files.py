"""Reading input files: a size limit before anything is parsed, and text that must be UTF-8.

Every file smtime reads is opened here, and the identity of each one (device and inode) is
remembered for the rest of the process, so that ``smtime.output`` can refuse to write over a
file that is being read, however it was named (``--catalogue``, ``SMTIME_CATALOGUE``, a
profile's ``catalogue:``, an export, a batch file).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import IO, Any, BinaryIO

from smtime.errors import InputError, InvalidFileError, Problem, UsageError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files (and standard input) larger than this are refused before they are parsed."""

STDIN_NAME = "<stdin>"

MAX_INT_DIGITS = 4300
"""The most digits an integer of a file may have (Python's own limit on turning text into an
integer, which would otherwise fail with its own words)."""


def integer_too_long(text: str) -> str:
    """Why an integer of more than ``MAX_INT_DIGITS`` digits is not read."""
    return (
        f"number too large: an integer of {len(text):,} characters "
        f"(at most {MAX_INT_DIGITS:,} digits are read)"
    )


_READ: dict[tuple[int, int], str] = {}
"""(st_dev, st_ino) of every regular file read by this process → the name it was read as."""


def remember(handle: IO[Any] | int, name: str) -> None:
    """Record that the open file ``handle`` (or descriptor) is being read as ``name``."""
    try:
        info = os.fstat(handle if isinstance(handle, int) else handle.fileno())
    except (OSError, ValueError):
        return
    if stat.S_ISREG(info.st_mode):
        _READ.setdefault((info.st_dev, info.st_ino), name)


def being_read(target: Path) -> str | None:
    """The name under which ``target`` was read by this process, or None.

    A file read earlier and since removed may leave its inode to a new file: the entry
    counts only while the name it was read under still leads to that same file.
    """
    try:
        info = os.stat(target)
    except (OSError, ValueError):
        return None
    name = _READ.get((info.st_dev, info.st_ino))
    if name is None:
        return None
    try:
        again = os.stat(name)
    except (OSError, ValueError):
        return None
    return name if (again.st_dev, again.st_ino) == (info.st_dev, info.st_ino) else None


def forget() -> None:
    """Forget every file read so far (a new command in the same process starts afresh)."""
    _READ.clear()


def open_input(path: Path, **options: Any) -> IO[Any]:
    """``path.open(**options)`` for a file read as a stream, remembered as being read."""
    try:
        handle: IO[Any] = path.open(**options)
    except (OSError, ValueError) as exc:
        raise unreadable(str(path), exc) from None
    remember(handle, str(path))
    return handle


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a file of at most ``limit`` bytes, or raise an ``InputError`` that says why not."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            remember(handle, name)
            data = handle.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise unreadable(name, exc) from None
    return _bounded(data, name, limit)


def stdin_bytes() -> BinaryIO:
    """Standard input, as bytes; an ``InputError`` when it is closed (``<&-``)."""
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise InputError(f"{STDIN_NAME}: standard input is closed")
    return stream


def read_stdin(*, limit: int = MAX_FILE_BYTES) -> bytes:
    """Standard input, with the same limit as a file (nothing is remembered: it has no name)."""
    stream = stdin_bytes()
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= limit:
            chunk = stream.read(min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise unreadable(STDIN_NAME, exc) from None
    return _bounded(b"".join(chunks), STDIN_NAME, limit)


def read_input(path: Path, *, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """The bytes of ``path`` (standard input for ``-``) and the name to report them under."""
    if str(path) == "-":
        return read_stdin(limit=limit), STDIN_NAME
    return read_bytes(path, limit=limit), str(path)


def _bounded(data: bytes, name: str, limit: int) -> bytes:
    if len(data) > limit:
        raise InvalidFileError(
            name, [Problem(name, f"file is larger than the limit of {limit // 1024 // 1024} MiB")]
        )
    return data


def unreadable(name: str, exc: OSError | ValueError) -> InputError:
    """The error to report for a file that could not be opened or read (a ``ValueError``:
    a name with a NUL byte, which no file can have)."""
    if not isinstance(exc, OSError):
        if "\0" in name:
            return InputError(f"{name}: no such file (a file name cannot hold a NUL byte)")
        return InputError(f"{name}: cannot read: {exc}")
    if isinstance(exc, FileNotFoundError) and name == "-":  # where "-" is not standard input
        return InputError(
            "-: no such file (only an export, a batch file and --previous are read from "
            "standard input)"
        )
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory, not a file")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    return InputError(f"{name}: cannot read: {exc.strerror or exc}")


def text_encoding(name: str, option: str = "--encoding") -> str:
    """The codec ``name`` stands for (``cp1252``, ``latin-1``, ``utf-16``), or a usage error."""
    import codecs

    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            f"{option}: {name!r} is not a text encoding (such as utf-8, cp1252, latin-1 or utf-16)"
        )
    return info.name


UTF8_BOM = b"\xef\xbb\xbf"
"""The byte-order mark that starts a UTF-8 file (Excel's "CSV UTF-8" writes one)."""


def decode(data: bytes, name: str, *, encoding: str | None = None, option: str = "") -> str:
    """The text of ``data``: UTF-8 (a byte-order mark is allowed) unless ``encoding`` names
    another, refusing binary data with its position. A file that starts with UTF-8's
    byte-order mark says it is UTF-8 (Excel's "CSV UTF-8"), and is read so whatever
    ``encoding`` names. ``option`` is the command-line option that names an encoding,
    suggested when the bytes are not UTF-8."""
    if encoding is not None:
        codec = text_encoding(encoding, option or "encoding")
        if codec != "utf-8" and not data.startswith(UTF8_BOM):
            return _decode_as(data, name, codec)
    for bom, other in _OTHER_BOMS:
        if data.startswith(bom):
            message = f"{other} text: save the file as UTF-8"
            if option:
                message += f", or read it with {option} {other.lower()}"
            raise InvalidFileError(name, [Problem(name, message, "", 1, 1)])
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise InvalidFileError(
            name, [Problem(name, "binary data (a NUL byte): not a text file", "", line, column)]
        )
    skipped = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start + skipped  # in the file, byte-order mark included
        line, column = _byte_position(data, at)
        bad = data[at : at + 1].hex()
        message = f"not UTF-8 text (byte 0x{bad})"
        if option:
            message += f": name the file's encoding with {option} (such as cp1252 or latin-1)"
        raise InvalidFileError(name, [Problem(name, message, "", line, column)]) from None


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        raise InvalidFileError(
            name, [Problem(name, f"not {encoding} text (byte 0x{bad})", "", line, column)]
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        message = "binary data (a NUL character): not a text file"
        raise InvalidFileError(name, [Problem(name, message, "", line, column)])
    return text.removeprefix("\ufeff")


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
