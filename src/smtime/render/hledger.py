"""The weekly budget as hledger periodic transaction rules (``~ weekly``), one account per family.

``hledger balance --budget`` then sets logged time against it. Timedot logs record plain
hours, so amounts are plain numbers by default; timeclock logs carry the ``h`` unit, and
hledger compares only amounts of the same unit, so ``unit="h"`` writes ``2.50h``.

Account names follow hledger's journal rules (``check_account``): single spaces only (two
spaces, or a tab, end the name and start the amount), nothing on a second line, and no space
at either end. (Brackets are fine: the name is always written inside ``(…:family)``, so it
never starts or ends the posting's account.)
A name that breaks them is refused, never rewritten.
"""

from __future__ import annotations

import re
from datetime import date

from smtime.errors import UsageError
from smtime.i18n import localize
from smtime.plan import Plan
from smtime.render.escape import one_line

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def account_problem(name: str) -> str | None:
    """Why ``name`` cannot be an hledger account name, or None when it can."""
    if not name:
        return "it is empty"
    if _CONTROL.search(name):
        return "it holds a tab, a line break or another control character"
    if "  " in name:
        return "it holds two spaces in a row, which end an account name"
    if name != name.strip():
        return "it starts or ends with a space"
    return None


def check_account(name: str, what: str = "--account") -> None:
    """Raise a ``UsageError`` (exit 2) when ``name`` is not a usable hledger account name."""
    problem = account_problem(name)
    if problem is not None:
        raise UsageError(f"{what}: {name!r} is not a valid hledger account name: {problem}")


def plan_hledger(
    plan: Plan, *, lang: str, account: str, unit: str | None, start: date | None, name: str
) -> str:
    """Periodic transaction rules for ``plan``'s weekly budget hours."""
    check_account(account)
    for line in plan.lines:
        check_account(f"{account}:{line.key}", f"family {line.key!r}")
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
