"""Scenarios run more than once (Cekura's `frequency`): "at least k of n" and flakiness.

Pure: scenario statistics + the policy -> Checks. A scenario with two or more runs is a
stable pass (every run succeeded), flaky (some did, some did not) or a stable fail (none
did); `Stability.of` decides it from the counts. A run counts as passed only when its
`success` is true, as everywhere else in the gate. A run that failed for infrastructure
reasons (the call never connected) counts as not passed for `min_passes`, but is left out of
the stability: it never tested the agent, so it cannot show the agent giving different results.

- `min_passes` (thresholds.scenarios[]) is a check of its own, `scenarios[<label>].min_passes`,
  beside the scenario's success-rate floor: with both, both must hold. A scenario with fewer
  runs than `min_passes` cannot reach it and fails; one with no run is missing.
- Every flaky scenario is a `flaky[<label>]` check at `thresholds.flaky.level` (warn unless
  the config says error): a flaky scenario is never silently green. A scenario the config
  lists with its own `flaky:` always gets the check, at its own level: held when its runs
  agree, inconclusive (warn) with fewer than two runs.
"""

from __future__ import annotations

from gate.judge.aggregate import ScenarioStats, find_scenario
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Level, Outcome, Stability, Unit
from gate.policy.model import Policy, ScenarioBound
from gate.result.names import key


def passes_check(stats: list[ScenarioStats], bound: ScenarioBound) -> Check:
    """`scenarios[<label>].min_passes`: at least `bound.min_passes` of its runs succeeded."""
    assert bound.min_passes is not None
    found = find_scenario(stats, name=bound.name or None, scenario_id=bound.scenario_id)
    base = {
        "name": f"scenarios[{bound.label}].min_passes",
        "title": f"Scenario passes: {found.name if found else bound.label}",
        "kind": Kind.SCENARIO_PASSES,
        "subject": bound.label,
        "unit": Unit.COUNT,
        "minimum": bound.min_passes,
        "level": bound.level,
        "scenario_id": bound.scenario_id,
    }
    if found is None or not found.runs:
        return Check(**base, outcome=Outcome.MISSING, reason=Reason.NO_RUNS_OF_SCENARIO)
    held = found.passed >= bound.min_passes
    too_few = not held and found.runs < bound.min_passes  # it cannot reach min_passes
    return Check(
        **base,
        value=found.passed,
        successes=found.passed,
        runs=found.runs,
        # its label's counts would differ from this check's when calls never connected: the
        # flaky check says it then, with the counts it was decided on
        stability=found.stability if not found.infrastructure else None,
        outcome=Outcome.PASS if held else Outcome.FAIL,
        reason=Reason.TOO_FEW_REPEATS if too_few else None,
    )


def flaky_checks(stats: list[ScenarioStats], policy: Policy) -> list[Check]:
    """A check per flaky scenario, and one per scenario the config gives a `flaky:` level."""
    own = [b for b in policy.scenarios if b.flaky_level is not None]
    checks: list[Check] = []
    claimed: set[int] = set()  # scenarios a configured flaky check covers
    for bound in own:
        matched = [s for s in stats if matches(s, bound.name, bound.scenario_id)]
        claimed.update(id(s) for s in matched)
        found = find_scenario(stats, name=bound.name or None, scenario_id=bound.scenario_id)
        assert bound.flaky_level is not None
        checks.append(_flaky(bound.label, found, bound.flaky_level, bound.label))
    if policy.flaky.configured and not any(s.runs >= 2 for s in stats):
        checks.append(
            Check(
                name="flaky",
                title="Flaky scenarios",
                kind=Kind.FLAKY,
                unit=Unit.COUNT,
                level=Level.WARN,
                outcome=Outcome.INCONCLUSIVE,
                reason=Reason.NO_REPEATS,
            )
        )
    for scenario in stats:
        if id(scenario) in claimed or scenario.stability is not Stability.FLAKY:
            continue
        label = str(scenario.scenario_id) if scenario.scenario_id is not None else scenario.name
        checks.append(_flaky(label, scenario, policy.flaky.level, scenario.name))
    return checks


def _flaky(label: str, found: ScenarioStats | None, level: Level, fallback: str) -> Check:
    base = {
        "name": f"flaky[{label}]",
        "title": f"Flaky: {found.name if found else fallback}",
        "kind": Kind.FLAKY,
        "subject": label,
        "unit": Unit.COUNT,
    }
    if found is None or not found.runs:
        return Check(
            **base,
            level=level,
            outcome=Outcome.MISSING,
            reason=Reason.NO_RUNS_OF_SCENARIO,  # named by its label, without scenario_id
        )
    stability = found.stability
    counts = {
        "value": found.passed,
        "successes": found.passed,
        "runs": found.agent_runs,  # the runs its stability is decided on
        "excluded_runs": found.infrastructure or None,
    }
    if stability is None:
        return Check(
            **base,
            **counts,
            level=Level.WARN,
            outcome=Outcome.INCONCLUSIVE,
            reason=Reason.ONE_RUN if found.agent_runs else Reason.ALL_INFRASTRUCTURE,
        )
    return Check(
        **base,
        **counts,
        stability=stability,
        level=level,
        outcome=Outcome.FAIL if stability is Stability.FLAKY else Outcome.PASS,
        reason=Reason.FLAKY if stability is Stability.FLAKY else None,
    )


def matches(stats: ScenarioStats, name: str, scenario_id: int | None) -> bool:
    """Whether a config entry (by id, else by name) names this scenario."""
    if scenario_id is not None:
        return stats.scenario_id == scenario_id
    return key(stats.name) == key(name)
