"""How numbers read in checks and reports: 87.5, 100, 0.33; percentages and changes."""

from __future__ import annotations

from collections.abc import Callable


def number(value: float) -> str:
    """Up to two decimals, no trailing zeros: 87.5, 100, 0.33."""
    return f"{round(value, 2):g}"


def count(value: float) -> str:
    """A count: 3, never 3.0 (`number` for one that is not whole)."""
    return str(int(value)) if float(value).is_integer() else number(value)


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


# -- the report's tables: thousands grouped, real minus signs, units -----------------------

MINUS = "\u2212"  # a minus sign, not a hyphen: "−42 pp"
#: metric names whose numbers are milliseconds (the API gives numeric metrics no unit, and
#: Cekura's latency metrics are in ms)
_MILLISECOND_WORDS = ("latency", "response time", "ttfb", "time to first")


def grouped(value: float) -> str:
    """Thousands grouped, decimals as `number`: 2,453 / 81.8 / 0.33 / −1,544."""
    rounded = round(value, 2) if abs(value) < 100 else round(value, 1 if abs(value) < 1000 else 0)
    text = f"{abs(rounded):,.2f}".rstrip("0").rstrip(".")
    return (MINUS if rounded < 0 else "") + text


def milliseconds(subject: str) -> bool:
    """A metric named like a latency: its numbers are milliseconds."""
    name = subject.lower()
    return any(word in name for word in _MILLISECOND_WORDS)


def duration_ms(value: float) -> str:
    """Milliseconds as people read them: '909 ms', '2,453 ms'; seconds from 10 s: '12.4 s'."""
    if abs(value) >= 10_000:
        return f"{grouped(value / 1000)} s"
    return f"{grouped(round(value))} ms"


def signed(delta: float, unit: str = "") -> str:
    """A change with its sign: '+1,544', '−42 pp', '±0'."""
    if abs(delta) < 0.005:
        return f"±0{unit}"
    return ("+" if delta > 0 else "") + grouped(delta) + unit
