"""Realistic Cekura result details, quirks included, for the simulator, the demo and the tests.

Pure functions, no I/O, no randomness between calls (every "random" number comes from a
`random.Random` seeded with the run's identity). The shapes follow the API notes:
`make_result` -> a `ResultDetailV2`: `runs` as a dict keyed by run-id strings, count fields
as strings, `success_rate` in percent (or 0-1), `failed_workflow_runs` null when not
measured, `performance_metrics` as rubric-rule entries, `failed_reasons`, `ai_summary`; and
hostile bodies for the simulator's Fault.raw and the parser's tests.

Beside it: run_detail.py (one run), scoring.py (metrics and rubric rules), views.py (the
API's other answers), catalogue.py (the demo's scenarios and agents).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from gate.result.status import TERMINAL_STATUSES
from gate.simulator.run_detail import BASE_TIME, failure_description, iso, mmss, seconds_of
from gate.simulator.scoring import (
    DEFAULT_RUBRIC,
    Rule,
    metric_values,
    performance_entries,
)

COUNT_FIELDS = (
    "total_runs_count",
    "completed_runs_count",
    "success_runs_count",
    "failed_runs_count",
    "met_expected_outcome_count",
    "total_expected_outcome_count",
)


# -- metrics -------------------------------------------------------------------------------


# -- rubric ----------------------------------------------------------------------------


# -- runs ------------------------------------------------------------------------------


def counts_of(runs: Sequence[Mapping], as_strings: bool) -> dict[str, Any]:
    runs = [r for r in runs if isinstance(r, Mapping)]
    finished = [r for r in runs if r.get("status") in TERMINAL_STATUSES]
    scores = [
        (r.get("expected_outcome") or {}).get("score")
        for r in finished
        if isinstance((r.get("expected_outcome") or {}).get("score"), int | float)
    ]
    values = (
        len(runs),
        len(finished),
        sum(1 for r in finished if r.get("success") is True),
        sum(1 for r in finished if r.get("success") is not True),
        sum(1 for s in scores if s >= 100),
        len(scores),
    )
    return {k: str(v) if as_strings else v for k, v in zip(COUNT_FIELDS, values, strict=True)}


# -- results ---------------------------------------------------------------------------


def make_result(
    result_id: int,
    *,
    runs: Sequence[Mapping],
    name: str = "",
    agent: int = 1,
    status: str = "completed",
    counts_as_strings: bool = True,
    success_rate_scale: int = 100,
    failed_workflow_runs: str | list | None = "auto",
    failed_infrastructure_runs: str | list | None = "auto",
    performance_metrics: str | list | None = "auto",
    rubric: Sequence[Rule] = DEFAULT_RUBRIC,
    ai_summary: str | dict | None = "auto",
    run_as_text: bool = False,
    created_at: str | None = None,
) -> dict:
    """A `ResultDetailV2`. "auto" fields are derived from the runs:

    - `failed_workflow_runs`: ids of runs with expected-outcome score 0, or null when no
      run carries an expected outcome (metric not attached);
    - `failed_infrastructure_runs`: ids of runs that never connected (success null);
    - `performance_metrics`: one entry per `rubric` rule (mean over the runs);
    - `ai_summary`: a short account of the failures, null when every run passed.
    """
    runs = [dict(r) for r in runs]

    def ids_where(pred: Callable[[Mapping], bool]) -> list:
        return [r["id"] for r in runs if pred(r)]

    scored = ids_where(lambda r: "score" in (r.get("expected_outcome") or {}))
    if failed_workflow_runs == "auto":
        failed_workflow_runs = (
            ids_where(lambda r: (r.get("expected_outcome") or {}).get("score") == 0)
            if scored
            else None
        )
    if failed_infrastructure_runs == "auto":
        failed_infrastructure_runs = ids_where(
            lambda r: r.get("success") is None and r.get("status") in TERMINAL_STATUSES
        )
    if performance_metrics == "auto":
        performance_metrics = performance_entries(runs, rubric)
    counts = counts_of(runs, counts_as_strings)
    total, success = len(runs), sum(1 for r in runs if r.get("success") is True)
    rate = round(100.0 * success / total, 2) if total else 0.0
    failing = [r for r in runs if r.get("success") is not True]
    issues: dict[str, list[int]] = {}
    for run in failing:
        issues.setdefault(failure_description(run), []).append(run["id"])
    ranked = sorted(issues.items(), key=lambda item: -len(item[1]))
    if ai_summary == "auto":
        ai_summary = None
        if failing:
            ai_summary = {
                "what_happened": f"{len(failing)} of {total} runs failed, {success} passed.",
                "why_it_happened": " ".join(desc for desc, _ in ranked[:3]),
                "how_to_fix": "Review the failing scenarios' transcripts and tighten the "
                "agent prompt for those flows; re-run the suite to confirm.",
                "generated_from_runs_count": total,
                "generated_at": created_at or iso(BASE_TIME),
            }
    summary = {}
    for run in runs:
        for metric in (run.get("evaluation") or {}).get("metrics") or []:
            entry = summary.setdefault(
                str(metric["id"]),
                {
                    "id": metric["id"],
                    "name": metric["name"],
                    "type": metric.get("eval_type") or metric.get("type"),
                    "function_name": metric["name"].lower().replace(" ", "_").replace("+", "and"),
                },
            )
            values = metric_values([run], metric["id"])
            entry.setdefault("_values", []).extend(values)
    for entry in summary.values():
        values = entry.pop("_values")
        entry["score"] = round(statistics.fmean(values), 2) if values else None
        if entry["type"] == "numeric" and values:
            entry["p50"] = statistics.median(values)
    scenarios = {}
    for run in runs:
        scenario = run.get("scenario") or {}
        scenarios.setdefault(scenario.get("id"), scenario.get("name"))
    stamp = created_at or iso(BASE_TIME + timedelta(minutes=result_id % 10_000))
    return {
        "id": result_id,
        "name": name,
        "agent": agent,
        "agent_name": f"Agent {agent}",
        "status": status,
        **counts,
        "success_rate": rate if success_rate_scale == 100 else round(rate / 100, 4),
        "run_as_text": run_as_text,
        "is_cronjob": False,
        "run_type": "Text" if run_as_text else None,
        "runs": {str(r["id"]): r for r in runs},
        "total_duration": mmss(sum(seconds_of(r.get("duration")) for r in runs)),
        "connected_runs": ids_where(lambda r: bool(r.get("transcript_object"))),
        "not_connected_runs": ids_where(lambda r: not r.get("transcript_object")),
        "successful_calls": ids_where(lambda r: r.get("success") is True),
        "failed_workflow_runs": failed_workflow_runs,
        "failed_infrastructure_runs": failed_infrastructure_runs,
        "performance_metrics": performance_metrics,
        "overall_evaluation": {"success_rate": rate, "metric_summary": summary},
        "failed_reasons": {
            "issues": [
                {"rank": n, "run_ids": ids, "description": desc, "affected_count": len(ids)}
                for n, (desc, ids) in enumerate(ranked, start=1)
            ],
            "total_failed_runs": len(failing),
        },
        "ai_summary": ai_summary,
        "ai_summary_status": "completed" if ai_summary else "skipped_no_failures",
        "scenarios": [{"id": k, "name": v} for k, v in scenarios.items()],
        "created_at": stamp,
        "updated_at": stamp,
    }


# -- the demo catalogue ----------------------------------------------------------------


# -- hostile bodies (for the simulator's Fault.raw and the parser's tests) -----------------


def with_duplicate_runs(result: Mapping, times: int = 2) -> dict:
    """`result` with its runs as a list in which every run appears `times` times (the counts
    left as they were): what a paginating or retrying API bug could send."""
    runs = listed_runs(result)
    return dict(result) | {"runs": [run for run in runs for _ in range(times)]}


def deeply_nested(depth: int, *, result_id: int = 1) -> bytes:
    """A completed result whose `ai_summary` is a list nested `depth` levels deep, as bytes
    (json.dumps itself cannot write it)."""
    head = f'{{"id": {result_id}, "status": "completed", "ai_summary": '.encode()
    return head + b"[" * depth + b"]" * depth + b"}"


def gzip_bomb(inflated: int, *, result_id: int = 1) -> bytes:
    """A gzip body that inflates to about `inflated` bytes of a JSON result (mostly spaces):
    1 GiB compresses to about 1 MB. Built piece by piece, never held inflated."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    head = f'{{"id": {result_id}, "status": "completed", "runs": {{}}, "pad": "'.encode()
    parts = [packer.compress(head)]
    block = b" " * 2**20
    left = max(0, inflated - len(head) - 2)
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(packer.compress(b'"}'))
    parts.append(packer.flush())
    return b"".join(parts)


#: a gate config whose aliases expand to 9**9 (387 million) strings: the classic YAML bomb
BILLION_LAUGHS = """\
version: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def listed_runs(result: Mapping) -> list[dict]:
    runs = result.get("runs")
    if isinstance(runs, Mapping):
        return list(runs.values())
    return list(runs) if isinstance(runs, list) else []
