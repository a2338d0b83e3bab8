"""Merging a result and the retry of its failed scenarios (gate/result/combine.py)."""

from __future__ import annotations

from gate.judge.aggregate import scenario_stats
from gate.result.combine import combine
from gate.result.model import MetricSummary, Result, RubricRule, Run
from gate.result.notes import Note, Noted


def run(run_id: str, scenario: int, success: bool, status: str = "completed") -> Run:
    return Run(
        id=run_id,
        scenario_id=scenario,
        scenario_name=f"Scenario {scenario}",
        status=status,
        success=success,
    )


NOTE = Note(Noted.RATE_AS_FRACTION, rate=0.5)
FIRST = Result(
    id="10",
    name="CI run",
    status="completed",
    agent="5",
    runs=(run("1", 7, False), run("2", 8, True), run("3", 9, True)),
    reported_total_runs=3,
    reported_success_runs=2,
    completed_runs=3,
    reported_success_rate=66.7,
    failed_workflow_runs=("1",),
    failed_infrastructure_runs=(),
    performance_metrics=(RubricRule(metric="Latency", value=900.0, met=True),),
    metric_summary=(MetricSummary(name="Latency", kind="numeric", score=900.0),),
    failed_reasons=("never confirmed the time",),
    ai_summary="one booking failed",
    runs_listed=True,
)
RETRY = Result(
    id="11",
    name="CI run (retry)",
    status="completed",
    agent="5",
    runs=(run("4", 7, True),),
    reported_total_runs=1,
    reported_success_runs=1,
    completed_runs=1,
    reported_success_rate=100.0,
    failed_workflow_runs=(),
    failed_infrastructure_runs=(),
    performance_metrics=(RubricRule(metric="Latency", value=100.0, met=True),),
    ai_summary="all passed",
    runs_listed=True,
)


def test_every_run_of_both_counts_and_a_scenario_that_failed_then_passed_is_flaky():
    both = combine(FIRST, RETRY)
    assert [r.id for r in both.runs] == ["1", "2", "3", "4"]
    assert both.success_counts == (3, 4)  # no best of n: the failed run still counts
    assert both.success_rate == 75.0
    assert (both.reported_total_runs, both.reported_success_runs, both.completed_runs) == (4, 3, 4)
    assert both.reported_success_rate == 75.0
    flaky = {s.scenario_id: (s.passed, s.runs) for s in scenario_stats(list(both.runs))}
    assert flaky[7] == (1, 2)


def test_identity_rubric_and_summaries_are_the_first_results():
    both = combine(FIRST, RETRY)
    assert (both.id, both.name, both.agent) == ("10", "CI run", "5")
    assert both.performance_metrics == FIRST.performance_metrics
    assert both.metric_summary == FIRST.metric_summary
    assert both.ai_summary == "one booking failed"
    assert both.status == "completed"


def test_run_ids_stay_distinct_and_failed_ids_follow_their_run():
    retry = Result(
        id="11",
        name="",
        status="completed",
        runs=(run("1", 7, False),),
        failed_workflow_runs=("1",),
        failed_infrastructure_runs=(),
        runs_listed=True,
    )
    both = combine(FIRST, retry)
    assert [r.id for r in both.runs] == ["1", "2", "3", "1@11"]
    assert both.failed_workflow_runs == ("1", "1@11")


def test_a_count_measured_on_one_side_only_is_unknown_not_partial():
    retry = Result(id="11", name="", status="completed", runs=(run("4", 7, True),))
    both = combine(FIRST, retry)
    assert both.failed_workflow_runs is None  # "missing": not measured on every run
    # a side without counts counts its listed runs
    assert (both.reported_total_runs, both.reported_success_runs) == (4, 3)


def test_a_retry_that_did_not_complete_makes_the_whole_unfinished_and_a_failed_first_stays():
    timed_out = Result(id="11", name="", status="timeout", runs=(), runs_listed=True)
    assert combine(FIRST, timed_out).status == "timeout"
    failed_first = Result(id="10", name="", status="failed", runs=(run("1", 7, False),))
    assert combine(failed_first, RETRY).status == "failed"
    running_first = Result(id="10", name="", status="running", runs=(run("1", 7, False),))
    assert combine(running_first, RETRY).status == "completed"  # decided early, then retried


def test_reasons_and_notes_are_kept_once_each():
    retry = Result(
        id="11",
        name="",
        status="completed",
        failed_reasons=("never confirmed the time", "hung up"),
        notes=(NOTE, NOTE),
    )
    both = combine(FIRST, retry)
    assert both.failed_reasons == ("never confirmed the time", "hung up")
    assert both.notes == (NOTE,)
