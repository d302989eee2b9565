"""A cache of validated files, so that a catalogue already checked is not parsed again.

Validating a catalogue needs PyYAML and pydantic, whose import alone costs several times
smtime's own start-up. The validated data is kept as JSON under the user's cache folder, keyed
by a hash of the file's bytes and of the code that validates it: any change to either is a miss.
What is read back is only data: ``smtime.catalogue`` rebuilds the catalogue from it and checks
it by the domain's rules, so a cache entry can make smtime faster but never change a figure.

The cache is the user's own, as ssh treats its files: the folder is made 0700, and an entry (or
a folder) owned by someone else or writable by others is ignored.

``SMTIME_CACHE_DIR`` chooses the folder; ``SMTIME_CACHE=off`` turns the cache off. A cache that
cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from smtime import __version__
from smtime.files import MAX_FILE_BYTES

_VALIDATORS = (
    "domain.py",
    "models.py",
    "catalogue.py",
    "safeyaml.py",
    "files.py",
    "cache.py",
)


def folder() -> Path | None:
    """Where cached files live, or None when the cache is off."""
    if os.environ.get("SMTIME_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    given = os.environ.get("SMTIME_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smtime"


def key(kind: str, content: bytes) -> str:
    """A name for ``content`` validated as ``kind`` by this version of smtime's validators."""
    digest = hashlib.sha256(f"{kind}\0{__version__}\0".encode())
    here = Path(__file__).parent
    for name in _VALIDATORS:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    digest.update(b"\0")
    digest.update(content)
    return f"{kind}-{digest.hexdigest()}.json"


def trusted(info: os.stat_result) -> bool:
    """Whether a cache file or folder is the user's own: owned by them, writable by no one
    else (ssh's rule for its files)."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def get(kind: str, content: bytes) -> Any | None:
    """The validated data cached for ``content`` (plain JSON values), or None."""
    where = folder()
    if where is None:
        return None
    try:
        if not trusted(os.stat(where)):
            return None
        fd = os.open(where / key(kind, content), os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not (stat.S_ISREG(info.st_mode) and trusted(info)):
                return None
            text = handle.read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:
            return None
        envelope = json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(envelope, dict) or envelope.get("smtime") != __version__:
        return None
    return envelope.get("data")


def put(kind: str, content: bytes, data: Any) -> None:
    """Remember the validated ``data`` of ``content``; never fails."""
    where = folder()
    if where is None:
        return
    import tempfile

    temporary = None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(os.stat(where)):
            return
        text = json.dumps({"smtime": __version__, "data": data}, ensure_ascii=False)
        # a private temporary file (0600) renamed over the entry: a link planted under the
        # entry's name is replaced, never followed
        fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=where)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, where / key(kind, content))
    except BaseException as exc:  # a cache that cannot be written is a slower start next time
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if not isinstance(exc, Exception):  # a signal, Ctrl-C: the run ends, cleanly
            raise
