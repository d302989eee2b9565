"""Shared fixtures: a pinned terminal, a clean locale, and helpers to run the CLI."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smtime.cli import app

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = Path(__file__).parent / "catalogues"


def pytest_configure(config: pytest.Config) -> None:
    """Tests never touch the user's cache: modules that load catalogues at import use this one."""
    os.environ["SMTIME_CACHE_DIR"] = tempfile.mkdtemp(prefix="smtime-test-cache-")


@pytest.fixture(autouse=True)
def _pinned_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every test sees the same terminal width, no colour, no locale and its own cache."""
    monkeypatch.setenv("SMTIME_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("SMTIME_CACHE", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "SMTIME_CATALOGUE"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Run:
    """What one CLI call printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def smtime() -> Callable[..., Run]:
    """Run the CLI in-process and return its exit code, stdout and stderr."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        result = runner.invoke(app, list(args), env=env)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write_catalogue(tmp_path: Path) -> Callable[..., Path]:
    """Write a catalogue file from YAML text and return its path."""

    def write(text: str, name: str = "catalogue.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def conforming(data: Any, contract: str) -> Any:
    """``data``, after checking it against docs/schema/CONTRACT.schema.json."""
    import jsonschema

    schema = json.loads((ROOT / "docs" / "schema" / f"{contract}.schema.json").read_text())
    jsonschema.validate(data, schema)
    return data


def json_of(run: Run, contract: str) -> Any:
    """The JSON a successful run printed, checked against its schema in docs/schema."""
    assert run.exit_code == 0, run.stderr
    return conforming(run.json(), contract)


MINIMAL = """\
format: smtime-catalogue/1
version: "1"
unit: hours/week
title: Test catalogue
source:
  title: Tests
hypotheses:
  low: {label: Low, description: The low one}
  high: {label: High, description: The high one}
families:
  - id: alpha
    label: Alpha
    low: 1
    high: 3
    actions:
      - label: Do alpha things
  - id: beta
    label: {fr: Bêta, en: Beta}
    low: 0.5
    high: 2
"""
