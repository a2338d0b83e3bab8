"""Verdict + Result -> the Markdown report (job summary, standard output, PR comment).

Text from the API is untrusted: the md_* and html_text functions here strip HTML, escape
Markdown and defuse @mentions before it reaches the report. GitHub drops a step summary over
1 MiB silently and refuses a comment over 65,536 characters, so rendering shrinks long tables
to fit a budget. The report is written by plain Python (`_markdown`), not a template engine:
importing and compiling a Jinja2 template took about a third of a check's own time on a
large result (benchmarks/evaluation.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from gate import __version__, evidence
from gate.evaluate import number
from gate.result import Result, Run
from gate.verdict import Outcome, ScenarioRow, Verdict, VerdictKind

SUMMARY_BUDGET = 1_000_000  # bytes; GitHub's limit is 1 MiB, leave room for other steps
COMMENT_BUDGET = 60_000  # characters; GitHub refuses comments over 65,536
CELL_LIMIT = 300
TEXT_LIMIT = 2_000
EVIDENCE_RUNS = 20  # failing runs shown with their evidence, before the budget shrinks it
SCENARIO_ROWS = 50

_TAG = re.compile(r"<[^>]*>")
# Control characters, and bidirectional overrides that could make text read other than it is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MENTION = re.compile(r"@(?=\w)")


def md_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """Untrusted text made inert for Markdown, still readable."""
    text = _TAG.sub("", str(value or ""))
    text = _CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A zero-width joiner after '@' stops GitHub from notifying someone named in the API's text.
    return _MENTION.sub("@\u200d", text)


def md_lines(value: object, limit: int = TEXT_LIMIT) -> str:
    """Untrusted multi-line text kept on separate lines within one paragraph."""
    lines = str(value or "").splitlines() or [""]
    return "<br>\n".join(md_text(line.strip(), limit) for line in lines)


def md_cell(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text for a table cell: one line, pipes escaped."""
    return md_text(" ".join(str(value or "").split()), limit)


def html_text(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text inside an HTML element (a <summary>): one line, tags stripped, escaped."""
    text = _TAG.sub("", " ".join(str(value or "").split()))
    text = _CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # html.escape(text, quote=False), without importing html (and its entity table)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@\u200d", text)


def md_link_url(value: object) -> str:
    """A URL we may put inside (...): http(s) only, no spaces or parentheses."""
    url = str(value or "").strip()
    if not re.match(r"^https?://[^\s()<>]+$", url):
        return ""
    return url


_ICON = {
    Outcome.PASS: "✅ pass",
    Outcome.FAIL: "❌ fail",
    Outcome.MISSING: "❔ missing",
    Outcome.INCONCLUSIVE: "⚖️ inconclusive",
}
_HEADLINE = {
    VerdictKind.PASS: "✅ Cekura gate passed",
    VerdictKind.FAIL: "❌ Cekura gate failed",
    VerdictKind.ERROR: "⚠️ Cekura gate could not evaluate",
}


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Facts about the run that are not in the verdict or the result."""

    policy_source: str = "default policy"
    result_id: str = ""
    summary_url: str = ""  # where the full job summary lives (for a shortened comment)


def render(
    verdict: Verdict,
    result: Result | None,
    *,
    context: ReportContext | None = None,
    budget: int = SUMMARY_BUDGET,
) -> str:
    """The report, shrunk to fit `budget` (measured in UTF-8 bytes)."""
    context = context or ReportContext()
    failing = sorted(result.failing_runs, key=_severity) if result else []
    shown = min(len(failing), 50)
    proofs = min(shown, EVIDENCE_RUNS)
    scenarios = verdict.scenarios
    show_scenarios = bool(scenarios) and (any(row.check for row in scenarios) or len(scenarios) > 1)
    while True:
        text = _markdown(
            verdict,
            result,
            context,
            failing=failing[:shown],
            failing_total=len(failing),
            hidden_runs=len(failing) - shown,
            detail_limit=TEXT_LIMIT if shown > 5 else TEXT_LIMIT // 4,
            has_delta=any(c.delta for c in verdict.checks),
            scenarios=scenarios[:SCENARIO_ROWS] if show_scenarios else (),
            scenarios_checked=any(row.check for row in scenarios),
            hidden_scenarios=max(0, len(scenarios) - SCENARIO_ROWS) if show_scenarios else 0,
            proofs=[evidence.build(run) for run in failing[:proofs]],
            hidden_evidence=len(failing) - proofs,
        )
        if len(text.encode("utf-8")) <= budget or shown == 0:
            break
        # Evidence is the bulkiest part: give it up first, then rows of the table.
        if proofs:
            proofs //= 2
        else:
            shown //= 2
    return _truncate(text, budget, context.summary_url)


def _markdown(
    verdict: Verdict,
    result: Result | None,
    ctx: ReportContext,
    *,
    failing: list[Run],
    failing_total: int,
    hidden_runs: int,
    detail_limit: int,
    has_delta: bool,
    scenarios: tuple[ScenarioRow, ...],
    scenarios_checked: bool,
    hidden_scenarios: int,
    proofs: list[evidence.Evidence],
    hidden_evidence: int,
) -> str:
    """The report's text. Every value from the API goes through an md_*/html_text function."""
    out = [f"## {_HEADLINE[verdict.kind]}\n\n"]
    add = out.append
    policy = md_text(ctx.policy_source, 200)
    if result is not None:
        title = md_text(result.name, 200) if result.name else "Result " + md_text(result.id, 40)
        if result.url:
            title = f"[{title}]({md_link_url(result.url)})"
        named = f" (id {md_text(result.id, 40)})" if result.id else ""
        total = result.total_runs
        add(
            f"**{title}**{named} · status `{md_cell(result.status, 40) or 'missing'}` · "
            f"{total} run{'' if total == 1 else 's'} · policy: {policy}\n"
        )
    else:
        add(f"**Result {md_text(ctx.result_id, 40) or 'unknown'}** · policy: {policy}\n")
    ref = verdict.baseline
    if ref is not None:
        if ref.found:
            title = md_text(ref.name, 200) if ref.name else "Result " + md_text(ref.id, 40)
            if ref.url:
                title = f"[{title}]({md_link_url(ref.url)})"
            created = ""
            if ref.created_at:
                created = f" · created {md_text(ref.created_at[:16].replace('T', ' '), 40)}"
            add(
                f"\nBaseline: **{title}** (id {md_text(ref.id, 40)}){created} · "
                f"{md_text(ref.how, 300)}\n"
            )
        else:
            add(
                f"\nBaseline: **not found** ({md_text(ref.how, 300)}): {md_text(ref.reason, 500)}\n"
            )
    add("\n")

    if verdict.kind == VerdictKind.ERROR:
        add(
            f"**What happened ({md_text(verdict.error_kind, 100)}):** {md_lines(verdict.reason)}"
            "\n\nThe gate neither passed nor failed the agent: it could not reach a verdict.\n"
        )
    elif verdict.kind == VerdictKind.FAIL:
        failed = verdict.failed_checks
        listed = "; ".join(
            f"{md_text(c.title, 200)} is {md_text(c.actual, 200)}, "
            f"needs {md_text(c.threshold, 100)}"
            for c in failed
        )
        add(
            f"**{len(failed)} check{'' if len(failed) == 1 else 's'} failed:** "
            f"{listed}{'.' if failed else ''}\n"
        )
    else:
        warnings = len(verdict.warnings)
        also = f", with {warnings} warning{'' if warnings == 1 else 's'}" if warnings else ""
        add(f"All {len(verdict.checks)} checks held{also}.\n")

    if verdict.checks:
        if has_delta:
            add("\n| Check | Threshold | Actual | vs baseline | Result |\n|---|---|---|---|---|\n")
        else:
            add("\n| Check | Threshold | Actual | Result |\n|---|---|---|---|\n")
        for c in verdict.checks:
            detail = f"<br>{md_cell(c.detail)}" if c.detail and not c.held else ""
            vs = ""
            if has_delta:
                was = f"{md_cell(c.delta)} (was {md_cell(c.baseline)})" if c.delta else "—"
                vs = f" {was} |"
            warn = " (warn)" if not c.held and c.level == "warn" else ""
            add(
                f"| {md_cell(c.title)} | {md_cell(c.threshold)} | {md_cell(c.actual)}{detail} |"
                f"{vs} {_ICON[c.outcome]}{warn} |\n"
            )

    if scenarios:
        found = ref is not None and ref.found
        heading = f"Scenarios ({len(verdict.scenarios)}, worst first)"
        add(
            f"\n### {heading}\n"
            if scenarios_checked
            else f"\n<details><summary>{heading}</summary>\n"
        )
        add(
            "\n| Scenario | Runs | Succeeded | Success rate |"
            + (" vs baseline |" if found else "")
            + " Result |\n|---|---|---|---|"
            + ("---|" if found else "")
            + "---|\n"
        )
        for s in scenarios:
            named = f" ({s.scenario_id})" if s.scenario_id is not None else ""
            vs = ""
            if found:
                if s.baseline_rate is None:
                    vs = " new |"
                else:
                    if s.rate - s.baseline_rate >= 0.005:
                        moved = f"↑ {number(s.rate - s.baseline_rate)} pp"
                    elif s.baseline_rate - s.rate >= 0.005:
                        moved = f"↓ {number(s.baseline_rate - s.rate)} pp"
                    else:
                        moved = "→ no change"
                    vs = f" {moved} (was {number(s.baseline_rate)}%) |"
            if s.outcome:
                state = _ICON[s.outcome]
            elif s.passed == s.runs:
                state = "all passed"
            else:
                state = f"{s.runs - s.passed} failed (not checked)"
            add(
                f"| {md_cell(s.name)}{named} | {s.runs} | {s.passed} | {number(s.rate)}% |"
                f"{vs} {state} |\n"
            )
        if hidden_scenarios:
            add(
                f"| _and {hidden_scenarios} more scenario{'' if hidden_scenarios == 1 else 's'}_ "
                f"| | | |{' |' if found else ''} |\n"
            )
        if not scenarios_checked:
            add("\n</details>\n")

    rules = result.performance_metrics if result is not None else None
    if rules:
        add(
            f"\n<details><summary>Rubric rules ({len(rules)})</summary>\n\n"
            "| Metric | Aggregated value | Condition | Met |\n|---|---|---|---|\n"
        )
        for r in rules:
            value = number(r.value) if r.value is not None else "—"
            met = "✅" if r.met is True else ("❌" if r.met is False else "❔")
            add(f"| {md_cell(r.metric)} | {value} | {md_cell(r.conditions) or '—'} | {met} |\n")
        add("\n</details>\n")

    if failing and result is not None:
        add(
            f"\n### Failing runs ({failing_total} of {result.total_runs})\n\n"
            "| Scenario | Run | Status | Reason |\n|---|---|---|---|\n"
        )
        for run in failing:
            add(
                f"| {md_cell(run.scenario_name)} | {md_cell(run.id, 40)} | "
                f"{md_cell(run.status, 40) or '—'} | {md_cell(run.reason)} |\n"
            )
        if hidden_runs:
            add(
                f"| _and {hidden_runs} more failing run{'' if hidden_runs == 1 else 's'}_ | | | |\n"
            )
        if proofs:
            add("\n#### Evidence, worst first\n\n")
            for e in proofs:
                _evidence(add, e)
            if hidden_evidence:
                add(
                    f"\n_Evidence for {hidden_evidence} more failing "
                    f"run{'' if hidden_evidence == 1 else 's'} is left out to fit the size limit; "
                    "see the JSON report or the dashboard._\n"
                )

    if result is not None and (result.failed_reasons or result.ai_summary):
        add("\n### Cekura's analysis\n\n")
        for reason in result.failed_reasons[:10]:
            add(f"- {md_cell(reason, detail_limit)}\n")
        if result.ai_summary:
            add("\n")
            for line in result.ai_summary.splitlines():
                add(f"> {md_text(line, detail_limit)}\n")
    add("\n")
    if verdict.kind == VerdictKind.FAIL:
        add(
            "**What to do:** open the failing runs in the Cekura dashboard, fix the agent and "
            "re-run; or, if the threshold is wrong, change it in "
            f"{policy}.\n"
        )
    notes = ""
    if result is not None and result.notes:
        notes = f" · {md_text('; '.join(result.notes), 500)}"
    add(f"<sub>cekura-gate {__version__}{notes}</sub>\n")
    return "".join(out)


def _evidence(add: Callable[[str], None], e: evidence.Evidence) -> None:
    """One failing run's evidence, folded: findings, links and the transcript excerpt."""
    status = f" · {html_text(e.status, 40)}" if e.status else ""
    duration = f" · {html_text(e.duration, 20)}" if e.duration else ""
    add(
        f"<details><summary>❌ <b>{html_text(e.scenario, 120)}</b> · run "
        f"{html_text(e.run_id, 40)}{status}{duration} · {html_text(e.reason, 160)}</summary>\n\n"
    )
    for f in e.findings:
        explained = f": {md_cell(f.explanation, 600)}" if f.explanation else ""
        add(f"- **{md_text(f.label, 200)}**{explained}\n")
    recording = md_link_url(e.recording_url)
    run_link = md_link_url(e.run_url)
    if recording or run_link:
        links = [f"[Recording]({recording})"] if recording else []
        links += [f"[Run]({run_link})"] if run_link else []
        add(f"- {' · '.join(links)}\n")
    add("\n")
    if e.turns:
        add(
            "Transcript, with the turns the explanation points at (👉):\n\n"
            if e.turns_named
            else "Transcript, last turns:\n\n"
        )
        for n, t in enumerate(e.turns):
            if n and t.index > e.turns[n - 1].index + 1:
                add("> …\n>\n")  # turns left out between these two
            time = f" ({md_text(t.time, 12)})" if t.time else ""
            add(
                f"> {'👉 ' if t.named else ''}**{md_text(t.role, 40) or '?'}**{time}: "
                f"{md_cell(t.content, 400)}\n"
            )
            if n < len(e.turns) - 1:
                add(">\n")
        add("\n")
    add("</details>\n")


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
