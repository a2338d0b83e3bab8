"""Results and configs on the edge of every bound, with the exact verdict each must get.

The cases of tests/judge/test_boundaries.py (which runs them through the evaluation and the real
command), also read by the oracle of tests/property/test_fuzz.py and by the mutation script's corpus
(tests/mutation.py). Payloads are shaped as Cekura sends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Outcome, Verdict, VerdictKind
from gate.policy import config, model
from gate.result.model import Baseline
from gate.result.parsing import parse

PASS, FAIL, ERROR = VerdictKind.PASS, VerdictKind.FAIL, VerdictKind.ERROR
BASELINE_ID = 9001


def runs(succeeded: int, total: int, **fields: Any) -> list[dict]:
    """`total` completed runs (list-shaped), the first `succeeded` of them successful."""
    return [
        {
            "id": 100 + n,
            "scenario": {"id": 1, "name": "Book appointment"},
            "status": "completed",
            "success": n < succeeded,
        }
        | fields
        for n in range(total)
    ]


def latency_runs(*values: float) -> list[dict]:
    return [
        {
            "id": 100 + n,
            "status": "completed",
            "success": True,
            "evaluation": {"metrics": [{"name": "Latency", "eval_type": "numeric", "score": v}]},
        }
        for n, v in enumerate(values)
    ]


def adherence_runs(passed: int, total: int) -> list[dict]:
    """Runs that all succeeded, with a pass/fail metric passed on the first `passed`."""
    return [
        {
            "id": 100 + n,
            "status": "completed",
            "success": True,
            "evaluation": {
                "metrics": [{"name": "Adherence", "eval_type": "binary", "passed": n < passed}]
            },
        }
        for n in range(total)
    ]


def result(**fields: Any) -> dict:
    return {"id": 4102, "name": "PR run", "status": "completed"} | fields


def rubric(value: float) -> list[dict]:
    return [{"metric_name": "Latency", "value": value, "passed": True}]


@dataclass(frozen=True)
class Case:
    payload: dict
    config: str  # the thresholds, as YAML ("" for the default policy)
    kind: VerdictKind
    check: str = ""  # the check the case is about
    outcome: Outcome | None = None
    actual: str = ""
    baseline: dict | None = field(default=None)

    def policy(self) -> model.Policy:
        if not self.config:
            return model.DEFAULT_POLICY
        return config.parse(f"version: 1\n{self.config}", name="gate.yml")


def judged(case: Case) -> Verdict:
    found = None
    if case.baseline is not None:
        found = Baseline(how="the baseline", result=parse(case.baseline))
    return evaluate(parse(case.payload), case.policy(), baseline=found)


RATE = "thresholds:\n  success_rate: {min: %s}\n"
CONFIDENT = "thresholds:\n  success_rate: {min: %s, confidence: 0.95%s}\n"
RULE = "thresholds:\n  performance_metrics:\n    rules: [{metric: Latency, min: 1000, max: 1500}]\n"
METRIC = "thresholds:\n  metrics: [{metric: Latency, aggregation: %s, %s}]\n"
PASS_RATE = "thresholds:\n  metrics: [{metric: Adherence, aggregation: pass_rate, %s}]\n"
DROP = (
    f"baseline: {{result_id: {BASELINE_ID}}}\n"
    "thresholds:\n  regression:\n    success_rate: {max_drop: 5}\n"
)
RISE = (
    f"baseline: {{result_id: {BASELINE_ID}}}\n"
    "thresholds:\n  regression:\n    rules: [{metric: Latency, max_increase: %s, max_drop: %s}]\n"
)
ALL_PASSED = result(id=BASELINE_ID, runs=runs(100, 100))

CASES: dict[str, Case] = {
    # -- a rate one run below its threshold --------------------------------------------
    "199 of 200 under the default 100%": Case(
        result(runs=runs(199, 200)),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "99.5% (199 of 200 runs)",
    ),
    "200 of 200 under the default 100%": Case(
        result(runs=runs(200, 200)),
        "",
        PASS,
        "success_rate",
        Outcome.PASS,
        "100% (200 of 200 runs)",
    ),
    "9 of 10 against 91%": Case(
        result(runs=runs(9, 10)),
        RATE % 91,
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "90% (9 of 10 runs)",
    ),
    "9 of 10 against 90%": Case(
        result(runs=runs(9, 10)),
        RATE % 90,
        PASS,
        "success_rate",
        Outcome.PASS,
        "90% (9 of 10 runs)",
    ),
    "10 of 11 against 90.9%": Case(
        result(runs=runs(10, 11)),
        RATE % 90.9,
        PASS,
        "success_rate",
        Outcome.PASS,
        "90.91% (10 of 11 runs)",
    ),
    "10 of 11 against 10/11 as written in full": Case(
        result(runs=runs(10, 11)),
        RATE % repr(100 * 10 / 11),
        PASS,
        "success_rate",
        Outcome.PASS,
        "90.91% (10 of 11 runs)",
    ),
    "10 of 11 against 90.91%": Case(
        result(runs=runs(10, 11)),
        RATE % 90.91,
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "90.91% (10 of 11 runs)",
    ),
    # -- rubric rules: on the bound holds, just past it fails ---------------------------------
    "rubric value on the max": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(1500)),
        RULE,
        PASS,
        "performance_metrics.rules[Latency]",
        Outcome.PASS,
        "1500",
    ),
    "rubric value just above the max": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(1500.001)),
        RULE,
        FAIL,
        "performance_metrics.rules[Latency]",
        Outcome.FAIL,
        "1500",
    ),
    "rubric value on the min": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(1000)),
        RULE,
        PASS,
        "performance_metrics.rules[Latency]",
        Outcome.PASS,
        "1000",
    ),
    "rubric value just below the min": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(999.999)),
        RULE,
        FAIL,
        "performance_metrics.rules[Latency]",
        Outcome.FAIL,
        "1000",
    ),
    # -- metric aggregates ------------------------------------------------------------------
    "metric max on the bound": Case(
        result(runs=latency_runs(900, 1500)),
        METRIC % ("max", "max: 1500"),
        PASS,
        "metrics[Latency].max",
        Outcome.PASS,
        "1500 (2 runs)",
    ),
    "metric max just past the bound": Case(
        result(runs=latency_runs(900, 1500.01)),
        METRIC % ("max", "max: 1500"),
        FAIL,
        "metrics[Latency].max",
        Outcome.FAIL,
        "1500.01 (2 runs)",
    ),
    "metric min on the bound": Case(
        result(runs=latency_runs(100, 900)),
        METRIC % ("min", "min: 100"),
        PASS,
        "metrics[Latency].min",
        Outcome.PASS,
        "100 (2 runs)",
    ),
    "metric min just past the bound": Case(
        result(runs=latency_runs(99.99, 900)),
        METRIC % ("min", "min: 100"),
        FAIL,
        "metrics[Latency].min",
        Outcome.FAIL,
        "99.99 (2 runs)",
    ),
    "metric p90 on the bound": Case(
        # 810, 820, ..., 900: p90 interpolates to 891
        result(runs=latency_runs(*range(810, 901, 10))),
        METRIC % ("p90", "max: 891"),
        PASS,
        "metrics[Latency].p90",
        Outcome.PASS,
        "891 (10 runs)",
    ),
    "metric p90 just past the bound": Case(
        result(runs=latency_runs(*range(810, 901, 10))),
        METRIC % ("p90", "max: 890.99"),
        FAIL,
        "metrics[Latency].p90",
        Outcome.FAIL,
        "891 (10 runs)",
    ),
    # -- pass_rate with max and with confidence ---------------------------------------------
    "pass_rate on its max": Case(
        result(runs=adherence_runs(1, 10)),
        PASS_RATE % "max: 10",
        PASS,
        "metrics[Adherence].pass_rate",
        Outcome.PASS,
        "10% (1 of 10 runs)",
    ),
    "pass_rate one run past its max": Case(
        result(runs=adherence_runs(2, 10)),
        PASS_RATE % "max: 10",
        FAIL,
        "metrics[Adherence].pass_rate",
        Outcome.FAIL,
        "20% (2 of 10 runs)",
    ),
    "pass_rate under a max, proven": Case(
        result(runs=adherence_runs(0, 30)),
        PASS_RATE % "max: 50, confidence: 0.95",
        PASS,
        "metrics[Adherence].pass_rate",
        Outcome.PASS,
        "0% (0 of 30 runs); 95% CI 0–11.35%",
    ),
    "pass_rate wholly over a max": Case(
        result(runs=adherence_runs(30, 30)),
        PASS_RATE % "max: 50, confidence: 0.95",
        FAIL,
        "metrics[Adherence].pass_rate",
        Outcome.FAIL,
        "100% (30 of 30 runs); 95% CI 88.65–100%",
    ),
    "pass_rate on a max, inconclusive at error": Case(
        result(runs=adherence_runs(5, 10)),
        PASS_RATE % "max: 50, confidence: 0.95, inconclusive_level: error",
        FAIL,
        "metrics[Adherence].pass_rate",
        Outcome.INCONCLUSIVE,
        "50% (5 of 10 runs); 95% CI 23.66–76.34%",
    ),
    "pass_rate over a min, proven": Case(
        result(runs=adherence_runs(29, 30)),
        PASS_RATE % "min: 80, confidence: 0.95",
        PASS,
        "metrics[Adherence].pass_rate",
        Outcome.PASS,
        "96.67% (29 of 30 runs); 95% CI 83.33–99.41%",
    ),
    "pass_rate wholly under a min": Case(
        result(runs=adherence_runs(5, 10)),
        PASS_RATE % "min: 80, confidence: 0.95",
        FAIL,
        "metrics[Adherence].pass_rate",
        Outcome.FAIL,
        "50% (5 of 10 runs); 95% CI 23.66–76.34%",
    ),
    # -- confidence on few runs, and on counts alone -------------------------------------------
    "0 of 1 with confidence, wholly below": Case(
        result(runs=runs(0, 1)),
        CONFIDENT % (80, ""),
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0% (0 of 1 run); 95% CI 0–79.35%",
    ),
    "0 of 1 with confidence, inconclusive at error": Case(
        result(runs=runs(0, 1)),
        CONFIDENT % (50, ", inconclusive_level: error"),
        FAIL,
        "success_rate",
        Outcome.INCONCLUSIVE,
        "0% (0 of 1 run); 95% CI 0–79.35%",
    ),
    "0 of 1 with confidence, inconclusive at warn": Case(
        result(runs=runs(0, 1)),
        CONFIDENT % (50, ""),
        PASS,
        "success_rate",
        Outcome.INCONCLUSIVE,
        "0% (0 of 1 run); 95% CI 0–79.35%",
    ),
    "20 runs listed of 25 counted, with confidence, inconclusive at error": Case(
        result(runs=runs(20, 20), total_runs_count=25),
        CONFIDENT % (80, ", inconclusive_level: error"),
        FAIL,
        "success_rate",
        Outcome.INCONCLUSIVE,
        "80% (20 of 25 runs); 95% CI 60.87–91.14%",
    ),
    "counts only with confidence, proven": Case(
        result(total_runs_count=100, success_runs_count=99, success_rate=99),
        CONFIDENT % (80, ""),
        PASS,
        "success_rate",
        Outcome.PASS,
        "99% (99 of 100 runs); 95% CI 94.55–99.82%",
    ),
    "counts only with confidence, inconclusive at error": Case(
        result(total_runs_count="10", success_runs_count="9"),
        CONFIDENT % (80, ", inconclusive_level: error"),
        FAIL,
        "success_rate",
        Outcome.INCONCLUSIVE,
        "90% (9 of 10 runs); 95% CI 59.58–98.21%",
    ),
    "counts only with confidence, wholly below": Case(
        result(total_runs_count=10, success_runs_count=5),
        CONFIDENT % (80, ""),
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "50% (5 of 10 runs); 95% CI 23.66–76.34%",
    ),
    "a rate and a run count, no success count, inconclusive at error": Case(
        result(total_runs_count=10, success_rate=90),
        CONFIDENT % (80, ", inconclusive_level: error"),
        FAIL,
        "success_rate",
        Outcome.INCONCLUSIVE,
        "90% (9 of 10 runs); 95% CI 59.58–98.21%",
    ),
    # -- counts and rates that cannot be true -------------------------------------------------
    "success_rate 150": Case(
        result(total_runs_count=10, success_rate=150),
        "",
        FAIL,
        "success_rate",
        Outcome.MISSING,
        "not reported",
    ),
    "success_rate 150 and nothing else": Case(result(success_rate=150), "", ERROR, "min_runs"),
    "no success of 10 runs, success_rate 100": Case(
        result(total_runs_count=10, success_runs_count=0, success_rate=100),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0%",
    ),
    "no success of 10 runs, success_rate 1": Case(
        result(total_runs_count=10, success_runs_count=0, success_rate=1),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0%",
    ),
    "10 of 10, success_rate 1 read as a fraction": Case(
        result(total_runs_count=10, success_runs_count=10, success_rate=1),
        "",
        PASS,
        "success_rate",
        Outcome.PASS,
        "100%",
    ),
    "more successes than runs, with confidence": Case(
        result(total_runs_count=100, success_runs_count=150),
        CONFIDENT % (80, ""),
        FAIL,
        "success_rate",
        Outcome.MISSING,
        "not reported",
    ),
    # -- the success flag ---------------------------------------------------------------------
    'success "true" (a string) is read as true': Case(
        result(runs=runs(1, 1, success="true")),
        "",
        PASS,
        "success_rate",
        Outcome.PASS,
        "100% (1 of 1 runs)",
    ),
    'success "false" (a string) is read as false': Case(
        result(runs=runs(1, 1, success=" False ")),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0% (0 of 1 runs)",
    ),
    'success "yes" is not a success': Case(
        result(runs=runs(1, 1, success="yes")),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0% (0 of 1 runs)",
    ),
    "success 1 is not a success": Case(
        result(runs=runs(1, 1, success=1)),
        "",
        FAIL,
        "success_rate",
        Outcome.FAIL,
        "0% (0 of 1 runs)",
    ),
    # -- regressions: a drop exactly at max_drop holds, just past it fails ---------------------
    "a drop exactly at max_drop": Case(
        result(runs=runs(95, 100)),
        DROP,
        PASS,
        "baseline.success_rate",
        Outcome.PASS,
        "↓ 5 pp (100% → 95%)",
        ALL_PASSED,
    ),
    "a drop one run past max_drop": Case(
        result(runs=runs(94, 100)),
        DROP,
        FAIL,
        "baseline.success_rate",
        Outcome.FAIL,
        "↓ 6 pp (100% → 94%)",
        ALL_PASSED,
    ),
    "a rise exactly at max_increase, in inexact decimals": Case(
        # 1.3 - 1.1 is 0.2000000000000002 in floating point: still "at" the bound
        result(runs=runs(1, 1), performance_metrics=rubric(1.3)),
        RISE % (0.2, 0.2),
        PASS,
        "baseline.rules[Latency]",
        Outcome.PASS,
        "↑ 0.2 (1.1 → 1.3)",
        result(id=BASELINE_ID, runs=runs(1, 1), performance_metrics=rubric(1.1)),
    ),
    "a drop exactly at max_drop, in inexact decimals": Case(
        # 1.1 - 0.9 is 0.20000000000000007
        result(runs=runs(1, 1), performance_metrics=rubric(0.9)),
        RISE % (0.2, 0.2),
        PASS,
        "baseline.rules[Latency]",
        Outcome.PASS,
        "↓ 0.2 (1.1 → 0.9)",
        result(id=BASELINE_ID, runs=runs(1, 1), performance_metrics=rubric(1.1)),
    ),
    "a rise just past max_increase": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(1.31)),
        RISE % (0.2, 0.2),
        FAIL,
        "baseline.rules[Latency]",
        Outcome.FAIL,
        "↑ 0.21 (1.1 → 1.31)",
        result(id=BASELINE_ID, runs=runs(1, 1), performance_metrics=rubric(1.1)),
    ),
    "a success-rate regression that is not comparable": Case(
        result(runs=runs(10, 10)),
        DROP,
        FAIL,
        "baseline.success_rate",
        Outcome.MISSING,
        "not comparable",
        result(id=BASELINE_ID, total_runs_count=3),
    ),
    "a rubric regression that is not comparable": Case(
        result(runs=runs(1, 1), performance_metrics=rubric(1200)),
        RISE % (200, 200),
        FAIL,
        "baseline.rules[Latency]",
        Outcome.MISSING,
        "not comparable",
        result(id=BASELINE_ID, runs=runs(1, 1)),
    ),
}
