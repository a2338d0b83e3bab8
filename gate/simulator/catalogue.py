"""The demo catalogue: scenarios, the demo agents (agent 1 passes every run, agent 2 is a
regression, agent 3 is agent 1 on a line that drops calls, see `DEMO_AGENTS`) and the results
they produce."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gate.simulator.payloads import make_result
from gate.simulator.run_detail import make_run, mmss
from gate.simulator.scoring import (
    CALL_PICKUP,
    TRANSFER,
    binary_metric,
    blocked_metric,
    legacy_binary_metric,
    standard_metrics,
)


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
OUTCOMES = ("pass", "outcome_fail", "metric_fail", "error", "not_connected", "run_error")
CONNECTION_ERROR = (
    "Call failed to connect: the agent's number returned SIP 503 Service Unavailable."
)
#: the scenario whose calls have a transfer: the only one Transfer Handling applies to
TRANSFER_SCENARIO = 11546


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """How an agent behaves: per scenario id, an outcome (or outcomes cycled per repetition).

    Outcomes: "pass", "outcome_fail" (expected outcome 0), "metric_fail" (Workflow
    Adherence failed), and three infrastructure failures: "error" (a SIP 503, run status
    failed), "not_connected" (status completed, unsuccessful, ended reason
    call-not-connected, no Infrastructure Issues metric) and "run_error" (run status error,
    no message). Missing scenarios pass.

    `transfer_metric`: every connected run carries Transfer Handling, which applies only to
    TRANSFER_SCENARIO (passed when the run passed) and is reported blocked on every other.
    """

    agent_id: int
    name: str
    outcomes: Mapping[int, str | tuple[str, ...]] = field(default_factory=dict)
    latency_ms: float = 820.0
    transfer_metric: bool = False

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
    3: AgentProfile(
        3,
        "Riverside Clinic receptionist v1.4 on a failing phone line",
        # the good agent; the line drops two calls, on the first repetition only
        outcomes={11541: ("error", "pass"), 11544: ("not_connected", "pass")},
        transfer_metric=True,
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
        "duration": mmss(rng.uniform(70, 150)),
    }
    if outcome == "error":
        return make_run(
            run_id, success=None, status="failed", error_message=CONNECTION_ERROR, **common
        )
    if outcome == "not_connected":
        return make_run(
            run_id,
            success=False,
            connected=False,
            ended_reason="call-not-connected",
            metrics=[legacy_binary_metric(CALL_PICKUP, False, "The call was never picked up.")],
            **common,
        )
    if outcome == "run_error":
        return make_run(run_id, success=None, status="error", ended_reason="", **common)
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
    if profile.transfer_metric:
        applies = scenario.id == TRANSFER_SCENARIO
        metrics.append(
            binary_metric(TRANSFER, outcome == "pass") if applies else blocked_metric(TRANSFER)
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
