"""Metric and rubric payloads as the API sends them: canonical and legacy binary metrics,
numeric and 0-5 scores, and `performance_metrics` rubric-rule entries computed from runs."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Metric ids as a project would have them (ids are arbitrary but stable).
CALL_PICKUP = (2, "Call Pickup")  # legacy binary: type binary_workflow_adherence, score 0/5
WORKFLOW = (115164, "Workflow Adherence")  # canonical binary: eval_type binary, passed
INFRA = (3301, "Infrastructure Issues")  # canonical binary, True = no issue
LATENCY = (3284, "Latency")  # numeric, milliseconds
VOICE = (5512, "Voice Tone + Clarity")  # continuous_qualitative, 0-5
#: canonical binary with a trigger: it applies only to calls with a transfer, and is reported
#: blocked (`extra.trigger_failed`) on every other call
TRANSFER = (7710, "Transfer Handling")


def binary_metric(metric: tuple[int, str], passed: bool, explanation: str = "") -> dict:
    """A canonical binary metric value (`eval_type: binary`, `passed`)."""
    text = explanation or ("The check was satisfied." if passed else "The check was not met.")
    return {
        "id": metric[0],
        "name": metric[1],
        "eval_type": "binary",
        "passed": passed,
        "explanation": [text],
    }


def blocked_metric(metric: tuple[int, str]) -> dict:
    """A metric whose trigger never fired in the call: Cekura reports it blocked, with no
    pass/fail (`passed: null`, `extra.trigger_failed: true`)."""
    return {
        "id": metric[0],
        "name": metric[1],
        "eval_type": "binary",
        "passed": None,
        "score": None,
        "extra": {"trigger_failed": True},
        "explanation": ["The metric's trigger did not fire in this call: not applicable."],
    }


def legacy_binary_metric(metric: tuple[int, str], passed: bool, explanation: str = "") -> dict:
    """A legacy binary metric value (`type: binary_workflow_adherence`, score 5 or 0)."""
    text = explanation or ("The AI agent answered the call." if passed else "No answer.")
    return {
        "id": metric[0],
        "name": metric[1],
        "type": "binary_workflow_adherence",
        "score": 5 if passed else 0,
        "score_normalized": 1 if passed else 0,
        "explanation": [text],
        "vocera_defined_metric_code": "call_pickup",
    }


def numeric_metric(metric: tuple[int, str], value: float, kind: str = "numeric") -> dict:
    """A numeric (e.g. latency in ms) or continuous_qualitative (0-5) metric value."""
    unit = " ms" if kind == "numeric" else " / 5"
    return {
        "id": metric[0],
        "name": metric[1],
        "eval_type": kind,
        "type": kind,
        "score": value,
        "explanation": [f"{metric[1]}: {value:g}{unit}"],
    }


def standard_metrics(
    *,
    connected: bool = True,
    workflow_passed: bool = True,
    workflow_explanation: str = "",
    latency_ms: float = 820.0,
    voice_score: float = 4.4,
) -> list[dict]:
    """The metric set every demo run carries; a call that never connected has only two."""
    if not connected:
        return [
            legacy_binary_metric(CALL_PICKUP, False, "The call was never picked up."),
            binary_metric(INFRA, False, "The call failed to connect (SIP error)."),
        ]
    return [
        legacy_binary_metric(CALL_PICKUP, True),
        binary_metric(WORKFLOW, workflow_passed, workflow_explanation),
        binary_metric(INFRA, True, "No infrastructure issue detected."),
        numeric_metric(LATENCY, latency_ms),
        numeric_metric(VOICE, voice_score, "continuous_qualitative"),
    ]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rubric rule: the mean of a metric over the runs must satisfy `op bound`."""

    metric: tuple[int, str]
    op: str  # gt | gte | lt | lte | eq
    bound: float

    def entry(self, value: float) -> dict:
        ops = {
            "gt": value > self.bound,
            "gte": value >= self.bound,
            "lt": value < self.bound,
            "lte": value <= self.bound,
            "eq": value == self.bound,
        }
        return {
            "metric_id": self.metric[0],
            "metric_name": self.metric[1],
            "value": round(value, 2),
            "passed": ops[self.op],
            "conditions": f"score {self.op} {self.bound:g}",
        }


DEFAULT_RUBRIC = (Rule(LATENCY, "lte", 1500), Rule(VOICE, "gte", 4))


def metric_values(runs: Iterable[Mapping], metric_id: int) -> list[float]:
    values = []
    for run in runs:
        for metric in (run.get("evaluation") or {}).get("metrics") or []:
            if metric.get("id") != metric_id or (metric.get("extra") or {}).get("trigger_failed"):
                continue  # another metric, or one that did not apply (blocked)
            if "passed" in metric:
                values.append(5.0 if metric["passed"] else 0.0)
            elif isinstance(metric.get("score"), int | float):
                values.append(float(metric["score"]))
    return values


def performance_entries(runs: Sequence[Mapping], rubric: Sequence[Rule]) -> list[dict]:
    """One entry per rule with a value; rules whose metric never produced one are skipped."""
    out = []
    for rule in rubric:
        values = metric_values(runs, rule.metric[0])
        if values:
            out.append(rule.entry(statistics.fmean(values)))
    return out
