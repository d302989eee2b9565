"""The weekly budget as hledger periodic transaction rules (``~ weekly``), one account per family.

``hledger balance --budget`` then sets logged time against it. Timedot logs record plain
hours, so amounts are plain numbers by default; timeclock logs carry the ``h`` unit, and
hledger compares only amounts of the same unit, so ``unit="h"`` writes ``2.50h``.
"""

from __future__ import annotations

from datetime import date

from smtime.i18n import localize
from smtime.plan import Plan
from smtime.render.escape import one_line


def plan_hledger(
    plan: Plan, *, lang: str, account: str, unit: str | None, start: date | None, name: str
) -> str:
    """Periodic transaction rules for ``plan``'s weekly budget hours."""
    period = "weekly" if start is None else f"weekly from {start.isoformat()}"
    lines = [
        f"; smtime weekly budget: {one_line(name)}",
        "; hledger balance --budget -f THIS_FILE -f YOUR_TIME_LOG",
        f"~ {period}  smtime budget",
    ]
    width = max((len(f"{account}:{line.key}") for line in plan.lines), default=0) + 4
    for line in plan.lines:
        label = one_line(localize(line.label, lang))
        amount = (
            f"{line.hours:.2f}".rstrip("0").rstrip(".")
            if unit is None
            else f"{line.hours:.2f}{unit}"
        )
        posting = f"({account}:{line.key})"
        lines.append(f"    {posting:<{width}}{amount:>8}  ; {label}")
    return "\n".join(lines) + "\n"
