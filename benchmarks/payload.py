"""Large Cekura result details for the benchmarks: `python benchmarks/payload.py`.

Built from `gate.simulator.payloads` (the same shapes the simulator serves): runs keyed by id
strings, counts as strings, per run a scenario object, metrics with explanations, an
expected outcome and a transcript. Two shapes:

- lean: two metrics (binary workflow adherence, numeric latency) and a two-turn
  transcript per run; 10,000 runs make about 12.5 MB.
- realistic: eleven metrics (binary, legacy binary, numeric and 0-5 ratings), each with a
  judge's explanation of a few sentences, and a 30-turn transcript per run, as a project
  with a full metric set records them; 10,000 runs make about 100 MB.

The outcome mix is a mostly healthy agent: 96% of runs pass, 2% miss the expected outcome,
1% fail a metric, 1% never connect. Deterministic for a given shape, size and seed. Written
compact, like the API sends it.

Usage: python benchmarks/payload.py [--shape lean|realistic] [--runs 10000] [--seed 7]
                                    [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from gate.simulator import catalogue, run_detail, scoring
from gate.simulator import payloads as sp

#: share of runs per outcome; the rest pass
OUTCOME_SHARES = (("outcome_fail", 0.02), ("metric_fail", 0.01), ("error", 0.01))

#: the config the evaluation benchmark gates the result with: the README's typical config
TYPICAL_CONFIG = """\
version: 1
thresholds:
  min_runs: 3
  success_rate:
    min: 90
  failed_workflow_runs:
    max: 0
    level: warn
  performance_metrics:
    require_all_met: true
    rules:
      - metric: Latency
        max: 1500
"""


def _outcome(rng: random.Random) -> str:
    draw = rng.random()
    for outcome, share in OUTCOME_SHARES:
        if draw < share:
            return outcome
        draw -= share
    return "pass"


def make_run(run_id: int, scenario: catalogue.Scenario, rng: random.Random) -> dict:
    outcome = _outcome(rng)
    latency = round(820 + rng.uniform(-150, 250))
    common = {
        "scenario_id": scenario.id,
        "scenario_name": scenario.name,
        "personality_name": scenario.personality_name,
        "latency_ms": latency,
        "duration": f"01:{rng.randint(5, 59):02d}",
    }
    if outcome == "error":
        return run_detail.make_run(
            run_id,
            success=None,
            status="failed",
            error_message=catalogue.CONNECTION_ERROR,
            **common,
        )
    failed = outcome == "outcome_fail"
    metrics = [
        scoring.binary_metric(
            scoring.WORKFLOW,
            outcome != "metric_fail",
            scenario.failure[0] if outcome == "metric_fail" else "",
        ),
        scoring.numeric_metric(scoring.LATENCY, latency),
    ]
    return run_detail.make_run(
        run_id,
        success=outcome == "pass",
        expected_outcome_score=0 if failed else 100,
        expected_outcome_explanation=scenario.failure[:1] if failed else ("Outcome met.",),
        metrics=metrics,
        transcript=(
            ("Main Agent", "Riverside Clinic, this is Ava. How can I help?"),
            ("Testing Agent", f"Hi, it's about: {scenario.name.lower()}."),
        ),
        **common,
    )


#: the realistic shape's metrics beyond the standard five: (id, name, kind), where kind is
#: "binary" (pass/fail), "count", "percent" or "rating" (0-5)
EXTRA_METRICS = (
    ((7001, "Hallucination Check"), "binary"),
    ((7002, "Instruction Following"), "binary"),
    ((7003, "Information Accuracy"), "binary"),
    ((7004, "Interruptions"), "count"),
    ((7005, "Talk Ratio"), "percent"),
    ((7006, "Empathy"), "rating"),
)

#: what a caller and an agent say between a scenario's opening and its closing lines
CALLER_LINES = (
    "Sorry, could you repeat that? The line cut out for a second there.",
    "Okay. And do I need to bring anything with me, like my insurance card or a referral?",
    "My daughter usually drives me, so mornings are better if there's anything free.",
    "I also wanted to ask whether the parking situation has changed since last year.",
    "Right, right. Is that the building next to the pharmacy or the one across the street?",
    "Can you spell the doctor's name for me? I want to write it down properly.",
    "I think my old phone number is still on file, let me give you the new one.",
    "That's fine. Will I get a reminder the day before? I tend to forget these things.",
)
AGENT_LINES = (
    "Of course. Let me pull up your record first so I have everything in front of me.",
    "Thanks for waiting. I can see your last visit was in March with the same provider.",
    "Yes, please bring your insurance card and a photo ID; a referral is not needed.",
    "Parking is free in the lot behind the clinic; the entrance is on Willow Street.",
    "It's the building next to the pharmacy, second floor, suite 210.",
    "Certainly: P as in Peter, A, T as in Tom, E, L. Doctor Patel.",
    "I've updated your phone number; you'll get a text reminder the day before.",
    "Is there anything else I can help you with while I have you on the line?",
)
TRANSCRIPT_TURNS = 30


def _explanation(name: str, passed: bool, scenario: catalogue.Scenario, rng: random.Random) -> str:
    """A judge's explanation: a few sentences, as an LLM-judged metric records them."""
    turn = rng.randint(3, TRANSCRIPT_TURNS - 2)
    if passed:
        return (
            f"{name}: satisfied. Across the call about '{scenario.name.lower()}' the agent "
            f"stayed on task, answered each question the caller asked and confirmed the next "
            f"step before ending the call (turn {turn}). No statement contradicted the "
            "clinic's knowledge base or the caller's earlier answers. Evidence: the agent "
            f'said "{scenario.script[2][1]}"'
        )
    return (
        f"{name}: not met. {scenario.failure[0]} The problem first appears at turn {turn} "
        "and is not corrected later in the call; the caller had to ask again and the call "
        "ended without the expected confirmation. Evidence: the caller said "
        f'"{scenario.script[1][1]}" and the agent did not follow up on it.'
    )


def _measured(name: str, rng: random.Random) -> str:
    """How a measured metric was computed, as the platform explains a number."""
    return (
        f"{name} is measured over the agent's {TRANSCRIPT_TURNS // 2} turns, from the end of "
        f"each caller turn to the agent's next audio; the outlier was turn "
        f"{rng.randint(2, TRANSCRIPT_TURNS - 1)}, within the expected range for this scenario."
    )


def realistic_metrics(
    scenario: catalogue.Scenario, outcome: str, latency: int, rng: random.Random
) -> list[dict]:
    """Eleven metrics: the standard five and six more, each with a judge's explanation."""
    workflow_ok = outcome != "metric_fail"
    metrics = [
        scoring.legacy_binary_metric(scoring.CALL_PICKUP, True),
        scoring.binary_metric(
            scoring.WORKFLOW,
            workflow_ok,
            _explanation(scoring.WORKFLOW[1], workflow_ok, scenario, rng),
        ),
        scoring.binary_metric(
            scoring.INFRA, True, "No infrastructure issue detected: audio both ways."
        ),
        scoring.numeric_metric(scoring.LATENCY, latency),
        scoring.numeric_metric(
            scoring.VOICE, round(rng.uniform(3.9, 4.8), 1), "continuous_qualitative"
        ),
    ]
    metrics[3]["explanation"].append(_measured(scoring.LATENCY[1], rng))
    metrics[4]["explanation"].append(
        _explanation(scoring.VOICE[1], metrics[4]["score"] >= 4, scenario, rng)
    )
    for metric, kind in EXTRA_METRICS:
        if kind == "binary":
            passed = outcome == "pass" or rng.random() < 0.5
            metrics.append(
                scoring.binary_metric(
                    metric, passed, _explanation(metric[1], passed, scenario, rng)
                )
            )
        elif kind == "rating":
            value = round(rng.uniform(3.5, 5.0), 1)
            entry = scoring.numeric_metric(metric, value, "continuous_qualitative")
            entry["explanation"].append(_explanation(metric[1], value >= 4, scenario, rng))
            metrics.append(entry)
        else:
            value = rng.randint(0, 4) if kind == "count" else round(rng.uniform(35, 65), 1)
            entry = scoring.numeric_metric(metric, value)
            entry["explanation"].append(_measured(metric[1], rng))
            metrics.append(entry)
    return metrics


def realistic_transcript(
    scenario: catalogue.Scenario, rng: random.Random
) -> tuple[tuple[str, str], ...]:
    """30 turns: the scenario's opening, a conversation drawn from the pools, its closing."""
    opening, closing = scenario.script[:3], scenario.script[3:]
    middle = []
    for n in range(TRANSCRIPT_TURNS - len(opening) - len(closing)):
        caller = n % 2 == 0
        pool = CALLER_LINES if caller else AGENT_LINES
        middle.append(("Testing Agent" if caller else "Main Agent", rng.choice(pool)))
    return (*opening, *middle, *closing)


def make_realistic_run(run_id: int, scenario: catalogue.Scenario, rng: random.Random) -> dict:
    outcome = _outcome(rng)
    latency = round(820 + rng.uniform(-150, 250))
    common = {
        "scenario_id": scenario.id,
        "scenario_name": scenario.name,
        "personality_name": scenario.personality_name,
        "latency_ms": latency,
        "duration": f"0{rng.randint(3, 7)}:{rng.randint(0, 59):02d}",
    }
    if outcome == "error":
        return run_detail.make_run(
            run_id,
            success=None,
            status="failed",
            error_message=catalogue.CONNECTION_ERROR,
            **common,
        )
    failed = outcome == "outcome_fail"
    return run_detail.make_run(
        run_id,
        success=outcome == "pass",
        expected_outcome_score=0 if failed else 100,
        expected_outcome_explanation=scenario.failure
        if failed
        else (f"The agent handled '{scenario.name}' as expected.",),
        metrics=realistic_metrics(scenario, outcome, latency, rng),
        transcript=realistic_transcript(scenario, rng),
        **common,
    )


SHAPES = {"lean": make_run, "realistic": make_realistic_run}


def make_result(
    runs: int = 10_000, *, seed: int = 7, result_id: int = 880_001, shape: str = "lean"
) -> dict:
    build = SHAPES[shape]
    rng = random.Random(seed)
    items = [
        build(100_000 + n, catalogue.SCENARIOS[n % len(catalogue.SCENARIOS)], rng)
        for n in range(runs)
    ]
    return sp.make_result(
        result_id,
        runs=items,
        name=f"Nightly regression ({runs} runs)",
        agent=1,
        performance_metrics=[
            scoring.Rule(scoring.LATENCY, "lte", 1500).entry(880.0),
            scoring.Rule(scoring.WORKFLOW, "eq", 5).entry(5.0),
        ],
    )


def write_result(path: Path, runs: int = 10_000, *, seed: int = 7, shape: str = "lean") -> int:
    """Write the result as compact JSON; returns its size in bytes."""
    result = make_result(runs, seed=seed, shape=shape)
    text = json.dumps(result, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="lean")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path(f"result-{args.shape}-{args.runs}.json")
    size = write_result(out, args.runs, seed=args.seed, shape=args.shape)
    print(f"{out}: {args.shape}, {args.runs} runs, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
