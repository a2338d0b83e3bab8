"""Evidence for a failing run: what a reviewer needs without opening the dashboard.

A failing run becomes an `Evidence` (`build`): why it failed in one sentence (`reason`, in
the API's words where it gave some), each failed check (error, expected outcome, failed
metrics) with its explanation, the transcript excerpt picked at parse time
(gate/result/excerpt.py), the call duration and the links the payload carries.

Pure: no I/O. Text stays raw here; each report escapes it for its format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from gate.result.durations import call_duration
from gate.result.excerpt import Turn, shorten

if TYPE_CHECKING:
    from gate.result.model import Run

#: characters kept per explanation
EXPLANATION_LIMIT = 600


class Finding(msgspec.Struct, frozen=True, gc=False):
    """One reason a run failed: what failed, and Cekura's explanation."""

    label: str  # "Error", "Expected outcome 0/100", "Workflow Adherence failed"
    explanation: str


class Evidence(msgspec.Struct, frozen=True, gc=False):
    run_id: str
    scenario: str
    status: str
    reason: str
    findings: tuple[Finding, ...]
    turns: tuple[Turn, ...]  # a turn the explanation names is marked (Turn.named)
    duration: str
    recording_url: str
    run_url: str


def build(run: Run) -> Evidence:
    """Everything the report shows about one failing run."""
    return Evidence(
        run_id=run.id,
        scenario=run.scenario_name,
        status=run.status,
        reason=reason(run),
        findings=findings(run),
        turns=run.excerpt,
        duration=call_duration(run),
        recording_url=run.recording_url,
        run_url=run.run_url,
    )


def findings(run: Run) -> tuple[Finding, ...]:
    # Every report asks for these, for every failing run: built with the fast constructor.
    out = []
    error = error_text(run)
    if error:
        out.append(Finding("Error", shorten(error, EXPLANATION_LIMIT)))
    score = run.expected_outcome_score
    if score is not None and score < 100:
        out.append(
            Finding(
                f"Expected outcome scored {score:g}/100",
                shorten(run.expected_outcome_explanation, EXPLANATION_LIMIT),
            )
        )
    for metric in run.metrics:
        if metric.passed is False:
            out.append(
                Finding(f"{metric.name} failed", shorten(metric.explanation, EXPLANATION_LIMIT))
            )
    if not out:
        out.append(Finding("Not successful", reason(run)))
    return tuple(out)


def reason(run: Run) -> str:
    """Why this run failed, in the words the API gave, or a plain fallback."""
    error = error_text(run)
    if error:
        return error
    failed = [m for m in run.metrics if m.passed is False]
    if run.expected_outcome_score is not None and run.expected_outcome_score < 100:
        text = run.expected_outcome_explanation or "expected outcome not met"
        return f"Expected outcome scored {run.expected_outcome_score:g}/100: {text}"
    if failed:
        first = failed[0]
        return f"{first.name} failed" + (f": {first.explanation}" if first.explanation else "")
    if run.success is None:
        return f"run ended with status {run.status or 'unknown'} and no success flag"
    return "marked unsuccessful by Cekura (no reason given)"


def error_text(run: Run) -> str:
    """The run's error: the API's message, or why the gate could not read the run."""
    if run.unreadable:
        return (
            f"the API sent this run as {run.unreadable}, not an object; the gate cannot read "
            "it, so it counts as a run that did not succeed"
        )
    return run.error_message
