from __future__ import annotations

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Level, Outcome, VerdictKind
from gate.policy import config, model
from gate.publish.words.wording import actual, detail, threshold, verdict_reason
from gate.result.parsing import parse
from tests.conftest import load_fixture

STRICT = """\
version: 1
thresholds:
  success_rate: {min: 90}
  failed_workflow_runs: {max: 0}
  performance_metrics:
    require_all_met: true
    rules:
      - {metric: latency, max: 1500}
      - {metric: Customer  Satisfaction, min: 4}
"""


def policy(text: str = STRICT):
    return config.parse(text, name="gate.yml")


def by_name(verdict):
    return {c.name: c for c in verdict.checks}


def test_passing_result_passes_every_check():
    verdict = evaluate(parse(load_fixture("passing.json")), policy())
    assert verdict.kind is VerdictKind.PASS
    assert verdict.exit_code == 0
    checks = by_name(verdict)
    assert actual(checks["success_rate"]) == "100% (3 of 3 runs)"
    assert actual(checks["performance_metrics.rules[latency]"]) == "1210"
    assert all(c.outcome is Outcome.PASS for c in verdict.checks)


def test_failing_result_names_each_failed_check():
    verdict = evaluate(parse(load_fixture("failing.json")), policy())
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.exit_code == 1
    assert [c.name for c in verdict.failed_checks] == [
        "success_rate",
        "failed_workflow_runs",
        "performance_metrics.require_all_met",
        "performance_metrics.rules[latency]",
    ]
    checks = by_name(verdict)
    assert actual(checks["success_rate"]) == "50% (2 of 4 runs)"
    assert actual(checks["failed_workflow_runs"]) == "1 (#3)"
    assert actual(checks["performance_metrics.require_all_met"]) == "1 of 2 met"
    assert detail(checks["performance_metrics.require_all_met"]) == "not met: Latency"
    assert checks["performance_metrics.rules[Customer  Satisfaction]"].held


def test_warn_level_failures_do_not_fail_the_gate():
    text = (
        STRICT.replace("{min: 90}", "{min: 90, level: warn}")
        .replace("{max: 0}", "{max: 0, level: warn}")
        .replace("require_all_met: true", "require_all_met: true\n    level: warn")
        .replace("max: 1500}", "max: 1500, level: warn}")
    )
    verdict = evaluate(parse(load_fixture("failing.json")), policy(text))
    assert verdict.kind is VerdictKind.PASS
    assert len(verdict.warnings) == 4


def test_missing_data_fails_unless_warn():
    raw = load_fixture("passing.json")
    raw["failed_workflow_runs"] = None
    check = by_name(evaluate(parse(raw), policy()))["failed_workflow_runs"]
    assert check.outcome is Outcome.MISSING and check.blocking
    assert actual(check) == "not measured"
    assert "Expected Outcome metric is not attached" in detail(check)

    lenient = policy("version: 1\nthresholds:\n  failed_workflow_runs: {max: 0, level: warn}\n")
    verdict = evaluate(parse(raw), lenient)
    assert verdict.kind is VerdictKind.PASS
    assert verdict.warnings[0].name == "failed_workflow_runs"


def test_unreadable_performance_metrics_is_never_treated_as_met():
    raw = load_fixture("passing.json")
    raw["performance_metrics"] = "garbled{"
    verdict = evaluate(parse(raw), policy())
    checks = by_name(verdict)
    assert checks["performance_metrics.require_all_met"].outcome is Outcome.MISSING
    assert checks["performance_metrics.rules[latency]"].outcome is Outcome.MISSING
    assert verdict.kind is VerdictKind.FAIL
    # the default policy too: present-but-unreadable is not "no rubric"
    assert evaluate(parse(raw), model.DEFAULT_POLICY).kind is VerdictKind.FAIL


def test_rule_not_in_result_is_missing():
    verdict = evaluate(
        parse(load_fixture("passing.json")),
        policy(
            "version: 1\nthresholds:\n  performance_metrics:\n"
            "    rules: [{metric: Empathy, min: 3}]\n"
        ),
    )
    check = by_name(verdict)["performance_metrics.rules[Empathy]"]
    assert check.outcome is Outcome.MISSING
    assert detail(check) == "no rubric rule for metric 'Empathy' in the result"


def test_a_rubric_rule_is_named_as_a_metric_is():
    """`customer_satisfaction` names the rubric rule `Customer Satisfaction`, as it names the
    metric of that name: one rule for comparing names (it was missing before)."""
    verdict = evaluate(
        parse(load_fixture("passing.json")),
        policy(
            "version: 1\nthresholds:\n  performance_metrics:\n"
            "    rules: [{metric: customer_satisfaction, min: 4.4}]\n"
        ),
    )
    check = by_name(verdict)["performance_metrics.rules[customer_satisfaction]"]
    assert check.outcome is Outcome.PASS  # 4.4 is exactly on the bound
    assert actual(check) == "4.4"
    below = evaluate(
        parse(load_fixture("passing.json")),
        policy(
            "version: 1\nthresholds:\n  performance_metrics:\n"
            "    rules: [{metric: CUSTOMER__satisfaction, min: 4.5}]\n"
        ),
    )
    assert by_name(below)["performance_metrics.rules[CUSTOMER__satisfaction]"].outcome is (
        Outcome.FAIL
    )


def test_rule_met_flag_not_reported_counts_as_not_met():
    raw = {
        "status": "completed",
        "runs": {"1": {"success": True}},
        "performance_metrics": [{"metric_name": "Latency", "value": 900}],
    }
    check = by_name(evaluate(parse(raw), model.DEFAULT_POLICY))[
        "performance_metrics.require_all_met"
    ]
    assert check.outcome is Outcome.FAIL
    assert check.unmet == (("Latency", False),)
    assert detail(check) == "not met: Latency (not reported)"


def test_default_policy_requires_every_run_to_succeed():
    verdict = evaluate(parse(load_fixture("failing.json")), model.DEFAULT_POLICY)
    assert verdict.kind is VerdictKind.FAIL
    assert threshold(by_name(verdict)["success_rate"]) == "≥ 100%"


def test_default_policy_skips_the_rubric_when_the_result_has_none():
    raw = load_fixture("passing.json")
    raw["performance_metrics"] = None
    verdict = evaluate(parse(raw), model.DEFAULT_POLICY)
    assert verdict.kind is VerdictKind.PASS
    assert "performance_metrics.require_all_met" not in by_name(verdict)


def test_configured_require_all_met_with_no_rubric_is_missing():
    raw = load_fixture("passing.json")
    raw["performance_metrics"] = []
    check = by_name(evaluate(parse(raw), policy()))["performance_metrics.require_all_met"]
    assert check.outcome is Outcome.MISSING
    assert actual(check) == "no rubric rules"


def test_zero_runs_could_not_evaluate():
    verdict = evaluate(parse(load_fixture("zero_runs.json")), model.DEFAULT_POLICY)
    assert verdict.kind is VerdictKind.ERROR
    assert verdict.exit_code == 3
    assert "has 0 run(s) but at least 1 are required" in verdict_reason(verdict)


def test_min_runs_counts_runs():
    text = "version: 1\nthresholds:\n  min_runs: 5\n"
    verdict = evaluate(parse(load_fixture("passing.json")), policy(text))
    assert verdict.kind is VerdictKind.ERROR
    assert actual(verdict.checks[0]) == "3"


@pytest.mark.parametrize("status", ["failed", "timeout", "cancelled"])
def test_ended_without_completing_could_not_evaluate(status):
    raw = load_fixture("passing.json")
    raw["status"] = status
    verdict = evaluate(parse(raw), model.DEFAULT_POLICY)
    assert verdict.kind is VerdictKind.ERROR
    assert f"ended with status '{status}'" in verdict_reason(verdict)
    assert f"add '{status}' to evaluate_statuses" in verdict_reason(verdict)


def test_evaluate_statuses_opts_into_judging_a_failed_result():
    raw = load_fixture("infra_failed.json")
    verdict = evaluate(parse(raw), policy("version: 1\nevaluate_statuses: [completed, failed]\n"))
    assert verdict.kind is VerdictKind.PASS  # no thresholds configured beyond min_runs
    verdict = evaluate(
        parse(raw),
        policy("version: 1\nevaluate_statuses: [failed]\nthresholds:\n  success_rate: {min: 50}\n"),
    )
    assert verdict.kind is VerdictKind.FAIL


def test_unfinished_result_could_not_evaluate():
    verdict = evaluate(parse(load_fixture("running.json")), model.DEFAULT_POLICY)
    assert verdict.kind is VerdictKind.ERROR
    assert "status 'running', which is not final" in verdict_reason(verdict)


def test_no_runs_but_counts_still_evaluates_from_counts():
    raw = {"status": "completed", "total_runs_count": "10", "success_runs_count": "9"}
    verdict = evaluate(parse(raw), policy("version: 1\nthresholds:\n  success_rate: {min: 90}\n"))
    assert verdict.kind is VerdictKind.PASS
    assert actual(by_name(verdict)["success_rate"]) == "90%"


def test_levels_are_carried_on_checks():
    verdict = evaluate(
        parse(load_fixture("failing.json")),
        policy("version: 1\nthresholds:\n  failed_workflow_runs: {max: 0, level: warn}\n"),
    )
    assert by_name(verdict)["failed_workflow_runs"].level is Level.WARN
