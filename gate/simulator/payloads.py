"""Realistic Cekura payloads, quirks included, for the simulator, the demo and the tests.

Pure functions, no I/O, no randomness between calls (every "random" number comes from a
`random.Random` seeded with the run's identity). The shapes follow the API notes:

- `make_run` -> one run as it appears in a result detail (`scenario` as an object, a mix
  of canonical binary, legacy binary (score 0/5) and numeric metrics, `expected_outcome`,
  `transcript_object`, `duration` "MM:SS").
- `make_result` -> a `ResultDetailV2`: `runs` as a dict keyed by run-id strings, count
  fields as strings, `success_rate` in percent (or 0-1), `failed_workflow_runs` null when
  not measured, `performance_metrics` as rubric-rule entries, `failed_reasons`, `ai_summary`.
- `make_trigger_response` -> the run-start (201) response: `runs` as an array, `pending`.
- `progress_view` / `progress_at` / `summarize` / `results_page` -> a result while it is
  still running, and the results list (DRF page of summaries).
- `plan_run` -> a run-start body checked like DRF would ({field: [messages]} or a plan).
- `SCENARIOS`, `DEMO_AGENTS`, `build_result`, `demo_result` -> the demo catalogue:
  agent 1 passes every run, agent 2 is a regression (see `DEMO_AGENTS`).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from gate.result.status import TERMINAL_STATUSES

BASE_TIME = datetime(2026, 7, 14, 12, 0, 0, tzinfo=UTC)
COUNT_FIELDS = (
    "total_runs_count",
    "completed_runs_count",
    "success_runs_count",
    "failed_runs_count",
    "met_expected_outcome_count",
    "total_expected_outcome_count",
)

# Metric ids as a project would have them (ids are arbitrary but stable).
CALL_PICKUP = (2, "Call Pickup")  # legacy binary: type binary_workflow_adherence, score 0/5
WORKFLOW = (115164, "Workflow Adherence")  # canonical binary: eval_type binary, passed
INFRA = (3301, "Infrastructure Issues")  # canonical binary, True = no issue
LATENCY = (3284, "Latency")  # numeric, milliseconds
VOICE = (5512, "Voice Tone + Clarity")  # continuous_qualitative, 0-5


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _mmss(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _seconds(mmss: Any) -> int:
    try:
        minutes, seconds = str(mmss).split(":")
        return int(minutes) * 60 + int(seconds)
    except ValueError:
        return 0


# -- metrics -------------------------------------------------------------------------------


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


# -- rubric ----------------------------------------------------------------------------


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


def _metric_values(runs: Iterable[Mapping], metric_id: int) -> list[float]:
    values = []
    for run in runs:
        for metric in (run.get("evaluation") or {}).get("metrics") or []:
            if metric.get("id") != metric_id:
                continue
            if "passed" in metric:
                values.append(5.0 if metric["passed"] else 0.0)
            elif isinstance(metric.get("score"), int | float):
                values.append(float(metric["score"]))
    return values


def performance_entries(runs: Sequence[Mapping], rubric: Sequence[Rule]) -> list[dict]:
    """One entry per rule with a value; rules whose metric never produced one are skipped."""
    out = []
    for rule in rubric:
        values = _metric_values(runs, rule.metric[0])
        if values:
            out.append(rule.entry(statistics.fmean(values)))
    return out


# -- runs ------------------------------------------------------------------------------


def make_run(
    run_id: int,
    *,
    scenario_id: int,
    scenario_name: str,
    success: bool | None,
    status: str = "completed",
    error_message: str = "",
    expected_outcome_score: float | None = None,
    expected_outcome_explanation: Sequence[str] = ("The agent met the expected outcome.",),
    metrics: list[dict] | None = None,
    duration: str = "01:42",
    transcript: Sequence[tuple[str, str]] | None = None,
    personality_name: str = "Direct Communicator",
    latency_ms: float = 820.0,
    timestamp: str | None = None,
) -> dict:
    """One run of a result detail.

    `expected_outcome_score=None` leaves `expected_outcome` empty (metric not attached).
    `metrics=None` gives `standard_metrics`, with Workflow Adherence failed when the run
    failed for no other visible reason. `success=None` is a call that never connected:
    no transcript, no recording.
    """
    connected = success is not None
    if metrics is None:
        other_reason = bool(error_message) or (
            expected_outcome_score is not None and expected_outcome_score < 100
        )
        metrics = standard_metrics(
            connected=connected,
            workflow_passed=success is not False or other_reason,
            latency_ms=latency_ms,
        )
    if transcript is None:
        transcript = (
            [
                ("Main Agent", "Thank you for calling Riverside Clinic, how can I help you today?"),
                ("Testing Agent", f"Hi, I'm calling about this: {scenario_name.lower()}."),
                ("Main Agent", "Of course, let me help you with that."),
            ]
            if connected
            else []
        )
    turns, clock = [], 0.8
    for role, content in transcript:
        end = clock + max(1.2, len(content) / 15)
        turns.append(
            {
                "role": role,
                "time": _mmss(clock),
                "content": content,
                "start_time": round(clock, 2),
                "end_time": round(end, 2),
            }
        )
        clock = end + 0.6
    expected: dict[str, Any] = {}
    if expected_outcome_score is not None:
        expected = {
            "score": expected_outcome_score,
            "explanation": list(expected_outcome_explanation),
            "outcome_alignments": [
                {
                    "outcome": scenario_name,
                    "prompt_part": "expected outcome",
                    "aligned": expected_outcome_score >= 100,
                }
            ],
        }
    stamp = timestamp or iso(BASE_TIME + timedelta(seconds=37 * (run_id % 10_000)))
    return {
        "id": run_id,
        "scenario": {
            "id": scenario_id,
            "name": scenario_name,
            "personality_name": personality_name,
        },
        "scenario_name": scenario_name,
        "personality_name": personality_name,
        "status": status,
        "success": success,
        "evaluation_status": "success" if success else "failure",
        "error_message": error_message,
        "expected_outcome": expected,
        "evaluation": {"metrics": metrics},
        "transcript_object": turns,
        "voice_recording_url": f"https://example.com/recordings/run-{run_id}.wav"
        if connected
        else None,
        "duration": duration if connected else "00:00",
        "call_id": f"call_{run_id:08x}",
        "metadata": {"ended_reason": "assistant-ended-call" if connected else "sip-503"},
        "timestamp": stamp,
        "executed_at": stamp,
    }


def _failure_description(run: Mapping) -> str:
    if run.get("error_message"):
        return str(run["error_message"])
    expected = run.get("expected_outcome") or {}
    if isinstance(expected.get("score"), int | float) and expected["score"] < 100:
        return " ".join(expected.get("explanation") or ["The expected outcome was not met."])
    for metric in (run.get("evaluation") or {}).get("metrics") or []:
        if metric.get("passed") is False or metric.get("score_normalized") == 0:
            return f"{metric['name']}: {' '.join(metric.get('explanation') or [])}".strip()
    return "The run did not succeed."


def _counts(runs: Sequence[Mapping], as_strings: bool) -> dict[str, Any]:
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
    counts = _counts(runs, counts_as_strings)
    total, success = len(runs), sum(1 for r in runs if r.get("success") is True)
    rate = round(100.0 * success / total, 2) if total else 0.0
    failing = [r for r in runs if r.get("success") is not True]
    issues: dict[str, list[int]] = {}
    for run in failing:
        issues.setdefault(_failure_description(run), []).append(run["id"])
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
            values = _metric_values([run], metric["id"])
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
        "total_duration": _mmss(sum(_seconds(r.get("duration")) for r in runs)),
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


def make_trigger_response(result: Mapping) -> dict:
    """The run-start response for `result`: runs as an ARRAY, status pending, rate 0."""
    try:
        opens = datetime.fromisoformat(str(result.get("created_at")))
    except ValueError:
        opens = BASE_TIME
    runs = []
    for n, run in enumerate(_run_list(result)):
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


def _run_list(result: Mapping) -> list[dict]:
    runs = result.get("runs")
    if isinstance(runs, Mapping):
        return list(runs.values())
    return list(runs) if isinstance(runs, list) else []


def progress_view(result: Mapping, *, status: str, fraction: float) -> dict:
    """`result` as the API shows it mid-way: the first `fraction` of its runs final.

    Counts, rate and id lists are recomputed from the finished runs; the fields Cekura
    fills at the end (rubric, summaries) are null. Unfinished runs get `status` when it is
    terminal (a cancelled result), else running (or pending while the result is queued).
    """
    runs = _run_list(result)
    total = len(runs) or _int(result.get("total_runs_count")) or 0
    finished = min(total, max(0, int(fraction * total)))
    open_status = (
        status if status in TERMINAL_STATUSES else ("pending" if status in WAITING else "running")
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
        view |= _counts(shown, as_strings)
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


WAITING = frozenset({"pending", "in_queue", "scaling_up"})


def progress_at(statuses: Sequence[str], fraction: float) -> tuple[str, float]:
    """(status, fraction of runs finished) `fraction` of the way through `statuses`.

    Runs finish evenly from the first status that is not a waiting one (pending, in_queue,
    scaling_up) until "evaluating" (or the end), so a queued result has no finished run.
    """
    n = len(statuses)
    fraction = min(max(fraction, 0.0), 1.0)
    status = statuses[min(int(fraction * n), n - 1)]
    first = next((i for i, s in enumerate(statuses) if s not in WAITING), n) / n
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
        for r in _run_list(result)
    ]
    return {k: result.get(k) for k in keys if k in result} | {"runs": runs}


# -- the demo catalogue ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    id: int
    name: str
    tags: tuple[str, ...]
    personality_name: str
    script: tuple[tuple[str, str], ...]
    #: what a regressed agent gets wrong here (used for failed outcomes and metrics)
    failure: tuple[str, ...]


def _script(caller: str, agent: str, caller2: str, agent2: str) -> tuple[tuple[str, str], ...]:
    return (
        ("Main Agent", "Thank you for calling Riverside Clinic, this is Ava. How can I help?"),
        ("Testing Agent", caller),
        ("Main Agent", agent),
        ("Testing Agent", caller2),
        ("Main Agent", agent2),
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        11541,
        "Book appointment",
        ("smoke", "booking"),
        "Friendly Retiree",
        _script(
            "Hi, I'd like to book a check-up with Dr. Patel, ideally next Tuesday morning.",
            "Dr. Patel has Tuesday at 10:00 free. May I have your name and date of birth?",
            "Margaret Olsen, March 3rd 1951.",
            "You're booked for Tuesday at 10:00 with Dr. Patel at 14 Riverside Road.",
        ),
        ("The agent never confirmed the date and time back to the caller.",),
    ),
    Scenario(
        11542,
        "Reschedule appointment",
        ("booking",),
        "Busy Professional",
        _script(
            "I need to move my Thursday appointment, something is come up at work.",
            "No problem. I can offer Friday at 8:30 or Monday at 17:00.",
            "Monday at five works.",
            "Done: your appointment is now Monday at 17:00. You'll get a text confirmation.",
        ),
        ("The agent moved the appointment without reading the new time back to the caller.",),
    ),
    Scenario(
        11543,
        "Emergency triage",
        ("smoke", "safety"),
        "Anxious Parent",
        _script(
            "My husband has crushing chest pain and he's sweating a lot, can we come in today?",
            "That could be an emergency. Please hang up and call 911 right now.",
            "Okay, okay, I'm calling them.",
            "Stay with him and unlock the front door for the paramedics.",
        ),
        (
            "The agent offered a routine appointment tomorrow instead of telling the caller "
            "to call 911.",
            "The emergency disclaimer was never given.",
        ),
    ),
    Scenario(
        11544,
        "Insurance question",
        ("billing",),
        "Direct Communicator",
        _script(
            "Do you take Blue Shield PPO?",
            "Yes, we're in network for Blue Shield PPO plans.",
            "And is the annual physical covered?",
            "Preventive visits are usually covered in full; your plan documents have the details.",
        ),
        ("The agent quoted a copay amount it could not know.",),
    ),
    Scenario(
        11545,
        "Cancel appointment",
        ("booking",),
        "Soft-spoken Caller",
        _script(
            "I'd like to cancel my appointment on the 21st, please.",
            "I can help. Can you confirm your date of birth?",
            "July 9th, 1988.",
            "Your appointment on the 21st is cancelled. Would you like to rebook?",
        ),
        ("The agent cancelled the wrong appointment.",),
    ),
    Scenario(
        11546,
        "Angry caller escalation",
        ("smoke", "escalation"),
        "Highly Interruptive American Man",
        _script(
            "This is the third time I'm calling about a wrong bill, I want a real person!",
            "I'm sorry about that. I'm transferring you to our billing team now.",
            "Finally.",
            "You're next in line; a billing specialist will pick up in under two minutes.",
        ),
        ("The agent argued with the caller instead of offering a transfer to a person.",),
    ),
)
SCENARIOS_BY_ID = {s.id: s for s in SCENARIOS}
OUTCOMES = ("pass", "outcome_fail", "metric_fail", "error")
CONNECTION_ERROR = (
    "Call failed to connect: the agent's number returned SIP 503 Service Unavailable."
)


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """How an agent behaves: per scenario id, an outcome (or outcomes cycled per repetition).

    Outcomes: "pass", "outcome_fail" (expected outcome 0), "metric_fail" (Workflow
    Adherence failed) and "error" (the call never connected). Missing scenarios pass.
    """

    agent_id: int
    name: str
    outcomes: Mapping[int, str | tuple[str, ...]] = field(default_factory=dict)
    latency_ms: float = 820.0

    def outcome(self, scenario_id: int, repetition: int) -> str:
        spec = self.outcomes.get(scenario_id, "pass")
        spec = (spec,) if isinstance(spec, str) else tuple(spec)
        return spec[repetition % len(spec)]


DEMO_AGENTS: dict[int, AgentProfile] = {
    1: AgentProfile(1, "Riverside Clinic receptionist v1.4 (good)", latency_ms=820.0),
    2: AgentProfile(
        2,
        "Riverside Clinic receptionist v1.5 (regressed)",
        # the connection error hits only the first repetition: one per result
        outcomes={11542: "metric_fail", 11543: "outcome_fail", 11545: ("error", "pass")},
        latency_ms=2350.0,
    ),
}
DEMO_RESULT_IDS = {1: 4101, 2: 4102}


def build_run(profile: AgentProfile, scenario: Scenario, repetition: int, run_id: int) -> dict:
    """One run of `scenario` by `profile`; jitter is seeded by agent, scenario, repetition."""
    outcome = profile.outcome(scenario.id, repetition)
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    rng = random.Random(f"{profile.agent_id}:{scenario.id}:{repetition}")
    latency = round(profile.latency_ms + rng.uniform(-120, 120))
    common = {
        "scenario_id": scenario.id,
        "scenario_name": scenario.name,
        "personality_name": scenario.personality_name,
        "latency_ms": latency,
        "duration": _mmss(rng.uniform(70, 150)),
    }
    if outcome == "error":
        return make_run(
            run_id, success=None, status="failed", error_message=CONNECTION_ERROR, **common
        )
    script = scenario.script
    if outcome == "outcome_fail":
        script = (
            *script[:2],
            ("Main Agent", "I can fit you in tomorrow at 9:00, would that work?"),
        )
    metrics = standard_metrics(
        workflow_passed=outcome != "metric_fail",
        workflow_explanation=scenario.failure[0] if outcome == "metric_fail" else "",
        latency_ms=latency,
        voice_score=round(rng.uniform(4.1, 4.8), 1),
    )
    failed = outcome == "outcome_fail"
    return make_run(
        run_id,
        success=outcome == "pass",
        expected_outcome_score=0 if failed else 100,
        expected_outcome_explanation=scenario.failure
        if failed
        else (f"The agent handled '{scenario.name}' as expected.",),
        metrics=metrics,
        transcript=script,
        **common,
    )


def build_result(
    result_id: int,
    profile: AgentProfile,
    scenario_ids: Sequence[int],
    *,
    frequency: int = 1,
    first_run_id: int = 90_001,
    name: str = "",
    run_as_text: bool = False,
    created_at: str | None = None,
) -> dict:
    """The final result of running `scenario_ids` × `frequency` for `profile`."""
    runs = []
    for scenario_id in scenario_ids:
        for repetition in range(frequency):
            run_id = first_run_id + len(runs)
            runs.append(build_run(profile, SCENARIOS_BY_ID[scenario_id], repetition, run_id))
    return make_result(
        result_id,
        runs=runs,
        name=name or f"CI run for {profile.name}",
        agent=profile.agent_id,
        run_as_text=run_as_text,
        created_at=created_at,
    )


def demo_result(agent_id: int, *, result_id: int | None = None, frequency: int = 1) -> dict:
    """The whole catalogue run by demo agent 1 (all pass) or 2 (regressed)."""
    result_id = result_id or DEMO_RESULT_IDS[agent_id]
    return build_result(
        result_id,
        DEMO_AGENTS[agent_id],
        [s.id for s in SCENARIOS],
        frequency=frequency,
        first_run_id=result_id * 100 + 1,
    )


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


# -- hostile bodies (for the simulator's Fault.raw and the parser's tests) -----------------


def with_duplicate_runs(result: Mapping, times: int = 2) -> dict:
    """`result` with its runs as a list in which every run appears `times` times (the counts
    left as they were): what a paginating or retrying API bug could send."""
    runs = _run_list(result)
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
