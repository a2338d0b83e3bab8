"""One value against the baseline's: how far it moved, whether the move is within the bound
(`max_drop`, `max_increase`), and, with `significance`, whether it is significant.

Pure: two numbers (and, for a significance test, what each side measured) -> a regression
Check. gate/judge/compare.py says which values to compare; gate/judge/significance.py runs the
tests (Fisher's exact test on a rate's counts, Mann-Whitney U on per-run values).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import msgspec

from gate.judge.decide import within
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Outcome, Unit
from gate.policy.model import ChangeBound, ScenarioChangeBound


class Sides(msgspec.Struct, frozen=True, gc=False):
    """What a significance test reads on each side: a rate's counts, or per-run values."""

    runs: int
    base_runs: int
    successes: int | None = None  # a rate: Fisher's exact test
    base_successes: int | None = None
    values: Sequence[float] = ()  # otherwise: Mann-Whitney U
    base_values: Sequence[float] = ()

    def p_value(self, *, drop: bool) -> float:
        """The one-sided p-value of this result being lower (`drop`) or higher than the
        baseline."""
        from gate.judge import significance  # only with `significance` set (start-up time)

        if self.successes is not None and self.base_successes is not None:
            now = (self.successes, self.runs)
            before = (self.base_successes, self.base_runs)
            return (
                significance.fisher_less(*now, *before)
                if drop
                else (significance.fisher_less(*before, *now))
            )
        test = significance.mann_whitney_less if drop else significance.mann_whitney_greater
        return test(self.values, self.base_values).p_value


def change_check(
    base: dict[str, object],
    bound: ChangeBound | ScenarioChangeBound,
    now: float | None,
    before: float | None,
    *,
    missing: dict[str, object],
    sides: Callable[[], Sides | None] = lambda: None,
) -> Check:
    """`missing`: what a check missing on either side says (its reason, side...)."""
    significance = bound.significance
    max_drop = bound.max_drop
    max_increase = getattr(bound, "max_increase", None)
    if significance is not None and max_drop is None and max_increase is None:
        max_drop = 0.0  # significance alone: any drop, when significant
    base = base | {
        "level": bound.level,
        "kind": Kind.REGRESSION,
        "unit": base.get("unit", Unit.NUMBER),
        "minimum": None if max_drop is None else -max_drop,
        "maximum": max_increase,
        "significance": significance,
    }
    delta = None if now is None or before is None else now - before
    if delta is None or not math.isfinite(delta):  # inf - inf is nan: never a pass
        return Check(
            **(base | missing),
            outcome=Outcome.MISSING,
            value=now,
            baseline_value=before,
        )
    dropped = max_drop is not None and not within(delta, -max_drop, None)
    rose = max_increase is not None and not within(delta, None, max_increase)
    base |= {"value": now, "baseline_value": before, "change": delta}
    # the failure's sentence ("fell 10 pp, more than the 5 pp allowed") is worded from these
    # numbers in gate/publish/words/wording.py
    if significance is None:
        return Check(**base, outcome=Outcome.FAIL if dropped or rose else Outcome.PASS)
    found = sides()
    if found is None:
        if not (dropped or rose):
            return Check(**base, outcome=Outcome.PASS)
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.SIGNIFICANCE_UNTESTABLE,
        )
    # the side the change went beyond; when within both, the side the bound guards
    drop = dropped or (not rose and max_drop is not None)
    p_value = found.p_value(drop=drop)
    significant = p_value <= significance
    return Check(
        **base,
        outcome=Outcome.FAIL if (dropped or rose) and significant else Outcome.PASS,
        p_value=p_value,
        runs=found.runs,
        baseline_runs=found.base_runs,
        successes=found.successes,
        baseline_successes=found.base_successes,
    )


def rate_sides(now: tuple[int, int] | None, before: tuple[int, int] | None) -> Sides | None:
    """Counts as (successes, runs) on each side; None when either is unknown or empty."""
    if now is None or before is None or not now[1] or not before[1]:
        return None
    return Sides(runs=now[1], base_runs=before[1], successes=now[0], base_successes=before[0])
