"""The report, JSON and JUnit for baselines, scenarios, metric aggregates, inconclusive checks
and failure evidence."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Check, Interval, Kind, Level, Outcome, Unit, Verdict
from gate.policy import config, model
from gate.publish.junit import build_junit
from gate.publish.pages import markdown as report
from gate.publish.report_json import build_report
from gate.result.model import Baseline
from gate.result.parsing import parse
from gate.simulator import catalogue
from tests.golden import assert_golden as golden

POLICY = config.parse(
    """\
version: 1
baseline: {latest_completed: true, name_pattern: "nightly*"}
thresholds:
  success_rate: {min: 40, confidence: 0.95}
  scenarios:
    - {name: Emergency triage, min_success_rate: 100}
    - {id: 11541, min_success_rate: 90, level: warn}
  metrics:
    - {metric: Latency, aggregation: p90, max: 1800}
    - {metric: Workflow Adherence, aggregation: pass_rate, min: 95, level: warn}
  regression:
    success_rate: {max_drop: 5}
""",
    name=".cekura/gate.yml",
)
CONTEXT = report.ReportContext(
    policy_source=".cekura/gate.yml",
    result_id="4102",
    summary_url="https://github.com/acme/voice-agent/actions/runs/777",
    policy_url="https://github.com/acme/voice-agent/blob/a1b2c3d4e5f6/.cekura/gate.yml",
    commit="a1b2c3d4e5f6a7b8",
    run_url="https://github.com/acme/voice-agent/actions/runs/777",
    run_number="42",
    updated_at=datetime(2026, 7, 17, 10, 4, 31, 123456, tzinfo=UTC),
)


def baseline_payload() -> dict:
    payload = catalogue.demo_result(1, result_id=4001)
    payload |= {"agent": 2, "name": "Nightly main", "project": 42}
    return payload


def regressed() -> tuple[Verdict, object]:
    result = parse(catalogue.demo_result(2))
    found = Baseline(how="the latest completed result of agent 2", result=parse(baseline_payload()))
    return evaluate(result, POLICY, baseline=found), result


def test_golden_report_with_baseline_scenarios_metrics_and_evidence():
    verdict, result = regressed()
    text = report.render(verdict, result, context=CONTEXT)
    golden("beyond.md", text)
    golden("beyond.comment.md", report.comment_body(verdict, result, context=CONTEXT))
    assert "vs baseline **[Nightly main](https://dashboard.cekura.ai/42/results/4001)**" in text
    assert "<details><summary>All 6 scenarios, worst first</summary>" in text
    assert text.index("Emergency triage (11543)") < text.index("Book appointment (11541)")
    # the success-rate check and its regression share one row: the change appears once
    # (numbers keep their units on the same line: no-break spaces, shown here as ~)
    text = text.replace("\u00a0", "~")
    assert text.count("100%~(−50~pp)") == 1
    assert "| ❌ | Latency: p90 | **2,446~ms** | 918~ms~(+1,528~ms) | ≤~1,800~ms |" in text
    assert "| ⚠️ | Workflow Adherence: pass\\_rate | **80%**~(4/5) |" in text
    assert "### What went wrong · 3 problems in 3 calls" in text
    assert text.index("**1 · Emergency triage") < text.index("**3 · Infrastructure, not the")


def test_inconclusive_icon_and_level():
    check = Check(
        name="success_rate",
        title="Success rate",
        level=Level.WARN,
        kind=Kind.SUCCESS_RATE,
        unit=Unit.PERCENT,
        value=90.0,
        minimum=80.0,
        successes=9,
        runs=10,
        confidence=0.95,
        interval=Interval(0.95, 59.58, 98.21),
        outcome=Outcome.INCONCLUSIVE,
        detail="about 62 runs at this rate would decide it",
    )
    verdict = Verdict.from_checks((check,))
    text = report.render(verdict, None)
    assert text.startswith("## ✅ Cekura gate passed · 1 warning\n")
    assert "<details><summary>⚖️ 1 too close to call</summary>" in text
    assert (
        "| ⚖️ | Success rate<br><sub>95% CI 60–98%; about 62 runs at this rate would decide it</sub>"
    ) in text
    assert "❌" not in text
    assert verdict.warnings == (check,)
    junit = build_junit(verdict=verdict, result=None)
    skipped = junit.find(".//testcase[@name='success_rate']/skipped")
    assert skipped is not None and skipped.get("message", "").startswith("inconclusive: ")
    assert build_report(verdict=verdict, result=None)["checks"][0]["outcome"] == "inconclusive"


def test_evidence_shrinks_first_and_the_first_screen_never():
    verdict, result = regressed()
    full = report.render(verdict, result)
    assert "<details><summary>Evidence for each failing call (3)</summary>" in full
    small = report.render(verdict, result, budget=len(full.encode("utf-8")) - 500)
    assert "Evidence for each failing call (3, the 1 worst shown)" in small
    assert "_Evidence for 2 more failing calls is left out to fit the size limit" in small
    assert small.count("**1 · Emergency triage · 1 of 1 call**") == 1  # the groups are whole
    top = report.first_screen(verdict, result, report.ReportContext())
    assert full.startswith(top) and small.startswith(top)


def test_summary_text_is_html_escaped():
    raw = catalogue.demo_result(2)
    run = next(r for r in raw["runs"].values() if r["success"] is False)
    run["scenario"]["name"] = "<img src=x> @octocat & *bold*"
    result = parse(raw)
    text = report.render(evaluate(result, model.DEFAULT_POLICY), result)
    assert "@\u200doctocat & \\*bold\\*" in text
    assert "<img" not in text


def test_json_and_junit_carry_baseline_scenarios_and_evidence():
    verdict, result = regressed()
    data = build_report(verdict=verdict, result=result)
    assert data["baseline"] == {
        "found": True,
        "how": "the latest completed result of agent 2",
        "id": "4001",
        "name": "Nightly main",
        "created_at": "2026-07-17T06:41:00.000000Z",
        "url": "https://dashboard.cekura.ai/42/results/4001",
        "reason": None,
    }
    rows = {r["name"]: r for r in data["scenarios"]}
    assert rows["Emergency triage"] == {
        "name": "Emergency triage",
        "id": 11543,
        "runs": 1,
        "succeeded": 0,
        "success_rate": 0.0,
        "baseline_success_rate": 100.0,
        "check": "scenarios[Emergency triage]",
        "outcome": "fail",
        "stability": None,
        "quarantined_until": None,
        "infrastructure": 0,
    }
    checks = {c["name"]: c for c in data["checks"]}
    assert (checks["success_rate"]["baseline"], checks["success_rate"]["delta"]) == (
        "100%",
        "↓ 50 pp",
    )
    junit = build_junit(verdict=verdict, result=result)
    props = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert props["baseline-id"] == "4001"
    failure = junit.find(".//testcase[@name='Emergency triage / run 1']/failure")
    assert failure is not None
    assert "transcript excerpt:" in failure.text
    assert "I can fit you in tomorrow at 9:00" in failure.text
    ET.tostring(junit)  # serialisable
