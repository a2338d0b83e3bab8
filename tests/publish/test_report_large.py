"""A result of 2,000 failing calls: the summary stays within GitHub's 1 MiB, the comment within
65,536 characters, and cutting them to fit never changes the first screen."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict
from gate.policy import config
from gate.publish.findings import causes
from gate.publish.pages import markdown as report
from gate.result.parsing import parse
from gate.simulator import catalogue
from tests.golden import assert_golden as golden

POLICY = config.parse(
    """\
version: 1
thresholds:
  success_rate: {min: 90}
  scenarios:
    - {name: Emergency triage, min_success_rate: 100}
  metrics:
    - {metric: Latency, aggregation: p90, max: 1800}
""",
    name=".cekura/gate.yml",
)
CONTEXT = report.ReportContext(
    policy_source=".cekura/gate.yml",
    result_id="5000",
    summary_url="https://github.com/acme/voice-agent/actions/runs/778",
    commit="0f1e2d3c4b5a",
    run_url="https://github.com/acme/voice-agent/actions/runs/778",
    run_number="43",
    updated_at=datetime(2026, 7, 17, 18, 2, 9, tzinfo=UTC),
)
#: every call fails: expected outcomes, Workflow Adherence, and one call in two of
#: "Insurance question" never connects
BROKEN = catalogue.AgentProfile(
    9,
    "Riverside Clinic receptionist v2.0 (broken)",
    outcomes={
        11541: "outcome_fail",
        11542: "metric_fail",
        11543: "outcome_fail",
        11544: ("error", "metric_fail"),
        11545: "outcome_fail",
    },
    latency_ms=2600.0,
)


@pytest.fixture(scope="module")
def large():
    raw = catalogue.build_result(5000, BROKEN, [11541, 11542, 11543, 11544, 11545], frequency=400)
    result = parse(raw)
    assert len(result.failing_runs) == 2_000
    return evaluate(result, POLICY), result


def test_golden_summary_and_comment_of_2000_failing_calls(large):
    verdict, result = large
    started = time.perf_counter()
    summary = report.render(verdict, result, context=CONTEXT)
    comment = report.comment_body(verdict, result, context=CONTEXT)
    assert time.perf_counter() - started < 30  # a sanity bound, not a speed target
    golden("large.md", summary)
    golden("large.comment.md", comment)
    assert len(summary.encode("utf-8")) <= report.SUMMARY_BUDGET
    assert len(comment) <= 65_536
    # 2,000 calls fall into six causes: five agent problems, then the infrastructure
    assert "### What went wrong · 6 problems in 2,000 calls" in summary
    assert "**1 · Emergency triage · 400 of 400 calls**" in summary
    assert "**6 · Infrastructure, not the agent · 200 calls** · Insurance question" in summary
    assert "_and 300 more in the JSON report_" in summary  # calls linked: the first 100


@pytest.mark.parametrize("budget", [200_000, 40_000, 12_000])
def test_cutting_to_a_budget_keeps_the_first_screen(large, budget):
    verdict, result = large
    top = report.first_screen(verdict, result, CONTEXT)
    text = report.render(verdict, result, context=CONTEXT, budget=budget)
    assert len(text.encode("utf-8")) <= budget
    assert text.startswith(top)


def test_the_comment_fits_one_screen_whatever_the_result(large):
    verdict, result = large
    comment = report.comment_body(verdict, result, context=CONTEXT)
    assert len(comment.splitlines()) <= 40
    assert comment.count("\n1. ") + comment.count("\n2. ") + comment.count("\n3. ") == 3
    assert "**Top problems** (3 of 6)" in comment


def test_the_groups_hold_every_failing_call_once(large):
    verdict, result = large
    groups = causes.group(result, verdict)
    ids = [call.id for group in groups for call in group.calls]
    assert sorted(ids) == sorted(run.id for run in result.failing_runs)
    assert [g.agent for g in groups] == [True] * 5 + [False]


def test_a_first_screen_of_many_blocking_checks_stays_bounded():
    checks = tuple(
        Check(
            name=f"scenarios[{i}]",
            title=f"Scenario: S{i}",
            level=Level.ERROR,
            outcome=Outcome.FAIL,
            kind=Kind.SCENARIO,
            subject=str(i),
            value=0.0,
            unit=Unit.PERCENT,
            minimum=100.0,
            successes=0,
            runs=1,
        )
        for i in range(40)
    )
    verdict = Verdict.from_checks(checks)
    summary = report.render(verdict, None, context=CONTEXT)
    assert summary.startswith("## ❌ Cekura gate failed · 40 blocking checks\n")
    assert summary.count("| ❌ | Scenario: S") == report.TOP_ROWS
    assert "_and 15 more blocking or warning checks, in the JSON report_" in summary
    comment = report.comment_body(verdict, None, context=CONTEXT)
    assert comment.count("| ❌ | Scenario: S") == report.COMMENT_ROWS
    assert "_and 30 more blocking or warning checks, in the JSON report_" in comment
