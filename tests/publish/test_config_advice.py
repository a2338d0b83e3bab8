"""Warnings about a valid config: confidence that the run count cannot decide, and rates
written as fractions. On the boundary: 15 runs cannot decide min 80 at 0.95, 16 can."""

from __future__ import annotations

import pytest

from gate.judge.stats import Decision, decide
from gate.policy import config
from gate.publish.words.config_advice import RunCount, config_advice


def _policy(thresholds: str):
    return config.parse(f"version: 1\nthresholds:\n{thresholds}", name="gate.yml")


RATE_80 = "  success_rate: {min: 80, confidence: 0.95}\n"


def test_the_boundary_is_where_the_judge_puts_it():
    # the warning's arithmetic is the judge's own: 15 of 15 is inconclusive, 16 of 16 passes
    assert decide(15, 15, 0.95, minimum=0.8, maximum=None)[0] is Decision.INCONCLUSIVE
    assert decide(16, 16, 0.95, minimum=0.8, maximum=None)[0] is Decision.PASS


def test_fifteen_runs_cannot_decide_min_80_at_95_percent():
    [advice] = config_advice(_policy(RATE_80), RunCount(15, None, "min_runs: 15"))
    assert advice.path == ("thresholds", "success_rate", "confidence")
    assert advice.text.startswith(
        "min 80 at confidence 0.95 needs at least 16 runs to be decided, even with every run "
        "succeeding; the result will have 15 (min_runs: 15)"
    )


def test_sixteen_runs_can():
    assert config_advice(_policy(RATE_80), RunCount(16, None, "min_runs: 16")) == []


def test_without_a_run_count_there_is_nothing_to_compare():
    assert config_advice(_policy(RATE_80), None) == []


def test_per_scenario_checks_use_the_runs_of_one_scenario():
    policy = _policy("  scenarios:\n    - {id: 4, min_success_rate: 80, confidence: 0.95}\n")
    [advice] = config_advice(policy, RunCount(40, 15, "4 scenarios × frequency 15"))
    assert advice.path == ("thresholds", "scenarios", 0, "confidence")
    assert "the result will have 15 (15 per scenario (4 scenarios × frequency 15))" in advice.text
    assert config_advice(policy, RunCount(64, 16, "4 scenarios × frequency 16")) == []
    assert config_advice(policy, RunCount(64, None, "min_runs: 64")) == []  # per scenario unknown


def test_a_pass_rate_metric_with_confidence():
    policy = _policy(
        "  metrics:\n    - {metric: Adherence, aggregation: pass_rate, min: 80, confidence: 0.95}\n"
    )
    [advice] = config_advice(policy, RunCount(15, None, "min_runs: 15"))
    assert advice.path == ("thresholds", "metrics", 0, "confidence")
    assert config_advice(policy, RunCount(16, None, "min_runs: 16")) == []


@pytest.mark.parametrize(
    ("thresholds", "path"),
    [
        ("  success_rate: {min: 0.9}\n", ("thresholds", "success_rate", "min")),
        ("  success_rate: {min: 1}\n", ("thresholds", "success_rate", "min")),
        (
            "  scenarios:\n    - {name: A, min_success_rate: 0.95}\n",
            ("thresholds", "scenarios", 0, "min_success_rate"),
        ),
        (
            "  metrics:\n    - {metric: M, aggregation: pass_rate, max: 0.2}\n",
            ("thresholds", "metrics", 0, "max"),
        ),
    ],
)
def test_a_rate_that_looks_like_a_fraction(thresholds, path):
    [advice] = config_advice(_policy(thresholds), None)
    assert advice.path == path
    assert "looks like a fraction, but rates in the config are percent (0-100)" in advice.text


@pytest.mark.parametrize(
    "thresholds",
    [
        "  success_rate: {min: 90}\n",
        "  success_rate: {min: 0}\n",
        "  success_rate: {min: 1.5}\n",
        "  metrics:\n    - {metric: Latency, aggregation: p90, max: 0.5}\n",  # not a rate
    ],
)
def test_no_fraction_warning(thresholds):
    assert config_advice(_policy(thresholds), None) == []


def test_the_fraction_warning_says_what_to_write():
    [advice] = config_advice(_policy("  success_rate: {min: 0.9}\n"), None)
    assert advice.text == (
        "0.9 looks like a fraction, but rates in the config are percent (0-100): this means "
        "0.9%. For 90%, write 90."
    )


def test_a_scenario_bounded_by_min_passes_alone_is_no_fraction():
    policy = _policy(
        "  scenarios:\n"
        "    - {name: Book, min_passes: 1}\n"
        "    - {name: Cancel, min_success_rate: 1}\n"
    )
    [advice] = config_advice(policy, RunCount(5, 5, "frequency 5"))
    assert advice.path == ("thresholds", "scenarios", 1, "min_success_rate")
