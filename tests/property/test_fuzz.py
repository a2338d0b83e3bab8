"""No false green, as a property; and the gate never crashes, whatever the payload.

Payloads come two ways: from Cekura's own ResultDetailV2 JSON schema (tests/data, copied from
the OpenAPI file; counts are typed as strings there, so both strings and ints are generated,
and the other documented real shapes too), and by mutating realistic payloads: one to three
fields swapped to null, a string, a number, a bool, a list, a dict, a huge value, or removed.
Configs are generated as YAML and loaded by the real config loader.

The invariant, checked against `may_pass`, an independent and deliberately plain reading of
the raw payload: the gate passes only if the result reached a status the policy evaluates,
had at least `min_runs` runs, and every error-level check had readable data that held.

Sizes: the "ci" hypothesis profile (the default) runs in seconds; GATE_FUZZ_PROFILE=thorough
runs twenty times as many examples with a fresh seed.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.errors import PayloadError
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Level, VerdictKind
from gate.policy import config, model
from gate.publish import github
from gate.publish import markdown as report
from gate.publish import step as publish
from gate.result.parsing import parse
from gate.settings import from_sources
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


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    index = draw(st.integers(0, len(BASES) - 1))
    payload = copy.deepcopy(BASES[index])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[index]))
        # (an earlier mutation may have removed or replaced the parent: fine)
        with contextlib.suppress(KeyError, IndexError, TypeError):
            mutate(payload, path, draw(REPLACEMENTS))
    return payload


# -- configs -----------------------------------------------------------------------------

LEVEL = st.sampled_from(["error", "error", "warn"])
BOUND = st.one_of(st.integers(0, 2000), st.floats(0, 2000, allow_nan=False))
RULE_BOUND = st.fixed_dictionaries(
    {"metric": st.sampled_from(NAMES)}, optional={"min": BOUND, "max": BOUND, "level": LEVEL}
).filter(lambda r: "min" in r or "max" in r)
CONFIGS = st.one_of(
    st.none(),  # the default policy
    st.fixed_dictionaries(
        {"version": st.just(1)},
        optional={
            "evaluate_statuses": st.lists(
                st.sampled_from(["completed", "failed", "timeout", "cancelled"]),
                min_size=1,
                unique=True,
            ),
            "thresholds": st.fixed_dictionaries(
                {},
                optional={
                    "min_runs": st.integers(1, 6),
                    "success_rate": st.fixed_dictionaries(
                        {"min": st.one_of(st.integers(0, 100), st.floats(0, 100))},
                        optional={"level": LEVEL},
                    ),
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
                },
            ),
        },
    ),
)


def policy_of(cfg: dict | None) -> model.Policy:
    if cfg is None:
        return model.DEFAULT_POLICY
    return config.parse(yaml.safe_dump(cfg), name="gate.yml")


# -- the oracle: an independent, plain reading of the raw payload ---------------------------------

_MET_KEYS = ("passed", "met", "meets", "meets_conditions", "is_met", "success")
_NAME_KEYS = ("metric_name", "name", "metric", "rule", "title")
_VALUE_KEYS = ("value", "aggregate", "aggregated_value", "score", "actual")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and math.isfinite(value) and value >= 0 and value == int(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.0*)?\s*", value):
        return int(float(value))
    return None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
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


def _key(name: str) -> str:
    return " ".join(name.replace("_", " ").lower().split())


def may_pass(raw: Any, policy: model.Policy) -> str:
    """Why the raw payload cannot support a pass under `policy` ("" when it can)."""
    if not isinstance(raw, Mapping):
        return "not an object"
    status = raw.get("status")
    if not isinstance(status, str) or status.strip().lower() not in policy.evaluate_statuses:
        return f"status {status!r} is not evaluated"
    runs = raw.get("runs")
    entries = (
        list(runs.values()) if isinstance(runs, Mapping) else runs if isinstance(runs, list) else []
    )
    reported = _int(raw.get("total_runs_count"))
    if entries:
        total = max(len(entries), reported or 0)
        successes = sum(1 for e in entries if isinstance(e, Mapping) and _true(e.get("success")))
        rates = [100.0 * successes / total]
    else:
        total = reported or 0
        succeeded = _int(raw.get("success_runs_count"))
        if succeeded is not None and total and succeeded <= total:
            rates = [100.0 * succeeded / total]
        else:
            rate = _num(raw.get("success_rate"))
            rates = (
                []
                if rate is None or not 0 <= rate <= 100
                else [rate, rate * 100 if rate <= 1 else rate]
            )
    if total < max(1, policy.min_runs):
        return f"{total} runs, {policy.min_runs} required"
    check = policy.success_rate
    if check and check.level is Level.ERROR and not any(r >= check.min - 1e-6 for r in rates):
        return f"success rate {rates} below {check.min}"
    for name in ("failed_workflow_runs", "failed_infrastructure_runs"):
        limit = getattr(policy, name)
        if limit and limit.level is Level.ERROR:
            ids = _decoded(raw.get(name))
            if not isinstance(ids, list) or len(ids) > limit.max:
                return f"{name} {ids!r} unreadable or above {limit.max}"
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
            if _key(name) == _key(bound.metric)
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
    return ""


# -- the properties ------------------------------------------------------------------------


def judge(raw: Any, policy: model.Policy, label: str) -> None:
    """The whole in-process flow on `raw`, with every invariant."""
    GENERATED[label] += 1
    try:
        result = parse(raw)
    except PayloadError:
        assert not isinstance(raw, Mapping)
        return
    verdict = evaluate(result, policy)
    if verdict.kind is VerdictKind.PASS:
        why = may_pass(raw, policy)
        assert not why, f"FALSE GREEN: the gate passed, but {why}"
        assert all(c.held or c.level is Level.WARN for c in verdict.checks)
        names = {c.name for c in verdict.checks}
        assert "min_runs" in names
        if policy.success_rate:
            assert "success_rate" in names
        for bound in policy.performance_metrics.rules:
            assert any(bound.metric in name for name in names), bound
    elif verdict.kind is VerdictKind.FAIL:
        assert verdict.failed_checks, "a failed verdict names the checks that failed"
    else:
        assert verdict.reason, "exit 3 is never silent"
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
@given(raw=SCHEMA_PAYLOADS, cfg=CONFIGS)
def test_no_false_green_on_schema_payloads(raw, cfg):
    judge(raw, policy_of(cfg), "schema")


@examples(1000)
@given(raw=mutated(), cfg=CONFIGS)
def test_no_false_green_on_mutated_payloads(raw, cfg):
    judge(raw, policy_of(cfg), "mutated")


@examples(300)
@given(raw=mutated())
def test_no_false_green_under_the_default_policy(raw):
    judge(raw, model.DEFAULT_POLICY, "default policy")


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
    log = publish.Log(out=out, err=err, actions=True)
    publish.publish(
        settings_,
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
