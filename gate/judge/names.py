"""Finding a rubric rule by name, compared by the one rule (gate.result.names.key)."""

from __future__ import annotations

from gate.result.model import RubricRule
from gate.result.names import key


def find_rule(rules: tuple[RubricRule, ...], metric: str) -> RubricRule | None:
    """The rubric rule named `metric` (by `key`), or None."""
    wanted = key(metric)
    return next((r for r in rules if key(r.metric) == wanted), None)
