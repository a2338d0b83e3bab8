"""gate/schema/gate.schema.json serves editors: draft-07, a description and a default on every
key, defaults that are what the gate really assumes (where it assumes anything) and that the
schema itself accepts.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import yaml

from gate.policy import config, validation

SCHEMA = validation.schema()
DEFS = SCHEMA["$defs"]


def properties(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of the schema (those of $defs under `$defs.<name>`), with its path."""
    for name, child in node.get("properties", {}).items():
        child_path = f"{path}.{name}" if path else name
        yield child_path, child
        yield from properties(child, child_path)
        items = child.get("items")
        if isinstance(items, dict) and "properties" in items:
            yield from properties(items, child_path + "[]")
    if not path:
        for name, definition in DEFS.items():
            yield from properties(definition, f"$defs.{name}")


PROPERTIES = dict(properties(SCHEMA))


def test_draft_07() -> None:
    """What the YAML language server reads; the gate validates with the same draft."""
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert type(validation._validator()).__name__ == "Draft7Validator"


def test_every_property_has_a_description_and_a_default() -> None:
    assert len(PROPERTIES) > 50
    for path, node in PROPERTIES.items():
        assert node.get("description", "").strip(), path
        assert "default" in node, path


@pytest.mark.parametrize("path", sorted(PROPERTIES))
def test_each_default_is_valid_where_it_stands(path: str) -> None:
    node = copy.deepcopy(PROPERTIES[path])
    node.pop("default")
    validator = jsonschema_rs.Draft7Validator({"$defs": DEFS, **node})
    assert validator.is_valid(PROPERTIES[path]["default"]), path


#: keys whose default is what the gate assumes when the key is left out, each with the
#: smallest config around it (JSON paths; [] stands for the first item of a list)
ASSUMED = {
    "evaluate_statuses": {},
    "thresholds": {},
    "thresholds.min_runs": {"thresholds": {}},
    "thresholds.success_rate.level": {"thresholds": {"success_rate": {"min": 90}}},
    "thresholds.success_rate.inconclusive_level": {
        "thresholds": {"success_rate": {"min": 90, "confidence": 0.9}}
    },
    "thresholds.failed_workflow_runs.level": {"thresholds": {"failed_workflow_runs": {"max": 0}}},
    "thresholds.performance_metrics": {"thresholds": {}},
    "thresholds.performance_metrics.require_all_met": {"thresholds": {"performance_metrics": {}}},
    "thresholds.performance_metrics.level": {"thresholds": {"performance_metrics": {}}},
    "thresholds.performance_metrics.rules": {"thresholds": {"performance_metrics": {}}},
    "thresholds.performance_metrics.rules[].level": {
        "thresholds": {"performance_metrics": {"rules": [{"metric": "Latency", "max": 1}]}}
    },
    "thresholds.scenarios": {"thresholds": {}},
    "thresholds.scenarios[].level": {
        "thresholds": {"scenarios": [{"id": 1, "min_success_rate": 90}]}
    },
    "thresholds.metrics": {"thresholds": {}},
    "thresholds.metrics[].level": {
        "thresholds": {"metrics": [{"metric": "Latency", "aggregation": "mean", "max": 1}]}
    },
    "thresholds.regression": {"thresholds": {}},
    "thresholds.regression.rules": {
        "baseline": {"result_id": 1},
        "thresholds": {"regression": {}},
    },
    "thresholds.regression.metrics": {
        "baseline": {"result_id": 1},
        "thresholds": {"regression": {}},
    },
    "baseline.latest_completed": {"baseline": {"result_id": 1}},
    "baseline.max_results": {"baseline": {"latest_completed": True}},
    "baseline.when_missing": {"baseline": {"result_id": 1}},
}


def default_of(path: str) -> Any:
    if path == "thresholds.failed_workflow_runs.level":
        return DEFS["max_runs_check"]["properties"]["level"]["default"]
    return PROPERTIES[path]["default"]


def put(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    *parents, last = path.split(".")
    for step in parents:
        name, is_list = step.removesuffix("[]"), step.endswith("[]")
        node = node.setdefault(name, {})
        if is_list:
            node = node[0]
    if last.endswith("[]"):
        raise AssertionError(path)
    node[last] = value
    return data


@pytest.mark.parametrize("path", sorted(ASSUMED))
def test_a_default_is_what_the_gate_assumes(path: str) -> None:
    """The config with the key set to its default means what the config without it means."""
    around = {"version": 1, **ASSUMED[path]}
    without = config.parse(_dump(around), name="gate.yml")
    written = put(around, path, default_of(path))
    assert config.parse(_dump(written), name="gate.yml") == without


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)
