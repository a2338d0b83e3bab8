"""Golden JSON reports: pass, fail, a rich fail (baseline, scenarios, metrics, confidence),
infrastructure failures and could-not-evaluate; and a 2,000-failing-run result, every run in it.

Each golden file is also checked against the shipped schema (tests/conftest.py checks every
report a test writes; these are built in memory, so they are checked here)."""

from __future__ import annotations

import json

import pytest

from gate import __version__
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.publish.report_json import build_report, dumps
from gate.result.parsing import parse
from tests.conftest import load_fixture
from tests.golden import assert_golden as golden
from tests.publish.test_report import POLICY
from tests.publish.test_report_beyond import regressed
from tests.report_schema import assert_valid


def text(report: dict) -> str:
    """The report as written, with the gate's version fixed so a release changes no file."""
    assert_valid(report)
    assert report["tool"]["version"] == __version__
    report["tool"]["version"] = "VERSION"
    return dumps(report) + "\n"


@pytest.mark.parametrize(
    ("fixture", "name"),
    [
        ("passing.json", "report_passing.json"),
        ("failing.json", "report_failing.json"),
        ("infra_failed.json", "report_infrastructure.json"),
    ],
)
def test_golden_json_reports(fixture: str, name: str) -> None:
    result = parse(load_fixture(fixture))
    verdict = evaluate(result, POLICY)
    report = build_report(
        verdict=verdict, result=result, result_id=result.id, policy_source=".cekura/gate.yml"
    )
    golden(name, text(report))


def test_golden_json_report_of_a_rich_failure() -> None:
    verdict, result = regressed()
    report = build_report(verdict=verdict, result=result, policy_source=".cekura/gate.yml")
    golden("report_rich_failing.json", text(report))
    kinds = {run["failure_kind"] for run in report["failing_runs"]}
    assert kinds <= {"agent", "infrastructure"} and report["baseline"]["found"] is True


def test_golden_json_report_when_it_could_not_evaluate() -> None:
    verdict = Verdict.could_not_evaluate(
        "the Cekura API refused the API key (HTTP 401). Check CEKURA_API_KEY.",
        error_kind="API key refused",
    )
    report = build_report(
        verdict=verdict, result=None, result_id="4102", policy_source=".cekura/gate.yml"
    )
    golden("report_could_not_evaluate.json", text(report))


def test_a_2000_failing_run_report_lists_every_run_and_stays_valid() -> None:
    runs = [
        {
            "id": 10_000 + n,
            "scenario": {"id": n % 10, "name": f"Scenario {n % 10}"},
            "status": "completed" if n % 4 else "failed",
            "success": False,
            "error_message": "" if n % 4 else "SIP 503 from the provider",
        }
        for n in range(2_000)
    ]
    result = parse({"id": 4102, "name": "PR run", "status": "completed", "runs": runs})
    report = build_report(verdict=evaluate(result, POLICY), result=result)
    assert_valid(report)
    assert [run["id"] for run in report["failing_runs"]] == [str(10_000 + n) for n in range(2_000)]
    kinds = [run["failure_kind"] for run in report["failing_runs"]]
    assert (kinds.count("infrastructure"), kinds.count("agent")) == (500, 1_500)
    (rate,) = [c for c in report["checks"] if c["name"] == "success_rate"]
    assert (rate["value"], rate["successes"], rate["runs"]) == (0.0, 0, 2_000)
    assert json.loads(dumps(report)) == report
