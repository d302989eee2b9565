"""SIGTERM and SIGHUP end smtime like an error: the stack unwinds, temporary files go.

Python's default for these signals is to die on the spot, so an interrupted write leaves its
temporary file (``.out.csv.XXXX.tmp``) behind. ``install`` turns them into a ``Terminated``
exception, raised wherever the program was; ``finally`` blocks and context managers run as
for any other error, and the CLI then exits with 128 + the signal's number (143 for SIGTERM,
129 for SIGHUP), as a shell reports a process killed by it.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType

HANDLED = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """A signal asked smtime to stop (a ``BaseException``: no ``except Exception`` stops it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as the shell reports a process a signal ended."""
        return 128 + self.signum


RECEIVED: list[int] = []
"""The signal received, once one was: remembered because Python drops an exception raised
while it runs a finaliser (``__del__``, a weak reference's callback), where the signal may
land; ``check`` raises it again before anything is committed."""


def _raise(signum: int, frame: FrameType | None) -> None:
    # Later signals while unwinding are ignored: the clean-up runs once, to its end.
    for handled in HANDLED:
        signal.signal(handled, signal.SIG_IGN)
    RECEIVED.append(signum)
    raise Terminated(signum)


def check() -> None:
    """Raise ``Terminated`` again when a signal was received (and its exception dropped)."""
    if RECEIVED:
        raise Terminated(RECEIVED[0])


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Python's report of an exception it had to drop, except ``Terminated``: that one is
    remembered (``RECEIVED``), and a person should see no traceback for it."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, Terminated):
        return
    sys.__unraisablehook__(unraisable)


def install() -> None:
    """Make SIGTERM and SIGHUP raise ``Terminated`` (only in the main thread; else no-op).

    A signal that the parent set to be ignored (``nohup``) stays ignored.
    """
    sys.unraisablehook = _unraisable
    for signum in HANDLED:
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            signal.signal(signum, _raise)
        except (ValueError, OSError):  # not the main thread, or not supported here
            return


@contextlib.contextmanager
def held() -> Iterator[None]:
    """SIGTERM, SIGHUP and SIGINT held back while the block runs, and delivered after it:
    for the renames that put several written files in place together
    (``output.emit_all``), so that a signal leaves all of them new or none, never some; and
    while a temporary file is made (``output.atomic``), so that its name is always known to
    be removed."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, (*HANDLED, signal.SIGINT))
    except (AttributeError, OSError, ValueError):  # no signal masks on this system
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
