"""Times in UTC without microseconds; a call's duration only when the call connected."""

from __future__ import annotations

import pytest

from gate.publish.findings.evidence import build
from gate.publish.words.times import iso_utc, utc
from gate.result.durations import call_duration, call_seconds, duration_seconds
from gate.result.model import MetricValue, Run


@pytest.mark.parametrize(
    ("stamp", "people", "machines"),
    [
        ("2026-11-29T14:03:07.123456Z", "2026-11-29 14:03:07 UTC", "2026-11-29T14:03:07"),
        ("2026-11-29T14:03:07+02:00", "2026-11-29 12:03:07 UTC", "2026-11-29T12:03:07"),
        ("2026-11-29T14:03:07.999999", "2026-11-29 14:03:07 UTC", "2026-11-29T14:03:07"),
        ("2026-11-29", "2026-11-29 00:00:00 UTC", "2026-11-29T00:00:00"),
        ("", "", ""),
        ("yesterday", "", ""),
    ],
)
def test_utc(stamp, people, machines):
    assert utc(stamp) == people
    assert iso_utc(stamp) == machines


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("01:42", 102.0),
        ("1:00:05", 3605.0),
        ("42.5", 42.5),
        ("00:00", 0.0),
        ("", None),
        ("1:x", None),
    ],
)
def test_duration_seconds(text, seconds):
    assert duration_seconds(text) == seconds


def _run(status: str, success: bool, duration: str, **extra) -> Run:
    return Run("1", 1, "A", status, success, duration=duration, **extra)


def test_a_connected_call_has_its_duration():
    run = _run("completed", False, "01:42", error_message="missed the outcome")
    assert (call_duration(run), call_seconds(run)) == ("01:42", 102.0)
    assert build(run).duration == "01:42"


@pytest.mark.parametrize(
    "run",
    [
        _run("failed", False, "00:00", error_message="SIP 503"),
        _run("failed", False, "01:10", error_message="Failed to create Pipecat session"),
        _run(
            "completed",
            False,
            "00:12",
            metrics=(MetricValue(name="Infrastructure Issues", value=0, passed=False),),
        ),
        _run("completed", True, "00:00"),
        _run("completed", True, ""),
    ],
)
def test_no_duration_for_a_call_that_did_not_connect(run):
    assert call_duration(run) == "" and call_seconds(run) is None
    if run.success is not True:
        assert build(run).duration == ""


def test_a_run_cekura_counted_as_infrastructure_has_no_duration():
    run = _run("completed", False, "00:40", error_message="no reason")
    assert call_duration(run) == "00:40"
    assert call_duration(run, frozenset({"1"})) == ""
