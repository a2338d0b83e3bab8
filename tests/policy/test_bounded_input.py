"""Hostile input is bounded and named (unit level): answers over the size cap, JSON nested too
deeply, integers no float holds, YAML alias bombs. Nothing here may end in "internal error".

The end-to-end versions, over HTTP with the real command, are in tests/end_to_end/test_hostile.py.
"""

from __future__ import annotations

import gzip
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from responses import registries

from gate.cli import main
from gate.errors import (
    AuthError,
    ConfigError,
    PayloadError,
    ResponseTooLarge,
    RunStartUncertain,
    TransientApiError,
)
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Outcome
from gate.policy import config, model, yaml_reader
from gate.publish.actions.github import step_outputs
from gate.publish.junit import junit_text
from gate.publish.pages import markdown as report
from gate.publish.report_json import build_report
from gate.publish.words.wording import detail as wording_detail
from gate.result.parsing import parse
from gate.simulator import catalogue
from gate.simulator import payloads as sp
from gate.source import transport
from gate.source.client import CekuraClient
from gate.source.start import StartRequest
from gate.source.wait import _read

BASE = "https://api.cekura.test"
URL = f"{BASE}/test_framework/v2/results/123/"
HUGE = 10**400


@pytest.fixture
def http():
    with responses.RequestsMock(registry=registries.OrderedRegistry) as mock:
        yield mock


def client() -> CekuraClient:
    return CekuraClient(base_url=BASE, api_key="ck_live_key_0123456789")


# -- the response cap ----------------------------------------------------------------------


def test_an_answer_one_byte_over_the_cap_is_too_large(http, monkeypatch):
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 1000)
    body = json.dumps({"id": 123, "status": "completed", "pad": "x" * 2000})
    http.get(URL, body=body[:1001], content_type="application/json")
    with pytest.raises(ResponseTooLarge) as caught:
        client().get_result("123", timeout=5)
    assert "with a body of over 1,000 bytes, more than the 1,000 bytes the gate reads" in (
        caught.value.message
    )
    assert caught.value.exit_code == 3


def test_an_answer_exactly_at_the_cap_is_read(http, monkeypatch):
    body = json.dumps({"id": 123, "status": "completed", "pad": ""})
    body = body.replace('""', '"' + "x" * (1000 - len(body)) + '"')
    assert len(body) == 1000
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 1000)
    http.get(URL, body=body, content_type="application/json")
    assert client().get_result("123", timeout=5)["id"] == 123


def test_the_cap_counts_decompressed_bytes(http, monkeypatch):
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 100_000)
    inflated = json.dumps({"id": 123, "status": "completed", "pad": " " * 200_000}).encode()
    packed = gzip.compress(inflated)
    assert len(packed) < 1000  # small on the wire, too large once read
    http.get(
        URL,
        body=packed,
        headers={"Content-Encoding": "gzip"},
        content_type="application/json",
    )
    with pytest.raises(ResponseTooLarge) as caught:
        client().get_result("123", timeout=5)
    assert "a body of over 100,000 bytes once decompressed (gzip)" in caught.value.message


def test_a_gzip_answer_under_the_cap_is_read(http):
    packed = gzip.compress(json.dumps({"id": 123, "status": "completed"}).encode())
    http.get(
        URL, body=packed, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )
    assert client().get_result("123", timeout=5)["status"] == "completed"


def test_the_default_cap_is_256_mib():
    assert transport.MAX_RESPONSE_BYTES == 256 * 2**20


def test_a_start_answer_over_the_cap_is_an_uncertain_start(http, monkeypatch):
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 10)
    url = f"{BASE}/test_framework/v1/scenarios/run_scenarios/"
    http.post(url, json={"id": 5, "pad": "x" * 100}, status=201)
    with pytest.raises(RunStartUncertain) as caught:
        client().start(StartRequest(agent_id=1, scenarios=(1,)), timeout=5)
    assert "more than the 10 bytes the gate reads" in caught.value.message


# -- JSON the decoder refuses ----------------------------------------------------------------


def test_json_nested_too_deeply_is_unreadable_and_not_retried(http):
    http.get(URL, body=sp.deeply_nested(100_000, result_id=123), content_type="application/json")
    with pytest.raises(PayloadError) as caught:
        client().get_result("123", timeout=5)
    assert not isinstance(caught.value, TransientApiError)
    assert "JSON nested more deeply than the gate reads" in caught.value.message


def test_an_integer_of_thousands_of_digits_is_unreadable_and_not_retried(http):
    http.get(URL, body='{"id": 123, "total_runs_count": ' + "9" * 5000 + "}")
    with pytest.raises(PayloadError) as caught:
        client().get_result("123", timeout=5)
    assert not isinstance(caught.value, TransientApiError)
    assert "JSON the gate cannot read" in caught.value.message


def test_a_cut_short_body_is_still_transient(http):
    http.get(URL, body='{"id": 123, "status": "comp')
    with pytest.raises(TransientApiError):
        client().get_result("123", timeout=5)


@pytest.mark.parametrize("depth", [900, 100_000])
def test_an_error_body_nested_deeply_still_gives_the_status(http, depth):
    http.get(URL, body='{"detail": ' + "[" * depth + "]" * depth + "}", status=401)
    with pytest.raises(AuthError) as caught:
        client().get_result("123", timeout=5)
    assert "HTTP 401" in caught.value.message


def test_the_parser_names_json_nested_too_deeply():
    with pytest.raises(PayloadError, match="nested more deeply than the gate reads"):
        parse(sp.deeply_nested(100_000))


@pytest.mark.parametrize(
    "key", ["performance_metrics", "overall_evaluation", "failed_workflow_runs"]
)
def test_json_strings_inside_the_result_nested_too_deeply_are_unreadable_values(key):
    raw = catalogue.demo_result(1) | {key: "[" * 100_000 + "]" * 100_000}
    result = parse(raw)  # no RecursionError
    if key == "performance_metrics":
        assert result.performance_metrics_error == (
            "performance_metrics is a string of JSON nested too deeply to read"
        )
    if key == "failed_workflow_runs":
        assert result.failed_workflow_runs is None


def test_a_rubric_entry_nested_900_deep_is_an_unreadable_rubric():
    nested: Any = []
    for _ in range(900):
        nested = [nested]
    result = parse(catalogue.demo_result(1) | {"performance_metrics": [nested]})
    assert "has no recognisable metric name" in result.performance_metrics_error


# -- integers no float holds -----------------------------------------------------------------


def test_huge_integers_are_missing_values_not_errors():
    raw = catalogue.demo_result(1)
    run = next(iter(raw["runs"].values()))
    run["expected_outcome"]["score"] = HUGE
    run["scenario"]["id"] = HUGE
    for metric in run["evaluation"]["metrics"]:
        metric["score"] = -HUGE
    raw["performance_metrics"][0]["value"] = HUGE
    raw["total_runs_count"] = HUGE
    raw["success_rate"] = HUGE
    result = parse(raw)
    parsed = next(r for r in result.runs if r.id == str(run["id"]))
    assert parsed.expected_outcome_score is None
    assert parsed.scenario_id is None
    assert all(m.value is None for m in parsed.metrics if m.name == "Latency")
    assert result.performance_metrics[0].value is None
    assert result.reported_total_runs is None
    assert result.reported_success_rate is None


def test_a_rubric_bound_on_a_huge_value_is_missing():
    raw = catalogue.demo_result(1)
    raw["performance_metrics"][0]["value"] = HUGE
    text = (
        "version: 1\nthresholds:\n  performance_metrics:\n    rules: [{metric: Latency, max: 9}]\n"
    )
    policy = config.parse(text, name="g.yml")
    check = evaluate(parse(raw), policy).checks[-1]
    assert check.outcome is Outcome.MISSING
    assert "has no aggregated value" in wording_detail(check)


def test_polling_reads_huge_counts_as_no_count():
    assert _read(
        {"status": "running", "completed_runs_count": HUGE, "total_runs_count": -HUGE}
    ) == (
        "running",
        None,
        None,
    )


# -- YAML alias bombs and other hostile configs -------------------------------------------------


def test_billion_laughs_is_refused_fast():
    started = time.monotonic()
    with pytest.raises(ConfigError) as caught:
        config.parse(sp.BILLION_LAUGHS, name="gate.yml")
    assert time.monotonic() - started < 5  # loose: it must not hang (benchmarks time it)
    assert "gate.yml:" in caught.value.message
    assert "holds more than 100,000 values once its aliases (*name) are expanded" in (
        caught.value.message
    )


def test_an_alias_that_contains_itself_is_refused():
    with pytest.raises(ConfigError, match=r"gate.yml:2: an alias \(\*name\) refers to a value"):
        config.parse("version: 1\nthresholds: &t\n  min_runs: 1\n  again: *t\n", name="gate.yml")


@pytest.mark.parametrize("depth", [101, 5000, 500_000])
def test_yaml_nested_too_deeply_is_refused_fast(depth):
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"gate\.yml:1: the YAML is nested more than 100 levels"):
        config.parse("[" * depth + "]" * depth, name="gate.yml")
    assert time.monotonic() - started < 5  # loose: it must not hang


def test_yaml_nested_exactly_100_deep_is_read():
    # Read, then refused by the schema: the nesting itself is allowed.
    with pytest.raises(ConfigError, match="expected a mapping of keys, got a list"):
        config.parse("[" * 100 + "]" * 100, name="gate.yml")


def test_a_config_over_256_kib_is_refused(tmp_path):
    path = tmp_path / "gate.yml"
    path.write_text("version: 1\n" + "#" * yaml_reader.MAX_CONFIG_BYTES, encoding="utf-8")
    with pytest.raises(ConfigError, match="the gate reads configs of at most 262,144"):
        config.load(path)


def test_a_config_at_256_kib_is_read(tmp_path):
    path = tmp_path / "gate.yml"
    head = "version: 1\n"
    path.write_text(head + "#" * (yaml_reader.MAX_CONFIG_BYTES - len(head)), encoding="utf-8")
    assert config.load(path).min_runs == 1


def test_ordinary_anchors_still_work():
    policy = config.parse(
        """\
version: 1
thresholds:
  scenarios:
    - {name: Booking, min_success_rate: 90, level: &lvl warn}
    - {name: Triage, min_success_rate: 100, level: *lvl}
""",
        name="gate.yml",
    )
    assert [s.level.value for s in policy.scenarios] == ["warn", "warn"]


def test_an_expansion_of_exactly_the_limit_is_read():
    # 1 root mapping + version key/value + key "x" + a list of n scalars, one alias away.
    n = yaml_reader.MAX_CONFIG_VALUES - 5 - 2  # the anchor list counts once more through *l
    half = n // 2
    items = ", ".join(["1"] * half)
    text = f"version: 1\nx: &l [{items}]\ny: *l\n"
    node = __import__("yaml").compose(text)
    assert node is not None
    with pytest.raises(ConfigError, match="unknown key"):  # read, then refused by the schema
        config.parse(text, name="gate.yml")


@pytest.mark.parametrize("command", ["check", "validate"])
def test_the_command_refuses_billion_laughs_with_exit_2(tmp_path, command):
    path = tmp_path / "gate.yml"
    path.write_text(sp.BILLION_LAUGHS, encoding="utf-8")
    result = tmp_path / "r.json"
    result.write_text(json.dumps(catalogue.demo_result(1)), encoding="utf-8")
    args = [command, "--config", str(path)]
    if command == "check":
        args += ["--result-file", str(result)]
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(args, {}, stdout=out, stderr=err)
    assert time.monotonic() - started < 5
    assert code == 2, err.getvalue()
    assert "cekura-gate: config error: " in err.getvalue()
    assert "alias bomb" in err.getvalue()


# -- no input makes "internal error": a property over the whole pipeline ----------------------

_atoms = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([HUGE, -HUGE, 2**63, 2**53 + 1, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        ["1e999", "-inf", "NaN", "100%", " 7 ", "true", "[]", "{}", "[" * 50, "inf:00", "1e400:9"]
    ),
)
_values = st.recursive(
    _atoms,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _deep(depth: int) -> Any:
    value: Any = {"score": HUGE}
    for n in range(depth):
        value = [value] if n % 2 else {"v": value}
    return value


_hostile = st.one_of(_values, st.sampled_from([_deep(200), _deep(900)]))
PLACES = [
    ("runs",),
    ("total_runs_count",),
    ("success_runs_count",),
    ("success_rate",),
    ("performance_metrics",),
    ("performance_metrics", 0, "value"),
    ("performance_metrics", 0, "metric_name"),
    ("overall_evaluation",),
    ("overall_evaluation", "metric_summary", "3284", "score"),
    ("failed_workflow_runs",),
    ("failed_reasons",),
    ("ai_summary",),
    ("id",),
    ("runs", "RUN", "success"),
    ("runs", "RUN", "id"),
    ("runs", "RUN", "scenario"),
    ("runs", "RUN", "expected_outcome"),
    ("runs", "RUN", "expected_outcome", "score"),
    ("runs", "RUN", "evaluation", "metrics", 3, "score"),
    ("runs", "RUN", "evaluation", "metrics", 3),
    ("runs", "RUN", "transcript_object"),
    ("runs", "RUN", "transcript_object", 0),
    ("runs", "RUN", "transcript_object", 0, "start_time"),
    ("runs", "RUN", "transcript_object", 1, "time"),
    ("runs", "RUN", "transcript_object", 1, "content"),
    ("runs", "RUN", "error_message"),
]
POLICY = config.parse(
    """\
version: 1
thresholds:
  success_rate: {min: 80, confidence: 0.9}
  failed_workflow_runs: {max: 0}
  performance_metrics:
    require_all_met: true
    rules: [{metric: Latency, max: 1500}]
  scenarios: [{name: Book appointment, min_success_rate: 60, confidence: 0.9}]
  metrics:
    - {metric: Latency, aggregation: p90, max: 1800}
    - {metric: Workflow Adherence, aggregation: pass_rate, min: 90, confidence: 0.9}
""",
    name="g.yml",
)


def _put(raw: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Set the value at `path`; "RUN" is a failing run (only those keep transcript turns)."""
    node: Any = raw
    first_run = next(k for k, run in raw["runs"].items() if run["success"] is False)
    for step in path[:-1]:
        node = node[first_run if step == "RUN" else step]
    last = path[-1]
    node[first_run if last == "RUN" else last] = value


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(place=st.sampled_from(PLACES), value=_hostile, spare=_hostile)
def test_no_hostile_value_anywhere_crashes_the_pipeline(place, value, spare):
    raw = catalogue.demo_result(2)
    _put(raw, place, value)
    raw["status"] = "completed"
    raw.setdefault("extra", spare)
    try:
        result = parse(raw)
    except PayloadError:
        return
    verdict = evaluate(result, POLICY)
    report.render(verdict, result)
    json.dumps(build_report(verdict=verdict, result=result, result_id="1"))
    step_outputs(verdict=verdict, result=result, result_id="1")
    junit_text(verdict=verdict, result=result)


def test_transcript_times_no_clock_can_show_are_left_out():
    raw = catalogue.demo_result(2)
    run = next(r for r in raw["runs"].values() if r["success"] is False)
    turns = run["transcript_object"]
    turns[0]["start_time"] = float("inf")
    turns[1]["time"] = "1e400:00"
    run["expected_outcome"]["explanation"] = ["At 00:05 the agent hung up"]
    parsed = next(r for r in parse(raw).runs if r.id == str(run["id"]))
    assert parsed.excerpt  # read, with the unreadable times left empty
    verdict = evaluate(parse(raw), model.DEFAULT_POLICY)
    assert "Evidence" in report.render(verdict, parse(raw))


def test_the_command_never_says_internal_error_on_hostile_files(tmp_path: Path):
    """The real `check --result-file` in process, on files no JSON writer would make."""
    bodies = [
        sp.deeply_nested(100_000),
        sp.deeply_nested(900),
        b'{"id": 1, "status": "completed", "total_runs_count": ' + b"9" * 5000 + b"}",
        json.dumps(
            catalogue.demo_result(1) | {"total_runs_count": HUGE, "success_rate": HUGE}
        ).encode(),
        json.dumps(sp.with_duplicate_runs(catalogue.demo_result(2), 3)).encode(),
        b'{"id": 1, "status": "completed", "runs": {}, "performance_metrics": "'
        + b"[" * 5000
        + b'"}',
    ]
    for n, body in enumerate(bodies):
        path = tmp_path / f"r{n}.json"
        path.write_bytes(body)
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", "--result-file", str(path)], {}, stdout=out, stderr=err)
        assert code in (0, 1, 3), (n, err.getvalue())
        assert "internal error" not in err.getvalue() + out.getvalue(), (n, err.getvalue())


def test_a_declared_content_length_over_the_cap_is_refused_before_reading(http, monkeypatch):
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 10)
    body = '{"id": 123, "status": "completed"}'
    http.get(URL, body=body, headers={"Content-Length": "34"}, content_type="application/json")
    with pytest.raises(ResponseTooLarge) as caught:
        client().get_result("123", timeout=5)
    assert "a body of 34 bytes (Content-Length)" in caught.value.message


# -- floats at the edge of the range ------------------------------------------------------------


def _latency_everywhere(value: float) -> dict[str, Any]:
    raw = catalogue.demo_result(1)
    for run in raw["runs"].values():
        for metric in run["evaluation"]["metrics"]:
            if metric["name"] == "Latency":
                metric["score"] = value
    return raw


@pytest.mark.parametrize("aggregation", ["mean", "p90"])
def test_an_aggregate_beyond_the_largest_float_is_missing(aggregation):
    metric = f"{{metric: Latency, aggregation: {aggregation}, max: 9}}"
    text = f"version: 1\nthresholds:\n  metrics: [{metric}]\n"
    # mean: 1.7e308 six times overflows the sum; p90 interpolates from -1.7e308 to 1.7e308
    raw = _latency_everywhere(1.7e308 if aggregation == "mean" else -1.7e308)
    next(iter(raw["runs"].values()))["evaluation"]["metrics"][3]["score"] = 1.7e308
    raw["overall_evaluation"] = None  # no summary to fall back on
    check = evaluate(parse(raw), config.parse(text, name="g.yml")).checks[-1]
    assert check.outcome is Outcome.MISSING, check
    assert "too large to take their" in wording_detail(check)


def test_a_binary_summary_average_off_the_0_5_scale_is_no_pass_rate():
    raw = catalogue.demo_result(1)
    for run in raw["runs"].values():
        run["evaluation"]["metrics"] = []
    raw["overall_evaluation"]["metric_summary"]["115164"]["score"] = 7.5
    metric = "{metric: Workflow Adherence, aggregation: pass_rate, min: 90}"
    text = f"version: 1\nthresholds:\n  metrics: [{metric}]\n"
    check = evaluate(parse(raw), config.parse(text, name="g.yml")).checks[-1]
    assert check.outcome is Outcome.MISSING
    assert "averages 7.5, off the 0-5 scale" in wording_detail(check)


def test_a_change_that_is_not_a_number_is_not_comparable():
    from gate.judge.change import change_check
    from gate.judge.reasons import Reason
    from gate.policy.model import ChangeBound

    bound = ChangeBound(metric="Latency", max_increase=100)
    check = change_check(
        {"name": "x", "title": "x"},
        bound,
        float("inf"),
        float("inf"),
        missing={"reason": Reason.RATE_NOT_COMPARABLE},
    )
    assert check.outcome is Outcome.MISSING
    assert check.reason is Reason.RATE_NOT_COMPARABLE
