"""Checks against a baseline result: the `baseline` check, regressions, and every delta.

Pure: the baseline was fetched before (gate/source/baseline.py); here two Results are compared.

- `baseline`: found (pass) or not (missing, at `baseline.when_missing`): never silent.
- `baseline.success_rate`, `baseline.rules[<metric>]`, `baseline.metrics[<metric>].<agg>`:
  how far a value may move from the baseline's (`max_drop`, `max_increase`).
- `annotate`: every other check whose value exists in both results gets the baseline's
  value and the change as numbers (gate/publish/display.py words them: "↓ 15 pp", "was 95%").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from gate.judge.aggregate import Sample, ScenarioStats, aggregate, scenario_stats
from gate.judge.decide import within
from gate.judge.infrastructure import connected_rate
from gate.judge.measure import MEASURES, Measure, measure
from gate.judge.names import find_rule
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit
from gate.policy.model import ChangeBound, Policy
from gate.result.model import BaselineRef, Result


def baseline_check(ref: BaselineRef, level: Level) -> Check:
    base = {"name": "baseline", "title": "Baseline", "kind": Kind.BASELINE, "baseline": ref}
    if not ref.found:
        return Check(
            **base,
            level=level,
            outcome=Outcome.MISSING,
            detail=f"{ref.how}: {ref.reason}; the regression checks were skipped",
        )
    return Check(**base, level=level, outcome=Outcome.PASS)


def _change_check(
    base: dict[str, object],
    bound: ChangeBound,
    now: float | None,
    before: float | None,
    *,
    missing: str,
) -> Check:
    base = base | {
        "level": bound.level,
        "kind": Kind.REGRESSION,
        "unit": base.get("unit", Unit.NUMBER),
        "minimum": None if bound.max_drop is None else -bound.max_drop,
        "maximum": bound.max_increase,
    }
    delta = None if now is None or before is None else now - before
    if delta is None or not math.isfinite(delta):  # inf - inf is nan: never a pass
        return Check(
            **base,
            outcome=Outcome.MISSING,
            detail=missing,
            value=now,
            baseline_value=before,
        )
    dropped = bound.max_drop is not None and not within(delta, -bound.max_drop, None)
    rose = bound.max_increase is not None and not within(delta, None, bound.max_increase)
    # the failure's sentence ("fell 10 pp, more than the 5 pp allowed") is worded from these
    # numbers in gate/publish/wording.py
    return Check(
        **base,
        outcome=Outcome.FAIL if dropped or rose else Outcome.PASS,
        value=now,
        baseline_value=before,
        change=delta,
    )


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
        checks.append(
            _change_check(
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
            )
        )
    for bound in regression.rules:
        now = find_rule(result.performance_metrics or (), bound.metric)
        before = find_rule(baseline.performance_metrics or (), bound.metric)
        checks.append(
            _change_check(
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
                missing=f"the rubric rule '{bound.metric}' has no value in "
                + ("the result" if now is None or now.value is None else "the baseline"),
            )
        )
    for bound in regression.metrics:
        now_agg = aggregate(result, samples(result), bound.metric, bound.aggregation)
        before_agg = aggregate(baseline, samples(baseline), bound.metric, bound.aggregation)
        is_rate = bound.aggregation == "pass_rate"
        where = "the result" if now_agg.value is None else "the baseline"
        checks.append(
            _change_check(
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
                missing=f"not in {where}: "
                + (now_agg.missing if now_agg.value is None else before_agg.missing),
            )
        )
    return checks


def _rate_missing(
    now: float | None, now_left_out: int | None, before: float | None, left_out: int | None
) -> str:
    for rate, excluded, where in ((now, now_left_out, "result"), (before, left_out, "baseline")):
        if rate is None and excluded:
            return (
                f"every run of the {where} failed for infrastructure reasons: no run tested the "
                "agent there, so there is no rate to compare"
            )
    return "a success rate is missing from the result or the baseline"


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
        out.append(dataclasses.replace(check, baseline_value=before, change=now - before))
    return out
