"""Why the judge could not evaluate a result, as people read it.

The judge gives a code (gate/judge/reasons.py `Stop`) and what the sentence quotes: the
result's id and status and the config on the `Verdict`, the runs on its min_runs check, the
failures on the infrastructure check that stopped it. This module words every code, so the
summary, the PR comment, the terminal, the JSON report's `reason`, JUnit and the annotations
all read the same sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.reasons import Stop
from gate.judge.verdict import Check, Kind, Outcome, Unit, Verdict
from gate.policy.model import DEFAULT_POLICY
from gate.publish.words import details

#: what a result that ended with a status the gate does not evaluate went through
_STATUS_MEANING = {
    "failed": "an infrastructure failure at Cekura, not a metric failure",
    "timeout": "runs did not finish in time",
    "cancelled": "the run was cancelled",
}


def sentence(verdict: Verdict) -> str:
    """The judge's reason worded; "" when the judge gave none."""
    return SENTENCES[verdict.stop](verdict) if verdict.stop is not None else ""


def kind(verdict: Verdict) -> str:
    """The judge's reason as a short label ("too few runs"); "" when the judge gave none."""
    if verdict.stop is None:
        return ""
    if verdict.stop is Stop.STATUS_NOT_EVALUATED:
        return f"result {verdict.status}"
    return KINDS[verdict.stop]


def _result(verdict: Verdict) -> str:
    return f"result {verdict.result_id or '(no id)'}"


def _not_finished(verdict: Verdict) -> str:
    return (
        f"{_result(verdict)} has status '{verdict.status or 'missing'}', which is not final: "
        "the gate evaluates only finished results. Wait for it with --result-id, or save the "
        "result again once it has completed."
    )


def _status_not_evaluated(verdict: Verdict) -> str:
    status = verdict.status
    config = verdict.config if verdict.config != DEFAULT_POLICY.source else "your config"
    return (
        f"{_result(verdict)} ended with status '{status}' "
        f"({_STATUS_MEANING.get(status, 'not completed')}), so its runs cannot be trusted for "
        "a verdict. Look at the result in the Cekura dashboard and re-run it; to evaluate such "
        f"results anyway, add '{status}' to evaluate_statuses in {config}."
    )


def _too_few_runs(verdict: Verdict) -> str:
    runs = _check(verdict, lambda c: c.kind is Kind.MIN_RUNS)
    total = int(runs.value or 0) if runs is not None else 0
    required = int(runs.minimum or 0) if runs is not None else 0
    return (
        f"{_result(verdict)} has {total} run(s) but at least {required} are required "
        "(thresholds.min_runs): nothing was tested, so the gate cannot pass it. Check the "
        "scenarios or tags the run was started with."
    )


def _still_running(verdict: Verdict) -> str:
    return (
        f"{_result(verdict)} is still '{verdict.status}' and could still pass: the gate judges "
        "only finished results."
    )


def _infrastructure(verdict: Verdict) -> str:
    stopped = _check(verdict, lambda c: c.stops_evaluation and not c.held)
    if stopped is None:  # never: the judge stops on this check only
        return "thresholds.infrastructure did not hold: the test did not really run."
    if stopped.outcome is Outcome.MISSING:
        return (
            "thresholds.infrastructure could not be judged: "
            + details.sentence(stopped)
            + ". Without it the gate cannot tell whether the test really ran; gate a result "
            "that lists its runs, or set thresholds.infrastructure.level to warn."
        )
    share = f"{stopped.failures} of {stopped.runs} runs" + (
        f" ({stopped.value:.4g}%)" if stopped.unit is Unit.PERCENT and stopped.value else ""
    )
    allowed = (
        f"at most {stopped.maximum:g}%"
        if stopped.unit is Unit.PERCENT
        else f"at most {stopped.maximum:g}"
    )
    return (
        f"{share} failed for infrastructure reasons (the call never connected, a SIP, "
        f"websocket or provider error, or the run errored), more than thresholds.infrastructure "
        f"allows ({allowed}): the test did not really run, so the agent cannot be judged. Look "
        "at the failing runs' reasons, fix the telephony or the provider, and run the test "
        "again; to fail or only warn instead, set thresholds.infrastructure.level to error or "
        "warn."
    )


def _check(verdict: Verdict, which: Callable[[Check], bool]) -> Check | None:
    return next((c for c in verdict.checks if which(c)), None)


#: the label of each stop (the JSON report's `error_kind`, the headline's "What happened")
KINDS: dict[Stop, str] = {
    Stop.NOT_FINISHED: "result not finished",
    Stop.STATUS_NOT_EVALUATED: "result <status>",  # worded with the status: see kind()
    Stop.TOO_FEW_RUNS: "too few runs",
    Stop.STILL_RUNNING: "result not finished",
    Stop.INFRASTRUCTURE: "infrastructure failures",
}

SENTENCES: dict[Stop, Callable[[Verdict], str]] = {
    Stop.NOT_FINISHED: _not_finished,
    Stop.STATUS_NOT_EVALUATED: _status_not_evaluated,
    Stop.TOO_FEW_RUNS: _too_few_runs,
    Stop.STILL_RUNNING: _still_running,
    Stop.INFRASTRUCTURE: _infrastructure,
}
