"""The formats smtime reads and writes that a command names: tracker exports (``compare``),
files of profiles and batch output (``batch``). A module of its own, light to import, so that
the command line can declare its options without importing the readers."""

from enum import StrEnum


class TrackerFormat(StrEnum):
    """Formats that ``compare`` reads."""

    AUTO = "auto"
    TIMEWARRIOR = "timewarrior"
    TOGGL = "toggl"
    WATSON = "watson"
    CSV = "csv"


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
