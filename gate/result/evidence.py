"""Evidence for a failing run: what a reviewer needs without opening the dashboard.

At report time (`build`), a run becomes an `Evidence`: the scenario, each failed check
(error, expected outcome, failed metrics) with its explanation, the transcript excerpt picked
at parse time (gate/result/excerpt.py), the call duration and the links the payload carries.

Pure: no I/O. Text stays raw here; the report and the JSON writer escape it for their format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

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
    turns: tuple[Turn, ...]
    #: the turns are the ones the explanation names (else: the last turns of the call)
    turns_named: bool
    duration: str
    recording_url: str
    run_url: str


# -- parse time ----------------------------------------------------------------------------


# -- report time ---------------------------------------------------------------------------


def build(run: Run) -> Evidence:
    """Everything the report shows about one failing run."""
    return Evidence(
        run_id=run.id,
        scenario=run.scenario_name,
        status=run.status,
        reason=run.reason,
        findings=findings(run),
        turns=run.excerpt,
        turns_named=any(t.named for t in run.excerpt),
        duration=call_duration(run),
        recording_url=run.recording_url,
        run_url=run.run_url,
    )


def duration_seconds(duration: str) -> float | None:
    """ "MM:SS", "H:MM:SS" or plain seconds -> seconds; None when unreadable."""
    text = (duration or "").strip()
    if not text:
        return None
    total = 0.0
    try:
        for part in text.split(":"):
            total = total * 60 + float(part)
    except ValueError:
        return None
    return total if total >= 0 else None


def call_seconds(run: Run, infrastructure: frozenset[str] = frozenset()) -> float | None:
    """How long the call lasted, only when it connected: None for a call the infrastructure
    stopped (Cekura still sends "00:00" for it), for a zero duration and for none at all."""
    from gate.result.failure import FailureKind, classify

    if classify(run, infrastructure) is FailureKind.INFRASTRUCTURE:
        return None
    return duration_seconds(run.duration) or None


def call_duration(run: Run, infrastructure: frozenset[str] = frozenset()) -> str:
    """The call's duration as the API wrote it ("01:42"), or "" when the call did not connect."""
    return run.duration.strip() if call_seconds(run, infrastructure) is not None else ""


def findings(run: Run) -> tuple[Finding, ...]:
    # Every report asks for these, for every failing run: built with the fast constructor.
    out = []
    if run.error_message:
        out.append(Finding("Error", shorten(run.error_message, EXPLANATION_LIMIT)))
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
        out.append(Finding("Not successful", run.reason))
    return tuple(out)
