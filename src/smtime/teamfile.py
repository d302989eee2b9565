"""Team files: the people who share the work, in YAML, read with the same care as profiles
(every problem at its line and column, all at once)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtime.errors import InvalidFileError, Problem, SmtimeError

if TYPE_CHECKING:
    from smtime.domain import Catalogue
    from smtime.plan import Window
    from smtime.team import Person


def load(path: Path, catalogue: Catalogue, default: Window) -> list[Person]:
    """The people of the team file at ``path``, their windows from their days and hours (the
    command's ``default`` where they give none), their families checked against
    ``catalogue``; ``InvalidFileError`` listing every problem."""
    from pydantic import ValidationError

    from smtime import safeyaml
    from smtime.catalogue import validation_problems
    from smtime.models import TeamSchema

    document = safeyaml.load_file(path, what="team (a YAML mapping with people)")
    try:
        team = TeamSchema.model_validate(document.data)
    except ValidationError as exc:
        raise InvalidFileError(
            document.name, validation_problems(document, exc, TeamSchema)
        ) from None
    problems: list[Problem] = []
    people = [
        _person(document, index, person, catalogue, default, problems)
        for index, person in enumerate(team.people)
    ]
    if problems:
        raise InvalidFileError(document.name, problems)
    return [p for p in people if p is not None]


def _person(
    document: Any,
    index: int,
    person: Any,
    catalogue: Catalogue,
    default: Window,
    problems: list[Problem],
) -> Person | None:
    from smtime import plan
    from smtime.core import find_family
    from smtime.team import Person

    place = ("people", index)

    def read(field: str, parse: Any, fallback: Any) -> Any:
        value = getattr(person, field)
        if value is None:
            return fallback
        try:
            return parse(value)
        except SmtimeError as exc:
            problems.append(document.problem((*place, field), exc.message))
            return fallback

    window = plan.Window(
        days=read("days", plan.parse_days, default.days),
        start=read("start", plan.parse_clock, default.start),
        end=read("end", plan.parse_clock, default.end),
        min_block=default.min_block,
    )
    try:
        window = window.checked(prefix="")
    except SmtimeError as exc:
        problems.append(document.problem(place, exc.message))
        return None
    families: dict[str, tuple[str, ...]] = {}
    for field in ("takes", "avoids"):
        ids = []
        for i, name in enumerate(getattr(person, field)):
            try:
                found = find_family(catalogue, name).id
            except SmtimeError as exc:
                problems.append(document.problem((*place, field, i), exc.message))
                continue
            ids.append(found)
            if field == "avoids" and found in families["takes"]:
                message = f"{name!r} is in takes too: a person either takes a family or avoids it"
                problems.append(document.problem((*place, field, i), message))
        families[field] = tuple(ids)
    return Person(person.name, window, families["takes"], families["avoids"], person.email)
