"""Packaging: the wheel carries the catalogue and works in a fresh virtual environment."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_new_venv(tmp_path: Path) -> None:
    """A wheel built from the tree, installed in a new venv, lists the families and writes a
    report (its template is in the wheel) and a calendar."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("smtime-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "smtime/data/catalogue.yaml" in archive.namelist()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )

    def installed(*args: str) -> str:
        """What the installed smtime prints, run outside the source tree."""
        return subprocess.run(
            [str(env_dir / "bin" / "smtime"), *args],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp_path,
        ).stdout

    families = json.loads(installed("tasks", "--format", "json"))
    assert len(families) == 7
    assert sum(f["high"] for f in families) == 28
    assert installed("report", "-H", "mid", "--lang", "en").count('class="family-bar"') == 7
    assert installed("plan", "-f", "ics", "--tz", "UTC").startswith("BEGIN:VCALENDAR")
