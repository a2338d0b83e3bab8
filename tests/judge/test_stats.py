"""The Wilson score interval against textbook values, and how many runs decide a rate."""

from __future__ import annotations

import pytest

from gate.judge import stats


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion:
        # comparison of seven methods", Statistics in Medicine 17:857-872, Table I,
        # method 3 (Wilson score interval without continuity correction), 95%.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # The README's worked example: 9 of 10 runs.
        (9, 10, 0.5958, 0.9821),
    ],
)
def test_wilson_matches_textbook_values(successes, n, low, high):
    interval = stats.wilson(successes, n, 0.95)
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high


def test_z_values():
    assert round(stats.z_value(0.95), 6) == 1.959964
    assert round(stats.z_value(0.90), 6) == 1.644854
    assert round(stats.z_value(0.99), 6) == 2.575829
    with pytest.raises(ValueError):
        stats.z_value(1.0)


def test_extremes_stay_inside_zero_and_one():
    assert stats.wilson(10, 10, 0.95).high == 1.0
    assert round(stats.wilson(10, 10, 0.95).low, 4) == 0.7225
    assert stats.wilson(0, 10, 0.95).low == 0.0
    assert stats.wilson(0, 0, 0.95) == stats.Interval(0.0, 1.0, 0.95)


@pytest.mark.parametrize(
    ("successes", "n", "minimum", "decision"),
    [
        (29, 30, 0.80, stats.Decision.PASS),  # [83.33%, 99.41%] clears 80%
        (9, 10, 0.80, stats.Decision.INCONCLUSIVE),  # [59.58%, 98.21%] contains 80%
        (5, 10, 0.80, stats.Decision.FAIL),  # [23.66%, 76.34%] is wholly below 80%
    ],
)
def test_decide_a_minimum(successes, n, minimum, decision):
    assert stats.decide(successes, n, 0.95, minimum=minimum, maximum=None)[0] is decision


def test_decide_a_maximum():
    # 1 of 30 runs hit the failure mode; at most 20% allowed: upper bound 16.67% <= 20%.
    assert stats.decide(1, 30, 0.95, minimum=None, maximum=0.20)[0] is stats.Decision.PASS
    assert stats.decide(5, 10, 0.95, minimum=None, maximum=0.20)[0] is stats.Decision.FAIL
    assert stats.decide(1, 5, 0.95, minimum=None, maximum=0.20)[0] is (stats.Decision.INCONCLUSIVE)


def test_runs_needed_is_the_first_n_that_decides():
    needed = stats.runs_needed(0.9, 0.95, minimum=0.8, maximum=None)
    assert needed == 62
    assert stats.wilson(0.9 * 62, 62, 0.95).low >= 0.8
    assert stats.wilson(0.9 * 61, 61, 0.95).low < 0.8
    assert stats.runs_needed(0.95, 0.95, minimum=0.9, maximum=None) == 139
    assert stats.runs_needed(1.0, 0.95, minimum=0.8, maximum=None) == 16


def test_runs_needed_when_nothing_decides():
    assert stats.runs_needed(0.9, 0.95, minimum=0.9, maximum=None) is None  # on the line
    assert stats.runs_needed(1.0, 0.95, minimum=1.0, maximum=None) is None  # 100% unprovable
