"""What a retry of the failed scenarios starts, or why it starts nothing (plan_retry)."""

from __future__ import annotations

from gate.result.model import Result, Run
from gate.source.retry_run import plan_retry
from gate.source.start import StartRequest


def result(*runs: tuple[str, int | None, bool]) -> Result:
    return Result(
        id="10",
        name="",
        status="completed",
        runs=tuple(
            Run(id=i, scenario_id=s, scenario_name="", status="completed", success=ok)
            for i, s, ok in runs
        ),
        runs_listed=True,
    )


TWO_FAILED = result(("1", 9, False), ("2", 7, False), ("3", 9, False), ("4", 8, True))


def test_only_the_failed_scenarios_by_id_in_the_same_mode_and_options():
    request = StartRequest(agent_id=5, mode="text", tags=("smoke",), frequency=2, run_name="pr")
    plan = plan_retry(TWO_FAILED, request, spent=0, max_calls=20)
    assert plan.request is not None and not plan.refused
    assert plan.request.scenarios == (7, 9)  # each scenario once, whatever its failed runs
    assert plan.request.tags == ()
    assert (plan.request.mode, plan.request.frequency) == ("text", 2)
    assert plan.request.run_name == "pr (retry)"
    assert plan.calls == 4
    assert plan.request.body()["scenarios"] == [7, 9]


def test_max_calls_is_inclusive_and_counts_earlier_retries():
    request = StartRequest(agent_id=5, scenarios=(7, 8, 9), frequency=2)
    assert plan_retry(TWO_FAILED, request, spent=0, max_calls=4).request is not None
    over = plan_retry(TWO_FAILED, request, spent=0, max_calls=3)
    assert over.request is None
    assert over.refused == (
        "retrying 2 failed scenarios would place 4 calls, more than retry_failed.max_calls "
        "(3); raise max_calls to allow it"
    )
    later = plan_retry(TWO_FAILED, request, spent=1, max_calls=4)
    assert later.request is None and "after 1 already placed by retries" in later.refused


def test_nothing_is_retried_without_a_failure_a_scenario_id_or_for_a_suite():
    request = StartRequest(agent_id=5, scenarios=(7, 8))
    passed = result(("1", 7, True))
    assert plan_retry(passed, request, spent=0, max_calls=20).refused.startswith("no run failed")
    no_id = result(("1", 7, False), ("2", None, False))
    refused = plan_retry(no_id, request, spent=0, max_calls=20)
    assert refused.request is None and "name no scenario id (run 2)" in refused.refused
    suite = StartRequest(agent_id=5, suite={"scenarios": [{}]}, suite_file="s.json")
    assert (
        "suite-file run is not retried"
        in plan_retry(TWO_FAILED, suite, spent=0, max_calls=20).refused
    )
