"""A large result's JSON text -> the payload parse() reads, decoding only what the gate reads.

json.loads builds a Python object for every value of a result: for 10,000 runs with 30-turn
transcripts that is millions of objects, most of them transcripts of runs that passed, which
the gate never reads. msgspec decodes the same text into typed structures that keep only the
fields the gate reads (unknown keys are skipped without building them) and leaves each
transcript undecoded (msgspec.Raw, a slice of the text) until a failing run needs it:
fewer objects, less memory and less time than json.loads itself (benchmarks/evaluation.py).

Nothing else changes: the values kept are what json.loads gives (types left open where the
API's quirks live, which parsing.py and runs.py read as before), and whatever msgspec
refuses while the standard library accepts it (NaN and Infinity, lone surrogates, a number
too large for a float, a run that is not an object, `runs` neither a list nor an object...)
is decoded by json.loads instead, with its results and its errors. This module is imported
only when a large result is read (gate.result.decode).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from gate.result.typed_object import TypedObject

_UNSET: Any = msgspec.UNSET
_RAW = msgspec.Raw


class _Metric(msgspec.Struct, TypedObject, gc=False):
    """One entry of a run's evaluation.metrics: the fields runs.py reads."""

    name: Any = None
    id: Any = None
    eval_type: Any = None
    type: Any = None
    score: Any = None
    value: Any = None
    passed: Any = None
    score_normalized: Any = None
    extra: Any = None  # `extra.trigger_failed`: the metric did not apply (blocked)
    blocked: Any = None
    status: Any = None
    result: Any = None
    explanation: msgspec.Raw = None  # type: ignore[assignment]

    def get(self, name: str, default: Any = None) -> Any:
        """As dict.get on the metric's JSON object: the explanation is decoded when read."""
        value = getattr(self, name, default)
        if value.__class__ is _RAW:
            return msgspec.json.decode(value)
        return value


class _Scenario(msgspec.Struct, TypedObject, gc=False):
    """A run's scenario as an object: the fields runs.py reads (not its personality...)."""

    id: Any = None
    name: Any = None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)


class _Expected(msgspec.Struct, TypedObject, gc=False):
    """A run's expected outcome as an object: its score and explanation (not its alignments)."""

    score: Any = None
    explanation: Any = None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)


#: any JSON value but an object: beside a Struct in a field that is usually an object, so
#: that whatever else the API sends there is decoded as json.loads would decode it
_NOT_AN_OBJECT = list | str | int | float | bool | None


class _Evaluation(msgspec.Struct, TypedObject, gc=False):
    metrics: list[_Metric] | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)


class _Run(msgspec.Struct, TypedObject, gc=False):
    """One run: the fields runs.py reads; the transcripts stay undecoded until read."""

    id: Any = None
    scenario: _Scenario | _NOT_AN_OBJECT = None
    scenario_name: Any = None
    success: Any = None
    status: Any = None
    expected_outcome: _Expected | _NOT_AN_OBJECT = None
    evaluation: _Evaluation | None = None
    error_message: Any = None
    duration: Any = None
    voice_recording_url: Any = None
    voice_recording: Any = None
    run_url: Any = None
    dashboard_url: Any = None
    url: Any = None
    shareable_link: Any = None
    public_url: Any = None
    ended_reason: Any = None
    call_ended_reason: Any = None
    # undecoded (a run's metadata is read only when the run did not succeed)
    metadata: msgspec.Raw = None  # type: ignore[assignment]
    # undecoded (JSON null too: Raw(b"null"), which get() reads as None)
    transcript_object: msgspec.Raw = None  # type: ignore[assignment]
    transcript: msgspec.Raw = None  # type: ignore[assignment]

    def get(self, name: str, default: Any = None) -> Any:
        """As dict.get on the run's JSON object: a transcript is decoded when read."""
        value = getattr(self, name, default)
        if value.__class__ is _RAW:
            return msgspec.json.decode(value)
        return value


class _Detail(msgspec.Struct, gc=False):
    """The top level of a result detail: the keys the gate reads (parsing.py, source/)."""

    id: Any = _UNSET
    name: Any = _UNSET
    status: Any = _UNSET
    agent: Any = _UNSET
    project: Any = _UNSET
    project_id: Any = _UNSET
    created_at: Any = _UNSET
    runs: dict[str, _Run] | list[_Run] | msgspec.UnsetType | None = _UNSET
    total_runs_count: Any = _UNSET
    success_runs_count: Any = _UNSET
    completed_runs_count: Any = _UNSET
    success_rate: Any = _UNSET
    failed_workflow_runs: Any = _UNSET
    failed_infrastructure_runs: Any = _UNSET
    performance_metrics: Any = _UNSET
    failed_reasons: Any = _UNSET
    ai_summary: Any = _UNSET
    overall_evaluation: Any = _UNSET


_FIELDS = _Detail.__struct_fields__
_decoder = msgspec.json.Decoder(_Detail)


def loads(text: str | bytes) -> Any:
    """The result detail in `text` (a str, or bytes of ASCII), as a dict of the keys the gate
    reads (runs as objects whose fields are read with get()); anything else JSON, as
    json.loads gives it. Raises what json.loads raises."""
    try:
        return decode(text)
    except (msgspec.DecodeError, RecursionError):
        # its value, or its error (bytes are ASCII: gate.source.files)
        return json.loads(text if isinstance(text, str) else text.decode("ascii"))


def decode(text: Any) -> dict[str, Any]:
    """As loads, for JSON that msgspec reads (`text` may be any buffer of UTF-8, a memory
    map of a file among them); raises msgspec.DecodeError (or RecursionError) otherwise,
    where json.loads may still read it or must word the error."""
    detail = _decoder.decode(text)
    return {name: value for name in _FIELDS if (value := getattr(detail, name)) is not _UNSET}
