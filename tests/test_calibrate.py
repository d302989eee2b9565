"""smtime calibrate: ranges learnt from tracked weeks (docs/calibrate.md).

The Timewarrior fixture ``trackers/timewarrior-weeks.json`` was made by timew itself: each
interval entered with ``timew track START - END TAGS`` in an empty database (TZ=UTC), then
``timew export``. It tracks Thursday 1 October 2026 (a partial week), then Monday 5 October
to Friday 13 November: six complete weeks, 2026-W41 to 2026-W46. By week, in hours:

    family         W41  W42  W43  W44  W45  W46
    veille         2    3    2.5  4    1    2      (W41/W42: 1 h each of a Sunday-night interval)
    communication  1.5  0    2    0    1    0
    blogging       0    4    0    3.5  0    0.75   (W42 tagged blogging and client-a)
    analyse        1    1    1    1.5  1    1
    strategie      1    0    0    0    0    0      (tagged Stratégie: found by its label)
    unmapped       -    2 (newsletter)  0.5 (no tag)
    total          5.5  8    5.5  9    3    3.75

With n = 6 weeks, the p-th percentile is at rank h = 5·p/100 of the sorted values, linear
between ranks: P20 at rank 1, P80 at rank 4. veille sorted 1, 2, 2, 2.5, 3, 4 → 2 and 3;
communication 0, 0, 0, 1, 1.5, 2 → 0 and 1.5; blogging 0, 0, 0, 0.75, 3.5, 4 → 0 and 3.5;
analyse 1 (×5), 1.5 → 1 and 1; strategie 0 (×5), 1 → 0 and 0. Totals sorted 3, 3.75, 5.5,
5.5, 8, 9: P10 (rank 0.5) 3.375, P50 (rank 2.5) 5.5, P90 (rank 4.5) 8.5.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from smtime import calibration, safeyaml
from smtime.calibration import STEP, complete_weeks, percentile
from smtime.catalogue import load, validate
from smtime.domain import Entry, to_step
from smtime.render.calibration import catalogue_data, catalogue_text, catalogue_yaml
from tests.conftest import MINIMAL, Run, json_of

Smtime = Callable[..., Run]
TRACKERS = Path(__file__).parent / "trackers"
WEEKS = TRACKERS / "timewarrior-weeks.json"
FIXED = ("--tz", "UTC", "--now", "2026-12-01T00:00:00Z")

HAND_WORKED = {
    "veille": {"low": 2, "high": 3},
    "acquisition": None,
    "blogging": {"low": 0, "high": 3.5},
    "curation": None,
    "communication": {"low": 0, "high": 1.5},
    "analyse": {"low": 1, "high": 1},
    "strategie": {"low": 0, "high": 0},
}


def test_real_timewarrior_export_gives_the_hand_worked_ranges(smtime: Smtime) -> None:
    """The six complete weeks give each family its 20th and 80th percentiles, the partial
    week is left out, and the weekly totals' spread is P10 3.375, P50 5.5, P90 8.5."""
    data = json_of(smtime("calibrate", str(WEEKS), *FIXED, "-f", "json"), "calibration")
    assert {f["id"]: f["calibrated"] for f in data["families"]} == HAND_WORKED
    assert data["weeks"]["complete"] == [f"2026-W{n}" for n in range(41, 47)]
    assert data["weeks"]["partial"] == ["2026-W40"]
    assert data["left_out_hours"] == 1.5
    assert data["weeks"]["first_day"] == "2026-10-01"
    assert data["weeks"]["last_day"] == "2026-11-13"
    assert data["total"]["weekly"] == {"p10": 3.375, "p50": 5.5, "p90": 8.5}
    assert data["total"]["base"] == {"low": 10, "high": 28}
    # acquisition and curation, without time, keep 2–4 and 1–4
    assert data["total"]["calibrated"] == {
        "low": 2 + 2 + 0 + 1 + 0 + 1 + 0,
        "high": 3 + 4 + 3.5 + 4 + 1.5 + 1 + 0,
    }
    assert data["unmapped"] == {"hours": 2.5, "names": {"newsletter": 2, "(no tag)": 0.5}}
    tracked = {f["id"]: (f["tracked_hours"], f["weeks_with_time"]) for f in data["families"]}
    assert tracked["veille"] == (14.5, 6)
    assert tracked["strategie"] == (1, 1)
    assert tracked["curation"] == (0, 0)
    assert data["source"] == {"file": "timewarrior-weeks.json", "tracker": "timewarrior"}


def test_other_quantiles(smtime: Smtime) -> None:
    """--quantiles 0,100 gives each family the least and the greatest week."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "-f", "json", "--quantiles", "0,100")
    data = json_of(run, "calibration")
    ranges = {f["id"]: f["calibrated"] for f in data["families"]}
    assert ranges["veille"] == {"low": 1, "high": 4}
    assert ranges["blogging"] == {"low": 0, "high": 4}
    assert data["quantiles"] == [0, 100]


def test_written_catalogue_validates_and_estimates(smtime: Smtime, tmp_path: Path) -> None:
    """The catalogue written with --save validates, keeps the base's ids, labels and actions,
    and estimates with the calibrated ranges."""
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(WEEKS), *FIXED, "--save", str(out))
    assert run.exit_code == 0, run.stderr
    assert "2026-W41" in run.stdout  # the side-by-side view is shown as well
    checked = smtime("catalogue", "validate", str(out))
    assert checked.exit_code == 0, checked.stderr
    base, ours = load(None), load(out)
    assert [f.id for f in ours.families] == [f.id for f in base.families]
    for before, after in zip(base.families, ours.families, strict=True):
        assert (after.label, after.actions, after.rhythm) == (
            before.label,
            before.actions,
            before.rhythm,
        )
        expected = HAND_WORKED[after.id] or {"low": before.low, "high": before.high}
        assert (after.low, after.high) == (expected["low"], expected["high"])
    low = json_of(
        smtime("estimate", "--catalogue", str(out), "-H", "low", "-f", "json"), "estimate"
    )
    high = smtime("estimate", "--catalogue", str(out), "-H", "high", "-f", "json").json()
    assert (low["total"]["hours"], high["total"]["hours"]) == (6, 17)


def test_provenance_is_in_the_catalogue(smtime: Smtime) -> None:
    """The catalogue says where its ranges come from, as data and as comments."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "-f", "yaml")
    assert run.exit_code == 0, run.stderr
    data = yaml.safe_load(run.stdout)
    from smtime import __version__

    assert data["calibration"] == {
        "source": "timewarrior-weeks.json",
        "tracker": "timewarrior",
        "first_week": "2026-W41",
        "last_week": "2026-W46",
        "weeks": 6,
        "partial_weeks": ["2026-W40"],
        "quantiles": [20, 80],
        "step": 0.25,
        "smtime": __version__,
        "unmapped_hours": 2.5,
        "not_calibrated": ["acquisition", "curation"],
    }
    assert data["version"] == "calibrated-2026-W41-2026-W46"
    assert data["source"]["title"] == "Tracked time: timewarrior-weeks.json, 2026-W41 to 2026-W46"
    comments = [line for line in run.stdout.splitlines() if line.startswith("#")]
    text = "\n".join(comments)
    assert "20th and 80th percentiles" in text
    assert "left out as partial: 2026-W40" in text
    assert "curation" in text
    assert "not calibrated" in text
    assert "Time that mapped to no family: 2.5 h" in text


def test_hostile_file_name_stays_in_its_comment(smtime: Smtime, tmp_path: Path) -> None:
    """A file name with a line break, U+2028 or a YAML key cannot break out of a comment."""
    name = "x\nformat: evil\u2028families: []\u2029\u0085 #.json"
    path = tmp_path / name
    path.write_bytes(WEEKS.read_bytes())
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(path), *FIXED, "--save", str(out))
    assert run.exit_code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    for line in text.splitlines():
        assert "\u2028" not in line or not line.startswith("#")
    assert smtime("catalogue", "validate", str(out)).exit_code == 0
    assert yaml.safe_load(text)["calibration"]["source"] == name


def test_every_week_without_a_family_counts_as_zero() -> None:
    """A family tracked in one week out of five: its 20th–80th percentiles are 0–0 until
    the 100th (its one week)."""
    monday = datetime(2026, 10, 5, 9, tzinfo=UTC)
    entries = [Entry(monday + timedelta(weeks=w), 2.0, ("veille",)) for w in range(5)]
    entries.append(Entry(monday + timedelta(weeks=2), 3.0, ("blogging",)))
    entries.append(Entry(monday + timedelta(weeks=4, days=4), 1.0, ("veille",)))  # a Friday
    result = calibration.calibrate(
        entries,
        catalogue=load(None),
        mapping={},
        zone=UTC,
        now=datetime(2026, 12, 1, tzinfo=UTC),
        quantiles=(20, 100),
        source="test.csv",
        tracker="csv",
    )
    blogging = next(f for f in result.families if f.id == "blogging")
    assert blogging.calibrated is not None
    assert (blogging.calibrated.low, blogging.calibrated.high) == (0, 3)
    assert blogging.weeks == 1
    veille = next(f for f in result.families if f.id == "veille")
    assert veille.calibrated is not None
    assert (veille.calibrated.low, veille.calibrated.high) == (2, 3)


@pytest.mark.parametrize(
    ("first", "last", "today", "complete", "partial"),
    [
        # Monday to Friday, over: every week complete
        (date(2026, 10, 5), date(2026, 10, 23), date(2026, 12, 1), (41, 42, 43), ()),
        # begun on a Tuesday, ended on a Thursday: the first and last weeks are partial
        (date(2026, 10, 6), date(2026, 10, 22), date(2026, 12, 1), (42,), (41, 43)),
        # the last week is not over yet (today is its Sunday)
        (date(2026, 10, 5), date(2026, 10, 23), date(2026, 10, 25), (41, 42), (43,)),
        # one week, Monday to Sunday
        (date(2026, 10, 5), date(2026, 10, 11), date(2026, 10, 12), (41,), ()),
        # across a new year: 2026-W53 exists
        (date(2026, 12, 21), date(2027, 1, 8), date(2027, 2, 1), (52, 53, 1), ()),
    ],
)
def test_complete_weeks(
    first: date, last: date, today: date, complete: tuple[int, ...], partial: tuple[int, ...]
) -> None:
    """The first week counts when tracking began on its Monday, the last when it went on to
    its Friday or later and the week is over."""
    weeks, left_out = complete_weeks(first, last, today)
    assert [int(w[-2:]) for w in weeks] == list(complete)
    assert [int(w[-2:]) for w in left_out] == list(partial)


def test_percentiles_by_hand() -> None:
    """Linear between the closest ranks, as Excel's PERCENTILE.INC."""
    values = [0, 2, 3, 5, 10]
    assert percentile(values, 20) == pytest.approx(1.6)  # rank 0.8: 0 + 0.8 × 2
    assert percentile(values, 80) == pytest.approx(6.0)  # rank 3.2: 5 + 0.2 × 5
    assert percentile(values, 50) == 3
    assert percentile(values, 0) == 0
    assert percentile(values, 100) == 10
    assert percentile([4.5], 37) == 4.5


@given(st.lists(st.floats(0, 168), min_size=2, max_size=30), st.integers(1, 99))
def test_percentile_is_the_standard_librarys(values: list[float], p: int) -> None:
    """The percentile is statistics.quantiles' inclusive method, within the values."""
    got = percentile(values, p)
    assert got == statistics.quantiles(values, n=100, method="inclusive")[p - 1]
    assert min(values) - 1e-9 <= got <= max(values) + 1e-9


@pytest.mark.parametrize(
    ("hours", "rounded"),
    [(1.6, 1.5), (1.125, 1.25), (0.375, 0.5), (0.1 + 0.2 + 0.075, 0.5), (0.12, 0), (7, 7)],
)
def test_quarter_hours_round_half_up(hours: float, rounded: float) -> None:
    """To the nearest quarter hour, halves up, even after sums of floats."""
    assert to_step(hours, STEP) == rounded


def test_too_few_weeks_is_refused_with_the_count(smtime: Smtime) -> None:
    """Fewer complete weeks than --min-weeks: exit 65, how many there are and which were
    left out."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "--min-weeks", "7")
    assert run.exit_code == 65
    assert run.stderr.strip().endswith(
        f"{WEEKS}: the export holds 6 complete ISO weeks (2026-W41 to 2026-W46); "
        "left out as partial: 2026-W40: calibrating needs at least 7 (--min-weeks sets how many)"
    )


def test_an_export_of_one_partial_week_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """Two days of tracking: no complete week at all."""
    path = tmp_path / "short.csv"
    path.write_text("date,task,hours\n2026-10-06,veille,2\n2026-10-07,blogging,1\n")
    run = smtime("calibrate", str(path), *FIXED)
    assert run.exit_code == 65
    assert "no complete ISO week; left out as partial: 2026-W41" in run.stderr
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quantiles", "80,20"), "the low percentile must be below the high one"),
        (("--quantiles", "20"), "is not two whole percentiles such as 20,80"),
        (("--quantiles", "20,101"), "--quantiles must be a whole number from 0 to 100, not 101"),
        (("--quantiles", "12.5,80"), "--quantiles: '12.5' is not a whole percentile"),
        (("--quantiles", "\u00b2,80"), "--quantiles: '\u00b2' is not a number"),
        (("--quantiles", "1" * 5000 + ",80"), "from 0 to 100, not 11111111111111111111…"),
        (("--min-weeks", "1"), "--min-weeks: 1 is too few"),
        (("--map", "newsletter=nothing"), "unknown family 'nothing'"),
    ],
)
def test_bad_options_are_usage_errors(smtime: Smtime, args: tuple[str, ...], message: str) -> None:
    """Each bad option is one line on stderr and exit 2."""
    run = smtime("calibrate", str(WEEKS), *FIXED, *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_percent_signs_are_accepted(smtime: Smtime) -> None:
    """--quantiles 20%,80% reads as 20,80."""
    plain = smtime("calibrate", str(WEEKS), *FIXED, "-f", "json").json()
    signed = smtime("calibrate", str(WEEKS), *FIXED, "-f", "json", "-q", "20%, 80%").json()
    assert plain == signed


def test_map_sends_unmapped_time_to_a_family(smtime: Smtime) -> None:
    """--map newsletter=blogging: its 2 h join blogging's week W42 (4 + 2 = 6)."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "-f", "json", "-m", "newsletter=blogging")
    data = json_of(run, "calibration")
    blogging = next(f for f in data["families"] if f["id"] == "blogging")
    assert blogging["tracked_hours"] == 4 + 2 + 3.5 + 0.75
    assert data["unmapped"] == {"hours": 0.5, "names": {"(no tag)": 0.5}}


def test_save_never_replaces_the_export(smtime: Smtime, tmp_path: Path) -> None:
    """--save naming the export is refused, and the export is left as it was."""
    path = tmp_path / "export.json"
    path.write_bytes(WEEKS.read_bytes())
    run = smtime("calibrate", str(path), *FIXED, "--save", str(path))
    assert run.exit_code == 73
    assert path.read_bytes() == WEEKS.read_bytes()


def test_save_and_output_on_one_file_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(WEEKS), *FIXED, "--save", str(out), "-o", str(out))
    assert run.exit_code == 2
    assert "--save and --output name the same file" in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("bad", ["no-such-folder/view.json", "folder", "export"])
def test_save_is_not_written_when_the_output_is_refused(
    smtime: Smtime, tmp_path: Path, bad: str
) -> None:
    """--save and --output are checked before either is written: an output in a missing
    folder, a folder, or the export itself leaves no calibrated catalogue behind."""
    export = tmp_path / "export.json"
    export.write_bytes(WEEKS.read_bytes())
    (tmp_path / "folder").mkdir()
    saved = tmp_path / "ours.yaml"
    output = export if bad == "export" else tmp_path / bad
    run = smtime(
        "calibrate", str(export), *FIXED, "-s", str(saved), "-f", "json", "-o", str(output)
    )
    assert run.exit_code == 73, run.stderr
    assert run.stderr.count("\n") == 1
    assert str(output) in run.stderr
    assert not saved.exists()
    assert export.read_bytes() == WEEKS.read_bytes()


@pytest.mark.parametrize("view", ["closed", "full", "dev-stdout"])
def test_save_is_not_written_when_the_view_cannot_be(tmp_path: Path, view: str) -> None:
    """The view is written before --save: a standard output that is closed or full (known
    only when written) leaves no catalogue; --save naming standard output (/dev/stdout, as
    -) is refused before anything is written."""
    import subprocess
    import sys

    saved = tmp_path / "ours.yaml"
    args = [sys.executable, "-m", "smtime", "calibrate", str(WEEKS), *FIXED]
    if view == "dev-stdout":
        run = subprocess.run(
            [*args, "--save", "/dev/stdout"], capture_output=True, text=True, check=False
        )
        assert run.returncode == 2
        assert run.stdout == ""
        assert "--save /dev/stdout: the view goes to standard output too" in run.stderr
        return
    if view == "closed":  # a child cannot be started without fd 1 but by a shell
        run = subprocess.run(
            ["bash", "-c", '"$@" >&-', "-", *args, "--save", str(saved)],
            capture_output=True,
            text=True,
            check=False,
        )
    else:
        with open("/dev/full", "w") as full:
            run = subprocess.run(
                [*args, "--save", str(saved)],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
    assert run.returncode == 73, run.stderr
    assert "cannot write to standard output" in run.stderr
    assert not saved.exists()


def test_standard_input(smtime: Smtime, tmp_path: Path) -> None:
    """An export read from standard input calibrates, named <stdin>."""
    from typer.testing import CliRunner

    from smtime.cli import app

    result = CliRunner().invoke(
        app, ["calibrate", "-", *FIXED, "-f", "json"], input=WEEKS.read_text()
    )
    assert result.exit_code == 0, result.stderr
    assert json_of(Run(0, result.stdout, ""), "calibration")["source"]["file"] == "<stdin>"


DRIVEN = """\
format: smtime-catalogue/1
version: "1"
unit: hours/week
title: Driven
source: {title: Tests}
hypotheses:
  low: {label: Low, description: The low one}
  high: {label: High, description: The high one}
drivers:
  networks: {label: Networks, default: 2}
families:
  - id: posting
    label: Posting
    per: networks
    low: 1
    high: 2
  - id: replies
    label: Replies
    low: 1
    high: 3
"""


def test_hours_per_unit_of_a_driver(smtime: Smtime, tmp_path: Path) -> None:
    """A family multiplied by a driver is calibrated per unit at the driver's default: 4 h
    a week with 2 networks is 2 h a network, and the estimate gives back 4 h."""
    catalogue = tmp_path / "driven.yaml"
    catalogue.write_text(DRIVEN)
    export = tmp_path / "export.csv"
    days = [date(2026, 10, 5) + timedelta(weeks=w) for w in range(4)]
    export.write_text(
        "date,task,hours\n"
        + "".join(f"{d},posting,4\n{d + timedelta(days=4)},replies,1.5\n" for d in days)
    )
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(export), "-c", str(catalogue), *FIXED, "--save", str(out))
    assert run.exit_code == 0, run.stderr
    posting = next(f for f in load(out).families if f.id == "posting")
    assert (posting.low, posting.high, posting.per) == (2, 2, ("networks",))
    estimate = smtime("estimate", "-c", str(out), "-H", "low", "-f", "json").json()
    assert estimate["total"]["hours"] == 4 + 1.5


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "* Hours per unit of their drivers, not per week: Posting."),
        ("fr", "* Heures par unité de leurs inducteurs, non par semaine\u202f: Posting."),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_view_says_which_ranges_are_per_unit(
    smtime: Smtime, tmp_path: Path, lang: str, note: str, fmt: str
) -> None:
    """Under "h/week", a family multiplied by a driver shows hours per unit: its label is
    marked, and a note under the view says so; a family without drivers is not marked."""
    catalogue = tmp_path / "driven.yaml"
    catalogue.write_text(DRIVEN)
    export = _driven_export(tmp_path)
    run = smtime("calibrate", str(export), "-c", str(catalogue), *FIXED, "-l", lang, "-f", fmt)
    assert run.exit_code == 0, run.stderr
    # a table folds its lines; Markdown escapes the mark, which it would read as emphasis
    folded = " ".join(line.strip(" ") for line in run.stdout.splitlines())
    text = folded if fmt == "table" else run.stdout.replace("\\*", "*")
    assert note in text
    assert "Posting *" in text
    assert "Replies *" not in text


def test_hours_per_unit_are_not_rounded_away(smtime: Smtime, tmp_path: Path) -> None:
    """With a driver's default of 1,000, 30 to 33 h a week of posting are some 0.03 h a unit:
    the weekly hours are rounded to the quarter hour before the division, not the hours per
    unit after it (which made them 0), so that the estimate at the defaults gives back the
    weekly percentiles, 30.5 and 32.5 h."""
    catalogue = tmp_path / "driven.yaml"
    catalogue.write_text(DRIVEN.replace("default: 2", "default: 1000"))
    export = tmp_path / "export.csv"
    days = [date(2026, 10, 5) + timedelta(weeks=w) for w in range(4)]
    export.write_text(
        "date,task,hours\n"
        + "".join(
            f"{d},posting,{30 + w}\n{d + timedelta(days=4)},replies,1.5\n"
            for w, d in enumerate(days)
        )
    )
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(export), "-c", str(catalogue), *FIXED, "--save", str(out))
    assert run.exit_code == 0, run.stderr
    low = smtime("estimate", "-c", str(out), "-H", "low", "-f", "json").json()
    high = smtime("estimate", "-c", str(out), "-H", "high", "-f", "json").json()
    assert (low["total"]["hours"], high["total"]["hours"]) == (30.5 + 1.5, 32.5 + 1.5)


def _driven_export(tmp_path: Path) -> Path:
    export = tmp_path / "export.csv"
    days = [date(2026, 10, 5) + timedelta(weeks=w) for w in range(4)]
    export.write_text(
        "date,task,hours\n"
        + "".join(f"{d},posting,30\n{d + timedelta(days=4)},replies,1.5\n" for d in days)
    )
    return export


def test_a_driver_default_of_zero_is_not_said_to_be_no_time(smtime: Smtime, tmp_path: Path) -> None:
    """A family whose driver defaults to 0 has 120 h tracked but no hours per unit to learn:
    the view and the catalogue's comments must not say it had no time tracked."""
    catalogue = tmp_path / "driven.yaml"
    catalogue.write_text(DRIVEN.replace("default: 2", "default: 0"))
    export = _driven_export(tmp_path)
    run = smtime("calibrate", str(export), "-c", str(catalogue), *FIXED)
    assert run.exit_code == 0, run.stderr
    assert "(no time tracked): Posting" not in " ".join(run.stdout.split())
    written = smtime("calibrate", str(export), "-c", str(catalogue), *FIXED, "-f", "yaml")
    posting = next(line for line in written.stdout.splitlines() if line.startswith("#   posting"))
    assert "no time tracked" not in posting


def test_hours_per_unit_beyond_the_catalogue_bound(smtime: Smtime, tmp_path: Path) -> None:
    """A driver's default of 0.00001 makes 30 h a week 3,000,000 h a unit, beyond the
    1,000,000 a catalogue holds: calibrate must not write a catalogue that fails
    'catalogue validate' (it may refuse, or keep the family's range, and say why)."""
    catalogue = tmp_path / "driven.yaml"
    catalogue.write_text(DRIVEN.replace("default: 2", "default: 0.00001"))
    out = tmp_path / "ours.yaml"
    run = smtime(
        "calibrate", str(_driven_export(tmp_path)), "-c", str(catalogue), *FIXED, "-s", str(out)
    )
    assert run.exit_code in (0, 65), run.stderr
    if run.exit_code == 0:
        checked = smtime("catalogue", "validate", str(out))
        assert checked.exit_code == 0, checked.stderr


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_view_fits_and_is_in_the_language(smtime: Smtime, lang: str, width: int) -> None:
    """The table and its notes fit the terminal and speak the language."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "--lang", lang, env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= width
    words = {
        "fr": ("Calibré sur 6 semaines complètes", "Totaux hebdomadaires réels", "3,38"),
        "en": ("Calibrated on 6 complete weeks", "Real weekly totals", "3.38"),
        "es": ("Calibrado con 6 semanas completas", "Totales semanales reales", "3,38"),
    }[lang]
    flat = " ".join(run.stdout.split())
    for word in words:
        assert word in flat


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
def test_markdown(smtime: Smtime, lang: str) -> None:
    """A GFM table of every family and the total, then the notes."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "--lang", lang, "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + 7 + 1  # header and its rule, families, total
    assert rows[2].split("|")[2:4] == [" 2–4 ", " 2–3 "]
    assert "P90 8,5 h" in run.stdout or "P90 8.5 h" in run.stdout


def _catalogue(text: str) -> Any:
    return validate(safeyaml.parse(text, "test", what="catalogue"))


def test_catalogue_data_is_what_the_loader_reads() -> None:
    """catalogue_data is the inverse of reading a catalogue: the bundled one, a minimal one
    with plain text and a driven one, written as YAML and read again, are the same."""
    for catalogue in (load(None), _catalogue(MINIMAL), _catalogue(DRIVEN)):
        text = yaml.safe_dump(catalogue_data(catalogue), allow_unicode=True, sort_keys=False)
        assert _catalogue(text) == catalogue


LANGUAGES = st.sampled_from(["fr", "en", "es", "*"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.dictionaries(LANGUAGES, st.text(min_size=1, max_size=40), min_size=1),
        min_size=2,
        max_size=2,
    )
)
def test_any_label_survives_the_written_catalogue(labels: list[dict[str, str]]) -> None:
    """Labels of any characters, in one language or several or as plain text, are written
    by the writer's own YAML so that the catalogue reads back the same."""
    base = _catalogue(MINIMAL)
    families = tuple(
        family._replace(label={code: f"{i} {text}" for code, text in label.items()})
        for i, (family, label) in enumerate(zip(base.families, labels, strict=True))
    )
    catalogue = base._replace(families=families)
    assert _catalogue(catalogue_text(catalogue_data(catalogue))) == catalogue


@pytest.mark.parametrize("escaped", ["Veille\\Nbis", "\\N", "a\\N", "a\\Lb"])
def test_next_line_survives_the_written_catalogue(
    smtime: Smtime, tmp_path: Path, escaped: str
) -> None:
    """U+0085 (NEL), which PyYAML folds into a space inside single quotes, reads back as
    itself in a label and in the export's name."""
    base = tmp_path / "base.yaml"
    base.write_text(
        MINIMAL.replace("label: {fr: Bêta, en: Beta}", f'label: "{escaped}"'), encoding="utf-8"
    )
    export = tmp_path / "a\x85b.json"
    export.write_bytes(WEEKS.read_bytes())
    out = tmp_path / "ours.yaml"
    run = smtime("calibrate", str(export), *FIXED, "-c", str(base), "--save", str(out))
    assert run.exit_code == 0, run.stderr
    before, after = load(base), load(out)
    assert after.families[1].label == before.families[1].label
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["calibration"]["source"] == export.name


def test_written_yaml_reads_back_through_the_catalogue_loader(tmp_path: Path) -> None:
    """catalogue_yaml's output is a valid catalogue file with the calibrated ranges."""
    entries = [
        Entry(datetime(2026, 10, 5, 9, tzinfo=UTC) + timedelta(weeks=w, days=d), 1.0, ("veille",))
        for w in range(4)
        for d in (0, 4)
    ]
    base = load(None)
    result = calibration.calibrate(
        entries,
        catalogue=base,
        mapping={},
        zone=UTC,
        now=datetime(2026, 12, 1, tzinfo=UTC),
        source="test.json",
        tracker="timewarrior",
    )
    path = tmp_path / "ours.yaml"
    path.write_text(catalogue_yaml(result, base), encoding="utf-8")
    ours = load(path)
    assert ours == calibration.apply_to(base, result)
    assert next(f for f in ours.families if f.id == "veille")[2:4] == (2, 2)


def test_control_characters_of_names_stay_visible_in_the_table(
    smtime: Smtime, tmp_path: Path
) -> None:
    """Tags of the export and labels of the catalogue reach the notes under the table with
    their control characters as escapes, never as raw terminal sequences."""
    import json

    entries = json.loads(WEEKS.read_text())
    for entry in entries:
        if entry.get("tags") == ["newsletter"]:
            entry["tags"] = ["\x1b[2J\x1b]0;pwned\x07"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(entries))
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        MINIMAL.replace("{fr: Bêta, en: Beta}", '"\\e]8;;https://x.invalid\\e\\\\B"')
    )
    run = smtime("calibrate", str(export), *FIXED, "-c", str(catalogue), "-m", "veille=alpha")
    assert run.exit_code == 0, run.stderr
    assert "\x1b" not in run.stdout
    flat = "".join(run.stdout.split())
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in flat
    assert "\\x1b]8;;https://x.invalid\\x1b\\B" in flat


def test_save_to_standard_output_beside_the_view_is_refused(smtime: Smtime, tmp_path: Path) -> None:
    """--save - while the view also goes to standard output would mix YAML and the view in
    one stream: refused; with the view in a file (--output), the catalogue goes to stdout."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "--save", "-", "-f", "json")
    assert run.exit_code == 2
    assert "--save -" in run.stderr
    assert run.stdout == ""
    view = tmp_path / "view.json"
    run = smtime("calibrate", str(WEEKS), *FIXED, "--save", "-", "-f", "json", "-o", str(view))
    assert run.exit_code == 0, run.stderr
    assert yaml.safe_load(run.stdout)["version"] == "calibrated-2026-W41-2026-W46"
    assert json_of(Run(0, view.read_text(), ""), "calibration")["weeks"]["empty"] == 0


def test_the_note_names_any_percentile_in_good_english(smtime: Smtime) -> None:
    """The note under the table says 1st and 22nd, as the catalogue's comments do, not 1th
    and 22th."""
    run = smtime("calibrate", str(WEEKS), *FIXED, "-q", "1,22", "-f", "markdown")
    assert run.exit_code == 0, run.stderr
    assert "1th" not in run.stdout
    assert "22th" not in run.stdout


def test_bidirectional_controls_are_escaped_in_the_written_catalogue(
    smtime: Smtime, tmp_path: Path
) -> None:
    """A label and an export's name holding U+202E (which would make a terminal show the
    text reversed): --format yaml writes them as \\u202e escapes in double quotes, never raw,
    and the catalogue reads back with the characters themselves."""
    base = tmp_path / "base.yaml"
    base.write_text(
        MINIMAL.replace("label: {fr: Bêta, en: Beta}", 'label: "Mal \\u202eevil"'),
        encoding="utf-8",
    )
    export = tmp_path / "a\u202eb.json"
    export.write_bytes(WEEKS.read_bytes())
    run = smtime("calibrate", str(export), *FIXED, "-c", str(base), "-f", "yaml")
    assert run.exit_code == 0, run.stderr
    assert "\u202e" not in run.stdout
    assert '"Mal \\u202eevil"' in run.stdout
    written = tmp_path / "ours.yaml"
    written.write_text(run.stdout, encoding="utf-8")
    assert load(written).families[1].label == load(base).families[1].label
    assert yaml.safe_load(run.stdout)["calibration"]["source"] == export.name
