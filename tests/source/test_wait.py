"""The wait loop, driven by a fake clock: nothing here really sleeps."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from responses import registries

from gate.errors import AuthError, Cancelled, NotFoundError, TransientApiError, WaitTimeout
from gate.source.client import CekuraClient
from gate.source.schedule import BACKOFF_CAP, error_backoff, next_delay, request_timeout
from gate.source.wait import CANCEL_SLICE, Progress, format_duration, wait_for_result

START = 1000.0


class FakeTime:
    """A clock that moves only when slept on (or when a fetch says it took time)."""

    def __init__(self) -> None:
        self.now = START
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class Script:
    """fetch() that plays back payloads and exceptions, recording when and how it was called."""

    def __init__(self, time: FakeTime, steps: list[Any], *, cost: float = 0.0) -> None:
        self.time = time
        self.steps = list(steps)
        self.cost = cost
        self.calls: list[tuple[float, float]] = []  # (clock at call, request timeout)

    def __call__(self, request_timeout: float) -> dict[str, Any]:
        self.calls.append((self.time.now, request_timeout))
        self.time.now += self.cost
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, BaseException):
            raise step
        return step


class RecordingRandom(random.Random):
    """Returns the middle of the range and remembers each range asked for."""

    def __init__(self) -> None:
        super().__init__(0)
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.ranges.append((a, b))
        return (a + b) / 2


def running(done: Any = None, total: Any = None, status: str = "running") -> dict[str, Any]:
    payload: dict[str, Any] = {"id": 7, "status": status}
    if done is not None:
        payload["completed_runs_count"] = done
    if total is not None:
        payload["total_runs_count"] = total
    return payload


COMPLETED = {"id": 7, "status": "completed", "completed_runs_count": 10, "total_runs_count": 10}


def run(t: FakeTime, fetch: Script, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("timeout", 1800.0)
    kwargs.setdefault("interval", 10.0)
    return wait_for_result(fetch=fetch, clock=t.clock, sleep=t.sleep, **kwargs)


def transient(message: str = "HTTP 503 Service Unavailable", retry_after: float | None = None):
    return TransientApiError(message, retry_after=retry_after)


# -- the normal path ---------------------------------------------------------------------


def test_terminal_on_first_poll_returns_without_sleeping() -> None:
    t = FakeTime()
    fetch = Script(t, [COMPLETED])
    assert run(t, fetch) is COMPLETED
    assert t.sleeps == []


def test_waits_the_interval_between_polls() -> None:
    t = FakeTime()
    fetch = Script(t, [running(), running(), COMPLETED])
    assert run(t, fetch, interval=10) == COMPLETED
    assert t.sleeps == [10, 10]


@pytest.mark.parametrize("status", ["failed", "timeout", "cancelled", " Completed ", "FAILED"])
def test_every_terminal_status_ends_the_wait(status: str) -> None:
    t = FakeTime()
    payload = {"status": status}
    assert run(t, Script(t, [running(), payload])) is payload


def test_unknown_and_missing_statuses_keep_waiting_then_complete() -> None:
    t = FakeTime()
    steps = [
        running(status="pending"),
        running(status="scaling_up"),
        running(status="brand_new_status_from_2027"),
        {"id": 7},  # no status at all
        {"id": 7, "status": None},
        running(status="evaluating"),
        COMPLETED,
    ]
    fetch = Script(t, steps)
    assert run(t, fetch, interval=5) == COMPLETED
    assert len(fetch.calls) == 7
    assert t.sleeps == [5] * 6


def test_request_timeout_is_the_time_left_between_5_and_30_seconds() -> None:
    assert request_timeout(1000) == 30
    assert request_timeout(12.5) == 12.5
    assert request_timeout(0) == 5
    assert request_timeout(-3) == 5
    t = FakeTime()
    fetch = Script(t, [running()])
    with pytest.raises(WaitTimeout):
        run(t, fetch, timeout=100, interval=40)
    assert [timeout for _, timeout in fetch.calls] == [30, 30, 20, 5]


# -- the backoff schedule ----------------------------------------------------------------


def test_backoff_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    assert [error_backoff(1).ceiling(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert [error_backoff(10).ceiling(n) for n in range(1, 5)] == [10, 20, 40, 60]
    assert error_backoff(10).ceiling(10_000) == BACKOFF_CAP  # no overflow on long outages


def test_backoff_schedule_is_pinned_for_a_seeded_rng() -> None:
    t = FakeTime()
    fetch = Script(t, [transient()] * 6 + [COMPLETED])
    assert run(t, fetch, interval=10, rng=random.Random(42)) == COMPLETED
    expected_rng = random.Random(42)
    expected = [max(1.0, expected_rng.uniform(0, c)) for c in (10, 20, 40, 60, 60, 60)]
    assert t.sleeps == pytest.approx(expected)
    # and the literal values, so a change of formula cannot hide behind the same formula
    assert [round(s, 3) for s in t.sleeps] == [6.394, 1.0, 11.001, 13.393, 44.188, 40.602]


def test_full_jitter_draws_from_zero_to_the_ceiling() -> None:
    rng = RecordingRandom()
    for n in (1, 2, 3):
        next_delay(interval=3, consecutive_errors=n, retry_after=None, remaining=999, rng=rng)
    assert rng.ranges == [(0, 3), (0, 6), (0, 12)]


def test_backoff_resets_after_a_success() -> None:
    t = FakeTime()
    rng = RecordingRandom()
    fetch = Script(t, [transient(), transient(), running(), transient(), COMPLETED])
    run(t, fetch, interval=4, rng=rng)
    assert rng.ranges == [(0, 4), (0, 8), (0, 4)]
    assert t.sleeps == [2, 4, 4, 2]


def test_error_waits_have_a_floor_so_retry_after_zero_is_not_a_busy_loop() -> None:
    rng = random.Random(1)
    assert next_delay(interval=10, consecutive_errors=1, retry_after=0, remaining=99, rng=rng) == 1
    # ...unless the interval itself is shorter
    assert (
        next_delay(interval=0.5, consecutive_errors=1, retry_after=0, remaining=9, rng=rng) == 0.5
    )


def test_retry_after_overrides_the_backoff() -> None:
    t = FakeTime()
    rng = RecordingRandom()
    fetch = Script(t, [transient(retry_after=7), transient(retry_after=42.5), COMPLETED])
    assert run(t, fetch, interval=10, rng=rng) == COMPLETED
    assert t.sleeps == [7, 42.5]
    assert rng.ranges == []  # no jitter drawn when the server said how long


def test_retry_after_past_the_deadline_sleeps_to_the_deadline_polls_once_then_times_out() -> None:
    t = FakeTime()
    fetch = Script(t, [transient("HTTP 429 Too Many Requests", retry_after=100)])
    with pytest.raises(WaitTimeout) as caught:
        run(t, fetch, timeout=30, interval=10)
    assert t.sleeps == [30]
    assert [at for at, _ in fetch.calls] == [START, START + 30]
    assert "HTTP 429 Too Many Requests" in caught.value.message


def test_permanent_errors_propagate_at_once() -> None:
    t = FakeTime()
    with pytest.raises(AuthError):
        run(t, Script(t, [AuthError("the Cekura API refused the API key (HTTP 401)")]))
    assert t.sleeps == []
    fetch = Script(t, [running(), NotFoundError("result 7 was not found")])
    with pytest.raises(NotFoundError):
        run(t, fetch)
    assert len(fetch.calls) == 2


def test_a_bug_in_fetch_is_not_retried() -> None:
    t = FakeTime()
    fetch = Script(t, [KeyError("oops")])
    with pytest.raises(KeyError):
        run(t, fetch)
    assert len(fetch.calls) == 1


# -- the deadline ------------------------------------------------------------------------


def test_last_sleep_is_clipped_so_the_final_poll_is_at_the_deadline() -> None:
    t = FakeTime()
    fetch = Script(t, [running()])
    with pytest.raises(WaitTimeout):
        run(t, fetch, timeout=30, interval=7)
    assert t.sleeps == [7, 7, 7, 7, 2]
    assert sum(t.sleeps) == 30
    assert fetch.calls[-1][0] == START + 30
    assert len(fetch.calls) == 6


def test_zero_timeout_polls_once() -> None:
    t = FakeTime()
    fetch = Script(t, [running()])
    with pytest.raises(WaitTimeout):
        run(t, fetch, timeout=0)
    assert len(fetch.calls) == 1
    assert t.sleeps == []
    assert run(t, Script(t, [COMPLETED]), timeout=0) == COMPLETED


@settings(max_examples=60, deadline=None)
@given(
    timeout=st.floats(0, 900),
    interval=st.floats(2, 120),
    cost=st.floats(0, 40),
    seed=st.integers(0, 2**16),
    steps=st.lists(
        st.sampled_from(["running", "error", "retry_after", "unknown"]), min_size=1, max_size=8
    ),
)
def test_no_sleep_ever_ends_past_the_deadline(
    timeout: float, interval: float, cost: float, seed: int, steps: list[str]
) -> None:
    t = FakeTime()
    kinds = {
        "running": running(),
        "error": transient(),
        "retry_after": transient(retry_after=interval * 30),
        "unknown": {"status": "who-knows"},
    }
    fetch = Script(t, [kinds[s] for s in steps], cost=cost)
    deadline = START + timeout
    original = t.sleep

    def checked_sleep(seconds: float) -> None:
        original(seconds)
        assert t.now <= deadline + 1e-9

    t.sleep = checked_sleep  # type: ignore[method-assign]
    with pytest.raises(WaitTimeout):
        run(t, fetch, timeout=timeout, interval=interval, rng=random.Random(seed))
    assert sum(t.sleeps) <= timeout + 1e-9
    # the loop stops at the deadline: at most one poll starts at or after it
    assert sum(1 for at, _ in fetch.calls if at >= deadline - 1e-6) <= 1


# -- messages and progress ---------------------------------------------------------------


def test_timeout_message_says_limit_status_progress_and_fix() -> None:
    t = FakeTime()
    fetch = Script(t, [running("7", "10")])  # counts typed as strings, as the API sometimes does
    with pytest.raises(WaitTimeout) as caught:
        run(t, fetch, timeout=1800, interval=60, label="result 7")
    error = caught.value
    assert error.message.startswith(
        "result 7 is still 'running' after 30m: 7 of 10 runs completed. Raise --timeout (now 30m)"
    )
    assert "https://dashboard.cekura.ai" in error.message
    assert error.last_status == "running"
    assert error.last_progress.completed_runs == 7
    assert error.last_progress.total_runs == 10


def test_timeout_message_names_the_last_error_when_only_errors_were_seen() -> None:
    t = FakeTime()
    last = transient("could not get an answer from the Cekura API: Connection refused")
    fetch = Script(t, [transient("HTTP 502 Bad Gateway"), last])
    with pytest.raises(WaitTimeout) as caught:
        run(t, fetch, timeout=90, interval=10, rng=random.Random(3))
    message = caught.value.message
    assert message.startswith("no answer about the result from the Cekura API within 1m30s")
    assert "Connection refused" in message
    assert "--timeout" in message
    assert caught.value.__cause__ is last
    assert caught.value.last_status == ""


def test_timeout_message_mentions_a_failing_last_poll_after_progress() -> None:
    t = FakeTime()
    fetch = Script(t, [running(3, 10), transient("HTTP 504 Gateway Timeout")])
    with pytest.raises(WaitTimeout) as caught:
        run(t, fetch, timeout=300, interval=10, rng=random.Random(0))
    message = caught.value.message
    assert "is still 'running' after 5m: 3 of 10 runs completed" in message
    assert "the last poll failed: HTTP 504 Gateway Timeout" in message


def test_progress_is_reported_only_when_something_changes() -> None:
    t = FakeTime()
    seen: list[Progress] = []
    steps = [
        running(0, 10, status="pending"),
        running(0, 10, status="pending"),
        running(0, 10),
        running("3", 10),
        running(3, 10),
        transient("HTTP 503"),
        transient("HTTP 503"),
        transient("HTTP 502"),
        running(3, 10),
        COMPLETED,
    ]
    run(t, Script(t, steps), interval=10, rng=random.Random(0), on_progress=seen.append)
    assert [(p.status, p.completed_runs, p.total_runs, p.error) for p in seen] == [
        ("pending", 0, 10, ""),
        ("running", 0, 10, ""),
        ("running", 3, 10, ""),
        ("running", 3, 10, "HTTP 503"),  # an error keeps the last known status
        ("running", 3, 10, "HTTP 502"),
        ("running", 3, 10, ""),  # recovered
        ("completed", 10, 10, ""),
    ]
    assert [p.attempt for p in seen] == [1, 3, 4, 6, 8, 9, 10]
    assert seen[1].elapsed == 20


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [
        (7, 10, "7 of 10 runs completed"),
        (None, 4, "0 of 4 runs completed"),
        (2, None, "2 runs completed"),
        (None, None, ""),
        ("x", "-1", ""),
        ("2.0", 3.0, "2 of 3 runs completed"),
        (True, 5, "0 of 5 runs completed"),
    ],
)
def test_run_counts_are_read_leniently(done: Any, total: Any, expected: str) -> None:
    t = FakeTime()
    seen: list[Progress] = []
    run(t, Script(t, [running(done, total), COMPLETED]), on_progress=seen.append)
    assert seen[0].runs_text == expected


# -- the seam for an adaptive interval ---------------------------------------------------


def test_next_interval_chooses_the_wait_after_a_successful_poll() -> None:
    t = FakeTime()
    asked: list[Progress] = []

    def strategy(progress: Progress) -> float:
        asked.append(progress)
        return 3.0 if (progress.completed_runs or 0) >= 5 else 20.0

    fetch = Script(t, [running(1, 10), running(6, 10), transient(), COMPLETED])
    run(t, fetch, interval=10, next_interval=strategy, rng=RecordingRandom())
    # 20 s while far from the end, 3 s near it; the error backs off from the base interval
    assert t.sleeps == [20, 3, 5]
    assert [p.completed_runs for p in asked] == [1, 6]


@pytest.mark.parametrize("bad", [0.0, -5.0, math.nan, math.inf])
def test_a_broken_next_interval_falls_back_to_the_interval(bad: float) -> None:
    t = FakeTime()
    run(t, Script(t, [running(), COMPLETED]), interval=10, next_interval=lambda _: bad)
    assert t.sleeps == [10]


# -- cancellation ------------------------------------------------------------------------


def test_cancel_is_noticed_between_short_sleep_slices() -> None:
    t = FakeTime()
    cancel_at = START + 13.5

    with pytest.raises(Cancelled) as caught:
        run(
            t,
            Script(t, [running(4, 10)]),
            interval=10,
            cancelled=lambda: t.now >= cancel_at,
            label="result 7",
        )
    assert max(t.sleeps) <= CANCEL_SLICE
    assert t.now == pytest.approx(cancel_at, abs=CANCEL_SLICE)
    error = caught.value
    assert error.last_status == "running"
    assert error.last_progress.completed_runs == 4
    assert error.message.startswith("cancelled while waiting for result 7 after 13.6s")
    assert "its last status was 'running' (4 of 10 runs completed)" in error.message


def test_cancel_before_the_first_poll_does_not_poll() -> None:
    t = FakeTime()
    fetch = Script(t, [COMPLETED])
    with pytest.raises(Cancelled):
        run(t, fetch, cancelled=lambda: True)
    assert fetch.calls == []


def test_without_a_cancel_check_each_wait_is_one_sleep() -> None:
    t = FakeTime()
    run(t, Script(t, [running(), COMPLETED]), interval=10, cancelled=None)
    assert t.sleeps == [10]


# -- with the real client ----------------------------------------------------------------


def test_polls_the_real_client_through_a_scripted_api() -> None:
    url = "https://api.cekura.test/test_framework/v2/results/7/"
    t = FakeTime()
    client = CekuraClient(base_url="https://api.cekura.test", api_key="k" * 32)
    with responses.RequestsMock(registry=registries.OrderedRegistry) as http:
        http.get(url, status=503, headers={"Retry-After": "4"})
        http.get(url, json=running("1", "2"))
        http.get(url, body="<html>proxy</html>", content_type="text/html")
        http.get(url, json=running(2, 2, status="evaluating"))
        http.get(url, json=COMPLETED)
        seen: list[Progress] = []
        result = wait_for_result(
            fetch=lambda timeout: client.get_result("7", timeout=timeout),
            timeout=600,
            interval=10,
            clock=t.clock,
            sleep=t.sleep,
            rng=RecordingRandom(),
            on_progress=seen.append,
        )
        assert [call.request.req_kwargs["timeout"] for call in http.calls] == [30] * 5
    assert result == COMPLETED
    assert t.sleeps == [4, 10, 5, 10]
    assert [p.status for p in seen] == ["", "running", "running", "evaluating", "completed"]
    assert "text/html" in seen[2].error


# -- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1800, "30m"),
        (5400, "1h30m"),
        (3600, "1h"),
        (90, "1m30s"),
        (45, "45s"),
        (2.5, "2.5s"),
        (0, "0s"),
        (3661, "1h1m1s"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
