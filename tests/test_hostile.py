"""Hostile input: every file of tests/hostile/ ends in success or a clean, documented error."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from smtime import catalogue, files, safeyaml
from smtime.errors import InvalidFileError
from tests.conftest import MINIMAL, Run

HOSTILE = Path(__file__).parent / "hostile"
Smtime = Callable[..., Run]

# file → (exit code, fragment of stderr, or of stdout when the exit code is 0)
EXPECTED: dict[str, tuple[int, str]] = {
    "anchors_ok.yaml": (0, '"label": "Alpha"'),
    "bad_id.yaml": (65, ":11:9: families[0].id: 'Blog Ging' is not a valid id"),
    "bad_language_code.yaml": (65, "families[1].label.french: 'french' is not a language code"),
    "billion_laughs.yaml": (65, "aliases expand to far more data than the file holds"),
    "binary.yaml": (65, "binary.yaml:1:15: binary data (a NUL byte)"),
    "bool_hours.yaml": (65, ":13:10: families[0].low: expected a number, not true/false"),
    "bool_key.yaml": (65, ":4:1: true: unknown key 'true'"),
    "comments_only.yaml": (65, "empty file: expected a catalogue"),
    "complex_key.yaml": (65, ":4:3: a mapping key must be plain text"),
    "control_chars.yaml": (0, '"id": "alpha"'),
    "crlf.yaml": (0, '"id": "beta"'),
    "date_label.yaml": (0, '"label": "2024-01-01"'),
    "deep_nesting.yaml": (65, "nesting deeper than 64 levels"),
    "label_takes_id.yaml": (
        65,
        ":17:9: families[1].id: id 'blogging' is already used by 'blogging'"
        " (families[0].label, line 12, column 12)",
    ),
    "alias_takes_label.yaml": (65, "is already used by 'BÊTA' (families[0].aliases[0], line 13"),
    "duplicate_id.yaml": (65, ":17:9: families[1].id: id 'alpha' is already used by 'alpha'"),
    "duplicate_key.yaml": (65, ":5:1: duplicate key 'title' (first given on line 4)"),
    "empty.yaml": (65, "empty.yaml:1:1: empty file: expected a catalogue"),
    "escape_key.yaml": (65, ":10:1: \\x1b[2J\\x1b]0;pwned\\x07\\x0dFAKE\\u202e: unknown key"),
    "empty_families.yaml": (65, "families: must not be empty"),
    "families_mapping.yaml": (65, "families: expected a list (lines starting with '- ')"),
    "family_over_bound.yaml": (
        65,
        "families[0].high: hours must be a number of weekly hours from 0 to 1,000,000, not 2000000",
    ),
    "huge_integer.yaml": (65, ":13:10: number too large: an integer of 4,301 characters"),
    "inf_hours.yaml": (
        65,
        "families[0].high: hours must be a number of weekly hours from 0 to 1,000,000, not inf",
    ),
    "label_list.yaml": (65, "families[0].label: expected text, or a mapping of language codes"),
    "latin1.yaml": (65, "latin1.yaml:18:18: not UTF-8 text (byte 0xea)"),
    "long_label.yaml": (65, "text of 5000 characters is longer than the limit of 2000"),
    "low_above_high.yaml": (65, ":14:11: families[0].high: high (0.5) is lower than low (1.0)"),
    "markup_label.yaml": (
        0,
        '"label": "[bold red]pwned[/] [link=https://evil.invalid]click[/link]"',
    ),
    "merge_key.yaml": (65, "merge keys (<<) are not supported"),
    "missing_families.yaml": (65, "families: missing key 'families'"),
    "multi_document.yaml": (65, ":21:1: YAML syntax error: expected a single document"),
    "nan_hours.yaml": (
        65,
        ":13:10: families[0].low: hours must be a number of weekly hours from 0 to 1,000,000, not nan",
    ),
    "negative_hours.yaml": (
        65,
        "families[0].low: hours must be a number of weekly hours from 0 to 1,000,000, not -1",
    ),
    "not_a_mapping.yaml": (65, ":1:1: expected a mapping (key: value lines), not a list"),
    "octal.yaml": (65, ":14:11: '010' has a leading zero, which YAML 1.1 reads as an octal"),
    "python_name.yaml": (65, ":4:8: unsupported YAML tag !!python/name:os.system"),
    "python_object.yaml": (65, ":4:8: unsupported YAML tag !!python/object/apply:os.system"),
    "quoted_hours.yaml": (65, "families[0].low: '1' is not a number (write it without quotes)"),
    "raw_control_char.yaml": (65, ":12:14: YAML error: character 7 is not allowed"),
    "recursive_alias.yaml": (65, "an alias refers to itself"),
    "scalar_document.yaml": (65, "expected a mapping (key: value lines), not the text"),
    "sexagesimal.yaml": (65, "'1:30' is not a number: write hours as a decimal number (1.5)"),
    "syntax_error.yaml": (65, "syntax_error.yaml:18:3: YAML syntax error"),
    "tab_indent.yaml": (65, "tab_indent.yaml:13:1: YAML syntax error"),
    "timestamp_tag.yaml": (65, ":2:10: unsupported YAML tag !!timestamp"),
    "total_over_bound.yaml": (65, "the high hypothesis adds up to 2,000,000,000 hours a week"),
    "unknown_key_typo.yaml": (65, "unknown key 'familes' (did you mean 'families'?)"),
    "unknown_tag.yaml": (65, ":4:8: unsupported YAML tag !secret"),
    "utf16.yaml": (65, "utf16.yaml:1:1: UTF-16 text: save the file as UTF-8"),
    "utf8_bom.yaml": (0, '"id": "alpha"'),
    "version_number.yaml": (65, 'version: expected text, not the number 1.0 (quote it: "1.0")'),
    "very_deep_flow.yaml": (65, "maximum nesting depth (smtime accepts at most 64 levels)"),
    "yaml11_booleans.yaml": (0, '"id": "on",\n    "label": "no"'),
}


def test_corpus_is_complete() -> None:
    """Every file of the corpus has an expectation, and the corpus has at least 30 files."""
    files = sorted(p.name for p in HOSTILE.iterdir())
    assert files == sorted(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_hostile_file(smtime: Smtime, name: str, expected: tuple[int, str]) -> None:
    """The file gives its expected exit code and message, and never a traceback."""
    code, fragment = expected
    run = smtime("tasks", "--format", "json", "--catalogue", str(HOSTILE / name))
    assert run.exit_code == code, run.stderr
    assert "Traceback" not in run.stderr
    if code == 0:
        assert fragment in run.stdout
        assert run.stderr == ""
    else:
        assert fragment in run.stderr
        assert run.stdout == ""
        for line in run.stderr.splitlines():
            assert line.startswith(str(HOSTILE / name)), line


def test_labels_cannot_inject_markup_or_escape_sequences(smtime: Smtime) -> None:
    """In tables, rich markup is shown literally and terminal escape sequences are removed."""
    markup = smtime("estimate", "--catalogue", str(HOSTILE / "markup_label.yaml"))
    assert "[bold red]pwned[/]" in markup.stdout
    assert "[link=https://evil.invalid]click[/link]" in markup.stdout
    control = smtime("tasks", "--catalogue", str(HOSTILE / "control_chars.yaml"))
    assert control.exit_code == 0
    assert "\x1b" not in control.stdout
    assert "red" in control.stdout


def test_labels_cannot_inject_escapes_into_a_colour_terminal(smtime: Smtime) -> None:
    """Even with colour forced on, a label's own escape sequence never reaches the terminal."""
    run = smtime(
        "estimate",
        "--catalogue",
        str(HOSTILE / "control_chars.yaml"),
        env={"FORCE_COLOR": "1", "NO_COLOR": ""},
    )
    assert "\x1b]8;;https://evil.invalid" not in run.stdout
    assert "\x1b[31mred" not in run.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_labels_cannot_inject_escapes_into_a_plan_warning(smtime: Smtime, fmt: str) -> None:
    """A label named in the warning of a plan that does not fit is shown with its escapes
    made visible, on stderr and in the table."""
    run = smtime(
        "plan",
        "--catalogue",
        str(HOSTILE / "control_chars.yaml"),
        "-H",
        "high",
        "--days",
        "mon",
        "--end",
        "10:00",
        "--format",
        fmt,
    )
    assert run.exit_code == 0, run.stderr
    assert "not placed" in run.stdout + run.stderr
    assert "\x1b" not in run.stdout + run.stderr
    assert "\\x1b[31mred" in run.stdout + run.stderr


def test_billion_laughs_uses_bounded_memory() -> None:
    """Expanding a billion-laughs document stops early, with little memory used."""
    text = (HOSTILE / "billion_laughs.yaml").read_text()
    tracemalloc.start()
    try:
        with pytest.raises(InvalidFileError) as info:
            safeyaml.parse(text, "laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "aliases expand" in info.value.lines()[0]
    assert peak < 20 * 1024 * 1024


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path, smtime: Smtime) -> None:
    """A file over the documented limit is refused without being parsed."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)
    run = smtime("tasks", "--catalogue", str(big))
    assert run.exit_code == 65
    assert "file is larger than the limit of 64 MiB" in run.stderr


def test_directory_is_not_a_catalogue(tmp_path: Path, smtime: Smtime) -> None:
    """A directory given as catalogue exits 66."""
    run = smtime("tasks", "--catalogue", str(tmp_path))
    assert run.exit_code == 66
    assert "is a directory" in run.stderr


def test_unreadable_file_exits_66(
    tmp_path: Path, smtime: Smtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be opened exits 66 with the reason."""
    path = tmp_path / "locked.yaml"
    path.write_text(MINIMAL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    run = smtime("tasks", "--catalogue", str(path))
    assert run.exit_code == 66
    assert "locked.yaml: permission denied" in run.stderr


def test_yaml11_words_stay_text() -> None:
    """yes/no/on/off, dates and times stay text instead of turning into other types."""
    document = safeyaml.parse("a: no\nb: on\nc: 2024-01-01\nd: 1:30\ne: ~\nf: 0x1f\n", "t")
    assert document.data == {
        "a": "no",
        "b": "on",
        "c": "2024-01-01",
        "d": "1:30",
        "e": None,
        "f": 31,
    }


def test_all_problems_are_reported_at_once(write_catalogue: Callable[..., Path]) -> None:
    """Several problems in one file are all listed, each with its own line."""
    text = MINIMAL.replace("low: 1\n", "low: -1\n").replace("high: 2\n", "hihg: 2\n")
    with pytest.raises(InvalidFileError) as info:
        catalogue.load(write_catalogue(text))
    lines = info.value.lines()
    assert len(lines) == 3
    assert {line.split(": ")[1] for line in lines} == {
        "families[0].low",
        "families[1].high",
        "families[1].hihg",
    }


@pytest.mark.parametrize(
    "args",
    [
        ("batch", "-"),
        ("compare", "-"),
        ("calibrate", "-"),
        ("plan", "-f", "ics", "--previous", "-"),
    ],
)
def test_a_closed_standard_input_is_said(args: tuple[str, ...]) -> None:
    """``-`` with standard input closed (``<&-``): one line that says so, exit 66, for every
    command that reads standard input (the batch was an internal error)."""
    import subprocess
    import sys

    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "smtime", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (66, "smtime: <stdin>: standard input is closed\n")
    assert done.stdout == ""


@pytest.mark.parametrize("args", [("estimate", "--profile", "-"), ("plan", "--team", "-")])
def test_a_dash_where_no_standard_input_is_read_says_so(
    smtime: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    """``--profile -`` names a file called ``-`` (standard input is read only for exports,
    batches and --previous): when there is none, the message says where ``-`` is read."""
    monkeypatch.chdir(tmp_path)
    run = smtime(*args)
    assert run.exit_code == 66
    assert run.stderr == (
        "smtime: -: no such file (only an export, a batch file and --previous are read from "
        "standard input)\n"
    )
