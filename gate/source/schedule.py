"""The wait loop's schedule, in small pure functions that tests pin directly: the wait after a
poll (the interval, or backoff with full jitter after errors, or the server's Retry-After)
and how long one poll may wait for its answer."""

from __future__ import annotations

import random

from gate.source.retry import Backoff

#: a poll never waits longer than this for its answer (unless less time is left)
MAX_REQUEST_TIMEOUT = 30.0
#: ...and never less: the poll made at the deadline still deserves a real chance to answer
MIN_REQUEST_TIMEOUT = 5.0
BACKOFF_FACTOR = 2.0
BACKOFF_CAP = 60.0
#: full jitter can draw ~0; retrying sooner than this after an error only adds load
MIN_RETRY_DELAY = 1.0


def error_backoff(base: float) -> Backoff:
    """After the n-th consecutive error: a wait drawn from [0, base·2^(n-1)], at most 60 s."""
    return Backoff(base=base, factor=BACKOFF_FACTOR, cap=BACKOFF_CAP, jitter=True)


def next_delay(
    *,
    interval: float,
    consecutive_errors: int,
    retry_after: float | None,
    remaining: float,
    rng: random.Random,
    base: float | None = None,
) -> float:
    """Seconds to sleep before the next poll, never more than `remaining`.

    After a success: `interval`. After the n-th consecutive transient error: the server's
    Retry-After when it gave one, else `error_backoff(base)` (full jitter; `base` defaults to
    `interval`). Error waits are at least MIN_RETRY_DELAY
    (or `base` when that is shorter), so a Retry-After of 0 cannot become a busy loop.
    """
    base = interval if base is None else base
    if consecutive_errors <= 0:
        delay = interval
    else:
        delay = error_backoff(base).wait(consecutive_errors, retry_after=retry_after, rng=rng)
        delay = max(delay, min(MIN_RETRY_DELAY, base))
    return max(0.0, min(delay, remaining))


def request_timeout(remaining: float) -> float:
    """How long one poll may wait for its answer: the time left, within [5 s, 30 s]."""
    return max(MIN_REQUEST_TIMEOUT, min(MAX_REQUEST_TIMEOUT, remaining))
