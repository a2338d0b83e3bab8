"""The checks read straight off the result's counts: the runs in the result (`min_runs`), the
success rate as the result reports it, and the failed workflow or infrastructure runs
(`failed_workflow_runs`, `failed_infrastructure_runs`, each against its `max`).

Pure: Result + the bound -> a Check. A rate with `confidence`, or over the runs that tested the
agent, is judged in gate/judge/kinds.py and gate/judge/infrastructure.py instead.
"""

from __future__ import annotations

from gate.judge.decide import within
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Level, Outcome, Source, Unit
from gate.policy.model import MaxCheck, Policy
from gate.result.model import Result


def min_runs(result: Result, policy: Policy) -> Check:
    total = result.total_runs
    return Check(
        name="min_runs",
        title="Runs in the result",
        kind=Kind.MIN_RUNS,
        value=total,
        unit=Unit.COUNT,
        minimum=policy.min_runs,
        level=Level.ERROR,
        outcome=Outcome.PASS if within(total, policy.min_runs, None, tolerance=0) else Outcome.FAIL,
    )


def success_rate(result: Result, minimum: float, level: Level) -> Check:
    rate = result.success_rate
    base = {
        "name": "success_rate",
        "title": "Success rate",
        "kind": Kind.SUCCESS_RATE,
        "unit": Unit.PERCENT,
        "minimum": minimum,
    }
    if rate is None:
        return Check(
            **base,
            level=level,
            outcome=Outcome.MISSING,
            reason=Reason.NO_SUCCESS_RATE,
        )
    counts = result.success_counts
    ok = within(rate, minimum, None)
    return Check(
        **base,
        value=rate,
        source=Source.RUNS if result.runs or result.runs_listed else Source.COUNTS,
        successes=counts[0] if counts is not None else None,
        runs=counts[1] if counts is not None else None,
        level=level,
        outcome=Outcome.PASS if ok else Outcome.FAIL,
        reason=None if ok else Reason.RUNS_FAILED,
        # the runs the report lists as failing (a rate as reported may count others)
        failing_listed=None if ok else len(result.failing_runs),
    )


def failed_runs(name: str, title: str, ids: tuple[str, ...] | None, check: MaxCheck) -> Check:
    base = {
        "name": name,
        "title": title,
        "level": check.level,
        "kind": Kind.FAILED_RUNS,
        "subject": name.split("_")[1],  # workflow | infrastructure
        "unit": Unit.COUNT,
        "maximum": check.max,
    }
    if ids is None:
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.METRIC_NOT_ATTACHED,  # the metric that counts `subject` runs
        )
    ok = within(len(ids), None, check.max, tolerance=0)
    return Check(**base, value=len(ids), run_ids=ids, outcome=Outcome.PASS if ok else Outcome.FAIL)
