"""The weekly budget as periodic transaction rules (``~ weekly``), one account per family, for
hledger (``plan_hledger``) and, through the same rules, for Ledger (``smtime.render.ledger``).

``hledger balance --budget`` then sets logged time against it. Timedot logs record plain
hours, so amounts are plain numbers by default; timeclock logs carry the ``h`` unit, and
hledger compares only amounts of the same unit, so ``unit="h"`` writes ``2.50h``.

Account names follow the journal rules both tools share (``check_account``): single spaces
only (two spaces, or a tab, end the name and start the amount), nothing on a second line, and
no space at either end. (Brackets are fine: the name is always written inside ``(…:family)``,
so it never starts or ends the posting's account.)
A name that breaks them is refused, never rewritten.

Family labels are written in comment lines above the rule, never after a posting: both tools
read a posting's comment (hledger's ``date:`` tags, Ledger's ``[dates]`` and ``Key: value``),
and a label such as ``Events [2026]`` would break the file there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from smtime.errors import UsageError
from smtime.i18n import localize
from smtime.plan import Plan, monday_of
from smtime.render.escape import one_line

DEFAULT_ACCOUNT = "social-media"
"""The parent account of the families in hledger and Ledger budgets."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def account_problem(name: str) -> str | None:
    """Why ``name`` cannot be an hledger or Ledger account name, or None when it can."""
    if not name:
        return "it is empty"
    if _CONTROL.search(name):
        return "it holds a tab, a line break or another control character"
    if "  " in name:
        return "it holds two spaces in a row, which end an account name"
    if name != name.strip():
        return "it starts or ends with a space"
    return None


def check_account(name: str, what: str = "--account", tool: str = "hledger") -> None:
    """Raise a ``UsageError`` (exit 2) when ``name`` is not a usable account name of ``tool``
    (hledger or Ledger, which read account names alike)."""
    problem = account_problem(name)
    if problem is not None:
        raise UsageError(f"{what}: {name!r} is not a valid {tool} account name: {problem}")


def period(start: date | None) -> str:
    """``weekly``, or ``weekly from`` the Monday of ``start``'s week (hledger refuses a weekly
    rule that starts on another day)."""
    return "weekly" if start is None else f"weekly from {monday_of(start).isoformat()}"


def amount(hours: float, unit: str | None) -> str:
    """``2.5`` → ``2.5`` (no unit), ``2.50h`` (unit ``h``)."""
    if unit is None:
        return f"{hours:.2f}".rstrip("0").rstrip(".")
    return f"{hours:.2f}{unit}"


def budget_lines(
    plan: Plan, *, lang: str, account: str, written: Callable[[float], str], tool: str
) -> tuple[list[str], list[str]]:
    """The comment lines that name each family's account and label, and the postings of the
    rule (``(account:family)  AMOUNT``, the hours ``written`` as the tool reads them), after
    checking every account name for ``tool``."""
    check_account(account, tool=tool)
    accounts = [f"{account}:{line.key}" for line in plan.lines]
    for line, name in zip(plan.lines, accounts, strict=True):
        check_account(name, f"family {line.key!r}", tool)
    width = max((len(name) for name in accounts), default=0) + 4
    labels = [
        f"; {name:<{width}}{one_line(localize(line.label, lang))}"
        for line, name in zip(plan.lines, accounts, strict=True)
    ]
    postings = [
        f"    {f'({name})':<{width}}{written(line.hours):>8}"
        for line, name in zip(plan.lines, accounts, strict=True)
    ]
    return labels, postings


def plan_hledger(
    plan: Plan, *, lang: str, account: str, unit: str | None, start: date | None, name: str
) -> str:
    """Periodic transaction rules for ``plan``'s weekly budget hours."""
    labels, postings = budget_lines(
        plan, lang=lang, account=account, written=lambda hours: amount(hours, unit), tool="hledger"
    )
    lines = [
        f"; smtime weekly budget: {one_line(name)}",
        "; hledger balance --budget -f THIS_FILE -f YOUR_TIME_LOG",
        *labels,
        f"~ {period(start)}  smtime budget",
        *postings,
    ]
    return "\n".join(lines) + "\n"
