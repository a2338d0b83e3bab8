"""Verdict + Result -> the Markdown report (job summary, standard output, PR comment).

Text from the API is untrusted: the md_* and html_text functions here strip HTML, escape
Markdown and defuse @mentions before it reaches the report. GitHub drops a step summary over
1 MiB silently and refuses a comment over 65,536 characters, so rendering shrinks long tables
to fit a budget. The layout has one source, templates/summary.md.j2: Jinja2 compiles it the
first time a report is rendered in a process (~35 ms, benchmarks/evaluation.py --phases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gate import __version__
from gate.judge.verdict import Outcome, Verdict, VerdictKind
from gate.publish import display, wording
from gate.publish.fmt import number
from gate.result import evidence
from gate.result.model import Result, Run

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
    Outcome.NOT_REACHED: "⏭️ not reached",
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


TEMPLATE = "summary.md.j2"


def _template() -> Any:
    """templates/summary.md.j2, compiled by Jinja2 with the report's filters."""
    import jinja2  # only the check flow renders a report; validate and --version never do

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gate.publish", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping is done by the md_* filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md_text=md_text,
        md_lines=md_lines,
        md_cell=md_cell,
        html_text=html_text,
        url=md_link_url,
        number=number,
        was=display.was,
        delta=display.delta,
        threshold=wording.threshold,
        actual=wording.actual,
        detail=wording.detail,
    )
    return env.get_template(TEMPLATE)


_TEMPLATE: Any = None


def render(
    verdict: Verdict,
    result: Result | None,
    *,
    context: ReportContext | None = None,
    budget: int = SUMMARY_BUDGET,
) -> str:
    """The report, shrunk to fit `budget` (measured in UTF-8 bytes)."""
    global _TEMPLATE
    if _TEMPLATE is None:  # compiled once per process
        _TEMPLATE = _template()
    template = _TEMPLATE
    context = context or ReportContext()
    failing = sorted(result.failing_runs, key=_severity) if result else []
    shown = min(len(failing), 50)
    proofs = min(shown, EVIDENCE_RUNS)
    scenarios = verdict.scenarios
    show_scenarios = bool(scenarios) and (any(row.check for row in scenarios) or len(scenarios) > 1)
    while True:
        text = template.render(
            verdict=verdict,
            result=result,
            ctx=context,
            version=__version__,
            icon=_ICON,
            headline=_HEADLINE[verdict.kind],
            failing=failing[:shown],
            failing_total=len(failing),
            hidden_runs=len(failing) - shown,
            detail_limit=TEXT_LIMIT if shown > 5 else TEXT_LIMIT // 4,
            has_delta=any(display.compared(c) for c in verdict.checks),
            scenarios=scenarios[:SCENARIO_ROWS] if show_scenarios else (),
            scenarios_checked=any(row.check for row in scenarios),
            hidden_scenarios=max(0, len(scenarios) - SCENARIO_ROWS) if show_scenarios else 0,
            evidence=[evidence.build(run) for run in failing[:proofs]],
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
