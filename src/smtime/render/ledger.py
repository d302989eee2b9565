"""The weekly budget for Ledger 3: a periodic transaction (``~ weekly``) in seconds of time.

Ledger reads the rule as hledger does, with two differences:

- nothing may follow the period on the ``~`` line (Ledger stops there with "Unexpected date
  period token");
- Ledger keeps time in seconds (its time logs, ``i``/``o`` lines, count in seconds, shown in
  hours or minutes), and adds a budget amount written in hours (``2.50h``) to an entry of
  less than an hour as two amounts that are never netted (``-2.50h`` and ``15.0m``). Written
  in seconds (``9000s``), the budget nets against any time, and Ledger shows it in hours
  (``-2.25h``); each posting's comment gives the hours.

Account names, the period and the family labels follow ``smtime.render.hledger``, their one
home. ``ledger --budget`` then sets logged time against the budget; Ledger's weeks start on
Sunday unless it is given ``--start-of-week monday``.
"""

from __future__ import annotations

from datetime import date

from smtime.plan import Plan
from smtime.render.escape import one_line
from smtime.render.hledger import amount, budget_lines, period


def seconds(hours: float) -> str:
    """``2.5`` → ``9000s``: hours in Ledger's unit of time."""
    return f"{round(hours * 3600)}s"


def plan_ledger(plan: Plan, *, lang: str, account: str, start: date | None, name: str) -> str:
    """A Ledger periodic transaction for ``plan``'s weekly budget hours."""
    labels, postings = budget_lines(
        plan, lang=lang, account=account, written=seconds, tool="Ledger"
    )
    lines = [
        f"; smtime weekly budget: {one_line(name)}",
        "; ledger -f THIS_FILE -f YOUR_TIME_LOG --budget --start-of-week monday balance",
        *labels,
        f"~ {period(start)}",
        *(
            f"{posting}  ; {amount(line.hours, 'h')}"
            for posting, line in zip(postings, plan.lines, strict=True)
        ),
    ]
    return "\n".join(lines) + "\n"
