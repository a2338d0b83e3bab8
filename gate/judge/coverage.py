"""Coverage against the baseline: what the baseline ran that this result did not.

Pure: two Results -> Checks.

- `coverage.scenarios`: every scenario the baseline ran (by id, else by name) that has no run in
  this result, listed by name (`Check.names`), at `coverage.missing_scenarios`.
- `coverage.runs`: this result's run count against the baseline's; fails when it fell more than
  `coverage.max_run_drop` percent (100 runs may fall to 80 with 20, not to 79).

A suite that quietly lost scenarios would otherwise pass every rate check on what is left.
"""

from __future__ import annotations

import math

from gate.judge.aggregate import scenario_stats
from gate.judge.reasons import Reason, Side
from gate.judge.verdict import Check, Kind, Outcome, Unit
from gate.policy.model import CoveragePolicy
from gate.result.model import Result
from gate.result.names import key


def coverage_checks(coverage: CoveragePolicy, result: Result, baseline: Result) -> list[Check]:
    checks = [_scenarios(coverage, result, baseline)]
    if coverage.max_run_drop is not None:
        checks.append(_runs(coverage.max_run_drop, coverage, result, baseline))
    return checks


def _scenarios(coverage: CoveragePolicy, result: Result, baseline: Result) -> Check:
    base = {
        "name": "coverage.scenarios",
        "title": "Scenarios of the baseline",
        "kind": Kind.COVERAGE,
        "subject": "scenarios",
        "level": coverage.missing_scenarios,
        "unit": Unit.COUNT,
        "maximum": 0,
    }
    unlisted = [
        side for side, of in ((Side.BASELINE, baseline), (Side.RESULT, result)) if not of.runs
    ]
    if unlisted:
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.RUNS_NOT_LISTED,
            side=unlisted[0] if len(unlisted) == 1 else Side.BOTH,
        )
    now = scenario_stats(result.runs)
    ids = {s.scenario_id for s in now if s.scenario_id is not None}
    names = {key(s.name) for s in now}
    missing = tuple(
        before.name or f"id {before.scenario_id}"
        for before in scenario_stats(baseline.runs)
        if not (
            (before.scenario_id is not None and before.scenario_id in ids)
            or key(before.name) in names
        )
    )
    return Check(
        **base,
        value=len(missing),
        baseline_value=len(scenario_stats(baseline.runs)),
        names=missing,
        outcome=Outcome.FAIL if missing else Outcome.PASS,
    )


def _runs(max_drop: float, coverage: CoveragePolicy, result: Result, baseline: Result) -> Check:
    now, before = result.total_runs, baseline.total_runs
    # the fewest runs allowed; runs are whole, so "at least 80.4" is "at least 81"
    fewest = math.ceil(before * (1 - max_drop / 100) - 1e-9)
    return Check(
        name="coverage.runs",
        title="Runs vs baseline",
        kind=Kind.COVERAGE,
        subject="runs",
        level=coverage.level,
        unit=Unit.COUNT,
        value=now,
        minimum=max(fewest, 0),
        baseline_value=before,
        change=now - before,
        outcome=Outcome.PASS if now >= fewest else Outcome.FAIL,
    )
