"""Aggregates over a result's runs: metric values by name, and outcomes by scenario.

Pure, linear in the number of runs: `metric_samples` walks the runs once and collects every
metric's values (so ten thresholds do not mean ten passes over 10,000 runs); aggregations
then sort one metric's values at most once.

Metric values come from the runs (`evaluation.metrics[]`, and `expected_outcome.score` as
the metric `expected_outcome`). When no run carries a value for a metric, Cekura's own
`overall_evaluation` summary is used for what it can answer (mean, p50/p90/p95, and the pass
rate of a binary metric, from its 0-5 average).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import msgspec

from gate.judge.reasons import Absence, Absent
from gate.judge.verdict import Stability
from gate.result.failure import FailureKind, classify
from gate.result.model import MetricSummary, Result, Run
from gate.result.names import EXPECTED_OUTCOME, key

PERCENTILES = {"p50": 0.50, "p90": 0.90, "p95": 0.95}
#: the name (by `key`) under which the Expected Outcome score (0-100 per run) is gated:
#: `expected_outcome` or "Expected Outcome" in a config
EXPECTED_OUTCOME_KEY = EXPECTED_OUTCOME


class Sample(msgspec.Struct):
    """One metric's values over the runs."""

    name: str  # as the payload spells it (first seen)
    values: list[float] = msgspec.field(default_factory=list)
    passed: int = 0  # binary: runs where it passed
    judged: int = 0  # binary: runs where it passed or failed
    binary: bool = False
    blocked: int = 0  # runs where Cekura reported it blocked (it did not apply)


class Aggregate(msgspec.Struct, frozen=True, gc=False):
    """The value of one aggregation, or why there is none."""

    value: float | None  # in the metric's unit; pass_rate in percent
    runs: int = 0  # how many runs it was computed from (0: from Cekura's summary)
    successes: int = 0  # pass_rate: runs that passed
    source: str = "runs"  # runs | summary
    absent: Absence | None = None  # why value is None
    #: runs where the metric was blocked (did not apply), left out of `runs` and the value
    not_applicable: int = 0


def metric_samples(result: Result) -> dict[str, Sample]:
    """Every metric's per-run values, keyed by `key(name)`; one pass over the runs."""
    samples: dict[str, Sample] = {}
    #: each name as the API spells it -> its sample: a few names, spelled on every run
    spelled: dict[str, Sample] = {}
    outcome = Sample(name="Expected Outcome", binary=False)
    for run in result.runs:
        if run.expected_outcome_score is not None:
            outcome.values.append(run.expected_outcome_score)
            outcome.judged += 1
            outcome.passed += run.expected_outcome_score >= 100
        for metric in run.metrics:
            sample = spelled.get(metric.name)
            if sample is None:
                name = key(metric.name)
                sample = samples.get(name)
                if sample is None:
                    sample = samples[name] = Sample(name=metric.name)
                spelled[metric.name] = sample
            if metric.blocked:
                sample.blocked += 1
                continue
            if metric.value is not None:
                sample.values.append(metric.value)
            if metric.passed is not None:
                sample.binary = True
                sample.judged += 1
                sample.passed += metric.passed
    if outcome.values:
        samples[EXPECTED_OUTCOME_KEY] = outcome
    return samples


def aggregate(
    result: Result, samples: dict[str, Sample], metric: str, aggregation: str
) -> Aggregate:
    """`aggregation` of `metric` over the runs, else from Cekura's summary, else missing."""
    wanted = key(metric)
    is_outcome = wanted == EXPECTED_OUTCOME_KEY
    sample = samples.get(wanted)
    from_runs = _from_sample(sample, aggregation, is_outcome) if sample is not None else None
    if from_runs is not None and (from_runs.value is not None or from_runs.not_applicable):
        # A metric blocked on some runs is judged on the runs it applied to, never on
        # Cekura's summary: one that applied to none is missing, not the summary's average.
        return from_runs
    summary = next((s for s in result.metric_summary if key(s.name) == wanted), None)
    from_summary = _from_summary(summary, aggregation) if summary is not None else None
    if from_summary is not None and from_summary.value is not None:
        return from_summary
    if from_runs is not None:
        return from_runs
    if from_summary is not None:
        return from_summary
    why = Absent.NO_OUTCOME_SCORE if is_outcome else Absent.NOT_REPORTED
    return Aggregate(None, absent=Absence(why, metric))


def _from_sample(sample: Sample, aggregation: str, is_outcome: bool) -> Aggregate:
    found = _aggregate_sample(sample, aggregation, is_outcome)
    if not sample.blocked:
        return found
    if found.value is None and not (sample.judged or sample.values):
        return Aggregate(
            None,
            not_applicable=sample.blocked,
            absent=Absence(Absent.BLOCKED, sample.name, runs=sample.blocked),
        )
    return msgspec.structs.replace(found, not_applicable=sample.blocked)


def _aggregate_sample(sample: Sample, aggregation: str, is_outcome: bool) -> Aggregate:
    if aggregation == "pass_rate":
        # binary metrics count passes; the expected outcome counts runs that scored 100
        if is_outcome or sample.binary:
            judged, passed = sample.judged, sample.passed
        else:
            return Aggregate(None, absent=Absence(Absent.NOT_PASS_FAIL, sample.name))
        if not judged:
            return Aggregate(None, absent=Absence(Absent.NO_PASS_FAIL_VALUE, sample.name))
        return Aggregate(100.0 * passed / judged, runs=judged, successes=passed)
    values = sample.values
    if not values:
        absent = Absence(Absent.NO_NUMERIC_VALUE, sample.name, binary=sample.binary)
        return Aggregate(None, absent=absent)
    try:
        if aggregation == "mean":
            value = math.fsum(values) / len(values)
        elif aggregation == "min":
            value = min(values)
        elif aggregation == "max":
            value = max(values)
        else:
            value = percentile(sorted(values), PERCENTILES[aggregation])
    except OverflowError:  # fsum of values near the float limit (1e308 + 1e308)
        value = math.inf
    if not math.isfinite(value):
        return Aggregate(
            None,
            absent=Absence(Absent.TOO_LARGE, sample.name, aggregation),
        )
    return Aggregate(value, runs=len(values))


def _from_summary(summary: MetricSummary, aggregation: str) -> Aggregate:
    percentiles = dict(summary.percentiles)
    value: float | None = None
    if aggregation == "mean":
        value = summary.score
    elif aggregation in percentiles:
        value = percentiles[aggregation]
    elif aggregation == "pass_rate" and summary.kind == "binary" and summary.score is not None:
        # Cekura summarises a binary metric as its average on the 0-5 scale (5 = pass). An
        # average off that scale contradicts itself, like a rate above 100: it is no rate.
        if not -1e-9 <= summary.score <= 5 + 1e-9:
            return Aggregate(
                None,
                source="summary",
                absent=Absence(Absent.SUMMARY_OFF_SCALE, summary.name, score=summary.score),
            )
        value = min(100.0, max(0.0, summary.score * 20))
    if value is None:
        return Aggregate(
            None,
            source="summary",
            absent=Absence(Absent.SUMMARY_LACKS, summary.name, aggregation),
        )
    return Aggregate(value, source="summary")


def percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC)."""
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- scenarios -----------------------------------------------------------------------------


class ScenarioStats(msgspec.Struct, gc=False):
    name: str
    scenario_id: int | None
    runs: int = 0
    passed: int = 0
    #: runs that failed for infrastructure reasons (gate/result/failure.py): they never
    #: tested the agent, so they count as not passed but say nothing of its consistency
    infrastructure: int = 0

    @property
    def rate(self) -> float:
        return 100.0 * self.passed / self.runs if self.runs else 0.0

    @property
    def agent_runs(self) -> int:
        """The runs that tested the agent."""
        return self.runs - self.infrastructure

    @property
    def stability(self) -> Stability | None:
        """Whether the runs that tested the agent agreed: a call that never connected does
        not make a scenario flaky."""
        return Stability.of(self.passed, self.agent_runs)


def scenario_stats(
    runs: Iterable[Run], infrastructure_ids: frozenset[str] = frozenset()
) -> list[ScenarioStats]:
    """Runs grouped by scenario (its id, else its name), in order of first appearance.
    `infrastructure_ids`: the result's `failed_infrastructure_runs`."""
    groups: dict[object, ScenarioStats] = {}
    for run in runs:
        group_key: object = (
            run.scenario_id if run.scenario_id is not None else key(run.scenario_name)
        )
        stats = groups.get(group_key)
        if stats is None:
            stats = groups[group_key] = ScenarioStats(run.scenario_name, run.scenario_id)
        stats.runs += 1
        if run.success is True:
            stats.passed += 1
        elif classify(run, infrastructure_ids) is FailureKind.INFRASTRUCTURE:
            stats.infrastructure += 1
    return list(groups.values())


def find_scenario(
    stats: list[ScenarioStats], *, name: str | None = None, scenario_id: int | None = None
) -> ScenarioStats | None:
    """The scenario with that id, or with that name (case-insensitive); several with the same
    name (different ids) are pooled."""
    if scenario_id is not None:
        return next((s for s in stats if s.scenario_id == scenario_id), None)
    wanted = key(name or "")
    matches = [s for s in stats if key(s.name) == wanted]
    if len(matches) <= 1:
        return matches[0] if matches else None
    pooled = ScenarioStats(matches[0].name, None)
    for match in matches:
        pooled.runs += match.runs
        pooled.passed += match.passed
    return pooled
