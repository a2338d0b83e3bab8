"""Decide early: exactly when a running result can no longer pass (gate/judge/early.py).

Every rule is pinned on its boundary: a rate that can still reach its bound exactly keeps the
wait going; one run more lost decides it.
"""

from __future__ import annotations

import pytest

from gate.judge.early import early_verdict, lost_checks, open_runs, run_finished, run_lost
from gate.judge.evaluate import evaluate
from gate.judge.reasons import Reason
from gate.judge.verdict import Outcome, VerdictKind
from gate.policy.level import Level
from gate.policy.model import (
    DEFAULT_POLICY,
    MaxCheck,
    MetricBound,
    MinCheck,
    Policy,
    RubricPolicy,
    ScenarioBound,
)
from gate.publish.words.wording import detail, verdict_reason
from gate.result.model import Result, Run


def run(n: int, status: str = "running", success: bool | None = None, scenario: int = 1) -> Run:
    return Run(
        id=str(n),
        scenario_id=scenario,
        scenario_name=f"Scenario {scenario}",
        status=status,
        success=success,
    )


def result(*runs: Run, total: int | None = None, **fields: object) -> Result:
    return Result(
        id="9",
        name="nightly",
        status="running",
        runs=tuple(runs),
        reported_total_runs=total,
        runs_listed=True,
        **fields,  # type: ignore[arg-type]
    )


def passed(n: int, scenario: int = 1) -> Run:
    return run(n, "completed", True, scenario)


def failed(n: int, scenario: int = 1) -> Run:
    return run(n, "completed", False, scenario)


def policy(**fields: object) -> Policy:
    return Policy(source="test", **fields)  # type: ignore[arg-type]


def names(checks: tuple) -> list[str]:
    return [c.name for c in checks]


# -- which runs are lost -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "success", "lost", "finished"),
    [
        ("completed", False, True, True),
        ("completed", True, False, True),
        ("completed", None, False, False),  # being evaluated: may still succeed
        ("failed", None, True, True),
        ("timeout", None, True, True),
        ("cancelled", None, True, True),
        ("error", None, True, True),
        ("running", None, False, False),
        ("running", False, False, False),  # a stale false on a run still going
        ("pending", None, False, False),
    ],
)
def test_which_runs_are_lost(status: str, success: bool | None, lost: bool, finished: bool) -> None:
    assert run_lost(run(1, status, success)) is lost
    assert run_finished(run(1, status, success)) is finished


def test_open_runs_counts_the_unlisted_ones() -> None:
    assert open_runs(result(passed(1), failed(2), run(3), total=10)) == 8
    assert open_runs(result(passed(1), failed(2), run(3, "completed"))) == 1


# -- the success rate ------------------------------------------------------------------------


def rate(minimum: float, **more: object) -> Policy:
    return policy(success_rate=MinCheck(min=minimum, **more))  # type: ignore[arg-type]


def test_a_rate_that_can_still_reach_its_minimum_exactly_keeps_waiting() -> None:
    runs = [failed(1), *(run(n) for n in range(2, 11))]
    assert lost_checks(result(*runs), rate(90)) == ()  # at best 9 of 10 = 90%


def test_one_run_more_lost_decides_it() -> None:
    runs = [failed(1), failed(2), *(run(n) for n in range(3, 11))]
    (check,) = lost_checks(result(*runs), rate(90))
    assert check.name == "success_rate"
    assert check.outcome is Outcome.FAIL
    assert (check.successes, check.runs, check.value) == (8, 10, 80.0)
    assert check.reason is Reason.AT_BEST
    assert "at best 8 of 10 runs can succeed: 2 already did not" in detail(check)


def test_the_default_policy_is_lost_with_the_first_failed_run() -> None:
    assert names(lost_checks(result(passed(1), failed(2), run(3)), DEFAULT_POLICY)) == [
        "success_rate"
    ]
    assert lost_checks(result(passed(1), run(2, "completed"), run(3)), DEFAULT_POLICY) == ()


def test_runs_not_listed_yet_count_as_possible_successes() -> None:
    # 1 of 3 listed runs failed; 10 are planned: at best 9 of 10
    assert lost_checks(result(failed(1), passed(2), run(3), total=10), rate(90)) == ()
    assert lost_checks(result(failed(1), failed(2), run(3), total=10), rate(90)) != ()


def test_a_warning_never_decides() -> None:
    lost = result(failed(1), failed(2), run(3))
    assert lost_checks(lost, rate(100, level=Level.WARN)) == ()


def test_with_confidence_an_inconclusive_best_case_at_warn_keeps_waiting() -> None:
    runs = [failed(1), *(run(n) for n in range(2, 21))]
    # at best 19 of 20: the 95% interval (about 76-99%) straddles 90%: inconclusive, a warning
    assert lost_checks(result(*runs), rate(90, confidence=0.95)) == ()
    # ... which decides it when an inconclusive rate is an error
    strict = rate(90, confidence=0.95, inconclusive_level=Level.ERROR)
    (check,) = lost_checks(result(*runs), strict)
    assert check.outcome is Outcome.INCONCLUSIVE and check.interval is not None


def test_with_confidence_a_whole_interval_below_the_minimum_decides() -> None:
    runs = [*(failed(n) for n in range(1, 11)), *(run(n) for n in range(11, 21))]
    (check,) = lost_checks(result(*runs), rate(90, confidence=0.95))
    assert check.outcome is Outcome.FAIL
    assert check.interval is not None and check.interval.high < 90


def test_nothing_planned_decides_nothing() -> None:
    assert lost_checks(result(), DEFAULT_POLICY) == ()


# -- critical scenarios ----------------------------------------------------------------------


def floor(minimum: float, **more: object) -> Policy:
    return policy(scenarios=(ScenarioBound(min_success_rate=minimum, **more),))  # type: ignore[arg-type]


def test_a_scenario_that_can_still_reach_its_floor_exactly_keeps_waiting() -> None:
    runs = [failed(1, 7), run(2, scenario=7), run(3, scenario=7), run(4, scenario=7), failed(5)]
    assert lost_checks(result(*runs), floor(75, scenario_id=7)) == ()  # at best 3 of 4


def test_a_scenario_floor_lost_decides_it() -> None:
    runs = [failed(1, 7), failed(2, 7), run(3, scenario=7), run(4, scenario=7), passed(5)]
    (check,) = lost_checks(result(*runs), floor(75, scenario_id=7))
    assert check.name == "scenarios[7]"
    assert (check.successes, check.runs) == (2, 4)
    # by name, case-insensitively
    (by_name,) = lost_checks(result(*runs), floor(75, name="scenario 7"))
    assert by_name.name == "scenarios[scenario 7]"


def test_unlisted_runs_may_belong_to_the_scenario() -> None:
    runs = [failed(1, 7), failed(2, 7), run(3, scenario=7), run(4, scenario=7)]
    # two more runs planned, not listed: at best 4 of 6 = 66.7%
    assert lost_checks(result(*runs, total=6), floor(66.66, scenario_id=7)) == ()
    assert lost_checks(result(*runs, total=6), floor(67, scenario_id=7)) != ()


def test_a_scenario_not_in_the_result_yet_or_at_warn_decides_nothing() -> None:
    runs = [failed(1, 7), failed(2, 7)]
    assert lost_checks(result(*runs), floor(100, scenario_id=8)) == ()
    assert lost_checks(result(*runs), floor(100, scenario_id=7, level=Level.WARN)) == ()


# -- max counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("failed_workflow_runs", "failed_workflow_runs"),
        ("failed_infrastructure_runs", "failed_infrastructure_runs"),
    ],
)
def test_a_max_count_decides_once_exceeded_not_when_reached(field: str, name: str) -> None:
    bound = policy(**{field: MaxCheck(max=1)})
    assert lost_checks(result(run(1), **{field: ("4",)}), bound) == ()  # 1: on the bound
    (check,) = lost_checks(result(run(1), **{field: ("4", "5")}), bound)
    assert check.name == name and check.value == 2 and check.run_ids == ("4", "5")
    assert lost_checks(result(run(1), **{field: None}), bound) == ()  # not measured
    warn = policy(**{field: MaxCheck(max=1, level=Level.WARN)})
    assert lost_checks(result(run(1), **{field: ("4", "5")}), warn) == ()


# -- the verdict decided early -----------------------------------------------------------------


def test_the_early_verdict_fails_on_the_lost_checks_and_reports_the_rest_not_reached() -> None:
    config = policy(
        success_rate=MinCheck(min=90),
        performance_metrics=RubricPolicy(require_all_met=True),
        scenarios=(ScenarioBound(min_success_rate=50, scenario_id=1),),
    )
    partial = result(failed(1), failed(2), passed(3), run(4), total=10)
    from msgspec.structs import replace

    full = evaluate(replace(partial, status="completed"), config)
    verdict = early_verdict(partial, config, full)
    assert verdict.kind is VerdictKind.FAIL and verdict.exit_code == 1
    outcomes = {c.name: c.outcome for c in verdict.checks}
    assert outcomes["success_rate"] is Outcome.FAIL
    assert outcomes["performance_metrics.require_all_met"] is Outcome.NOT_REACHED
    assert outcomes["scenarios[1]"] is Outcome.NOT_REACHED  # at best 8 of 10: may still hold
    assert outcomes["min_runs"] is Outcome.NOT_REACHED
    assert [c.name for c in verdict.failed_checks] == ["success_rate"]
    assert verdict.warnings == ()
    reached = [c for c in verdict.checks if c.outcome is Outcome.NOT_REACHED]
    assert all(c.value is None and c.runs is None and c.detail == "" for c in reached)


def test_nothing_lost_is_never_a_pass() -> None:
    partial = result(passed(1), run(2, "completed", True))
    from msgspec.structs import replace

    full = evaluate(replace(partial, status="completed"), DEFAULT_POLICY)
    assert full.kind is VerdictKind.PASS  # every run it lists succeeded
    verdict = early_verdict(partial, DEFAULT_POLICY, full)
    assert verdict.kind is VerdictKind.ERROR and verdict.exit_code == 3
    assert "could still pass" in verdict_reason(verdict)


def test_a_check_not_reached_says_nothing_of_why_its_value_is_absent():
    config = policy(
        success_rate=MinCheck(min=90),
        metrics=(MetricBound(metric="Latency", aggregation="mean", max=1000),),
    )
    partial = result(failed(1), failed(2), passed(3), run(4), total=10)
    from msgspec.structs import replace

    full = evaluate(replace(partial, status="completed"), config)
    (absent,) = [c for c in full.checks if c.name == "metrics[Latency].mean"]
    assert absent.absent is not None  # no run reports it
    early = early_verdict(partial, config, full)
    (latency,) = [c for c in early.checks if c.name == "metrics[Latency].mean"]
    assert latency.outcome is Outcome.NOT_REACHED
    assert (latency.absent, latency.reason, detail(latency)) == (None, None, "")
