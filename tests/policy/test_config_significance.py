"""The config of significance, per-scenario regression, coverage and baseline age: the model,
the errors and what `validate` says the gate will check."""

from __future__ import annotations

import pytest

from gate.errors import ConfigError
from gate.policy import config
from gate.policy.level import Level
from gate.policy.model import CoveragePolicy, ScenarioChangeBound
from gate.policy.summary import checks_in_words

FULL = """\
version: 1
baseline: {result_id: 3, max_age: 36h, when_older: error}
thresholds:
  regression:
    success_rate: {max_drop: 5, significance: 0.05}
    scenarios:
      - {name: Emergency triage, significance: 0.01}
      - {id: 11541, max_drop: 20, level: warn}
    metrics:
      - {metric: Latency, aggregation: p90, max_increase: 300, significance: 0.05}
  coverage: {missing_scenarios: warn, max_run_drop: 20}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(text, name="gate.yml")
    return caught.value.problems


def test_the_model():
    policy = config.parse(FULL, name="gate.yml")
    regression = policy.regression
    assert regression.success_rate.significance == 0.05
    assert regression.scenarios == (
        ScenarioChangeBound(name="Emergency triage", significance=0.01),
        ScenarioChangeBound(scenario_id=11541, max_drop=20, level=Level.WARN),
    )
    assert regression.metrics[0].significance == 0.05
    assert policy.coverage == CoveragePolicy(Level.WARN, 20, Level.ERROR)
    assert (policy.baseline.max_age_hours, policy.baseline.when_older) == (36, Level.ERROR)


def test_validate_says_what_will_be_checked():
    words = checks_in_words(config.parse(FULL, name="gate.yml"))
    assert "a baseline at most 36h old (when older: error)" in words
    assert (
        "success rate drop ≤ 5 pp vs the baseline, when significant (p ≤ 0.05); "
        "infrastructure failures left out on both sides"
    ) in words
    assert (
        "scenario 'Emergency triage' success rate any drop vs the baseline, "
        "when significant (p ≤ 0.01)"
    ) in words
    assert "scenario id 11541 success rate drop ≤ 20 pp vs the baseline" in words
    assert "'Latency p90' rise ≤ 300 vs the baseline, when significant (p ≤ 0.05)" in words
    assert "every scenario of the baseline still runs (when not: warn)" in words
    assert "run count drop ≤ 20% vs the baseline" in words


def test_a_rate_bound_needs_max_drop_or_significance():
    text = "version: 1\nbaseline: {result_id: 3}\nthresholds:\n  regression:\n"
    assert problems(text + "    success_rate: {level: warn}\n") == [
        "gate.yml:5: thresholds.regression.success_rate: needs max_drop or significance "
        "(or both), got neither"
    ]
    assert problems(text + "    scenarios: [{name: A}]\n") == [
        "gate.yml:5: thresholds.regression.scenarios[0]: needs max_drop or significance "
        "(or both), got neither"
    ]


def test_a_scenario_is_named_by_exactly_one_of_name_or_id():
    text = "version: 1\nbaseline: {result_id: 3}\nthresholds:\n  regression:\n"
    assert problems(text + "    scenarios: [{name: A, id: 4, max_drop: 5}]\n") == [
        "gate.yml:5: thresholds.regression.scenarios[0]: name the scenario by exactly one of "
        "name or id"
    ]


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("0.6", "0.6"), ("'often'", "'often'")])
def test_significance_is_a_level_from_0_0001_to_0_5(value, shown):
    text = (
        "version: 1\nbaseline: {result_id: 3}\nthresholds:\n  regression:\n"
        f"    success_rate: {{significance: {value}}}\n"
    )
    assert problems(text) == [
        "gate.yml:5: thresholds.regression.success_rate.significance: expected a number from "
        f"0.0001 to 0.5, got {shown}"
    ]


def test_a_rubric_rule_has_no_significance():
    text = (
        "version: 1\nbaseline: {result_id: 3}\nthresholds:\n  regression:\n"
        "    rules: [{metric: Latency, max_increase: 5, significance: 0.05}]\n"
    )
    assert "significance: unknown key" in problems(text)[0]


def test_when_older_needs_max_age():
    assert problems("version: 1\nbaseline: {result_id: 3, when_older: error}\n") == [
        "gate.yml:2: baseline.when_older: applies only together with max_age"
    ]
