"""The checks in the terminal report: a table of the blocking checks and of the warnings, and
the other checks in one line."""

from __future__ import annotations

from collections.abc import Sequence

from gate.judge.verdict import Check, Outcome, Verdict
from gate.publish.console.terminal_text import Paint, join, plain, width
from gate.publish.words import display, wording

#: one screen: the rows each table shows before it counts the rest
TABLE_ROWS = 15
WARNING_ROWS = 3


def check_table(checks: Sequence[Check], mark: str, style: str, paint: Paint) -> list[str]:
    """One aligned row per check; the baseline's columns only when a row has them; the reason
    on the line below, indented."""
    compared = any(display.compared(c) for c in checks)
    header = ["CHECK", "VALUE", "LIMIT"] + (["BASELINE", "CHANGE"] if compared else [])
    rows = []
    for check in checks:
        row = [
            plain(check.title),
            plain(wording.actual(check)),
            plain(wording.threshold(check), 40),
        ]
        if compared:
            row += [plain(display.was(check), 20), plain(display.delta(check), 20)]
        rows.append(row)
    widths = [max(width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    out = [paint("    " + join(header, widths), "dim")]
    for check, row in zip(checks, rows, strict=True):
        out.append(f"  {paint(mark, style)} {join(row, widths)}")
        why = wording.detail(check)
        if why:
            out.append(paint(f"      {plain(why, 200)}", "dim"))
    return out


def more(total: int, what: str, shown: int = 0) -> list[str]:
    """'  … and 7 more warnings (--format json lists every check)' past a table's rows."""
    hidden = total - (shown or TABLE_ROWS)
    return [f"  … and {hidden} more {what} (--format json lists every check)"] if hidden > 0 else []


def others(verdict: Verdict, *, shown: Sequence[Check]) -> str:
    """The checks not in a table, in one line: how many held, which were inconclusive."""
    names = {c.name for c in shown}
    held = [c for c in verdict.checks if c.held and c.name not in names]
    unsure = [
        c for c in verdict.checks if c.outcome is Outcome.INCONCLUSIVE and c.name not in names
    ]
    parts = []
    if held:
        parts.append(f"✓ {len(held)} held ({', '.join(plain(c.title, 40) for c in held)})")
    if unsure:
        words = ", ".join(f"{plain(c.title, 40)} {plain(wording.actual(c), 80)}" for c in unsure)
        parts.append(f"? {len(unsure)} inconclusive, too few runs to tell: {words}")
    label = "Other checks" if shown else "Checks"
    return f"{label}: " + "; ".join(parts) if parts else ""
