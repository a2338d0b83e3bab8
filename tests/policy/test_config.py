from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import ConfigError
from gate.judge.verdict import Level
from gate.policy import config, model, validation


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(text, name="gate.yml")
    return caught.value.problems


def test_contract_example_loads():
    policy = config.parse(
        """\
version: 1
thresholds:
  min_runs: 1
  success_rate:
    min: 90
  failed_workflow_runs:
    max: 0
    level: warn
  performance_metrics:
    require_all_met: true
    rules:
      - metric: Latency
        max: 1500
      - metric: Customer Satisfaction
        min: 4
""",
        name="gate.yml",
    )
    assert policy.min_runs == 1
    assert policy.success_rate == model.MinCheck(min=90, level=Level.ERROR)
    assert policy.failed_workflow_runs == model.MaxCheck(max=0, level=Level.WARN)
    assert policy.performance_metrics.require_all_met is True
    assert policy.performance_metrics.rules == (
        model.RuleBound(metric="Latency", max=1500),
        model.RuleBound(metric="Customer Satisfaction", min=4),
    )
    assert policy.evaluate_statuses == frozenset({"completed"})


def test_error_messages_word_for_word():
    text = """\
version: 1
thresholds:
  min_runs: 0
  success_rate:
    min: 'ninety'
    levle: warn
  failed_workflow_runs:
    max: -1
  performance_metrics:
    require_all_met: yes please
    rules:
      - metric: Latency
      - metric: CSAT
        min: 4
        level: fatal
"""
    assert problems(text) == [
        "gate.yml:3: thresholds.min_runs: expected a whole number of at least 1, got 0",
        "gate.yml:5: thresholds.success_rate.min: expected a number from 0 to 100, got 'ninety'",
        "gate.yml:6: thresholds.success_rate.levle: unknown key; did you mean 'level'?",
        "gate.yml:8: thresholds.failed_workflow_runs.max: expected a whole number of at least 0, "
        "got -1",
        "gate.yml:10: thresholds.performance_metrics.require_all_met: expected true or false, "
        "got 'yes please'",
        "gate.yml:12: thresholds.performance_metrics.rules[0]: a rule needs min, max or both, "
        "got neither",
        "gate.yml:15: thresholds.performance_metrics.rules[1].level: expected one of error, warn, "
        "got 'fatal'",
    ]


def test_unknown_top_level_key_suggests_the_nearest():
    assert problems("version: 1\nthreshold:\n  min_runs: 2\n") == [
        "gate.yml:2: threshold: unknown key; did you mean 'thresholds'?"
    ]


def test_unknown_key_without_a_near_match_lists_the_known_keys():
    assert problems("version: 1\nthresholds:\n  banana: 1\n") == [
        "gate.yml:3: thresholds.banana: unknown key; known keys: coverage, "
        "failed_infrastructure_runs, failed_workflow_runs, flaky, infrastructure, metrics, "
        "min_runs, performance_metrics, regression, scenarios, success_rate"
    ]


def test_missing_and_wrong_version():
    assert problems("thresholds: {}\n") == [
        "gate.yml:1: (top level): missing required key 'version'"
    ]
    assert problems("version: 2\n") == [
        "gate.yml:1: version: expected 1 (the only config version), got 2"
    ]


def test_success_rate_over_100_is_refused():
    assert problems("version: 1\nthresholds:\n  success_rate:\n    min: 150\n") == [
        "gate.yml:4: thresholds.success_rate.min: expected a number from 0 to 100, got 150"
    ]


def test_broken_yaml_reports_line_and_column():
    with pytest.raises(ConfigError) as caught:
        config.parse("version: 1\nthresholds:\n  success_rate: [90\n", name="gate.yml")
    assert caught.value.message.startswith("gate.yml:4:1: not valid YAML:")


def test_empty_file_and_duplicate_keys():
    with pytest.raises(
        ConfigError, match=r"gate.yml: the file is empty\. Start it with 'version: 1'\."
    ):
        config.parse("", name="gate.yml")
    with pytest.raises(ConfigError) as caught:
        config.parse("version: 1\nthresholds:\n  min_runs: 1\n  min_runs: 2\n", name="gate.yml")
    assert caught.value.message == (
        "gate.yml:4: key 'min_runs' appears twice in the same section; keep one of them."
    )


def test_top_level_must_be_a_mapping():
    assert problems("- version: 1\n") == [
        "gate.yml:1: (top level): expected a mapping of keys, got a list"
    ]


def test_evaluate_statuses_opt_in():
    policy = config.parse("version: 1\nevaluate_statuses: [completed, timeout]\n", name="g.yml")
    assert policy.evaluate_statuses == frozenset({"completed", "timeout"})
    assert problems("version: 1\nevaluate_statuses: [done]\n") == [
        "gate.yml:2: evaluate_statuses[0]: expected one of completed, failed, timeout, "
        "cancelled, got 'done'"
    ]


def test_missing_file_names_the_path_and_the_fix(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path / "nope.yml")
    assert "nope.yml does not exist" in caught.value.message
    assert "default policy" in caught.value.message


def test_no_path_is_the_default_policy():
    policy = config.load(None)
    assert policy.success_rate == model.MinCheck(min=100)
    assert policy.min_runs == 1
    assert policy.performance_metrics.require_all_met
    assert policy.performance_metrics.only_if_present


def test_schema_ships_inside_the_package():
    schema = validation.schema()
    assert schema["properties"]["version"]["const"] == 1
    assert "thresholds" in schema["properties"]
