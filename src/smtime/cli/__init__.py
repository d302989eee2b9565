"""The ``smtime`` command line (see docs/architecture.md): ``main`` for the console script;
``app``, the whole Typer app, built when first asked for (tests, the reference)."""

from typing import TYPE_CHECKING, Any

from smtime.cli.program import main

if TYPE_CHECKING:
    import typer

    app: typer.Typer

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from smtime.cli.program import whole

        return whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # Typer's own CLI (``typer smtime.cli run``) looks for ``app`` among the module's names.
    return sorted([*globals(), "app"])
