"""The weekly budget for Beancount and Fava: Fava's ``custom "budget"`` entries, in hours.

One ``open`` directive and one budget entry per family, dated the Monday of the plan's first
week::

    2026-11-30 open Expenses:Social-Media:Veille
    2026-11-30 custom "budget" Expenses:Social-Media:Veille "weekly" 2.00 HOURS

Fava shows the budget beside the hours logged to the same accounts in the ``HOURS``
commodity. Beancount's account names are stricter than hledger's (``account_problem``, as
``beancount.core.account`` writes them): a root among ``ROOTS``, then components that start
with a capital letter or a digit and hold only letters, digits and ``-``. A family id becomes
a component with each word capitalised (``social_media`` → ``Social-Media``). A name that
breaks the rules is refused, never rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from smtime.errors import UsageError
from smtime.i18n import localize
from smtime.plan import Plan, monday_of
from smtime.render.escape import one_line

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
"""Beancount's root accounts, under their default names."""
DEFAULT_ACCOUNT = "Expenses:Social-Media"
"""The parent account of the families in a Beancount budget."""
UNIT = "HOURS"
"""The commodity the hours are counted in."""


def account_problem(name: str) -> str | None:
    """Why ``name`` cannot be a Beancount account name, or None when it can."""
    root, *parts = name.split(":")
    if root not in ROOTS:
        return f"it must start with one of {', '.join(ROOTS)}"
    for part in parts:
        if not part:
            return "it holds an empty part (two colons in a row, or one at an end)"
        if unicodedata.category(part[0]) not in ("Lu", "Nd"):
            return f"{part!r} must start with a capital letter or a digit"
        for char in part:
            if char != "-" and unicodedata.category(char)[0] != "L" and not char.isdecimal():
                return f"{part!r} holds {char!r}: only letters, digits and '-' may follow"
    return None


def check_account(name: str, what: str = "--account") -> None:
    """Raise a ``UsageError`` (exit 2) when ``name`` is not a usable Beancount account name."""
    problem = account_problem(name)
    if problem is not None:
        raise UsageError(f"{what}: {name!r} is not a valid Beancount account name: {problem}")


def component(key: str) -> str:
    """A family id as an account component: ``social_media`` → ``Social-Media``."""
    return "-".join(word[:1].upper() + word[1:] for word in re.split(r"[-_]", key))


def plan_beancount(plan: Plan, *, lang: str, account: str, start: date, name: str) -> str:
    """``open`` directives and Fava budget entries for ``plan``'s weekly hours, from the week
    of ``start``."""
    check_account(account)
    accounts: dict[str, str] = {}
    for line in plan.lines:
        full = f"{account}:{component(line.key)}"
        check_account(full, f"family {line.key!r}")
        if full in accounts.values():
            other = next(key for key, value in accounts.items() if value == full)
            raise UsageError(
                f"families {other!r} and {line.key!r} would share the Beancount account {full!r}"
            )
        accounts[line.key] = full
    day = monday_of(start).isoformat()
    width = max((len(full) for full in accounts.values()), default=0) + 4
    lines = [
        f"; smtime weekly budget: {one_line(name)}",
        '; include "THIS_FILE" from your Beancount file; Fava reads the budget entries',
        *(
            f"; {accounts[line.key]:<{width}}{one_line(localize(line.label, lang))}"
            for line in plan.lines
        ),
        "",
        *(f"{day} open {accounts[line.key]}" for line in plan.lines),
        "",
        *(
            f'{day} custom "budget" {accounts[line.key]:<{width}}"weekly" {line.hours:.2f} {UNIT}'
            for line in plan.lines
        ),
    ]
    return "\n".join(lines) + "\n"
