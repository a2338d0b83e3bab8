"""The verdict as JUnit XML, for CI systems and test-report tools that read it.

One test suite, `cekura-gate`, holding:

- one case per check (classname `cekura-gate.checks`, name = the check's stable name):
  a `<failure>` when it blocks the gate; a warn-level check that did not hold passes with
  a `<system-out>` note (a warning must not turn a report tool red when the gate is
  green), unless its data was missing or its verdict inconclusive, in which case it is
  `<skipped>` (it neither passed nor failed);
- one case per run (classname `cekura-gate.runs`, name = scenario name and run id), with
  a `<failure>` carrying the run's reason when the run did not succeed, and its evidence
  (failed metrics with explanations, transcript excerpt, duration, links) as the text;
- one `<error>` case (classname `cekura-gate`, name `evaluation`) when the gate could not
  evaluate.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from gate import evidence
from gate.result import Result, Run
from gate.verdict import Check, Outcome, Verdict, VerdictKind
from gate.xmlwrite import write_indented

SUITE = "cekura-gate"
# Everything XML 1.0 does not allow in a document, even escaped.
# Written as the forbidden characters themselves: the same set as "not Char" in XML 1.0
# (tests/test_xmlwrite.py checks every code point), compiled in 1 ms instead of 9.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop characters XML 1.0 forbids (ElementTree escapes the rest)."""
    return _NOT_XML.sub("", text)


def build_junit(*, verdict: Verdict, result: Result | None) -> ET.Element:
    suite = ET.Element("testsuite", {"name": SUITE})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def case(classname: str, name: str) -> ET.Element:
        counts["tests"] += 1
        return _sub(suite, "testcase", classname=classname, name=name)

    if result is not None:
        properties = _sub(suite, "properties")
        for name, value in (
            ("result-id", result.id),
            ("result-name", result.name),
            ("status", result.status),
            ("url", result.url),
        ):
            if value:
                _sub(properties, "property", name=name, value=value)
        baseline = verdict.baseline
        if baseline is not None and baseline.found:
            _sub(properties, "property", name="baseline-id", value=baseline.id)

    if verdict.kind is VerdictKind.ERROR:
        element = case(SUITE, "evaluation")
        kind = verdict.error_kind or "could not evaluate"
        _sub(element, "error", message=verdict.reason or kind, type=kind)
        counts["errors"] += 1

    for check in verdict.checks:
        element = case(f"{SUITE}.checks", check.name)
        if check.blocking:
            failure = _sub(element, "failure", message=_check_message(check), type="threshold")
            failure.text = clean(check.detail or check.title)
            counts["failures"] += 1
        elif check.warning and check.outcome in (Outcome.MISSING, Outcome.INCONCLUSIVE):
            what = "inconclusive" if check.outcome is Outcome.INCONCLUSIVE else "warning"
            _sub(element, "skipped", message=f"{what}: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning:
            out = _sub(element, "system-out")
            out.text = clean(
                f"warning (level warn, does not fail the gate): {_check_message(check)}"
            )

    for run in result.runs if result is not None else ():
        element = case(f"{SUITE}.runs", _run_name(run))
        if run.success is not True:
            failure = _sub(element, "failure", message=run.reason, type=run.status or "failed")
            failure.text = clean(_run_text(run))
            counts["failures"] += 1

    suite.attrib.update({key: str(value) for key, value in counts.items()})
    root = ET.Element("testsuites", {"name": SUITE})
    root.attrib.update({key: str(value) for key, value in counts.items()})
    root.append(suite)
    return root


def write_junit(path: str | Path, *, verdict: Verdict, result: Result | None) -> None:
    """Write the JUnit XML file, creating its parent directories."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # What ET.indent + tree.write would write, byte for byte, a quarter faster.
    write_indented(build_junit(verdict=verdict, result=result), target)


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {key: clean(value) for key, value in attrs.items()})


def _check_message(check: Check) -> str:
    message = f"{check.title}: actual {check.actual}, threshold {check.threshold}"
    if check.delta:
        message += f" (vs baseline: {check.delta}, was {check.baseline})"
    return f"{message}. {check.detail}" if check.detail else message


def _run_name(run: Run) -> str:
    return f"{run.scenario_name} (run {run.id})" if run.id else run.scenario_name


def _run_text(run: Run) -> str:
    lines = [run.reason, f"status: {run.status or 'unknown'}"]
    if run.duration:
        lines.append(f"duration: {run.duration}")
    if run.recording_url:
        lines.append(f"recording: {run.recording_url}")
    if run.run_url:
        lines.append(f"run: {run.run_url}")
    for finding in evidence.findings(run):
        lines.append(f"{finding.label}: {finding.explanation}".rstrip(": "))
    if run.excerpt:
        lines.append("transcript excerpt:")
        lines.extend(f"  [{t.time or t.index}] {t.role or '?'}: {t.content}" for t in run.excerpt)
    return "\n".join(lines)
