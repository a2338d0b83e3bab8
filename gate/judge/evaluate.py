"""Result + Policy -> Verdict. Pure: no I/O, no clock, no environment.

Order matters: a result the gate must not judge (still running, ended failed/timeout/cancelled,
fewer runs than `min_runs`) is "could not evaluate" before any threshold is looked at, so a
gate never says green on nothing. The checks themselves are made elsewhere, one job per
module: the result's counts (counted.py), the rubric (rubric.py), rates with confidence,
scenarios and metrics (kinds.py), repeats (repeats.py), infrastructure (infrastructure.py),
the baseline (compare.py) and the quarantine list (quarantine.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from gate.judge import aggregate, counted, infrastructure, quarantine, repeats, rubric
from gate.judge import kinds as judge
from gate.judge.reasons import Stop
from gate.judge.verdict import Check, Verdict, VerdictKind
from gate.policy.model import Policy
from gate.result.failure import infrastructure_ids
from gate.result.model import Result

if TYPE_CHECKING:
    import datetime

    from gate.result.model import Baseline, BaselineRef


def evaluate(
    result: Result,
    policy: Policy,
    *,
    baseline: Baseline | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Verdict:
    """`baseline` is what gate/source/baseline.py found for `policy.baseline` (found or not);
    `today` is the date in UTC the quarantine list is read against (None: no quarantine is
    active, every scenario gates); `now` the current time, for the baseline's age when the
    result has no date of its own."""
    if not result.is_terminal:
        return Verdict.stopped(
            Stop.NOT_FINISHED,
            result_id=result.id,
            status=result.status,
        )
    if result.status not in policy.evaluate_statuses:
        return Verdict.stopped(
            Stop.STATUS_NOT_EVALUATED,
            result_id=result.id,
            status=result.status,
            config=policy.source,
        )
    runs = counted.min_runs(result, policy)
    if not runs.held:
        return Verdict.stopped(Stop.TOO_FEW_RUNS, result_id=result.id, checks=(runs,))
    checks = [runs]
    if policy.success_rate:
        checks.append(_rate(result, policy))
    if policy.failed_workflow_runs:
        checks.append(
            counted.failed_runs(
                "failed_workflow_runs",
                "Failed workflow runs",
                result.failed_workflow_runs,
                policy.failed_workflow_runs,
            )
        )
    if policy.failed_infrastructure_runs:
        checks.append(
            counted.failed_runs(
                "failed_infrastructure_runs",
                "Failed infrastructure runs",
                result.failed_infrastructure_runs,
                policy.failed_infrastructure_runs,
            )
        )
    if policy.infrastructure:
        checks.append(infrastructure.check(result, policy.infrastructure))
    checks.extend(rubric.rubric_checks(result, policy.performance_metrics))
    return _beyond(result, policy, baseline, checks, today, now)


def _rate(result: Result, policy: Policy) -> Check:
    rate = policy.success_rate
    assert rate is not None
    if rate.count_infrastructure == "exclude":
        connected = infrastructure.success_rate(result, rate)
        if connected is not None:
            return connected
    if rate.confidence is not None:
        judged = judge.success_rate(result, rate)
        if judged is not None:
            return judged
    return counted.success_rate(result, rate.min, rate.level)


def _beyond(
    result: Result,
    policy: Policy,
    baseline: Baseline | None,
    checks: list[Check],
    today: datetime.date | None,
    now: datetime.datetime | None = None,
) -> Verdict:
    """Critical scenarios, metric aggregates and the baseline (gate/judge/kinds.py, compare.py)."""
    cache: dict[int, dict[str, aggregate.Sample]] = {}

    def samples(of: Result) -> dict[str, aggregate.Sample]:
        # One pass over a result's runs, shared by every metric check.
        if id(of) not in cache:
            cache[id(of)] = aggregate.metric_samples(of)
        return cache[id(of)]

    scenarios = aggregate.scenario_stats(
        result.runs, infrastructure_ids(result.failed_infrastructure_runs)
    )
    for bound in policy.scenarios:
        if bound.min_success_rate is not None:
            checks.append(judge.scenario_check(scenarios, bound))
        if bound.min_passes is not None:
            checks.append(repeats.passes_check(scenarios, bound))
    checks.extend(repeats.flaky_checks(scenarios, policy))
    checks.extend(judge.metric_check(result, samples(result), bound) for bound in policy.metrics)
    ref = None
    before = None
    if policy.baseline is not None:
        # Imported only here: a policy without a baseline never needs them (start-up time).
        from gate.judge import compare
        from gate.result.model import Baseline

        if baseline is None:  # evaluate() called without looking it up
            baseline = Baseline(how="the baseline", reason="it was not looked up")
        ref = baseline.ref
        before = baseline.result
        checks.append(compare.baseline_check(ref, policy.baseline.when_missing))
        if before is not None:
            checks = compare.annotate(checks, policy, result, before, samples)
            checks.extend(compare.regression_checks(policy, result, before, samples))
            checks.extend(_against_baseline(policy, result, before, ref, now))
    checks, quarantined, excused = quarantine.apply(checks, scenarios, policy, today)
    rows = judge.scenario_rows(
        scenarios,
        aggregate.scenario_stats(before.runs) if before is not None else None,
        {c.name: c for c in checks},
        policy.scenarios,
        excused,
    )
    verdict = Verdict.from_checks(
        tuple(checks), baseline=ref, scenarios=rows, quarantine=quarantined
    )
    stopped = next((c for c in checks if c.stops_evaluation and not c.held), None)
    if stopped is not None:
        # Too many infrastructure failures: the test did not run, whatever else held.
        return msgspec.structs.replace(
            verdict,
            kind=VerdictKind.ERROR,
            stop=Stop.INFRASTRUCTURE,
        )
    return verdict


def _against_baseline(
    policy: Policy, result: Result, before: Result, ref: BaselineRef, now: datetime.datetime | None
) -> list[Check]:
    """The baseline's age (gate/judge/age.py) and the coverage (gate/judge/coverage.py)."""
    checks = []
    assert policy.baseline is not None
    if policy.baseline.max_age_hours is not None:
        from gate.judge.age import age_check

        checks.append(age_check(policy.baseline, ref, result, now))
    if policy.coverage is not None:
        from gate.judge.coverage import coverage_checks

        checks.extend(coverage_checks(policy.coverage, result, before))
    return checks
