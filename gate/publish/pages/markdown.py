"""Verdict + Result -> the Markdown report (job summary, standard output, PR comment).

Text from the API is untrusted: gate/publish/words/escape.py strips HTML, escapes Markdown and
defuses @mentions before it reaches the report. GitHub drops a step summary over
1 MiB silently and refuses a comment over 65,536 characters, so rendering shrinks long tables
to fit a budget, never its first screen. The layout is written in the page_* modules:
page_top.py (the first screen: verdict, why, the checks that block), page_summary.py (the rest
of the job summary, with page_repeats.py), page_comment.py (the rest of the PR comment) and
page_parts.py (what they share).
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from gate import __version__
from gate.judge.verdict import Verdict, VerdictKind
from gate.publish.findings import causes, evidence, rows, why
from gate.publish.pages import chart, page_comment, page_summary, page_top
from gate.publish.pages.report_context import ReportContext
from gate.publish.words import wording
from gate.publish.words.escape import md_cell, md_link_url
from gate.publish.words.notes import note_text
from gate.result.model import Result, Run

SUMMARY_BUDGET = 1_000_000  # bytes; GitHub's limit is 1 MiB, leave room for other steps
COMMENT_BUDGET = 60_000  # characters; GitHub refuses comments over 65,536
EVIDENCE_RUNS = 20  # failing runs shown with their evidence, before the budget shrinks it
SCENARIO_ROWS = 50


_HEADLINE = {
    VerdictKind.PASS: "✅ Cekura gate passed",
    VerdictKind.FAIL: "❌ Cekura gate failed",
    VerdictKind.ERROR: "⚠️ Cekura gate could not evaluate",
}
#: rows of blocking and warning checks on the first screen; the rest are counted
TOP_ROWS = 25
#: problems named in the pull-request comment
COMMENT_PROBLEMS = 3
#: rows of the blocking table in the comment
COMMENT_ROWS = 10
CAUSES_SHOWN = 50
CALL_LINKS = 100  # calls of a group linked behind its fold


def render(
    verdict: Verdict,
    result: Result | None,
    *,
    context: ReportContext | None = None,
    budget: int = SUMMARY_BUDGET,
) -> str:
    """The job summary, shrunk to fit `budget` (UTF-8 bytes); its first screen never shrinks."""
    context = context or ReportContext()
    page = _Page.of(verdict, result, context)
    top = page.top()
    failing = sorted(result.failing_runs, key=_severity) if result else []
    # built once: the budget below only ever shows fewer of them
    proofs_built = [evidence.build(run) for run in failing[:EVIDENCE_RUNS]]
    proofs = len(proofs_built)
    links, shown_causes, scenario_rows = CALL_LINKS, CAUSES_SHOWN, SCENARIO_ROWS
    scenarios = verdict.scenarios if len(verdict.scenarios) > 1 else ()
    held_line, footer = page.held_line(), page.footer()
    while True:
        shown = page_summary.Shown(
            causes=page.causes[:shown_causes],
            hidden_causes=page.causes[shown_causes:],
            links=links,
            scenarios=scenarios[:scenario_rows],
            hidden_scenarios=max(0, len(scenarios) - scenario_rows),
            evidence=proofs_built[:proofs],
            hidden_evidence=len(failing) - proofs,
            failing_total=len(failing),
        )
        rest = page_summary.rest(
            verdict=verdict,
            result=result,
            ctx=context,
            other_rows=page.other_rows,
            held_line=held_line,
            chart=page.chart,
            shown=shown,
            footer=footer,
        )
        text = top + rest
        if len(text.encode("utf-8")) <= budget:
            return text
        # The bulkiest parts go first: full evidence, then call links, then whole groups,
        # then scenario rows. The first screen (`top`) is never cut.
        if proofs:
            proofs //= 2
        elif links > 5:
            links //= 4
        elif shown_causes > 3:
            shown_causes //= 2
        elif scenario_rows > 5:
            scenario_rows //= 2
        else:
            return _truncate(text, budget, context.summary_url)


def first_screen(verdict: Verdict, result: Result | None, context: ReportContext) -> str:
    """What the job summary and the comment both open with."""
    return _Page.of(verdict, result, context).top()


def comment_body(
    verdict: Verdict,
    result: Result | None,
    *,
    context: ReportContext | None = None,
    budget: int = COMMENT_BUDGET,
) -> str:
    """The pull-request comment (without its hidden marker): the first screen, the top
    problems, a link to the full job summary, the commit, the run and when it was updated."""
    context = context or ReportContext()
    page = _Page.of(verdict, result, context, rows_shown=COMMENT_ROWS)
    text = page.top(held_inline=True) + page_comment.rest(
        causes=page.causes[:COMMENT_PROBLEMS],
        causes_total=len(page.causes),
        summary_url=context.summary_url,
        footer=page.footer(),
    )
    return _truncate(text, budget, context.summary_url)


_TOP = (rows.Standing.BLOCKS, rows.Standing.WARNS)


class _Page(msgspec.Struct, frozen=True, gc=False):
    """What every surface is made from, computed once per report."""

    verdict: Verdict
    result: Result | None
    ctx: ReportContext
    top_rows: tuple[rows.Row, ...]
    hidden_top: int
    other_rows: tuple[rows.Row, ...]
    causes: tuple[causes.Cause, ...]
    why: str
    chart: str

    @classmethod
    def of(
        cls,
        verdict: Verdict,
        result: Result | None,
        ctx: ReportContext,
        *,
        rows_shown: int = TOP_ROWS,
    ) -> _Page:
        every = rows.rows(verdict)
        top = [r for r in every if r.standing in _TOP]
        groups = causes.group(result, verdict)
        return cls(
            verdict=verdict,
            result=result,
            ctx=ctx,
            top_rows=tuple(top[:rows_shown]),
            hidden_top=max(0, len(top) - rows_shown),
            other_rows=tuple(r for r in every if r.standing not in _TOP),
            causes=groups,
            why=why.sentence(verdict, groups, md_cell) if verdict.kind is VerdictKind.FAIL else "",
            chart=chart.success_by_scenario(verdict),
        )

    @property
    def stopped(self) -> bool:
        """A usage or config error stopped the gate before it looked at any result."""
        return wording.error_kind(self.verdict) in wording.STOPPED_KINDS

    def top(self, *, held_inline: bool = False) -> str:
        warnings = [r for r in self.top_rows if r.standing is rows.Standing.WARNS]
        return page_top.first_screen(
            headline=self.headline(),
            verdict=self.verdict,
            result=self.result,
            ctx=self.ctx,
            facts=self.facts(),
            stopped=self.stopped,
            why=self.why,
            top_rows=self.top_rows,
            hidden_top=self.hidden_top,
            warning_rows=warnings,
            warning_titles=", ".join(md_cell(r.title, 120) for r in warnings[:5])
            + (" …" if len(warnings) > 5 else ""),
            held_line=self.held_line(),
            held_inline=held_inline,
            notes=not held_inline,  # the comment stays short: the notes are in the summary
        )

    def facts(self) -> tuple[str, ...]:
        """What a reader must know to trust the numbers, under the identity line: how the
        result was obtained (decided early, reattached) and what reading it had to decide
        (runs counted but not listed, duplicates dropped), which can move the rate."""
        read = tuple(map(note_text, self.result.notes)) if self.result else ()
        return (*self.ctx.notes, *read)

    def headline(self) -> str:
        if self.stopped:
            return f"⛔ Cekura gate stopped · {wording.error_kind(self.verdict)}"
        text = _HEADLINE[self.verdict.kind]
        blocking = len(self.verdict.failed_checks)
        warnings = len(self.verdict.warnings)
        if self.verdict.kind is VerdictKind.FAIL:
            text += f" · {blocking} blocking check{'' if blocking == 1 else 's'}"
        elif self.verdict.kind is VerdictKind.PASS and warnings:
            text += f" · {warnings} warning{'' if warnings == 1 else 's'}"
        return text

    def held_line(self) -> str:
        """'✅ 8 checks passed · ⚖️ 1 too close to call with 12 calls'."""
        held = sum(1 for r in self.other_rows if r.standing is rows.Standing.HOLDS)
        close = [r for r in self.other_rows if r.standing is rows.Standing.INCONCLUSIVE]
        parts = []
        if held:
            parts.append(f"✅ {held} check{'' if held == 1 else 's'} passed")
        if close:
            runs = self.result.total_runs if self.result else 0
            within = f" with {why.calls(runs)}" if runs else ""
            parts.append(f"⚖️ {len(close)} too close to call{within}")
        unreached = sum(1 for r in self.other_rows if r.standing is rows.Standing.NOT_REACHED)
        if unreached:
            parts.append(f"⏭️ {unreached} not reached (decided early)")
        return " · ".join(parts)

    def footer(self) -> str:
        ctx = self.ctx
        parts = [f"cekura-gate {__version__}"]
        if ctx.commit:
            parts.append(f"commit `{md_cell(ctx.commit[:7], 12)}`")
        run_link = md_link_url(ctx.run_url)
        if run_link:
            number_ = f" #{md_cell(ctx.run_number, 20)}" if ctx.run_number else ""
            label = f"workflow run{number_}"
            parts.append(f"[{label}]({run_link})")
        if ctx.updated_at is not None:
            parts.append(f"updated {utc(ctx.updated_at)}")
        return "<sub>" + " · ".join(parts) + "</sub>"


def utc(moment: datetime) -> str:
    """'2026-07-17 10:04 UTC': to the minute, no microseconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _severity(run: Run) -> tuple[int, float, int, str]:
    """Worst first: runs that errored, then the lowest expected-outcome score, then the
    most failed metrics."""
    errored = 0 if run.success is None or run.status not in ("", "completed") else 1
    score = run.expected_outcome_score if run.expected_outcome_score is not None else 101.0
    failed_metrics = sum(1 for m in run.metrics if m.passed is False)
    return (errored, score, -failed_metrics, run.id)


def _truncate(text: str, budget: int, summary_url: str) -> str:
    data = text.encode("utf-8")
    if len(data) <= budget:
        return text
    where = f" See the [full report]({summary_url})." if summary_url else ""
    note = f"\n\n_Report shortened to fit GitHub's size limit.{where}_\n"
    keep = data[: budget - len(note.encode("utf-8"))].decode("utf-8", errors="ignore")
    return keep[: keep.rfind("\n") + 1] + note
