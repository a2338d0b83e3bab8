"""The policy a config describes: thresholds, levels, the baseline and regression bounds.

Frozen msgspec Structs rather than frozen dataclasses: their classes are built in C on every
start that reads a config, about 10 ms sooner (README, start-up)."""

from __future__ import annotations

import msgspec

from gate.policy.level import Level
from gate.result.names import key


def described(name: str, scenario_id: int | None) -> str:
    """How a message names a configured scenario: "id 11541" or "'Book appointment'"."""
    return f"id {scenario_id}" if scenario_id is not None else f"'{name}'"


class MinCheck(msgspec.Struct, frozen=True, gc=False):
    min: float
    level: Level = Level.ERROR
    #: judge the rate by its Wilson score interval at this confidence (None: the rate itself)
    confidence: float | None = None
    #: the level of an inconclusive verdict (the interval straddles the threshold)
    inconclusive_level: Level = Level.WARN
    #: success_rate only: `as_failure` (an infrastructure failure counts against the rate)
    #: or `exclude` (the rate is over the runs that tested the agent)
    count_infrastructure: str = "as_failure"


class InfrastructureBound(msgspec.Struct, frozen=True, gc=False):
    """`thresholds.infrastructure`: how many runs may fail for infrastructure reasons, as a
    percent of the runs (`max_rate`) or a count (`max`); exactly one is set."""

    max_rate: float | None = None
    max: int | None = None
    #: None (the default): above the bound the verdict is "could not evaluate" (exit 3)
    level: Level | None = None


class MaxCheck(msgspec.Struct, frozen=True, gc=False):
    max: int
    level: Level = Level.ERROR


class RuleBound(msgspec.Struct, frozen=True, gc=False):
    metric: str
    min: float | None = None
    max: float | None = None
    level: Level = Level.ERROR


class RubricPolicy(msgspec.Struct, frozen=True, gc=False):
    require_all_met: bool = False
    level: Level = Level.ERROR
    rules: tuple[RuleBound, ...] = ()
    #: the default policy checks the rubric only where the result has one
    only_if_present: bool = False


class BaselinePolicy(msgspec.Struct, frozen=True, gc=False):
    """Which earlier result the checks compare with; exactly one way of finding it is set."""

    result_id: str = ""
    result_file: str = ""
    latest_completed: bool = False
    agent_id: str = ""  # latest_completed: whose results (default: the result's own agent)
    name_pattern: str = ""  # latest_completed: a glob on the result name, case-insensitive
    when_missing: Level = Level.ERROR
    max_results: int = 200  # latest_completed: how many list entries to look through
    #: a baseline older than this (`max_age`, e.g. "7d", in hours) is reported at `when_older`
    max_age: str = ""
    max_age_hours: float | None = None
    when_older: Level = Level.WARN


class ChangeBound(msgspec.Struct, frozen=True, gc=False):
    """A regression bound: how far a value may move from the baseline's."""

    metric: str  # "success_rate", a rubric metric, or a metric name
    aggregation: str = ""  # for regression.metrics only
    max_increase: float | None = None
    max_drop: float | None = None
    level: Level = Level.ERROR
    #: fail only when the move is also significant: a one-sided p-value at most this
    #: (gate/judge/significance.py); None: the move alone decides
    significance: float | None = None


class ScenarioChangeBound(msgspec.Struct, frozen=True, gc=False):
    """How far one scenario's success rate may drop below the same scenario's in the baseline."""

    name: str = ""
    scenario_id: int | None = None
    max_drop: float | None = None
    significance: float | None = None
    level: Level = Level.ERROR

    @property
    def label(self) -> str:
        return str(self.scenario_id) if self.scenario_id is not None else self.name


class RegressionPolicy(msgspec.Struct, frozen=True, gc=False):
    success_rate: ChangeBound | None = None
    rules: tuple[ChangeBound, ...] = ()
    metrics: tuple[ChangeBound, ...] = ()
    scenarios: tuple[ScenarioChangeBound, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.success_rate or self.rules or self.metrics or self.scenarios)


class CoveragePolicy(msgspec.Struct, frozen=True, gc=False):
    """What this result must still run of what the baseline ran."""

    missing_scenarios: Level = Level.ERROR  # the level of `coverage.scenarios`
    #: most the run count may fall below the baseline's, in percent (None: not checked)
    max_run_drop: float | None = None
    level: Level = Level.ERROR  # the level of `coverage.runs`


class ScenarioBound(msgspec.Struct, frozen=True, gc=False):
    """Bounds on one scenario, by name or by id: a success-rate floor, a number of passing
    runs (`min_passes`, "at least k of n"), and how its flakiness gates (`flaky_level`, None:
    `Policy.flaky`). Each bound set is a check of its own; all of them must hold."""

    min_success_rate: float | None = None
    name: str = ""
    scenario_id: int | None = None
    level: Level = Level.ERROR
    confidence: float | None = None
    inconclusive_level: Level = Level.WARN
    min_passes: int | None = None
    flaky_level: Level | None = None

    @property
    def label(self) -> str:
        return str(self.scenario_id) if self.scenario_id is not None else self.name


class MetricBound(msgspec.Struct, frozen=True, gc=False):
    """Bounds on an aggregation of a metric's per-run values."""

    metric: str
    aggregation: str  # mean | min | max | p50 | p90 | p95 | pass_rate
    min: float | None = None
    max: float | None = None
    level: Level = Level.ERROR
    confidence: float | None = None  # pass_rate only
    inconclusive_level: Level = Level.WARN


class FlakyPolicy(msgspec.Struct, frozen=True, gc=False):
    """What a flaky scenario (some runs passed, some failed) does: a warning by default, never
    nothing. `configured`: the config says so, and then a result without a repeated scenario
    is reported as such (flakiness could not be told)."""

    level: Level = Level.WARN
    configured: bool = False


class QuarantineEntry(msgspec.Struct, frozen=True, gc=False):
    """A scenario reported but not gated on until `until` (inclusive, a UTC date)."""

    reason: str
    until: str  # YYYY-MM-DD
    name: str = ""
    scenario_id: int | None = None

    @property
    def label(self) -> str:
        return str(self.scenario_id) if self.scenario_id is not None else self.name


class RetryPolicy(msgspec.Struct, frozen=True, gc=False):
    """`retry_failed`: after a run the gate started was judged a fail, start up to `times`
    more runs of only the scenarios that failed, placing at most `max_calls` calls in all,
    and judge every run together (gate/result/combine.py)."""

    times: int = 1
    max_calls: int = 20


class Policy(msgspec.Struct, frozen=True, gc=False):
    source: str  # the file it came from, or "default policy"
    min_runs: int = 1
    evaluate_statuses: frozenset[str] = frozenset({"completed"})
    success_rate: MinCheck | None = None
    failed_workflow_runs: MaxCheck | None = None
    failed_infrastructure_runs: MaxCheck | None = None
    performance_metrics: RubricPolicy = RubricPolicy()
    baseline: BaselinePolicy | None = None
    regression: RegressionPolicy = RegressionPolicy()
    coverage: CoveragePolicy | None = None
    scenarios: tuple[ScenarioBound, ...] = ()
    metrics: tuple[MetricBound, ...] = ()
    infrastructure: InfrastructureBound | None = None
    flaky: FlakyPolicy = FlakyPolicy()
    quarantine: tuple[QuarantineEntry, ...] = ()
    #: None: a failed run is judged as it is, nothing is retried
    retry_failed: RetryPolicy | None = None

    @property
    def metric_names(self) -> frozenset[str]:
        """The metrics whose per-run values a check reads (metric aggregates, on this result
        or against the baseline), by gate.result.names.key."""
        return frozenset(key(b.metric) for b in (*self.metrics, *self.regression.metrics))


DEFAULT_POLICY = Policy(
    source="default policy",
    success_rate=MinCheck(min=100),
    performance_metrics=RubricPolicy(require_all_met=True, only_if_present=True),
)
