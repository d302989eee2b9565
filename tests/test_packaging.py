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
    out = subprocess.run(
        [str(env_dir / "bin" / "smtime"), "tasks", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    families = json.loads(out.stdout)
    assert len(families) == 7
    assert sum(f["high"] for f in families) == 28
    report = subprocess.run(
        [str(env_dir / "bin" / "smtime"), "report", "-H", "mid", "--lang", "en"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert report.stdout.count('class="family-bar"') == 7
    ics = subprocess.run(
        [str(env_dir / "bin" / "smtime"), "plan", "-f", "ics", "--tz", "UTC"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert ics.stdout.startswith("BEGIN:VCALENDAR")
