"""The one bound comparison: exactly on a bound holds, one step past it does not."""

from __future__ import annotations

import pytest

from gate.judge.decide import TOLERANCE, within


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "held"),
    [
        (90.0, 90, None, True),  # exactly on the minimum
        (90.0 - TOLERANCE, 90, None, True),  # floating-point noise below it
        (89.99999999, 90, None, False),
        (1500.0, None, 1500, True),  # exactly on the maximum
        (1500.00000001, None, 1500, False),
        (4.0, 4, 5, True),
        (5.0, 4, 5, True),
        (5.01, 4, 5, False),
        (3.99, 4, 5, False),
        (-10.0, -10, None, True),  # a drop of exactly the allowed change
        (-10.00000001, -10, None, False),
        (7.0, None, None, True),  # no bounds: nothing to miss
    ],
)
def test_within_its_bounds(value, minimum, maximum, held):
    assert within(value, minimum, maximum) is held


def test_without_tolerance_the_bound_is_exact():
    assert within(1500.0, None, 1500, tolerance=0)
    assert not within(1500.0 + 1e-12, None, 1500, tolerance=0)
    assert not within(2, 3, None, tolerance=0) and within(3, 3, None, tolerance=0)
