"""A large, realistic Cekura result detail for the benchmarks: `python benchmarks/payload.py`.

Built from `gate.sample_payloads` (the same shapes the simulator serves): runs keyed by id
strings, counts as strings, per run a scenario object, two metrics (binary workflow
adherence, numeric latency) with explanations, an expected outcome, and a short two-turn
transcript. The outcome mix is a mostly healthy agent: 96% of runs pass, 2% miss the expected
outcome, 1% fail a metric, 1% never connect. Deterministic for a given size and seed.
Written compact, like the API sends it: 10,000 runs make about 11 MB.

Usage: python benchmarks/payload.py [--runs 10000] [--seed 7] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from gate import sample_payloads as sp

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


def make_run(run_id: int, scenario: sp.Scenario, rng: random.Random) -> dict:
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
        return sp.make_run(
            run_id, success=None, status="failed", error_message=sp.CONNECTION_ERROR, **common
        )
    failed = outcome == "outcome_fail"
    metrics = [
        sp.binary_metric(
            sp.WORKFLOW,
            outcome != "metric_fail",
            scenario.failure[0] if outcome == "metric_fail" else "",
        ),
        sp.numeric_metric(sp.LATENCY, latency),
    ]
    return sp.make_run(
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


def make_result(runs: int = 10_000, *, seed: int = 7, result_id: int = 880_001) -> dict:
    rng = random.Random(seed)
    items = [make_run(100_000 + n, sp.SCENARIOS[n % len(sp.SCENARIOS)], rng) for n in range(runs)]
    return sp.make_result(
        result_id,
        runs=items,
        name=f"Nightly regression ({runs} runs)",
        agent=1,
        performance_metrics=[
            sp.Rule(sp.LATENCY, "lte", 1500).entry(880.0),
            sp.Rule(sp.WORKFLOW, "eq", 5).entry(5.0),
        ],
    )


def write_result(path: Path, runs: int = 10_000, *, seed: int = 7) -> int:
    """Write the result as compact JSON; returns its size in bytes."""
    text = json.dumps(make_result(runs, seed=seed), separators=(",", ":"), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("result-10k.json"))
    args = parser.parse_args(argv)
    size = write_result(args.out, args.runs, seed=args.seed)
    print(f"{args.out}: {args.runs} runs, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
