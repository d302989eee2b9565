"""Which renderer writes which view in which format: one table, and the writing of the result.

``WRITERS[(view, format)]`` takes what ``smtime.request`` computed for the view (a listing,
an estimate, a plan, a comparison, a breakdown) and returns the text to write, or a rich
renderable for the ``table`` format, drawn on the terminal or written as plain text. Each
writer imports its renderer when called, so that start-up does not grow with the formats.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from smtime import request

PROG = "smtime"


class DataFormat(StrEnum):
    """Output formats of the data commands (tasks, estimate, compare, breakdown)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class EstimateFormat(StrEnum):
    """Output formats of ``estimate``: those of the data commands, and a spreadsheet."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


class ReportFormat(StrEnum):
    """Output formats of ``report``: a web page, or a spreadsheet."""

    HTML = "html"
    XLSX = "xlsx"


BINARY = {"xlsx": "an .xlsx spreadsheet"}
"""The formats written as bytes, not text, and what each writes (for the refusal to write
one to a terminal)."""


class PlanFormat(StrEnum):
    """Output formats of ``plan``."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    ICS = "ics"
    HLEDGER = "hledger"
    LEDGER = "ledger"
    BEANCOUNT = "beancount"


class CalibrateFormat(StrEnum):
    """Output formats of ``calibrate``: the side-by-side view, or the calibrated catalogue."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    YAML = "yaml"


class HledgerUnit(StrEnum):
    """How hledger amounts are written."""

    NONE = "none"
    H = "h"


# A writer returns the text to write, or a rich renderable for the table format.
Writer = Callable[[Any], Any]


def _tasks_table(listing: request.Listing) -> Any:
    from smtime.render import table

    return table.tasks_table(listing.inputs.catalogue, listing.language)


def _tasks_json(listing: request.Listing) -> str:
    from smtime.render.json import dumps, tasks_data

    return dumps(tasks_data(listing.inputs.catalogue, listing.language))


def _tasks_csv(listing: request.Listing) -> str:
    from smtime.render.csv import tasks_csv
    from smtime.render.json import tasks_data

    return tasks_csv(tasks_data(listing.inputs.catalogue, listing.language))


def _tasks_markdown(listing: request.Listing) -> str:
    from smtime.render.json import tasks_data
    from smtime.render.markdown import tasks_markdown

    return tasks_markdown(tasks_data(listing.inputs.catalogue, listing.language), listing.language)


def _estimate_table(answer: request.Estimated) -> Any:
    from smtime.render import table

    return table.estimate_table(
        answer.result, answer.catalogue, answer.language, answer.assumptions
    )


def _estimate_json(answer: request.Estimated) -> str:
    from smtime.render.json import dumps, estimate_data

    data = estimate_data(answer.result, answer.language, answer.assumptions, answer.catalogue)
    return dumps(data)


def _estimate_csv(answer: request.Estimated) -> str:
    from smtime.render.csv import estimate_csv

    return estimate_csv(answer.result, answer.assumptions, answer.language)


def _estimate_markdown(answer: request.Estimated) -> str:
    from smtime.render.markdown import estimate_markdown

    return estimate_markdown(answer.result, answer.assumptions, answer.catalogue, answer.language)


def _estimate_xlsx(answer: request.Estimated) -> bytes:
    from smtime.render.xlsx import estimate_xlsx

    return estimate_xlsx(answer.result, answer.assumptions, answer.language)


def _report_xlsx(answer: request.Estimated) -> bytes:
    from smtime.render.xlsx import report_xlsx

    return report_xlsx(
        answer.result, answer.assumptions, answer.catalogue, answer.language, title=answer.title
    )


def _report_html(answer: request.Estimated) -> str:
    from smtime.render.report import report_html

    return report_html(
        answer.result, answer.assumptions, answer.catalogue, answer.language, title=answer.title
    )


def _plan_table(answer: request.Planned) -> Any:
    from smtime.render.plan import plan_table

    return plan_table(answer.plan, answer.language)


def _plan_json(answer: request.Planned) -> str:
    from smtime.render.json import dumps, scenario_data
    from smtime.render.plan import plan_data

    return dumps(plan_data(answer.plan, answer.language, scenario_data(answer.scenario)))


def _plan_markdown(answer: request.Planned) -> str:
    from smtime.render.plan import plan_markdown

    return plan_markdown(answer.plan, answer.language)


def _plan_ics(answer: request.Planned) -> str:
    from smtime.render.ics import clock_changes, plan_ics

    assert answer.zone is not None
    start = answer.first_day
    _warn(clock_changes(answer.plan, start, answer.zone, answer.language))
    return plan_ics(
        answer.plan,
        lang=answer.language,
        start=start,
        zone=answer.zone,
        name=answer.name,
        previous=answer.previous,
    )


def _plan_hledger(answer: request.Planned) -> str:
    from smtime.render.hledger import DEFAULT_ACCOUNT, plan_hledger

    return plan_hledger(
        answer.plan,
        lang=answer.language,
        account=answer.account_or(DEFAULT_ACCOUNT),
        unit=answer.unit,
        start=answer.start,
        name=answer.name,
    )


def _plan_ledger(answer: request.Planned) -> str:
    from smtime.render.hledger import DEFAULT_ACCOUNT
    from smtime.render.ledger import plan_ledger

    return plan_ledger(
        answer.plan,
        lang=answer.language,
        account=answer.account_or(DEFAULT_ACCOUNT),
        start=answer.start,
        name=answer.name,
    )


def _plan_beancount(answer: request.Planned) -> str:
    from smtime.render.beancount import DEFAULT_ACCOUNT, plan_beancount

    return plan_beancount(
        answer.plan,
        lang=answer.language,
        account=answer.account_or(DEFAULT_ACCOUNT),
        start=answer.first_day,
        name=answer.name,
    )


def _warned(writer: Writer) -> Writer:
    """``writer``, after a warning on stderr when the plan could not hold every hour (the
    table and JSON show it themselves)."""

    def write(answer: request.Planned) -> Any:
        from smtime.render.plan import warning

        _warn(warning(answer.plan, answer.language))
        return writer(answer)

    return write


def _warn(note: str | None) -> None:
    """``note``, when there is one, as a warning on stderr, control characters made visible
    (``terminal.visible``)."""
    if note:
        from smtime.terminal import visible

        sys.stderr.write(visible(f"{PROG}: warning: {note}") + "\n")


def _compare_table(answer: request.Compared) -> Any:
    from smtime.render import compare
    from smtime.render.notes import labels_of

    labels = labels_of(answer.request.inputs.catalogue, answer.language)
    return compare.compare_table(answer.comparison, labels, answer.language)


def _compare_json(answer: request.Compared) -> str:
    from smtime.render import compare
    from smtime.render.json import dumps, scenario_data
    from smtime.render.notes import labels_of

    labels = labels_of(answer.request.inputs.catalogue, answer.language)
    scenario = scenario_data(answer.scenario)
    return dumps(compare.compare_data(answer.comparison, labels, scenario))


def _compare_csv(answer: request.Compared) -> str:
    from smtime.render import compare
    from smtime.render.notes import labels_of

    labels = labels_of(answer.request.inputs.catalogue, answer.language)
    return compare.compare_csv(answer.comparison, labels)


def _compare_markdown(answer: request.Compared) -> str:
    from smtime.render import compare
    from smtime.render.notes import labels_of

    labels = labels_of(answer.request.inputs.catalogue, answer.language)
    return compare.compare_markdown(answer.comparison, labels, answer.language)


def _breakdown_table(answer: request.BrokenDown) -> Any:
    from smtime.render import table

    return table.breakdown_table(answer.result, answer.language)


def _breakdown_json(answer: request.BrokenDown) -> str:
    from smtime.render.json import breakdown_data, dumps

    return dumps(breakdown_data(answer.result, answer.language))


def _breakdown_csv(answer: request.BrokenDown) -> str:
    from smtime.render.csv import breakdown_csv

    return breakdown_csv(answer.result, answer.language)


def _breakdown_markdown(answer: request.BrokenDown) -> str:
    from smtime.render.markdown import breakdown_markdown

    return breakdown_markdown(answer.result, answer.language)


def _calibrate_table(answer: request.Calibrated) -> Any:
    from smtime.render.calibration import calibration_table

    return calibration_table(answer.calibration, answer.base, answer.language)


def _calibrate_json(answer: request.Calibrated) -> str:
    from smtime.render.calibration import calibration_data
    from smtime.render.json import dumps

    return dumps(calibration_data(answer.calibration, answer.base, answer.language))


def _calibrate_markdown(answer: request.Calibrated) -> str:
    from smtime.render.calibration import calibration_markdown

    return calibration_markdown(answer.calibration, answer.base, answer.language)


def _calibrate_yaml(answer: request.Calibrated) -> str:
    from smtime.render.calibration import catalogue_yaml

    return catalogue_yaml(answer.calibration, answer.base)


WRITERS: dict[tuple[str, str], Writer] = {
    ("tasks", "table"): _tasks_table,
    ("tasks", "json"): _tasks_json,
    ("tasks", "csv"): _tasks_csv,
    ("tasks", "markdown"): _tasks_markdown,
    ("estimate", "table"): _estimate_table,
    ("estimate", "json"): _estimate_json,
    ("estimate", "csv"): _estimate_csv,
    ("estimate", "markdown"): _estimate_markdown,
    ("estimate", "xlsx"): _estimate_xlsx,
    ("report", "html"): _report_html,
    ("report", "xlsx"): _report_xlsx,
    ("plan", "table"): _plan_table,
    ("plan", "json"): _plan_json,
    ("plan", "markdown"): _warned(_plan_markdown),
    ("plan", "ics"): _warned(_plan_ics),
    ("plan", "hledger"): _warned(_plan_hledger),
    ("plan", "ledger"): _warned(_plan_ledger),
    ("plan", "beancount"): _warned(_plan_beancount),
    ("compare", "table"): _compare_table,
    ("compare", "json"): _compare_json,
    ("compare", "csv"): _compare_csv,
    ("compare", "markdown"): _compare_markdown,
    ("calibrate", "table"): _calibrate_table,
    ("calibrate", "json"): _calibrate_json,
    ("calibrate", "markdown"): _calibrate_markdown,
    ("calibrate", "yaml"): _calibrate_yaml,
    ("breakdown", "table"): _breakdown_table,
    ("breakdown", "json"): _breakdown_json,
    ("breakdown", "csv"): _breakdown_csv,
    ("breakdown", "markdown"): _breakdown_markdown,
}


def write(view: str, fmt: str, answer: Any, output: Path | None) -> None:
    """Render ``answer`` as ``view`` in ``fmt`` and write it: a table on the terminal (or as
    plain text to ``output``), text to stdout or atomically to ``output``, a binary format
    (``BINARY``) likewise but never to a terminal; never over one of the files the answer
    was read from."""
    import smtime.output

    if fmt in BINARY:
        smtime.output.refuse_terminal(output, BINARY[fmt])
    shown = WRITERS[(view, fmt)](answer)
    if isinstance(shown, bytes):
        smtime.output.emit_bytes(shown, output, what=BINARY[fmt], inputs=answer.paths())
        return
    if isinstance(shown, str):
        emit_text(shown, output, answer.paths())
        return
    from smtime.render import table

    if output is None:
        table.render(shown)
    else:
        emit_text(table.to_text(shown), output, answer.paths())


def check_targets(targets: Sequence[Path | None], inputs: list[Path]) -> None:
    """The refusals of writing to each file of ``targets`` (None or ``-``: standard output),
    made before any is written: a command that writes two files writes both or neither."""
    import smtime.output

    for target in targets:
        if target is not None and not smtime.output.names_stdout(target):
            smtime.output.check_target(target, inputs=inputs)


def emit_text(
    text: str, output: Path | None, inputs: list[Path] | None = None, if_exists: str | None = None
) -> None:
    """Write ``text`` to stdout or atomically to ``output``, never over one of ``inputs``
    (``if_exists``: nor over an existing file, with that advice)."""
    import smtime.output

    smtime.output.emit(text, output, inputs=inputs or [], if_exists=if_exists)


def check_team_output(
    team: Path | None, fmt: str, output: Path | None, output_dir: Path | None
) -> None:
    """The formats and outputs a team plan takes: table, Markdown and JSON to stdout or
    ``--output``; ics, one calendar per person, into ``--output-dir``."""
    from smtime.errors import UsageError

    if team is None:
        raise UsageError("--output-dir writes a team's calendars: give --team too")
    if fmt not in (PlanFormat.TABLE, PlanFormat.MARKDOWN, PlanFormat.JSON, PlanFormat.ICS):
        raise UsageError("--team: the formats are table, markdown, json and ics")
    if fmt == PlanFormat.ICS and output_dir is None:
        raise UsageError("--team --format ics writes one calendar per person: give --output-dir")
    if fmt != PlanFormat.ICS and output_dir is not None:
        raise UsageError("--output-dir is for --format ics")
    if output is not None and output_dir is not None:
        raise UsageError("give --output or --output-dir, not both")


def write_team(
    answer: request.TeamPlanned, fmt: str, output: Path | None, output_dir: Path | None
) -> None:
    """Write a team plan: each person's week (table, Markdown, JSON), or one calendar per
    person into ``output_dir``; a warning on stderr for the hours in no calendar."""
    from smtime.render import plan as rendered

    note = rendered.team_warning(answer.team, answer.language)
    if fmt == PlanFormat.ICS and output_dir is not None:  # check_team_output asks for both
        _write_calendars(answer, output_dir)
        _warn(note)
        return
    if fmt == PlanFormat.JSON:
        from smtime.render.json import dumps, scenario_data

        scenario = scenario_data(answer.scenario)
        text = dumps(rendered.team_data(answer.team, answer.language, scenario))
        emit_text(text, output, answer.paths())
        return
    if fmt == PlanFormat.MARKDOWN:
        _warn(note)
        emit_text(rendered.team_markdown(answer.team, answer.language), output, answer.paths())
        return
    from smtime.render import table

    shown = rendered.team_table(answer.team, answer.language)
    if output is None:
        table.render(shown)
    else:
        emit_text(table.to_text(shown), output, answer.paths())


def _write_calendars(answer: request.TeamPlanned, folder: Path) -> None:
    """One calendar per person, ``<name>.ics`` (``team.file_stems``), in ``folder``."""
    from smtime.errors import OutputError
    from smtime.output import emit_all
    from smtime.render.ics import clock_changes, plan_ics
    from smtime.team import file_stems

    if not folder.is_dir():
        raise OutputError(f"{folder}: --output-dir must be an existing folder")
    zone, start = answer.calendar_zone, answer.first_day
    stems = file_stems([person.name for person, _ in answer.team.people])
    calendars: list[tuple[Path, str]] = []
    for (person, plan), stem in zip(answer.team.people, stems, strict=True):
        name = f"{answer.name} — {person.name}"
        text = plan_ics(plan, lang=answer.language, start=start, zone=zone, name=name)
        calendars.append((folder / f"{stem}.ics", text))
        changes = clock_changes(plan, start, zone, answer.language)
        if changes is not None:
            _warn(f"{person.name}: {changes}")
    # Every refusal before the first calendar is written, and all put in place together: a
    # signal or a failed write never leaves a folder half updated.
    check_targets([target for target, _ in calendars], answer.paths())
    emit_all(calendars, inputs=answer.paths())
