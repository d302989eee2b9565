"""Writing results: to stdout, or to a file atomically so a failure never leaves half a file.

- A regular file (or a new one) is written to a temporary file in its folder, renamed into
  place at the end; a symbolic link is followed, so the file it points to is replaced.
- Anything else that exists (a character or block device such as ``/dev/null``, a FIFO, a
  socket, ``/dev/stdout``) is opened and written in place: never renamed over.
- A file this process reads (see ``smtime.files``) is never written: exit 73.
- Binary data (a spreadsheet) is never written to a terminal: a usage error (exit 2).
- A failed write to standard output (``/dev/full``, closed) is an ``OutputError`` too; a
  closed pipe stays a ``BrokenPipeError`` (exit 141).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from smtime import signals
from smtime.errors import OutputError, UsageError
from smtime.files import being_read


def emit(
    text: str, target: Path | None, *, inputs: Iterable[Path] = (), if_exists: str | None = None
) -> None:
    """Write ``text`` to stdout (``target`` None or ``-``) or to ``target``, atomically
    (``if_exists``: never over an existing file, see ``atomic``)."""
    with opened(target, inputs=inputs, if_exists=if_exists) as handle:
        handle.write(text)


def emit_all(texts: Sequence[tuple[Path, str]], *, inputs: Iterable[Path] = ()) -> None:
    """Write each text to its file, as ``emit`` does, all of them or none: every file is
    written to its temporary file first, then all are put in place together, with the
    signals that end a run held until the last one is (``signals.held``)."""
    _refuse_same_files([target for target, _ in texts])
    with contextlib.ExitStack() as files:
        for target, text in texts:
            files.enter_context(atomic(target, inputs=inputs)).write(text)
        with signals.held():
            files.close()  # each file renamed into place, in turn


def _refuse_same_files(targets: Sequence[Path]) -> None:
    """An ``OutputError`` when two of ``targets`` are one file (a link to another, under any
    name): the second written would replace the first."""
    seen: dict[object, Path] = {}
    for target in targets:
        info = _stat(target)
        key = (info.st_dev, info.st_ino) if info is not None else os.path.realpath(target)
        if key in seen:
            same = seen[key]
            raise OutputError(f"{target}: the same file as {same}: one would replace the other")
        seen[key] = target


def emit_bytes(data: bytes, target: Path | None, *, what: str, inputs: Iterable[Path] = ()) -> None:
    """Write ``data`` (``what``: an .xlsx spreadsheet) as ``emit`` writes text, to the bytes
    under the text handle; never to a terminal (``refuse_terminal``), whether standard
    output or a device named as ``target`` (``/dev/tty``)."""
    refuse_terminal(target, what)
    with opened(target, inputs=inputs) as handle:
        if handle.isatty():
            raise _terminal(target, what)
        buffer = getattr(handle, "buffer", None)
        if buffer is None:
            raise OutputError(f"cannot write {what} to {target or 'standard output'}: not binary")
        handle.flush()
        buffer.write(data)
        buffer.flush()


def names_stdout(target: Path | None) -> bool:
    """Whether ``target`` means standard output: none given, or ``-`` (the one spelling;
    ``is_stdout`` also knows the other names of the file standard output is)."""
    return target is None or str(target) == "-"


def refuse_terminal(target: Path | None, what: str) -> None:
    """A ``UsageError`` when ``target`` is standard output (None or ``-``) and a terminal:
    binary data (``what``) is not for a terminal, which it could drive; checked before the
    data is made."""
    if not names_stdout(target):
        return
    try:
        terminal = sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):  # closed: the write reports it
        terminal = False
    if terminal:
        raise _terminal(None, what)


def _terminal(target: Path | None, what: str) -> UsageError:
    where = "" if names_stdout(target) else f"{target}: "
    return UsageError(
        f"{where}will not write {what} to a terminal: "
        "give --output FILE, or redirect standard output to a file"
    )


class ClosedStdout(io.TextIOBase):
    """Standard output of a process started without one (``>&-``): every write fails as a
    write to a closed file does, so that what Click or rich would drop silently there (the
    help, a table) ends the run with exit 73 like any failed write to standard output."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")


def stdout() -> TextIO:
    """``sys.stdout``, or an ``OutputError`` when the process was started without one.

    Unbuffered (``python -u``, ``PYTHONUNBUFFERED``), ``sys.stdout`` writes straight to the
    raw file, and a short write (a pipe whose reader left half-way) loses the rest of the
    text without an error; a buffered writer is put under it, which writes everything or
    raises (``BrokenPipeError`` for a closed pipe).
    """
    if sys.stdout is None or isinstance(sys.stdout, ClosedStdout):
        raise OutputError("cannot write to standard output: it is closed")
    buffer = getattr(sys.stdout, "buffer", None)
    if isinstance(buffer, io.RawIOBase) and isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.flush()
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(buffer),
            encoding=sys.stdout.encoding,
            errors=sys.stdout.errors,
            line_buffering=sys.stdout.line_buffering,
            write_through=True,
        )
    _utf8(sys.stdout)
    return sys.stdout


def _utf8(handle: TextIO) -> None:
    """Standard output in another encoding than UTF-8 (a Latin-1 locale, ``PYTHONIOENCODING``)
    would fail on the first character it lacks. Text for a pipe or a file is UTF-8, as
    ``--output`` writes it; a terminal keeps its encoding, and what it lacks is written as
    an escape, as Python writes it on stderr."""
    import codecs

    if not isinstance(handle, io.TextIOWrapper):
        return
    try:
        if codecs.lookup(handle.encoding).name == "utf-8":
            return
        if handle.isatty():
            handle.reconfigure(errors="backslashreplace")
        else:
            handle.reconfigure(encoding="utf-8", errors="strict")
    except (LookupError, ValueError, OSError):  # closed, or an encoding Python lacks
        return


def stdout_failure(exc: OSError) -> OutputError:
    """The error to report for a failed write to standard output.

    What is still buffered for stdout is dropped (stdout then points at the null device), so
    that Python's last flush at exit does not fail again and turn exit 73 into 120.
    """
    silence_stdout()
    return OutputError(f"cannot write to standard output: {exc.strerror or exc}")


def silence_stdout() -> None:
    """Point standard output at the null device (after a closed pipe or a failed write)."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def flush_stdout() -> None:
    """Flush standard output (if there is one); a failure other than a closed pipe is reported."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failure(exc) from None


_STDOUT_ERRNOS = {errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EINVAL}


@contextlib.contextmanager
def stdout_errors() -> Iterator[None]:
    """Report a failed write to standard output (``> /dev/full``) as an ``OutputError``.

    Writes to stdout happen in many places (rich tables, streamed batches); an ``OSError``
    with no file name and an errno of a failed write that reaches here came from one of them.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        if exc.filename is None and exc.errno in _STDOUT_ERRNOS:
            raise stdout_failure(exc) from None
        raise


@contextlib.contextmanager
def opened(
    target: Path | None, *, inputs: Iterable[Path] = (), if_exists: str | None = None
) -> Iterator[TextIO]:
    """stdout when ``target`` is None or ``-``, else ``atomic(target)``."""
    if target is None or names_stdout(target):
        handle = stdout()
        try:
            yield handle
            handle.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise stdout_failure(exc) from None
        return
    with atomic(target, inputs=inputs, if_exists=if_exists) as handle:
        yield handle


def refuse_inputs(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Raise an ``OutputError`` when ``target`` is a file being read."""
    for source in inputs:
        if _same_file(target, source):
            raise OutputError(f"{target}: refusing to overwrite {source}, which is being read")
    source_name = being_read(target)
    if source_name is not None:
        raise OutputError(f"{target}: refusing to overwrite {source_name}, which is being read")


def is_stdout(target: Path) -> bool:
    """Whether writing to ``target`` writes to standard output: ``-``, or a name of the file
    standard output is (``/dev/stdout``, ``/proc/self/fd/1``)."""
    if names_stdout(target):
        return True
    try:
        named, out = os.stat(target), os.fstat(1)
    except (OSError, ValueError):
        return False
    return (named.st_dev, named.st_ino) == (out.st_dev, out.st_ino)


def refuse_existing(target: Path, advice: str) -> None:
    """An ``OutputError`` when ``target`` is a file that exists (a file a command would
    create, never replace unasked); standard output (``-``), devices and FIFOs are written
    as usual. ``advice`` says how to replace it anyway."""
    if names_stdout(target):
        return
    info = _stat(target)
    if info is not None and stat.S_ISREG(info.st_mode):
        raise _exists(target, advice)


def _exists(target: Path, advice: str) -> OutputError:
    return OutputError(f"{target}: already exists; {advice}")


def check_target(target: Path, *, inputs: Iterable[Path] = ()) -> None:
    """The refusals ``atomic`` makes before it writes anything (a file being read, a folder,
    a folder that does not exist), for a command that writes several files and must refuse
    before it writes the first."""
    refuse_inputs(target, inputs)
    info = _stat(target)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{target}: is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return  # a device, FIFO or socket: written in place
    folder = _real(target).parent
    if not folder.is_dir():
        raise OutputError(f"{target}: no such folder: {folder}")


def _stat(target: Path) -> os.stat_result | None:
    try:
        return os.stat(target)
    except OSError:
        return None


def _real(target: Path) -> Path:
    """The file a symbolic link points to (replaced, never the link), else ``target``."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


@contextlib.contextmanager
def atomic(
    target: Path, *, inputs: Iterable[Path] = (), if_exists: str | None = None
) -> Iterator[TextIO]:
    """A file to write that replaces ``target`` only once everything was written.

    The text goes to a temporary file in the target's folder, which is renamed into place
    at the end, so a failure or an interruption never leaves a truncated file. Refuses to
    overwrite any of ``inputs`` or any file this process has read, checked before writing and
    again before the rename (for files read meanwhile). A target that exists but is not a
    regular file (a device, a FIFO, a socket) is written in place instead.

    With ``if_exists`` (the advice of the refusal: ``give --force to replace it``), an
    existing file is never replaced: refused before writing, and the temporary file is then
    linked into place, which fails if a file of that name appeared meanwhile (a file system
    without links: checked again, then renamed).
    """
    check_target(target, inputs=inputs)
    if if_exists is not None:
        refuse_existing(target, if_exists)
    info = _stat(target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _in_place(target) as handle:
            yield handle
        return
    real = _real(target)
    folder = real.parent
    temporary = ""
    try:
        with signals.held():  # a signal never comes between the file made and its name kept
            fd, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # Again: a file read while this one was written (a batch reads catalogues as it goes).
        refuse_inputs(target)
        signals.check()  # a signal whose exception a finaliser dropped: nothing is committed
        os.chmod(temporary, _mode_for(real))
        if if_exists is None:
            os.replace(temporary, real)
        else:
            _link_new(temporary, real, target, if_exists)
    except OSError as exc:
        _remove(temporary)
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temporary)
        raise


@contextlib.contextmanager
def _in_place(target: Path) -> Iterator[TextIO]:
    """Write to a device, FIFO or socket as it is: opened, written, closed."""
    try:
        handle = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
            handle.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _link_new(temporary: str, real: Path, target: Path, advice: str) -> None:
    """``temporary`` put in place as ``real``, a file that must not exist (``atomic``)."""
    try:
        os.link(temporary, real)
    except FileExistsError:
        _remove(temporary)
        raise _exists(target, advice) from None
    except OSError:  # no links here (a FAT or SMB share): as close as a rename allows
        refuse_existing(real, advice)
        os.replace(temporary, real)
        return
    _remove(temporary)


def _remove(path: str) -> None:
    if not path:  # no temporary file was made
        return
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
