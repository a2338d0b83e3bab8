"""The JSON report: parsed back and its structure asserted."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gate import __version__
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict
from gate.publish.report_json import build_report, dumps, write_report_json
from gate.result.model import Result, Run

RUNS = (
    Run(id="1", scenario_id=10, scenario_name="Refund", status="completed", success=True),
    Run(id="2", scenario_id=11, scenario_name="Refund", status="completed", success=True),
    Run(
        id="3",
        scenario_id=12,
        scenario_name="Escalation",
        status="completed",
        success=False,
        error_message="Agent never transferred the call",
    ),
)
RESULT = Result(
    id="4242",
    name="nightly",
    status="completed",
    agent="55",
    project="77",
    created_at="2026-08-18T03:17:00Z",
    runs=RUNS,
)
CHECK = Check(
    name="success_rate",
    title="Success rate",
    level=Level.ERROR,
    outcome=Outcome.FAIL,
    detail="1 run failed",
    kind=Kind.SUCCESS_RATE,
    value=200 / 3,
    unit=Unit.PERCENT,
    minimum=90,
    successes=2,
    runs=3,
)
WARN = Check(
    name="rule:Latency",
    title="Latency",
    level=Level.WARN,
    outcome=Outcome.MISSING,
    detail="no rubric rule for metric 'Latency' in the result",
    kind=Kind.RUBRIC_RULE,
    subject="Latency",
    unit=Unit.SCORE,
    maximum=1500,
)
#: the infrastructure and blocked-metric keys of a check that has nothing to say about them
NOT_INFRASTRUCTURE = {
    "excluded_runs": None,
    "baseline_excluded_runs": None,
    "not_applicable": None,
    "failures": None,
    "stops_evaluation": False,
}


def test_failed_verdict_report(tmp_path: Path) -> None:
    path = tmp_path / "out" / "deeper" / "gate.json"
    write_report_json(
        path,
        verdict=Verdict.from_checks((CHECK, WARN)),
        result=RESULT,
        policy_source=".cekura/gate.yml",
    )
    report = json.loads(path.read_text(encoding="utf-8"))

    assert report["schema_version"] == 2
    assert report["tool"] == {"name": "cekura-gate", "version": __version__}
    assert (report["verdict"], report["exit_code"], report["reason"]) == ("fail", 1, "")
    assert report["policy_source"] == ".cekura/gate.yml"
    assert report["result"] == {
        "id": "4242",
        "name": "nightly",
        "status": "completed",
        "url": "https://dashboard.cekura.ai/77/results/4242",
        "agent": "55",
        "created_at": "2026-08-18T03:17:00Z",
        "total_runs": 3,
        "success_rate": 66.67,
    }
    assert report["checks"] == [
        {
            "name": "success_rate",
            "title": "Success rate",
            "level": "error",
            "outcome": "fail",
            "blocking": True,
            "threshold": "≥ 90%",
            "actual": "66.67% (2 of 3 runs)",
            "detail": "1 run failed",
            "reason_code": None,
            "baseline": None,
            "delta": None,
            "kind": "success_rate",
            "subject": None,
            "aggregation": None,
            "measures": None,
            "value": 200 / 3,
            "unit": "percent",
            "bounds": {"min": 90, "max": None},
            "successes": 2,
            "runs": 3,
            "confidence": None,
            "interval": None,
            "baseline_value": None,
            "change": None,
            "missing": None,
            "missing_code": None,
            **NOT_INFRASTRUCTURE,
            "stability": None,
            "until": None,
            "source": "runs",
            "run_ids": [],
            "significance": None,
            "p_value": None,
            "baseline_successes": None,
            "baseline_runs": None,
            "missing_scenarios": None,
        },
        {
            "name": "rule:Latency",
            "title": "Latency",
            "level": "warn",
            "outcome": "missing",
            "blocking": False,
            "threshold": "≤ 1500",
            "actual": "not reported",
            "detail": "no rubric rule for metric 'Latency' in the result",
            "reason_code": None,
            "baseline": None,
            "delta": None,
            "kind": "rubric_rule",
            "subject": "Latency",
            "aggregation": None,
            "measures": None,
            "value": None,
            "unit": "score",
            "bounds": {"min": None, "max": 1500},
            "successes": None,
            "runs": None,
            "confidence": None,
            "interval": None,
            "baseline_value": None,
            "change": None,
            "missing": "no rubric rule for metric 'Latency' in the result",
            "missing_code": None,
            **NOT_INFRASTRUCTURE,
            "stability": None,
            "until": None,
            "source": "runs",
            "run_ids": [],
            "significance": None,
            "p_value": None,
            "baseline_successes": None,
            "baseline_runs": None,
            "missing_scenarios": None,
        },
    ]
    assert report["failing_runs"] == [
        {
            "id": "3",
            "scenario": "Escalation",
            "scenario_id": 12,
            "status": "completed",
            "reason": "Agent never transferred the call",
            "recording_url": None,
            "duration": None,
            "run_url": None,
            "findings": [{"label": "Error", "explanation": "Agent never transferred the call"}],
            "transcript_excerpt": [],
            "failure_kind": "agent",
            "ended_reason": None,
        }
    ]
    assert report["baseline"] is None and report["scenarios"] == []
    assert "≥" in path.read_text(encoding="utf-8")  # written as UTF-8, not \u escapes


def test_pass_verdict() -> None:
    passed = Check(
        name="success_rate",
        title="Success rate",
        kind=Kind.SUCCESS_RATE,
        unit=Unit.PERCENT,
        value=200 / 3,
        minimum=60,
        level=Level.ERROR,
        outcome=Outcome.PASS,
    )
    report = build_report(verdict=Verdict.from_checks((passed,)), result=RESULT)
    assert (report["verdict"], report["exit_code"]) == ("pass", 0)


def test_could_not_evaluate_before_any_result(tmp_path: Path) -> None:
    verdict = Verdict.could_not_evaluate("API unreachable after 5 tries", error_kind="API error")
    path = tmp_path / "gate.json"
    write_report_json(path, verdict=verdict, result=None, result_id="9", status="running")
    report = json.loads(path.read_text(encoding="utf-8"))
    assert (report["verdict"], report["exit_code"]) == ("error", 3)
    assert report["reason"] == "API unreachable after 5 tries"
    assert report["error_kind"] == "API error"
    assert report["policy_source"] is None
    assert report["result"] == {
        "id": "9",
        "name": None,
        "status": "running",
        "url": "https://dashboard.cekura.ai/results/9",
        "agent": None,
        "created_at": None,
        "total_runs": None,
        "success_rate": None,
    }
    assert report["checks"] == [] and report["failing_runs"] == []


def test_nothing_known_at_all() -> None:
    report = build_report(verdict=Verdict.could_not_evaluate("bad flag"), result=None)
    assert set(report["result"].values()) == {None}


def test_result_without_runs_uses_reported_counts() -> None:
    bare = Result(
        id="5", name="", status="completed", reported_total_runs=4, reported_success_runs=3
    )
    report = build_report(verdict=Verdict.from_checks(()), result=bare)
    assert report["result"]["total_runs"] == 4
    assert report["result"]["success_rate"] == 75.0
    assert report["result"]["name"] is None


# what a report holds: strings (lone surrogates too), integers of any size, finite floats
_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(value=_JSON)
def test_dumps_writes_json_that_reads_back_as_the_value(value):
    assert json.loads(dumps(value)) == json.loads(json.dumps(value))


def test_dumps_indents_like_json_dumps():
    value = {"a": [1, {"b": None, "c": "≥ 90%"}], "d": [], "e": {}, "f": True}
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_dumps_writes_integers_beyond_64_bits():
    assert json.loads(dumps({"id": 2**70})) == {"id": 2**70}


def test_the_file_is_the_report(tmp_path: Path):
    from gate.judge.evaluate import evaluate
    from gate.policy.model import DEFAULT_POLICY
    from gate.result.parsing import parse
    from tests.publish.test_injection import hostile_result

    result = parse(hostile_result(3))
    verdict = evaluate(result, DEFAULT_POLICY)
    path = tmp_path / "report.json"
    write_report_json(path, verdict=verdict, result=result, policy_source="gate.yml")
    report = build_report(verdict=verdict, result=result, policy_source="gate.yml")
    assert report["failing_runs"]
    assert json.loads(path.read_text("utf-8")) == report
