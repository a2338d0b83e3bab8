"""Uncertainty of a rate measured on few runs: the Wilson score interval, and how many runs decide.

With 10 runs, 9 successes say little: the true success rate could well be 60% or 98%. A rate
check with `confidence: 0.95` therefore compares the threshold with the Wilson score interval
of the observed rate instead of the rate itself (Wilson 1927; Newcombe 1998, method 3):

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

where p is the observed proportion, n the number of runs and z the two-sided normal quantile
of the confidence (1.96 for 0.95). Wilson's interval stays inside [0, 1] and keeps its
coverage for small n and for p near 0 or 1, where the textbook "p ± z·SE" interval fails.

A minimum passes when the lower bound clears it, fails when the upper bound is below it, and
is otherwise inconclusive; a maximum the other way round. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from enum import StrEnum
from functools import cache

import msgspec

#: runs_needed() stops looking beyond this many runs
MAX_RUNS = 10_000_000


class Decision(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Interval(msgspec.Struct, frozen=True, gc=False):
    low: float  # proportion, 0-1
    high: float
    confidence: float


@cache
def z_value(confidence: float) -> float:
    """Two-sided standard-normal quantile: 0.95 -> 1.959964."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    from statistics import NormalDist  # only with a confidence: it costs every start ~5 ms

    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson(successes: float, n: float, confidence: float) -> Interval:
    """The Wilson score interval of `successes` out of `n` (successes may be fractional)."""
    if n <= 0:
        return Interval(0.0, 1.0, confidence)
    z = z_value(confidence)
    p = min(max(successes / n, 0.0), 1.0)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 (or 1) the bound is exactly 0 (or 1); rounding must not move it off.
    low = 0.0 if p == 0 else max(0.0, centre - half)
    high = 1.0 if p == 1 else min(1.0, centre + half)
    return Interval(low, high, confidence)


def decide(
    successes: float, n: int, confidence: float, *, minimum: float | None, maximum: float | None
) -> tuple[Decision, Interval]:
    """Judge a rate against bounds given as proportions (0-1)."""
    interval = wilson(successes, n, confidence)
    eps = 1e-12
    failed = (minimum is not None and interval.high < minimum - eps) or (
        maximum is not None and interval.low > maximum + eps
    )
    passed = (minimum is None or interval.low >= minimum - eps) and (
        maximum is None or interval.high <= maximum + eps
    )
    if failed:
        return Decision.FAIL, interval
    return (Decision.PASS if passed else Decision.INCONCLUSIVE), interval


def runs_needed(
    rate: float, confidence: float, *, minimum: float | None, maximum: float | None
) -> int | None:
    """Fewest runs at the observed `rate` (0-1) that `decide` would not call inconclusive.

    None when no number of runs would: the rate sits exactly on a bound, or the bound is
    0%/100% on the side the interval can never clear, or more than MAX_RUNS are needed.
    """

    def decided(n: int) -> bool:
        decision, _ = decide(rate * n, n, confidence, minimum=minimum, maximum=maximum)
        return decision is not Decision.INCONCLUSIVE

    if not decided(MAX_RUNS):
        return None
    low, high = 1, MAX_RUNS  # the interval narrows as n grows: binary search
    while low < high:
        middle = (low + high) // 2
        if decided(middle):
            high = middle
        else:
            low = middle + 1
    return low
