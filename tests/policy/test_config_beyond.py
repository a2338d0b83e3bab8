"""Config keys beyond pass-rate: baseline, regression, scenarios, metrics, confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import ConfigError
from gate.judge.verdict import Level
from gate.policy import config, model
from gate.policy.summary import checks_in_words

ROOT = Path(__file__).resolve().parents[2]
NEW_EXAMPLES = ("regression.yml", "critical-scenarios.yml", "metrics.yml")


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(text, name="gate.yml")
    return caught.value.problems


FULL = """\
version: 1
baseline:
  latest_completed: true
  agent_id: 12
  name_pattern: "Nightly*"
  max_results: 100
  when_missing: warn
thresholds:
  success_rate: {min: 90, confidence: 0.95, inconclusive_level: error}
  regression:
    success_rate: {max_drop: 5}
    rules: [{metric: Latency, max_increase: 200}]
    metrics: [{metric: Latency, aggregation: p90, max_increase: 300, level: warn}]
  scenarios:
    - {name: Emergency triage, min_success_rate: 100}
    - {id: 11541, min_success_rate: 90, level: warn, confidence: 0.9}
  metrics:
    - {metric: Latency, aggregation: p90, max: 1800}
    - {metric: Workflow Adherence, aggregation: pass_rate, min: 95}
    - {metric: expected_outcome, aggregation: mean, min: 90}
"""


def test_every_new_key_reaches_the_policy():
    policy = config.parse(FULL, name="gate.yml")
    assert policy.baseline == model.BaselinePolicy(
        latest_completed=True,
        agent_id="12",
        name_pattern="Nightly*",
        max_results=100,
        when_missing=Level.WARN,
    )
    assert policy.success_rate == model.MinCheck(
        min=90, confidence=0.95, inconclusive_level=Level.ERROR
    )
    assert policy.regression.success_rate == model.ChangeBound(metric="success_rate", max_drop=5)
    assert policy.regression.rules == (model.ChangeBound(metric="Latency", max_increase=200),)
    assert policy.regression.metrics == (
        model.ChangeBound(metric="Latency", aggregation="p90", max_increase=300, level=Level.WARN),
    )
    assert policy.scenarios == (
        model.ScenarioBound(min_success_rate=100, name="Emergency triage"),
        model.ScenarioBound(
            min_success_rate=90, scenario_id=11541, level=Level.WARN, confidence=0.9
        ),
    )
    assert policy.metrics[1] == model.MetricBound(
        metric="Workflow Adherence", aggregation="pass_rate", min=95
    )


def test_defaults():
    policy = config.parse("version: 1\nbaseline: {result_id: 7}\n", name="gate.yml")
    assert policy.baseline == model.BaselinePolicy(result_id="7")
    assert policy.baseline.when_missing is Level.ERROR  # never silently passed
    assert not policy.regression
    assert model.DEFAULT_POLICY.baseline is None


def test_schema_errors_word_for_word():
    text = """\
version: 1
baseline:
  latest_complete: true
thresholds:
  success_rate: {min: 90, confidence: 1.5}
  scenarios:
    - {name: Triage, min_success_rate: 100, levle: warn}
  metrics:
    - {metric: Latency, aggregation: p99, max: 1}
    - {metric: Latency, aggregation: mean}
  regression:
    rules: [{metric: Latency}]
"""
    assert problems(text) == [
        "gate.yml:3: baseline.latest_complete: unknown key; did you mean 'latest_completed'?",
        "gate.yml:5: thresholds.success_rate.confidence: expected a number from 0.5 to 0.999, "
        "got 1.5",
        "gate.yml:7: thresholds.scenarios[0].levle: unknown key; did you mean 'level'?",
        "gate.yml:9: thresholds.metrics[0].aggregation: expected one of mean, min, max, p50, "
        "p90, p95, pass_rate, got 'p99'",
        "gate.yml:10: thresholds.metrics[1]: a rule needs min, max or both, got neither",
        "gate.yml:12: thresholds.regression.rules[0]: a rule needs max_increase, max_drop or "
        "both, got neither",
    ]


def test_cross_checks_word_for_word():
    text = """\
version: 1
baseline:
  result_id: 5
  latest_completed: true
  name_pattern: x
thresholds:
  success_rate: {min: 100, confidence: 0.95}
  scenarios:
    - {name: a, id: 3, min_success_rate: 100}
  metrics:
    - {metric: W, aggregation: pass_rate, min: 950}
    - {metric: L, aggregation: mean, min: 1, confidence: 0.9}
"""
    assert problems(text) == [
        "gate.yml:2: baseline: set exactly one of result_id, result_file or "
        "latest_completed: true (got result_id, latest_completed)",
        "gate.yml:7: thresholds.success_rate.confidence: with confidence, a minimum of 100% "
        "can never pass (no number of runs proves 100%); lower the minimum (e.g. 95) or drop "
        "confidence",
        "gate.yml:9: thresholds.scenarios[0]: name the scenario by exactly one of name or id",
        "gate.yml:11: thresholds.metrics[0].min: a pass_rate is a percentage: expected 0 to "
        "100, got 950",
        "gate.yml:12: thresholds.metrics[1].confidence: confidence applies to a rate: use it "
        "with aggregation: pass_rate",
    ]
    assert problems("version: 1\nbaseline: {result_id: 5, name_pattern: x}\n") == [
        "gate.yml:2: baseline.name_pattern: applies only with latest_completed: true"
    ]
    assert problems(
        "version: 1\nthresholds:\n  regression:\n    success_rate: {max_drop: 5}\n"
    ) == [
        "gate.yml:3: thresholds.regression: regression checks compare with a baseline: add a "
        "baseline section (result_id, result_file or latest_completed: true)"
    ]
    assert problems(
        "version: 1\nthresholds:\n  success_rate: {min: 9, inconclusive_level: warn}\n"
    ) == [
        "gate.yml:3: thresholds.success_rate.inconclusive_level: applies only together with "
        "confidence"
    ]


def test_validate_summarises_the_new_checks():
    summary = ", ".join(checks_in_words(config.parse(FULL, name="gate.yml")))
    assert "success rate ≥ 90% at 0.95 confidence (Wilson interval)" in summary
    assert "scenario 'Emergency triage' success rate ≥ 100%" in summary
    assert "scenario id 11541 success rate ≥ 90% at 0.9 confidence" in summary
    assert "metric 'Latency' p90 ≤ 1800" in summary
    assert "metric 'Workflow Adherence' pass_rate ≥ 95%" in summary
    assert (
        "a baseline: the latest completed result of agent 12 named like 'Nightly*' "
        "(when missing: warn)" in summary
    )
    assert "success rate drop ≤ 5 pp vs the baseline" in summary
    assert "'Latency p90' rise ≤ 300 vs the baseline" in summary


@pytest.mark.parametrize("name", NEW_EXAMPLES)
def test_new_examples_are_valid(name):
    policy = config.load(ROOT / "examples" / name)
    assert policy.source.endswith(name)
