"""Infrastructure failures in the verdict: count_infrastructure, the infrastructure check, and
regressions that never blame the agent for them. Exact numbers, on the bounds."""

from __future__ import annotations

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.reasons import Stop
from gate.judge.verdict import Level, Outcome, VerdictKind
from gate.policy import config, model
from gate.publish.words.wording import actual, detail, error_kind, verdict_reason
from gate.result.model import Baseline
from gate.result.parsing import parse

SIP_503 = "Call failed to connect: the agent's number returned SIP 503 Service Unavailable."


def policy(text: str) -> model.Policy:
    return config.parse("version: 1\n" + text, name="gate.yml")


def by_name(verdict):
    return {c.name: c for c in verdict.checks}


def run(n: int, kind: str) -> dict:
    """A run that passed ("pass"), failed on the agent ("agent") or on the infrastructure:
    a SIP error ("sip"), a call that never connected ("not_connected"), status error."""
    body: dict = {"id": n, "scenario": {"id": n % 3 + 1, "name": f"S{n % 3 + 1}"}}
    body |= {"status": "completed", "success": kind == "pass"}
    if kind == "sip":
        body |= {"status": "failed", "success": None, "error_message": SIP_503}
    elif kind == "not_connected":
        body["metadata"] = {"ended_reason": "call-not-connected"}
    elif kind == "error":
        body |= {"status": "error", "success": None}
    elif kind == "agent":
        body["expected_outcome"] = {"score": 0, "explanation": ["never confirmed the time"]}
        body["metadata"] = {"ended_reason": "customer-ended-call"}
    return body


def result(kinds: list[str], *, rid: int = 9, **extra) -> dict:
    return {
        "id": rid,
        "status": "completed",
        "runs": {str(n): run(n, k) for n, k in enumerate(kinds, start=1)},
        **extra,
    }


#: 10 runs: 7 passed, 2 infrastructure failures, 1 agent failure
MIXED = ["pass"] * 7 + ["sip", "not_connected", "agent"]


# -- count_infrastructure -------------------------------------------------------------------


def test_as_failure_is_the_default_and_counts_every_run():
    verdict = evaluate(parse(result(MIXED)), policy("thresholds:\n  success_rate: {min: 70}\n"))
    rate = by_name(verdict)["success_rate"]
    assert (rate.value, rate.successes, rate.runs, rate.excluded_runs) == (70.0, 7, 10, None)
    assert verdict.kind is VerdictKind.PASS


@pytest.mark.parametrize("minimum, kind", [(87.5, VerdictKind.PASS), (87.6, VerdictKind.FAIL)])
def test_exclude_judges_the_connected_runs_exactly_on_the_bound(minimum, kind):
    text = f"thresholds:\n  success_rate: {{min: {minimum}, count_infrastructure: exclude}}\n"
    verdict = evaluate(parse(result(MIXED)), policy(text))
    rate = by_name(verdict)["success_rate"]
    assert (rate.value, rate.successes, rate.runs, rate.excluded_runs) == (87.5, 7, 8, 2)
    assert verdict.kind is kind
    assert actual(rate) == "87.5% (7 of 8 runs; 2 infrastructure failures left out)"


def test_exclude_with_one_infrastructure_failure_says_it_in_the_singular():
    text = "thresholds:\n  success_rate: {min: 100, count_infrastructure: exclude}\n"
    verdict = evaluate(parse(result(["pass", "pass", "error"])), policy(text))
    rate = by_name(verdict)["success_rate"]
    assert actual(rate) == "100% (2 of 2 runs; 1 infrastructure failure left out)"
    assert verdict.kind is VerdictKind.PASS


def test_every_run_an_infrastructure_failure_is_no_rate_not_100_percent():
    text = "thresholds:\n  success_rate: {min: 0, count_infrastructure: exclude}\n"
    verdict = evaluate(parse(result(["sip", "error", "not_connected"])), policy(text))
    rate = by_name(verdict)["success_rate"]
    assert rate.outcome is Outcome.MISSING and rate.value is None
    assert (rate.runs, rate.excluded_runs) == (0, 3)
    assert "all 3 run(s) failed for infrastructure reasons" in detail(rate)
    assert verdict.kind is VerdictKind.FAIL  # even a minimum of 0 does not pass on nothing


def test_exclude_with_confidence_computes_the_interval_over_the_connected_runs():
    text = (
        "thresholds:\n  success_rate: {min: 60, confidence: 0.95, count_infrastructure: exclude}\n"
    )
    verdict = evaluate(parse(result(MIXED)), policy(text))
    rate = by_name(verdict)["success_rate"]
    assert (rate.successes, rate.runs, rate.excluded_runs) == (7, 8, 2)
    assert rate.interval is not None
    # Wilson 95% for 7 of 8: 52.91%..97.76%; the whole interval does not clear 60
    assert rate.interval.low == pytest.approx(52.91, abs=0.01)
    assert rate.interval.high == pytest.approx(97.76, abs=0.01)
    assert rate.outcome is Outcome.INCONCLUSIVE


def test_exclude_never_leaves_out_an_agent_failure():
    """A failure the gate cannot explain (no reason at all) stays the agent's."""
    text = "thresholds:\n  success_rate: {min: 50, count_infrastructure: exclude}\n"
    raw = result(["pass", "pass"])
    raw["runs"]["3"] = {"id": 3, "status": "completed", "success": False}
    rate = by_name(evaluate(parse(raw), policy(text)))["success_rate"]
    assert (rate.successes, rate.runs, rate.excluded_runs) == (2, 3, 0)


def test_exclude_on_counts_alone_uses_cekuras_infrastructure_list():
    text = "thresholds:\n  success_rate: {min: 90, count_infrastructure: exclude}\n"
    counts = {"id": 1, "status": "completed", "total_runs_count": 10, "success_runs_count": 8}
    listed = parse(counts | {"failed_infrastructure_runs": [4, 9]})
    rate = by_name(evaluate(listed, policy(text)))["success_rate"]
    assert (rate.value, rate.successes, rate.runs, rate.excluded_runs) == (100.0, 8, 8, 2)
    # Cekura does not say which runs: nothing is left out (never greener than the runs)
    rate = by_name(evaluate(parse(counts), policy(text)))["success_rate"]
    assert (rate.value, rate.runs, rate.excluded_runs) == (80.0, 10, 0)
    assert rate.outcome is Outcome.FAIL


def test_a_run_on_cekuras_infrastructure_list_is_left_out():
    text = "thresholds:\n  success_rate: {min: 100, count_infrastructure: exclude}\n"
    raw = result(["pass", "pass", "agent"], failed_infrastructure_runs=[3])
    rate = by_name(evaluate(parse(raw), policy(text)))["success_rate"]
    assert (rate.value, rate.runs, rate.excluded_runs) == (100.0, 2, 1)


# -- the infrastructure check -------------------------------------------------------------


@pytest.mark.parametrize(
    "kinds, held",
    [
        (["pass"] * 9 + ["sip"], True),  # 1 of 10 = 10%: exactly on max_rate
        (["pass"] * 8 + ["sip", "error"], False),  # 2 of 10 = 20%
        (["pass"] * 18 + ["sip", "agent"], True),  # 1 of 20 = 5%: the agent failure is not counted
    ],
)
def test_max_rate_on_the_bound_holds_one_run_over_could_not_evaluate(kinds, held):
    verdict = evaluate(
        parse(result(kinds)), policy("thresholds:\n  infrastructure: {max_rate: 10}\n")
    )
    check = by_name(verdict)["infrastructure"]
    assert check.held is held
    assert check.stops_evaluation
    assert verdict.kind is (VerdictKind.PASS if held else VerdictKind.ERROR)
    if not held:
        assert verdict.exit_code == 3
        assert (verdict.stop, error_kind(verdict)) == (
            Stop.INFRASTRUCTURE,
            "infrastructure failures",
        )
        reason = verdict_reason(verdict)
        assert reason.startswith("2 of 10 runs (20%) failed for infrastructure reasons")
        assert "at most 10%" in reason


def test_one_run_over_max_rate_of_ten_percent():
    """11 runs, 1 failure: 9.09% holds; 2 failures of 11: 18.18% does not."""
    ok = evaluate(
        parse(result(["pass"] * 10 + ["sip"])),
        policy("thresholds:\n  infrastructure: {max_rate: 10}\n"),
    )
    assert by_name(ok)["infrastructure"].value == pytest.approx(100 / 11)
    assert ok.kind is VerdictKind.PASS
    over = evaluate(
        parse(result(["pass"] * 9 + ["sip", "error"])),
        policy("thresholds:\n  infrastructure: {max_rate: 18.18}\n"),
    )
    assert by_name(over)["infrastructure"].value == pytest.approx(200 / 11)
    assert over.kind is VerdictKind.ERROR


@pytest.mark.parametrize("count, kind", [(2, VerdictKind.PASS), (3, VerdictKind.ERROR)])
def test_max_as_a_count(count, kind):
    kinds = ["pass"] * 5 + ["sip", "error", "not_connected"][:count]
    verdict = evaluate(parse(result(kinds)), policy("thresholds:\n  infrastructure: {max: 2}\n"))
    check = by_name(verdict)["infrastructure"]
    assert (check.value, check.failures, check.runs) == (count, count, 5 + count)
    assert actual(check) == f"{count} of {5 + count} runs"
    assert verdict.kind is kind


def test_actual_of_a_rate_says_the_count_and_the_percent():
    verdict = evaluate(
        parse(result(MIXED)), policy("thresholds:\n  infrastructure: {max_rate: 10}\n")
    )
    assert actual(by_name(verdict)["infrastructure"]) == "2 of 10 runs (20%)"


@pytest.mark.parametrize("level, kind", [("error", VerdictKind.FAIL), ("warn", VerdictKind.PASS)])
def test_its_own_level(level, kind):
    text = f"thresholds:\n  infrastructure: {{max: 1, level: {level}}}\n"
    verdict = evaluate(parse(result(MIXED)), policy(text))
    check = by_name(verdict)["infrastructure"]
    assert not check.held and not check.stops_evaluation
    assert check.level is Level(level)
    assert verdict.kind is kind


def test_could_not_evaluate_wins_over_agent_failures_and_keeps_every_check():
    text = "thresholds:\n  success_rate: {min: 100}\n  infrastructure: {max: 0}\n"
    verdict = evaluate(parse(result(MIXED)), policy(text))
    assert verdict.kind is VerdictKind.ERROR
    assert {"min_runs", "success_rate", "infrastructure"} <= set(by_name(verdict))


def test_the_check_is_missing_when_the_result_cannot_tell():
    counts = {"id": 1, "status": "completed", "total_runs_count": 10, "success_runs_count": 10}
    verdict = evaluate(parse(counts), policy("thresholds:\n  infrastructure: {max_rate: 10}\n"))
    assert by_name(verdict)["infrastructure"].outcome is Outcome.MISSING
    assert verdict.kind is VerdictKind.ERROR
    assert "cannot tell" in verdict_reason(verdict)
    listed = parse(counts | {"failed_infrastructure_runs": [3]})
    verdict = evaluate(listed, policy("thresholds:\n  infrastructure: {max_rate: 10}\n"))
    assert by_name(verdict)["infrastructure"].value == 10.0
    assert verdict.kind is VerdictKind.PASS


def test_failed_infrastructure_runs_still_counts_cekuras_list_alone():
    """The contract's key is unchanged: Cekura's Infrastructure Issues list, nothing more."""
    text = "thresholds:\n  failed_infrastructure_runs: {max: 0}\n"
    raw = result(["pass", "sip"], failed_infrastructure_runs=[])
    check = by_name(evaluate(parse(raw), policy(text)))["failed_infrastructure_runs"]
    assert (check.value, check.held) == (0, True)


# -- regression ----------------------------------------------------------------------------


REGRESSION = """\
baseline: {result_id: 1}
thresholds:
  regression:
    success_rate: {max_drop: 0}
"""


def compare(now: list[str], before: list[str]):
    base = Baseline(how="result 1", result=parse(result(before, rid=1)))
    verdict = evaluate(parse(result(now)), policy(REGRESSION), baseline=base)
    return verdict, by_name(verdict)["baseline.success_rate"]


def test_an_infrastructure_failure_is_not_the_agent_getting_worse():
    verdict, check = compare(["pass"] * 9 + ["sip"], ["pass"] * 10)
    assert (check.value, check.baseline_value, check.change) == (100.0, 100.0, 0.0)
    assert (check.excluded_runs, check.baseline_excluded_runs) == (1, 0)
    assert verdict.kind is VerdictKind.PASS
    assert actual(check) == (
        "→ no change (100% → 100%), leaving out infrastructure failures: 1 here, 0 in the baseline"
    )


def test_an_agent_failure_is_still_a_regression():
    verdict, check = compare(["pass"] * 8 + ["sip", "agent"], ["pass"] * 9 + ["error"])
    assert check.value == pytest.approx(800 / 9)
    assert (check.baseline_value, check.excluded_runs, check.baseline_excluded_runs) == (100, 1, 1)
    assert verdict.kind is VerdictKind.FAIL


def test_infrastructure_failures_in_the_baseline_do_not_flatter_it_either():
    """The baseline's own rate is its agent's: 9 of 9, not 9 of 10."""
    _, check = compare(["pass"] * 9 + ["agent"], ["pass"] * 9 + ["sip"])
    assert (check.value, check.baseline_value) == (90.0, 100.0)


def test_a_side_with_no_connected_run_is_not_comparable():
    verdict, check = compare(["sip", "error"], ["pass"] * 3)
    assert check.outcome is Outcome.MISSING
    assert "every run of the result failed for infrastructure reasons" in detail(check)
    assert verdict.kind is VerdictKind.FAIL


def test_the_success_rate_check_compares_as_it_judges():
    text = REGRESSION.replace(
        "thresholds:\n", "thresholds:\n  success_rate: {min: 50, count_infrastructure: exclude}\n"
    )
    base = Baseline(how="result 1", result=parse(result(["pass"] * 3 + ["sip"], rid=1)))
    verdict = evaluate(parse(result(["pass"] * 3 + ["error"])), policy(text), baseline=base)
    rate = by_name(verdict)["success_rate"]
    assert (rate.value, rate.baseline_value, rate.change) == (100.0, 100.0, 0.0)
