"""How names from the API are compared: the one rule for metrics and rubric rules alike."""

from __future__ import annotations

#: the expected outcome's score, aggregated as a metric of this name (`metric: expected_outcome`)
EXPECTED_OUTCOME = "expected outcome"


def key(name: str) -> str:
    """How names are compared: case-insensitive, runs of whitespace and _ as one space."""
    return " ".join(name.replace("_", " ").lower().split())
