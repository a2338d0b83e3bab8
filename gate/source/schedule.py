"""The wait loop's schedule, in small pure functions that tests pin directly: the wait after a
poll (the interval, or backoff with full jitter after errors, or the server's Retry-After)
and how long one poll may wait for its answer."""

from __future__ import annotations

import random

#: a poll never waits longer than this for its answer (unless less time is left)
MAX_REQUEST_TIMEOUT = 30.0
#: ...and never less: the poll made at the deadline still deserves a real chance to answer
MIN_REQUEST_TIMEOUT = 5.0
BACKOFF_FACTOR = 2.0
BACKOFF_CAP = 60.0
#: full jitter can draw ~0; retrying sooner than this after an error only adds load
MIN_RETRY_DELAY = 1.0


def backoff_ceiling(consecutive_errors: int, *, base: float) -> float:
    """The upper bound of the n-th retry's jittered wait: base·2^(n-1), capped at 60 s."""
    exponent = max(0, consecutive_errors - 1)
    # min() before the power would be wrong; cap the exponent instead so it cannot overflow.
    return min(BACKOFF_CAP, base * BACKOFF_FACTOR ** min(exponent, 64))


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
    Retry-After when it gave one, else full jitter, uniform(0, backoff_ceiling(n)), where the
    ceiling grows from `base` (default: `interval`). Error waits are at least MIN_RETRY_DELAY
    (or `base` when that is shorter), so a Retry-After of 0 cannot become a busy loop.
    """
    base = interval if base is None else base
    if consecutive_errors <= 0:
        delay = interval
    else:
        if retry_after is not None:
            delay = retry_after
        else:
            delay = rng.uniform(0.0, backoff_ceiling(consecutive_errors, base=base))
        delay = max(delay, min(MIN_RETRY_DELAY, base))
    return max(0.0, min(delay, remaining))


def request_timeout(remaining: float) -> float:
    """How long one poll may wait for its answer: the time left, within [5 s, 30 s]."""
    return max(MIN_REQUEST_TIMEOUT, min(MAX_REQUEST_TIMEOUT, remaining))
