"""No false green, as a property; what is clean passes; and the gate never crashes.

Payloads come two ways: from Cekura's own ResultDetailV2 JSON schema (tests/data, copied from
the OpenAPI file; counts are typed as strings there, so both strings and ints are generated,
and the other documented real shapes too), and by mutating realistic payloads: one to three
fields swapped to null, a string, a number, a bool, a list, a dict, a huge value, removed, or
added where they do not belong. Configs are generated as YAML and loaded by the real config
loader: every section, `confidence` and `inconclusive_level`, critical scenarios, metric
aggregates, a baseline (found, mutated, or not found) and regression bounds.

The invariant, checked against `may_pass`, an independent and deliberately plain reading of
the raw payload as the README states the rules (the success rate from the runs, else the
counts, else the reported rate with its scale decided by the counts): the gate passes only if
the result reached a status the policy evaluates, had at least `min_runs` runs, and every
error-level check had readable data that held. The converse holds too: a result the oracle
reads as meeting a policy passes it, so a gate that never passed would fail this module.

Sizes: the "ci" hypothesis profile (the default) runs in seconds; GATE_FUZZ_PROFILE=thorough
runs twenty times as many examples with a fresh seed.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import io
import json
import math
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from statistics import NormalDist
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.errors import PayloadError
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Kind, Level, Stability, VerdictKind
from gate.policy import config, model
from gate.publish import step as publish
from gate.publish.actions import github, job_log
from gate.publish.pages import markdown as report
from gate.publish.words.wording import actual, verdict_reason
from gate.result.model import Baseline
from gate.result.parsing import parse
from gate.settings.read import from_sources
from gate.simulator import catalogue, run_detail
from gate.simulator import payloads as sp
from tests.gate_harness import API_KEY, make_workspace
from tests.gate_harness import launch as launch_gate

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "cekura_result_detail_v2.schema.json").read_text("utf-8")
)
DEFS = SCHEMA["$defs"]

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,  # the same examples on every CI run: a red build is reproducible
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("GATE_FUZZ_PROFILE", "ci")
SCALE = 20 if PROFILE == "thorough" else 1


def examples(n: int) -> settings:
    return settings(settings.get_profile(PROFILE), max_examples=n * SCALE)


#: how many payloads each property saw, printed at the end of the module (pytest -s)
GENERATED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\npayloads generated: {sum(GENERATED.values())} {dict(GENERATED)}")


# -- payloads from the schema --------------------------------------------------------------

ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
NAMES = ["Latency", "Voice Tone + Clarity", "Customer Satisfaction", "latency ", "Call Pickup"]
COUNT = st.one_of(st.integers(0, 40), st.integers(0, 40).map(str), st.just(" 7 "), st.none())
ID_LIST = st.one_of(
    st.none(),
    st.lists(st.integers(1, 10**6), max_size=4),
    st.lists(st.integers(1, 10**6), max_size=4).map(json.dumps),
)
FLAG = st.one_of(st.booleans(), st.sampled_from(["true", "false", "True", "yes", ""]), st.none())
NUMBER = st.one_of(
    st.integers(-5, 5000),
    st.floats(-10, 5000, allow_nan=False),
    st.integers(0, 5000).map(str),
    st.sampled_from(["12%", "n/a", "", "NaN", "1e3"]),
)
RULE = st.fixed_dictionaries(
    {},
    optional={
        "metric_id": st.integers(1, 10**5),
        "metric_name": st.sampled_from(NAMES),
        "name": st.sampled_from(NAMES),
        "value": NUMBER,
        "aggregate": NUMBER,
        "passed": FLAG,
        "met": FLAG,
        "conditions": st.text(max_size=20),
    },
)
PERFORMANCE = st.one_of(
    st.none(),
    st.lists(RULE, max_size=4),
    st.lists(RULE, max_size=3).map(json.dumps),
    st.dictionaries(st.sampled_from(NAMES), RULE | FLAG | NUMBER, max_size=3),
    st.text(max_size=10),
)
STATUS = st.one_of(
    st.just("completed"),
    st.sampled_from(["completed", "failed", "timeout", "cancelled", "running", " Completed "]),
    st.text(max_size=10),
)
#: what the API really sends where the schema says "string" (API_NOTES 2.3)
REAL: dict[str, st.SearchStrategy[Any]] = {
    "status": STATUS,
    "total_runs_count": COUNT,
    "completed_runs_count": COUNT,
    "success_runs_count": COUNT,
    "failed_runs_count": COUNT,
    "met_expected_outcome_count": COUNT,
    "total_expected_outcome_count": COUNT,
    "failed_workflow_runs": ID_LIST,
    "failed_infrastructure_runs": ID_LIST,
    "connected_runs": ID_LIST,
    "successful_calls": ID_LIST,
    "performance_metrics": PERFORMANCE,
    "success_rate": st.one_of(st.floats(0, 100), st.floats(0, 1), st.just("87.5"), st.none()),
    "success": FLAG,
    "scenario": st.one_of(
        st.integers(1, 10**5),
        st.none(),
        st.fixed_dictionaries({"id": st.integers(1, 10**5), "name": st.text(max_size=30)}),
    ),
    "expected_outcome": st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {
                "score": st.one_of(st.integers(0, 100), st.floats(0, 100)),
                "explanation": st.lists(st.text(max_size=20), max_size=2),
            }
        ),
        st.none(),
    ),
}


def from_schema(
    node: Mapping[str, Any], *, name: str = "", real: bool = True
) -> st.SearchStrategy[Any]:
    """A strategy for `node` (a JSON Schema); with `real`, documented real shapes too."""
    if real and name in REAL:
        return st.one_of(REAL[name], from_schema(node, real=False))
    if "$ref" in node:
        return st.deferred(lambda: from_schema(DEFS[node["$ref"].rsplit("/", 1)[1]], real=real))
    if "allOf" in node:
        return from_schema(node["allOf"][0], real=real)
    if "oneOf" in node:
        options = node["oneOf"]
        if not real and {} in options:
            # The spec's "any JSON or null" is oneOf [{}, null], which null matches twice,
            # so to the letter it allows no null: the strict generator leaves null out.
            return ANY_JSON.filter(lambda value: value is not None)
        return st.one_of([from_schema(option, real=real) for option in options])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind is None:
        return ANY_JSON
    if isinstance(kind, list):
        return st.one_of([from_schema(node | {"type": k}, name=name, real=real) for k in kind])
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        if properties:
            return st.fixed_dictionaries(
                {
                    k: from_schema(v, name=k, real=real)
                    for k, v in properties.items()
                    if k in required
                },
                optional={
                    k: from_schema(v, name=k, real=real)
                    for k, v in properties.items()
                    if k not in required
                },
            )
        extra = node.get("additionalProperties")
        values = from_schema(extra, real=real) if isinstance(extra, dict) and extra else ANY_JSON
        return st.dictionaries(st.integers(1, 10**6).map(str), values, max_size=5)
    if kind == "array":
        return st.lists(from_schema(node.get("items", {}), real=real), max_size=3)
    if kind == "string":
        if node.get("format") == "date-time":
            return st.datetimes().map(lambda d: d.isoformat() + "Z")
        if node.get("format") == "email":
            return st.emails()
        return st.text(max_size=min(node.get("maxLength", 40), 40))
    if kind == "integer":
        return st.integers(0, 10**6)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise AssertionError(f"schema type {kind!r} not handled")


SCHEMA_PAYLOADS = from_schema(SCHEMA)
PURE_SCHEMA_PAYLOADS = from_schema(SCHEMA, real=False)


# -- payloads by mutation ------------------------------------------------------------------


def realistic() -> list[dict]:
    """Payloads that look like Cekura's: the demo results, an all-pass one and the docs' own."""
    webhook_run = {
        "id": 4,
        "scenario": {"id": 13, "name": "Secure Cell Activation Workflow"},
        "expected_outcome": {},
        "success": False,
        "evaluation": {
            "metrics": [
                {
                    "id": 7,
                    "name": "workflow-adherence-check",
                    "eval_type": "binary",
                    "passed": False,
                }
            ]
        },
        "error_message": "",
    }
    return [
        catalogue.demo_result(1),
        catalogue.demo_result(2),
        sp.make_result(
            77,
            runs=[
                run_detail.make_run(
                    n,
                    scenario_id=n,
                    scenario_name=f"Scenario {n}",
                    success=True,
                    expected_outcome_score=100,
                )
                for n in range(1, 4)
            ],
        ),
        {
            "id": 4,
            "status": "completed",
            "met_expected_outcome_count": 0,
            "total_expected_outcome_count": 0,
            "success_rate": 0.0,
            "runs": {"4": webhook_run},
        },
        {
            "status": "completed",
            "total_runs_count": 2,
            "success_runs_count": 2,
            "success_rate": 100,
            "runs": {
                "1": {
                    "id": 1,
                    "scenario": {"id": 1, "name": "Greets"},
                    "status": "completed",
                    "success": True,
                },
                "2": {
                    "id": 2,
                    "scenario": {"id": 2, "name": "Books"},
                    "status": "completed",
                    "success": True,
                },
            },
        },
        # infrastructure failures (a SIP 503, a call that never connected) and a metric
        # blocked where it did not apply (README, "Infrastructure failures", "Blocked metrics")
        catalogue.build_result(
            4103, catalogue.DEMO_AGENTS[3], [s.id for s in catalogue.SCENARIOS], first_run_id=41
        ),
    ]


BASES = realistic()


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path in a JSON tree (keys and list indexes), the root excluded."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


PATHS = [sorted(set(paths(base)), key=repr) for base in BASES]
REMOVED = object()
REPLACEMENTS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", "0", "100", "true", "null", "[]", "{}", "completed", "NaN", "-1"]),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.sampled_from([0, -1, 10**30, 1e308, -1e308, 0.5, 5]),
    st.booleans(),
    st.lists(st.integers(0, 9) | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers() | st.none(), max_size=2),
    st.sampled_from(["x" * 200_000, "huge list", "huge dict"]),
    st.just(REMOVED),
)


def mutate(base: Any, path: tuple, value: Any) -> Any:
    parent = base
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if value is REMOVED:
        del parent[last]
    elif value == "huge list":
        parent[last] = [0] * 5_000
    elif value == "huge dict":
        parent[last] = {str(n): n for n in range(2_000)}
    else:
        parent[last] = value
    return base


def _at(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


#: where a key can be added: the root and every object inside it
OBJECTS = [
    [(), *(p for p in paths_ if isinstance(_at(base, p), dict))]
    for base, paths_ in zip(BASES, PATHS, strict=True)
]
#: keys a payload may gain: the names the gate reads (where they do not belong, too)
ADDED_KEYS = st.one_of(
    st.sampled_from(
        [
            "success",
            "status",
            "runs",
            "id",
            "scenario",
            "scenario_name",
            "total_runs_count",
            "success_runs_count",
            "success_rate",
            "passed",
            "met",
            "value",
            "score",
            "score_normalized",
            "eval_type",
            "name",
            "metric_name",
            "performance_metrics",
            "failed_workflow_runs",
            "failed_infrastructure_runs",
            "expected_outcome",
            "evaluation",
            "metrics",
            "overall_evaluation",
            "error_message",
        ]
    ),
    st.text(max_size=8),
)


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    """A realistic payload with one to three fields replaced, removed or added."""
    index = draw(st.integers(0, len(BASES) - 1))
    payload = copy.deepcopy(BASES[index])
    for _ in range(draw(st.integers(1, 3))):
        # (an earlier mutation may have removed or replaced the parent: fine)
        with contextlib.suppress(KeyError, IndexError, TypeError):
            if draw(st.integers(0, 3)) == 0:
                parent = _at(payload, draw(st.sampled_from(OBJECTS[index])))
                value = draw(REPLACEMENTS.filter(lambda v: v is not REMOVED))
                mutate(parent, (draw(ADDED_KEYS),), value)  # added, or replaced if present
            else:
                mutate(payload, draw(st.sampled_from(PATHS[index])), draw(REPLACEMENTS))
    return payload


# -- configs -----------------------------------------------------------------------------

LEVEL = st.sampled_from(["error", "error", "warn"])
INFRA_LEVEL = st.sampled_from(["could_not_evaluate", "error", "warn"])
BOUND = st.one_of(st.integers(0, 2000), st.floats(0, 2000, allow_nan=False))
RULE_BOUND = st.fixed_dictionaries(
    {"metric": st.sampled_from(NAMES)}, optional={"min": BOUND, "max": BOUND, "level": LEVEL}
).filter(lambda r: "min" in r or "max" in r)
PERCENT = st.one_of(st.integers(0, 100), st.floats(0, 100))
CONFIDENCE = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
#: scenario names and ids of the realistic payloads, and some that are in none
SCENARIO_NAMES = ["Book appointment", "emergency  TRIAGE", "Greets", "Scenario 2", "Nowhere"]
SCENARIO_IDS = [11541, 11543, 13, 1, 2, 999]
METRICS = [
    *NAMES,
    "Workflow Adherence",
    "expected_outcome",
    "Call Pickup",
    "Transfer Handling",
    "Nowhere",
]
AGGREGATIONS = ["mean", "min", "max", "p50", "p90", "p95", "pass_rate"]


#: the date the property tests evaluate on; quarantines end around it
TODAY = datetime.date(2026, 11, 30)
REPEAT_BOUND = st.fixed_dictionaries(
    {},
    optional={
        "min_passes": st.integers(1, 6),
        "flaky": st.fixed_dictionaries({}, optional={"level": LEVEL}),
    },
)
QUARANTINE_ENTRY = st.tuples(
    st.one_of(
        st.sampled_from(SCENARIO_NAMES).map(lambda n: {"name": n}),
        st.sampled_from(SCENARIO_IDS).map(lambda i: {"id": i}),
    ),
    st.integers(-2, 2).map(lambda days: (TODAY + datetime.timedelta(days=days)).isoformat()),
).map(lambda pair: pair[0] | {"reason": "known flaky", "until": pair[1]})


@st.composite
def rate_bound(draw: st.DrawFn, key: str) -> dict:
    """A minimum rate, with or without confidence (never `confidence` with a 100% minimum)."""
    bound: dict[str, Any] = {key: draw(PERCENT)}
    if draw(st.booleans()):
        bound["level"] = draw(LEVEL)
    if bound[key] < 100 and draw(st.booleans()):
        bound["confidence"] = draw(CONFIDENCE)
        if draw(st.booleans()):
            bound["inconclusive_level"] = draw(LEVEL)
    return bound


@st.composite
def metric_bound(draw: st.DrawFn) -> dict:
    aggregation = draw(st.sampled_from(AGGREGATIONS))
    bound: dict[str, Any] = {"metric": draw(st.sampled_from(METRICS)), "aggregation": aggregation}
    values = PERCENT if aggregation == "pass_rate" else BOUND
    for side in draw(st.sampled_from([("min",), ("max",), ("min", "max")])):
        bound[side] = draw(values)
    if draw(st.booleans()):
        bound["level"] = draw(LEVEL)
    rate_can_be_proven = bound.get("min", 0) < 100 and bound.get("max", 100) > 0
    if aggregation == "pass_rate" and rate_can_be_proven and draw(st.booleans()):
        bound["confidence"] = draw(CONFIDENCE)
        if draw(st.booleans()):
            bound["inconclusive_level"] = draw(LEVEL)
    return bound


@st.composite
def change_bound(draw: st.DrawFn, tested: bool = False, **fixed: Any) -> dict:
    """`tested`: the bound may carry a significance (a metric, not a rubric rule)."""
    bound = dict(fixed)
    for side in draw(
        st.sampled_from([("max_drop",), ("max_increase",), ("max_drop", "max_increase")])
    ):
        bound[side] = draw(st.one_of(st.integers(0, 50), st.floats(0, 500)))
    if draw(st.booleans()):
        bound["level"] = draw(LEVEL)
    if tested and draw(st.integers(0, 2)) == 0:
        bound["significance"] = draw(SIGNIFICANCE)
    return bound


SIGNIFICANCE = st.one_of(st.sampled_from([0.05, 0.01, 0.5]), st.floats(0.0001, 0.5))


@st.composite
def drop_bound(draw: st.DrawFn) -> dict:
    """A rate's regression bound: max_drop, significance, or both."""
    bound: dict[str, Any] = {}
    for side in draw(
        st.sampled_from([("max_drop",), ("significance",), ("max_drop", "significance")])
    ):
        bound[side] = draw(
            SIGNIFICANCE if side == "significance" else st.one_of(st.integers(0, 20), PERCENT)
        )
    return bound


@st.composite
def configs(draw: st.DrawFn) -> dict | None:
    """A config as a user writes it, every section optional; None is the default policy."""
    if draw(st.integers(0, 9)) == 0:
        return None
    cfg: dict[str, Any] = {"version": 1}
    if draw(st.integers(0, 3)) == 0:
        cfg["evaluate_statuses"] = draw(
            st.lists(
                st.sampled_from(["completed", "failed", "timeout", "cancelled"]),
                min_size=1,
                unique=True,
            )
        )
    thresholds: dict[str, Any] = {}
    optional = {
        "min_runs": st.integers(1, 6),
        "success_rate": rate_bound("min"),
        "failed_workflow_runs": st.fixed_dictionaries(
            {"max": st.integers(0, 3)}, optional={"level": LEVEL}
        ),
        "failed_infrastructure_runs": st.fixed_dictionaries(
            {"max": st.integers(0, 3)}, optional={"level": LEVEL}
        ),
        "performance_metrics": st.fixed_dictionaries(
            {},
            optional={
                "require_all_met": st.booleans(),
                "level": LEVEL,
                "rules": st.lists(RULE_BOUND, max_size=3),
            },
        ),
        "scenarios": st.lists(
            st.tuples(
                st.one_of(
                    st.sampled_from(SCENARIO_NAMES).map(lambda n: {"name": n}),
                    st.sampled_from(SCENARIO_IDS).map(lambda i: {"id": i}),
                ),
                st.one_of(rate_bound("min_success_rate"), st.just({})),
                REPEAT_BOUND,
            )
            .map(lambda parts: parts[0] | parts[1] | parts[2])
            .filter(lambda b: {"min_success_rate", "min_passes", "flaky"} & set(b)),
            min_size=1,
            max_size=3,
        ),
        "flaky": st.fixed_dictionaries({}, optional={"level": LEVEL}),
        "metrics": st.lists(metric_bound(), min_size=1, max_size=3),
        "infrastructure": st.one_of(
            st.fixed_dictionaries({"max_rate": PERCENT}, optional={"level": INFRA_LEVEL}),
            st.fixed_dictionaries({"max": st.integers(0, 3)}, optional={"level": INFRA_LEVEL}),
        ),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            thresholds[name] = draw(strategy)
    if "success_rate" in thresholds and draw(st.booleans()):
        thresholds["success_rate"]["count_infrastructure"] = draw(
            st.sampled_from(["as_failure", "exclude"])
        )
    if draw(st.integers(0, 2)) == 0:
        cfg["baseline"] = {"result_id": 1}
        if draw(st.booleans()):
            cfg["baseline"]["when_missing"] = draw(LEVEL)
        regression: dict[str, Any] = {}
        if draw(st.integers(0, 2)) == 0:
            cfg["baseline"]["max_age"] = draw(st.sampled_from(["12h", "7d", "2w", "100000w"]))
            if draw(st.booleans()):
                cfg["baseline"]["when_older"] = draw(LEVEL)
        if draw(st.booleans()):
            regression["success_rate"] = draw(drop_bound())
            if draw(st.booleans()):
                regression["success_rate"]["level"] = draw(LEVEL)
        if draw(st.integers(0, 2)) == 0:
            regression["scenarios"] = draw(
                st.lists(
                    st.tuples(
                        st.one_of(
                            st.sampled_from(SCENARIO_NAMES).map(lambda n: {"name": n}),
                            st.sampled_from(SCENARIO_IDS).map(lambda i: {"id": i}),
                        ),
                        drop_bound(),
                        st.fixed_dictionaries({}, optional={"level": LEVEL}),
                    ).map(lambda parts: parts[0] | parts[1] | parts[2]),
                    min_size=1,
                    max_size=3,
                )
            )
        if draw(st.integers(0, 2)) == 0:
            thresholds["coverage"] = draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "missing_scenarios": LEVEL,
                        "max_run_drop": st.one_of(st.integers(0, 50), PERCENT),
                        "level": LEVEL,
                    },
                )
            )
        if draw(st.booleans()):
            regression["rules"] = draw(
                st.lists(
                    st.sampled_from(NAMES).flatmap(lambda m: change_bound(metric=m)), max_size=2
                )
            )
        if draw(st.booleans()):
            regression["metrics"] = draw(
                st.lists(
                    st.tuples(st.sampled_from(METRICS), st.sampled_from(AGGREGATIONS)).flatmap(
                        lambda pair: change_bound(True, metric=pair[0], aggregation=pair[1])
                    ),
                    max_size=2,
                )
            )
        if regression:
            thresholds["regression"] = regression
    if draw(st.integers(0, 2)) == 0:
        cfg["quarantine"] = draw(st.lists(QUARANTINE_ENTRY, min_size=1, max_size=3))
    if thresholds or draw(st.booleans()):
        cfg["thresholds"] = thresholds
    return cfg


CONFIGS = configs()


def policy_of(cfg: dict | None) -> model.Policy:
    if cfg is None:
        return model.DEFAULT_POLICY
    return config.parse(yaml.safe_dump(cfg), name="gate.yml")


#: what the baseline lookup found: nothing, a realistic result, or a mutated one
BASELINES = st.one_of(
    st.none(), st.sampled_from(range(len(BASES))).map(lambda i: BASES[i]), mutated()
)


def baseline_of(policy: model.Policy, raw: Any) -> Baseline | None:
    if policy.baseline is None:
        return None
    if raw is None:
        return Baseline(how="result 1", reason="it does not exist")
    return Baseline(how="result 1", result=parse(raw, evidence=False))


# -- the oracle: an independent, plain reading of the raw payload ---------------------------------

_MET_KEYS = ("passed", "met", "meets", "meets_conditions", "is_met", "success")
_NAME_KEYS = ("metric_name", "name", "metric", "rule", "title")
_VALUE_KEYS = ("value", "aggregate", "aggregated_value", "score", "actual")


def _int(value: Any) -> int | None:
    """A count: a whole, non-negative number, sent as a number or a numeric string."""
    number = _num(value)
    return int(number) if number is not None and number >= 0 and number == int(number) else None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        try:
            return float(value) if math.isfinite(value) else None
        except OverflowError:  # an integer too large for a float
            return None
    if isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _flags(entry: Mapping) -> list[bool]:
    found = []
    for key in _MET_KEYS:
        value = entry.get(key)
        if isinstance(value, bool):
            found.append(value)
        elif isinstance(value, str) and value.strip().lower() in ("true", "false"):
            found.append(value.strip().lower() == "true")
    return found


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value  # present, unreadable
    return value


def _rules(raw: Any) -> list[tuple[str, Any]] | None:
    """(name, entry) pairs, or None when the rubric is unreadable."""
    value = _decoded(raw)
    if isinstance(value, list):
        pairs = []
        for entry in value:
            if not isinstance(entry, Mapping):
                return None
            name = next(
                (
                    str(entry[k])
                    for k in _NAME_KEYS
                    if isinstance(entry.get(k), str | int | float) and str(entry[k])
                ),
                "",
            )
            if not name:
                return None
            pairs.append((name, entry))
        return pairs
    if isinstance(value, Mapping):
        if any(k in value for k in _NAME_KEYS) and not any(
            isinstance(v, Mapping) for v in value.values()
        ):
            return _rules([value])
        return [(str(k), v) for k, v in value.items()]
    return None


def _met(entry: Any) -> bool:
    if isinstance(entry, Mapping):
        flags = _flags(entry)
        return bool(flags) and all(flags)
    return _true(entry)


def _text(value: Any) -> str:
    if value is None or isinstance(value, Mapping | list):
        return ""
    return value if isinstance(value, str) else str(value)


def _name_key(name: str) -> str:
    """Scenario, metric and rubric rule names: case, runs of spaces and "_" do not matter
    (README)."""
    return " ".join(name.replace("_", " ").lower().split())


def _entries(raw: Mapping) -> list[Any]:
    runs = raw.get("runs")
    return (
        list(runs.values()) if isinstance(runs, Mapping) else runs if isinstance(runs, list) else []
    )


@dataclass(frozen=True)
class Rate:
    """A success rate as the README says the gate reads it: percent, and the counts it rests
    on when there are counts (successes may be None: a reported rate only)."""

    percent: float | None
    successes: int | None
    runs: int


def _rate(raw: Mapping) -> Rate:
    """The runs' success flags decide; with no runs, the counts; with no success count, the
    reported success_rate, read as 0-100 unless it is at most 1 and the counts say it is a
    fraction. Counts that contradict each other, or a rate over 100, are no rate. Any `runs`
    key that is not null lists the runs (README: `runs: {}` with 5 runs counted is 0 of 5)."""
    entries = _entries(raw)
    reported = _int(raw.get("total_runs_count"))
    if raw.get("runs") is not None:  # a `runs` key decides, even one that lists nothing
        total = max(len(entries), reported or 0)
        if not total:
            return Rate(None, None, 0)
        successes = sum(1 for e in entries if isinstance(e, Mapping) and _true(e.get("success")))
        return Rate(100.0 * successes / total, successes, total)
    total = reported or 0
    succeeded = _int(raw.get("success_runs_count"))
    if total and succeeded is not None:
        if succeeded > total:
            return Rate(None, None, total)
        return Rate(100.0 * succeeded / total, succeeded, total)
    rate = _num(raw.get("success_rate"))
    if rate is None or not 0 <= rate <= 100:
        return Rate(None, None, total)
    if rate <= 1 and total:
        expected = 100.0 * (succeeded or 0) / total
        if abs(rate * 100 - expected) < abs(rate - expected):
            rate *= 100
    return Rate(rate, None, total)


def _wilson(successes: float, runs: int, confidence: float) -> tuple[float, float]:
    """The Wilson score interval in percent (README, "Rates with confidence")."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / runs
    centre = (p + z * z / (2 * runs)) / (1 + z * z / runs)
    half = z / (1 + z * z / runs) * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs))
    # the interval is exactly [0, ...] at 0 successes and [..., 100] at all (README)
    low = 0.0 if p == 0 else max(0.0, 100 * (centre - half))
    return low, 100.0 if p == 1 else min(100.0, 100 * (centre + half))


SLACK = 1e-6  # the oracle leans towards "may pass" by this much on every bound


def _rate_may_pass(
    percent: float | None,
    successes: float | None,
    runs: int,
    low: float | None,
    high: float | None,
    confidence: float | None,
    inconclusive: Level,
    slack: float = SLACK,
) -> bool:
    """Whether an error-level rate check on these numbers could hold."""
    if percent is None:
        return False
    if confidence is None or successes is None or not runs:
        return (low is None or percent >= low - slack) and (high is None or percent <= high + slack)
    lower, upper = _wilson(successes, runs, confidence)
    wholly_outside = (low is not None and upper < low - slack) or (
        high is not None and lower > high + slack
    )
    proven = (low is None or lower >= low - slack) and (high is None or upper <= high + slack)
    return not wholly_outside and (proven or inconclusive is Level.WARN)


def _scenario_of(entry: Any) -> tuple[int | None, str]:
    if not isinstance(entry, Mapping):
        return None, "Unreadable run"
    scenario = entry.get("scenario")
    if isinstance(scenario, Mapping):
        sid, name = _int(scenario.get("id")), _text(scenario.get("name"))
    else:
        sid, name = _int(scenario), ""
    name = name or _text(entry.get("scenario_name"))
    return sid, name or (f"Scenario {sid}" if sid is not None else "Unknown scenario")


Group = list[tuple[int | None, str, bool]]  # one scenario's runs: id, name, succeeded


def _groups(raw: Mapping) -> list[Group]:
    """Runs of one scenario id go together, else runs of one name."""
    groups: dict[Any, Group] = {}
    for entry in _entries(raw):
        sid, name = _scenario_of(entry)
        ok = isinstance(entry, Mapping) and _true(entry.get("success"))
        groups.setdefault(sid if sid is not None else _name_key(name), []).append((sid, name, ok))
    return list(groups.values())


def _names(group: Group, name: str, scenario_id: int | None) -> bool:
    """Whether a config entry (by id, else by name) names this scenario."""
    if scenario_id is not None:
        return group[0][0] == scenario_id
    return _name_key(group[0][1]) == _name_key(name)


def _chosen(raw: Mapping, name: str, scenario_id: int | None) -> list[Group]:
    """The scenario a bound names; a bound by name pools every scenario of that name."""
    groups = [g for g in _groups(raw) if _names(g, name, scenario_id)]
    return groups[:1] if scenario_id is not None else groups


def _quarantined(raw: Mapping, policy: model.Policy, groups: list[Group], label: str) -> bool:
    """README, "Flaky scenarios and quarantine": a check on these scenarios is excused when an
    active quarantine (until >= today) names every one of them (or, with none in the result,
    names the check's label)."""
    active = [q for q in policy.quarantine if datetime.date.fromisoformat(q.until) >= TODAY]
    if not groups:
        return any(_name_key(q.label) == _name_key(label) for q in active)
    return all(any(_names(g, q.name, q.scenario_id) for q in active) for g in groups)


def _distinct_run_ids(raw: Mapping) -> bool:
    """No run listed twice (the gate keeps one copy of each, which can change a scenario's
    runs); the oracle judges flakiness only then, leaning towards "may pass"."""
    runs = raw.get("runs")
    ids = []
    for key, entry in runs.items() if isinstance(runs, Mapping) else enumerate(_entries(raw)):
        value = entry.get("id") if isinstance(entry, Mapping) else None
        if value is None:
            value = key if isinstance(runs, Mapping) else None
        if value is None:
            continue
        if not isinstance(value, int | str) or isinstance(value, bool):
            return False
        ids.append(str(value).strip())
    return len(set(ids)) == len(ids)


def _repeats_may_pass(raw: Mapping, policy: model.Policy) -> str:
    """Why min_passes or flakiness cannot hold at error level ("" when they can)."""
    for bound in policy.scenarios:
        groups = _chosen(raw, bound.name, bound.scenario_id)
        if _quarantined(raw, policy, groups, bound.label):
            continue
        runs = [ok for g in groups for *_, ok in g]
        if (
            bound.min_passes is not None
            and bound.level is Level.ERROR
            and sum(runs) < bound.min_passes
        ):
            return (
                f"scenario {bound.label} passed {sum(runs)} of {len(runs)} runs, fewer than "
                f"min_passes {bound.min_passes}"
            )
        if bound.flaky_level is Level.ERROR:
            if not runs:
                return f"scenario {bound.label} has no runs for its flaky check"
            if len(runs) >= 2 and 0 < sum(runs) < len(runs) and _distinct_run_ids(raw):
                return f"scenario {bound.label} is flaky, at level error"
    if policy.flaky.level is not Level.ERROR or not _distinct_run_ids(raw):
        return ""
    own = [b for b in policy.scenarios if b.flaky_level is not None]
    for group in _groups(raw):
        if any(_names(group, b.name, b.scenario_id) for b in own):
            continue
        passed = sum(ok for *_, ok in group)
        label = str(group[0][0]) if group[0][0] is not None else group[0][1]
        if 0 < passed < len(group) and not _quarantined(raw, policy, [group], label):
            return f"scenario {label} is flaky ({passed}/{len(group)}) at level error"
    return ""


def _scenario_may_pass(raw: Mapping, bound: model.ScenarioBound, slack: float) -> bool:
    """Runs of one scenario id go together, else runs of one name; a bound by name pools
    every scenario of that name (README, "Critical scenarios")."""
    chosen = [r for g in _chosen(raw, bound.name, bound.scenario_id) for r in g]
    if not chosen:
        return False
    successes = sum(ok for *_, ok in chosen)
    return _rate_may_pass(
        100.0 * successes / len(chosen),
        successes,
        len(chosen),
        bound.min_success_rate,
        None,
        bound.confidence,
        bound.inconclusive_level,
        slack,
    )


@dataclass(frozen=True)
class Value:
    """What an aggregation can be: within [low, high]; `any` when the oracle does not say
    (Cekura's summary answers, which this oracle does not read); `missing` when nothing can."""

    low: float = 0.0
    high: float = 0.0
    successes: int | None = None  # pass_rate from explicit pass/fail flags only
    runs: int = 0
    any: bool = False
    missing: bool = False


def _summary_names(raw: Mapping) -> set[str]:
    summary = _decoded(raw.get("overall_evaluation"))
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if isinstance(node.get("name"), str):
                names.add(_name_key(node["name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(summary)
    return names


def _percentile(ordered: list[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


#: what a blocked metric's status, result, score or value says (README, "Blocked metrics")
_NOT_APPLICABLE = ("blocked", "not_applicable", "n/a", "na", "trigger_failed")


def _blocked(item: Mapping) -> bool:
    extra = item.get("extra")
    if isinstance(extra, Mapping) and _true(extra.get("trigger_failed")):
        return True
    if _true(item.get("blocked")):
        return True
    return any(
        isinstance(item.get(key), str)
        and item[key].strip().lower().replace(" ", "_") in _NOT_APPLICABLE
        for key in ("status", "result", "score", "value")
    )


def _aggregate(raw: Mapping, metric: str, aggregation: str) -> Value:
    """The aggregation of `metric` over the runs (README, "Metric aggregates")."""
    wanted = _name_key(metric)
    values: list[float] = []
    passed = judged = unknown = blocked = 0
    outcome = [
        score
        for entry in _entries(raw)
        if isinstance(entry, Mapping) and isinstance(entry.get("expected_outcome"), Mapping)
        for score in [_num(entry["expected_outcome"].get("score"))]
        if score is not None
    ]
    if wanted == "expected outcome" and outcome:
        values = outcome
        passed, judged = sum(score >= 100 for score in outcome), len(outcome)
    else:
        for entry in _entries(raw):
            evaluation = entry.get("evaluation") if isinstance(entry, Mapping) else None
            metrics = evaluation.get("metrics") if isinstance(evaluation, Mapping) else None
            for item in metrics if isinstance(metrics, list) else []:
                if not isinstance(item, Mapping):
                    continue
                name = _text(item.get("name")) or f"metric {_text(item.get('id'))}"
                if _name_key(name) != wanted:
                    continue
                if _blocked(item):
                    blocked += 1
                    continue
                number = _num(item.get("score"))
                number = _num(item.get("value")) if number is None else number
                if number is not None:
                    values.append(number)
                flag = item.get("passed")
                if isinstance(flag, bool) or (
                    isinstance(flag, str) and flag.strip().lower() in ("true", "false")
                ):
                    judged += 1
                    passed += _true(flag)
                else:  # a legacy binary score may still say pass or fail
                    unknown += 1
    # blocked somewhere: the runs decide, and Cekura's summary is never read for it
    in_summary = wanted in _summary_names(raw) and not blocked
    if aggregation == "pass_rate":
        if not judged:
            return Value(any=True) if unknown or in_summary else Value(missing=True)
        exact = unknown == 0
        return Value(
            100.0 * passed / (judged + unknown),
            100.0 * (passed + unknown) / (judged + unknown),
            successes=passed if exact else None,
            runs=judged if exact else 0,
        )
    if not values:
        return Value(any=True) if in_summary else Value(missing=True)
    ordered = sorted(values)
    if aggregation == "mean":
        value = math.fsum(values) / len(values)
    elif aggregation in ("min", "max"):
        value = ordered[0] if aggregation == "min" else ordered[-1]
    else:
        value = _percentile(ordered, {"p50": 0.5, "p90": 0.9, "p95": 0.95}[aggregation])
    return Value(value, value)


def _metric_may_pass(raw: Mapping, bound: model.MetricBound, slack: float) -> bool:
    found = _aggregate(raw, bound.metric, bound.aggregation)
    if found.missing:
        return False
    if found.any:
        return True
    if bound.confidence is not None:
        if found.successes is None:
            return True  # flags the oracle does not read: no interval to compute
        return _rate_may_pass(
            100.0 * found.successes / found.runs,
            found.successes,
            found.runs,
            bound.min,
            bound.max,
            bound.confidence,
            bound.inconclusive_level,
            slack,
        )
    return (bound.min is None or found.high >= bound.min - slack) and (
        bound.max is None or found.low <= bound.max + slack
    )


def _change_may_pass(
    bound: model.ChangeBound, now: Value, before: Value, slack: float = SLACK
) -> bool:
    """Whether some pair of values the two results may have moves within the bound."""
    if now.missing or before.missing:
        return False
    if now.any or before.any:
        return True
    least_drop = before.low - now.high
    least_rise = now.low - before.high
    return (bound.max_drop is None or least_drop <= bound.max_drop + slack) and (
        bound.max_increase is None or least_rise <= bound.max_increase + slack
    )


def _rule_values(raw: Mapping, metric: str) -> Value:
    """Every value a rubric rule of that name could be read as."""
    numbers = [
        number
        for name, entry in _rules(raw.get("performance_metrics")) or []
        if _name_key(name) == _name_key(metric)
        for number in (
            [_num(entry.get(k)) for k in _VALUE_KEYS]
            if isinstance(entry, Mapping)
            else [_num(entry)]
        )
        if number is not None
    ]
    return Value(min(numbers), max(numbers)) if numbers else Value(missing=True)


#: run statuses that surely make a failed run an infrastructure failure (README, rule 2); the
#: other rules (Cekura's list, the metric, the words of a reason) may add more
_INFRA_STATUSES = ("error", "failed", "timeout")


def _status(entry: Mapping) -> str:
    value = entry.get("status")
    return value.strip().lower() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Connected:
    """A success rate's counts and how many failed runs the gate may leave out as
    infrastructure failures: at least `fewest` (run status error/failed/timeout), at most
    `most` (the listed runs that did not succeed with any sign of the infrastructure; with no
    runs listed, every failure)."""

    successes: int
    runs: int
    fewest: int
    most: int


#: a part of every word of README rule 3 (the reason speaks of the connection): any reason
#: that contains one may be an infrastructure failure; one that contains none cannot be
_CONNECTION_HINTS = (
    "sip",
    "socket",
    "provider",
    "connect",
    "dial",
    "telephon",
    "network",
    "handshake",
    "session",
    "time",
    "answer",
    "busy",
    "reachable",
    "twilio",
    "livekit",
    "pipecat",
)


def _may_be_infrastructure(entry: Mapping, listed: set[str]) -> bool:
    """Whether any rule could make this failed run an infrastructure failure; a run with no
    reason at all, on no list, is the agent's (README, rule 4)."""
    run_id = _text(entry.get("id"))
    if (listed and (not run_id or run_id in listed)) or _status(entry) in _INFRA_STATUSES:
        return True
    metadata = entry.get("metadata")
    reasons = [entry.get("error_message"), entry.get("ended_reason")]
    reasons.append(entry.get("call_ended_reason"))
    if isinstance(metadata, Mapping):
        reasons += [metadata.get("ended_reason"), metadata.get("call_ended_reason")]
    if any(word in _text(reason).lower() for reason in reasons for word in _CONNECTION_HINTS):
        return True
    evaluation = entry.get("evaluation")
    metrics = evaluation.get("metrics") if isinstance(evaluation, Mapping) else None
    return any(
        isinstance(m, Mapping)
        and "infrastructure" in _text(m.get("name")).lower()
        and not _true(m.get("passed"))
        for m in (metrics if isinstance(metrics, list) else [])
    )


def _connected(raw: Mapping) -> Connected | None:
    """None when the rate has no counts (a reported rate only): nothing is left out then."""
    rate = _rate(raw)
    if rate.successes is None:
        return None
    entries = _entries(raw)
    if entries:
        failing = [e for e in entries if isinstance(e, Mapping) and not _true(e.get("success"))]
        fewest = sum(1 for e in failing if _status(e) in _INFRA_STATUSES)
        listed = _decoded(raw.get("failed_infrastructure_runs"))
        ids = {
            _text(v.get("id") if isinstance(v, Mapping) else v)
            for v in (listed if isinstance(listed, list) else [])
        }
        most = sum(1 for e in failing if _may_be_infrastructure(e, ids))
    else:
        fewest, most = 0, rate.runs - rate.successes
    most = min(most, rate.runs - rate.successes)
    return Connected(rate.successes, rate.runs, min(fewest, most), most)


def _left_out(counts: Connected) -> Iterator[tuple[int, int]]:
    """Every (successes, runs) the rate over connected runs may be judged on."""
    for excluded in range(counts.most, counts.fewest - 1, -1):
        if counts.runs - excluded > 0:  # none left: no rate at all (never 100%)
            yield counts.successes, counts.runs - excluded


def _connected_may_pass(counts: Connected, check: model.MinCheck, slack: float) -> bool:
    return any(
        _rate_may_pass(
            100.0 * successes / runs,
            successes,
            runs,
            check.min,
            None,
            check.confidence,
            check.inconclusive_level,
            slack,
        )
        for successes, runs in _left_out(counts)
    )


def _agent_counts(raw: Mapping) -> list[Rate]:
    """Every rate over connected runs the result may be judged on, with its counts (a
    reported rate alone: that rate, no counts); [] when there is no rate at all."""
    counts = _connected(raw)
    if counts is None:
        rate = _rate(raw)
        return [] if rate.percent is None else [rate]
    return [Rate(100.0 * s / n, s, n) for s, n in _left_out(counts)]


def _least_infrastructure(raw: Mapping) -> tuple[int, int] | None:
    """(the fewest runs the gate must count as infrastructure failures, the runs), or None
    when it cannot count them: no runs listed, and no failed_infrastructure_runs list."""
    entries = _entries(raw)
    total = max(len(entries), _int(raw.get("total_runs_count")) or 0)
    if raw.get("runs") is not None:
        fewest = sum(
            1
            for e in entries
            if isinstance(e, Mapping)
            and not _true(e.get("success"))
            and _status(e) in _INFRA_STATUSES
        )
        return fewest, total
    if isinstance(_decoded(raw.get("failed_infrastructure_runs")), list) and total:
        return 0, total
    return None


def may_pass(raw: Any, policy: model.Policy, baseline: Any = None, slack: float = SLACK) -> str:
    """Why the raw payload cannot support a pass under `policy` ("" when it can).

    `baseline` is the raw baseline result when the policy has a baseline section (None: it
    was not found). Every bound is widened by `slack`, towards "may pass"; with no slack,
    the oracle reads the bounds exactly as the README states them."""
    if not isinstance(raw, Mapping):
        return "not an object"
    status = raw.get("status")
    if not isinstance(status, str) or status.strip().lower() not in policy.evaluate_statuses:
        return f"status {status!r} is not evaluated"
    rate = _rate(raw)
    if rate.runs < max(1, policy.min_runs):
        return f"{rate.runs} runs, {policy.min_runs} required"
    check = policy.success_rate
    agent_only = _connected(raw) if check and check.count_infrastructure == "exclude" else None
    if check and check.level is Level.ERROR and agent_only is not None:
        if not _connected_may_pass(agent_only, check, slack):
            return f"the success rate over connected runs {agent_only} cannot hold {check}"
    elif check and check.level is Level.ERROR:
        successes: float | None = rate.successes
        if successes is None and rate.percent is not None and rate.runs:
            # a reported rate and a run count only: the successes it implies, rounded down
            successes = math.floor(rate.percent * rate.runs / 100 + 1e-9)
        if not _rate_may_pass(
            rate.percent,
            successes,
            rate.runs,
            check.min,
            None,
            check.confidence,
            check.inconclusive_level,
            slack,
        ):
            return f"success rate {rate} cannot hold {check}"
    for name in ("failed_workflow_runs", "failed_infrastructure_runs"):
        limit = getattr(policy, name)
        if limit and limit.level is Level.ERROR:
            ids = _decoded(raw.get(name))
            if not isinstance(ids, list) or len(ids) > limit.max:
                return f"{name} {ids!r} unreadable or above {limit.max}"
    infrastructure = policy.infrastructure
    if infrastructure and infrastructure.level is not Level.WARN:
        least = _least_infrastructure(raw)
        if least is None:
            return "the infrastructure failures cannot be counted"
        count, total = least
        if infrastructure.max_rate is not None:
            held = not total or 100.0 * count / total <= infrastructure.max_rate + slack
        else:
            held = count <= (infrastructure.max or 0)
        if not held:
            return f"at least {count} of {total} runs failed for infrastructure reasons"
    rubric = policy.performance_metrics
    rules = _rules(raw.get("performance_metrics"))
    if rubric.require_all_met and rubric.level is Level.ERROR:
        absent = _decoded(raw.get("performance_metrics")) in (None, [], {})
        if not (rubric.only_if_present and absent) and not (
            rules and all(_met(entry) for _, entry in rules)
        ):
            return "a rubric rule is unreadable or not met"
    for bound in rubric.rules:
        if bound.level is not Level.ERROR:
            continue
        values = [
            _num(entry.get(k)) if isinstance(entry, Mapping) else _num(entry)
            for name, entry in rules or []
            if _name_key(name) == _name_key(bound.metric)
            for k in (_VALUE_KEYS if isinstance(entry, Mapping) else (None,))
        ]
        ok = [
            v
            for v in values
            if v is not None
            and (bound.min is None or v >= bound.min)
            and (bound.max is None or v <= bound.max)
        ]
        if not ok:
            return f"rule {bound.metric} has no readable value within bounds"
    for scenario in policy.scenarios:
        if (
            scenario.level is Level.ERROR
            and scenario.min_success_rate is not None
            and not _scenario_may_pass(raw, scenario, slack)
            and not _quarantined(
                raw, policy, _chosen(raw, scenario.name, scenario.scenario_id), scenario.label
            )
        ):
            return f"scenario {scenario.label} has no runs, or too few succeeded"
    why = _repeats_may_pass(raw, policy)
    if why:
        return why
    for metric in policy.metrics:
        if metric.level is Level.ERROR and not _metric_may_pass(raw, metric, slack):
            return f"metric {metric.metric} {metric.aggregation} is missing or out of bounds"
    if policy.baseline is None:
        return ""
    if not isinstance(baseline, Mapping):
        found_level = policy.baseline.when_missing
        return "the baseline was not found" if found_level is Level.ERROR else ""
    regression = policy.regression
    drop = regression.success_rate
    if drop is not None and drop.level is Level.ERROR:
        # the agent's rates: infrastructure failures left out on both sides
        now_options, before_options = _agent_counts(raw), _agent_counts(baseline)
        if not now_options or not before_options:
            return "the success rate is not comparable with the baseline's"
        if not any(
            _drop_may_pass(drop, now, before, slack)
            for now in now_options
            for before in before_options
        ):
            return "the agent's success rate fell too far from the baseline's"
    for scenario_drop in regression.scenarios:
        chosen = _chosen(raw, scenario_drop.name, scenario_drop.scenario_id)
        if _quarantined(raw, policy, chosen, scenario_drop.label):
            continue  # README: an active quarantine excuses the scenario's regression too
        if scenario_drop.level is Level.ERROR and not _scenario_drop_may_pass(
            raw, baseline, scenario_drop, slack
        ):
            return f"scenario {scenario_drop.label} is not comparable or fell too far"
    why = _coverage_and_age_may_pass(raw, baseline, policy, slack)
    if why:
        return why
    for bound in regression.rules:
        if bound.level is Level.ERROR and not _change_may_pass(
            bound, _rule_values(raw, bound.metric), _rule_values(baseline, bound.metric), slack
        ):
            return f"rubric rule {bound.metric} is not comparable or moved too far"
    for bound in regression.metrics:
        now_value = _aggregate(raw, bound.metric, bound.aggregation)
        before_value = _aggregate(baseline, bound.metric, bound.aggregation)
        if (
            bound.level is Level.ERROR
            and not _change_may_pass(bound, now_value, before_value, slack)
            # with significance, a move beyond the bound may pass as not significant (the
            # oracle does not recompute Mann-Whitney); it still needs values on both sides
            and (bound.significance is None or now_value.missing or before_value.missing)
        ):
            return f"metric {bound.metric} {bound.aggregation} is not comparable or moved too far"
    return ""


# -- the oracle on significance, coverage and age (README, "Significant regressions") -------


def _fisher(successes: int, runs: int, base_successes: int, base_runs: int) -> Fraction:
    """P(X <= successes), X hypergeometric: `runs` of the pooled runs, as a fraction."""
    pooled, wins = runs + base_runs, successes + base_successes
    tables = math.comb(pooled, runs)
    return sum(
        (
            Fraction(math.comb(wins, k) * math.comb(pooled - wins, runs - k), tables)
            for k in range(successes + 1)
            if k <= wins and runs - k <= pooled - wins
        ),
        Fraction(0),
    )


def _drop_may_pass(bound: Any, now: Rate, before: Rate, slack: float) -> bool:
    """Whether a rate regression bound (max_drop, significance or both) could hold."""
    assert now.percent is not None and before.percent is not None
    max_drop = bound.max_drop
    if max_drop is None:
        max_drop = 0.0  # significance alone
    if before.percent - now.percent <= max_drop + slack:
        return True
    if bound.significance is None:
        return False
    if now.successes is None or before.successes is None or not now.runs or not before.runs:
        return False  # beyond the bound, and no counts to test it on: never a pass
    p = _fisher(now.successes, now.runs, before.successes, before.runs)
    return p > bound.significance * (1 - 1e-9)


def _scenario_groups(raw: Mapping) -> dict[Any, list[tuple[int | None, str, bool]]]:
    groups: dict[Any, list[tuple[int | None, str, bool]]] = {}
    for entry in _entries(raw):
        sid, name = _scenario_of(entry)
        ok = isinstance(entry, Mapping) and _true(entry.get("success"))
        groups.setdefault(sid if sid is not None else _name_key(name), []).append((sid, name, ok))
    return groups


def _scenario_runs(raw: Mapping, name: str, sid: int | None) -> list[tuple[int | None, str, bool]]:
    groups = _scenario_groups(raw)
    if sid is not None:
        return next((g for g in groups.values() if g[0][0] == sid), [])
    return [r for g in groups.values() if _name_key(g[0][1]) == _name_key(name) for r in g]


def _scenario_drop_may_pass(
    raw: Mapping, baseline: Mapping, bound: model.ScenarioChangeBound, slack: float
) -> bool:
    """The scenario must have runs on both sides (the baseline's matched by id, else by name)
    and its drop hold the bound, or not be significant."""
    now = _scenario_runs(raw, bound.name, bound.scenario_id)
    if not now:
        return False
    candidates = [_scenario_runs(baseline, bound.name, bound.scenario_id)]
    candidates += [_scenario_runs(baseline, "", sid) for sid, _, _ in now if sid is not None]
    passed = sum(ok for *_, ok in now)
    for before in candidates:
        if not before:
            continue
        base_passed = sum(ok for *_, ok in before)
        rates = (
            Rate(100.0 * passed / len(now), passed, len(now)),
            Rate(100.0 * base_passed / len(before), base_passed, len(before)),
        )
        if _drop_may_pass(bound, *rates, slack):
            return True
    return False


def _created(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=datetime.UTC)


def _coverage_and_age_may_pass(
    raw: Mapping, baseline: Mapping, policy: model.Policy, slack: float
) -> str:
    coverage = policy.coverage
    if coverage is not None and coverage.missing_scenarios is Level.ERROR:
        if not _entries(raw) or not _entries(baseline):
            return "a side lists no runs: which scenarios ran is unknown"
        ran = _scenario_groups(raw).values()
        ids = {sid for group in ran for sid, _, _ in group if sid is not None}
        names = {_name_key(name) for group in ran for _, name, _ in group}
        for group in _scenario_groups(baseline).values():
            sid, name, _ = group[0]
            if not ((sid is not None and sid in ids) or _name_key(name) in names):
                return f"the baseline's scenario {name!r} did not run"
    if coverage is not None and coverage.max_run_drop is not None and coverage.level is Level.ERROR:
        now, before = _rate(raw).runs, _rate(baseline).runs
        if now < before * (1 - coverage.max_run_drop / 100) - slack:
            return f"{now} runs against the baseline's {before}"
    bound = policy.baseline
    if bound is not None and bound.max_age_hours is not None and bound.when_older is Level.ERROR:
        created, until = _created(baseline.get("created_at")), _created(raw.get("created_at"))
        if created is None or until is None:
            return "the baseline's age is unknown"
        if (until - created).total_seconds() / 3600 > bound.max_age_hours + slack:
            return "the baseline is older than max_age"
    return ""


# -- the properties ------------------------------------------------------------------------


def judge(raw: Any, policy: model.Policy, label: str, before: Any = None) -> None:
    """The whole in-process flow on `raw` (and on `before`, what the baseline lookup found
    when the policy has a baseline), with every invariant."""
    GENERATED[label] += 1
    try:
        result = parse(raw)
    except PayloadError:
        assert not isinstance(raw, Mapping)
        return
    verdict = evaluate(result, policy, baseline=baseline_of(policy, before), today=TODAY)
    # a flaky scenario is never silently green: a flaky check on it did not hold
    flaky = [c for c in verdict.checks if c.kind is Kind.FLAKY and not c.held]
    for row in verdict.scenarios:
        if row.stability is Stability.FLAKY:
            assert flaky, f"flaky scenario {row.name} has no flaky check that did not hold"
    if verdict.kind is not VerdictKind.ERROR:
        assert len(verdict.quarantine) == len(policy.quarantine)
    if verdict.kind is VerdictKind.PASS:
        why = may_pass(raw, policy, before)
        assert not why, f"FALSE GREEN: the gate passed, but {why}"
        assert all(c.held or c.level is Level.WARN for c in verdict.checks)
        names = {c.name for c in verdict.checks}
        assert "min_runs" in names
        if policy.success_rate:
            assert "success_rate" in names
        for bound in policy.performance_metrics.rules:
            assert any(bound.metric in name for name in names), bound
        for scenario in policy.scenarios:
            if scenario.min_success_rate is not None:
                assert f"scenarios[{scenario.label}]" in names
            if scenario.min_passes is not None:
                assert f"scenarios[{scenario.label}].min_passes" in names
            if scenario.flaky_level is not None:
                assert f"flaky[{scenario.label}]" in names
        for state in verdict.quarantine:  # expired or unmatched: said in a check
            if not state.active or not state.scenarios:
                assert f"quarantine[{state.label}]" in names
        for metric in policy.metrics:
            assert f"metrics[{metric.metric}].{metric.aggregation}" in names
        if policy.infrastructure:
            assert "infrastructure" in names
        if policy.baseline is not None:
            assert "baseline" in names
            if before is not None and policy.regression.success_rate is not None:
                assert "baseline.success_rate" in names
            if before is not None:
                for scenario_drop in policy.regression.scenarios:
                    assert f"baseline.scenarios[{scenario_drop.label}]" in names
                if policy.coverage is not None:
                    assert "coverage.scenarios" in names
                if policy.baseline.max_age_hours is not None:
                    assert "baseline.age" in names
    elif verdict.kind is VerdictKind.FAIL:
        assert verdict.failed_checks, "a failed verdict names the checks that failed"
    else:
        assert verdict_reason(verdict), "exit 3 is never silent"
    summary = report.render(verdict, result, context=report.ReportContext(result_id=result.id))
    assert len(summary.encode("utf-8")) <= report.SUMMARY_BUDGET
    comment = report.render(verdict, result, budget=report.COMMENT_BUDGET)
    assert len(comment) <= report.COMMENT_BUDGET
    annotations = github.annotations(verdict)
    assert sum(a.startswith("::error") for a in annotations) <= github.MAX_ANNOTATIONS
    outputs = github.step_outputs(verdict=verdict, result=result, result_id=result.id)
    assert outputs["verdict"] == verdict.kind.value
    assert all(isinstance(v, str) for v in outputs.values())


@examples(250)
@given(raw=SCHEMA_PAYLOADS, cfg=CONFIGS, before=BASELINES)
def test_no_false_green_on_schema_payloads(raw, cfg, before):
    judge(raw, policy_of(cfg), "schema", before)


@examples(1000)
@given(raw=mutated(), cfg=CONFIGS, before=BASELINES)
def test_no_false_green_on_mutated_payloads(raw, cfg, before):
    judge(raw, policy_of(cfg), "mutated", before)


@examples(300)
@given(raw=mutated())
def test_no_false_green_under_the_default_policy(raw):
    judge(raw, model.DEFAULT_POLICY, "default policy")


# Results with infrastructure failures and blocked metrics, built by the simulator from random
# outcomes (a SIP 503, a call that never connected, a run that errored, agent failures, a
# metric that applies to one scenario only), judged under configs that use the keys for them.


@st.composite
def simulated(draw: st.DrawFn) -> dict:
    count = draw(st.integers(1, len(catalogue.SCENARIOS)))
    frequency = draw(st.integers(1, 3))
    scenarios = [s.id for s in catalogue.SCENARIOS[:count]]
    outcomes = {
        sid: tuple(draw(st.sampled_from(catalogue.OUTCOMES)) for _ in range(frequency))
        for sid in scenarios
    }
    profile = catalogue.AgentProfile(9, "simulated", outcomes, transfer_metric=draw(st.booleans()))
    raw = catalogue.build_result(
        draw(st.integers(1, 9_999)), profile, scenarios, frequency=frequency
    )
    if draw(st.booleans()):  # Cekura's own list, or not measured
        raw["failed_infrastructure_runs"] = draw(st.sampled_from([None, []]))
    return raw


@st.composite
def infrastructure_configs(draw: st.DrawFn) -> dict:
    # mostly these keys alone: among many other thresholds, one of those would decide
    cfg = (draw(CONFIGS) if draw(st.integers(0, 3)) == 0 else None) or {"version": 1}
    thresholds = cfg.setdefault("thresholds", {})
    if draw(st.integers(0, 3)):
        rate = thresholds.setdefault("success_rate", draw(rate_bound("min")))
        rate["count_infrastructure"] = draw(st.sampled_from(["exclude", "exclude", "as_failure"]))
    if draw(st.booleans()):
        thresholds["infrastructure"] = draw(
            st.one_of(
                st.fixed_dictionaries({"max_rate": PERCENT}, optional={"level": INFRA_LEVEL}),
                st.fixed_dictionaries({"max": st.integers(0, 4)}, optional={"level": INFRA_LEVEL}),
            )
        )
    if draw(st.booleans()):
        thresholds.setdefault("metrics", []).append(
            {"metric": "Transfer Handling", "aggregation": "pass_rate", "min": draw(PERCENT)}
        )
    if draw(st.booleans()):
        cfg.setdefault("baseline", {"result_id": 1})
        regression = thresholds.setdefault("regression", {})
        regression["success_rate"] = {"max_drop": draw(st.one_of(st.integers(0, 20), PERCENT))}
    return cfg


@examples(600)
@given(raw=simulated(), cfg=infrastructure_configs(), before=st.one_of(st.none(), simulated()))
def test_no_false_green_on_results_with_infrastructure_failures(raw, cfg, before):
    judge(raw, policy_of(cfg), "infrastructure", before)


# -- the converse: what is clean passes ---------------------------------------------------------
#
# A gate that never passed would satisfy every property above. These say the other half: a
# result that meets a policy passes it.

LENIENT = st.one_of(
    st.just({"version": 1}),  # runs in the result: the only check
    PERCENT.map(lambda m: {"version": 1, "thresholds": {"success_rate": {"min": m}}}),
)


@examples(300)
@given(raw=mutated(), cfg=LENIENT)
def test_a_payload_the_oracle_finds_clean_passes_a_lenient_policy(raw, cfg):
    """Under a policy of runs and a success rate only, the oracle's reading is the README's
    whole rule, so the gate must pass exactly what it finds clean."""
    GENERATED["lenient"] += 1
    policy = policy_of(cfg)
    verdict = evaluate(parse(raw), policy)
    if may_pass(raw, policy, slack=0) == "":
        GENERATED["lenient, clean"] += 1
        assert verdict.kind is VerdictKind.PASS, [(c.name, actual(c)) for c in verdict.checks]
    elif may_pass(raw, policy) != "":
        assert verdict.kind is not VerdictKind.PASS


def up_to(value: float) -> st.SearchStrategy[float]:
    return st.floats(0, max(0.0, value), allow_nan=False)


@st.composite
def clean_results(draw: st.DrawFn) -> tuple[dict, dict]:
    """A result and a config it meets: every bound drawn at or below what the runs show
    (with confidence, at or below the interval's lower bound), in every shape the API uses."""
    scenarios = draw(st.lists(st.sampled_from(SCENARIO_IDS), min_size=1, max_size=3, unique=True))
    runs = []
    for n in range(draw(st.integers(1, 30))):
        success = draw(st.sampled_from([True, True, True, False, None, "true", "false"]))
        run = {
            "id": 1000 + n,
            "scenario": {"id": draw(st.sampled_from(scenarios)), "name": "S"},
            "status": "completed",
            "success": success,
            "evaluation": {
                "metrics": [
                    {
                        "name": "Latency",
                        "eval_type": "numeric",
                        "score": draw(st.integers(0, 3000)),
                    },
                    {"name": "Adherence", "eval_type": "binary", "passed": draw(st.booleans())},
                ]
            },
        }
        runs.append(
            run
            | draw(
                st.dictionaries(
                    st.sampled_from(["x", "notes", "tags"]),
                    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
                    max_size=2,
                )
            )
        )
    raw: dict[str, Any] = {"id": 7, "status": draw(st.sampled_from(["completed", " Completed "]))}
    raw["runs"] = {str(r["id"]): r for r in runs} if draw(st.booleans()) else runs
    if draw(st.booleans()):
        counted = len(runs) + draw(st.integers(0, 3))  # counted but not listed: not succeeded
        raw["total_runs_count"] = str(counted) if draw(st.booleans()) else counted

    rate = _rate(raw)
    assert rate.percent is not None and rate.successes is not None
    thresholds: dict[str, Any] = {"min_runs": draw(st.integers(1, rate.runs))}
    confidence = draw(st.one_of(st.none(), CONFIDENCE))
    if confidence is None:
        thresholds["success_rate"] = {"min": draw(up_to(rate.percent))}
    else:
        low, _ = _wilson(rate.successes, rate.runs, confidence)
        thresholds["success_rate"] = {
            "min": min(99.0, draw(up_to(low - SLACK))),
            "confidence": confidence,
            "inconclusive_level": "error",
        }
    sid = scenarios[0]
    mine = [r for r in runs if r["scenario"]["id"] == sid]
    if mine:
        succeeded = sum(1 for r in mine if _true(r["success"]))
        thresholds["scenarios"] = [
            {"id": sid, "min_success_rate": draw(up_to(100.0 * succeeded / len(mine)))}
        ]
    latencies = sorted(r["evaluation"]["metrics"][0]["score"] for r in runs)
    passed = sum(r["evaluation"]["metrics"][1]["passed"] for r in runs)
    thresholds["metrics"] = [
        {"metric": "latency", "aggregation": "max", "max": latencies[-1] + draw(up_to(100))},
        {"metric": "Latency", "aggregation": "min", "min": draw(up_to(latencies[0]))},
        {
            "metric": "Adherence",
            "aggregation": "pass_rate",
            "min": draw(up_to(100.0 * passed / len(runs))),
        },
    ]
    return raw, {"version": 1, "thresholds": thresholds}


@examples(100)
@given(case=clean_results())
def test_a_result_that_meets_its_config_passes(case):
    raw, cfg = case
    GENERATED["clean by construction"] += 1
    policy = policy_of(cfg)
    assert may_pass(raw, policy, slack=0) == "", "the oracle disagrees with the case"
    verdict = evaluate(parse(raw), policy)
    assert verdict.kind is VerdictKind.PASS, [(c.name, actual(c)) for c in verdict.failed_checks]


def test_the_oracle_reads_every_boundary_case_as_the_gate_must():
    """The oracle against tests/judge/test_boundaries.py's exact expectations: it may pass exactly
    the cases that must pass."""
    from tests.boundary_cases import CASES, PASS

    for name, case in CASES.items():
        why = may_pass(case.payload, case.policy(), case.baseline)
        assert (why == "") is (case.kind is PASS), (name, why)


@examples(40)
@given(raw=PURE_SCHEMA_PAYLOADS)
def test_the_schema_strategy_follows_the_schema(raw):
    """Guards the generator: without the real-shape overrides, every payload validates."""
    jsonschema_rs.Draft202012Validator(SCHEMA).validate(raw)
    judge(raw, model.DEFAULT_POLICY, "pure schema")


@examples(60)
@given(raw=mutated() | SCHEMA_PAYLOADS, cfg=CONFIGS)
def test_every_artifact_is_written_for_any_payload(raw, cfg, tmp_path_factory):
    """The real publish step (summary, outputs, JSON, JUnit, annotations) on any payload."""
    GENERATED["published"] += 1
    workspace = tmp_path_factory.mktemp("pub")
    environ = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "CEKURA_REPORT_JSON": str(workspace / "r.json"),
        "CEKURA_JUNIT_XML": str(workspace / "j.xml"),
    }
    settings_ = from_sources(["check", "--result-file", "unused.json"], environ)
    result = parse(raw)
    policy = policy_of(cfg)
    verdict = evaluate(result, policy)
    out, err = io.StringIO(), io.StringIO()
    log = job_log.Log(out=out, err=err, actions=True)
    publish.publish(
        settings_.publishing,
        verdict=verdict,
        result=result,
        result_id=result.id,
        status=result.status,
        policy_source=policy.source,
        log=log,
    )
    assert err.getvalue() == "", err.getvalue()  # no "could not write" warnings
    assert json.loads((workspace / "r.json").read_text("utf-8"))
    assert (workspace / "j.xml").read_text("utf-8").startswith("<?xml")


# -- known shapes that once lied, pinned -------------------------------------------------------


def _ok_run(n: int) -> dict:
    return {"id": n, "status": "completed", "success": True}


@pytest.mark.parametrize(
    "raw",
    [
        # an unreadable run entry must count as a run that did not succeed
        {"status": "completed", "runs": {"1": _ok_run(1), "2": _ok_run(2), "3": "garbage"}},
        {"status": "completed", "runs": [_ok_run(1), None]},
        # the counts say 3 runs, one failed; the runs listed are only the passing two
        {
            "status": "completed",
            "total_runs_count": "3",
            "runs": {"1": _ok_run(1), "2": _ok_run(2)},
        },
        # more successes than runs is not a 100% pass
        {"status": "completed", "total_runs_count": 2, "success_runs_count": "3"},
        # no runs, no counts, a bare rate: nothing was tested
        {"status": "completed", "success_rate": 100},
    ],
)
def test_shapes_that_must_not_pass(raw):
    policy = config.parse("version: 1\nthresholds:\n  success_rate: {min: 100}\n", name="g.yml")
    verdict = evaluate(parse(raw), policy)
    assert verdict.kind is not VerdictKind.PASS, verdict
    assert may_pass(raw, policy)


def test_the_oracle_agrees_that_a_clean_pass_passes():
    for base in (catalogue.demo_result(1), BASES[2], BASES[4]):
        assert may_pass(base, model.DEFAULT_POLICY) == ""
        assert evaluate(parse(base), model.DEFAULT_POLICY).kind is VerdictKind.PASS


# -- end to end: the real command on a few hostile files ----------------------------------------


def test_the_command_never_crashes_on_hostile_files(tmp_path):
    """A handful of mutated payloads through the real command: exit 0, 1 or 3, no traceback."""
    samples = [
        mutate(copy.deepcopy(BASES[0]), ("runs",), "huge dict"),
        mutate(copy.deepcopy(BASES[1]), ("performance_metrics",), "x" * 200_000),
        mutate(copy.deepcopy(BASES[0]), ("status",), REMOVED),
        mutate(copy.deepcopy(BASES[2]), ("runs", "1", "success"), "yes"),
        [1, 2, 3],
        "[" * 100_000,
    ]
    runs = []
    for n, payload in enumerate(samples):
        workspace = make_workspace(tmp_path / str(n), config=None)
        path = workspace / "result.json"
        path.write_text(payload if isinstance(payload, str) else json.dumps(payload), "utf-8")
        env = {
            "CEKURA_API_KEY": API_KEY,
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
            "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        }
        runs.append(launch_gate(workspace, "--result-file", str(path), env=env))
    for run in runs:
        run.wait(60)
        assert run.returncode in (0, 1, 3), run.stderr
        assert "Traceback" not in run.log and "internal error" not in run.stderr, run.stderr
        assert run.outputs["verdict"] in {"pass", "fail", "error"}
        run.check_no_leak()
    GENERATED["end to end"] += len(runs)
