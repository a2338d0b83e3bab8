"""Config errors from jsonschema-rs (gate/policy/schema_errors.py): the order and wording they had.

The expected lists are what the gate printed when it validated with jsonschema and then with
its own validator: several problems on one line (a flow mapping) come in the order of the
schema document, and the messages shown as they are keep jsonschema's words.
"""

from __future__ import annotations

import pytest

from gate.errors import ConfigError
from gate.policy import config, validation


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(text, name="gate.yml")
    return caught.value.problems


def test_problems_on_one_line_come_in_schema_order():
    assert problems(
        "version: 1\nthresholds:\n  success_rate: {min: 90, confidence: 1.5, levle: x, level: y}\n"
    ) == [
        "gate.yml:3: thresholds.success_rate.levle: unknown key; did you mean 'level'?",
        "gate.yml:3: thresholds.success_rate.level: expected one of error, warn, got 'y'",
        "gate.yml:3: thresholds.success_rate.confidence: expected a number from 0.5 to 0.999, "
        "got 1.5",
    ]
    assert problems(
        "version: 1\nthresholds: {performance_metrics: {rules: "
        "[{min: 1, max: 'a', metric: 3, levle: 3, foo: 2}]}}\n"
    ) == [
        "gate.yml:2: thresholds.performance_metrics.rules[0].foo: unknown key; known keys: "
        "level, max, metric, min",
        "gate.yml:2: thresholds.performance_metrics.rules[0].levle: unknown key; did you mean "
        "'level'?",
        "gate.yml:2: thresholds.performance_metrics.rules[0].metric: expected a non-empty text, "
        "got 3",
        "gate.yml:2: thresholds.performance_metrics.rules[0].max: expected a number, got 'a'",
    ]
    assert problems("version: 1\nthresholds:\n  metrics: [{metric: 1, aggregation: 2}]\n") == [
        "gate.yml:3: thresholds.metrics[0]: a rule needs min, max or both, got neither",
        "gate.yml:3: thresholds.metrics[0].metric: expected a non-empty text, got 1",
        "gate.yml:3: thresholds.metrics[0].aggregation: expected one of mean, min, max, p50, "
        "p90, p95, pass_rate, got 2",
    ]


def test_messages_shown_as_they_are_keep_jsonschemas_words():
    assert problems("version: 1\nevaluate_statuses: []\n") == [
        "gate.yml:2: evaluate_statuses: [] should be non-empty"
    ]
    assert problems("version: 1\nevaluate_statuses: [completed, completed, x]\n") == [
        "gate.yml:2: evaluate_statuses: ['completed', 'completed', 'x'] has non-unique elements",
        "gate.yml:2: evaluate_statuses[2]: expected one of completed, failed, timeout, "
        "cancelled, got 'x'",
    ]
    assert problems("version: 1\nthresholds:\n  metrics: [{aggregation: mean}]\n") == [
        "gate.yml:3: thresholds.metrics[0]: missing required key 'metric'",
        "gate.yml:3: thresholds.metrics[0]: {'aggregation': 'mean'} is not valid under any of "
        "the given schemas",
    ]


def test_yaml_values_json_has_no_type_for():
    assert problems("version: 1\nbaseline: {name_pattern: 2024-01-01}\n") == [
        "gate.yml:2: baseline.name_pattern: expected a non-empty text, got 2024-01-01 (a date)"
    ]
    assert problems("version: 1\nbaseline:\n  result_id: 3\n  7: x\n") == [
        "gate.yml:4: baseline.7: unknown key; known keys: agent_id, latest_completed, "
        "max_age, max_results, name_pattern, result_file, result_id, when_missing, when_older"
    ]
    assert problems("version: 1\nbanana: 2024-01-01\n") == [
        "gate.yml:2: banana: unknown key; known keys: baseline, evaluate_statuses, quarantine, "
        "retry_failed, thresholds, version"
    ]
    # NaN and infinity are no JSON numbers: refused wherever a number is expected
    assert problems("version: 1\nthresholds:\n  success_rate: {min: .nan}\n") == [
        "gate.yml:3: thresholds.success_rate.min: expected a number from 0 to 100, got NaN"
    ]
    assert problems(
        "version: 1\nthresholds:\n  metrics: [{metric: a, aggregation: mean, min: .inf}]\n"
    ) == ["gate.yml:3: thresholds.metrics[0].min: expected a number, got Infinity"]


#: keywords whose errors config.py words itself, or whose message (above) keeps jsonschema's
#: words; a keyword outside these would show jsonschema-rs's wording: word it first
WORDED = {"type", "minimum", "maximum", "enum", "const", "minLength", "required"}
WORDED |= {"additionalProperties", "anyOf", "minItems", "uniqueItems"}
STRUCTURE = {"properties", "items", "$ref", "$defs", "$schema", "$id", "title", "description"}
STRUCTURE |= {"$comment", "default"}  # annotations: they never fail a config


def test_the_schema_uses_only_worded_keywords():
    used: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, dict):
            used.update(node)
            for key, value in node.items():
                if key in ("properties", "$defs"):
                    for each in value.values():
                        visit(each)
                elif key in ("items", "additionalProperties"):
                    visit(value)
                elif key == "anyOf":
                    for each in value:
                        visit(each)

    visit(validation.schema())
    assert used - WORDED - STRUCTURE == set()
