"""The adaptive polling strategy, alone and inside the real wait loop, on a fake clock."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gate.errors import TransientApiError
from gate.source.strategy import MAX_INTERVALS, MIN_INTERVAL, AdaptivePolling
from gate.source.wait import Progress, wait_for_result


def progress(
    elapsed: float,
    attempt: int,
    status: str = "running",
    done: int | None = None,
    total: int | None = None,
) -> Progress:
    return Progress(
        status=status, completed_runs=done, total_runs=total, elapsed=elapsed, attempt=attempt
    )


def test_queued_with_no_run_done_it_waits_three_intervals() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "pending", 0, 40)) == MAX_INTERVALS * 10.0
    assert plan(progress(30.0, 2, "in_queue")) == MAX_INTERVALS * 10.0  # no counts yet


def test_without_a_rate_it_polls_like_fixed_polling() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "running", 0, 40)) == 10.0  # runs started, none done
    assert plan(progress(10.0, 2, "running")) == 10.0  # no counts at all
    # a queued status with runs already done is not "nothing started": it plans from them
    assert AdaptivePolling(10.0)(progress(30.0, 1, "pending", 40, 40)) == MIN_INTERVAL


def test_far_from_the_end_it_waits_up_to_three_intervals() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "running", 0, 100)) == 10.0
    # 10 of 100 runs after 10 s since the runs started: ~90 s to go; half of it, capped at 30
    assert plan(progress(10.0, 2, "running", 10, 100)) == MAX_INTERVALS * 10.0


def replay_two_runs_a_second(plan: AdaptivePolling) -> None:
    """300 runs, about two a second from 10 s on; every poll comes when its wait ended."""
    assert plan(progress(0.0, 1, "running", 0, 300)) == 10.0
    assert plan(progress(10.0, 2, "running", 1, 300)) == 30.0
    assert plan(progress(40.0, 3, "running", 60, 300)) == 30.0
    assert plan(progress(70.0, 4, "running", 120, 300)) == 30.0
    assert plan(progress(100.0, 5, "running", 180, 300)) == 30.0


def test_one_run_short_of_two_thirds_a_long_wait_is_still_allowed() -> None:
    plan = AdaptivePolling(10.0)
    replay_two_runs_a_second(plan)
    # 198 runs in 120 s: 101 left take ~61 s; half-way is 30.6 s, capped at three intervals
    assert plan(progress(130.0, 6, "running", 199, 300)) == MAX_INTERVALS * 10.0


def test_from_two_thirds_of_the_runs_done_no_wait_exceeds_the_interval() -> None:
    plan = AdaptivePolling(10.0)
    replay_two_runs_a_second(plan)
    # 200 of 300 (exactly two thirds): the plan is half of ~60 s, but the end may be near
    assert plan(progress(130.0, 6, "running", 200, 300)) == 10.0
    assert plan(progress(140.0, 7, "running", 201, 300)) == 10.0


def test_the_boundary_is_exact_for_any_size() -> None:
    plan = AdaptivePolling(10.0)
    for done, total, far in [(1, 2, True), (2, 3, False), (5, 9, True), (6, 9, False)]:
        assert plan.longest_wait(progress(0.0, 1, "running", done, total)) == (
            MAX_INTERVALS * 10.0 if far else 10.0
        )
    assert plan.longest_wait(progress(0.0, 1, "scaling_up", 0, 9)) == MAX_INTERVALS * 10.0
    assert plan.longest_wait(progress(0.0, 1, "running")) == 10.0  # no counts: not far


def test_it_closes_in_on_the_expected_last_run() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "running", 0, 100)) == 10.0
    assert plan(progress(10.0, 2, "running", 5, 100)) == 30.0
    # (each call comes when the last wait ended: the answers take no time here)
    # 60 more runs in 30 s: 2 runs/s, 35 left, 17.5 s to go: half of it
    assert plan(progress(40.0, 3, "running", 65, 100)) == 8.75
    # 2 left at that rate: about a second to go, so the floor
    assert plan(progress(48.75, 4, "running", 98, 100)) == MIN_INTERVAL


def test_evaluating_or_all_runs_done_means_the_floor() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(500.0, 5, "evaluating", 40, 40)) == MIN_INTERVAL
    assert plan(progress(503.0, 6, "running", 40, 40)) == MIN_INTERVAL


def test_never_ahead_of_fixed_polling() -> None:
    plan = AdaptivePolling(10.0)
    # Request 6 at 30 s: five requests already, fixed polling's sixth goes at 50 s.
    assert plan(progress(30.0, 5, "evaluating", 10, 10)) == 20.0


def test_a_short_poll_interval_is_its_own_floor_and_budget() -> None:
    plan = AdaptivePolling(0.5)
    assert plan.floor == 0.5
    assert plan(progress(0.0, 1, "evaluating", 3, 3)) == 0.5


def test_the_answer_time_counts_in_the_budget() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.5, 1, "evaluating", 4, 4)) == 9.5  # budget: request 2 at 10 s
    # It woke at 10 s and the answer came at 11 s: fixed polling loses 1 s per request too.
    assert plan(progress(11.0, 2, "evaluating", 4, 4)) == 11.0


# -- inside the real wait loop -------------------------------------------------------------


class Timeline:
    """A result that is queued, runs `total` runs evenly, evaluates, then completes."""

    def __init__(self, *, queued: float, running: float, evaluating: float, total: int) -> None:
        self.queued, self.running, self.evaluating, self.total = queued, running, evaluating, total
        self.end = queued + running + evaluating
        self.now = 0.0
        self.requests: list[float] = []
        self.answers: list[int] = []  # the completed count each request was answered with
        self.errors: dict[int, TransientApiError] = {}

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds

    def fetch(self, _timeout: float) -> dict[str, Any]:
        self.requests.append(self.now)
        error = self.errors.get(len(self.requests))
        t = self.now
        self.now += 0.25  # the answer takes a moment
        if error is not None:
            self.answers.append(-1)
            raise error
        if t >= self.end:
            self.answers.append(self.total)
            return {"status": "completed", "completed_runs_count": self.total,
                    "total_runs_count": self.total}  # fmt: skip
        if t < self.queued:
            self.answers.append(0)
            return {"status": "in_queue", "completed_runs_count": 0, "total_runs_count": self.total}
        done = min(self.total, int(self.total * (t - self.queued) / self.running))
        self.answers.append(done)
        status = "running" if t < self.queued + self.running else "evaluating"
        return {"status": status, "completed_runs_count": done, "total_runs_count": self.total}

    def wait(self, interval: float, *, adaptive: bool) -> float:
        strategy = AdaptivePolling(interval) if adaptive else None
        wait_for_result(
            fetch=self.fetch,
            timeout=self.end + 600,
            interval=interval,
            clock=self.clock,
            sleep=self.sleep,
            rng=random.Random(1),
            next_interval=strategy,
            min_interval=strategy.floor if strategy else 0.0,
        )
        return self.now - self.end  # how late the gate learned of the end


@settings(max_examples=60, deadline=None)
@given(
    queued=st.floats(0, 300),
    running=st.floats(60, 2400),
    evaluating=st.floats(0, 200),
    total=st.integers(1, 400),
)
def test_no_more_requests_than_fixed_polling_and_never_faster_than_2s(
    queued: float, running: float, evaluating: float, total: int
) -> None:
    shape = {"queued": queued, "running": running, "evaluating": evaluating, "total": total}
    fixed, adaptive = Timeline(**shape), Timeline(**shape)
    fixed.wait(10.0, adaptive=False)
    adaptive.wait(10.0, adaptive=True)
    assert len(adaptive.requests) <= len(fixed.requests)
    gaps = [b - a for a, b in zip(adaptive.requests, adaptive.requests[1:], strict=False)]
    assert min(gaps, default=MIN_INTERVAL) >= MIN_INTERVAL


@settings(max_examples=60, deadline=None)
@given(
    queued=st.floats(0, 300),
    running=st.floats(60, 2400),
    evaluating=st.floats(0, 200),
    total=st.integers(3, 400),
)
def test_once_two_thirds_are_done_no_gap_exceeds_the_interval(
    queued: float, running: float, evaluating: float, total: int
) -> None:
    timeline = Timeline(queued=queued, running=running, evaluating=evaluating, total=total)
    timeline.wait(10.0, adaptive=True)
    for sent, following, seen in zip(
        timeline.requests, timeline.requests[1:], timeline.answers, strict=False
    ):
        if 3 * seen >= 2 * total:
            assert following - sent <= 10.0 + 0.25 + 1e-9  # the wait plus the answer time


def test_completed_without_evaluating_it_is_never_later_than_one_interval() -> None:
    # The last runs finish after two thirds are done: no long wait can straddle the end.
    for running in (300.0, 617.0, 1234.5, 2400.0):
        shape = {"queued": 60.0, "running": running, "evaluating": 0.0, "total": 90}
        late = Timeline(**shape).wait(10.0, adaptive=True)
        assert late <= 10.0 + 2 * 0.25 + 1e-9


def test_near_the_end_it_learns_sooner_than_fixed_polling_while_its_savings_last() -> None:
    late_fixed, late_adaptive = [], []
    for evaluating in (20.0, 45.0, 60.0, 75.0):
        shape = {"queued": 40.0, "running": 600.0, "evaluating": evaluating, "total": 60}
        late_fixed.append(Timeline(**shape).wait(10.0, adaptive=False))
        late_adaptive.append(Timeline(**shape).wait(10.0, adaptive=True))
    # at most one 2 s wait plus two answer times late
    assert max(late_adaptive) <= MIN_INTERVAL + 2 * 0.25 + 1e-9
    assert sum(late_adaptive) < sum(late_fixed)
    # 90 s of 2 s polls cost more requests than the long waits saved: from the moment they
    # are spent, it polls when fixed polling does, and learns of the end just as late
    shape = {"queued": 40.0, "running": 600.0, "evaluating": 90.0, "total": 60}
    fixed, adaptive = Timeline(**shape), Timeline(**shape)
    assert adaptive.wait(10.0, adaptive=True) == fixed.wait(10.0, adaptive=False)
    assert adaptive.requests[-1] == fixed.requests[-1]
    assert len(adaptive.requests) == len(fixed.requests)


def test_retry_after_beats_the_plan() -> None:
    timeline = Timeline(queued=0.0, running=100.0, evaluating=300.0, total=10)
    # Every poll in the evaluating phase would be 2 s apart; the 30th answer is a 429.
    timeline.errors[30] = TransientApiError("HTTP 429", retry_after=25.0)
    timeline.wait(10.0, adaptive=True)
    answered = timeline.requests[29] + 0.25
    assert timeline.requests[30] - answered >= 25.0


def test_error_retries_keep_the_2s_floor() -> None:
    timeline = Timeline(queued=0.0, running=100.0, evaluating=60.0, total=10)
    for attempt in range(5, 9):
        timeline.errors[attempt] = TransientApiError("HTTP 503")  # full jitter: may draw ~0
    timeline.wait(10.0, adaptive=True)
    gaps = [b - a for a, b in zip(timeline.requests, timeline.requests[1:], strict=False)]
    assert min(gaps) >= MIN_INTERVAL
