"""Poll economy: how late the gate learns that a result ended, and how many requests it sends.

Simulates result timelines and drives the gate's real wait loop (gate.source.wait.wait_for_result)
through each with an injected clock: fixed 10 s polling, fixed 30 s polling (what Cekura's
official action does) and the gate's own strategy (gate.source.strategy.AdaptivePolling at the
default --poll-interval of 10 s). For each: the median and p95 delay between the result
turning terminal and the gate knowing it, and the requests sent per result.
Target: the strategy's median delay at most half that of fixed 10 s polling, with no more
requests than fixed 10 s polling.

A timeline (seeded, so every run of this script sees the same ones):
- total duration 2 to 40 minutes (uniform);
- queued first (`pending`, `in_queue`, `scaling_up`) for 2-15% of it, no run done;
- `running`: N runs (5-300) on C parallel lines (2-20), each run's length drawn around a
  common mean (log-normal, sd 35%), scheduled as they would be, then scaled to fit, so
  `completed_runs_count` climbs in waves, with stragglers;
- `evaluating` for 3-12% of the duration (5-180 s) once every run is done (80% of
  results; the rest turn `completed` with their last run);
- 5% end early instead, `cancelled` or `failed` part-way through the runs;
- every answer takes 0.3 s (the gate knows the state only once it arrives).
A second pass answers 5% of the polls with 429 and Retry-After: 15 and checks that the next
request never came sooner.

Usage: python benchmarks/polling.py [--results 400] [--seed 11]
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table

from gate.errors import TransientApiError
from gate.source.strategy import MIN_INTERVAL, AdaptivePolling
from gate.source.wait import Progress, wait_for_result

LATENCY = 0.3
RETRY_AFTER = 15.0


@dataclass(frozen=True)
class Timeline:
    queued: float  # seconds in pending/in_queue/scaling_up
    done_at: tuple[float, ...]  # when each run completed, sorted
    running_until: float  # the last run completes
    end: float  # the result turns terminal
    final: str  # its terminal status
    total: int

    def state(self, t: float) -> dict[str, Any]:
        """The result as GET /results/{id}/ shows it at time t (counts as strings)."""
        if t >= self.end:
            status = self.final
        elif t < self.queued:
            status = ("pending", "in_queue", "scaling_up")[min(2, int(3 * t / self.queued))]
        elif t < self.running_until:
            status = "running"
        else:
            status = "evaluating"
        done = bisect.bisect_right(self.done_at, min(t, self.end))
        return {
            "status": status,
            "completed_runs_count": str(done),
            "total_runs_count": str(self.total),
        }


def make_timeline(rng: random.Random) -> Timeline:
    duration = rng.uniform(120, 2400)
    queued = duration * rng.uniform(0.02, 0.15)
    evaluating = 0.0
    if rng.random() < 0.8:
        evaluating = min(180.0, max(5.0, duration * rng.uniform(0.03, 0.12)))
    running = duration - queued - evaluating
    runs = rng.randint(5, 300)
    lines = min(runs, rng.randint(2, 20))
    mean = rng.uniform(40, 240)
    free = [0.0] * lines
    finished = []
    for _ in range(runs):
        start = min(free)
        line = free.index(start)
        length = mean * math.exp(rng.gauss(0, 0.35))
        free[line] = start + length
        finished.append(start + length)
    scale = running / max(finished)
    done_at = tuple(sorted(queued + f * scale for f in finished))
    end, final = queued + running + evaluating, "completed"
    if rng.random() < 0.05:
        end, final = queued + running * rng.uniform(0.2, 0.9), rng.choice(["cancelled", "failed"])
    return Timeline(queued, done_at, queued + running, end, final, runs)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Outcome:
    delay: float  # from the result turning terminal to the gate knowing it
    requests: int
    gaps_after_429: list[float]  # time from a 429's answer to the next request
    shortest_gap: float  # between the end of one answer and the next request


def simulate(
    timeline: Timeline,
    *,
    interval: float,
    strategy: Callable[[Progress], float] | None,
    min_interval: float = 0.0,
    limited: random.Random | None = None,
) -> Outcome:
    clock = Clock()
    requests: list[float] = []
    answers: list[float] = []
    limited_answers: list[float] = []

    def fetch(_timeout: float) -> dict[str, Any]:
        requests.append(clock.now)
        state = timeline.state(clock.now)
        clock.sleep(LATENCY)
        answers.append(clock.now)
        if limited is not None and limited.random() < 0.05:
            limited_answers.append(clock.now)
            raise TransientApiError("HTTP 429 Too Many Requests", retry_after=RETRY_AFTER)
        return state

    wait_for_result(
        fetch=fetch,
        timeout=timeline.end + 7200,
        interval=interval,
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(0),
        next_interval=strategy,
        min_interval=min_interval,
    )
    gaps_after_429 = [requests[answers.index(a) + 1] - a for a in limited_answers]
    gaps = [nxt - answered for answered, nxt in zip(answers, requests[1:], strict=False)]
    return Outcome(
        delay=clock.now - timeline.end,
        requests=len(requests),
        gaps_after_429=gaps_after_429,
        shortest_gap=min(gaps, default=math.inf),
    )


STRATEGIES: dict[str, Callable[[], dict[str, Any]]] = {
    "fixed 10 s": lambda: {"interval": 10.0, "strategy": None},
    "fixed 30 s (Cekura's action)": lambda: {"interval": 30.0, "strategy": None},
    "cekura-gate (adaptive)": lambda: {
        "interval": 10.0,
        "strategy": AdaptivePolling(10.0),
        "min_interval": MIN_INTERVAL,
    },
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def run(results: int, seed: int) -> tuple[str, bool]:
    rng = random.Random(seed)
    timelines = [make_timeline(rng) for _ in range(results)]
    outcomes = {
        name: [simulate(t, **make()) for t in timelines] for name, make in STRATEGIES.items()
    }
    fixed10 = outcomes["fixed 10 s"]
    rows = []
    for name, found in outcomes.items():
        delays = [o.delay for o in found]
        counts = [o.requests for o in found]
        over = sum(1 for o, f in zip(found, fixed10, strict=True) if o.requests > f.requests)
        rows.append(
            (
                name,
                f"{statistics.median(delays):.1f}",
                f"{percentile(delays, 0.95):.1f}",
                f"{statistics.mean(counts):.1f}",
                f"{statistics.median(counts):.0f}",
                f"{statistics.mean(counts) / statistics.mean(o.requests for o in fixed10):.2f}x",
                f"{over}",
                f"{min(o.shortest_gap for o in found):.1f}",
            )
        )
    gate = outcomes["cekura-gate (adaptive)"]
    median_ratio = statistics.median(o.delay for o in gate) / statistics.median(
        o.delay for o in fixed10
    )
    met = (
        median_ratio <= 0.5
        and statistics.mean(o.requests for o in gate)
        <= statistics.mean(o.requests for o in fixed10)
        and all(o.requests <= f.requests for o, f in zip(gate, fixed10, strict=True))
    )
    # The same timelines with 5% of the answers a 429 carrying Retry-After.
    limited = [
        simulate(t, **STRATEGIES["cekura-gate (adaptive)"](), limited=random.Random(i))
        for i, t in enumerate(timelines)
    ]
    gaps = [g for o in limited for g in o.gaps_after_429]
    honoured = all(g >= RETRY_AFTER - 1e-9 for g in gaps)
    met = met and honoured
    headers = (
        "polling",
        "median delay s",
        "p95 delay s",
        "requests/result (mean)",
        "median",
        "vs fixed 10 s",
        "results with more requests than fixed 10 s",
        "shortest gap s",
    )
    durations = [t.end for t in timelines]
    notes = [
        f"{results} timelines (seed {seed}), ending after {min(durations) / 60:.0f} to "
        f"{max(durations) / 60:.0f} min; answers take {LATENCY:g} s",
        f"adaptive median delay / fixed 10 s median delay: {median_ratio:.2f}",
        f"with 429 + Retry-After {RETRY_AFTER:g} s on 5% of answers: {len(gaps)} rate-limited "
        f"answers, shortest wait after one {min(gaps, default=0):.1f} s "
        f"({'Retry-After honoured' if honoured else 'Retry-After NOT honoured'}); "
        f"median delay {statistics.median(o.delay for o in limited):.1f} s",
    ]
    return table(headers, rows) + "\n\n" + "\n".join(notes), met


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    text, met = run(args.results, args.seed)
    print(text)
    print(
        "\ntarget (median delay at most half of fixed 10 s, no more requests than it): "
        f"{'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
