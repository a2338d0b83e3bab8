"""Result + Policy -> Verdict. Pure: no I/O, no clock, no environment.

Order matters: a result the gate must not judge (still running, ended failed/timeout/cancelled,
fewer runs than `min_runs`) is "could not evaluate" before any threshold is looked at, so a
gate never says green on nothing.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from gate.judge import aggregate, infrastructure, quarantine, repeats
from gate.judge import kinds as judge
from gate.judge.decide import within
from gate.judge.names import find_rule
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Level, Outcome, Source, Unit, Verdict, VerdictKind
from gate.policy.model import MaxCheck, Policy, RubricPolicy, RuleBound
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
        return Verdict.could_not_evaluate(
            f"result {result.id or '(no id)'} has status '{result.status or 'missing'}', which is "
            "not final: the gate evaluates only finished results. Wait for it with --result-id, "
            "or save the result again once it has completed.",
            error_kind="result not finished",
        )
    if result.status not in policy.evaluate_statuses:
        return Verdict.could_not_evaluate(
            f"result {result.id or '(no id)'} ended with status '{result.status}' "
            f"({_STATUS_MEANING.get(result.status, 'not completed')}), so its runs cannot be "
            "trusted for a verdict. Look at the result in the Cekura dashboard and re-run it; to "
            f"evaluate such results anyway, add '{result.status}' to evaluate_statuses in "
            f"{policy.source if policy.source != 'default policy' else 'your config'}.",
            error_kind=f"result {result.status}",
        )
    runs = _min_runs(result, policy)
    if not runs.held:
        return Verdict.could_not_evaluate(
            f"result {result.id or '(no id)'} has {result.total_runs} run(s) but at least "
            f"{policy.min_runs} are required (thresholds.min_runs): nothing was tested, so the "
            "gate cannot pass it. Check the scenarios or tags the run was started with.",
            error_kind="too few runs",
            checks=(runs,),
        )
    checks = [runs]
    if policy.success_rate:
        checks.append(_rate(result, policy))
    if policy.failed_workflow_runs:
        checks.append(
            _max_runs(
                "failed_workflow_runs",
                "Failed workflow runs",
                result.failed_workflow_runs,
                policy.failed_workflow_runs,
            )
        )
    if policy.failed_infrastructure_runs:
        checks.append(
            _max_runs(
                "failed_infrastructure_runs",
                "Failed infrastructure runs",
                result.failed_infrastructure_runs,
                policy.failed_infrastructure_runs,
            )
        )
    if policy.infrastructure:
        checks.append(infrastructure.check(result, policy.infrastructure))
    checks.extend(_rubric(result, policy.performance_metrics))
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
    return _success_rate(result, rate.min, rate.level)


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

    scenarios = aggregate.scenario_stats(result.runs)
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
        return dataclasses.replace(
            verdict,
            kind=VerdictKind.ERROR,
            reason=infrastructure.reason(stopped),
            error_kind="infrastructure failures",
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


_STATUS_MEANING = {
    "failed": "an infrastructure failure at Cekura, not a metric failure",
    "timeout": "runs did not finish in time",
    "cancelled": "the run was cancelled",
}


def _min_runs(result: Result, policy: Policy) -> Check:
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


def _success_rate(result: Result, minimum: float, level: Level) -> Check:
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


def _max_runs(name: str, title: str, ids: tuple[str, ...] | None, check: MaxCheck) -> Check:
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


def _rubric(result: Result, policy: RubricPolicy) -> list[Check]:
    rules = result.performance_metrics
    checks: list[Check] = []
    if policy.require_all_met:
        present = rules is not None and not result.performance_metrics_error and len(rules) > 0
        if present or not policy.only_if_present or result.performance_metrics_error:
            checks.append(_all_met(result, policy.level))
    checks.extend(_bound(result, bound) for bound in policy.rules)
    return checks


def _all_met(result: Result, level: Level) -> Check:
    base = {
        "name": "performance_metrics.require_all_met",
        "title": "Rubric rules met",
        "level": level,
        "kind": Kind.RUBRIC_ALL_MET,
        "unit": Unit.COUNT,
    }
    if result.performance_metrics_error:
        return Check(
            **base,
            unreadable=True,
            outcome=Outcome.MISSING,
            detail=result.performance_metrics_error,
        )
    rules = result.performance_metrics
    if not rules:
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.NO_RUBRIC,
        )
    unmet = [r for r in rules if r.met is not True]
    return Check(
        **base,
        value=len(rules) - len(unmet),
        minimum=len(rules),
        outcome=Outcome.FAIL if unmet else Outcome.PASS,
        reason=Reason.RULES_NOT_MET if unmet else None,
        unmet=tuple((r.metric, r.met is False) for r in unmet),
    )


def _bound(result: Result, bound: RuleBound) -> Check:
    base = {
        "name": f"performance_metrics.rules[{bound.metric}]",
        "title": f"Rubric: {bound.metric}",
        "level": bound.level,
        "kind": Kind.RUBRIC_RULE,
        "subject": bound.metric,
        "unit": Unit.SCORE,
        "minimum": bound.min,
        "maximum": bound.max,
    }
    rule = find_rule(result.performance_metrics or (), bound.metric)
    if result.performance_metrics_error:  # the API's own words: why the rules are unreadable
        return Check(**base, outcome=Outcome.MISSING, detail=result.performance_metrics_error)
    if rule is None:
        return Check(**base, outcome=Outcome.MISSING, reason=Reason.NO_RULE)
    if rule.value is None:  # named as the result spells it, which may differ from the config
        return Check(
            **base,
            outcome=Outcome.MISSING,
            detail=f"rubric rule '{rule.metric}' has no aggregated value",
        )
    # exact: a rubric value is Cekura's own aggregate, not a rate the gate computed
    ok = within(rule.value, bound.min, bound.max, tolerance=0)
    return Check(
        **base,
        value=rule.value,
        outcome=Outcome.PASS if ok else Outcome.FAIL,
    )
