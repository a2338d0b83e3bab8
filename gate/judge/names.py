"""How names from the API are compared, the one rule for metrics and rubric rules alike."""

from __future__ import annotations

from gate.result.model import RubricRule


def key(name: str) -> str:
    """How names are compared: case-insensitive, runs of whitespace and _ as one space."""
    return " ".join(name.replace("_", " ").lower().split())


def find_rule(rules: tuple[RubricRule, ...], metric: str) -> RubricRule | None:
    """The rubric rule named `metric` (by `key`), or None."""
    wanted = key(metric)
    return next((r for r in rules if key(r.metric) == wanted), None)
