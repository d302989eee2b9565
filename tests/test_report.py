"""smtime report: a self-contained, escaped HTML page, checked in a real browser."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL, Run

Smtime = Callable[..., Run]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    MINIMAL.replace(
        "label: Alpha", "label: \"<script>alert('label')</script><img src=x onerror=alert(1)>\""
    )
    .replace("title: Test catalogue", 'title: "</title><script>alert(2)</script>"')
    .replace(
        "label: Do alpha things", 'label: "<a href=\\"javascript:alert(3)\\">click</a> & {{ 7*7 }}"'
    )
)


def test_report_is_self_contained(smtime: Smtime, tmp_path: Path) -> None:
    """One HTML file: inline CSS and SVG, no script, nothing to fetch, the language declared."""
    target = tmp_path / "report.html"
    run = smtime("report", "-H", "mid", "--rate", "55", "--lang", "fr", "-o", str(target))
    assert run.exit_code == 0, run.stderr
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<script" not in html
    assert "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"]
    assert "@page" in html
    assert "@media print" in html
    assert '<th scope="col">' in html
    assert '<svg class="chart" role="img" aria-labelledby="chart-title chart-desc"' in html
    assert html.count('class="family-bar"') == 7


def test_report_shows_figures_and_actions(smtime: Smtime) -> None:
    """The page carries the total, the cost, the hypotheses and every family's actions."""
    html = smtime(
        "report",
        "-H",
        "high",
        "--contingency",
        "10",
        "--rate",
        "50",
        "--lang",
        "en",
        "--title",
        "ACME & Co",
    ).stdout
    assert "<title>ACME &amp; Co</title>" in html
    assert "30.8" in html
    assert "€1,540.00" in html
    assert "Unplanned work" in html
    assert "For organisations that cannot do without an effective social-media flow." in html
    assert "KPIs, measurement and reporting" in html


def test_report_escapes_hostile_text(smtime: Smtime, write_catalogue: Callable[..., Path]) -> None:
    """Labels from a catalogue cannot inject markup or script into the report."""
    path = write_catalogue(HOSTILE)
    html = smtime("report", "-c", str(path), "-H", "low", "--lang", "en").stdout
    assert "<script" not in html
    assert "<img" not in html
    assert 'javascript:alert(3)">' not in html
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system (Debian's chromium package), driven by Playwright."""
    if CHROMIUM is None:
        pytest.skip("chromium is installed by .ci/run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1100, "height": 1500})
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def refuse(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, dialogs


def test_report_in_a_browser(smtime: Smtime, tmp_path: Path, browser: Any) -> None:
    """In Chromium the page renders, the chart has a bar per family, the total shows, and
    nothing is requested from the network."""
    target = tmp_path / "report.html"
    smtime(
        "report",
        "-H",
        "mid",
        "--rate",
        "55",
        "--contingency",
        "10",
        "--lang",
        "en",
        "-o",
        str(target),
    )
    page, requests, dialogs = _open(browser, target)
    assert page.title() == "Social media time budget"
    assert page.locator("html").get_attribute("lang") == "en"
    bars = page.locator("svg.chart g.family-bar rect.bar")
    assert bars.count() == 7
    assert page.locator("svg.chart rect.level").count() == 7
    widths = [float(bars.nth(i).get_attribute("width") or 0) for i in range(7)]
    assert max(widths) == widths[2]  # blogging has the widest range
    box = page.locator("svg.chart").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    total = page.locator("#estimate-table tfoot tr.total").inner_text()
    assert "Total" in total
    assert "20.9" in total
    assert page.get_by_text("€1,149.50").count() >= 1
    assert page.locator("svg.chart title").first.text_content() == "Low–high range by family"
    assert requests == [target.as_uri()]
    assert dialogs == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()


def test_hostile_report_in_a_browser(
    smtime: Smtime, write_catalogue: Callable[..., Path], tmp_path: Path, browser: Any
) -> None:
    """A hostile catalogue's report runs no script, loads nothing and shows the text as text."""
    path = write_catalogue(HOSTILE)
    target = tmp_path / "hostile.html"
    smtime("report", "-c", str(path), "-H", "low", "--lang", "en", "-o", str(target))
    page, requests, dialogs = _open(browser, target)
    assert dialogs == []
    assert requests == [target.as_uri()]
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert page.get_by_text("<script>alert('label')</script>").count() >= 1
    assert page.locator("svg.chart g.family-bar").count() == 2
    page.close()
