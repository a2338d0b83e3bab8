"""The simulator's infrastructure failures and blocked metrics, as the gate reads them."""

from __future__ import annotations

import pytest

from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.parsing import parse
from gate.simulator import catalogue
from gate.simulator.scoring import TRANSFER, blocked_metric, metric_values

INFRA = FailureKind.INFRASTRUCTURE


def one(outcome: str, scenario: int = 11541, transfer: bool = False) -> dict:
    profile = catalogue.AgentProfile(9, "x", {scenario: outcome}, transfer_metric=transfer)
    return catalogue.build_result(1, profile, [scenario])


def test_a_call_that_never_connected():
    raw = one("not_connected")
    run = raw["runs"]["90001"]
    assert (run["status"], run["success"], run["transcript_object"]) == ("completed", False, [])
    assert run["metadata"] == {"ended_reason": "call-not-connected"}
    assert [m["name"] for m in run["evaluation"]["metrics"]] == ["Call Pickup"]
    assert raw["failed_infrastructure_runs"] == []  # Cekura's metric is not attached here
    assert classify(parse(raw).runs[0]) is INFRA  # the ended reason says it (rule 3)


def test_a_run_that_errored():
    raw = one("run_error")
    run = raw["runs"]["90001"]
    assert (run["status"], run["success"], run["error_message"]) == ("error", None, "")
    assert run["metadata"] == {"ended_reason": ""}
    assert classify(parse(raw).runs[0]) is INFRA  # the status says it (rule 2)


def test_a_sip_503_is_on_cekuras_own_list():
    raw = one("error")
    result = parse(raw)
    ids = infrastructure_ids(result.failed_infrastructure_runs)
    assert ids == {"90001"} and classify(result.runs[0], ids) is INFRA


@pytest.mark.parametrize("scenario, blocked", [(catalogue.TRANSFER_SCENARIO, False), (11541, True)])
def test_transfer_handling_applies_to_the_transfer_scenario_only(scenario, blocked):
    raw = one("pass", scenario, transfer=True)
    (metric,) = [m for m in parse(raw).runs[0].metrics if m.name == "Transfer Handling"]
    assert metric.blocked is blocked
    assert metric.passed is (None if blocked else True)


def test_a_blocked_metric_adds_nothing_to_cekuras_summary():
    raw = one("pass", 11541, transfer=True)
    assert metric_values(list(raw["runs"].values()), TRANSFER[0]) == []
    summary = raw["overall_evaluation"]["metric_summary"][str(TRANSFER[0])]
    assert summary["score"] is None
    assert blocked_metric(TRANSFER)["extra"] == {"trigger_failed": True}


def test_an_unknown_outcome_names_the_known_ones():
    with pytest.raises(ValueError, match="not_connected, run_error"):
        one("on_fire")


def test_demo_agent_3_is_the_good_agent_on_a_failing_line():
    result = parse(
        catalogue.build_result(1, catalogue.DEMO_AGENTS[3], [s.id for s in catalogue.SCENARIOS])
    )
    ids = infrastructure_ids(result.failed_infrastructure_runs)
    kinds = [classify(run, ids) for run in result.runs]
    assert kinds.count(INFRA) == 2 and kinds.count(None) == 4
