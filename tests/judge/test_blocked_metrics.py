"""A metric that never applied is not a failure: blocked runs are left out of aggregates and
pass rates, the check says how many runs it applied to, and a metric that applied to no run
is missing, never a pass (not even on Cekura's summary)."""

from __future__ import annotations

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Outcome, VerdictKind
from gate.policy import config, model
from gate.publish.words.wording import actual, detail
from gate.result.model import Baseline
from gate.result.parsing import parse

BLOCKED = {"eval_type": "binary", "passed": None, "extra": {"trigger_failed": True}}


def policy(text: str) -> model.Policy:
    return config.parse("version: 1\n" + text, name="gate.yml")


def metric(value) -> dict:
    """'blocked', or a pass/fail (bool), or a number (Latency-like)."""
    if value == "blocked":
        return {"name": "Transfer Handling", **BLOCKED}
    if isinstance(value, bool):
        return {"name": "Transfer Handling", "eval_type": "binary", "passed": value}
    return {"name": "Transfer Handling", "eval_type": "numeric", "score": value}


def result(values: list, *, summary_score: float | None = None, rid: int = 3) -> dict:
    raw = {
        "id": rid,
        "status": "completed",
        "runs": {
            str(n): {"id": n, "success": True, "evaluation": {"metrics": [metric(v)]}}
            for n, v in enumerate(values, start=1)
        },
    }
    if summary_score is not None:
        raw["overall_evaluation"] = {
            "metric_summary": {
                "9": {"name": "Transfer Handling", "type": "binary", "score": summary_score}
            }
        }
    return raw


def check(values: list, aggregation: str = "pass_rate", bound: str = "min: 100", **kw):
    text = (
        "thresholds:\n  metrics:\n"
        f"    - {{metric: Transfer Handling, aggregation: {aggregation}, {bound}}}\n"
    )
    verdict = evaluate(parse(result(values, **kw)), policy(text))
    return verdict, next(c for c in verdict.checks if c.name.startswith("metrics["))


def test_blocked_runs_are_left_out_of_the_pass_rate():
    verdict, found = check([True, True, "blocked", "blocked", "blocked"])
    assert (found.value, found.successes, found.runs, found.not_applicable) == (100.0, 2, 2, 3)
    assert actual(found) == "100% (2 of 2 runs; not applicable in 3: blocked)"
    assert verdict.kind is VerdictKind.PASS


@pytest.mark.parametrize("minimum, kind", [(75, VerdictKind.PASS), (75.01, VerdictKind.FAIL)])
def test_a_pass_rate_over_the_runs_it_applied_to_on_the_bound(minimum, kind):
    verdict, found = check([True, True, True, False, "blocked"], bound=f"min: {minimum}")
    assert (found.value, found.runs, found.not_applicable) == (75.0, 4, 1)
    assert verdict.kind is kind


def test_a_legacy_score_of_zero_beside_trigger_failed_is_no_failure():
    legacy = {"type": "binary_workflow_adherence", "score": 0, "extra": {"trigger_failed": True}}
    raw = result([True])
    raw["runs"]["2"] = {
        "id": 2,
        "success": True,
        "evaluation": {"metrics": [{"name": "Transfer Handling", **legacy}]},
    }
    text = (
        "thresholds:\n  metrics:\n"
        "    - {metric: Transfer Handling, aggregation: pass_rate, min: 100}\n"
    )
    verdict = evaluate(parse(raw), policy(text))
    assert verdict.kind is VerdictKind.PASS


def test_a_metric_blocked_in_every_run_is_missing_not_a_pass():
    verdict, found = check(["blocked"] * 4, bound="min: 0")
    assert found.outcome is Outcome.MISSING and found.value is None
    assert found.not_applicable == 4
    assert "applied to no run" in detail(found) and "all 4 run(s)" in detail(found)
    assert verdict.kind is VerdictKind.FAIL


def test_a_metric_blocked_everywhere_does_not_fall_back_on_cekuras_summary():
    """The summary's 5/5 average is no evidence for a metric that never applied."""
    verdict, found = check(["blocked"] * 3, summary_score=5.0, bound="min: 0")
    assert found.outcome is Outcome.MISSING
    assert verdict.kind is VerdictKind.FAIL


def test_numeric_aggregates_leave_blocked_runs_out():
    verdict, found = check([800, 1200, "blocked"], aggregation="mean", bound="max: 1000")
    assert (found.value, found.runs, found.not_applicable) == (1000.0, 2, 1)
    assert actual(found) == "1000 (2 runs; not applicable in 1: blocked)"
    assert verdict.kind is VerdictKind.PASS


def test_a_metric_that_always_applied_says_none_were_blocked():
    _, found = check([True, True])
    assert found.not_applicable == 0
    assert actual(found) == "100% (2 of 2 runs)"


def test_a_regression_compares_the_runs_each_metric_applied_to():
    text = (
        "baseline: {result_id: 1}\nthresholds:\n  regression:\n    metrics:\n"
        "      - {metric: Transfer Handling, aggregation: pass_rate, max_drop: 0}\n"
    )
    before = Baseline(how="result 1", result=parse(result([True, True, True], rid=1)))
    now = parse(result([True, "blocked", "blocked"]))
    verdict = evaluate(now, policy(text), baseline=before)
    change = next(c for c in verdict.checks if c.name.startswith("baseline.metrics"))
    assert (change.value, change.baseline_value, change.change) == (100.0, 100.0, 0.0)
    assert verdict.kind is VerdictKind.PASS
