"""The ``smtime`` command line (see docs/architecture.md): ``app`` for Typer, ``main`` for the
console script."""

from smtime.cli.app import app, main

__all__ = ["app", "main"]
