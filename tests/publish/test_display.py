"""How a check compared with a baseline reads, from its numbers."""

from __future__ import annotations

import pytest

from gate.judge.verdict import Check, Kind, Level, Outcome, Unit
from gate.publish.words import display


def compared(kind: Kind, unit: Unit, before: float | None, change: float | None) -> Check:
    return Check(
        name="x",
        title="x",
        level=Level.ERROR,
        outcome=Outcome.PASS,
        kind=kind,
        unit=unit,
        baseline_value=before,
        change=change,
    )


@pytest.mark.parametrize(
    ("unit", "before", "change", "was", "delta"),
    [
        (Unit.PERCENT, 95.0, -15.0, "95%", "↓ 15 pp"),
        (Unit.PERCENT, 100 / 3, 0.004999, "33.33%", "→ no change"),  # prints as 0.00
        (Unit.PERCENT, 50.0, 0.005, "50%", "↑ 0.01 pp"),
        (Unit.COUNT, 0, 1, "0", "↑ 1"),
        (Unit.SCORE, 855.0, 300.0, "855", "↑ 300"),
    ],
)
def test_the_baseline_and_the_change_read_from_the_numbers(unit, before, change, was, delta):
    check = compared(Kind.SCENARIO, unit, before, change)
    assert (display.was(check), display.delta(check)) == (was, delta)


@pytest.mark.parametrize(
    ("kind", "before", "change"),
    [
        (Kind.REGRESSION, 100.0, -10.0),  # says its change in `actual`
        (Kind.SUCCESS_RATE, 100.0, None),  # not comparable
        (Kind.SUCCESS_RATE, None, None),  # no baseline
    ],
)
def test_nothing_is_shown_without_a_comparison(kind, before, change):
    check = compared(kind, Unit.PERCENT, before, change)
    assert not display.compared(check)
    assert (display.was(check), display.delta(check)) == ("", "")
