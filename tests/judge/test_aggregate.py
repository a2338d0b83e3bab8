"""Metric aggregations over the runs (exact numbers), Cekura's summary as a fallback, scenarios."""

from __future__ import annotations

import pytest

from gate.judge.aggregate import aggregate, metric_samples, percentile, scenario_stats
from gate.judge.reasons import Absence, Absent
from gate.publish.words.details import absence
from gate.result.parsing import parse
from tests.payloads import raw_run


def run(run_id: int, *, success=True, metrics=(), outcome=None, scenario=(1, "Greets")) -> dict:
    return raw_run(
        run_id, success, scenario=scenario, status="completed", metrics=metrics, outcome=outcome
    )


def latency(value: float) -> dict:
    return {"name": "Latency", "eval_type": "numeric", "score": value}


def canonical(passed: bool) -> dict:
    return {"name": "Workflow Adherence", "eval_type": "binary", "passed": passed}


def legacy(passed: bool) -> dict:
    return {
        "name": "Call Pickup",
        "type": "binary_workflow_adherence",
        "score": 5 if passed else 0,
        "score_normalized": 1 if passed else 0,
    }


LATENCIES = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
RESULT = parse(
    {
        "id": 1,
        "status": "completed",
        "runs": {
            str(i): run(
                i,
                metrics=[latency(v), canonical(i % 4 != 0), legacy(i != 10)],
                outcome=100 if i <= 8 else 50,
            )
            for i, v in enumerate(LATENCIES, start=1)
        },
        "overall_evaluation": {
            "metric_summary": {
                "77": {"id": 77, "name": "Politeness", "type": "binary", "score": 4.5},
                "78": {
                    "id": 78,
                    "name": "Talk Speed",
                    "type": "numeric",
                    "score": 151.5,
                    "p50": 150,
                    "percentiles": {"p90": 170},
                },
            }
        },
    }
)
SAMPLES = metric_samples(RESULT)


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("mean", 550.0),
        ("min", 100.0),
        ("max", 1000.0),
        ("p50", 550.0),  # between 500 and 600
        ("p90", 910.0),  # 900 + 0.1 * (1000 - 900)
        ("p95", 955.0),
    ],
)
def test_numeric_aggregations(aggregation, expected):
    found = aggregate(RESULT, SAMPLES, "latency", aggregation)
    assert found.value == pytest.approx(expected)
    assert (found.runs, found.source) == (10, "runs")


def test_pass_rate_of_canonical_and_legacy_binary_metrics():
    canonical_rate = aggregate(RESULT, SAMPLES, "Workflow Adherence", "pass_rate")
    assert (canonical_rate.value, canonical_rate.successes, canonical_rate.runs) == (80.0, 8, 10)
    legacy_rate = aggregate(RESULT, SAMPLES, "call pickup", "pass_rate")
    assert (legacy_rate.value, legacy_rate.successes, legacy_rate.runs) == (90.0, 9, 10)
    # the legacy score (5 = pass) is also a number: its mean is on the 0-5 scale
    assert aggregate(RESULT, SAMPLES, "Call Pickup", "mean").value == 4.5


def test_expected_outcome_scores():
    assert aggregate(RESULT, SAMPLES, "expected_outcome", "mean").value == 90.0
    assert aggregate(RESULT, SAMPLES, "Expected Outcome", "min").value == 50.0
    rate = aggregate(RESULT, SAMPLES, "expected_outcome", "pass_rate")  # runs scoring 100
    assert (rate.value, rate.successes, rate.runs) == (80.0, 8, 10)


def test_metric_summary_is_the_fallback():
    assert aggregate(RESULT, SAMPLES, "Politeness", "pass_rate").value == 90.0  # 4.5 / 5
    assert aggregate(RESULT, SAMPLES, "Talk Speed", "mean").value == 151.5
    assert aggregate(RESULT, SAMPLES, "Talk Speed", "p50").value == 150
    p90 = aggregate(RESULT, SAMPLES, "Talk Speed", "p90")
    assert (p90.value, p90.source) == (170, "summary")
    missing = aggregate(RESULT, SAMPLES, "Talk Speed", "max")
    assert missing.value is None
    assert missing.absent == Absence(Absent.SUMMARY_LACKS, "Talk Speed", "max")
    assert "has no max" in absence(missing.absent)


def test_missing_and_wrong_kind_say_why():
    def why(result, metric, aggregation, samples=SAMPLES):
        found = aggregate(result, samples, metric, aggregation)
        assert found.value is None and found.absent is not None
        return found.absent.why, absence(found.absent)

    assert why(RESULT, "Empathy", "mean") == (
        Absent.NOT_REPORTED,
        "no run reports the metric 'Empathy', and Cekura's metric summary does not list it",
    )
    code, said = why(RESULT, "Latency", "pass_rate")
    assert code is Absent.NOT_PASS_FAIL and "not a pass/fail metric" in said
    code, said = why(RESULT, "Workflow Adherence", "mean")
    assert code is Absent.NO_NUMERIC_VALUE and "use pass_rate" in said
    empty = parse({"status": "completed", "runs": [run(1)]})
    code, said = why(empty, "expected_outcome", "mean", metric_samples(empty))
    assert code is Absent.NO_OUTCOME_SCORE and "Expected Outcome metric is not attached" in said


def test_percentile_is_linear_interpolation():
    assert percentile([1.0], 0.9) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([float(v) for v in range(1, 11)], 0.9) == pytest.approx(9.1)


def test_scenarios_grouped_by_id_then_name():
    result = parse(
        {
            "status": "completed",
            "runs": [
                run(1, scenario=(5, "Triage")),
                run(2, success=False, scenario=(5, "Triage")),
                run(3, success=None, scenario=(6, "Billing")),
                {"id": 4, "scenario_name": "Loose", "success": True},
            ],
        }
    )
    stats = {(s.name, s.scenario_id): (s.runs, s.passed) for s in scenario_stats(result.runs)}
    assert stats == {("Triage", 5): (2, 1), ("Billing", 6): (1, 0), ("Loose", None): (1, 1)}
