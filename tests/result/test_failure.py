"""Which runs failed because of the infrastructure and which because of the agent."""

from __future__ import annotations

import json

import pytest

from gate.result import typed
from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.model import MetricValue, Run
from gate.result.parsing import parse

AGENT, INFRA = FailureKind.AGENT, FailureKind.INFRASTRUCTURE


def run(**fields) -> Run:
    base = dict(id="7", scenario_id=1, scenario_name="Books", status="completed", success=False)
    return Run(**{**base, **fields})


def test_a_run_that_succeeded_has_no_failure_kind():
    assert classify(run(success=True, error_message="SIP 503")) is None


@pytest.mark.parametrize(
    "fields, kind",
    [
        ({}, AGENT),  # no reason at all: never excused as somebody else's fault
        ({"expected_outcome_score": 0.0}, AGENT),
        ({"metrics": (MetricValue("Politeness", 0.0, False),)}, AGENT),
        ({"metrics": (MetricValue("Infrastructure Issues", 0.0, False),)}, INFRA),
        ({"metrics": (MetricValue(" infrastructure issues ", 5.0, True),)}, AGENT),
        ({"status": "failed"}, INFRA),
        ({"status": "error", "success": None}, INFRA),
        ({"status": "timeout"}, INFRA),
        ({"error_message": "SIP 503 Service Unavailable"}, INFRA),
        ({"error_message": "Failed to create Pipecat session"}, INFRA),
        ({"error_message": "WebSocket handshake failed"}, INFRA),
        ({"ended_reason": "twilio-failed-to-connect-call"}, INFRA),
        ({"ended_reason": "customer-did-not-answer"}, INFRA),
        ({"ended_reason": "customer-busy"}, INFRA),
        ({"ended_reason": "customer-ended-call"}, AGENT),
        ({"ended_reason": "silence-timed-out"}, AGENT),  # a connected call that fell silent
        ({"error_message": "The agent gave a wrong price"}, AGENT),
    ],
)
def test_the_rules_in_order(fields, kind):
    assert classify(run(**fields)) is kind


def test_cekuras_own_list_of_infrastructure_failures_decides():
    ids = infrastructure_ids(("7", "9"))
    assert classify(run(), ids) is INFRA
    assert classify(run(id="8"), ids) is AGENT
    assert infrastructure_ids(None) == frozenset()


def test_the_ended_reason_is_read_from_metadata_by_both_decoders():
    payload = {
        "id": 5,
        "status": "completed",
        "runs": {
            "1": {"id": 1, "success": False, "metadata": {"ended_reason": "sip-gateway-failed"}},
            "2": {"id": 2, "success": False, "ended_reason": "customer-busy"},
            "3": {"id": 3, "success": True, "metadata": {"ended_reason": "sip-gateway-failed"}},
        },
    }
    for result in (parse(payload), parse(typed.loads(json.dumps(payload)))):
        reasons = [r.ended_reason for r in result.runs]
        assert reasons == ["sip-gateway-failed", "customer-busy", ""]
        assert [classify(r) for r in result.runs] == [INFRA, INFRA, None]


@pytest.mark.parametrize(
    "ended_reason, kind",
    [
        # the ended reasons Cekura's payloads carry (API notes), each where it belongs
        ("call-not-connected", INFRA),
        ("sip-call-failed", INFRA),
        ("customer-ended-call", AGENT),
        ("assistant-ended-call", AGENT),
        ("silence-timed-out", AGENT),
        ("bot-crashed", AGENT),  # the agent's own bot: not somebody else's fault
        ("outbound call never dialled", INFRA),
        ("dial-failed", INFRA),
        ("the agent lost the thread of the dialogue", AGENT),  # "dial" is not "dialogue"
    ],
)
def test_the_documented_ended_reasons(ended_reason, kind):
    assert classify(run(ended_reason=ended_reason)) is kind


def test_a_blocked_infrastructure_metric_is_no_infrastructure_failure():
    """Blocked (it did not apply) is neither a pass nor a failure of the metric."""
    blocked = MetricValue("Infrastructure Issues", None, None, blocked=True)
    assert classify(run(metrics=(blocked,))) is AGENT
