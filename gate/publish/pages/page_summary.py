"""The job summary below its first screen (page_top.py): the other checks, the chart, what went
wrong grouped by cause, then everything else folded, and the footer.

Each function returns blocks (Markdown separated by one blank line from the next); a block
holds no blank line of its own unless it is a fold (<details>) that needs one. `Shown` says how
much of each long part fits the size budget (markdown.py shrinks it)."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from gate.judge.verdict import Outcome, ScenarioRow, Verdict, VerdictKind
from gate.publish.findings.causes import Cause
from gate.publish.findings.evidence import Evidence
from gate.publish.findings.rows import Row, metric_value
from gate.publish.findings.why import calls, failed_what, of_calls
from gate.publish.pages import page_parts, page_repeats
from gate.publish.pages.report_context import ReportContext
from gate.publish.words.escape import TEXT_LIMIT, md_cell, md_link_url, md_text
from gate.publish.words.fmt import grouped, signed
from gate.result.model import Result

OUTCOME_ICON = {
    Outcome.PASS: "✅",
    Outcome.FAIL: "❌",
    Outcome.MISSING: "❔",
    Outcome.INCONCLUSIVE: "⚖️",
    Outcome.NOT_REACHED: "⏭️",
}
DETAIL_LIMIT = TEXT_LIMIT // 4  # characters of one line of Cekura's AI summary
AI_REASONS = 10  # of Cekura's failed reasons, listed
INLINE_CALLS = 6  # calls of a group linked on its own line
EXCERPTS = 10  # groups shown with a transcript excerpt


class Shown(msgspec.Struct, frozen=True, gc=False):
    """How much of each long part is shown; the rest is counted."""

    causes: Sequence[Cause]  # the problem groups shown
    hidden_causes: Sequence[Cause]
    links: int  # calls of a group linked behind its fold
    scenarios: Sequence[ScenarioRow]
    hidden_scenarios: int
    evidence: Sequence[Evidence]
    hidden_evidence: int
    failing_total: int  # failing runs in the result


def rest(
    *,
    verdict: Verdict,
    result: Result | None,
    ctx: ReportContext,
    other_rows: Sequence[Row],
    held_line: str,
    chart: str,
    shown: Shown,
    footer: str,
) -> str:
    """Everything after the first screen, starting with the blank line that separates them."""
    blocks = []
    if other_rows:
        blocks.append(_fold(held_line, page_parts.checks_table(other_rows)))
    if chart:
        blocks.append(chart)
    blocks += _causes(verdict, shown)
    if shown.scenarios:
        blocks.append(_scenarios(verdict, shown))
    blocks += page_repeats.repeats(verdict)
    if result and result.performance_metrics:
        blocks.append(_rubric(result))
    if result and (result.failed_reasons or result.ai_summary):
        blocks.append(_ai_summary(result))
    if shown.evidence:
        blocks.append(_evidence(shown))
    if verdict.kind is VerdictKind.FAIL:
        blocks.append(_what_to_do(ctx.policy_source))
    if ctx.notice:
        blocks.append(f"> ℹ️ {md_cell(ctx.notice, 1000)}")
    blocks.append(f"---\n{footer}")
    return "\n" + "\n\n".join(blocks) + "\n"


def _fold(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _causes(verdict: Verdict, shown: Shown) -> list[str]:
    """What went wrong, one block per problem; a heading when the gate failed, else a fold."""
    if not shown.causes:
        return []
    total = len(shown.causes) + len(shown.hidden_causes)
    failing = calls(shown.failing_total)
    if verdict.kind is VerdictKind.FAIL:
        blocks = [f"### What went wrong · {_plural(total, 'problem')} in {failing}"]
    else:
        blocks = [
            f"<details><summary>{failing} did not succeed · {_plural(total, 'problem')}</summary>"
        ]
    for number, cause in enumerate(shown.causes, 1):
        blocks += _cause(number, cause, shown.links)
    if shown.hidden_causes:
        hidden_calls = sum(len(c.calls) for c in shown.hidden_causes)
        blocks.append(
            f"_and {_plural(len(shown.hidden_causes), 'more problem')} "
            f"({calls(hidden_calls)}), in the JSON report's `what_went_wrong`_"
        )
    if verdict.kind is not VerdictKind.FAIL:
        blocks.append("</details>")
    return blocks


def _cause(number: int, cause: Cause, links: int) -> list[str]:
    """A problem: what failed and Cekura's explanation, an excerpt, the calls it hit."""
    calls_line = page_parts.calls_of(cause.calls, inline=INLINE_CALLS, limit=links)
    if not cause.agent:
        return [
            f"**{number} · Infrastructure, not the agent · {of_calls(cause)}** · "
            f"{md_cell(cause.scenario, 300)}  \n"
            f"{md_cell(cause.explanation.rstrip('.'), 300)}. The call never connected: no "
            "change to the agent fixes this; re-run the result.",
            calls_line,
        ]
    heading = (
        f"**{number} · {md_cell(cause.scenario, 120)} · {of_calls(cause)}** · "
        f"{md_cell(failed_what(cause), 200)}"
    )
    if cause.blocks:
        heading += " · *blocks: a scenario check*"
    if cause.explanation:
        heading += f"  \n{md_cell(cause.explanation, 600)}"
    blocks = [heading]
    if cause.excerpt and number <= EXCERPTS:
        blocks.append(page_parts.excerpt(cause.excerpt))
    return [*blocks, calls_line]


def _scenarios(verdict: Verdict, shown: Shown) -> str:
    """Every scenario, worst first, with the baseline's rate when there is a baseline."""
    compared = bool(verdict.baseline and verdict.baseline.found)
    extra_head, extra_rule = (" Baseline |", "--:|") if compared else ("", "")
    lines = [
        f"| Scenario | Calls | Succeeded | Success rate |{extra_head} Check |",
        f"|---|--:|--:|--:|{extra_rule}---|",
    ]
    for s in shown.scenarios:
        name = md_cell(s.name) + (f" ({s.scenario_id})" if s.scenario_id is not None else "")
        baseline = ""
        if compared:
            if s.baseline_rate is None:
                baseline = " new |"
            else:
                change = signed(s.rate - s.baseline_rate, " pp")
                baseline = f" {grouped(s.baseline_rate)}% ({change}) |"
        check = OUTCOME_ICON[s.outcome] if s.outcome else "—"
        if s.quarantined_until:
            check += f" quarantined until {md_cell(s.quarantined_until, 20)}"
        lines.append(f"| {name} | {s.runs} | {s.passed} | {grouped(s.rate)}% |{baseline} {check} |")
    if shown.hidden_scenarios:
        more = _plural(shown.hidden_scenarios, "more scenario")
        lines.append(f"| _and {more}_ | | | |{' |' if compared else ''} |")
    summary = f"All {len(verdict.scenarios)} scenarios, worst first"
    return _fold(summary, "\n".join(lines))


def _rubric(result: Result) -> str:
    """Cekura's rubric rules as the result reports them."""
    lines = ["| Metric | Aggregated value | Condition | Met |", "|---|--:|---|:-:|"]
    for rule in result.performance_metrics:
        value = metric_value(rule.value, rule.metric) if rule.value is not None else "—"
        met = "✅" if rule.met is True else ("❌" if rule.met is False else "❔")
        lines.append(
            f"| {md_cell(rule.metric)} | {value} | {md_cell(rule.conditions) or '—'} | {met} |"
        )
    return _fold(f"Rubric rules ({len(result.performance_metrics)})", "\n".join(lines))


def _ai_summary(result: Result) -> str:
    """Cekura's failed reasons and AI summary, as Cekura wrote them (made inert)."""
    parts = []
    reasons = result.failed_reasons[:AI_REASONS]
    if reasons:
        parts.append("\n".join(f"- {md_cell(reason, DETAIL_LIMIT)}" for reason in reasons))
    if result.ai_summary:
        lines = result.ai_summary.splitlines()
        parts.append("\n".join(f"> {md_text(line, DETAIL_LIMIT)}" for line in lines))
    return _fold("Cekura's AI summary", "\n\n".join(parts))


def _evidence(shown: Shown) -> str:
    """For each failing call shown: what failed, the links, a transcript excerpt."""
    worst = f", the {len(shown.evidence)} worst shown" if shown.hidden_evidence else ""
    summary = f"Evidence for each failing call ({shown.failing_total:,}{worst})"
    blocks = [f"<details><summary>{summary}</summary>"]
    for proof in shown.evidence:
        blocks += _proof(proof)
    if shown.hidden_evidence:
        blocks.append(
            f"_Evidence for {_plural(shown.hidden_evidence, 'more failing call')} is left out "
            "to fit the size limit; see the JSON report or the dashboard._"
        )
    blocks.append("</details>")
    return "\n\n".join(blocks)


def _proof(proof: Evidence) -> list[str]:
    lines = [f"**{md_cell(proof.scenario, 120)}** · call {md_cell(proof.run_id, 40)}"]
    if proof.status:
        lines[0] += f" · {md_cell(proof.status, 40)}"
    if proof.duration:
        lines[0] += f" · {md_cell(proof.duration, 20)}"
    for finding in proof.findings:
        said = f": {md_cell(finding.explanation, 600)}" if finding.explanation else ""
        lines.append(f"- **{md_cell(finding.label, 200)}**{said}")
    recording, run_link = md_link_url(proof.recording_url), md_link_url(proof.run_url)
    if recording or run_link:
        links = [f"[▶ Recording]({recording})"] if recording else []
        links += [f"[Call]({run_link})"] if run_link else []
        lines.append("- " + " · ".join(links))
    blocks = ["\n".join(lines)]
    if proof.turns:
        blocks.append(page_parts.excerpt(proof.turns))
    return blocks


def _what_to_do(policy_source: str) -> str:
    if policy_source == "default policy":
        where = "set your own in .cekura/gate.yml (the default policy applied)"
    else:
        where = f"change it in {md_cell(policy_source, 200)}"
    return (
        "**What to do:** fix the agent for the problems above and re-run; or, if a limit is "
        f"wrong, {where}."
    )
