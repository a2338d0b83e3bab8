from __future__ import annotations

import json

import pytest

from gate.errors import PayloadError
from gate.publish.findings.evidence import reason
from gate.result.model import RubricRule
from gate.result.notes import Note, Noted
from gate.result.parsing import parse
from tests.conftest import load_fixture


def test_counts_as_strings_and_runs_keyed_by_id_strings():
    result = parse(load_fixture("failing.json"))
    assert result.id == "4102"
    assert result.reported_total_runs == 4
    assert result.reported_success_runs == 2
    assert [r.id for r in result.runs] == ["1", "2", "3", "4"]
    assert result.success_rate == 50.0


def test_success_rate_computed_from_runs_not_from_the_reported_field():
    raw = load_fixture("passing.json")
    raw["success_rate"] = 12  # a wrong field must not decide
    assert parse(raw).success_rate == 100.0


def test_runs_as_a_list_are_accepted():
    raw = {
        "status": "completed",
        "runs": [{"id": 9, "success": True}, {"id": 10, "success": False}],
    }
    result = parse(raw)
    assert [r.id for r in result.runs] == ["9", "10"]
    assert result.success_rate == 50.0


def test_fraction_success_rate_detected_by_cross_checking_counts():
    result = parse(load_fixture("fraction_rate.json"))
    assert result.reported_success_rate == 75.0
    assert result.success_rate == 75.0
    assert result.notes == (Note(Noted.RATE_AS_FRACTION, rate=0.75),)


def test_percent_success_rate_of_one_is_not_read_as_a_fraction():
    raw = {
        "status": "completed",
        "success_rate": 1,
        "total_runs_count": 100,
        "success_runs_count": 1,
    }
    assert parse(raw).reported_success_rate == 1.0


def test_success_rate_from_counts_when_runs_are_absent():
    raw = {
        "status": "completed",
        "success_rate": None,
        "total_runs_count": "8",
        "success_runs_count": "6",
    }
    assert parse(raw).success_rate == 75.0


@pytest.mark.parametrize("value", [None, "abc", "", [], {}, True, float("nan")])
def test_unreadable_counts_are_none(value):
    assert parse({"status": "completed", "total_runs_count": value}).reported_total_runs is None


def test_null_versus_empty_list_is_kept():
    assert parse({"failed_workflow_runs": None}).failed_workflow_runs is None
    assert parse({"failed_workflow_runs": []}).failed_workflow_runs == ()
    assert parse({"failed_workflow_runs": [3, "4"]}).failed_workflow_runs == ("3", "4")
    assert parse({}).failed_infrastructure_runs is None


@pytest.mark.parametrize(
    "shape",
    [
        [{"metric_name": "Latency", "value": 900, "passed": True}],
        [{"name": "Latency", "aggregate": "900", "met": True}],
        [{"metric": "Latency", "score": 900, "meets": "true"}],
        {"Latency": {"value": 900, "passed": True}},
        json.dumps([{"metric_name": "Latency", "value": 900, "passed": True}]),
    ],
)
def test_performance_metrics_shapes(shape):
    result = parse({"status": "completed", "performance_metrics": shape})
    assert result.performance_metrics == (RubricRule(metric="Latency", value=900.0, met=True),)
    assert result.performance_metrics_error == ""


def test_performance_metrics_absent_empty_and_unreadable_are_different():
    assert parse({"performance_metrics": None}).performance_metrics is None
    assert parse({"performance_metrics": []}).performance_metrics == ()
    broken = parse({"performance_metrics": "not json"})
    assert broken.performance_metrics is None
    assert "not JSON" in broken.performance_metrics_error
    nameless = parse({"performance_metrics": [{"value": 3, "passed": True}]})
    assert "no recognisable metric name" in nameless.performance_metrics_error
    odd = parse({"performance_metrics": 42})
    assert "unexpected type" in odd.performance_metrics_error


def test_unknown_status_and_extra_fields_are_kept_not_fatal():
    result = parse({"status": "Warming_Up", "brand_new_field": {"x": 1}, "runs": {}})
    assert result.status == "warming_up"
    assert not result.is_terminal


def test_failed_run_reason_prefers_error_message_then_expected_outcome():
    result = parse(load_fixture("failing.json"))
    reasons = {r.id: reason(r) for r in result.failing_runs}
    assert reasons["4"] == "Failed to create Pipecat session"
    assert reasons["3"].startswith("Expected outcome scored 0/100: The agent did not tell")


def test_legacy_and_canonical_binary_metrics():
    run = {
        "id": 1,
        "success": False,
        "evaluation": {
            "metrics": [
                {"name": "Call Pickup", "type": "binary_workflow_adherence", "score": 5},
                {
                    "name": "Greeting",
                    "eval_type": "binary",
                    "passed": False,
                    "explanation": ["No hello"],
                },
                {"name": "Latency", "type": "numeric", "score": "830"},
            ]
        },
    }
    metrics = parse({"runs": {"1": run}}).runs[0].metrics
    assert [(m.name, m.value, m.passed) for m in metrics] == [
        ("Call Pickup", 5.0, True),
        ("Greeting", None, False),
        ("Latency", 830.0, None),
    ]
    assert reason(parse({"runs": {"1": run}}).runs[0]) == "Greeting failed: No hello"


def test_scenario_as_integer_with_scenario_name():
    run = parse({"runs": {"5": {"scenario": 77, "scenario_name": "Refund", "success": True}}}).runs[
        0
    ]
    assert (run.id, run.scenario_id, run.scenario_name) == ("5", 77, "Refund")


@pytest.mark.parametrize("raw", ["[1, 2]", b"42", [1], "not json"])
def test_non_object_payload_is_a_payload_error(raw):
    with pytest.raises(PayloadError):
        parse(raw)


def test_dashboard_url_uses_the_project_when_known():
    assert parse({"id": 5, "project": 42}).url == "https://dashboard.cekura.ai/42/results/5"
    assert parse({"id": 5}).url == "https://dashboard.cekura.ai/results/5"


# -- how the parser builds runs fast, and what it may skip ---------------------------------


def test_runs_built_by_the_parser_are_ordinary_frozen_objects():
    from msgspec.structs import replace

    from gate.result.model import MetricValue, Run

    run = next(r for r in parse(_benchmark_payload(300)).runs if r.success is False)
    assert run.metrics and run.excerpt
    assert type(run) is Run and all(type(m) is MetricValue for m in run.metrics)
    same = Run(**{name: getattr(run, name) for name in Run.__struct_fields__})
    assert run == same and hash(run) == hash(same) and repr(run) == repr(same)
    assert replace(run, id="x").id == "x"
    with pytest.raises(AttributeError, match="immutable"):
        run.id = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        run.metrics[0].value = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        run.excerpt[0].content = ""  # type: ignore[misc]


def _benchmark_payload(runs: int) -> dict:
    import sys
    from pathlib import Path

    benchmarks = str(Path(__file__).resolve().parents[2] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        import payload
    finally:
        sys.path.remove(benchmarks)
    return payload.make_result(runs)


def test_no_passing_metrics_keeps_of_runs_that_succeeded_what_the_reports_read():
    from msgspec.structs import replace

    from gate.result.model import Run

    raw = _benchmark_payload(300)
    full, lean = parse(raw), parse(raw, passing_metrics=())
    assert any(r.success is True and r.metrics and r.duration for r in full.runs)
    for before, after in zip(full.runs, lean.runs, strict=True):
        if before.success is True:
            kept = ("id", "scenario_id", "scenario_name", "status", "success", "duration")
            assert after == Run(**{name: getattr(before, name) for name in kept})
        else:
            assert after == before
    assert replace(full, runs=()) == replace(lean, runs=())


@pytest.mark.parametrize(
    "policy",
    [
        "version: 1\nthresholds: {success_rate: {min: 90, confidence: 0.95}}",
        "version: 1\nthresholds:\n  scenarios: [{name: Book appointment, min_success_rate: 99}]",
        "version: 1\nthresholds:\n  metrics: [{metric: Latency, aggregation: p90, max: 1000}]",
        "version: 1\nthresholds:\n  metrics: [{metric: workflow_adherence, aggregation: "
        "pass_rate, min: 99}]",
        "version: 1\nthresholds:\n  metrics: [{metric: Expected Outcome, aggregation: mean, "
        "min: 99}]",
    ],
)
def test_the_check_reads_what_its_policy_needs_and_judges_the_same(policy):
    from gate.flow.judging import parse_for
    from gate.judge.evaluate import evaluate
    from gate.policy import config
    from gate.result.model import Run

    raw = _benchmark_payload(300)
    rules = config.parse(policy, name="gate.yml")
    full, read = parse(raw), parse_for(raw, rules)
    assert evaluate(read, rules) == evaluate(full, rules)
    named = {" ".join(b.metric.replace("_", " ").lower().split()) for b in rules.metrics}
    assert any(r.success is True and len(r.metrics) > len(named) for r in full.runs)
    for before, after in zip(full.runs, read.runs, strict=True):
        if before.success is not True:
            assert after == before  # a failing run shows every metric and link
            continue
        # of a run that succeeded: its identity and duration, and what a check aggregates
        kept = tuple(m for m in before.metrics if m.name.lower() in named)
        score = before.expected_outcome_score if "expected outcome" in named else None
        assert after == Run(
            id=before.id,
            scenario_id=before.scenario_id,
            scenario_name=before.scenario_name,
            status=before.status,
            success=True,
            duration=before.duration,
            metrics=kept,
            expected_outcome_score=score,
        )
        assert kept or score is not None or not rules.metrics
