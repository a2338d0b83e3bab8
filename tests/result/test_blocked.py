"""A metric Cekura reports as blocked (its trigger never fired) did not apply: it has no value
and no pass/fail, in every way the API may say it, and both decoders read it alike."""

from __future__ import annotations

import json

import pytest

from gate.publish.findings.evidence import reason
from gate.result.parsing import parse
from tests.result.test_decode import assert_read_alike

#: every way a metric entry may say it did not apply to the run
BLOCKED = [
    {"eval_type": "binary", "passed": None, "extra": {"trigger_failed": True}},
    {"type": "binary_workflow_adherence", "score": 0, "extra": {"trigger_failed": True}},
    {"eval_type": "binary", "passed": False, "extra": {"trigger_failed": "true"}},
    {"eval_type": "binary", "score": "blocked"},
    {"eval_type": "numeric", "value": "Blocked"},
    {"eval_type": "binary", "status": "blocked"},
    {"eval_type": "binary", "result": "not applicable"},
    {"eval_type": "binary", "blocked": True, "passed": False},
    {"eval_type": "numeric", "score": "N/A"},
]
#: entries that look close but did apply
APPLIED = [
    ({"eval_type": "binary", "passed": False, "extra": {"trigger_failed": False}}, False),
    ({"eval_type": "binary", "passed": True, "extra": {"other": 1}}, True),
    ({"type": "binary_workflow_adherence", "score": 0, "blocked": False}, False),
    ({"eval_type": "binary", "passed": True, "status": "completed"}, True),
]


def payload(entry: dict) -> dict:
    metric = {"id": 9, "name": "Transfer Handling", **entry}
    return {
        "id": 1,
        "status": "completed",
        "runs": [{"id": 1, "success": True, "evaluation": {"metrics": [metric]}}],
    }


@pytest.mark.parametrize("entry", BLOCKED)
def test_a_blocked_metric_has_no_value_and_no_verdict(entry):
    (metric,) = parse(payload(entry)).runs[0].metrics
    assert metric.blocked is True
    assert (metric.value, metric.passed, metric.explanation) == (None, None, "")
    assert metric.name == "Transfer Handling"


@pytest.mark.parametrize("entry, passed", APPLIED)
def test_a_metric_that_applied_keeps_its_verdict(entry, passed):
    (metric,) = parse(payload(entry)).runs[0].metrics
    assert (metric.blocked, metric.passed) == (False, passed)


@pytest.mark.parametrize("entry", BLOCKED + [entry for entry, _ in APPLIED])
def test_both_decoders_read_a_blocked_metric_alike(entry):
    assert_read_alike(json.dumps(payload(entry)))


def test_a_blocked_metric_is_no_reason_for_a_run_to_fail():
    raw = payload({"eval_type": "binary", "passed": False, "extra": {"trigger_failed": True}})
    raw["runs"][0]["success"] = False
    run = parse(raw).runs[0]
    assert "Transfer Handling" not in reason(run)


@pytest.mark.parametrize(
    "where",
    [
        {"metadata": {"call_ended_reason": "sip-call-failed"}},
        {"call_ended_reason": "sip-call-failed"},
        {"metadata": {"ended_reason": "sip-call-failed", "call_ended_reason": "other"}},
    ],
)
def test_the_newer_call_ended_reason_is_read_too(where):
    raw = {"id": 1, "status": "completed", "runs": [{"id": 1, "success": False, **where}]}
    assert parse(raw).runs[0].ended_reason == "sip-call-failed"
    assert_read_alike(json.dumps(raw))
