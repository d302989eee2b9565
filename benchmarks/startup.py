"""Start-up: smtime against minimal Typer programs run by the same interpreter.

Baselines (written to a temporary folder):
- hello: a Typer app with two commands that prints "hello" (the framework's floor);
- hello-table: the same, printing a one-row rich table (the floor for a program that draws).

Targets: `smtime estimate --format json` ≤ 1.10 × hello; `smtime --version` ≤ 1.05 × hello;
`smtime estimate` (table) ≤ 1.10 × hello-table. Run: python benchmarks/startup.py [--quick]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QUICK, interleaved, precompile, report

HELLO = """\
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


@app.command()
def bye() -> None:
    print("bye")


app()
"""

HELLO_TABLE = """\
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    table.add_column("greeting")
    table.add_row("hello")
    Console().print(table)


@app.command()
def bye() -> None:
    print("bye")


app()
"""


def main() -> int:
    runs = 3 if QUICK else 40
    precompile()
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO)
        hello_table = Path(folder) / "hello_table.py"
        hello_table.write_text(HELLO_TABLE)
        python = sys.executable
        smtime = [python, "-m", "smtime"]
        medians = interleaved(
            {
                "hello": [python, str(hello), "hello"],
                "hello-table": [python, str(hello_table), "hello"],
                "json": [*smtime, "estimate", "--format", "json"],
                "version": [*smtime, "--version"],
                "table": [*smtime, "estimate"],
            },
            runs=runs,
        )
    ok = report(
        f"start-up, median of {runs} interleaved runs ({python})",
        [
            ("smtime estimate --format json / hello", medians["json"], medians["hello"], 1.10),
            ("smtime --version / hello", medians["version"], medians["hello"], 1.05),
            (
                "smtime estimate (table) / hello-table",
                medians["table"],
                medians["hello-table"],
                1.10,
            ),
        ],
    )
    return 0 if ok or QUICK else 1


if __name__ == "__main__":
    raise SystemExit(main())
