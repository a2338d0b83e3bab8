"""One run as it appears in a result detail (`scenario` as an object, a mix of canonical
binary, legacy binary (score 0/5) and numeric metrics, `expected_outcome`,
`transcript_object`, `duration` "MM:SS"), and the clock the payloads are stamped with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from gate.simulator.scoring import (
    standard_metrics,
)

BASE_TIME = datetime(2026, 7, 14, 12, 0, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def mmss(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def seconds_of(text: Any) -> int:
    try:
        minutes, seconds = str(text).split(":")
        return int(minutes) * 60 + int(seconds)
    except ValueError:
        return 0


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
    ended_reason: str | None = None,
    connected: bool | None = None,
) -> dict:
    """One run of a result detail.

    `expected_outcome_score=None` leaves `expected_outcome` empty (metric not attached).
    `metrics=None` gives `standard_metrics`, with Workflow Adherence failed when the run
    failed for no other visible reason. `success=None` is a call that never connected:
    no transcript, no recording; `connected=False` says so of a run whose success is known
    (a call that never connected but was still scored unsuccessful). `ended_reason` is
    `metadata.ended_reason` (default: assistant-ended-call, or sip-503 when not connected).
    """
    connected = success is not None if connected is None else connected
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
                "time": mmss(clock),
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
        "metadata": {
            "ended_reason": ended_reason
            if ended_reason is not None
            else ("assistant-ended-call" if connected else "sip-503")
        },
        "timestamp": stamp,
        "executed_at": stamp,
    }


def failure_description(run: Mapping) -> str:
    if run.get("error_message"):
        return str(run["error_message"])
    expected = run.get("expected_outcome") or {}
    if isinstance(expected.get("score"), int | float) and expected["score"] < 100:
        return " ".join(expected.get("explanation") or ["The expected outcome was not met."])
    for metric in (run.get("evaluation") or {}).get("metrics") or []:
        if metric.get("passed") is False or metric.get("score_normalized") == 0:
            return f"{metric['name']}: {' '.join(metric.get('explanation') or [])}".strip()
    return "The run did not succeed."
