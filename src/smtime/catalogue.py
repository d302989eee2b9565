"""Finding and reading catalogues: safe YAML, then model validation, then sense checks."""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtime.core import MAX_WEEKLY_HOURS, fold, multiplier
from smtime.errors import InvalidFileError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from smtime.models import Catalogue

ENV_VAR = "SMTIME_CATALOGUE"
"""Environment variable naming the catalogue to use when ``--catalogue`` is not given."""

BUNDLED_NAME = "catalogue.yaml"


def bundled_path() -> Path:
    """The seed catalogue shipped with smtime (inside the wheel, or in a source checkout)."""
    packaged = files("smtime") / "data" / BUNDLED_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / BUNDLED_NAME


def resolve_path(path: Path | None) -> Path:
    """The catalogue to read: the one given, else ``$SMTIME_CATALOGUE``, else the bundled one."""
    if path is not None:
        return path
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else bundled_path()


def load(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue; raise ``InvalidFileError`` listing every problem.

    The result is the validated data as records (see ``smtime.cache``), read from the cache
    when this very file was validated before.
    """
    from smtime import cache
    from smtime.files import read_bytes

    target = resolve_path(path)
    content = read_bytes(target)
    cached = cache.get("catalogue", content)
    if cached is not None:
        return typing.cast("Catalogue", cached)
    from smtime import safeyaml
    from smtime.files import decode

    name = str(target)
    document = safeyaml.parse(decode(content, name), name, what="catalogue (a YAML mapping)")
    data = validate(document).model_dump(mode="json")
    cache.put("catalogue", content, data)
    return typing.cast("Catalogue", cache.records(data))


def validate(document: Any) -> Catalogue:
    """Validate a parsed ``safeyaml.Document`` as a catalogue."""
    from pydantic import ValidationError

    from smtime.models import Catalogue

    try:
        catalogue = Catalogue.model_validate(document.data)
    except ValidationError as exc:
        problems = validation_problems(document, exc, Catalogue)
        raise InvalidFileError(document.name, problems) from None
    problems = [document.problem(path, message) for path, message in sense_checks(catalogue)]
    if problems:
        raise InvalidFileError(document.name, problems)
    return catalogue


def sense_checks(catalogue: Catalogue) -> list[tuple[tuple[str | int, ...], str]]:
    """Checks across fields: names unique after folding, drivers known, totals within a week."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    owner: dict[str, tuple[int, str]] = {}
    for index, family in enumerate(catalogue.families):
        for path, name in [(("id",), family.id)] + [
            (("aliases", n), alias) for n, alias in enumerate(family.aliases)
        ]:
            key = fold(name)
            if key in owner and owner[key][0] != index:
                other, other_name = owner[key]
                what = "id" if path == ("id",) else "alias"
                found.append(
                    (
                        ("families", index, *path),
                        f"{what} {name!r} is already used by {other_name!r} (families[{other}])",
                    )
                )
            owner.setdefault(key, (index, name))
        for n, driver in enumerate(family.per):
            if driver not in catalogue.drivers:
                known = ", ".join(catalogue.drivers) or "none: declare it under 'drivers'"
                found.append(
                    (("families", index, "per", n), f"unknown driver {driver!r} (known: {known})")
                )
    if found:
        return found
    quantities = {name: d.default for name, d in catalogue.drivers.items()}
    for hypothesis in ("low", "high"):
        total = sum(getattr(f, hypothesis) * multiplier(f, quantities) for f in catalogue.families)
        if total > MAX_WEEKLY_HOURS:
            found.append(
                (
                    ("families",),
                    f"the {hypothesis} hypothesis adds up to {total:g} hours a week, "
                    f"more than the {MAX_WEEKLY_HOURS:g} hours a week has",
                )
            )
    return found


def validation_problems(
    document: Any, exc: ValidationError, model: type[BaseModel]
) -> list[Problem]:
    """Turn pydantic's errors into problems placed on the YAML node each came from."""
    return [
        document.problem(loc, message, key=at_key) for loc, message, at_key in describe(exc, model)
    ]


def describe(
    exc: ValidationError, model: type[BaseModel]
) -> list[tuple[tuple[str | int, ...], str, bool]]:
    """(path, message for a person, is it the key that is wrong?) for each of pydantic's errors."""
    found: list[tuple[tuple[str | int, ...], str, bool]] = []
    for error in exc.errors(include_url=False):
        loc = tuple(step for step in error["loc"] if step != "[key]")
        kind = error["type"]
        if kind == "extra_forbidden" and str(loc[-1]) == "<<":
            message = "merge keys (<<) are not supported: repeat the keys, or use an alias"
            found.append((loc, message, True))
        elif kind == "extra_forbidden":
            parent, key = loc[:-1], str(loc[-1])
            known = _known_keys(model, parent)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            allowed = f"; expected one of: {', '.join(known)}" if known and not close else ""
            found.append((loc, f"unknown key {key!r}{hint}{allowed}", True))
        elif kind == "missing":
            found.append((loc, f"missing key {str(loc[-1])!r}", False))
        else:
            found.append((loc, _message(error), False))
    return found


def _message(error: Any) -> str:
    """Pydantic's message, reworded where a person needs to know what to write instead."""
    kind, value, last = error["type"], error.get("input"), error["loc"][-1] if error["loc"] else ""
    message = str(error["msg"])
    if kind in ("float_type", "float_parsing") and isinstance(value, str):
        hours, _, minutes = value.partition(":")
        if hours.isdigit() and minutes.isdigit():
            decimal = int(hours) + int(minutes) / 60
            return f"{value!r} is not a number: write hours as a decimal number ({decimal:g})"
        return f"{value!r} is not a number (write it without quotes)"
    if kind == "finite_number":
        return f"{value} is not allowed: hours must be a finite number"
    if kind == "string_type":
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return f"expected text, not {_kind(value)}" + (f' (quote it: "{value}")' if numeric else "")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), not {_kind(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), not {_kind(value)}"
    if kind == "string_pattern_mismatch" and last == "id":
        return (
            f"{value!r} is not a valid id: use lower-case letters a-z and digits, "
            "words joined by '-' or '_' (for example 'social-ads')"
        )
    if kind == "string_pattern_mismatch" and last == "[key]":
        return f"{value!r} is not a language code: use two lower-case letters (fr, en, es)"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"text of {len(value)} characters is longer than the limit of {limit}"
    if kind == "literal_error":
        return f"{value!r} is not allowed: {message.removeprefix('Input should be ')}"
    return message[0].lower() + message[1:] if message else message


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__


def _known_keys(model: type[BaseModel], path: Sequence[str | int]) -> list[str]:
    """The keys the model accepts at ``path`` (empty when the path leads to no model)."""
    from pydantic import BaseModel

    current: Any = model
    for step in path:
        if isinstance(step, int):
            current = _item_type(current)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(step)
            current = _model_in(field.annotation) if field else None
        else:
            return []
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
        return None
    return annotation if origin is list else None


def _item_type(annotation: Any) -> Any:
    if typing.get_origin(annotation) is list:
        return _model_in(typing.get_args(annotation)[0])
    return None
