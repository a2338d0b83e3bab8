"""The table of check kinds that measure a number, and how each measures it on a result.

A check records what it measured (`Check.kind`, `subject`, `aggregation`); measuring the same
kind on the baseline gives the value a change is computed from, so comparing with a baseline
never has to read a check's name.
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.aggregate import Sample, ScenarioStats, aggregate, find_scenario, scenario_stats
from gate.judge.infrastructure import connected_rate
from gate.judge.names import find_rule
from gate.judge.verdict import Check, Kind
from gate.policy.model import ScenarioBound
from gate.result.model import Result

Samples = Callable[[Result], dict[str, Sample]]


class Measure:
    """What a check measured, ready to be measured again on another result."""

    __slots__ = ("agent_only", "aggregation", "kind", "scenarios", "stats", "subject")

    def __init__(
        self,
        check: Check,
        scenarios: tuple[ScenarioBound, ...] = (),
        stats: Callable[[Result], list[ScenarioStats]] | None = None,
    ) -> None:
        self.kind = check.kind
        self.subject = check.subject
        self.aggregation = check.aggregation
        #: a success rate over connected runs (its infrastructure failures left out)
        self.agent_only = check.excluded_runs is not None
        self.scenarios = scenarios  # the configured scenario bounds, to find one by its label
        #: a result's scenario statistics (the caller shares one pass over the runs)
        self.stats = stats or (lambda result: scenario_stats(result.runs))


def _success_rate(result: Result, what: Measure, samples: Samples) -> float | None:
    if what.agent_only:  # compared as it was judged: both sides without infrastructure failures
        return connected_rate(result)[0]
    return result.success_rate


def _failed_runs(result: Result, what: Measure, samples: Samples) -> float | None:
    ids = getattr(result, f"failed_{what.subject}_runs")
    return None if ids is None else len(ids)


def _rubric_rule(result: Result, what: Measure, samples: Samples) -> float | None:
    rule = find_rule(result.performance_metrics or (), what.subject)
    return rule.value if rule is not None else None


def _scenario(result: Result, what: Measure, samples: Samples) -> float | None:
    bound = next((b for b in what.scenarios if b.label == what.subject), None)
    if bound is None:
        return None
    found = find_scenario(
        what.stats(result), name=bound.name or None, scenario_id=bound.scenario_id
    )
    return found.rate if found is not None and found.runs else None


def _metric(result: Result, what: Measure, samples: Samples) -> float | None:
    return aggregate(result, samples(result), what.subject, what.aggregation).value


#: the kinds a baseline can be compared on, and how each is measured on a result
MEASURES: dict[Kind, Callable[[Result, Measure, Samples], float | None]] = {
    Kind.SUCCESS_RATE: _success_rate,
    Kind.FAILED_RUNS: _failed_runs,
    Kind.RUBRIC_RULE: _rubric_rule,
    Kind.SCENARIO: _scenario,
    Kind.METRIC: _metric,
}


def measure(result: Result, what: Measure, samples: Samples) -> float | None:
    """The value of `what` on `result`; None when the kind has no number or it is missing."""
    how = MEASURES.get(what.kind) if what.kind is not None else None
    return how(result, what, samples) if how is not None else None
