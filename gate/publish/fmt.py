"""How numbers read in checks and reports: 87.5, 100, 0.33; percentages and changes."""

from __future__ import annotations

from collections.abc import Callable


def number(value: float) -> str:
    """Up to two decimals, no trailing zeros: 87.5, 100, 0.33."""
    return f"{round(value, 2):g}"


def percent(value: float) -> str:
    return f"{number(value)}%"


def change(delta: float, unit: str = "") -> str:
    """A signed change with an arrow: '↑ 530', '↓ 15 pp', '→ no change'."""
    if abs(delta) < 0.005:  # would print as 0 at two decimals
        return "→ no change"
    arrow = "↑" if delta > 0 else "↓"
    return f"{arrow} {number(abs(delta))}{unit}"


def bounds(low: float | None, high: float | None, show: Callable[[float], str] = number) -> str:
    """A min/max threshold as people read it: '≥ 4', '≤ 1500', '≥ 4 and ≤ 5'."""
    parts = []
    if low is not None:
        parts.append(f"≥ {show(low)}")
    if high is not None:
        parts.append(f"≤ {show(high)}")
    return " and ".join(parts)
