"""Writing results: to stdout, or to a file atomically so a failure never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from smtime.errors import OutputError


def emit(text: str, target: Path | None, *, inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` to stdout (``target`` None or ``-``) or to ``target``, atomically."""
    with opened(target, inputs=inputs) as handle:
        handle.write(text)


def write_atomic(target: Path, text: str, *, inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` to ``target`` atomically (see ``atomic``)."""
    with atomic(target, inputs=inputs) as handle:
        handle.write(text)


@contextlib.contextmanager
def opened(target: Path | None, *, inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """stdout when ``target`` is None or ``-``, else ``atomic(target)``."""
    if target is None or str(target) == "-":
        yield sys.stdout
        return
    with atomic(target, inputs=inputs) as handle:
        yield handle


@contextlib.contextmanager
def atomic(target: Path, *, inputs: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A file to write that replaces ``target`` only once everything was written.

    The text goes to a temporary file in the target's folder, which is renamed into place
    at the end, so a failure or an interruption never leaves a truncated file. Refuses to
    overwrite any of ``inputs`` (the catalogue or profile being read).
    """
    for source in inputs:
        if _same_file(target, source):
            raise OutputError(f"{target}: refusing to overwrite {source}, which is being read")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: no such folder: {folder}")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
