"""One entry of a run's `evaluation.metrics`, read into a MetricValue: its kind (legacy
binary_* names read as binary), its value and pass/fail (legacy 0/5 scores), and whether it
did not apply to the run (blocked); and which metrics of a run that succeeded are read."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any

from gate.result.model import MetricValue
from gate.result.names import EXPECTED_OUTCOME
from gate.result.names import key as name_key
from gate.result.scalars import EXACT, read_bool, read_joined, read_number, read_text
from gate.result.typed_object import TypedObject

# Metric kinds, canonical (legacy binary_* names map to "binary"); interned, one per kind.
_KINDS = {k: k for k in ("binary", "numeric", "continuous_qualitative", "enum")}
#: eval_type as the API spells the canonical kinds -> (the kind, whether it is pass/fail)
_KNOWN_KINDS = {k: (k, k == "binary") for k in _KINDS}
#: what a metric entry is read for, in this order (gate.result.typed keeps these fields)
_METRIC_FIELDS = (
    "eval_type",
    "type",
    "score",
    "value",
    "passed",
    "score_normalized",
    "name",
    "id",
    "extra",
    "blocked",
    "status",
    "result",
)
#: what a metric's status, result, score or value says when it did not apply to the run
#: (Cekura: "blocked", its trigger never fired); compared lower-cased, spaces as "_"
_NOT_APPLICABLE = frozenset({"blocked", "not_applicable", "n/a", "na", "trigger_failed"})
_metric_fields = attrgetter(*_METRIC_FIELDS)


def parse_metric(raw: Mapping[str, Any] | TypedObject) -> MetricValue:
    if isinstance(raw, TypedObject):  # a metric read by gate.result.typed: in one call
        fields = _metric_fields(raw)
    else:
        fields = tuple(map(raw.get, _METRIC_FIELDS))
    (
        eval_type,
        type_,
        score_value,
        value,
        passed_value,
        normalized,
        name_value,
        metric_id,
        extra,
        blocked_value,
        status_value,
        result_value,
    ) = fields
    value_type = eval_type or type_
    known = _KNOWN_KINDS.get(value_type) if value_type.__class__ is str else None
    if known is None:
        kind = read_text(value_type).lower()
        binary = kind.startswith("binary")
    else:
        kind, binary = known
    if score_value.__class__ is int and -EXACT <= score_value <= EXACT:
        score: float | None = float(score_value)
    else:
        score = None if score_value is None else read_number(score_value)
        if score is None:
            score = None if value is None else read_number(value)
    passed = (
        passed_value
        if passed_value.__class__ is bool or passed_value is None
        else read_bool(passed_value)
    )
    if passed is None and binary:
        normalized = read_number(normalized)
        if normalized is not None:
            passed = normalized > 0
        elif score is not None:
            passed = score > 0  # legacy binary: 5 = pass, 0 = fail
    name = _metric_name(name_value, metric_id)
    if known is None:
        kind = "binary" if binary or (not kind and passed is not None) else _KINDS.get(kind, "")
    # (the fields that can say "blocked" are tested for presence first: most metrics have none)
    says_something = extra is not None or blocked_value is not None or status_value is not None
    says_something = says_something or result_value is not None
    if (says_something or score_value.__class__ is str or value.__class__ is str) and _blocked(
        extra, blocked_value, (status_value, result_value, score_value, value)
    ):
        # It did not apply: no value and no pass/fail, whatever else the entry says (a
        # legacy score of 0 beside trigger_failed is no failure).
        return MetricValue(name, None, None, "", kind, True)
    explanation = ""
    if passed is False:  # only a failed metric's explanation is shown (evidence, a run's reason)
        value = raw.get("explanation")
        if value.__class__ is not list or len(value) != 1 or value[0].__class__ is not str:
            explanation = read_joined(value)
        else:
            explanation = value[0]  # the usual one-sentence explanation
    return MetricValue(name, score, passed, explanation, kind, False)


def _metric_name(name: Any, metric_id: Any) -> str:
    return (name if name.__class__ is str else read_text(name)) or f"metric {read_text(metric_id)}"


class Kept:
    """Which metrics of a run that succeeded are read: those named in `wanted` (by
    gate.result.names.key); the answer for each name the API sends is remembered."""

    __slots__ = ("_known", "outcome", "wanted")

    def __init__(self, wanted: Collection[str]) -> None:
        self.wanted = frozenset(wanted)
        #: the expected outcome's score is aggregated too (as the metric "Expected Outcome")
        self.outcome = EXPECTED_OUTCOME in self.wanted
        self._known: dict[str, bool] = {}

    def __call__(self, entry: Mapping[str, Any] | TypedObject) -> bool:
        name = entry.name if isinstance(entry, TypedObject) else entry.get("name")  # type: ignore[attr-defined]
        if name.__class__ is str:
            known = self._known.get(name)
            if known is None:
                known = self._known[name] = name_key(name) in self.wanted
            return known
        return name_key(_metric_name(name, entry.get("id"))) in self.wanted


def _blocked(extra: Any, flag: Any, words: tuple[Any, ...]) -> bool:
    """Whether a metric entry says it did not apply to the run: `extra.trigger_failed`, a
    `blocked` flag, or "blocked" (or "not applicable") as its status, result, score or value."""
    if isinstance(extra, Mapping | TypedObject) and read_bool(extra.get("trigger_failed")):
        return True
    if read_bool(flag):
        return True
    for word in words:
        if word.__class__ is str and word.strip().lower().replace(" ", "_") in _NOT_APPLICABLE:
            return True
    return False


def metric_kind(kind: str, passed: bool | None) -> str:
    if kind.startswith("binary") or (not kind and passed is not None):
        return "binary"
    return _KINDS.get(kind, "")
