"""Checks on rates and aggregates: success rate with confidence, critical scenarios, metrics.

Pure: Result + thresholds -> Checks. A rate with `confidence` is judged by its Wilson score
interval (gate/judge/stats.py): pass when the interval clears the bound, fail when it lies wholly on
the wrong side, otherwise `inconclusive` at the check's `inconclusive_level`, with the
number of runs that would decide it at the observed rate. A check says why it did not hold
with a reason code (gate/judge/reasons.py); gate/publish/words/details.py words it.
"""

from __future__ import annotations

import math
from typing import Any

from gate.judge.aggregate import Sample, ScenarioStats, aggregate, find_scenario
from gate.judge.decide import within
from gate.judge.reasons import Reason
from gate.judge.verdict import (
    Check,
    Interval,
    Kind,
    Level,
    Outcome,
    ScenarioRow,
    Source,
    Unit,
)
from gate.policy.model import MetricBound, MinCheck, ScenarioBound
from gate.result.model import Result
from gate.result.names import key


def rate_check(
    base: dict[str, Any],
    *,
    successes: int,
    runs: int,
    minimum: float | None,
    maximum: float | None = None,
    level: Level,
    confidence: float | None,
    inconclusive_level: Level,
    fail_reason: Reason | None = None,
) -> Check:
    """A rate (successes of runs) against percent bounds, with or without confidence.
    `fail_reason`: what a failure says about the runs that did not succeed."""
    rate = 100.0 * successes / runs
    base = base | {
        "value": rate,
        "unit": Unit.PERCENT,
        "minimum": minimum,
        "maximum": maximum,
        "successes": successes,
        "runs": runs,
        "confidence": confidence,
    }
    if confidence is None:
        ok = within(rate, minimum, maximum)
        return Check(
            **base,
            level=level,
            outcome=Outcome.PASS if ok else Outcome.FAIL,
            reason=None if ok else fail_reason,
        )
    from gate.judge import stats  # only with a confidence: statistics costs every start-up ~6 ms

    decision, interval = stats.decide(
        successes,
        runs,
        confidence,
        minimum=None if minimum is None else minimum / 100,
        maximum=None if maximum is None else maximum / 100,
    )
    base["interval"] = Interval(confidence, interval.low * 100, interval.high * 100)
    if decision is stats.Decision.PASS:
        return Check(**base, level=level, outcome=Outcome.PASS)
    if decision is stats.Decision.FAIL:  # the interval says on which side it lies
        return Check(
            **base,
            level=level,
            outcome=Outcome.FAIL,
            reason=fail_reason or Reason.INTERVAL_BEYOND,
        )
    needed = stats.runs_needed(
        successes / runs,
        confidence,
        minimum=None if minimum is None else minimum / 100,
        maximum=None if maximum is None else maximum / 100,
    )
    return Check(
        **base,
        level=inconclusive_level,
        outcome=Outcome.INCONCLUSIVE,
        reason=Reason.TOO_FEW_RUNS,
        runs_needed=needed,
    )


# -- success rate ------------------------------------------------------------------------


def success_rate(result: Result, check: MinCheck) -> Check | None:
    """The success-rate check with confidence, on the numbers the plain check judges
    (`Result.success_counts`: unlisted runs count against it, contradictory counts are none),
    else on the successes a reported rate implies of the run count; None when none of these
    is known (the caller then falls back to the plain check, which reports the rate missing)."""
    counts = result.success_counts
    source = Source.RUNS if result.runs or result.runs_listed else Source.COUNTS
    if counts is None and result.reported_total_runs and result.success_rate is not None:
        # A run count and a rate only: judge the successes the rate implies, rounded down
        # (dropping `confidence` here would pass 9 of 10 that is inconclusive at error).
        runs = result.reported_total_runs
        counts = math.floor(result.success_rate * runs / 100 + 1e-9), runs
    if counts is None:
        return None
    successes, runs = counts
    base = {
        "name": "success_rate",
        "title": "Success rate",
        "kind": Kind.SUCCESS_RATE,
        "source": source,
    }
    return rate_check(
        base,
        successes=successes,
        runs=runs,
        minimum=check.min,
        level=check.level,
        confidence=check.confidence,
        inconclusive_level=check.inconclusive_level,
        fail_reason=Reason.RUNS_FAILED,
    )


# -- scenarios ---------------------------------------------------------------------------


def scenario_check(stats_: list[ScenarioStats], bound: ScenarioBound) -> Check:
    found = find_scenario(stats_, name=bound.name or None, scenario_id=bound.scenario_id)
    label = bound.label
    base = {
        "name": f"scenarios[{label}]",
        "title": f"Scenario: {found.name if found else label}",
        "kind": Kind.SCENARIO,
        "subject": label,
        "unit": Unit.PERCENT,
        "minimum": bound.min_success_rate,
        "confidence": bound.confidence,
        "scenario_id": bound.scenario_id,
    }
    if found is None or not found.runs:
        return Check(
            **base,
            level=bound.level,
            outcome=Outcome.MISSING,
            reason=Reason.NO_RUNS_OF_SCENARIO,
        )
    return rate_check(
        base,
        successes=found.passed,
        runs=found.runs,
        minimum=bound.min_success_rate,
        level=bound.level,
        confidence=bound.confidence,
        inconclusive_level=bound.inconclusive_level,
        fail_reason=Reason.SCENARIO_RUNS_FAILED,
    )


def scenario_rows(
    current: list[ScenarioStats],
    baseline: list[ScenarioStats] | None,
    checks: dict[str, Check],
    bounds: tuple[ScenarioBound, ...],
    quarantined: dict[int, str] | None = None,
) -> tuple[ScenarioRow, ...]:
    """Every scenario with its outcome, worst first: checked and not held, then by rate.
    `quarantined`: the last day of an active quarantine, by id() of the scenario's stats."""
    checked: dict[object, tuple[str, Outcome]] = {}
    for bound in bounds:
        # the scenario's own checks (a floor, min_passes): the row shows the first not held
        own = [
            c
            for c in (
                checks.get(f"scenarios[{bound.label}]"),
                checks.get(f"scenarios[{bound.label}].min_passes"),
            )
            if c is not None
        ]
        if not own:
            continue
        check = next((c for c in own if not c.held), own[0])
        for stats_ in current:
            if (bound.scenario_id is not None and stats_.scenario_id == bound.scenario_id) or (
                bound.scenario_id is None and key(stats_.name) == key(bound.name)
            ):
                checked[id(stats_)] = (check.name, check.outcome)
    by_id = {s.scenario_id: s for s in baseline or () if s.scenario_id is not None}
    by_name = {key(s.name): s for s in baseline or ()}
    rows = []
    for stats_ in current:
        before = by_id.get(stats_.scenario_id) if stats_.scenario_id is not None else None
        before = before or by_name.get(key(stats_.name))
        name, outcome = checked.get(id(stats_), ("", None))
        rows.append(
            ScenarioRow(
                name=stats_.name,
                scenario_id=stats_.scenario_id,
                runs=stats_.runs,
                passed=stats_.passed,
                baseline_rate=before.rate if before is not None and before.runs else None,
                check=name,
                outcome=outcome,
                stability=stats_.stability,
                infrastructure=stats_.infrastructure,
                quarantined_until=(quarantined or {}).get(id(stats_), ""),
            )
        )

    def severity(row: ScenarioRow) -> tuple[bool, float, str]:
        held = row.outcome is None or row.outcome is Outcome.PASS  # False sorts first
        return (held, row.rate, row.name.lower())

    return tuple(sorted(rows, key=severity))


# -- metric aggregates ---------------------------------------------------------------------


def metric_check(result: Result, samples: dict[str, Sample], bound: MetricBound) -> Check:
    is_rate = bound.aggregation == "pass_rate"
    base = {
        "name": f"metrics[{bound.metric}].{bound.aggregation}",
        "title": f"{_display(bound.metric)}: {bound.aggregation}",
        "kind": Kind.METRIC,
        "subject": bound.metric,
        "aggregation": bound.aggregation,
        "unit": Unit.PERCENT if is_rate else Unit.NUMBER,
        "minimum": bound.min,
        "maximum": bound.max,
        "confidence": bound.confidence if is_rate else None,
    }
    found = aggregate(result, samples, bound.metric, bound.aggregation)
    # the runs it applied to are `runs`; those where it was blocked are said apart
    base["not_applicable"] = found.not_applicable if found.source == "runs" else None
    if found.value is None:
        return Check(
            **base,
            level=bound.level,
            outcome=Outcome.MISSING,
            absent=found.absent,
        )
    if is_rate and found.runs:
        return rate_check(
            base,
            successes=found.successes,
            runs=found.runs,
            minimum=bound.min,
            maximum=bound.max,
            level=bound.level,
            confidence=bound.confidence,
            inconclusive_level=bound.inconclusive_level,
        )
    summary_only = is_rate and bool(bound.confidence)  # said even when it holds
    return Check(
        **base,
        value=found.value,
        runs=found.runs or None,
        source=Source.SUMMARY if found.source == "summary" else Source.RUNS,
        level=bound.level,
        outcome=Outcome.PASS if within(found.value, bound.min, bound.max) else Outcome.FAIL,
        reason=Reason.SUMMARY_NO_INTERVAL if summary_only else None,
    )


def _display(metric: str) -> str:
    return "Expected outcome" if key(metric) == "expected outcome" else metric
