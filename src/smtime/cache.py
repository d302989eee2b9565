"""A cache of validated files, so that a catalogue already checked is not parsed again.

Validating a catalogue needs PyYAML and pydantic, whose import alone costs several times
smtime's own start-up. The validated data is kept as JSON under the user's cache folder, keyed
by a hash of the file's bytes and of the code that validates it: any change to either is a miss.
Records read back from the cache are plain dicts whose keys also read as attributes, the same
shape that ``Model.model_dump()`` gives, so the core sees the same data either way.

``SMTIME_CACHE_DIR`` chooses the folder; ``SMTIME_CACHE=off`` turns the cache off. A cache that
cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from smtime import __version__

_VALIDATORS = ("models.py", "catalogue.py", "safeyaml.py", "files.py", "cache.py")


class Record(dict[str, Any]):
    """A validated mapping whose keys also read as attributes: ``family.low``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def records(data: Any) -> Any:
    """``data`` with every mapping turned into a ``Record``."""
    return json.loads(json.dumps(data), object_hook=Record)


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


def get(kind: str, content: bytes) -> Any | None:
    """The validated data cached for ``content``, as records, or None."""
    where = folder()
    if where is None:
        return None
    try:
        text = (where / key(kind, content)).read_text(encoding="utf-8")
        envelope = json.loads(text, object_hook=Record)
    except (OSError, ValueError):
        return None
    if not isinstance(envelope, dict) or envelope.get("smtime") != __version__:
        return None
    return envelope.get("data")


def put(kind: str, content: bytes, data: Any) -> None:
    """Remember the validated ``data`` of ``content``; never fails."""
    where = folder()
    if where is None:
        return
    from smtime.output import write_atomic

    try:
        where.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"smtime": __version__, "data": data}, ensure_ascii=False)
        write_atomic(where / key(kind, content), text)
    except Exception:  # a cache that cannot be written is only a slower start next time
        return
