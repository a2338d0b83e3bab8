"""How a check compared with a baseline reads: the baseline's value and the change.

The check carries the numbers (`baseline_value`, `change`); the words are made here.
"""

from __future__ import annotations

from gate.judge.verdict import Check, Kind, Unit
from gate.publish.words.fmt import change, number, percent

PP = " pp"  # percentage points: the change of a percent


def compared(check: Check) -> bool:
    """Annotated with the baseline (a regression check says its change in `actual`)."""
    return (
        check.change is not None
        and check.baseline_value is not None
        and check.kind is not Kind.REGRESSION
    )


def was(check: Check) -> str:
    """The baseline's value as people read it ("95%"), or ""."""
    if not compared(check):
        return ""
    assert check.baseline_value is not None
    return (percent if check.unit is Unit.PERCENT else number)(check.baseline_value)


def delta(check: Check) -> str:
    """The change with an arrow ("↓ 15 pp", "→ no change"), or ""."""
    if not compared(check):
        return ""
    assert check.change is not None
    return change(check.change, PP if check.unit is Unit.PERCENT else "")
