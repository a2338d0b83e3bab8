"""The verdict as JUnit XML, for CI systems and test-report tools that read it.

The file agrees with the verdict: a gate that passed writes no `<failure>` and no `<error>`
(CI tools mark a build unstable on either), a gate that failed writes a `<failure>` for each
blocking check, and a gate that could not evaluate writes an `<error>`. Test names never hold
a run id, so a CI tool's test history lines up from one run of the gate to the next.

One test suite, `cekura-gate` (`timestamp`: the result's creation time in UTC; `time`: the
calls' total duration, when known), holding:

- one case per check (classname `cekura-gate.checks`, name = the check's stable name): a
  `<failure>` when it blocks the gate, an `<error>` when the blocking check counts
  infrastructure failures (the calls did not happen; not the agent's failure); a warn-level
  check that did not hold has a `<system-out>` note (a warning must not turn a report tool red
  when the gate is green), or is `<skipped>` when its data was missing or its verdict
  inconclusive (it neither passed nor failed);
- one case per run (classname `cekura-gate.runs`, name = "<scenario> / run <n>", n counting
  the scenario's runs in the result's order), `time` = the call's duration when it connected.
  A run that did not succeed, in a gate that failed, is a `<failure>` when the agent failed it
  and an `<error>` when the infrastructure did (gate/result/failure.py `classify`); in a gate
  that passed or could not evaluate it is a `<system-out>` note. The text is its evidence
  (failed metrics with explanations, transcript excerpt, duration, links);
- one `<error>` case (classname `cekura-gate`, name `evaluation`) when the gate could not
  evaluate;
- suite properties: the result's identity, the baseline's id, each repeated scenario's label
  (`stability[<name> (<id>)]` = "flaky (3/5)") and each quarantine entry (`quarantine[<name
  or id>]` = "until 2026-12-31, active: <reason>").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gate.judge.verdict import Check, Kind, Outcome, Verdict, VerdictKind
from gate.publish.findings import evidence
from gate.publish.words import display, wording
from gate.publish.words.times import iso_utc
from gate.publish.xml_text import attribute, clean, element, escape_cdata
from gate.result.durations import call_duration, call_seconds, duration_seconds
from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.model import Result, Run

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SUITE = "cekura-gate"
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


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
            element("property", 3, name=name, value=value)
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
            properties.append(element("property", 3, name="baseline-id", value=baseline.id))
        properties.extend(_repeat_properties(verdict))
        add(element("properties", 2, children=properties))

    if verdict.kind is VerdictKind.ERROR:
        kind = wording.error_kind(verdict) or "could not evaluate"
        error = element("error", 3, message=wording.verdict_reason(verdict) or kind, type=kind)
        add(_case(SUITE, "evaluation", error))
        counts["tests"] += 1
        counts["errors"] += 1

    for check in verdict.checks:
        child = ""
        if check.blocking and _counts_infrastructure(check):
            child = element(
                "error",
                3,
                text=wording.detail(check) or check.title,
                message=_check_message(check),
                type="infrastructure",
            )
            counts["errors"] += 1
        elif check.blocking:
            child = element(
                "failure",
                3,
                text=wording.detail(check) or check.title,
                message=_check_message(check),
                type="threshold",
            )
            counts["failures"] += 1
        elif check.not_reached:
            child = element("skipped", 3, message=f"not reached: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning and check.outcome in (Outcome.MISSING, Outcome.INCONCLUSIVE):
            what = "inconclusive" if check.outcome is Outcome.INCONCLUSIVE else "warning"
            child = element("skipped", 3, message=f"{what}: {_check_message(check)}")
            counts["skipped"] += 1
        elif check.warning:
            child = element(
                "system-out",
                3,
                text=f"warning (level warn, does not fail the gate): {_check_message(check)}",
            )
        elif check.p_value is not None:  # held by significance: say with which p-value
            child = element("system-out", 3, text=_check_message(check))
        add(_case(f"{SUITE}.checks", check.name, child))
        counts["tests"] += 1

    runs = result.runs if result is not None else ()
    infrastructure = infrastructure_ids(result.failed_infrastructure_runs if result else None)
    failed = verdict.kind is VerdictKind.FAIL
    # 10,000 runs make 10,000 cases, so these are written directly. The name is the escaped
    # scenario name (a few distinct ones) and the run's number within its scenario: escaping
    # and clean() work character by character, so the pieces escaped apart make the whole.
    opening = f'    <testcase classname="{SUITE}.runs" name="'
    scenarios: dict[str, str] = {}
    numbers: dict[str, int] = {}
    total_time = 0.0
    times: dict[str, tuple[float, str]] = {}
    for run in runs:
        scenario = run.scenario_name
        name = scenarios.get(scenario)
        if name is None:
            name = scenarios[scenario] = attribute(scenario)
        number = numbers[scenario] = numbers.get(scenario, 0) + 1
        name = f"{name} / run {number}"
        if run.success is True:  # most runs: one line, nothing else to say
            # a connected call (it succeeded): its time, worked out once per duration written
            known = times.get(run.duration)
            if known is None:
                known = times[run.duration] = _time(duration_seconds(run.duration) or None)
            total_time += known[0]
            add(f'{opening}{name}"{known[1]} />')
            continue
        seconds = call_seconds(run, infrastructure) if run.duration else None
        total_time += seconds or 0.0
        timed = _time(seconds)[1]
        kind = classify(run, infrastructure)
        reason = evidence.reason(run)
        text = clean(_run_text(run, reason, kind, infrastructure))
        if failed:
            tag, count = (
                ("error", "errors")
                if kind is FailureKind.INFRASTRUCTURE
                else (
                    "failure",
                    "failures",
                )
            )
            child = f'      <{tag} message="{attribute(reason)}" type="{kind}"'
            child += f">{escape_cdata(text)}</{tag}>" if text else " />"
            counts[count] += 1
        else:
            why = (
                "the gate passed"
                if verdict.kind is VerdictKind.PASS
                else "the gate could not evaluate the result"
            )
            note = f"did not succeed ({kind}); not a test failure: {why}\n{text}"
            child = f"      <system-out>{escape_cdata(clean(note))}</system-out>"
        add(f'{opening}{name}"{timed}>\n{child}\n    </testcase>')
    counts["tests"] += len(runs)

    totals = "".join(f' {key}="{value}"' for key, value in counts.items())
    if total_time:
        totals += f' time="{_seconds(total_time)}"'
    stamp = iso_utc(result.created_at) if result is not None else ""
    suite_extra = f' timestamp="{stamp}"' if stamp else ""
    # The schema CI tools validate against (Jenkins' xunit plugin) allows no `skipped` on
    # <testsuites>: only the suite says how many cases were skipped.
    root_totals = totals.replace(f' skipped="{counts["skipped"]}"', "", 1)
    lines = [f'{DECLARATION}<testsuites name="{SUITE}"{root_totals}>']
    if body:
        lines.append(f'  <testsuite name="{SUITE}"{totals}{suite_extra}>')
        lines.extend(body)
        lines.append("  </testsuite>")
    else:
        lines.append(f'  <testsuite name="{SUITE}"{totals}{suite_extra} />')
    lines.append("</testsuites>")
    return "\n".join(lines)


def _counts_infrastructure(check: Check) -> bool:
    """The check counts runs that failed for infrastructure reasons: its failure is not the
    agent's, so it is an <error>, as JUnit calls a test that could not run properly."""
    return check.kind is Kind.FAILED_RUNS and check.subject == "infrastructure"


def _time(seconds: float | None) -> tuple[float, str]:
    """A case's seconds (0 when unknown) and its `time` attribute ("" when unknown)."""
    if seconds is None:
        return 0.0, ""
    return seconds, f' time="{_seconds(seconds)}"'


def _seconds(value: float) -> str:
    """Seconds as JUnit's `time` (Surefire's pattern: digits, a point, up to 3 decimals)."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def build_junit(*, verdict: Verdict, result: Result | None) -> ET.Element:
    """The same document as elements (its root, `testsuites`), for callers that inspect it."""
    import xml.etree.ElementTree as ET

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


def _case(classname: str, name: str, child: str) -> str:
    return element(
        "testcase", 2, children=[child] if child else None, classname=classname, name=name
    )


def _repeat_properties(verdict: Verdict) -> list[str]:
    """A property per repeated scenario ("flaky (3/5)", of the runs that tested the agent) and
    per quarantine entry."""
    found = []
    for row in verdict.scenarios:
        if row.stability is not None:
            label = row.name if row.scenario_id is None else f"{row.name} ({row.scenario_id})"
            value = wording.stability(row.stability, row.passed, row.agent_runs)
            if row.quarantined_until:
                value += f"; quarantined until {row.quarantined_until}"
            found.append(element("property", 3, name=f"stability[{label}]", value=value))
    for entry in verdict.quarantine:
        state = (
            "matched no scenario"
            if not entry.scenarios
            else ("active" if entry.active else "expired")
        )
        found.append(
            element(
                "property",
                3,
                name=f"quarantine[{entry.label}]",
                value=f"until {entry.until}, {state}: {entry.reason}",
            )
        )
    return found


def _check_message(check: Check) -> str:
    message = f"{check.title}: actual {wording.actual(check)}, threshold {wording.threshold(check)}"
    if display.compared(check):
        message += f" (vs baseline: {display.delta(check)}, was {display.was(check)})"
    why = wording.detail(check)
    return f"{message}. {why}" if why else message


_WHOSE = {
    FailureKind.AGENT: "the agent (a connected call that missed an outcome or a metric)",
    FailureKind.INFRASTRUCTURE: "infrastructure (the call did not happen as a test)",
}


def _run_text(run: Run, reason: str, kind: FailureKind | None, infra: frozenset[str]) -> str:
    lines = [reason, f"status: {run.status or 'unknown'}"]
    if kind is not None:
        lines.append(f"failed: {_WHOSE[kind]}")
    duration = call_duration(run, infra)  # a call that never connected has no duration
    if duration:
        lines.append(f"duration: {duration}")
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
