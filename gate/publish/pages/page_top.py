"""The first screen of the job summary and of the pull-request comment: the verdict, what was
judged, why, and the checks that block or warn. It never depends on the size budget."""

from __future__ import annotations

from collections.abc import Sequence

from gate.judge.verdict import Verdict, VerdictKind
from gate.publish.findings.rows import Row
from gate.publish.pages.page_parts import checks_table, identity
from gate.publish.pages.report_context import ReportContext
from gate.publish.words import wording
from gate.publish.words.escape import md_cell, md_lines
from gate.result.model import Result


def first_screen(
    *,
    headline: str,
    verdict: Verdict,
    result: Result | None,
    ctx: ReportContext,
    facts: Sequence[str],
    stopped: bool,
    why: str,
    top_rows: Sequence[Row],
    hidden_top: int,
    warning_rows: Sequence[Row],
    warning_titles: str,
    held_line: str,
    held_inline: bool,
    notes: bool,
) -> str:
    """The first screen, its blocks separated by blank lines."""
    blocks = [f"## {headline}", identity(result, verdict, ctx)]
    blocks += [f"> ℹ️ {md_cell(fact, 500)}" for fact in facts]
    kind = verdict.kind
    if kind is VerdictKind.ERROR:
        blocks.append(
            f"**What happened ({md_cell(wording.error_kind(verdict), 100)}):** "
            f"{md_lines(wording.verdict_reason(verdict))}"
        )
        blocks.append(
            "Nothing was evaluated: fix what is named above and run the job again."
            if stopped
            else "The gate neither passed nor failed the agent: it could not reach a verdict."
        )
    elif kind is VerdictKind.FAIL:
        blocks.append(f"**Why it failed:** {why or 'see the blocking checks below.'}")
    elif warning_rows:
        count = len(warning_rows)
        blocks.append(
            f"**Passed, with {count} warning{'' if count == 1 else 's'}** that cannot block: "
            f"{warning_titles}."
        )
    elif verdict.checks and held_inline:
        blocks.append(f"**All {len(verdict.checks)} checks held.**")
    if top_rows:
        table = checks_table(top_rows, notes=notes)
        if hidden_top:
            table += f"\n_and {hidden_top} more blocking or warning checks, in the JSON report_"
        blocks.append(table)
    if held_line and held_inline and (kind is not VerdictKind.PASS or top_rows):
        blocks.append(held_line)
    return "\n\n".join(blocks) + "\n"
