"""JUnit XML agrees with the verdict, validates against the Jenkins xUnit plugin's JUnit schema
(tests/data/junit-10.xsd) and parses with junitparser, the way CI tools read it."""

from __future__ import annotations

from pathlib import Path

import junitparser
import pytest
import xmlschema

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.policy import config
from gate.publish.junit import junit_text, write_junit
from gate.result.model import Result, Run
from gate.result.parsing import parse
from tests.conftest import load_fixture
from tests.golden import GOLDEN, assert_golden
from tests.publish.test_junit import reports
from tests.publish.test_report import POLICY
from tests.publish.test_report_beyond import regressed

XSD = Path(__file__).resolve().parent.parent / "data" / "junit-10.xsd"
FOLDER = GOLDEN / "junit"
API_KEY_REFUSED = Verdict.could_not_evaluate(
    "the Cekura API refused the API key (HTTP 401). Check CEKURA_API_KEY.",
    error_kind="API key refused",
)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


def _case(name: str) -> tuple[Verdict, Result | None]:
    if name == "rich_fail":
        return regressed()  # type: ignore[return-value]
    if name == "could_not_evaluate":
        return API_KEY_REFUSED, None
    result = parse(load_fixture(f"{name}.json"))
    return evaluate(result, POLICY), result


def _parsed(tmp_path: Path, verdict: Verdict, result: Result | None) -> junitparser.JUnitXml:
    path = tmp_path / "junit.xml"
    write_junit(path, verdict=verdict, result=result)
    return junitparser.JUnitXml.fromfile(str(path))


def _outcomes(xml: junitparser.JUnitXml) -> dict[str, list[str]]:
    """{test name: the tags of its results (failure, error, skipped)}, for every case."""
    return {
        case.name: [type(r).__name__.lower() for r in case.result]
        for suite in xml
        for case in suite
    }


@pytest.mark.parametrize("name", ["passing", "failing", "rich_fail", "could_not_evaluate"])
def test_golden_junit(name):
    verdict, result = _case(name)
    assert_golden(f"{name}.xml", junit_text(verdict=verdict, result=result), folder=FOLDER)


@pytest.mark.parametrize("name", ["passing", "failing", "rich_fail", "could_not_evaluate"])
def test_golden_files_validate(name, schema):
    schema.validate(str(FOLDER / f"{name}.xml"))


def test_every_report_the_tests_write_validates(schema, tmp_path):
    for label, verdict, result in reports():
        path = tmp_path / f"{label}.xml"
        write_junit(path, verdict=verdict, result=result)
        assert schema.is_valid(str(path)), (label, schema.validate(str(path)))


def test_a_passing_gate_writes_no_failure_and_no_error(tmp_path):
    policy = config.parse(
        "version: 1\nthresholds:\n  success_rate: {min: 50}\n"
        "  failed_workflow_runs: {max: 0, level: warn}\n",
        name="gate.yml",
    )
    runs = (
        Run("1", 1, "Booking", "completed", True, duration="01:40"),
        Run("2", 1, "Booking", "completed", False, error_message="wrong date", duration="01:02"),
        Run("3", 2, "Billing", "failed", False, error_message="SIP 503", duration="00:00"),
    )
    result = Result(id="7", name="r", status="completed", runs=(*runs, runs[0]))
    verdict = evaluate(result, policy)
    assert verdict.kind == "pass"
    xml = _parsed(tmp_path, verdict, result)
    assert (xml.failures, xml.errors) == (0, 0)
    outcomes = _outcomes(xml)
    assert not any({"failure", "error"} & set(tags) for tags in outcomes.values()), outcomes
    assert outcomes["failed_workflow_runs"] == ["skipped"]  # warn, its data is missing
    text = junit_text(verdict=verdict, result=result)
    assert "did not succeed (agent); not a test failure: the gate passed" in text
    assert "did not succeed (infrastructure); not a test failure: the gate passed" in text


def test_a_failing_gate_fails_on_its_blocking_checks_and_agent_runs(tmp_path):
    verdict, result = _case("failing")
    xml = _parsed(tmp_path, verdict, result)
    outcomes = _outcomes(xml)
    blocking = {c.name for c in verdict.failed_checks}
    assert blocking == {
        "success_rate",
        "failed_workflow_runs",
        "performance_metrics.require_all_met",
        "performance_metrics.rules[Latency]",
    }
    for name in blocking:
        assert outcomes[name] == ["failure"], name
    assert outcomes["min_runs"] == []
    assert outcomes["failed_infrastructure_runs"] == ["skipped"]  # warn, data missing
    assert outcomes["Emergency triage / run 1"] == ["failure"]  # the agent's
    assert outcomes["Insurance question / run 1"] == ["error"]  # never connected
    assert (xml.failures, xml.errors) == (5, 1)


def test_a_result_the_gate_could_not_evaluate_is_an_error(tmp_path):
    xml = _parsed(tmp_path, API_KEY_REFUSED, None)
    assert _outcomes(xml) == {"evaluation": ["error"]}
    [suite] = list(xml)
    [case] = list(suite)
    assert case.result[0].type == "API key refused"
    assert case.result[0].message.startswith("the Cekura API refused the API key")


def test_a_blocking_infrastructure_check_is_an_error(tmp_path):
    policy = config.parse(
        "version: 1\nthresholds:\n  success_rate: {min: 0}\n"
        "  failed_infrastructure_runs: {max: 0}\n",
        name="gate.yml",
    )
    result = Result(
        id="8",
        name="r",
        status="completed",
        runs=(Run("1", 1, "A", "failed", False, error_message="SIP 503"),),
        failed_infrastructure_runs=("1",),
    )
    verdict = evaluate(result, policy)
    assert verdict.kind == "fail"
    outcomes = _outcomes(_parsed(tmp_path, verdict, result))
    assert outcomes["failed_infrastructure_runs"] == ["error"]
    assert outcomes["A / run 1"] == ["error"]


def test_names_are_stable_across_results_and_hold_no_run_id(tmp_path):
    def names(first_id: int) -> list[str]:
        runs = tuple(
            Run(str(first_id + n), 1, scenario, "completed", n % 2 == 0)
            for n, scenario in enumerate(["Booking", "Billing", "Booking", "Billing"])
        )
        result = Result(id=str(first_id), name="r", status="completed", runs=runs)
        xml = _parsed(tmp_path, evaluate(result, POLICY), result)
        return [case.name for suite in xml for case in suite]

    first, second = names(1000), names(52000)
    assert first == second
    assert "Booking / run 1" in first and "Booking / run 2" in first
    assert not any(str(n) in name for name in first for n in (1000, 1001, 52000, 52001))


def test_time_only_for_calls_that_connected(tmp_path):
    runs = (
        Run("1", 1, "A", "completed", True, duration="01:40"),
        Run("2", 1, "A", "completed", False, error_message="missed", duration="00:30"),
        Run("3", 1, "A", "failed", False, error_message="SIP 503", duration="00:00"),
        Run("4", 1, "A", "completed", True),
    )
    result = Result(
        id="9", name="r", status="completed", runs=runs, created_at="2026-11-29T14:03:07.123456Z"
    )
    xml = _parsed(tmp_path, evaluate(result, POLICY), result)
    [suite] = list(xml)
    times = {case.name: case.time for case in suite if case.name.startswith("A /")}
    assert times == {"A / run 1": 100.0, "A / run 2": 30.0, "A / run 3": None, "A / run 4": None}
    text = junit_text(verdict=evaluate(result, POLICY), result=result)
    assert 'name="A / run 3">' in text  # no time attribute at all: the call never connected
    assert "duration: 00:00" not in text
    assert "duration: 00:30" in text
    assert suite.time == 130.0
    assert suite.timestamp == "2026-11-29T14:03:07"  # UTC, no microseconds


@pytest.mark.parametrize(("scenario", "code"), [("pass", 0), ("fail", 1)])
def test_the_real_command_writes_a_valid_file_that_agrees_with_its_exit_code(
    schema, tmp_path, scenario, code
):
    from tests.cli_runner import run_gate

    done = run_gate("demo", "--scenario", scenario, "--junit-xml", "junit.xml", cwd=tmp_path)
    assert done.returncode == code, done.stderr
    schema.validate(str(tmp_path / "junit.xml"))
    xml = junitparser.JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    assert (xml.failures + xml.errors > 0) is (code == 1)
    [suite] = list(xml)
    assert suite.timestamp and "." not in suite.timestamp  # UTC, no microseconds
    assert suite.time > 0  # the calls' durations, where they connected
