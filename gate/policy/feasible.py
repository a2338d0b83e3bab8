"""Bounds the configured start can never meet, for `validate` to warn of before a run is paid for.

A run started with `--frequency N` places N runs of each scenario (more with personalities or
test profiles, which the gate does not know of), so a `min_passes` above N fails whatever the
agent does. A result from elsewhere (--result-id, --result-file) may hold more runs: a warning,
not an error.
"""

from __future__ import annotations

from gate.policy.model import Policy, described


def unreachable_passes(policy: Policy, frequency: int) -> list[str]:
    """One sentence per scenario whose min_passes exceeds `frequency` runs."""
    found = []
    for index, bound in enumerate(policy.scenarios):
        if bound.min_passes is None or bound.min_passes <= frequency:
            continue
        which = described(bound.name, bound.scenario_id)
        found.append(
            f"thresholds.scenarios[{index}].min_passes: {bound.min_passes} passes of scenario "
            f"{which} need at least {bound.min_passes} runs, but the configured start places "
            f"{frequency} per scenario (--frequency / CEKURA_FREQUENCY / the frequency input): "
            f"the check can never pass. Start with frequency {bound.min_passes} or more, or "
            "lower min_passes."
        )
    return found


def unreachable_retry(policy: Policy, frequency: int) -> list[str]:
    """A sentence when retry_failed.max_calls is below the calls a retry of one scenario
    places (`frequency`): no retry could ever start."""
    rules = policy.retry_failed
    if rules is None or rules.max_calls >= frequency:
        return []
    return [
        f"retry_failed.max_calls: {rules.max_calls} is fewer than the {frequency} calls a "
        "retry of a single failed scenario places (--frequency / CEKURA_FREQUENCY / the "
        f"frequency input): no retry can ever start. Raise max_calls to {frequency} or more."
    ]
