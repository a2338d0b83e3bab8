"""The adaptive polling strategy, alone and inside the real wait loop, on a fake clock."""

from __future__ import annotations

import random
from typing import Any

import pytest
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


def test_queued_it_skips_grid_requests_no_longer_than_it_has_been_queued() -> None:
    plan = AdaptivePolling(10.0)
    # queued from the start: nothing to skip yet, the next grid request (fixed polling's)
    assert plan(progress(0.0, 1, "pending", 0, 40)) == 10.0
    assert plan(progress(10.0, 2, "in_queue")) == 10.0  # queued 10 s: wait 10 s
    assert plan(progress(20.0, 3, "in_queue")) == 20.0  # queued 20 s: skip one grid request
    # queued 40 s: wait 30 s (three intervals at most), back on the grid at 70 s
    assert plan(progress(40.0, 4, "scaling_up", 0, 40)) == MAX_INTERVALS * 10.0
    assert plan(progress(70.0, 5, "in_queue")) == MAX_INTERVALS * 10.0  # never more


def test_a_skip_lands_back_on_fixed_pollings_grid() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "pending")) == 10.0
    assert plan(progress(15.0, 2, "pending")) == 15.0  # 15 s + 15 s = 30 s, a grid instant


def test_once_runs_started_it_sends_every_grid_request() -> None:
    plan = AdaptivePolling(10.0)
    assert plan(progress(0.0, 1, "running", 0, 40)) == 10.0  # runs started, none done
    assert plan(progress(10.0, 2, "running")) == 10.0  # no counts at all
    # far from the end (5 of 100 runs, 95 s to go): no long wait, the next grid request
    assert plan(progress(20.0, 3, "running", 5, 100)) == 10.0
    # a queued status with runs already done is not "nothing started"
    assert AdaptivePolling(10.0)(progress(0.0, 1, "pending", 3, 40)) == 10.0


def saved_five_requests(plan: AdaptivePolling) -> None:
    """Queued for 100 s: six requests (0, 10, 20, 40, 70, 100 s) where fixed polling sent 11."""
    for now, attempt, wait in [(0.0, 1, 10.0), (10.0, 2, 10.0), (20.0, 3, 20.0)]:
        assert plan(progress(now, attempt, "in_queue", 0, 100)) == wait
    assert plan(progress(40.0, 4, "in_queue", 0, 100)) == 30.0
    assert plan(progress(70.0, 5, "in_queue", 0, 100)) == 30.0


def test_with_savings_it_adds_a_request_half_way_to_the_expected_last_run() -> None:
    plan = AdaptivePolling(10.0)
    saved_five_requests(plan)
    assert plan(progress(100.0, 6, "running", 0, 100)) == 10.0  # running: no rate yet
    # 60 runs in the 10 s since they started: 6 runs/s, 40 left, ~6.7 s to go: half of it
    assert plan(progress(110.0, 7, "running", 60, 100)) == pytest.approx(10.0 / 3)


def test_evaluating_or_all_runs_done_spends_savings_every_2s_then_keeps_to_the_grid() -> None:
    plan = AdaptivePolling(10.0)
    saved_five_requests(plan)
    assert plan(progress(100.0, 6, "evaluating", 100, 100)) == MIN_INTERVAL
    assert plan(progress(102.0, 7, "running", 100, 100)) == MIN_INTERVAL
    for now, attempt in [(104.0, 8), (106.0, 9), (108.0, 10), (110.0, 11)]:
        assert plan(progress(now, attempt, "evaluating", 100, 100)) == MIN_INTERVAL
    # request 13 would be one more than fixed polling's twelve by 112 s: the grid, at 120 s
    assert plan(progress(112.0, 12, "evaluating", 100, 100)) == 8.0


def test_an_extra_request_too_close_to_the_grid_one_is_not_sent() -> None:
    plan = AdaptivePolling(10.0)
    saved_five_requests(plan)
    assert plan(progress(100.0, 6, "evaluating", 100, 100)) == MIN_INTERVAL
    # (request 7 failed and was retried) at 107 s a 2 s wait would leave less than 2 s
    # before the grid request at 110 s: that one instead
    assert plan(progress(107.0, 8, "evaluating", 100, 100)) == 3.0


def test_never_ahead_of_fixed_polling() -> None:
    plan = AdaptivePolling(10.0)
    # Request 6 at 30 s: five requests already, fixed polling's sixth goes at 50 s.
    assert plan(progress(30.0, 5, "evaluating", 10, 10)) == 20.0
    # no savings at all: every run done, yet it waits for the grid request
    assert AdaptivePolling(10.0)(progress(0.0, 1, "evaluating", 4, 4)) == 10.0


def test_a_short_poll_interval_is_its_own_floor_and_budget() -> None:
    plan = AdaptivePolling(0.5)
    assert plan.floor == 0.5
    assert plan(progress(0.0, 1, "evaluating", 3, 3)) == 0.5


def test_the_answer_time_moves_the_grid() -> None:
    plan = AdaptivePolling(10.0)
    # the first answer took 0.5 s: fixed polling sends request 2 at 10.5 s
    assert plan(progress(0.5, 1, "evaluating", 4, 4)) == 10.0
    assert plan.step == 10.5
    # woke at 10.5 s, answered at 11 s: fixed polling's request 3 goes at 21 s
    assert plan(progress(11.0, 2, "evaluating", 4, 4)) == 10.0


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
    total=st.integers(1, 400),
)
def test_never_later_than_fixed_polling_and_no_gap_over_the_interval_once_running(
    queued: float, running: float, evaluating: float, total: int
) -> None:
    shape = {"queued": queued, "running": running, "evaluating": evaluating, "total": total}
    fixed, adaptive = Timeline(**shape), Timeline(**shape)
    assert adaptive.wait(10.0, adaptive=True) <= fixed.wait(10.0, adaptive=False) + 1e-9
    for sent, following in zip(adaptive.requests, adaptive.requests[1:], strict=False):
        if sent >= queued:
            assert following - sent <= 10.0 + 0.25 + 1e-9  # the wait plus the answer time


def test_completed_without_evaluating_it_is_never_later_than_one_interval() -> None:
    for running in (300.0, 617.0, 1234.5, 2400.0):
        shape = {"queued": 60.0, "running": running, "evaluating": 0.0, "total": 90}
        late = Timeline(**shape).wait(10.0, adaptive=True)
        assert late <= 10.0 + 0.25 + 1e-9


def test_near_the_end_it_learns_sooner_than_fixed_polling_while_its_savings_last() -> None:
    late_fixed, late_adaptive = [], []
    for evaluating in (12.0, 15.0, 20.0, 25.0):
        shape = {"queued": 300.0, "running": 600.0, "evaluating": evaluating, "total": 60}
        late_fixed.append(Timeline(**shape).wait(10.0, adaptive=False))
        late_adaptive.append(Timeline(**shape).wait(10.0, adaptive=True))
    # at most two 2 s waits (an extra request too close to the grid one) plus the answer
    assert max(late_adaptive) <= 2 * MIN_INTERVAL + 0.25 + 1e-9
    assert sum(late_adaptive) < sum(late_fixed)
    # a long evaluation uses every saved request: from then on it polls when fixed polling
    # does, and learns of the end just as late
    shape = {"queued": 300.0, "running": 600.0, "evaluating": 150.0, "total": 60}
    fixed, adaptive = Timeline(**shape), Timeline(**shape)
    assert adaptive.wait(10.0, adaptive=True) == pytest.approx(fixed.wait(10.0, adaptive=False))
    assert adaptive.requests[-1] == pytest.approx(fixed.requests[-1])
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
