"""Infrastructure failures in the verdict: how many runs never tested the agent, the success
rate over the runs that did, and the `infrastructure` check that bounds them.

Which run failed for infrastructure reasons is decided in one place only,
gate/result/failure.py (`classify`); this module counts what it decides. Pure.

Honest both ways: a run the gate cannot tell apart counts as the agent's (failure.py, rule
4), so leaving infrastructure failures out never makes a rate greener than the runs say; and
a result whose every run failed for infrastructure reasons has no rate at all (nothing
tested), never 100%.
"""

from __future__ import annotations

from typing import NamedTuple

from gate.judge.decide import within
from gate.judge.kinds import rate_check
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Level, Outcome, Source, Unit
from gate.policy.model import InfrastructureBound, MinCheck
from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.model import Result


class Connected(NamedTuple):
    """A result's success counts with its infrastructure failures left out."""

    successes: int
    runs: int  # the runs that tested the agent
    excluded: int  # the infrastructure failures left out


def failures(result: Result) -> tuple[int, int] | None:
    """(runs that failed for infrastructure reasons, runs), or None when the result cannot
    say: no runs listed and no `failed_infrastructure_runs` beside the run count."""
    if result.runs or result.runs_listed:
        ids = infrastructure_ids(result.failed_infrastructure_runs)
        infrastructure = FailureKind.INFRASTRUCTURE
        count = sum(1 for run in result.runs if classify(run, ids) is infrastructure)
        return count, result.total_runs
    total = result.reported_total_runs
    listed = result.failed_infrastructure_runs
    if not total or listed is None:
        return None
    count = len(set(listed))
    return (count, total) if count <= total else None  # more failures than runs: no count


def connected(result: Result) -> Connected | None:
    """The success counts over the runs that tested the agent, or None when the result has
    no success counts. Unknown infrastructure failures leave out nothing (the safe side)."""
    counts = result.success_counts
    if counts is None:
        return None
    successes, runs = counts
    found = failures(result)
    excluded = 0 if found is None else min(found[0], runs - successes)
    return Connected(successes, runs - excluded, excluded)


def connected_rate(result: Result) -> tuple[float | None, int | None]:
    """(the success rate over connected runs, the runs left out): (None, n) when every run
    failed for infrastructure reasons; the result's own rate and None when it cannot tell."""
    counts = connected(result)
    if counts is None:
        return result.success_rate, None
    if not counts.runs:
        return None, counts.excluded
    return 100.0 * counts.successes / counts.runs, counts.excluded


def check(result: Result, bound: InfrastructureBound) -> Check:
    """`thresholds.infrastructure`: infrastructure failures at most `max_rate` percent of the
    runs, or at most `max` runs. Not held at its default level, the verdict is "could not
    evaluate" (gate/judge/evaluate.py): the test did not run."""
    as_rate = bound.max_rate is not None
    base = {
        "name": "infrastructure",
        "title": "Infrastructure failures",
        "kind": Kind.INFRASTRUCTURE,
        "unit": Unit.PERCENT if as_rate else Unit.COUNT,
        "maximum": bound.max_rate if as_rate else bound.max,
        "level": bound.level or Level.ERROR,
        "stops_evaluation": bound.level is None,
    }
    found = failures(result)
    if found is None:
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.INFRASTRUCTURE_UNCOUNTED,
        )
    count, runs = found
    if as_rate:
        value = 100.0 * count / runs if runs else 0.0
        ok = within(value, None, bound.max_rate)
    else:
        value = float(count)
        ok = within(value, None, bound.max, tolerance=0)
    return Check(
        **base,
        value=value,
        failures=count,
        runs=runs,
        outcome=Outcome.PASS if ok else Outcome.FAIL,
        reason=None if ok else Reason.INFRASTRUCTURE_FAILED,
    )


def success_rate(result: Result, bound: MinCheck) -> Check | None:
    """The success rate over the runs that tested the agent (`count_infrastructure:
    exclude`), saying how many runs were left out; None when the result has no success
    counts (the caller then judges the rate as reported, leaving nothing out)."""
    counts = connected(result)
    if counts is None:
        return None
    base = {
        "name": "success_rate",
        "title": "Success rate",
        "kind": Kind.SUCCESS_RATE,
        "source": Source.RUNS if result.runs or result.runs_listed else Source.COUNTS,
        "excluded_runs": counts.excluded,
    }
    if not counts.runs:
        return Check(
            **base,
            unit=Unit.PERCENT,
            minimum=bound.min,
            successes=0,
            runs=0,
            confidence=bound.confidence,
            level=bound.level,
            outcome=Outcome.MISSING,
            reason=Reason.ALL_INFRASTRUCTURE,
        )
    return rate_check(
        base,
        successes=counts.successes,
        runs=counts.runs,
        minimum=bound.min,
        level=bound.level,
        confidence=bound.confidence,
        inconclusive_level=bound.inconclusive_level,
        fail_reason=Reason.AGENT_RUNS_FAILED,
    )
