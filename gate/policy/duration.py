"""A duration as a config writes it: `12h`, `7d`, `2w` (hours, days, weeks) -> hours."""

from __future__ import annotations

import re

_UNITS = {"h": 1.0, "d": 24.0, "w": 168.0}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([hdw])\s*", re.IGNORECASE)


def parse_duration(text: object) -> float | None:
    """Hours in `text`; None when it is not a duration (validation words the error)."""
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    hours = float(match[1]) * _UNITS[match[2].lower()]
    return hours if hours > 0 else None
