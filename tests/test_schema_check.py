"""gate.schema_check against the reference validator, jsonschema.

The config's messages must be word for word (and in the same order) what they were when
config.py used jsonschema itself; and on a schema that exercises every implemented keyword,
each error must carry the same keyword, path, instance and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate import config, schema_check
from gate.errors import ConfigError

jsonschema = pytest.importorskip("jsonschema")


def reference_errors(schema: Any, instance: Any) -> Iterator[schema_check.SchemaError]:
    """What config.py used before: jsonschema's errors, as SchemaErrors."""
    for error in jsonschema.Draft202012Validator(schema).iter_errors(instance):
        yield schema_check.SchemaError(
            validator=error.validator or "false",
            absolute_path=tuple(error.absolute_path),
            schema=error.schema if isinstance(error.schema, dict) else {},
            instance=error.instance,
            message=error.message,
        )


def outcome(text: str) -> tuple[str, ...]:
    """What config.parse says about `text`: ("valid",) or its problems, in order."""
    try:
        config.parse(text, name="gate.yml")
    except ConfigError as exc:
        return tuple(exc.problems)
    return ("valid",)


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ours = outcome(text)
    with monkeypatch.context() as patched:
        patched.setattr(schema_check, "iter_errors", reference_errors)
        reference = outcome(text)
    return ours, reference


CASES = {
    "word for word": """\
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
""",
    "missing version": "thresholds: {}\n",
    "wrong version": "version: 2\n",
    "version true": "version: true\n",
    "top level list": "- version: 1\n",
    "unknown top-level key": "version: 1\nthreshold:\n  min_runs: 2\n",
    "empty statuses": "version: 1\nevaluate_statuses: []\n",
    "repeated statuses": "version: 1\nevaluate_statuses: [completed, completed]\n",
    "unknown status": "version: 1\nevaluate_statuses: [done]\n",
    "statuses not a list": "version: 1\nevaluate_statuses: completed\n",
    "success rate missing min": "version: 1\nthresholds:\n  success_rate: {level: warn}\n",
    "success rate over 100": "version: 1\nthresholds:\n  success_rate:\n    min: 150\n",
    "empty metric name": (
        "version: 1\nthresholds:\n  performance_metrics:\n    rules:\n"
        "      - metric: ''\n        max: 3\n"
    ),
    "rule not a mapping": (
        "version: 1\nthresholds:\n  performance_metrics:\n    rules:\n      - Latency\n"
    ),
    "max runs as text": "version: 1\nthresholds:\n  failed_workflow_runs: {max: few}\n",
    "thresholds a list": "version: 1\nthresholds: [1, 2]\n",
    "null section": "version: 1\nthresholds:\n  success_rate:\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_validators_word_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both(CASES[name], monkeypatch)
    assert fast == slow
    assert fast != ("valid",)


def test_a_valid_example_is_valid_for_both(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "version: 1\nthresholds:\n  success_rate: {min: 90}\n"
    assert both(text, monkeypatch) == (("valid",), ("valid",))


def test_an_unimplemented_keyword_is_refused_not_ignored() -> None:
    with pytest.raises(schema_check.SchemaUnsupported, match="unevaluatedProperties"):
        list(schema_check.iter_errors({"unevaluatedProperties": False}, {}))
    with pytest.raises(schema_check.SchemaUnsupported, match="local"):
        list(schema_check.iter_errors({"$ref": "https://example.com/s.json"}, {}))
    schema_check.iter_errors(config.schema(), {})  # the shipped schema is fully implemented
    list(schema_check.iter_errors(config.schema(), {}))


# -- any config-shaped data: the two validators agree ----------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 200),
    st.floats(-5, 150, allow_nan=False),
    st.sampled_from(["", "x", "warn", "error", "fatal", "completed", "Latency", "90"]),
)


def _keys(schema: Any) -> list[str]:
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            found.update(k for k in node.get("properties", {}) if isinstance(k, str))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema)
    return [*sorted(found), "levle", "banana"]


_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_keys(config.schema())), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    thresholds=st.dictionaries(st.sampled_from(_keys(config.schema())), _values, max_size=5),
    version=st.sampled_from([1, 1, 1, 2, "1", None]),
)
def test_any_config_gets_the_same_messages(thresholds: dict[str, Any], version: Any) -> None:
    text = yaml.safe_dump({"version": version, "thresholds": thresholds}, sort_keys=False)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = both(text, monkeypatch)
    assert fast == slow  # the same problems, in the same order


# -- every implemented keyword, against jsonschema -------------------------------------------

KEYWORDS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["a", "b"],
    "minProperties": 2,
    "maxProperties": 6,
    "dependentRequired": {"c": ["d"]},
    "propertyNames": {"maxLength": 3},
    "patternProperties": {"^x": {"type": "integer"}},
    "additionalProperties": {"type": ["string", "null", "boolean", "array"]},
    "properties": {
        "a": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5},
        "b": {
            "type": "array",
            "prefixItems": [{"const": 1}, {"enum": [True, "x", None]}],
            "items": {"type": "string", "minLength": 1, "pattern": "^[a-z]+$"},
            "contains": {"type": "string"},
            "maxContains": 2,
            "maxItems": 4,
            "uniqueItems": True,
        },
        "c": {"oneOf": [{"type": "integer"}, {"minimum": 5}], "not": {"const": 7}},
        "d": {
            "if": {"type": "string"},
            "then": {"maxLength": 2},
            "else": {"$ref": "#/$defs/small"},
        },
        "e": {"allOf": [{"type": "integer"}, {"multipleOf": 3}], "anyOf": [{"minimum": 6}]},
        "f": {"items": False, "prefixItems": [True], "minItems": 1},
        "g": {"contains": {"const": 0}, "minContains": 2},
        "h": False,
    },
    "$defs": {"small": {"type": "integer", "maximum": 3, "minimum": -3}},
}

_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-10, 12),
        st.sampled_from([0.5, 1.0, 2.25, 7.0, 1e300]),
        st.sampled_from(["", "x", "ab", "abc", "B", "xyz1"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.sampled_from(["a", "b", "c", "x1", "long"]), inner, max_size=3),
    ),
    max_leaves=10,
)


def described(errors: Any) -> list[tuple[Any, ...]]:
    # One deliberate difference: under a `false` subschema jsonschema gives the parent's
    # path, schema_check the value's own (gate.schema.json has no false subschema).
    out = []
    for e in errors:
        path = None if e.validator == "false" else e.absolute_path
        out.append((e.validator, path, repr(e.instance), e.message))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instance=st.dictionaries(
        # One key outside properties and patternProperties ("long"): jsonschema walks several
        # such keys in set order, which changes from run to run; schema_check in key order.
        st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "x1", "xy", "long"]),
        _json,
        max_size=6,
    )
)
def test_every_keyword_matches_jsonschema(instance: dict[str, Any]) -> None:
    ours = described(schema_check.iter_errors(KEYWORDS_SCHEMA, instance))
    assert ours == described(reference_errors(KEYWORDS_SCHEMA, instance))
