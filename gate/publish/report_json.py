"""The verdict as a JSON document for scripts: stable keys, versioned by `schema_version`.

Keys are only ever added within a schema version; a rename or removal bumps it. Unknown
values are `null`, never guessed. `result` is filled from the Result when there is one,
else from the identity the caller knows (a run it started and then gave up waiting for).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gate import __version__
from gate.judge.verdict import Verdict
from gate.result import evidence
from gate.result.model import BaselineRef, Result, Run

SCHEMA_VERSION = 1


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
        "reason": verdict.reason,
        "error_kind": verdict.error_kind,
        "policy_source": policy_source or None,
        "result": identity(result, result_id=result_id, status=status),
        # What reading the result took: duplicate runs dropped, unlisted runs, scales guessed.
        "notes": list(result.notes) if result is not None else [],
        "checks": [
            {
                "name": c.name,
                "title": c.title,
                "level": c.level.value,
                "outcome": c.outcome.value,
                "blocking": c.blocking,
                "threshold": c.threshold,
                "actual": c.actual,
                "detail": c.detail,
                "baseline": c.baseline or None,
                "delta": c.delta or None,
            }
            for c in verdict.checks
        ],
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
            }
            for row in verdict.scenarios
        ],
        "failing_runs": [
            {
                "id": run.id,
                "scenario": run.scenario_name,
                "scenario_id": run.scenario_id,
                "status": run.status,
                "reason": run.reason,
                "recording_url": run.recording_url or None,
                **_evidence(run),
            }
            for run in (result.failing_runs if result is not None else ())
        ],
    }


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
    """What a reviewer needs about a failing run (see gate/result/evidence.py)."""
    return {
        "duration": run.duration or None,
        "run_url": run.run_url or None,
        "findings": [
            {"label": f.label, "explanation": f.explanation} for f in evidence.findings(run)
        ],
        "transcript_excerpt": [
            {
                "turn": t.index,
                "role": t.role,
                "time": t.time or None,
                "content": t.content,
                "named_by_explanation": t.named,
            }
            for t in run.excerpt
        ],
    }


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
    """`json.dumps(value, indent=2, ensure_ascii=False)`, the same text, several times faster.

    json.dumps writes indented JSON with its pure-Python encoder (only compact JSON has a C
    one), which took ~25 ms for the failing runs of a 10,000-run result. This writes the
    same text directly, with json's own string encoder; anything beyond plain JSON types
    (a subclass, a non-string key) goes to json.dumps itself. tests/publish/test_report_json.py
    compares the two.
    """
    parts: list[str] = []
    try:
        _encode(value, "\n", parts)
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(parts)


class _Unusual(Exception):
    """A value only json.dumps itself handles."""


_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
_INFINITY = float("inf")


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    """Append `value` as json.dumps(indent=2) writes it at the depth `newline` indents to."""
    cls = value.__class__
    if cls is str:
        parts.append(_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif cls is int:
        parts.append(int.__repr__(value))
    elif cls is float:
        if value != value:
            parts.append("NaN")
        elif value == _INFINITY:
            parts.append("Infinity")
        elif value == -_INFINITY:
            parts.append("-Infinity")
        else:
            parts.append(float.__repr__(value))
    elif cls is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if key.__class__ is not str:
                raise _Unusual
            # strings and nulls, most values, right here; the rest through _encode
            if item.__class__ is str:
                parts.append(f"{separator}{_string(key)}: {_string(item)}")
            elif item is None:
                parts.append(f"{separator}{_string(key)}: null")
            else:
                parts.append(f"{separator}{_string(key)}: ")
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif cls is list or cls is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            if item.__class__ is str:
                parts.append(separator + _string(item))
            else:
                parts.append(separator)
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise _Unusual


def identity(result: Result | None, *, result_id: str = "", status: str = "") -> dict[str, Any]:
    """Who the result is: from the Result when there is one, else from what the caller knows.

    The step outputs use the same values (`gate.publish.github.step_outputs`), so they agree.
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
        "success_rate": None if result.success_rate is None else round(result.success_rate, 2),
    }
