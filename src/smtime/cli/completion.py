"""Shell completion of option values: what Typer calls while it completes an option's value.

Typer completes commands and option names by itself. ``values`` completes an option whose
value is one of an enum (hypotheses, formats, languages); the other functions complete the
family ids and aliases of the catalogue in use: the one given by ``--catalogue`` earlier on
the line, else the profile's (``--profile``), else ``$SMTIME_CATALOGUE``, else the bundled
one. Completion must never break a shell: a catalogue that cannot be read, or is not valid,
completes nothing, and nothing is written on stderr.

Each family function takes the context (its ``params`` hold the options already on the line)
and the word being completed, and returns ``(value, help)`` pairs; Typer keeps those that
start with the word. Nothing heavy is imported until completion asks for it.

Options carry these functions only when the shell asks for candidates (``asked``): Typer
inspects the signature of each one as it builds a command, which a run need not pay for.
"""

import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer

from smtime.domain import Catalogue, Hypothesis

Candidates = list[tuple[str, str]]

LEVELS = tuple(hypothesis.value for hypothesis in Hypothesis)


COMPLETE_VAR = "_SMTIME_COMPLETE"
"""Set by the completion scripts (``--install-completion``) when the shell asks for candidates."""

ASKED = COMPLETE_VAR in os.environ

Completer = TypeVar("Completer", bound=Callable[..., Any])


def asked(function: Completer) -> Completer | None:
    """``function`` in a run that the shell started to ask for candidates, else None."""
    return function if ASKED else None


def values(kind: type[StrEnum]) -> Callable[[str], list[str]]:
    """The completion of an option whose value is one of ``kind`` (a format, a language...)."""

    def complete(incomplete: str) -> list[str]:
        return [member.value for member in kind]

    return complete


def _file(value: Any) -> Path | None:
    """``value`` as the path of a regular file, else None: a FIFO or a device is never opened,
    since reading one could wait for ever."""
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_file() else None


def _catalogue(ctx: typer.Context) -> Catalogue | None:
    """The catalogue the command on the line would read, or None if it cannot be read."""
    from smtime import catalogue, request

    given = ctx.params.get("catalogue")
    loaded = None
    profile = _file(ctx.params.get("profile"))
    if given is None and profile is not None:
        from smtime import profile as profiles

        loaded = profiles.load(profile)
    path = _file(request.catalogue_path(given, loaded) or catalogue.bundled_path())
    return None if path is None else catalogue.load(path)


def _names(ctx: typer.Context) -> Candidates:
    """Each family's id and aliases, with its label (in the language asked for) as help."""
    try:
        found = _catalogue(ctx)
        if found is None:
            return []
        from smtime.i18n import localize
        from smtime.request import language

        lang = ctx.params.get("lang")
        lang = language(None if lang is None else str(lang))
        return [
            (name, localize(family.label, lang))
            for family in found.families
            for name in (family.id, *family.aliases)
        ]
    except Exception:  # a broken catalogue completes nothing, quietly
        return []


def families(ctx: typer.Context, incomplete: str) -> Candidates:
    """``--task``: family ids and aliases."""
    return _names(ctx)


def family_lists(ctx: typer.Context, incomplete: str) -> Candidates:
    """``--only``, ``--exclude`` (``ID,ID``): the list so far, then one more family not in it."""
    head, comma, _ = incomplete.rpartition(",")
    taken = set(head.split(",")) if comma else set()
    return [(head + comma + name, text) for name, text in _names(ctx) if name not in taken]


def settings(ctx: typer.Context, incomplete: str) -> Candidates:
    """``--set FAMILY=VALUE``: ``FAMILY=`` while several families match, then each level of
    the one that does (so that bash, which splits words at ``=``, gets the whole of it)."""
    name, equals, _ = incomplete.partition("=")
    names = _names(ctx)
    chosen = [(n, text) for n, text in names if n == name] if equals else []
    if not equals:
        matching = [(n, text) for n, text in names if n.startswith(name)]
        if len(matching) != 1:
            return [(f"{n}=", text) for n, text in matching]
        chosen = matching
    return [(f"{n}={level}", text) for n, text in chosen for level in LEVELS]


def mapped(ctx: typer.Context, incomplete: str) -> Candidates:
    """``--map TAG=FAMILY``: the tag is the user's; after ``=``, the families."""
    tag, equals, _ = incomplete.partition("=")
    if not equals:
        return []
    return [(f"{tag}={name}", text) for name, text in _names(ctx)]
