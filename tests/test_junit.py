"""JUnit XML: parsed back with ElementTree, structure and counts asserted."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from gate.junit import write_junit
from gate.result import Result, Run
from gate.verdict import Check, Level, Outcome, Verdict


def make_check(name: str, level: Level, outcome: Outcome, **extra: str) -> Check:
    return Check(
        name=name,
        title=extra.get("title", name.title()),
        threshold=extra.get("threshold", "≥ 90%"),
        actual=extra.get("actual", "85%"),
        level=level,
        outcome=outcome,
        detail=extra.get("detail", ""),
    )


RUNS = (
    Run(id="101", scenario_id=1, scenario_name="Refund request", status="completed", success=True),
    Run(
        id="102",
        scenario_id=2,
        scenario_name='Angry caller <escalation> & "quotes"',
        status="completed",
        success=False,
        error_message="Agent hung up\x00 early\x1b[0m",
        recording_url="https://example.com/rec/102.wav",
    ),
    Run(id="103", scenario_id=3, scenario_name="Scenario 3", status="failed", success=None),
)
RESULT = Result(id="4242", name="PR #12", status="completed", project="77", runs=RUNS)
CHECKS = (
    make_check("success_rate", Level.ERROR, Outcome.FAIL, detail="2 of 3 runs failed"),
    make_check("min_runs", Level.ERROR, Outcome.PASS),
    make_check("failed_workflow_runs", Level.WARN, Outcome.FAIL, actual="1 run"),
    make_check("rule:Latency", Level.WARN, Outcome.MISSING, actual="not measured"),
    make_check("rule:CSAT", Level.ERROR, Outcome.MISSING, actual="not measured"),
)


def read(path: Path) -> tuple[ET.Element, ET.Element, dict[tuple[str, str], ET.Element]]:
    root = ET.parse(path).getroot()
    [suite] = root.findall("testsuite")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    return root, suite, cases


def test_checks_and_runs(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "nested" / "junit.xml"
    write_junit(path, verdict=Verdict.from_checks(CHECKS), result=RESULT)
    root, suite, cases = read(path)

    assert root.tag == "testsuites" and suite.get("name") == "cekura-gate"
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "8",
        "failures": "4",
        "errors": "0",
        "skipped": "1",
    }
    assert root.get("tests") == "8" and root.get("failures") == "4"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["result-id"] == "4242"
    assert props["url"] == "https://dashboard.cekura.ai/77/results/4242"

    failure = cases[("cekura-gate.checks", "success_rate")].find("failure")
    assert failure.get("message") == (
        "Success_Rate: actual 85%, threshold ≥ 90%. 2 of 3 runs failed"
    )
    assert list(cases[("cekura-gate.checks", "min_runs")]) == []

    warned = cases[("cekura-gate.checks", "failed_workflow_runs")]
    assert warned.find("failure") is None and warned.find("skipped") is None
    assert warned.find("system-out").text.startswith("warning (level warn")
    assert cases[("cekura-gate.checks", "rule:Latency")].find("skipped") is not None
    assert cases[("cekura-gate.checks", "rule:CSAT")].find("failure") is not None

    assert list(cases[("cekura-gate.runs", "Refund request (run 101)")]) == []
    angry = cases[("cekura-gate.runs", 'Angry caller <escalation> & "quotes" (run 102)')]
    assert angry.find("failure").get("message") == "Agent hung up early[0m"
    assert "recording: https://example.com/rec/102.wav" in angry.find("failure").text
    errored = cases[("cekura-gate.runs", "Scenario 3 (run 103)")].find("failure")
    assert errored.get("type") == "failed"
    assert "no success flag" in errored.get("message")


def test_could_not_evaluate_without_result(tmp_path: Path) -> None:
    verdict = Verdict.could_not_evaluate(
        "Timed out after 30m waiting for result 9 (still running).",
        error_kind="timed out waiting",
    )
    path = tmp_path / "junit.xml"
    write_junit(path, verdict=verdict, result=None)
    _, suite, cases = read(path)
    assert suite.get("tests") == "1" and suite.get("errors") == "1"
    assert suite.find("properties") is None
    error = cases[("cekura-gate", "evaluation")].find("error")
    assert error.get("type") == "timed out waiting"
    assert error.get("message").startswith("Timed out after 30m")


def test_forbidden_xml_characters_are_dropped(tmp_path: Path) -> None:
    check = make_check(
        "rule:\x0bOdd", Level.ERROR, Outcome.FAIL, detail="bad\x01 \ufffe bytes \ud800 here"
    )
    path = tmp_path / "junit.xml"
    write_junit(path, verdict=Verdict.from_checks((check,)), result=None)
    _, _, cases = read(path)  # parses: nothing XML 1.0 forbids was written
    failure = cases[("cekura-gate.checks", "rule:Odd")].find("failure")
    assert failure.text == "bad  bytes  here"
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
