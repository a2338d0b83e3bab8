"""Poll economy: how late the gate learns that a result ended, and how many requests it sends.

Simulates result timelines and drives the gate's real wait loop (gate.source.wait.wait_for_result)
through each with an injected clock: fixed polling at --poll-interval (10 s by default),
fixed 30 s polling (what Cekura's official action does) and the gate's own strategy
(gate.source.strategy.AdaptivePolling at --poll-interval). For each: the median and p95 delay
between the result turning terminal and the gate knowing it, and the requests sent per result.

Target, on every timeline family: the strategy's median and p95 delay no worse than fixed
polling's at --poll-interval, never more requests than it at any result, and a server's
Retry-After always honoured. Goal (the reason for the strategy): a median delay well below
fixed polling's, at most half of it.

Timeline families (seeded, so every run of this script sees the same ones). "mixed":
- total duration 2 to 40 minutes (uniform);
- queued first (`pending`, `in_queue`, `scaling_up`) for 2-15% of it, no run done;
- `running`: N runs (5-300) on C parallel lines (2-20), each run's length drawn around a
  common mean (log-normal, sd 35%), scheduled as they would be, then scaled to fit, so
  `completed_runs_count` climbs in waves, with stragglers;
- `evaluating` for 3-12% of the duration (5-180 s) once every run is done (80% of
  results; the rest turn `completed` with their last run);
- 5% end early instead, `cancelled` or `failed` part-way through the runs;
- every answer takes 0.3 s (the gate knows the state only once it arrives).
The other families change one thing each:
- "queue": the queue lasts 0-20 minutes whatever the result's size (a shared, busy org);
- "heavy tail": run lengths are Pareto-distributed (shape 1.5): a few runs take many times
  the others, so the last runs straggle far behind the rate of the first;
- "no evaluating": every result turns `completed` with its last run (or ends early);
- "eval lag": a run counts as completed only once its own evaluation ends, 10-90 s (a
  per-result mean, log-normal per run) after its call, so counts arrive late and out of
  step with the calls; `evaluating` (80%) starts once the last run is counted.
A second pass answers 5% of the polls with 429 and Retry-After: 15 and checks that the next
request never came sooner.

Bytes and CPU per wait: every poll of the full detail downloads and decodes the whole result
(every run, finished ones with their transcript and metrics, unfinished ones as stubs); a
light poll (the results list's summary of the result, gate/source/light.py) downloads the
summary, and the detail is fetched once, when the summary shows the result has ended. Sizes
and decode times per run are measured once on the simulator's own payloads (a 300-run
result: the full detail decoded as the gate decodes it, the summary with json.loads) and
scaled by each timeline's runs. "results later than fixed" counts the results the gate
learned of later than fixed polling at --poll-interval did (only a result that ends while
still queued can be).

Deciding early (gate/judge/early.py), on failing timelines: the same timelines, each with a
run that fails (its place among the completions drawn uniformly; the default policy, every
run must succeed, so that run decides), the gate polling as it does; it decides at the first
answer that shows the failed run. Reported: time to verdict deciding early against waiting
for the end, and the calls not needed (runs not finished when it decided), per result.
Timelines that end early (cancelled, failed) are left out.

Usage: python benchmarks/polling.py [--results 400] [--seed 11] [--poll-interval 10]
       [--family NAME]... [--quick]
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
from gate.result.decode import loads
from gate.simulator import catalogue, views
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


#: timeline families: name -> what sets it apart from "mixed"
FAMILIES = {
    "mixed": "the mixed timelines above",
    "queue": "queued 0-20 min whatever the size",
    "heavy tail": "Pareto run lengths, far stragglers",
    "no evaluating": "completed with the last run",
    "eval lag": "runs counted 10-90 s after their call",
}


def make_timeline(rng: random.Random, family: str = "mixed") -> Timeline:
    duration = rng.uniform(120, 2400)
    queued = duration * rng.uniform(0.02, 0.15)
    evaluating = 0.0
    if rng.random() < 0.8:
        evaluating = min(180.0, max(5.0, duration * rng.uniform(0.03, 0.12)))
    running = duration - queued - evaluating
    if family == "queue":
        queued = rng.uniform(0, 1200)
    if family == "no evaluating":
        evaluating = 0.0
    runs = rng.randint(5, 300)
    lines = min(runs, rng.randint(2, 20))
    mean = rng.uniform(40, 240)
    free = [0.0] * lines
    finished = []
    for _ in range(runs):
        start = min(free)
        line = free.index(start)
        if family == "heavy tail":
            length = mean * rng.paretovariate(1.5)
        else:
            length = mean * math.exp(rng.gauss(0, 0.35))
        free[line] = start + length
        finished.append(start + length)
    scale = running / max(finished)
    calls_end = [queued + f * scale for f in finished]
    if family == "eval lag":
        lag = rng.uniform(10, 90)
        calls_end = [t + lag * math.exp(rng.gauss(0, 0.6)) for t in calls_end]
    done_at = tuple(sorted(calls_end))
    running_until = done_at[-1]
    end, final = running_until + evaluating, "completed"
    if rng.random() < 0.05:
        end = queued + (running_until - queued) * rng.uniform(0.2, 0.9)
        final = rng.choice(["cancelled", "failed"])
    return Timeline(queued, done_at, running_until, end, final, runs)


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
    seen: list[int]  # the completed runs each successful poll was answered with
    total: int

    def cost(self, sizes: Sizes, *, light: bool) -> tuple[float, float]:
        """(bytes, CPU seconds) of the wait: every poll the detail, or light polls and the
        detail once at the end."""
        if not light:
            polls = [sizes.detail(done, self.total) for done in self.seen]
        else:
            polls = [sizes.summary(self.total)] * (len(self.seen) - 1)
            polls.append(sizes.detail(self.seen[-1], self.total))
        return sum(b for b, _ in polls), sum(c for _, c in polls)


@dataclass(frozen=True)
class Sizes:
    """Bytes and decode CPU per run, measured on a simulator result of RUNS_MEASURED runs."""

    finished: tuple[float, float]  # a finished run in the detail
    stub: tuple[float, float]  # an unfinished run in the detail
    listed: tuple[float, float]  # a run in the list's summary

    def detail(self, done: int, total: int) -> tuple[float, float]:
        left = total - done
        return (
            done * self.finished[0] + left * self.stub[0],
            done * self.finished[1] + left * self.stub[1],
        )

    def summary(self, total: int) -> tuple[float, float]:
        return total * self.listed[0], total * self.listed[1]


RUNS_MEASURED = 300


def measure_sizes() -> Sizes:
    import json
    import time

    result = catalogue.demo_result(1, frequency=RUNS_MEASURED // 6)
    runs = len(result["runs"])

    def per_run(text: str, decode: Callable[[str], Any]) -> tuple[float, float]:
        started = time.process_time()
        for _ in range(5):
            decode(text)
        return len(text.encode()) / runs, (time.process_time() - started) / 5 / runs

    return Sizes(
        finished=per_run(json.dumps(result), loads),
        stub=per_run(json.dumps(views.progress_view(result, status="running", fraction=0)), loads),
        listed=per_run(json.dumps(views.summarize(result)), json.loads),
    )


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
    seen: list[int] = []

    def fetch(_timeout: float) -> dict[str, Any]:
        requests.append(clock.now)
        state = timeline.state(clock.now)
        clock.sleep(LATENCY)
        answers.append(clock.now)
        if limited is not None and limited.random() < 0.05:
            limited_answers.append(clock.now)
            raise TransientApiError("HTTP 429 Too Many Requests", retry_after=RETRY_AFTER)
        seen.append(int(state["completed_runs_count"]))
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
        seen=seen,
        total=timeline.total,
    )


class _Decided(Exception):
    pass


@dataclass
class Early:
    verdict_at: float  # seconds from the start to the verdict, deciding early
    waited: float  # ... waiting for the end instead
    saved: int  # calls not needed


def decide_early(timeline: Timeline, interval: float, fails: int) -> Early:
    """The gate on `timeline` where the `fails`-th run to complete (0-based) failed."""
    clock = Clock()

    def fetch(_timeout: float) -> dict[str, Any]:
        state = timeline.state(clock.now)
        clock.sleep(LATENCY)
        if int(state["completed_runs_count"]) > fails and state["status"] not in (
            "completed", "failed", "cancelled", "timeout"
        ):  # fmt: skip
            clock.sleep(LATENCY)  # the detail, fetched once to decide on
            raise _Decided(state)
        return state

    saved = 0
    try:
        wait_for_result(
            fetch=fetch,
            timeout=timeline.end + 7200,
            interval=interval,
            clock=clock,
            sleep=clock.sleep,
            rng=random.Random(0),
            next_interval=AdaptivePolling(interval),
            min_interval=min(MIN_INTERVAL, interval),
        )
    except _Decided as decided:
        saved = timeline.total - int(decided.args[0]["completed_runs_count"])
    waited = simulate(
        timeline,
        interval=interval,
        strategy=AdaptivePolling(interval),
        min_interval=min(MIN_INTERVAL, interval),
    )
    return Early(clock.now, timeline.end + waited.delay, saved)


def strategies(interval: float) -> dict[str, Callable[[], dict[str, Any]]]:
    """Fixed polling at `interval` first: the yardstick of every check."""
    return {
        f"fixed {interval:g} s": lambda: {"interval": interval, "strategy": None},
        "fixed 30 s (Cekura's action)": lambda: {"interval": 30.0, "strategy": None},
        "cekura-gate (adaptive)": lambda: {
            "interval": interval,
            "strategy": AdaptivePolling(interval),
            "min_interval": min(MIN_INTERVAL, interval),
        },
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Verdict:
    family: str
    median: tuple[float, float]  # adaptive, fixed at --poll-interval
    p95: tuple[float, float]
    over: int  # results where adaptive sent more requests than fixed
    honoured: bool  # Retry-After
    later: int = 0  # results adaptive learned of later than fixed
    bytes_per_wait: tuple[float, float] = (0.0, 0.0)  # adaptive: full polling, light polling
    cpu_per_wait: tuple[float, float] = (0.0, 0.0)

    @property
    def met(self) -> bool:
        # equal delays may differ in the last bits of a float
        return (
            self.median[0] <= self.median[1] + 1e-6
            and self.p95[0] <= self.p95[1] + 1e-6
            and self.over == 0
            and self.honoured
        )


def run_family(
    family: str, results: int, seed: int, interval: float, sizes: Sizes | None = None
) -> tuple[str, Verdict]:
    sizes = sizes or measure_sizes()
    rng = random.Random(f"{seed}/{family}")
    timelines = [make_timeline(rng, family) for _ in range(results)]
    plans = strategies(interval)
    fixed_name = next(iter(plans))
    outcomes = {name: [simulate(t, **make()) for t in timelines] for name, make in plans.items()}
    fixed = outcomes[fixed_name]
    fixed_mean = statistics.mean(o.requests for o in fixed)
    rows = []
    for name, found in outcomes.items():
        delays = [o.delay for o in found]
        counts = [o.requests for o in found]
        over = sum(1 for o, f in zip(found, fixed, strict=True) if o.requests > f.requests)
        later = sum(1 for o, f in zip(found, fixed, strict=True) if o.delay > f.delay + 1e-6)
        full = [o.cost(sizes, light=False) for o in found]
        light = [o.cost(sizes, light=True) for o in found]
        rows.append(
            (
                name,
                f"{statistics.median(delays):.1f}",
                f"{percentile(delays, 0.95):.1f}",
                f"{statistics.mean(counts):.1f}",
                f"{statistics.mean(counts) / fixed_mean:.2f}x",
                f"{over}",
                f"{later}",
                f"{min(o.shortest_gap for o in found):.1f}",
                f"{statistics.mean(b for b, _ in full) / 1e6:.1f}",
                f"{statistics.mean(b for b, _ in light) / 1e6:.2f}",
                f"{statistics.mean(c for _, c in full) * 1e3:.0f}",
                f"{statistics.mean(c for _, c in light) * 1e3:.1f}",
            )
        )
    gate = outcomes["cekura-gate (adaptive)"]
    # The same timelines with 5% of the answers a 429 carrying Retry-After.
    limited = [
        simulate(t, **plans["cekura-gate (adaptive)"](), limited=random.Random(i))
        for i, t in enumerate(timelines)
    ]
    gaps = [g for o in limited for g in o.gaps_after_429]
    verdict = Verdict(
        family=family,
        median=(
            statistics.median(o.delay for o in gate),
            statistics.median(o.delay for o in fixed),
        ),
        p95=(
            percentile([o.delay for o in gate], 0.95),
            percentile([o.delay for o in fixed], 0.95),
        ),
        over=sum(1 for o, f in zip(gate, fixed, strict=True) if o.requests > f.requests),
        honoured=all(g >= RETRY_AFTER - 1e-9 for g in gaps),
        later=sum(1 for o, f in zip(gate, fixed, strict=True) if o.delay > f.delay + 1e-6),
        bytes_per_wait=(
            statistics.mean(o.cost(sizes, light=False)[0] for o in gate),
            statistics.mean(o.cost(sizes, light=True)[0] for o in gate),
        ),
        cpu_per_wait=(
            statistics.mean(o.cost(sizes, light=False)[1] for o in gate),
            statistics.mean(o.cost(sizes, light=True)[1] for o in gate),
        ),
    )
    headers = (
        "polling",
        "median delay s",
        "p95 delay s",
        "requests/result (mean)",
        f"vs fixed {interval:g} s",
        f"results with more requests than fixed {interval:g} s",
        f"results later than fixed {interval:g} s",
        "shortest gap s",
        "MB/wait, full polls",
        "MB/wait, light polls",
        "CPU ms/wait, full polls",
        "CPU ms/wait, light polls",
    )
    durations = [t.end for t in timelines]
    notes = [
        f"{results} timelines (seed {seed}), ending after {min(durations) / 60:.0f} to "
        f"{max(durations) / 60:.0f} min; answers take {LATENCY:g} s",
        f"adaptive / fixed {interval:g} s: median delay {verdict.median[0]:.2f} / "
        f"{verdict.median[1]:.2f} s ({verdict.median[0] / verdict.median[1]:.2f}), p95 "
        f"{verdict.p95[0]:.2f} / {verdict.p95[1]:.2f} s; "
        f"{'met' if verdict.met else 'NOT met'}",
        f"with 429 + Retry-After {RETRY_AFTER:g} s on 5% of answers: {len(gaps)} rate-limited "
        f"answers, shortest wait after one {min(gaps, default=0):.1f} s "
        f"({'Retry-After honoured' if verdict.honoured else 'Retry-After NOT honoured'}); "
        f"median delay {statistics.median(o.delay for o in limited):.1f} s",
    ]
    picks = random.Random(f"{seed}/{family}/fails")
    early = [
        decide_early(t, interval, picks.randrange(t.total))
        for t in timelines
        if t.final == "completed"
    ]
    if early:
        calls = sum(t.total for t in timelines if t.final == "completed")
        notes.append(
            f"deciding early on {len(early)} failing timelines: median time to verdict "
            f"{statistics.median(e.verdict_at for e in early) / 60:.1f} min against "
            f"{statistics.median(e.waited for e in early) / 60:.1f} min waiting for the end; "
            f"calls not needed: median {statistics.median(e.saved for e in early):.0f} per "
            f"result, {sum(e.saved for e in early) / calls:.0%} "
            "of all calls"
        )
    title = f"{family} ({FAMILIES[family]})"
    return f"{title}\n\n{table(headers, rows)}\n\n" + "\n".join(notes), verdict


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=400, help="timelines per family")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--poll-interval", type=float, default=10.0)
    parser.add_argument("--family", choices=list(FAMILIES), action="append")
    parser.add_argument(
        "--quick", action="store_true", help="20 timelines per family: checks the script runs"
    )
    args = parser.parse_args(argv)
    results = 20 if args.quick else args.results
    verdicts = []
    sizes = measure_sizes()
    print(
        f"measured per run ({RUNS_MEASURED}-run simulator result): detail {sizes.finished[0]:.0f} "
        f"B finished / {sizes.stub[0]:.0f} B unfinished, decoded in "
        f"{sizes.finished[1] * 1e6:.1f} / {sizes.stub[1] * 1e6:.1f} µs; list summary "
        f"{sizes.listed[0]:.0f} B, {sizes.listed[1] * 1e6:.1f} µs\n"
    )
    for family in args.family or FAMILIES:
        text, verdict = run_family(family, results, args.seed, args.poll_interval, sizes)
        print(text, end="\n\n")
        verdicts.append(verdict)
    interval = f"{args.poll_interval:g} s"
    print(
        f"target (adaptive median and p95 delay no worse than fixed {interval}, never more "
        "requests than it at any result, Retry-After honoured): "
        + ", ".join(f"{v.family} {'met' if v.met else 'NOT met'}" for v in verdicts)
        + (" (--quick: too few timelines to judge by)" if args.quick else "")
    )
    print(
        "light polling (adaptive): "
        + ", ".join(
            f"{v.family} {v.bytes_per_wait[1] / 1e6:.2f} MB and {v.cpu_per_wait[1] * 1e3:.0f} ms "
            f"CPU per wait against {v.bytes_per_wait[0] / 1e6:.0f} MB and "
            f"{v.cpu_per_wait[0] * 1e3:.0f} ms polling the detail"
            for v in verdicts
        )
    )
    print(
        f"goal (median delay at most half of fixed {interval}'s): "
        + ", ".join(
            f"{v.family} {v.median[0] / v.median[1]:.2f}"
            f" ({'met' if v.median[0] <= 0.5 * v.median[1] else 'not met'})"
            for v in verdicts
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
