"""The verdict as a JSON document for scripts: stable keys, versioned by `schema_version`.

Keys are only ever added within a schema version; a rename or removal bumps it. Unknown
values are `null`, never guessed. `result` is filled from the Result when there is one,
else from the identity the caller knows (a run it started and then gave up waiting for).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import msgspec

from gate import __version__
from gate.judge.verdict import Check, Kind, Outcome, Verdict
from gate.publish.findings import causes, evidence
from gate.publish.words import display, wording
from gate.publish.words.notes import note_text
from gate.result.excerpt import Turn
from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.model import BaselineRef, Result, Run

#: 2: every check carries its numbers (kind, value, unit, bounds, counts, interval, baseline)
SCHEMA_VERSION = 2
#: the JSON Schema of the report, shipped in the package (README, "Reports for other tools")
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def build_report(
    *,
    verdict: Verdict,
    result: Result | None,
    result_id: str = "",
    status: str = "",
    policy_source: str = "",
) -> dict[str, Any]:
    """`policy_source` says where the thresholds came from (a config path or the default)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cekura-gate", "version": __version__},
        "verdict": verdict.kind.value,
        "exit_code": verdict.exit_code,
        "reason": wording.verdict_reason(verdict),
        "error_kind": wording.error_kind(verdict),
        "stop": verdict.stop.value if verdict.stop is not None else None,
        "policy_source": policy_source or None,
        "result": identity(result, result_id=result_id, status=status),
        # What reading the result took: duplicate runs dropped, unlisted runs, scales guessed.
        "notes": [note_text(n) for n in result.notes] if result is not None else [],
        "checks": [_check(c) for c in verdict.checks],
        "baseline": _baseline(verdict.baseline),
        "scenarios": [
            {
                "name": row.name,
                "id": row.scenario_id,
                "runs": row.runs,
                "succeeded": row.passed,
                "success_rate": round(row.rate, 2),
                "baseline_success_rate": None
                if row.baseline_rate is None
                else round(row.baseline_rate, 2),
                "check": row.check or None,
                "outcome": row.outcome.value if row.outcome is not None else None,
                "stability": row.stability.value if row.stability is not None else None,
                "quarantined_until": row.quarantined_until or None,
                "infrastructure": row.infrastructure,
            }
            for row in verdict.scenarios
        ],
        "quarantine": [
            {
                "scenario": q.label,
                "reason": q.reason,
                "until": q.until,
                "active": q.active,
                "matched": list(q.scenarios),
            }
            for q in verdict.quarantine
        ],
        "failing_runs": _failing_runs(result),
        # The failing runs grouped by cause, agent problems first (gate/publish/findings/causes.py).
        "what_went_wrong": _what_went_wrong(causes.group(result, verdict)),
    }


def _failing_runs(result: Result | None) -> list[dict[str, Any]]:
    if result is None:
        return []
    infrastructure = infrastructure_ids(result.failed_infrastructure_runs)
    return [
        {
            "id": run.id,
            "scenario": run.scenario_name,
            "scenario_id": run.scenario_id,
            "status": run.status,
            "reason": evidence.reason(run),
            "recording_url": run.recording_url or None,
            **_evidence(run),
            # one rule decides it everywhere: gate/result/failure.py
            "failure_kind": (classify(run, infrastructure) or FailureKind.AGENT).value,
            "ended_reason": run.ended_reason or None,
        }
        for run in result.failing_runs
    ]


def _check(c: Check) -> dict[str, Any]:
    """A check: what people read (threshold, actual, baseline, delta) and the numbers."""
    interval = c.interval
    return {
        "name": c.name,
        "title": c.title,
        "level": c.level.value,
        "outcome": c.outcome.value,
        "blocking": c.blocking,
        "threshold": wording.threshold(c),
        "actual": wording.actual(c),
        "detail": wording.detail(c),
        "reason_code": c.reason.value if c.reason is not None else None,
        "baseline": display.was(c) or None,
        "delta": display.delta(c) or None,
        "kind": c.kind.value if c.kind is not None else None,
        "subject": c.subject or None,
        "aggregation": c.aggregation or None,
        "measures": c.measures.value if c.measures is not None else None,
        "value": _number(c.value),
        "unit": c.unit.value,
        "bounds": {"min": _number(c.minimum), "max": _number(c.maximum)},
        "successes": c.successes,
        "runs": c.runs,
        "confidence": c.confidence,
        "interval": None
        if interval is None
        else {"confidence": interval.confidence, "low": interval.low, "high": interval.high},
        "baseline_value": _number(c.baseline_value),
        "change": _number(c.change),
        "missing": wording.detail(c) if c.outcome is Outcome.MISSING else None,
        "missing_code": c.absent.why.value if c.absent is not None else None,
        # infrastructure failures and metrics that did not apply (README, "Infrastructure
        # failures" and "Blocked metrics")
        "excluded_runs": c.excluded_runs,
        "baseline_excluded_runs": c.baseline_excluded_runs,
        "not_applicable": c.not_applicable,
        "failures": c.failures,
        "stops_evaluation": c.stops_evaluation,
        "stability": c.stability.value if c.stability is not None else None,
        "until": c.until or None,
        "source": c.source.value,
        "run_ids": list(c.run_ids),
        # a regression judged with significance; the coverage check's missing scenarios
        "significance": c.significance,
        "p_value": _number(c.p_value),
        "baseline_successes": c.baseline_successes,
        "baseline_runs": c.baseline_runs,
        "missing_scenarios": list(c.names) if c.kind is Kind.COVERAGE else None,
    }


def _number(value: float | None) -> float | None:
    """A number JSON can hold: an infinite or NaN measurement is no number (null)."""
    return value if value is None or math.isfinite(value) else None


def _baseline(ref: BaselineRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "found": ref.found,
        "how": ref.how,
        "id": ref.id or None,
        "name": ref.name or None,
        "created_at": ref.created_at or None,
        "url": ref.url or None,
        "reason": ref.reason or None,
    }


def _evidence(run: Run) -> dict[str, Any]:
    """What a reviewer needs about a failing run (see gate/publish/findings/evidence.py)."""
    return {
        "duration": run.duration or None,
        "run_url": run.run_url or None,
        "findings": [
            {"label": f.label, "explanation": f.explanation} for f in evidence.findings(run)
        ],
        "transcript_excerpt": _excerpt(run.excerpt),
    }


def _excerpt(turns: tuple[Turn, ...]) -> list[dict[str, Any]]:
    return [
        {
            "turn": t.index,
            "role": t.role,
            "time": t.time or None,
            "content": t.content,
            "named_by_explanation": t.named,
        }
        for t in turns
    ]


def _what_went_wrong(groups: tuple[causes.Cause, ...]) -> list[dict[str, Any]]:
    """The failing runs grouped by cause, agent problems first (gate/publish/findings/causes.py)."""
    return [
        {
            "kind": c.kind.value,
            "scenarios": list(c.scenarios),
            "failed": c.failed,
            "expected_outcome_score": c.score,
            "explanation": c.explanation,
            "calls": len(c.calls),
            "scenario_runs": c.scenario_runs,
            "blocks": c.blocks,
            "runs": [
                {
                    "id": call.id,
                    "scenario": call.scenario,
                    "run_url": call.run_url or None,
                    "recording_url": call.recording_url or None,
                }
                for call in c.calls
            ],
            "transcript_excerpt": _excerpt(c.excerpt),
        }
        for c in groups
    ]


def write_report_json(
    path: str | Path,
    *,
    verdict: Verdict,
    result: Result | None,
    result_id: str = "",
    status: str = "",
    policy_source: str = "",
) -> None:
    """Write the report, creating parent directories."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    report = build_report(
        verdict=verdict,
        result=result,
        result_id=result_id,
        status=status,
        policy_source=policy_source,
    )
    target.write_text(dumps(report) + "\n", encoding="utf-8")


def dumps(value: Any) -> str:
    """The report as indented JSON (two spaces, UTF-8 text, not ASCII escapes).

    msgspec writes it several times faster than json.dumps, whose indented output has no C
    encoder (~25 ms for the failing runs of a 10,000-run result): benchmarks/evaluation.py.
    It is loaded for the result model anyway, where orjson would also load `dataclasses`
    (about 7 ms of every check).
    """
    try:
        return msgspec.json.format(_ENCODER.encode(value), indent=2).decode()
    except UnicodeEncodeError:  # a lone surrogate: only the standard library writes it
        return json.dumps(value, indent=2, ensure_ascii=False)


_ENCODER = msgspec.json.Encoder()


def identity(result: Result | None, *, result_id: str = "", status: str = "") -> dict[str, Any]:
    """Who the result is: from the Result when there is one, else from what the caller knows.

    The step outputs use the same values (`gate.publish.actions.github.step_outputs`), so they
    agree.
    """
    if result is None:
        # Result builds the dashboard link; without a payload only the id is known.
        url = Result(id=result_id, name="", status=status).url if result_id else ""
        return {
            "id": result_id or None,
            "name": None,
            "status": status or None,
            "url": url or None,
            "agent": None,
            "created_at": None,
            "total_runs": None,
            "success_rate": None,
        }
    return {
        "id": result.id or result_id or None,
        "name": result.name or None,
        "status": result.status or status or None,
        "url": result.url or None,
        "agent": result.agent or None,
        "created_at": result.created_at or None,
        "total_runs": result.total_runs,
        "success_rate": _success_rate(result),
    }


def _success_rate(result: Result) -> float | None:
    """Percent, two decimals; None when unknown, and when the result counts no runs at all:
    a rate of nothing is no rate (the API may still report 0)."""
    rate = result.success_rate
    no_runs = (result.runs_listed or result.reported_total_runs is not None) and not (
        result.total_runs
    )
    return None if rate is None or no_runs else round(rate, 2)
