"""Whether a measured value holds against its bounds: the one comparison every check uses."""

from __future__ import annotations

#: a value this close to a bound is on it: floating-point noise, not a miss (9 of 10 runs is
#: 90%, and must hold against `min: 90.000000001` as it does against `min: 90`)
TOLERANCE = 1e-9


def within(
    value: float,
    minimum: float | None,
    maximum: float | None,
    *,
    tolerance: float = TOLERANCE,
) -> bool:
    """`minimum <= value <= maximum`, each bound optional, each widened by `tolerance`."""
    return (minimum is None or value >= minimum - tolerance) and (
        maximum is None or value <= maximum + tolerance
    )
