"""The bundled catalogue and catalogue validation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from smtime import catalogue
from smtime.errors import InvalidFileError
from tests.conftest import MINIMAL, ROOT


def test_bundled_catalogue_is_the_one_in_data() -> None:
    """The bundled catalogue is data/catalogue.yaml of the source tree."""
    assert catalogue.bundled_path().read_bytes() == (ROOT / "data" / "catalogue.yaml").read_bytes()


def test_bundled_catalogue_records_unit_source_and_version() -> None:
    """The seed catalogue states its unit, source and version."""
    cat = catalogue.load(catalogue.bundled_path())
    assert cat.unit == "hours/week"
    assert cat.version
    assert cat.source.title
    assert cat.source.language == "fr"


def test_every_bundled_label_is_in_french_and_english() -> None:
    """Families, actions, hypotheses and their descriptions all exist in fr and en."""
    cat = catalogue.load(catalogue.bundled_path())
    texts = [cat.title]
    texts += [h.label for h in (cat.hypotheses.low, cat.hypotheses.high)]
    texts += [h.description for h in (cat.hypotheses.low, cat.hypotheses.high)]
    for family in cat.families:
        texts.append(family.label)
        texts += [a.label for a in family.actions]
        assert family.actions, family.id
    for text in texts:
        assert {"fr", "en"} <= text.keys(), text


def _problems(write: Callable[..., Path], text: str) -> list[str]:
    with pytest.raises(InvalidFileError) as info:
        catalogue.load(write(text))
    return info.value.lines()


def test_low_above_high_is_refused(write_catalogue: Callable[..., Path]) -> None:
    """low must not exceed high; the error points at high."""
    lines = _problems(write_catalogue, MINIMAL.replace("high: 3", "high: 0.5"))
    assert len(lines) == 1
    assert ":14:11: families[0].high: high (0.5) is lower than low (1.0)" in lines[0]


def test_duplicate_ids_are_refused(write_catalogue: Callable[..., Path]) -> None:
    """Two families with one id are refused, naming the first."""
    lines = _problems(write_catalogue, MINIMAL.replace("id: beta", "id: alpha"))
    assert "families[1].id: id 'alpha' is already used by 'alpha' (families[0].id, line" in lines[0]


@pytest.mark.parametrize("bad_id", ["Alpha", "al pha", "-alpha", "alpha!", "'é'"])
def test_ids_must_be_slugs(write_catalogue: Callable[..., Path], bad_id: str) -> None:
    """Ids are lower-case ASCII words joined by - or _."""
    lines = _problems(write_catalogue, MINIMAL.replace("id: alpha", f"id: {bad_id}"))
    assert "families[0].id: " in lines[0]
    assert "is not a valid id: use lower-case letters" in lines[0]


def test_at_least_one_family(write_catalogue: Callable[..., Path]) -> None:
    """A catalogue without families is refused."""
    text = MINIMAL[: MINIMAL.index("families:")] + "families: []\n"
    lines = _problems(write_catalogue, text)
    assert "families: must not be empty" in lines[0]


def test_unknown_top_level_key_suggests(write_catalogue: Callable[..., Path]) -> None:
    """An unknown key near a known one gets a suggestion, at the key's position."""
    lines = _problems(write_catalogue, MINIMAL.replace("version:", "verison:"))
    assert any(":2:1: verison: unknown key 'verison' (did you mean 'version'?)" in x for x in lines)
    assert any("version: missing key 'version'" in x for x in lines)


def test_unknown_key_far_from_any_lists_the_known_ones(
    write_catalogue: Callable[..., Path],
) -> None:
    """An unknown key unlike any known one lists the keys that are accepted."""
    lines = _problems(
        write_catalogue, MINIMAL.replace("    high: 3\n", "    high: 3\n    zzz: 1\n")
    )
    assert "unknown key 'zzz'; expected one of: id, label, low, high, actions" in lines[0]


def test_negative_and_infinite_hours(write_catalogue: Callable[..., Path]) -> None:
    """Hours must be finite and non-negative; every problem is reported at once."""
    text = MINIMAL.replace("low: 1\n", "low: -1\n").replace("low: 0.5", "low: .nan")
    lines = _problems(write_catalogue, text)
    assert len(lines) == 2
    assert (
        "families[0].low: hours must be a number of weekly hours from 0 to 1,000,000, not -1"
        in lines[0]
    )
    assert (
        "families[1].low: hours must be a number of weekly hours from 0 to 1,000,000, not nan"
        in lines[1]
    )
