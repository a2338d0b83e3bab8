"""The one sentence at the top of the report that says why: "Why it failed: *Emergency
triage* failed 2 of 2 calls (the agent booked an appointment instead of sending the caller
to 911), and Latency: p90 is 2,453 ms (was 909 ms)."

At most three causes, the ones a person would fix first: the agent's problems on scenarios
(the what-went-wrong groups), then blocking checks on a measure (latency, a rubric rule),
then calls that never connected. Returns Markdown; text from the API goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.verdict import Kind, Verdict
from gate.publish.findings.causes import EXPECTED_OUTCOME, NOT_SUCCESSFUL, Cause
from gate.publish.findings.rows import Row, Standing, rows

MOST = 3
EXPLANATION_WORDS = 160  # characters of Cekura's explanation quoted in the sentence


def calls(count: int) -> str:
    return f"{count:,} call{'' if count == 1 else 's'}"


def of_calls(cause: Cause) -> str:
    """'2 of 2 calls', or '3 calls' when the scenario's run count says nothing more."""
    if cause.scenario_runs and cause.scenario_runs >= len(cause.calls) and cause.agent:
        return f"{len(cause.calls):,} of {calls(cause.scenario_runs)}"
    return calls(len(cause.calls))


def failed_what(cause: Cause) -> str:
    """What the group failed, in words: 'expected outcome 0/100', 'Workflow Adherence failed'."""
    if cause.failed == EXPECTED_OUTCOME:
        score = f" {cause.score:g}/100" if cause.score is not None else ""
        return f"expected outcome{score}"
    if cause.failed == NOT_SUCCESSFUL:
        return "marked unsuccessful"
    if not cause.agent:
        return "never connected"
    return f"{cause.failed} failed"


def sentence(
    verdict: Verdict,
    causes: tuple[Cause, ...],
    escape: Callable[[str, int], str],
) -> str:
    """The causes of a failed verdict as one sentence (no leading label), or ""."""
    parts: list[str] = []
    agent = [c for c in causes if c.agent]
    infrastructure = [c for c in causes if not c.agent]
    for cause in agent[:2]:
        why = _clause(cause.explanation, escape)
        text = f"*{escape(cause.scenario, 60)}* failed {of_calls(cause)}"
        parts.append(text + (f" ({why})" if why else f" ({failed_what(cause)})"))
    blocking = [row for row in rows(verdict) if row.standing is Standing.BLOCKS]
    measured = [row for row in blocking if _is_measure(row)]
    if any(Kind.RUBRIC_RULE in _kinds(row) for row in measured):
        # "rubric rules met: 1 of 2" says less than the rule that missed
        measured = [row for row in measured if Kind.RUBRIC_ALL_MET not in _kinds(row)]
    for row in measured[: MOST - len(parts)]:
        parts.append(_measure(row, escape))
    if not parts:
        # No scenario problem and no measure: say which rates or counts missed, plainly.
        for row in blocking[:MOST]:
            parts.append(_measure(row, escape))
    if infrastructure and len(parts) < MOST:
        count = sum(len(c.calls) for c in infrastructure)
        parts.append(f"{calls(count)} never connected (not the agent's fault)")
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0] + "."
    return ", ".join(parts[:-1]) + ", and " + parts[-1] + "."


def _kinds(row: Row) -> set[Kind | None]:
    return {c.measures if c.kind is Kind.REGRESSION else c.kind for c in row.checks}


def _is_measure(row: Row) -> bool:
    return bool(_kinds(row) & {Kind.METRIC, Kind.RUBRIC_RULE, Kind.RUBRIC_ALL_MET})


def _measure(row: Row, escape: Callable[[str, int], str]) -> str:
    if Kind.BASELINE in _kinds(row):
        return "the baseline to compare with was not found"
    value = row.value.replace("**", "").replace("\u00a0", " ")
    was = row.baseline.replace("\u00a0", " ").split(" (")[0] if row.baseline else ""
    limit = row.limit.removesuffix(" · warn only").replace("\u00a0", " ")
    tail = f"was {was}; limit {limit}" if was else f"limit {limit}"
    return f"{escape(row.title, 120)} is **{value}** ({tail})"


def _clause(explanation: str, escape: Callable[[str, int], str]) -> str:
    """Cekura's explanation as a clause inside the sentence: first sentence, no final stop,
    a capital 'The' lowered."""
    text = " ".join(explanation.split())
    if not text:
        return ""
    first = text.split(". ")[0].rstrip(".")
    if first.startswith(("The ", "A ", "An ")):
        first = first[0].lower() + first[1:]
    if len(first) > EXPLANATION_WORDS:
        first = first[: EXPLANATION_WORDS - 1].rstrip() + "…"
    return escape(first, EXPLANATION_WORDS + 10)
