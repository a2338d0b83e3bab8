"""Reading one JSON value the way the API may send it: numbers as strings, booleans as strings,
integers too large for a float, text that is not text. Never raises: an unreadable value is
None (or "" for text)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

#: integers up to this survive the float that read_count reads them through
EXACT = 2**53


def read_text(value: Any) -> str:
    if value.__class__ is str:  # first: this runs ~20 times per run (benchmarks/evaluation.py)
        return value
    if value is None or isinstance(value, Mapping | list):
        return ""
    return str(value)


def read_number(value: Any) -> float | None:
    """A finite float from an int, float or numeric string; None otherwise."""
    if value.__class__ is int:  # the common cases first (bool is not int here)
        return float(value) if -EXACT <= value <= EXACT else read_big(value)
    if value.__class__ is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return read_big(value)
    if isinstance(value, float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def read_big(value: int) -> float | None:
    """An integer as a float, or None when it is too large for one (10**400 has no float)."""
    try:
        return float(value)
    except OverflowError:
        return None


def read_count(value: Any) -> int | None:
    number = read_number(value)
    if number is None or number < 0 or number != int(number):
        return None
    return int(number)


def read_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def read_joined(value: Any) -> str:
    if value.__class__ is list and len(value) == 1 and value[0].__class__ is str:
        return value[0]  # the usual one-sentence explanation
    if isinstance(value, list):
        return " ".join(read_text(v) for v in value if read_text(v))
    return read_text(value)
