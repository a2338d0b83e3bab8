"""The retry helper (gate/source/retry.py): Retry-After, backoff and the retry loop, with a fake
sleep, so every wait is an exact number."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from gate.source.retry import Backoff, GaveUp, RetryLater, parse_retry_after, retry


class Stop(Exception):
    def __init__(self, gave_up: GaveUp) -> None:
        super().__init__(gave_up)
        self.gave_up = gave_up


def answers(*plan: float | str | None):
    """An attempt that raises RetryLater(retry_after=x) for each x in `plan`, then returns
    "done" ("ok" in the plan returns early)."""
    calls: list[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        if number > len(plan) or plan[number - 1] == "ok":
            return "done"
        raise RetryLater(f"refusal {number}", retry_after=plan[number - 1])

    return attempt, calls


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past: go ahead now
        ("Wednesday, 21-Oct-15 07:29:00 GMT", 60.0),  # obsolete RFC 850 form
        ("Wed Oct 21 07:28:45 2015", 45.0),  # asctime form
        ("Wed, 99 Oct 2015 07:28:30 GMT", None),
        ("-5", None),
        ("soon", None),
        ("inf", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == seconds


def test_backoff_doubles_from_the_base_and_stops_at_the_cap() -> None:
    backoff = Backoff(base=2.0, cap=10.0)
    assert [backoff.wait(n) for n in range(1, 6)] == [2.0, 4.0, 8.0, 10.0, 10.0]
    assert Backoff(base=1.0).ceiling(10_000) == 2.0**64  # no overflow on a long outage


def test_retry_after_wins_over_the_backoff_even_when_longer_than_the_cap() -> None:
    assert Backoff(base=2.0, cap=10.0).wait(1, retry_after=30.0) == 30.0
    assert Backoff(base=2.0).wait(3, retry_after=0.0) == 0.0


def test_full_jitter_draws_between_zero_and_the_ceiling() -> None:
    backoff = Backoff(base=1.0, cap=60.0, jitter=True)
    draws = [backoff.wait(n, rng=random.Random(7)) for n in (1, 3, 9)]
    assert draws == [
        random.Random(7).uniform(0, 1.0),
        random.Random(7).uniform(0, 4.0),
        random.Random(7).uniform(0, 60.0),
    ]
    assert all(0.0 <= d <= c for d, c in zip(draws, (1.0, 4.0, 60.0), strict=True))


def test_retry_sleeps_the_backoff_between_attempts_and_returns_the_answer() -> None:
    attempt, calls = answers(None, None)
    sleeps: list[float] = []
    got = retry(attempt, attempts=3, backoff=Backoff(base=2.0), sleep=sleeps.append, give_up=Stop)
    assert got == "done"
    assert calls == [1, 2, 3]
    assert sleeps == [2.0, 4.0]


def test_retry_sleeps_what_the_server_asked() -> None:
    attempt, _ = answers(5.0, 3.0)
    sleeps: list[float] = []
    retry(attempt, attempts=3, backoff=Backoff(base=2.0), sleep=sleeps.append, give_up=Stop)
    assert sleeps == [5.0, 3.0]


def test_retry_gives_up_after_the_last_attempt_without_sleeping_again() -> None:
    attempt, calls = answers(None, None, 7.0)
    sleeps: list[float] = []
    with pytest.raises(Stop) as caught:
        retry(attempt, attempts=3, backoff=Backoff(base=2.0), sleep=sleeps.append, give_up=Stop)
    assert calls == [1, 2, 3]
    assert sleeps == [2.0, 4.0]
    stop = caught.value.gave_up
    assert (stop.attempts, stop.wait, stop.too_long) == (3, 7.0, False)
    assert stop.last.cause == "refusal 3"


def test_a_wait_over_max_wait_ends_the_retrying_at_once() -> None:
    attempt, calls = answers(60.5)
    sleeps: list[float] = []
    with pytest.raises(Stop) as caught:
        retry(
            attempt,
            attempts=3,
            backoff=Backoff(base=2.0),
            max_wait=60.0,
            sleep=sleeps.append,
            give_up=Stop,
        )
    assert (calls, sleeps) == ([1], [])
    assert (caught.value.gave_up.wait, caught.value.gave_up.too_long) == (60.5, True)


def test_a_wait_exactly_max_wait_is_slept() -> None:
    attempt, _ = answers(60.0)
    sleeps: list[float] = []
    retry(
        attempt,
        attempts=3,
        backoff=Backoff(base=2.0),
        max_wait=60.0,
        sleep=sleeps.append,
        give_up=Stop,
    )
    assert sleeps == [60.0]


def test_clip_cuts_long_waits_to_max_wait_instead_of_giving_up() -> None:
    attempt, calls = answers(600.0, None)
    sleeps: list[float] = []
    retry(
        attempt,
        attempts=3,
        backoff=Backoff(base=16.0),
        max_wait=10.0,
        clip=True,
        sleep=sleeps.append,
        give_up=Stop,
    )
    assert (calls, sleeps) == ([1, 2, 3], [10.0, 10.0])


def test_giving_up_can_reraise_the_attempts_own_exception() -> None:
    original = ValueError("the last failure")

    def attempt(number: int) -> str:
        raise RetryLater(original)

    with pytest.raises(ValueError) as caught:
        retry(
            attempt,
            attempts=2,
            backoff=Backoff(base=1.0),
            sleep=lambda s: None,
            give_up=lambda stop: stop.last.cause,
        )
    assert caught.value is original


def test_other_exceptions_are_not_retried() -> None:
    calls: list[int] = []

    def attempt(number: int) -> str:
        calls.append(number)
        raise KeyError("not transient")

    with pytest.raises(KeyError):
        retry(attempt, attempts=3, backoff=Backoff(base=1.0), sleep=lambda s: None, give_up=Stop)
    assert calls == [1]
