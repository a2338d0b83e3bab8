"""The words of p-values, ages and durations (gate/publish/words/wording_baseline.py)."""

from __future__ import annotations

import pytest

from gate.publish.words.wording_baseline import hours, p_value


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.2428571, "p = 0.24"),
        (0.05, "p = 0.05"),
        (0.0123, "p = 0.012"),
        (0.001, "p = 0.001"),
        (0.000999, "p < 0.001"),
        (1.0, "p = 1"),
    ],
)
def test_p_values(p, text):
    assert p_value(p) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1 hour"),
        (12, "12 hours"),
        (47.5, "47.5 hours"),
        (48, "2 days"),
        (168, "7 days"),
        (24 * 9.5, "9.5 days"),
        (336, "2 weeks"),
        (24 * 15, "15 days"),
    ],
)
def test_ages(value, text):
    assert hours(value) == text
