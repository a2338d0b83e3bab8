"""Raw result-detail payloads for focused tests, in the API's shapes: one place for them.

Realistic payloads with every quirk come from the simulator's builders
(gate.simulator.payloads, run_detail, scoring); these are the small hand-made ones a unit
test reads at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def raw_run(
    run_id: Any,
    success: Any = True,
    *,
    scenario: tuple[int, str] = (1, "S"),
    status: str | None = None,
    metrics: Iterable[dict[str, Any]] | None = None,
    outcome: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One run: `metrics` go under `evaluation`, `outcome` is the Expected Outcome score."""
    raw: dict[str, Any] = {"id": run_id, "scenario": {"id": scenario[0], "name": scenario[1]}}
    if status is not None:
        raw["status"] = status
    raw["success"] = success
    if metrics is not None:
        raw["evaluation"] = {"metrics": list(metrics)}
    if outcome is not None:
        raw["expected_outcome"] = {"score": outcome, "explanation": ["x"]}
    return {**raw, **extra}


def raw_result(runs: Any = None, **fields: Any) -> dict[str, Any]:
    """A completed result (id 9) with `runs` (a list or a dict) when given."""
    payload: dict[str, Any] = {"id": 9, "status": "completed", **fields}
    if runs is not None:
        payload["runs"] = runs
    return payload
