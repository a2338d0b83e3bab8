"""Pairs of results to compare: a baseline and a later result of the same agent, built so that
each check against a baseline goes one way or the other, for the tests and the examples.

- `latency`: every run slower by `shift` ms. The runs' latencies jitter ±120 ms around the
  profile's, so a shift of 300 separates the two samples (Mann-Whitney: significant) and a
  shift of 10 leaves them overlapping (not significant).
- `success`: the first `failing` scenarios fail on some of their repetitions (`failures` of
  `frequency`), so the success rate drops a little (not significant on few runs) or a lot
  (significant).
- `coverage`: the result leaves out scenarios the baseline ran, and so runs fewer runs.
- `created_at` dates on both, to age the baseline.
"""

from __future__ import annotations

from collections.abc import Sequence

from gate.simulator.catalogue import SCENARIOS, AgentProfile, build_result

AGENT = 2
BASE_LATENCY = 820.0


def comparison(
    *,
    base_id: int = 5001,
    result_id: int = 5101,
    frequency: int = 3,
    shift: float = 0.0,
    failures: int = 0,
    failing: int = 1,
    left_out: Sequence[int] = (),
    base_created: str = "2026-07-01T09:00:00Z",
    created: str = "2026-07-02T09:00:00Z",
) -> tuple[dict, dict]:
    """(baseline, result) payloads of agent 2: the baseline runs every scenario `frequency`
    times and passes; the result is slower by `shift` ms, fails `failures` repetitions of each
    of the first `failing` scenarios and leaves out the scenarios `left_out` (ids)."""
    before = AgentProfile(AGENT, "Riverside Clinic receptionist (baseline)", {}, BASE_LATENCY)
    outcomes: dict[int, tuple[str, ...]] = {}
    for scenario in SCENARIOS[:failing] if failures else ():
        outcomes[scenario.id] = ("outcome_fail",) * failures + ("pass",) * (frequency - failures)
    after = AgentProfile(
        AGENT, "Riverside Clinic receptionist (candidate)", outcomes, BASE_LATENCY + shift
    )
    every = [s.id for s in SCENARIOS]
    baseline = build_result(
        base_id,
        before,
        every,
        frequency=frequency,
        first_run_id=base_id * 100 + 1,
        name="Nightly main",
        created_at=base_created,
    )
    result = build_result(
        result_id,
        after,
        [s for s in every if s not in set(left_out)],
        frequency=frequency,
        first_run_id=result_id * 100 + 1,
        name="PR candidate",
        created_at=created,
    )
    return baseline, result
