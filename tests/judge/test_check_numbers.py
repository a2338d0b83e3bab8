"""Every check kind measures numbers: value, unit, bounds, counts, interval, baseline and change.

The display strings are pinned elsewhere (golden files); these pin the numbers scripts read,
on the boundary: a value exactly on its bound, one run below it.
"""

from __future__ import annotations

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Check, Kind, Outcome, Unit
from gate.policy import config
from gate.result.model import Baseline
from gate.result.parsing import parse
from tests.boundary_cases import adherence_runs, latency_runs, result, rubric, runs


def judged(raw: dict, thresholds: str, *, baseline: dict | None = None) -> dict[str, Check]:
    policy = config.parse(f"version: 1\n{thresholds}", name="gate.yml")
    found = Baseline(how="the baseline", result=parse(baseline)) if baseline else None
    return {c.name: c for c in evaluate(parse(raw), policy, baseline=found).checks}


def numbers(check: Check) -> tuple:
    return (check.kind, check.value, check.unit, check.minimum, check.maximum, check.outcome)


def test_min_runs_counts_runs_and_holds_exactly_on_its_bound():
    check = judged(result(runs=runs(3, 3)), "thresholds: {min_runs: 3}")["min_runs"]
    assert numbers(check) == (Kind.MIN_RUNS, 3, Unit.COUNT, 3, None, Outcome.PASS)


@pytest.mark.parametrize(("succeeded", "outcome"), [(9, Outcome.PASS), (8, Outcome.FAIL)])
def test_success_rate_is_a_percent_with_its_counts(succeeded, outcome):
    raw = result(runs=runs(succeeded, 10))
    check = judged(raw, "thresholds: {success_rate: {min: 90}}")["success_rate"]
    value = 10.0 * succeeded
    assert numbers(check) == (Kind.SUCCESS_RATE, value, Unit.PERCENT, 90, None, outcome)
    assert (check.successes, check.runs, check.interval) == (succeeded, 10, None)


def test_success_rate_with_confidence_carries_its_wilson_interval():
    raw = result(runs=runs(20, 20))
    text = "thresholds: {success_rate: {min: 80, confidence: 0.95}}"
    check = judged(raw, text)["success_rate"]
    assert (check.successes, check.runs, check.confidence) == (20, 20, 0.95)
    assert check.interval is not None and check.interval.confidence == 0.95
    # Wilson 95% for 20 of 20: 83.89% .. 100%
    assert round(check.interval.low, 2) == 83.89 and check.interval.high == pytest.approx(100)
    assert check.outcome is Outcome.PASS


def test_failed_runs_count_the_ids_against_the_maximum():
    raw = result(runs=runs(10, 10), failed_workflow_runs=[101, 102])
    text = "thresholds: {failed_workflow_runs: {max: 2}}"
    check = judged(raw, text)["failed_workflow_runs"]
    assert numbers(check) == (Kind.FAILED_RUNS, 2, Unit.COUNT, None, 2, Outcome.PASS)
    assert check.subject == "workflow"


def test_failed_runs_reported_null_are_missing_without_a_value():
    raw = result(runs=runs(10, 10), failed_infrastructure_runs=None)
    text = "thresholds: {failed_infrastructure_runs: {max: 0}}"
    check = judged(raw, text)["failed_infrastructure_runs"]
    assert (check.value, check.outcome, check.subject) == (None, Outcome.MISSING, "infrastructure")


def test_a_rubric_rule_is_a_score_exactly_on_its_maximum():
    raw = result(runs=runs(1, 1), performance_metrics=rubric(1500))
    text = "thresholds:\n  performance_metrics:\n    rules: [{metric: Latency, max: 1500}]\n"
    check = judged(raw, text)["performance_metrics.rules[Latency]"]
    assert numbers(check) == (Kind.RUBRIC_RULE, 1500, Unit.SCORE, None, 1500, Outcome.PASS)
    assert check.subject == "Latency"


def test_all_rubric_rules_met_counts_the_met_rules_against_all_of_them():
    rules = [*rubric(1), {"metric_name": "Tone", "value": 2, "passed": False}]
    raw = result(runs=runs(1, 1), performance_metrics=rules)
    text = "thresholds:\n  performance_metrics: {require_all_met: true}\n"
    check = judged(raw, text)["performance_metrics.require_all_met"]
    assert numbers(check) == (Kind.RUBRIC_ALL_MET, 1, Unit.COUNT, 2, None, Outcome.FAIL)


def test_a_scenario_one_run_below_its_floor():
    raw = result(runs=runs(8, 10))
    text = "thresholds:\n  scenarios: [{id: 1, min_success_rate: 90}]\n"
    check = judged(raw, text)["scenarios[1]"]
    assert numbers(check) == (Kind.SCENARIO, 80, Unit.PERCENT, 90, None, Outcome.FAIL)
    assert (check.subject, check.successes, check.runs) == ("1", 8, 10)


def test_a_scenario_without_runs_is_missing_with_its_bound():
    text = "thresholds:\n  scenarios: [{id: 7, min_success_rate: 90}]\n"
    check = judged(result(runs=runs(8, 10)), text)["scenarios[7]"]
    assert numbers(check) == (Kind.SCENARIO, None, Unit.PERCENT, 90, None, Outcome.MISSING)


def test_a_metric_aggregate_exactly_on_its_maximum():
    raw = result(runs=latency_runs(1000, 2000, 1500))
    text = "thresholds:\n  metrics: [{metric: Latency, aggregation: p50, max: 1500}]\n"
    check = judged(raw, text)["metrics[Latency].p50"]
    assert numbers(check) == (Kind.METRIC, 1500, Unit.NUMBER, None, 1500, Outcome.PASS)
    assert (check.subject, check.aggregation, check.runs) == ("Latency", "p50", 3)


def test_a_metric_pass_rate_is_a_rate():
    raw = result(runs=adherence_runs(3, 4))
    text = "thresholds:\n  metrics: [{metric: Adherence, aggregation: pass_rate, min: 75}]\n"
    check = judged(raw, text)["metrics[Adherence].pass_rate"]
    assert numbers(check) == (Kind.METRIC, 75, Unit.PERCENT, 75, None, Outcome.PASS)
    assert (check.successes, check.runs) == (3, 4)


BASELINE = """\
baseline: {result_id: 1}
thresholds:
  success_rate: {min: 50}
  scenarios: [{id: 1, min_success_rate: 50}]
  performance_metrics:
    rules: [{metric: Latency, max: 5000}]
  regression:
    success_rate: {max_drop: 10}
    rules: [{metric: Latency, max_increase: 200}]
"""


def test_a_regression_is_the_same_kind_measured_on_the_baseline():
    before = result(id=1, runs=runs(10, 10), performance_metrics=rubric(1000))
    now = result(runs=runs(9, 10), performance_metrics=rubric(1201))
    checks = judged(now, BASELINE, baseline=before)
    assert checks["baseline"].kind is Kind.BASELINE
    drop = checks["baseline.success_rate"]
    assert (drop.kind, drop.measures, drop.unit) == (Kind.REGRESSION, Kind.SUCCESS_RATE, "percent")
    # a drop of exactly the allowed 10 pp holds
    assert (drop.value, drop.baseline_value, drop.change) == (90, 100, -10)
    assert (drop.minimum, drop.maximum, drop.outcome) == (-10, None, Outcome.PASS)
    rise = checks["baseline.rules[Latency]"]
    assert (rise.measures, rise.subject, rise.change, rise.maximum) == (
        Kind.RUBRIC_RULE,
        "Latency",
        201,
        200,
    )
    assert rise.outcome is Outcome.FAIL  # one above the allowed rise


def test_checks_compared_with_a_baseline_carry_its_value_and_the_change():
    before = result(id=1, runs=runs(10, 10), performance_metrics=rubric(1000))
    now = result(runs=runs(9, 10), performance_metrics=rubric(1201))
    checks = judged(now, BASELINE, baseline=before)
    rate, scenario = checks["success_rate"], checks["scenarios[1]"]
    assert (rate.baseline_value, rate.change) == (100, -10)
    assert (scenario.baseline_value, scenario.change) == (100, -10)
    rule = checks["performance_metrics.rules[Latency]"]
    assert (rule.value, rule.baseline_value, rule.change) == (1201, 1000, 201)
    assert checks["min_runs"].baseline_value is None  # not a kind compared with a baseline
