from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.policy import config, model
from gate.publish import markdown as report
from gate.result.parsing import parse
from tests.conftest import load_fixture

GOLDEN = Path(__file__).parents[1] / "golden"
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
CONTEXT = report.ReportContext(policy_source=".cekura/gate.yml", result_id="4102")


def golden(name: str, text: str) -> None:
    """Compare with the golden file; CEKURA_UPDATE_GOLDEN=1 rewrites it (a deliberate change)."""
    path = GOLDEN / name
    if os.environ.get("CEKURA_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fixture", "golden_name"),
    [("passing.json", "passing.md"), ("failing.json", "failing.md")],
)
def test_golden_reports(fixture, golden_name):
    result = parse(load_fixture(fixture))
    golden(golden_name, report.render(evaluate(result, POLICY), result, context=CONTEXT))


def test_golden_could_not_evaluate_report():
    verdict = Verdict.could_not_evaluate(
        "the Cekura API refused the API key (HTTP 401). Check CEKURA_API_KEY.",
        error_kind="API key refused",
    )
    golden("could_not_evaluate.md", report.render(verdict, None, context=CONTEXT))


def test_verdict_comes_first():
    result = parse(load_fixture("failing.json"))
    text = report.render(evaluate(result, POLICY), result, context=CONTEXT)
    assert text.startswith("## ❌ Cekura gate failed\n")


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
    assert len(report.md_cell("x" * 1000)) == report.CELL_LIMIT


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


def test_long_tables_end_with_and_n_more():
    result = parse(_many_failures(120, 10))
    text = report.render(evaluate(result, model.DEFAULT_POLICY), result)
    assert "| _and 70 more failing runs_ |" in text
    assert len(re.findall(r"^\| Scenario \d+ \|", text, flags=re.MULTILINE)) == 50


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


# -- the precompiled template ----------------------------------------------------------------


def test_the_precompiled_template_is_the_template_as_it_is():
    """After editing templates/summary.md.j2, run `python -m gate.publish.markdown` (this says
    so)."""
    import jinja2

    from gate.publish import _summary_template as compiled

    source = (Path(report.__file__).parent / "templates" / report.TEMPLATE).read_text("utf-8")
    assert report.source_digest(source) == compiled.SOURCE, "run: python -m gate.publish.markdown"
    if jinja2.__version__ != compiled.JINJA2:
        pytest.skip(f"generated with Jinja2 {compiled.JINJA2}, this is {jinja2.__version__}")
    generated = Path(compiled.__file__).read_text(encoding="utf-8")
    assert generated == report.compiled_module(), "run: python -m gate.publish.markdown"
    template = report._template(report._environment())
    assert template.root_render_func.__module__ == "gate.publish._summary_template"


def test_a_stale_precompiled_template_is_compiled_instead_and_says_the_same(monkeypatch):
    from gate.publish import _summary_template as compiled
    from tests.publish.test_injection import hostile_result

    result = parse(hostile_result(4))
    verdict = evaluate(result, POLICY)
    monkeypatch.setattr(report, "_TEMPLATE", None)
    precompiled = report.render(verdict, result, context=CONTEXT)
    monkeypatch.setattr(compiled, "SOURCE", "the template changed since")
    monkeypatch.setattr(report, "_TEMPLATE", None)
    compiled_now = report.render(verdict, result, context=CONTEXT)
    assert report._TEMPLATE.root_render_func.__module__ != "gate.publish._summary_template"
    assert compiled_now == precompiled
