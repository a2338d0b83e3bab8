"""Checks against a baseline result: the `baseline` check, regressions, and every delta.

Pure: the baseline was fetched before (gate/source/baseline.py); here two Results are compared.

- `baseline`: found (pass) or not (missing, at `baseline.when_missing`): never silent.
- `baseline.success_rate`, `baseline.rules[<metric>]`, `baseline.metrics[<metric>].<agg>`:
  how far a value may move from the baseline's (`max_drop`, `max_increase`).
- `significance` on a regression bound: the move beyond the bound fails only when it is also
  significant; the check carries the p-value and both sides' run counts. How one value is
  judged against the baseline's is gate/judge/change.py.
- `baseline.scenarios[<label>]`: one scenario's success rate against the same scenario in the
  baseline (by id, else by name).
- `annotate`: every other check whose value exists in both results gets the baseline's
  value and the change as numbers (gate/publish/words/display.py words them: "↓ 15 pp", "was 95%").
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from gate.judge.aggregate import (
    Aggregate,
    Sample,
    ScenarioStats,
    aggregate,
    find_scenario,
    scenario_stats,
)
from gate.judge.change import Sides, change_check, rate_sides
from gate.judge.infrastructure import connected, connected_rate
from gate.judge.measure import MEASURES, Measure, measure
from gate.judge.names import find_rule
from gate.judge.reasons import Reason, Side
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit
from gate.policy.model import ChangeBound, Policy, ScenarioChangeBound
from gate.result.model import BaselineRef, Result
from gate.result.names import key


def baseline_check(ref: BaselineRef, level: Level) -> Check:
    base = {"name": "baseline", "title": "Baseline", "kind": Kind.BASELINE, "baseline": ref}
    if not ref.found:
        return Check(
            **base,
            level=level,
            outcome=Outcome.MISSING,
            reason=Reason.BASELINE_NOT_FOUND,  # `baseline` says how it was looked for, and why
        )
    return Check(**base, level=level, outcome=Outcome.PASS)


def _agent_counts(result: Result) -> tuple[int, int] | None:
    """(successes, runs) over the runs that tested the agent: infrastructure failures out."""
    counts = connected(result)
    return None if counts is None else (counts.successes, counts.runs)


def regression_checks(
    policy: Policy,
    result: Result,
    baseline: Result,
    samples: Callable[[Result], dict[str, Sample]],
) -> list[Check]:
    checks = []
    regression = policy.regression
    if regression.success_rate is not None:
        # The agent's rates: an infrastructure failure on either side is no sign of the agent
        # getting worse (or better), so both leave them out and the check says how many.
        now, now_left_out = connected_rate(result)
        before, before_left_out = connected_rate(baseline)
        check = change_check(
            {
                "name": "baseline.success_rate",
                "title": "Success rate vs baseline",
                "measures": Kind.SUCCESS_RATE,
                "unit": Unit.PERCENT,
                "excluded_runs": now_left_out,
                "baseline_excluded_runs": before_left_out,
            },
            regression.success_rate,
            now,
            before,
            missing=_rate_missing(now, now_left_out, before, before_left_out),
            sides=lambda: rate_sides(_agent_counts(result), _agent_counts(baseline)),
        )
        counts, base_counts = _agent_counts(result), _agent_counts(baseline)
        if check.successes is None and counts is not None and base_counts is not None:
            # the counts both rates rest on (a significance test sets them itself)
            check = msgspec.structs.replace(
                check,
                successes=counts[0],
                runs=counts[1],
                baseline_successes=base_counts[0],
                baseline_runs=base_counts[1],
            )
        checks.append(check)
    if regression.scenarios:
        now_stats, before_stats = scenario_stats(result.runs), scenario_stats(baseline.runs)
        checks.extend(
            _scenario_change(bound, now_stats, before_stats) for bound in regression.scenarios
        )
    for bound in regression.rules:
        now = find_rule(result.performance_metrics or (), bound.metric)
        before = find_rule(baseline.performance_metrics or (), bound.metric)
        checks.append(
            change_check(
                {
                    "name": f"baseline.rules[{bound.metric}]",
                    "title": f"Rubric: {bound.metric} vs baseline",
                    "measures": Kind.RUBRIC_RULE,
                    "subject": bound.metric,
                    "unit": Unit.SCORE,
                },
                bound,
                now.value if now else None,
                before.value if before else None,
                missing={
                    "reason": Reason.RULE_NO_VALUE,
                    "side": Side.RESULT if now is None or now.value is None else Side.BASELINE,
                },
            )
        )
    for bound in regression.metrics:
        now_agg = aggregate(result, samples(result), bound.metric, bound.aggregation)
        before_agg = aggregate(baseline, samples(baseline), bound.metric, bound.aggregation)
        is_rate = bound.aggregation == "pass_rate"
        checks.append(
            change_check(
                {
                    "name": f"baseline.metrics[{bound.metric}].{bound.aggregation}",
                    "title": f"{bound.metric}: {bound.aggregation} vs baseline",
                    "measures": Kind.METRIC,
                    "subject": bound.metric,
                    "aggregation": bound.aggregation,
                    "unit": Unit.PERCENT if is_rate else Unit.NUMBER,
                },
                bound,
                now_agg.value,
                before_agg.value,
                missing={
                    "reason": Reason.METRIC_NOT_COMPARABLE,
                    "side": Side.RESULT if now_agg.value is None else Side.BASELINE,
                    "absent": now_agg.absent if now_agg.value is None else before_agg.absent,
                },
                sides=_metric_sides(bound, result, baseline, samples, now_agg, before_agg),
            )
        )
    return checks


def _rate_missing(
    now: float | None, now_left_out: int | None, before: float | None, left_out: int | None
) -> dict[str, object]:
    for rate, excluded, side in (
        (now, now_left_out, Side.RESULT),
        (before, left_out, Side.BASELINE),
    ):
        if rate is None and excluded:  # every run of that side failed for infrastructure
            return {"reason": Reason.ALL_INFRASTRUCTURE, "side": side}
    return {"reason": Reason.RATE_NOT_COMPARABLE}


def _metric_sides(
    bound: ChangeBound,
    result: Result,
    baseline: Result,
    samples: Callable[[Result], dict[str, Sample]],
    now: Aggregate,
    before: Aggregate,
) -> Callable[[], Sides | None]:
    """A metric's sides, read from the runs only (Cekura's summary has no per-run values)."""

    def sides() -> Sides | None:
        if now.source != "runs" or before.source != "runs" or not now.runs or not before.runs:
            return None
        if bound.aggregation == "pass_rate":
            return rate_sides((now.successes, now.runs), (before.successes, before.runs))
        values = samples(result).get(key(bound.metric))
        base_values = samples(baseline).get(key(bound.metric))
        if values is None or base_values is None or not values.values or not base_values.values:
            return None
        return Sides(
            runs=len(values.values),
            base_runs=len(base_values.values),
            values=values.values,
            base_values=base_values.values,
        )

    return sides


def _scenario_change(
    bound: ScenarioChangeBound, now: list[ScenarioStats], before: list[ScenarioStats]
) -> Check:
    """One scenario against the same scenario in the baseline: by id, else by name."""
    found = find_scenario(now, name=bound.name or None, scenario_id=bound.scenario_id)
    match = None
    if bound.scenario_id is None and found is not None and found.scenario_id is not None:
        match = find_scenario(before, scenario_id=found.scenario_id)
    match = match or find_scenario(before, name=bound.name or None, scenario_id=bound.scenario_id)
    absent = Side.RESULT if found is None or not found.runs else Side.BASELINE
    return change_check(
        {
            "name": f"baseline.scenarios[{bound.label}]",
            "title": f"Scenario: {found.name if found else bound.label} vs baseline",
            "measures": Kind.SCENARIO,
            "subject": bound.label,
            "unit": Unit.PERCENT,
            "scenario_id": bound.scenario_id,
        },
        bound,
        found.rate if found is not None and found.runs else None,
        match.rate if match is not None and match.runs else None,
        missing={"reason": Reason.NO_RUNS_OF_SCENARIO, "side": absent},
        sides=lambda: rate_sides(
            (found.passed, found.runs) if found is not None else None,
            (match.passed, match.runs) if match is not None else None,
        ),
    )


def annotate(
    checks: list[Check],
    policy: Policy,
    result: Result,
    baseline: Result,
    samples: Callable[[Result], dict[str, Sample]],
) -> list[Check]:
    """The same checks, with the baseline's value and the change where both are known."""
    found: dict[int, list[ScenarioStats]] = {}

    def stats(of: Result) -> list[ScenarioStats]:  # one pass over each result's runs
        if id(of) not in found:
            found[id(of)] = scenario_stats(of.runs)
        return found[id(of)]

    out = []
    for check in checks:  # a check whose value is missing on either side stays as it is
        what = Measure(check, policy.scenarios, stats)
        if what.kind not in MEASURES:
            out.append(check)
            continue
        now, before = measure(result, what, samples), measure(baseline, what, samples)
        if now is None or before is None:
            out.append(check)
            continue
        out.append(msgspec.structs.replace(check, baseline_value=before, change=now - before))
    return out
