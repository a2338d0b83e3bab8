"""Evaluation beyond pass-rate: confidence, critical scenarios, metric aggregates, baselines."""

from __future__ import annotations

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.reasons import Reason
from gate.judge.verdict import Level, Outcome, VerdictKind
from gate.policy import config, model
from gate.publish.words import display
from gate.publish.words.wording import actual, detail, threshold
from gate.result.model import Baseline
from gate.result.parsing import parse


def policy(text: str) -> model.Policy:
    return config.parse("version: 1\n" + text, name="gate.yml")


def by_name(verdict):
    return {c.name: c for c in verdict.checks}


def payload(
    outcomes: list[tuple[int, str, bool]],
    *,
    rid: int = 2,
    latency: float = 800,
    created_at: str = "2026-07-14T12:00:00Z",
) -> dict:
    """Runs from (scenario id, scenario name, success)."""
    runs = {}
    for n, (sid, name, ok) in enumerate(outcomes, start=1):
        runs[str(n)] = {
            "id": n,
            "scenario": {"id": sid, "name": name},
            "status": "completed",
            "success": ok,
            "expected_outcome": {"score": 100 if ok else 0, "explanation": ["x"]},
            "evaluation": {
                "metrics": [
                    {"name": "Latency", "eval_type": "numeric", "score": latency + 10 * n},
                    {"name": "Workflow Adherence", "eval_type": "binary", "passed": ok},
                ]
            },
        }
    return {
        "id": rid,
        "name": f"run {rid}",
        "agent": 7,
        "status": "completed",
        "created_at": created_at,
        "runs": runs,
        "performance_metrics": [{"metric_name": "Latency", "value": latency, "passed": True}],
    }


NINE_OF_TEN = [(1, "Book", True)] * 9 + [(2, "Emergency triage", False)]


# -- confidence ----------------------------------------------------------------------------


def test_nine_of_ten_is_inconclusive_at_95_percent_confidence():
    verdict = evaluate(
        parse(payload(NINE_OF_TEN)),
        policy("thresholds:\n  success_rate: {min: 80, confidence: 0.95}\n"),
    )
    check = by_name(verdict)["success_rate"]
    assert check.outcome is Outcome.INCONCLUSIVE
    assert check.level is Level.WARN  # inconclusive_level defaults to warn
    assert threshold(check) == "≥ 80% at 95% confidence"
    assert actual(check) == "90% (9 of 10 runs); 95% CI 59.58–98.21%"
    assert (check.reason, check.runs_needed) == (Reason.TOO_FEW_RUNS, 62)
    assert "about 62 runs at this rate would decide it (this result has 10)" in detail(check)
    assert verdict.kind is VerdictKind.PASS and verdict.warnings == (check,)


def test_inconclusive_level_error_blocks():
    verdict = evaluate(
        parse(payload(NINE_OF_TEN)),
        policy(
            "thresholds:\n  success_rate: {min: 80, confidence: 0.95, inconclusive_level: error}\n"
        ),
    )
    assert verdict.kind is VerdictKind.FAIL
    assert [c.name for c in verdict.failed_checks] == ["success_rate"]


def test_confidence_passes_and_fails_decisively():
    many = [(1, "Book", True)] * 29 + [(1, "Book", False)]
    passed = by_name(
        evaluate(
            parse(payload(many)),
            policy("thresholds:\n  success_rate: {min: 80, confidence: 0.95}\n"),
        )
    )["success_rate"]
    assert passed.outcome is Outcome.PASS
    assert actual(passed) == "96.67% (29 of 30 runs); 95% CI 83.33–99.41%"
    half = [(1, "Book", True)] * 5 + [(1, "Book", False)] * 5
    failed = by_name(
        evaluate(
            parse(payload(half)),
            policy("thresholds:\n  success_rate: {min: 80, confidence: 0.95}\n"),
        )
    )["success_rate"]
    assert failed.outcome is Outcome.FAIL and failed.blocking
    assert detail(failed).startswith("the whole interval lies below the minimum")


# -- critical scenarios --------------------------------------------------------------------


def test_critical_scenario_by_name_and_id_with_levels():
    verdict = evaluate(
        parse(payload(NINE_OF_TEN)),
        policy(
            "thresholds:\n"
            "  scenarios:\n"
            "    - {name: emergency  TRIAGE, min_success_rate: 100}\n"
            "    - {id: 1, min_success_rate: 90, level: warn}\n"
            "    - {id: 99, min_success_rate: 50, level: warn}\n"
        ),
    )
    checks = by_name(verdict)
    triage = checks["scenarios[emergency  TRIAGE]"]
    assert (triage.title, actual(triage), triage.outcome) == (
        "Scenario: Emergency triage",
        "0% (0 of 1 run)",
        Outcome.FAIL,
    )
    assert actual(checks["scenarios[1]"]) == "100% (9 of 9 runs)"
    assert checks["scenarios[1]"].held
    assert checks["scenarios[99]"].outcome is Outcome.MISSING
    assert verdict.kind is VerdictKind.FAIL
    # the report's scenario list: worst first, with the check on each
    assert [(r.name, r.runs, r.passed, r.outcome) for r in verdict.scenarios] == [
        ("Emergency triage", 1, 0, Outcome.FAIL),
        ("Book", 9, 9, Outcome.PASS),
    ]


# -- metric aggregates ---------------------------------------------------------------------


def test_metric_aggregates():
    verdict = evaluate(
        parse(payload(NINE_OF_TEN)),
        policy(
            "thresholds:\n"
            "  metrics:\n"
            "    - {metric: Latency, aggregation: p90, max: 900}\n"
            "    - {metric: latency, aggregation: mean, min: 800, max: 900}\n"
            "    - {metric: Workflow Adherence, aggregation: pass_rate, min: 95}\n"
            "    - {metric: expected_outcome, aggregation: mean, min: 90}\n"
            "    - {metric: Empathy, aggregation: mean, min: 3, level: warn}\n"
        ),
    )
    checks = by_name(verdict)
    # latencies 810..900: p90 = 891 (linear interpolation), mean = 855
    assert actual(checks["metrics[Latency].p90"]) == "891 (10 runs)"
    assert checks["metrics[Latency].p90"].held
    assert actual(checks["metrics[latency].mean"]) == "855 (10 runs)"
    rate = checks["metrics[Workflow Adherence].pass_rate"]
    assert (actual(rate), threshold(rate), rate.outcome) == (
        "90% (9 of 10 runs)",
        "≥ 95%",
        Outcome.FAIL,
    )
    outcome = checks["metrics[expected_outcome].mean"]
    assert (outcome.title, actual(outcome), outcome.outcome) == (
        "Expected outcome: mean",
        "90 (10 runs)",
        Outcome.PASS,
    )
    empathy = checks["metrics[Empathy].mean"]
    assert empathy.outcome is Outcome.MISSING and not empathy.blocking


def test_pass_rate_with_confidence():
    check = by_name(
        evaluate(
            parse(payload(NINE_OF_TEN)),
            policy(
                "thresholds:\n  metrics:\n"
                "    - {metric: Workflow Adherence, aggregation: pass_rate, min: 80,\n"
                "       confidence: 0.95}\n"
            ),
        )
    )["metrics[Workflow Adherence].pass_rate"]
    assert check.outcome is Outcome.INCONCLUSIVE
    assert actual(check) == "90% (9 of 10 runs); 95% CI 59.58–98.21%"


# -- baseline ------------------------------------------------------------------------------

REGRESSION = """\
baseline: {latest_completed: true, when_missing: warn}
thresholds:
  success_rate: {min: 50}
  scenarios:
    - {name: Emergency triage, min_success_rate: 0}
  metrics:
    - {metric: Latency, aggregation: p50, max: 5000}
  performance_metrics:
    rules: [{metric: Latency, max: 5000}]
  regression:
    success_rate: {max_drop: 5}
    rules: [{metric: Latency, max_increase: 200}]
    metrics: [{metric: Latency, aggregation: p50, max_increase: 100, max_drop: 1000}]
"""


def test_regression_against_a_baseline():
    before = parse(payload([(1, "Book", True)] * 9 + [(2, "Emergency triage", True)], rid=1))
    now = parse(payload(NINE_OF_TEN, latency=1100))
    verdict = evaluate(now, policy(REGRESSION), baseline=Baseline(how="test", result=before))
    checks = by_name(verdict)
    assert actual(checks["baseline"]) == "result 1 (run 1, 2026-07-14)"
    drop = checks["baseline.success_rate"]
    assert (threshold(drop), actual(drop), drop.outcome) == (
        "drop ≤ 5 pp",
        "↓ 10 pp (100% → 90%)",
        Outcome.FAIL,
    )
    assert detail(drop) == "fell 10 pp, more than the 5 pp allowed"
    rule = checks["baseline.rules[Latency]"]
    assert (actual(rule), rule.outcome) == ("↑ 300 (800 → 1100)", Outcome.FAIL)
    p50 = checks["baseline.metrics[Latency].p50"]
    assert (threshold(p50), actual(p50)) == ("drop ≤ 1000 and rise ≤ 100", "↑ 300 (855 → 1155)")
    # every other check carries its delta
    rate = checks["success_rate"]
    assert (display.was(rate), display.delta(rate)) == ("100%", "↓ 10 pp")
    assert display.delta(checks["scenarios[Emergency triage]"]) == "↓ 100 pp"
    assert display.delta(checks["metrics[Latency].p50"]) == "↑ 300"
    assert display.delta(checks["performance_metrics.rules[Latency]"]) == "↑ 300"
    assert verdict.baseline.found and verdict.baseline.id == "1"
    assert verdict.scenarios[0].baseline_rate == 100.0
    assert [c.name for c in verdict.failed_checks] == [
        "baseline.success_rate",
        "baseline.rules[Latency]",
        "baseline.metrics[Latency].p50",
    ]


def test_no_change_passes():
    before = parse(payload(NINE_OF_TEN, rid=1))
    now = parse(payload(NINE_OF_TEN))
    verdict = evaluate(now, policy(REGRESSION), baseline=Baseline(how="test", result=before))
    assert verdict.kind is VerdictKind.PASS
    assert display.delta(by_name(verdict)["success_rate"]) == "→ no change"


@pytest.mark.parametrize(
    ("level", "kind"), [("warn", VerdictKind.PASS), ("error", VerdictKind.FAIL)]
)
def test_missing_baseline_follows_when_missing(level, kind):
    text = REGRESSION.replace("when_missing: warn", f"when_missing: {level}")
    verdict = evaluate(
        parse(payload(NINE_OF_TEN)),
        policy(text),
        baseline=Baseline(how="the latest completed result of agent 7", reason="none matches"),
    )
    check = by_name(verdict)["baseline"]
    assert (actual(check), check.outcome, check.level) == (
        "not found",
        Outcome.MISSING,
        Level(level),
    )
    assert detail(check) == (
        "the latest completed result of agent 7: none matches; the regression checks were skipped"
    )
    assert not any(c.name.startswith("baseline.") for c in verdict.checks)
    assert verdict.kind is kind
    assert verdict.baseline is not None and not verdict.baseline.found


def test_baseline_not_looked_up_is_missing_not_passed():
    verdict = evaluate(parse(payload(NINE_OF_TEN)), policy(REGRESSION))
    assert by_name(verdict)["baseline"].outcome is Outcome.MISSING
