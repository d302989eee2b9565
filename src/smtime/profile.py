"""Client profiles: a named scenario in YAML, read with the same care as catalogues."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtime.errors import InvalidFileError, Problem

if TYPE_CHECKING:
    from smtime.domain import Catalogue
    from smtime.models import ProfileSchema


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile, the document it came from (for positions) and its path."""

    profile: ProfileSchema
    document: Any
    path: Path

    def catalogue_path(self) -> Path | None:
        """The profile's catalogue, relative to the profile's folder."""
        if self.profile.catalogue is None:
            return None
        from smtime.catalogue import named_path

        return named_path(self.profile.catalogue, self.path.parent)

    def problem(self, path: tuple[str | int, ...], message: str, *, key: bool = False) -> Problem:
        """A problem placed at ``path`` in the profile file."""
        located: Problem = self.document.problem(path, message, key=key)
        return located


def load(path: Path, catalogue: Path | None = None) -> LoadedProfile:
    """Read and validate a profile; raise ``InvalidFileError`` listing every problem in the
    order of the file. When the schema refuses the profile, the families and drivers it names
    are checked too, against ``catalogue`` (else the profile's own, else the default), so that
    every problem is reported in one run."""
    from pydantic import ValidationError

    from smtime import safeyaml
    from smtime.catalogue import validation_problems
    from smtime.models import ProfileSchema

    document = safeyaml.load_file(path, what="profile (a YAML mapping)")
    try:
        profile = ProfileSchema.model_validate(document.data)
    except ValidationError as exc:
        problems = validation_problems(document, exc, ProfileSchema)
        problems += _unknown_names(document, path, catalogue, problems)
        raise InvalidFileError(document.name, problems) from None
    return LoadedProfile(profile, document, path)


def _unknown_names(
    document: Any, path: Path, catalogue: Path | None, found: list[Problem]
) -> list[Problem]:
    """The families and drivers that a profile the schema refused names and its catalogue
    lacks; none when the catalogue cannot be told or read (its own problems come then)."""
    from smtime import catalogue as catalogues
    from smtime.errors import SmtimeError

    data = document.data
    if not isinstance(data, dict) or any(p.path.startswith("catalogue") for p in found):
        return []
    given = data.get("catalogue")
    if catalogue is None and isinstance(given, str):
        catalogue = catalogues.named_path(given, path.parent)
    try:
        known = catalogues.load(catalogue)
    except SmtimeError:
        return []
    return [
        document.problem(where, message, key=is_key)
        for where, message, is_key in unknown_name_problems(data, known)
    ]


def starter(filename: str, lang: str, period: str) -> str:
    """A commented starter profile in ``lang`` (its comments and its ``lang`` key), with
    ``period``, naming the file it is written to."""
    from importlib.resources import files

    from smtime.files import remember

    template = files("smtime").joinpath(f"templates/profile.{lang}.yaml")
    with template.open("rb") as handle:
        remember(handle, str(template))  # never written over, not even with --force
        text = handle.read().decode("utf-8")
    return text.format(filename=filename, lang=lang, period=period)


def unknown_name_problems(
    data: Mapping[str, Any], catalogue: Catalogue
) -> list[tuple[tuple[str | int, ...], str, bool]]:
    """(path, message, at the key?) for every family or driver that ``catalogue`` lacks, among
    those a profile's ``data`` names (as read, or validated: ``dict(profile)``); values of
    the wrong type are left to the schema."""
    from smtime.core import find_family
    from smtime.errors import UnknownFamilyError

    found: list[tuple[tuple[str | int, ...], str, bool]] = []
    named: list[tuple[tuple[str | int, ...], str, bool]] = []
    chosen = data.get("set")
    if isinstance(chosen, Mapping):
        named += [(("set", name), name, True) for name in chosen]
    for field in ("only", "exclude", "priority"):
        value = data.get(field)
        if isinstance(value, str):
            named.append(((field,), value, False))
        elif isinstance(value, list):
            named += [((field, i), name, False) for i, name in enumerate(value)]
    for where, name, is_key in named:
        if not isinstance(name, str) or not name:
            continue
        try:
            find_family(catalogue, name)
        except UnknownFamilyError as exc:
            found.append((where, exc.message, is_key))
    drivers = data.get("drivers")
    known = set(catalogue.drivers)
    for name in drivers if isinstance(drivers, Mapping) else ():
        if name not in known:
            names = ", ".join(sorted(known)) or "none: the catalogue has no drivers"
            found.append((("drivers", name), f"unknown driver {name!r} (known: {names})", True))
    return found


def check_names(loaded: LoadedProfile, catalogue: Catalogue) -> None:
    """Every family and driver the profile names exists in ``catalogue``."""
    problems = [
        loaded.problem(path, message, key=is_key)
        for path, message, is_key in unknown_name_problems(dict(loaded.profile), catalogue)
    ]
    if problems:
        raise InvalidFileError(loaded.document.name, problems)
