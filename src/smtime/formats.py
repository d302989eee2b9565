"""The formats smtime reads and writes that a command names: tracker exports (``compare``),
files of profiles and batch output (``batch``). A module of its own, light to import, so that
the command line can declare its options without importing the readers."""

from enum import StrEnum


class TrackerFormat(StrEnum):
    """The trackers whose exports ``compare`` reads (``csv``: a plain ``date,task,hours`` file)."""

    AUTO = "auto"
    TIMEWARRIOR = "timewarrior"
    WATSON = "watson"
    TOGGL = "toggl"
    CLOCKIFY = "clockify"
    HARVEST = "harvest"
    KIMAI = "kimai"
    ICS = "ics"
    CSV = "csv"


class DateFormat(StrEnum):
    """How the dates of a tracker's CSV are written: found from the file, ISO (2026-12-31),
    day first (31/12/2026, 31.12.2026) or month first (12/31/2026)."""

    AUTO = "auto"
    ISO = "iso"
    DMY = "dmy"
    MDY = "mdy"


class InputFormat(StrEnum):
    """How a file of profiles is written."""

    AUTO = "auto"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"


class OutputFormat(StrEnum):
    """What a batch writes."""

    JSONL = "jsonl"
    CSV = "csv"
