"""Finding and reading catalogues: safe YAML, then the schema, then the domain's checks.

``load`` gives a ``smtime.domain.Catalogue``, the same value whether the file was validated
now or read back from the cache (``smtime.cache``), which is checked by the same rules.
"""

from __future__ import annotations

import os
import re
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtime import domain
from smtime.core import closest, either, refused_name
from smtime.domain import Catalogue, catalogue_problems
from smtime.errors import InvalidFileError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

ENV_VAR = "SMTIME_CATALOGUE"
"""Environment variable naming the catalogue to use when ``--catalogue`` is not given."""

BUNDLED_NAME = "catalogue.yaml"


def bundled_path() -> Path:
    """The seed catalogue shipped with smtime (inside the wheel, or in a source checkout)."""
    packaged = Path(__file__).parent / "data" / BUNDLED_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / BUNDLED_NAME


def named_path(name: str, folder: Path) -> Path:
    """A catalogue named in a file (a profile, a batch line): ``~`` expanded, a relative path
    read from ``folder``."""
    try:
        given = Path(name).expanduser()
    except RuntimeError:  # ~user of no one: a name like any other, which no file has
        given = Path(name)
    return given if given.is_absolute() else folder / given


def chosen_path(given: Path | None) -> Path | None:
    """The catalogue named by ``given``, else by ``$SMTIME_CATALOGUE``; None for the bundled."""
    if given is not None:
        return given
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else None


def resolve_path(path: Path | None) -> Path:
    """The catalogue to read: the one given, else ``$SMTIME_CATALOGUE``, else the bundled one."""
    return chosen_path(path) or bundled_path()


def load(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue; raise ``InvalidFileError`` listing every problem.

    The validated data is kept in the cache; when this very file was validated before, the
    catalogue is rebuilt from the cache and checked again by the domain's rules.
    """
    from smtime import cache
    from smtime.files import read_bytes

    target = resolve_path(path)
    content = read_bytes(target)
    cached = _from_cache(cache.get("catalogue", content))
    if cached is not None:
        return cached
    from smtime import safeyaml
    from smtime.files import decode

    name = str(target)
    document = safeyaml.parse(decode(content, name), name, what="catalogue (a YAML mapping)")
    data = validate_data(document)
    cache.put("catalogue", content, data)
    return _build(data)


def _from_cache(data: Any) -> Catalogue | None:
    """The catalogue rebuilt from cached data, or None when the data does not make a catalogue
    that passes the domain's checks (the caller then reads the file again)."""
    if data is None:
        return None
    try:
        catalogue = _build(data)
        return None if catalogue_problems(catalogue) else catalogue
    except Exception:  # any shape the cache should not hold: read the file instead
        return None


def _build(data: Any) -> Catalogue:
    """The domain catalogue of validated catalogue data (``CatalogueSchema.model_dump``, as
    the cache also keeps it): the one way a file becomes a catalogue. Every value must have
    the type the model gives it (a ``TypeError`` otherwise): the cache holds plain JSON,
    which the domain's checks (bounds, names) take as well typed."""

    def text(value: Any) -> Any:
        return None if value is None else _localized(value)

    def hypothesis(entry: Any) -> domain.HypothesisText:
        return domain.HypothesisText(_localized(entry["label"]), _localized(entry["description"]))

    source = data["source"]
    return domain.Catalogue(
        format=_typed(data["format"], str),
        version=_typed(data["version"], str),
        unit=_typed(data["unit"], str),
        title=_localized(data["title"]),
        source=domain.Source(
            _typed(source["title"], str),
            _optional(source.get("author"), str),
            _optional(source.get("url"), str),
            _optional(source.get("language"), str),
            text(source.get("description")),
        ),
        hypotheses=domain.Hypotheses(
            hypothesis(data["hypotheses"]["low"]), hypothesis(data["hypotheses"]["high"])
        ),
        drivers={
            _typed(name, str): domain.Driver(
                _localized(d["label"]), _number(d["default"]), text(d.get("description"))
            )
            for name, d in data.get("drivers", {}).items()
        },
        families=tuple(
            domain.Family(
                _typed(f["id"], str),
                _localized(f["label"]),
                _number(f["low"]),
                _number(f["high"]),
                tuple(domain.Action(_localized(a["label"])) for a in f.get("actions", ())),
                _texts(f.get("aliases", ())),
                _texts(f.get("per", ())),
                domain.Rhythm(f.get("rhythm", "sessions")),
                _optional(f.get("priority"), int),
            )
            for f in data["families"]
        ),
    )


def _typed(value: Any, kind: type | tuple[type, ...]) -> Any:
    """``value``, when it is a ``kind`` (a bool is not a number); a ``TypeError`` otherwise."""
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{value!r} is not of the type {kind!r}")
    return value


def _optional(value: Any, kind: type) -> Any:
    return None if value is None else _typed(value, kind)


def _number(value: Any) -> float:
    return float(_typed(value, (int, float)))


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_typed(item, str) for item in _typed(value, (list, tuple)))


def _localized(value: Any) -> dict[str, str]:
    """A text in each language: a mapping of language codes to text."""
    return {_typed(code, str): _typed(text, str) for code, text in _typed(value, dict).items()}


def validate(document: Any) -> Catalogue:
    """Validate a parsed ``safeyaml.Document`` as a catalogue."""
    return _build(validate_data(document))


def validate_data(document: Any) -> Any:
    """Validate a parsed ``safeyaml.Document`` as a catalogue; its data as JSON values."""
    from pydantic import ValidationError

    from smtime.models import CatalogueSchema

    try:
        schema = CatalogueSchema.model_validate(document.data)
    except ValidationError as exc:
        problems = validation_problems(document, exc, CatalogueSchema)
        names = domain.name_problems(_names_only(document.data))
        problems += [_located(document, flaw) for flaw in names]
        raise InvalidFileError(document.name, problems) from None
    data = schema.model_dump(mode="json")
    problems = [_located(document, flaw) for flaw in catalogue_problems(_build(data))]
    if problems:
        raise InvalidFileError(document.name, problems)
    return data


def _names_only(data: Any) -> Catalogue:
    """The names of what can be read of a catalogue the schema refused (ids, aliases, labels,
    drivers), so that names shared by two families and unknown drivers are reported with the
    schema's problems rather than in a second run; the rest is left empty."""

    def texts(value: Any) -> list[str]:
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [item for item in items if isinstance(item, str)]

    def label(value: Any) -> dict[str, str]:
        if isinstance(value, str):
            return {domain.ANY_LANGUAGE: value}
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items() if isinstance(v, str)}
        return {}

    mapping = data if isinstance(data, dict) else {}
    drivers = mapping.get("drivers", {})
    declared = isinstance(drivers, dict)

    def family(entry: Any) -> domain.Family:
        if not isinstance(entry, dict):
            return domain.Family("", {}, 0.0, 0.0)
        ident = entry.get("id")
        return domain.Family(
            ident if isinstance(ident, str) else "",
            label(entry.get("label")),
            0.0,
            0.0,
            aliases=tuple(texts(entry.get("aliases"))),
            per=tuple(texts(entry.get("per"))) if declared else (),
        )

    families = mapping.get("families")
    entries = families if isinstance(families, list) else []
    none = domain.HypothesisText({}, {})
    return Catalogue(
        format="",
        version="",
        unit="",
        title={},
        source=domain.Source(""),
        hypotheses=domain.Hypotheses(none, none),
        drivers={str(name): domain.Driver({}, 0.0) for name in drivers} if declared else {},
        families=tuple(family(entry) for entry in entries),
    )


def _located(document: Any, flaw: domain.Flaw) -> Problem:
    """A domain flaw placed in the file, with the second place it involves, if any."""
    message = flaw.message
    if flaw.other is not None:
        from smtime.safeyaml import format_path

        line, column = document.locate(flaw.other)
        message += f" ({format_path(flaw.other)}, line {line}, column {column})"
    located: Problem = document.problem(flaw.place, message)
    return located


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
            close = closest(key, known)
            hint = f" (did you mean {close!r}?)" if close else ""
            allowed = f"; expected one of: {', '.join(known)}" if known and not close else ""
            found.append((loc, f"unknown key {key!r}{hint}{allowed}", True))
        elif kind == "missing":
            found.append((loc, f"missing key {str(loc[-1])!r}", False))
        else:
            found.append((loc, _message(error), False))
    return found


def _message(error: Any) -> str:
    """A message for a person made of one of pydantic's errors: the value, and what to write
    instead; none of pydantic's own wording."""
    kind, value, last = error["type"], error.get("input"), error["loc"][-1] if error["loc"] else ""
    context = error.get("ctx") or {}
    if kind in ("float_type", "float_parsing") and isinstance(value, str):
        return _not_a_number(value)
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, not {_kind(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, not {_kind(value)}"
    if kind in _LIMITS:
        return f"must be {_LIMITS[kind]} {next(iter(context.values()), '')}, not {value}"
    if kind == "string_type":
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return f"expected text, not {_kind(value)}" + (f' (quote it: "{value}")' if numeric else "")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), not {_kind(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), not {_kind(value)}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(value, str(context.get("pattern", "")), last)
    if kind == "string_too_short":
        return "empty text: write some, or leave the key out"
    if kind == "string_too_long":
        limit = context.get("max_length")
        return f"text of {len(value)} characters is longer than the limit of {limit}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "too_long":
        limit = context.get("max_length")
        return f"{_kind(value)} of {len(value):,} items is longer than the limit of {limit:,}"
    if kind == "literal_error":
        accepted = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        if isinstance(value, str):
            return refused_name(value, accepted)
        return f"expected {either(accepted)}, not {_kind(value)}"
    if kind in _OWN_MESSAGES or kind not in _PYDANTIC_KINDS:
        return str(error["msg"])  # smtime's own message (a PydanticCustomError)
    return f"{_kind(value)} is not accepted here"


_LIMITS = {
    "greater_than_equal": "at least",
    "less_than_equal": "at most",
    "greater_than": "above",
    "less_than": "below",
}
"""Bounds that pydantic checks itself (a family's priority), in words."""
_OWN_MESSAGES = frozenset(
    ("refused", "choice", "currency", "named_twice", "both", "low_above_high", "localized_text")
)
"""The kinds of error smtime raises itself, with its own words."""
_PYDANTIC_KINDS = frozenset(
    (
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "finite_number",
        "bool_type",
        "bool_parsing",
        "too_long",
        "union_tag_invalid",
        "is_instance_of",
    )
)
"""Kinds of pydantic's errors with no message of smtime's own: a plain one is made up."""


def _not_a_number(value: str) -> str:
    """Why text is not a number where a catalogue needs one, and what to write instead."""
    hours, _, minutes = value.partition(":")
    if hours.isdigit() and minutes.isdigit():
        decimal = int(hours) + int(minutes) / 60
        return f"{value!r} is not a number: write hours as a decimal number ({decimal:g})"
    try:
        number = domain.read_number(value)
    except domain.NotANumber:
        return f"{value!r} is not a number"
    except domain.OutOfBounds as exc:
        return str(exc)
    if "," in value:
        return f"{value!r} is text here: write the number with a decimal point ({number:.15g})"
    return f"{value!r} is not a number (write it without quotes)"


def _pattern_message(value: Any, pattern: str, last: Any) -> str:
    """What text that does not match ``pattern`` should look like."""
    if domain.CURRENCY in pattern:
        return f"{value!r} is not an ISO 4217 currency code: write three capitals, such as EUR"
    if domain.SLUG in pattern:
        what = "a valid id" if last == "id" else "a valid name"
        return (
            f"{value!r} is not {what}: use lower-case letters a-z and digits, "
            "words joined by '-' or '_' (for example 'social-ads')"
        )
    return f"{value!r} is not a language code: use two lower-case letters (fr, en, es)"


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
