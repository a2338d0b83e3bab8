"""Trying again: the one Retry-After parser, the backoff between attempts and the retry loop
that starting a run, the baseline lookup and the PR comment share (the wait loop, which has a
deadline rather than a number of attempts, draws its backoff from here too).

Time is injected (`sleep`, `now`, `rng`) so every wait can be pinned by a test without sleeping.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delay-seconds or an HTTP date; None when absent/unreadable.

    A date in the past means "now" (0). Fractions are tolerated although RFC 9110 says integer.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive; HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, delta)


@dataclass(frozen=True, slots=True)
class Backoff:
    """The wait before attempt n+1 when the server did not say: base·factor^(n-1), at most
    `cap`; with `jitter`, drawn uniformly from [0, that] ("full jitter", so clients that
    failed together do not retry together)."""

    base: float
    factor: float = 2.0
    cap: float = math.inf
    jitter: bool = False

    def ceiling(self, failures: int) -> float:
        """The longest wait after the n-th consecutive failure."""
        exponent = max(0, failures - 1)
        # Capping the exponent (not the result) keeps factor**exponent from overflowing.
        return min(self.cap, self.base * self.factor ** min(exponent, 64))

    def wait(self, failures: int, *, retry_after: float | None = None, rng: Any = None) -> float:
        """The server's Retry-After when it gave one, else this backoff's wait."""
        if retry_after is not None:
            return retry_after
        ceiling = self.ceiling(failures)
        if not self.jitter:
            return ceiling
        return (rng or random).uniform(0.0, ceiling)


class RetryLater(Exception):
    """Raised by one attempt that may be repeated: `retry_after` is the wait the server asked
    for (None: use the backoff); `cause` is what the attempt learnt (an exception or an
    answer), handed to `give_up` when no attempt is left."""

    def __init__(self, cause: Any, *, retry_after: float | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class GaveUp:
    """Why retrying stopped: the last attempt's RetryLater, its number and the wait it asked."""

    last: RetryLater
    attempts: int
    wait: float
    too_long: bool  # the wait was over `max_wait` (rather than the attempts running out)


def retry(
    attempt: Callable[[int], T],
    *,
    attempts: int,
    backoff: Backoff,
    sleep: Callable[[float], None],
    give_up: Callable[[GaveUp], BaseException],
    max_wait: float = math.inf,
    clip: bool = False,
    rng: Any = None,
) -> T:
    """Call `attempt(n)` for n = 1.. until it returns; each RetryLater it raises costs a wait.

    A wait longer than `max_wait` is cut to it with `clip`, else it ends the retrying (holding
    a CI job that long would look hung). When retrying ends, the exception `give_up(GaveUp)`
    returns is raised, from the last attempt's cause when that is an exception.
    """
    number = 0
    while True:
        number += 1
        try:
            return attempt(number)
        except RetryLater as later:
            wait = backoff.wait(number, retry_after=later.retry_after, rng=rng)
            too_long = wait > max_wait and not clip
            if clip:
                wait = min(wait, max_wait)
            if number >= attempts or too_long:
                stop = give_up(GaveUp(later, number, wait, too_long))
                cause = later.cause if isinstance(later.cause, BaseException) else None
                if stop is cause:
                    raise stop from stop.__cause__  # the cause itself, as it was raised
                raise stop from cause
            sleep(wait)
