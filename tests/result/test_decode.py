"""gate.result.typed: the typed decode reads every payload as json.loads does, for less.

The property: for any payload text, parse(typed.loads(text)) is the Result that
parse(json.loads(text)) is, and any text json.loads refuses is refused with the same error.
gate.result.decode picks it for large results only.
"""

from __future__ import annotations

import json

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.errors import PayloadError
from gate.result import decode, typed
from gate.result.parsing import parse
from gate.result.typed_object import TypedObject
from gate.simulator import catalogue, run_detail
from gate.simulator import payloads as sp
from tests.property.test_fuzz import ANY_JSON, SCHEMA_PAYLOADS, mutated


def outcome(reader, text: str, **options) -> str:
    """What parse makes of `text` read by `reader`: the Result, or the error's kind."""
    try:
        return repr(parse(reader(text), **options))
    except (ValueError, RecursionError, PayloadError) as exc:
        return type(exc).__name__


def assert_read_alike(text: str) -> None:
    options_tried = (
        {},
        {"evidence": False},
        {"passing_metrics": ()},
        {"passing_metrics": {"latency"}},
    )
    for options in options_tried:
        assert outcome(typed.loads, text, **options) == outcome(json.loads, text, **options)


def a_failing_result(*, as_list: bool = False) -> dict:
    runs = [
        run_detail.make_run(n, scenario_id=n, scenario_name=f"S{n}", success=n % 3 != 0)
        for n in range(1, 7)
    ]
    payload = sp.make_result(5, runs=runs)
    if as_list:
        payload["runs"] = sp.listed_runs(payload)
    return payload


def test_transcripts_stay_undecoded_until_a_failing_run_reads_them() -> None:
    payload = a_failing_result()
    decoded = typed.loads(json.dumps(payload))
    run = next(iter(decoded["runs"].values()))
    assert isinstance(run.transcript_object, msgspec.Raw)
    assert run.get("transcript_object") == next(iter(payload["runs"].values()))["transcript_object"]
    assert "unknown" not in typed.loads(json.dumps({**payload, "unknown": [1] * 5}))
    assert typed.loads(json.dumps(payload))["id"] == payload["id"]


@pytest.mark.parametrize("as_list", [False, True])
def test_a_result_with_transcripts_reads_as_json_loads_reads_it(as_list: bool) -> None:
    text = json.dumps(a_failing_result(as_list=as_list))
    assert_read_alike(text)
    assert "Unreadable" not in outcome(typed.loads, text)


@pytest.mark.parametrize("number", [1, 2])
def test_the_demo_results_read_alike(number: int) -> None:
    assert_read_alike(json.dumps(catalogue.demo_result(number)))


@pytest.mark.parametrize(
    "text",
    [
        '{"id": 1, "status": "completed", "success_rate": NaN, "runs": []}',
        '{"id": 1, "total_runs_count": Infinity, "runs": {}}',
        '{"id": 1, "name": "\\ud800", "runs": []}',  # a lone surrogate
        '{"id": 1, "success_rate": 1e400}',  # too large for a float
        '{"id": 1, "runs": {"7": null, "8": "x"}}',  # runs that are not objects
        '{"id": 1, "runs": "all of them"}',
        '{"id": 1, "runs": [{"id": 1, "success": true, "transcript_object": NaN}]}',
        '{"id": 1, "total_runs_count": ' + "9" * 5000 + "}",  # more digits than Python reads
        "[1, 2]",
        '"a string"',
        "{not json",
        '{"id": 1} trailing',
        "[" * 5000 + "]" * 5000,  # nested beyond the JSON reader
        '{"id": 2, "runs": {"1": {"id": 1, "success": true}, "1": {"id": 1, "success": false}}}',
    ],
)
def test_what_msgspec_refuses_or_reads_otherwise_is_read_by_json_loads(text: str) -> None:
    assert_read_alike(text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(SCHEMA_PAYLOADS, mutated(), ANY_JSON))
def test_any_payload_reads_as_json_loads_reads_it(payload: object) -> None:
    assert_read_alike(json.dumps(payload))


def test_only_a_large_result_is_decoded_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps(a_failing_result())
    assert decode.loads(text) == json.loads(text)  # small: json.loads, no msgspec import
    assert decode.loads(text.encode()) == json.loads(text)
    monkeypatch.setattr(decode, "TYPED_FROM", len(text))
    assert isinstance(decode.loads(text)["runs"]["1"], TypedObject)
    assert_read_alike(text)
