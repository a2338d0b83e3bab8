"""What the fake API answers besides a finished result detail: the run-start (201) response,
a result while it is still running, the results list (a DRF page of summaries), and a
run-start body checked like DRF would ({field: [messages]} or a plan)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from gate.result.status import TERMINAL_STATUSES, WAITING_STATUSES
from gate.simulator.catalogue import SCENARIOS, SCENARIOS_BY_ID, AgentProfile
from gate.simulator.payloads import COUNT_FIELDS, counts_of, listed_runs
from gate.simulator.run_detail import BASE_TIME, iso


def make_trigger_response(result: Mapping) -> dict:
    """The run-start response for `result`: runs as an ARRAY, status pending, rate 0."""
    try:
        opens = datetime.fromisoformat(str(result.get("created_at")))
    except ValueError:
        opens = BASE_TIME
    runs = []
    for n, run in enumerate(listed_runs(result)):
        entry = {
            "id": run["id"],
            "status": "pending",
            "scenario": (run.get("scenario") or {}).get("id"),
            "scenario_name": run.get("scenario_name"),
        }
        if not result.get("run_as_text"):
            entry |= {
                "number": f"+1415555{100 + n:04d}",
                "inbound_number": None,
                "outbound_dial_window_opens_at": iso(opens),
                "outbound_dial_window_seconds": 300,
                "outbound_dial_window_closes_at": iso(opens + timedelta(seconds=300)),
            }
        runs.append(entry)
    keys = ("id", "name", "agent", "run_as_text", "is_cronjob", "created_at", "updated_at")
    return {k: result.get(k) for k in keys} | {"status": "pending", "success_rate": 0, "runs": runs}


def progress_view(result: Mapping, *, status: str, fraction: float) -> dict:
    """`result` as the API shows it mid-way: the first `fraction` of its runs final.

    Counts, rate and id lists are recomputed from the finished runs; the fields Cekura
    fills at the end (rubric, summaries) are null. Unfinished runs get `status` when it is
    terminal (a cancelled result), else running (or pending while the result is queued).
    """
    runs = listed_runs(result)
    total = len(runs) or _int(result.get("total_runs_count")) or 0
    finished = min(total, max(0, int(fraction * total)))
    open_status = (
        status
        if status in TERMINAL_STATUSES
        else ("pending" if status in WAITING_STATUSES else "running")
    )
    shown = runs[:finished] + [
        r
        if not isinstance(r, Mapping)
        else {k: r.get(k) for k in ("id", "scenario", "scenario_name", "personality_name")}
        | {
            "status": open_status,
            "success": None,
            "evaluation": None,
            "expected_outcome": {},
            "transcript_object": [],
            "voice_recording_url": None,
            "duration": None,
            "error_message": "",
        }
        for r in runs[finished:]
    ]
    view = dict(result) | {"status": status}
    if isinstance(result.get("runs"), Mapping):
        view["runs"] = dict(zip(result["runs"], shown, strict=True))
    elif isinstance(result.get("runs"), list):
        view["runs"] = shown
    if runs:
        as_strings = isinstance(result.get("total_runs_count", ""), str)
        view |= counts_of(shown, as_strings)
        done = {r.get("id") for r in runs[:finished]}
        success = sum(1 for r in runs[:finished] if r.get("success") is True)
        view["success_rate"] = round(100.0 * success / len(runs), 2)
        for key in (
            "connected_runs",
            "not_connected_runs",
            "successful_calls",
            "failed_workflow_runs",
            "failed_infrastructure_runs",
        ):
            if isinstance(result.get(key), list):
                view[key] = [i for i in result[key] if i in done]
    elif total:
        view["completed_runs_count"] = str(finished)
    for key in ("performance_metrics", "overall_evaluation", "failed_reasons", "ai_summary"):
        if key in result:
            view[key] = None
    if "ai_summary_status" in result:
        view["ai_summary_status"] = "pending"
    return view


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def progress_at(statuses: Sequence[str], fraction: float) -> tuple[str, float]:
    """(status, fraction of runs finished) `fraction` of the way through `statuses`.

    Runs finish evenly from the first status that is not a waiting one (WAITING_STATUSES)
    until "evaluating" (or the end), so a queued result has no finished run.
    """
    n = len(statuses)
    fraction = min(max(fraction, 0.0), 1.0)
    status = statuses[min(int(fraction * n), n - 1)]
    first = next((i for i, s in enumerate(statuses) if s not in WAITING_STATUSES), n) / n
    last = next((i for i, s in enumerate(statuses) if s == "evaluating"), n) / n
    if last <= first:
        return status, 1.0 if fraction >= last else 0.0
    return status, min(1.0, max(0.0, (fraction - first) / (last - first)))


def results_page(rows: Sequence[Mapping], base_url: str, query: Mapping[str, str]) -> dict | None:
    """A DRF page of result summaries (`page`, `page_size` from `query`); None: invalid page."""
    try:
        page, size = int(query.get("page", 1)), min(int(query.get("page_size", 30)), 100)
    except ValueError:
        return None
    pages = max(1, -(-len(rows) // size)) if size > 0 else 0
    if not 1 <= page <= pages:
        return None

    def link(n: int) -> str:
        params = {k: v for k, v in query.items() if k != "page"} | ({"page": n} if n > 1 else {})
        return f"{base_url}?{urlencode(params)}" if params else base_url

    return {
        "count": len(rows),
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": [summarize(r) for r in rows[(page - 1) * size : page * size]],
    }


def summarize(result: Mapping) -> dict:
    """A result as an entry of the results list (runs as an array of summaries)."""
    keys = (
        "id",
        "name",
        "agent",
        "agent_name",
        "status",
        "success_rate",
        "run_as_text",
        "is_cronjob",
        "run_type",
        *COUNT_FIELDS,
        "scenarios",
        "created_at",
        "updated_at",
    )
    runs = [
        {k: r.get(k) for k in ("id", "status", "success", "scenario_name")}
        | {
            "scenario": (r.get("scenario") or {}).get("id")
            if isinstance(r.get("scenario"), Mapping)
            else r.get("scenario")
        }
        for r in listed_runs(result)
    ]
    return {k: result.get(k) for k in keys if k in result} | {"runs": runs}


def plan_run(body: Any, agents: Mapping[int, AgentProfile]) -> tuple[dict, Any]:
    """Validate a run-start body like DRF: ({field: [messages]}, None) or ({}, plan).

    The plan is (profile, scenario ids, frequency); scenarios come from `scenarios` (ids)
    or `tags` (any matching tag); `folder_path` is not supported here.
    """
    if not isinstance(body, dict):
        kind = type(body).__name__ if body is not None else "null"
        return {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]}, None
    errors: dict[str, list[str]] = {}
    agent = body.get("agent_id")
    if agent is None:
        errors["agent_id"] = ["This field is required."]
    elif not _is_int(agent):
        errors["agent_id"] = ["A valid integer is required."]
    elif int(agent) not in agents:
        errors["agent_id"] = [f'Invalid pk "{agent}" - object does not exist.']
    chosen = [k for k in ("scenarios", "tags", "folder_path") if body.get(k)]
    ids: list[int] = []
    if len(chosen) != 1:
        errors["non_field_errors"] = ["Provide exactly one of scenarios, tags or folder_path."]
    elif chosen[0] == "scenarios":
        given = body["scenarios"] if isinstance(body["scenarios"], list) else [body["scenarios"]]
        bad = [s for s in given if not _is_int(s) or int(s) not in SCENARIOS_BY_ID]
        if bad:
            errors["scenarios"] = [f'Invalid pk "{bad[0]}" - object does not exist.']
        ids = [int(s) for s in given if not bad]
    elif chosen[0] == "tags":
        tags = set(body["tags"]) if isinstance(body["tags"], list) else {body["tags"]}
        ids = [s.id for s in SCENARIOS if tags & set(s.tags)]
        if not ids:
            errors["tags"] = ["No scenarios found with the given tags."]
    else:
        errors["folder_path"] = ["folder_path requires project_id."]
    frequency = body.get("frequency", 1)
    if not _is_int(frequency) or int(frequency) < 1:
        errors["frequency"] = ["Ensure this value is greater than or equal to 1."]
    if errors:
        return errors, None
    return {}, (agents[int(agent)], ids, int(frequency))


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
