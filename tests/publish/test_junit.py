"""JUnit XML: parsed back with ElementTree, structure and counts asserted."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict
from gate.policy import config
from gate.publish.junit import write_junit
from gate.publish.xml_text import clean
from gate.result.model import Result, Run


def make_check(name: str, level: Level, outcome: Outcome, **extra: Any) -> Check:
    """A success-rate check of 85% against ≥ 90% unless `extra` says otherwise."""
    numbers = {"kind": Kind.SUCCESS_RATE, "unit": Unit.PERCENT, "value": 85.0, "minimum": 90.0}
    return Check(
        **(numbers | extra | {"title": extra.get("title", name.title())}),
        name=name,
        level=level,
        outcome=outcome,
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
    make_check(
        "failed_workflow_runs",
        Level.WARN,
        Outcome.FAIL,
        kind=Kind.FAILED_RUNS,
        unit=Unit.COUNT,
        value=1,
        minimum=None,
        maximum=0,
        run_ids=("7",),
    ),
    make_check("rule:Latency", Level.WARN, Outcome.MISSING, kind=Kind.FAILED_RUNS, value=None),
    make_check("rule:CSAT", Level.ERROR, Outcome.MISSING, kind=Kind.FAILED_RUNS, value=None),
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
        "failures": "3",
        "errors": "1",
        "skipped": "1",
    }
    assert root.get("tests") == "8" and root.get("failures") == "3"
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

    assert list(cases[("cekura-gate.runs", "Refund request / run 1")]) == []
    angry = cases[("cekura-gate.runs", 'Angry caller <escalation> & "quotes" / run 1')]
    assert angry.find("failure").get("message") == "Agent hung up early[0m"
    assert angry.find("failure").get("type") == "agent"
    assert "recording: https://example.com/rec/102.wav" in angry.find("failure").text
    # status failed: the call did not happen as a test; an error, not the agent's failure
    errored = cases[("cekura-gate.runs", "Scenario 3 / run 1")].find("error")
    assert errored.get("type") == "infrastructure"
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


# -- the file is what ElementTree would write ----------------------------------------------


def elementtree_reference(verdict: Verdict, result: Result | None, path: Path) -> bytes:
    """The report built as elements and written by ElementTree (how the gate wrote it before
    it wrote the text directly, for speed): the reference for every byte of the file."""
    from gate.publish.findings import evidence
    from gate.publish.junit import (
        _WHOSE,
        SUITE,
        _check_message,
        _counts_infrastructure,
        _seconds,
    )
    from gate.publish.words import wording
    from gate.publish.words.times import iso_utc
    from gate.result.durations import call_duration, call_seconds
    from gate.result.failure import FailureKind, classify, infrastructure_ids

    def sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
        return ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})

    suite = ET.Element("testsuite", {"name": SUITE})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def case(classname: str, name: str) -> ET.Element:
        counts["tests"] += 1
        return sub(suite, "testcase", classname=classname, name=name)

    if result is not None:
        properties = sub(suite, "properties")
        for name, value in (
            ("result-id", result.id),
            ("result-name", result.name),
            ("status", result.status),
            ("url", result.url),
        ):
            if value:
                sub(properties, "property", name=name, value=value)
        if verdict.baseline is not None and verdict.baseline.found:
            sub(properties, "property", name="baseline-id", value=verdict.baseline.id)
        for row in verdict.scenarios:  # repeated scenarios' labels
            if row.stability is not None:
                where = f" ({row.scenario_id})" if row.scenario_id is not None else ""
                value = f"{wording.STABILITY[row.stability]} ({row.passed}/{row.agent_runs})"
                if row.quarantined_until:
                    value += f"; quarantined until {row.quarantined_until}"
                sub(properties, "property", name=f"stability[{row.name}{where}]", value=value)
        for entry in verdict.quarantine:
            state = "active" if entry.active else "expired"
            state = state if entry.scenarios else "matched no scenario"
            sub(
                properties,
                "property",
                name=f"quarantine[{entry.label}]",
                value=f"until {entry.until}, {state}: {entry.reason}",
            )
    if verdict.kind == "error":
        kind = wording.error_kind(verdict) or "could not evaluate"
        reason = wording.verdict_reason(verdict) or kind
        sub(case(SUITE, "evaluation"), "error", message=reason, type=kind)
        counts["errors"] += 1
    for check in verdict.checks:
        element = case(f"{SUITE}.checks", check.name)
        if check.blocking and _counts_infrastructure(check):
            error = sub(element, "error", message=_check_message(check), type="infrastructure")
            error.text = clean(wording.detail(check) or check.title)
            counts["errors"] += 1
        elif check.blocking:
            failure = sub(element, "failure", message=_check_message(check), type="threshold")
            failure.text = clean(wording.detail(check) or check.title)
            counts["failures"] += 1
        elif check.outcome is Outcome.NOT_REACHED:
            sub(element, "skipped", message=f"not reached: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning and check.outcome in (Outcome.MISSING, Outcome.INCONCLUSIVE):
            what = "inconclusive" if check.outcome is Outcome.INCONCLUSIVE else "warning"
            sub(element, "skipped", message=f"{what}: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning:
            sub(element, "system-out").text = clean(
                f"warning (level warn, does not fail the gate): {_check_message(check)}"
            )
    infra = infrastructure_ids(result.failed_infrastructure_runs if result else None)
    numbers: dict[str, int] = {}
    total = 0.0
    for run in result.runs if result is not None else ():
        numbers[run.scenario_name] = numbers.get(run.scenario_name, 0) + 1
        element = case(f"{SUITE}.runs", f"{run.scenario_name} / run {numbers[run.scenario_name]}")
        seconds = call_seconds(run, infra)
        if seconds is not None:
            total += seconds
            element.set("time", _seconds(seconds))
        if run.success is not True:
            kind = classify(run, infra)
            lines = [
                evidence.reason(run),
                f"status: {run.status or 'unknown'}",
                f"failed: {_WHOSE[kind]}",
            ]
            for label, value in (
                ("duration", call_duration(run, infra)),
                ("recording", run.recording_url),
                ("run", run.run_url),
            ):
                if value:
                    lines.append(f"{label}: {value}")
            for finding in evidence.findings(run):
                lines.append(f"{finding.label}: {finding.explanation}".rstrip(": "))
            if run.excerpt:
                lines.append("transcript excerpt:")
                lines.extend(
                    f"  [{t.time or t.index}] {t.role or '?'}: {t.content}" for t in run.excerpt
                )
            text = "\n".join(lines)
            if verdict.kind == "fail":
                tag = "error" if kind is FailureKind.INFRASTRUCTURE else "failure"
                child = sub(element, tag, message=evidence.reason(run), type=str(kind))
                child.text = clean(text)
                counts["errors" if tag == "error" else "failures"] += 1
            else:
                why = (
                    "the gate passed"
                    if verdict.kind == "pass"
                    else "the gate could not evaluate the result"
                )
                sub(element, "system-out").text = clean(
                    f"did not succeed ({kind}); not a test failure: {why}\n{text}"
                )
    totals = {key: str(value) for key, value in counts.items()}
    if total:
        totals["time"] = _seconds(total)
    suite.attrib.update(totals)
    stamp = iso_utc(result.created_at) if result is not None else ""
    if stamp:
        suite.set("timestamp", stamp)
    root = ET.Element("testsuites", {"name": SUITE})
    root.attrib.update({k: v for k, v in totals.items() if k != "skipped"})
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path.read_bytes()


def reports() -> list[tuple[str, Verdict, Result | None]]:
    from gate.judge.evaluate import evaluate
    from gate.policy.model import DEFAULT_POLICY
    from gate.result.model import Baseline
    from gate.result.parsing import parse
    from gate.simulator.catalogue import demo_result
    from tests.publish.test_injection import MARKED, hostile_result

    hostile = parse(hostile_result(5))
    demo = parse(demo_result(2, frequency=3))
    weird = Run(id="a&b\r\n\t<\"'>", scenario_id=None, scenario_name="\r", status="", success=None)
    odd = Result(id="", name="", status="", runs=(*RUNS, weird, RUNS[0]))
    checks = tuple(
        make_check(f"c{n}", level, outcome, detail=text if n % 2 else "", title=text or "t")
        for n, text in enumerate([*MARKED[:6], "", " ", "\r\n x \t"])
        for level in Level
        for outcome in Outcome
    )
    found = Baseline(how="result 7", result=demo)
    quarantined = config.parse(
        "version: 1\nthresholds: {success_rate: {min: 0}}\nquarantine:\n"
        "  - {name: Cancel appointment, reason: 'a <&> \"b\"', until: 2026-12-31}\n"
        "  - {id: 1, reason: nowhere, until: 2026-01-01}\n",
        name="gate.yml",
    )
    return [
        (
            "repeats and quarantine",
            evaluate(demo, quarantined, today=datetime.date(2026, 12, 31)),
            demo,
        ),
        ("demo", evaluate(demo, DEFAULT_POLICY), demo),
        ("demo with a baseline", evaluate(demo, DEFAULT_POLICY, baseline=found), demo),
        ("hostile", evaluate(hostile, DEFAULT_POLICY), hostile),
        ("every kind of check", Verdict.from_checks(checks), odd),
        ("could not evaluate", Verdict.could_not_evaluate("x <&>\r\n y", error_kind="k\x01"), None),
        ("could not evaluate, with runs", Verdict.could_not_evaluate("", error_kind=""), RESULT),
        ("nothing", Verdict.from_checks(()), None),
        ("no runs", Verdict.from_checks(CHECKS), Result(id="1", name="n", status="completed")),
    ]


def test_the_file_is_byte_for_byte_what_elementtree_writes(tmp_path: Path) -> None:
    for label, verdict, result in reports():
        path = tmp_path / f"{label}.xml"
        write_junit(path, verdict=verdict, result=result)
        reference = elementtree_reference(verdict, result, tmp_path / f"{label}.reference.xml")
        assert path.read_bytes() == reference, label


def test_junit_drops_exactly_what_xml_forbids() -> None:
    # XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    def allowed(code: int) -> bool:
        return (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        )

    text = "".join(map(chr, range(0x110000)))
    assert clean(text) == "".join(chr(c) for c in range(0x110000) if allowed(c))
