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

from gate.judge.verdict import Check, Outcome, Verdict, VerdictKind
from gate.publish import display, wording
from gate.result import evidence
from gate.result.model import Result, Run

SUITE = "cekura-gate"
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
# Everything XML 1.0 does not allow in a document, even escaped.
# Written as the forbidden characters themselves: the same set as "not Char" in XML 1.0
# (tests/publish/test_junit.py checks every code point), compiled in 1 ms instead of 9.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# ElementTree's own escaping, so the file is what ElementTree would write on this Python.
_escape_attrib = ET._escape_attrib  # type: ignore[attr-defined]
_escape_cdata = ET._escape_cdata  # type: ignore[attr-defined]


def clean(text: str) -> str:
    """Drop characters XML 1.0 forbids (escaping does the rest)."""
    return _NOT_XML.sub("", text)


def junit_text(*, verdict: Verdict, result: Result | None) -> str:
    """The document, byte for byte what `ET.indent` and `ElementTree.write(path, "utf-8",
    xml_declaration=True)` write for the same elements (tests/publish/test_junit.py compares them).

    Written as text, not built as a tree: a 10,000-run result is 10,000 test cases, and
    building and serialising them as elements took ~80 ms, most of a report's cost.
    """
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    body: list[str] = []
    add = body.append

    if result is not None:
        properties = [
            _element("property", 3, name=name, value=value)
            for name, value in (
                ("result-id", result.id),
                ("result-name", result.name),
                ("status", result.status),
                ("url", result.url),
            )
            if value
        ]
        baseline = verdict.baseline
        if baseline is not None and baseline.found:
            properties.append(_element("property", 3, name="baseline-id", value=baseline.id))
        add(_element("properties", 2, children=properties))

    if verdict.kind is VerdictKind.ERROR:
        kind = verdict.error_kind or "could not evaluate"
        error = _element("error", 3, message=verdict.reason or kind, type=kind)
        add(_case(SUITE, "evaluation", error))
        counts["tests"] += 1
        counts["errors"] += 1

    for check in verdict.checks:
        child = ""
        if check.blocking:
            child = _element(
                "failure",
                3,
                text=wording.detail(check) or check.title,
                message=_check_message(check),
                type="threshold",
            )
            counts["failures"] += 1
        elif check.not_reached:
            child = _element("skipped", 3, message=f"not reached: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning and check.outcome in (Outcome.MISSING, Outcome.INCONCLUSIVE):
            what = "inconclusive" if check.outcome is Outcome.INCONCLUSIVE else "warning"
            child = _element("skipped", 3, message=f"{what}: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning:
            child = _element(
                "system-out",
                3,
                text=f"warning (level warn, does not fail the gate): {_check_message(check)}",
            )
        add(_case(f"{SUITE}.checks", check.name, child))
        counts["tests"] += 1

    runs = result.runs if result is not None else ()
    # 10,000 runs make 10,000 cases, so these are written directly. The name is the escaped
    # scenario name (a few distinct ones) and the escaped id (usually digits): escaping and
    # clean() work character by character, so the pieces escaped apart make the escaped whole.
    opening = f'    <testcase classname="{SUITE}.runs" name="'
    scenarios: dict[str, str] = {}
    for run in runs:
        name = scenarios.get(run.scenario_name)
        if name is None:
            name = scenarios[run.scenario_name] = _attribute(run.scenario_name)
        run_id = run.id
        if run_id:
            name = f"{name} (run {run_id if run_id.isdigit() else _attribute(run_id)})"
        if run.success is True:  # most runs: one line, nothing else to say
            add(f'{opening}{name}" />')
            continue
        reason = run.reason
        failure = (
            f'      <failure message="{_attribute(reason)}" '
            f'type="{_attribute(run.status or "failed")}"'
        )
        text = clean(_run_text(run, reason))
        failure += f">{_escape_cdata(text)}</failure>" if text else " />"
        add(f'{opening}{name}">\n{failure}\n    </testcase>')
        counts["failures"] += 1
    counts["tests"] += len(runs)

    totals = "".join(f' {key}="{value}"' for key, value in counts.items())
    lines = [f'{DECLARATION}<testsuites name="{SUITE}"{totals}>']
    if body:
        lines.append(f'  <testsuite name="{SUITE}"{totals}>')
        lines.extend(body)
        lines.append("  </testsuite>")
    else:
        lines.append(f'  <testsuite name="{SUITE}"{totals} />')
    lines.append("</testsuites>")
    return "\n".join(lines)


def build_junit(*, verdict: Verdict, result: Result | None) -> ET.Element:
    """The same document as elements (its root, `testsuites`), for callers that inspect it."""
    return ET.fromstring(junit_text(verdict=verdict, result=result))


def write_junit(path: str | Path, *, verdict: Verdict, result: Result | None) -> None:
    """Write the JUnit XML file, creating its parent directories."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = junit_text(verdict=verdict, result=result)
    # The same open() as ElementTree.write: platform newlines, character references for
    # anything UTF-8 cannot carry.
    with open(target, "w", encoding="utf-8", errors="xmlcharrefreplace") as handle:
        handle.write(text)


def _attribute(value: str) -> str:
    return _escape_attrib(clean(value))


def _element(
    tag: str, level: int, *, text: str = "", children: list[str] | None = None, **attrs: str
) -> str:
    """One element at `level` of indentation, as ElementTree writes it after ET.indent."""
    indent = "  " * level
    opening = indent + "<" + tag + "".join(f' {k}="{_attribute(v)}"' for k, v in attrs.items())
    if children:
        inner = "\n".join(children)
        return f"{opening}>\n{inner}\n{indent}</{tag}>"
    text = clean(text)
    if not text:
        return opening + " />"
    return f"{opening}>{_escape_cdata(text)}</{tag}>"


def _case(classname: str, name: str, child: str) -> str:
    return _element(
        "testcase", 2, children=[child] if child else None, classname=classname, name=name
    )


def _check_message(check: Check) -> str:
    message = f"{check.title}: actual {wording.actual(check)}, threshold {wording.threshold(check)}"
    if display.compared(check):
        message += f" (vs baseline: {display.delta(check)}, was {display.was(check)})"
    why = wording.detail(check)
    return f"{message}. {why}" if why else message


def _run_text(run: Run, reason: str) -> str:
    lines = [reason, f"status: {run.status or 'unknown'}"]
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
