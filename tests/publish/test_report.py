from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.policy import config, model
from gate.publish.pages import markdown as report
from gate.publish.words import escape
from gate.result.parsing import parse
from tests.conftest import load_fixture
from tests.golden import assert_golden as golden

POLICY = config.parse(
    """\
version: 1
thresholds:
  success_rate: {min: 90}
  failed_workflow_runs: {max: 0}
  failed_infrastructure_runs: {max: 0, level: warn}
  performance_metrics:
    require_all_met: true
    rules:
      - {metric: Latency, max: 1500}
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


@pytest.mark.parametrize(
    ("fixture", "golden_name"),
    [("passing.json", "passing.md"), ("failing.json", "failing.md")],
)
def test_golden_reports(fixture, golden_name):
    result = parse(load_fixture(fixture))
    verdict = evaluate(result, POLICY)
    golden(golden_name, report.render(verdict, result, context=CONTEXT))
    comment = report.comment_body(verdict, result, context=CONTEXT)
    golden(golden_name.replace(".md", ".comment.md"), comment)


def test_golden_could_not_evaluate_report():
    verdict = Verdict.could_not_evaluate(
        "the Cekura API refused the API key (HTTP 401). Check CEKURA_API_KEY.",
        error_kind="API key refused",
    )
    golden("could_not_evaluate.md", report.render(verdict, None, context=CONTEXT))
    comment = report.comment_body(verdict, None, context=CONTEXT)
    golden("could_not_evaluate.comment.md", comment)


def test_verdict_comes_first():
    result = parse(load_fixture("failing.json"))
    text = report.render(evaluate(result, POLICY), result, context=CONTEXT)
    assert text.startswith("## ❌ Cekura gate failed · 4 blocking checks\n")


def test_what_to_do_names_the_file_to_change_or_the_one_to_add():
    result = parse(load_fixture("failing.json"))
    with_file = report.render(evaluate(result, POLICY), result, context=CONTEXT)
    assert "if a limit is wrong, change it in .cekura/gate.yml.\n\n---" in with_file
    default = report.ReportContext(policy_source="default policy", result_id="4102")
    text = report.render(evaluate(result, model.DEFAULT_POLICY), result, context=default)
    assert (
        "if a limit is wrong, set your own in .cekura/gate.yml (the default policy applied).\n\n---"
    ) in text
    assert "change it in default policy" not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a | b", "a \\| b"),
        ("<b>bold</b> <script>x</script>", "bold x"),
        ("line\nbreak", "line break"),
        ("ping @octocat", "ping @\u200docto"),
        ("**strong** [link](http://x)", "\\*\\*strong\\*\\* \\[link\\](http://x)"),
        ("</details><details>", ""),
        ("bell\x07char", "bell char"),
    ],
)
def test_cells_are_escaped(raw, expected):
    assert report.md_cell(raw).startswith(expected)


def test_long_cell_is_shortened():
    assert report.md_cell("x" * 1000).endswith("…")
    assert len(report.md_cell("x" * 1000)) == escape.CELL_LIMIT


def test_only_http_links_are_linked():
    assert report.md_link_url("https://dashboard.cekura.ai/1/results/2") != ""
    assert report.md_link_url("javascript:alert(1)") == ""
    assert report.md_link_url("https://x.y/a) [evil](https://z") == ""


def _many_failures(count: int, reason_length: int) -> dict:
    runs = {
        str(i): {
            "id": i,
            "scenario": {"id": i, "name": f"Scenario {i}"},
            "status": "completed",
            "success": False,
            "error_message": "E" * reason_length,
        }
        for i in range(1, count + 1)
    }
    return {"id": 9, "status": "completed", "runs": runs}


def test_long_lists_end_with_and_n_more():
    result = parse(_many_failures(120, 10))
    text = report.render(evaluate(result, model.DEFAULT_POLICY), result)
    assert "_and 70 more problems (70 calls), in the JSON report's `what_went_wrong`_" in text
    assert len(re.findall(r"^\*\*\d+ · Scenario \d+ · 1 of 1 call\*\*", text, re.MULTILINE)) == 50
    assert "| _and 70 more scenarios_ |" in text
    assert len(re.findall(r"^\| Scenario \d+ \(\d+\) \|", text, flags=re.MULTILINE)) == 50


def test_report_never_exceeds_the_budget():
    result = parse(_many_failures(400, 5000))
    verdict = evaluate(result, model.DEFAULT_POLICY)
    for budget in (report.SUMMARY_BUDGET, report.COMMENT_BUDGET, 4_000):
        text = report.render(verdict, result, budget=budget)
        assert len(text.encode("utf-8")) <= budget
        assert text.startswith("## ❌ Cekura gate failed")


def test_hard_cut_says_so_and_links_the_full_report():
    result = parse(_many_failures(3, 10))
    verdict = evaluate(result, model.DEFAULT_POLICY)
    ctx = report.ReportContext(summary_url="https://github.com/o/r/actions/runs/1")
    text = report.render(verdict, result, context=ctx, budget=300)
    assert len(text.encode("utf-8")) <= 300
    assert "[full report](https://github.com/o/r/actions/runs/1)" in text


# -- one source for the layout -------------------------------------------------------------


def test_the_layout_has_one_source():
    """No template, compiled or generated copy of the layout in the package to fall out of
    step: the checks table is written in one place."""
    package = Path(report.__file__).parent
    marker = "| | Check | This result |"
    holders = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix in (".py", ".j2", ".md") and marker in p.read_text("utf-8")
    ]
    assert holders == ["page_parts.py"]


def test_a_pass_with_a_warning_never_shows_a_red_cross_on_its_first_screen():
    result = parse(load_fixture("failing.json"))
    policy = config.parse(
        "version: 1\nthresholds:\n  success_rate: {min: 10}\n"
        "  failed_workflow_runs: {max: 0, level: warn}\n",
        name="gate.yml",
    )
    verdict = evaluate(result, policy)
    top = report.first_screen(verdict, result, CONTEXT)
    assert top.startswith("## ✅ Cekura gate passed · 1 warning\n")
    assert "| ⚠️ | Failed workflow runs | **1** | ≤\u00a00 · warn only |" in top
    assert "❌" not in top
    # the calls that did not succeed are still told, folded
    text = report.render(verdict, result, context=CONTEXT)
    assert "<details><summary>2 calls did not succeed · 2 problems</summary>" in text


@pytest.mark.parametrize("kind", ["usage error", "config error"])
def test_a_usage_or_config_error_is_a_stop_not_a_result_that_could_not_be_evaluated(kind):
    verdict = Verdict.could_not_evaluate(
        "gate.yml:3: thresholds.banana: unknown key", error_kind=kind
    )
    text = report.render(verdict, None, context=CONTEXT)
    assert text.startswith(f"## ⛔ Cekura gate stopped · {kind}\n")
    assert "Nothing was evaluated: fix what is named above and run the job again." in text
    assert "could not evaluate" not in text and "could not reach a verdict" not in text


def test_the_comments_top_problems_are_one_line_each_whatever_their_kind():
    """Two infrastructure problems among the top three: still one tight numbered list."""
    from gate.publish.findings.causes import Call, Cause
    from gate.publish.pages import page_comment
    from gate.result.failure import FailureKind

    def cause(kind: FailureKind, scenario: str, explanation: str) -> Cause:
        return Cause(
            kind=kind,
            scenarios=(scenario,),
            failed="expected outcome",
            score=0.0,
            explanation=explanation,
            calls=(Call("1", scenario, "", ""),),
            scenario_runs=1,
            excerpt=(),
            blocks=False,
        )

    causes = (
        cause(FailureKind.AGENT, "Triage", "No 911 advice."),
        cause(FailureKind.INFRASTRUCTURE, "Book", "SIP 503"),
        cause(FailureKind.INFRASTRUCTURE, "Cancel", "websocket closed"),
    )
    text = page_comment.rest(causes=causes, causes_total=3, summary_url="", footer="footer")
    assert "**Top problems**\n1. **Triage · 1 of 1 call** · expected outcome 0/100: No 911" in text
    assert "\n2. **Infrastructure, not the agent · 1 call** · SIP 503\n3. **Infra" in text
