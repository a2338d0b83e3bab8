"""The outcome of a gate run as data: checks, their outcomes, and the overall verdict.

A failed threshold is a Verdict, not an exception; the exit code is derived from it in one
place (`Verdict.exit_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gate.errors import EXIT_CANNOT_EVALUATE, EXIT_FAIL, EXIT_PASS
from gate.policy.level import Level  # its own module (see there); still importable from here
from gate.result.model import BaselineRef


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"  # the data the check needs is not in the result
    #: a rate judged with a confidence interval that straddles the threshold: too few runs
    #: to tell; its level is the check's inconclusive_level (default warn)
    INCONCLUSIVE = "inconclusive"
    #: the gate decided early (the result could no longer pass) before this check's data
    #: existed: not a pass, and not a failure of its own (gate/judge/early.py)
    NOT_REACHED = "not_reached"


class Kind(StrEnum):
    """What a check measures; the table of kinds is `gate.judge.measure.MEASURES`."""

    MIN_RUNS = "min_runs"
    SUCCESS_RATE = "success_rate"
    FAILED_RUNS = "failed_runs"  # subject: "workflow" or "infrastructure"
    RUBRIC_RULE = "rubric_rule"  # subject: the rubric rule's metric
    RUBRIC_ALL_MET = "rubric_all_met"
    SCENARIO = "scenario"  # subject: the scenario's label (its id, or its name)
    METRIC = "metric"  # subject: the metric; aggregation: p90, mean, pass_rate...
    BASELINE = "baseline"  # was the baseline found
    REGRESSION = "regression"  # `measures` on the result against the baseline


class Source(StrEnum):
    """Where a check's value came from."""

    RUNS = "runs"  # counted from the runs the result lists
    COUNTS = "counts"  # Cekura's reported run counts, the runs not listed
    SUMMARY = "summary"  # Cekura's metric summary


class Unit(StrEnum):
    """The unit of a check's value. A change of a percent is in percentage points."""

    PERCENT = "percent"
    COUNT = "count"
    SCORE = "score"  # a rubric rule's aggregated value
    NUMBER = "number"  # a metric aggregate the API gives no unit for
    NONE = "none"  # nothing measured (the baseline check)


@dataclass(frozen=True, slots=True)
class Interval:
    """A Wilson score interval of a rate, in percent."""

    confidence: float  # e.g. 0.95
    low: float
    high: float


class VerdictKind(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # could not evaluate


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # stable identifier, e.g. "success_rate" or "rule:Latency"
    title: str  # what a person reads, e.g. "Success rate"
    level: Level
    outcome: Outcome
    #: why it failed / what to do, one sentence; the threshold, the actual value and a
    #: regression's failure are worded from the numbers below (gate/publish/wording.py)
    detail: str = ""
    # -- the numbers the check measured (scripts read these from the JSON report) --------
    kind: Kind | None = None
    #: which rule, metric, scenario or run class it came from ("" when the kind says it all)
    subject: str = ""
    aggregation: str = ""  # for Kind.METRIC
    #: for Kind.REGRESSION: the kind measured on both results
    measures: Kind | None = None
    value: float | None = None  # None when missing
    unit: Unit = Unit.NONE
    #: the bounds on `value`; for Kind.REGRESSION on `change` (min = -max_drop)
    minimum: float | None = None
    maximum: float | None = None
    successes: int | None = None  # a rate: successes of runs
    runs: int | None = None
    confidence: float | None = None  # as configured, e.g. 0.95
    interval: Interval | None = None  # when a Wilson interval was computed
    baseline_value: float | None = None
    change: float | None = None  # value - baseline_value
    source: Source = Source.RUNS
    #: for Kind.FAILED_RUNS: the ids of the failed runs, in the result's order
    run_ids: tuple[str, ...] = ()
    #: for Kind.RUBRIC_ALL_MET missing: the rubric rules are there but could not be read
    unreadable: bool = False
    #: for Kind.BASELINE: the baseline looked up (found or not)
    baseline: BaselineRef | None = None

    @property
    def held(self) -> bool:
        return self.outcome is Outcome.PASS

    @property
    def blocking(self) -> bool:
        """A check that makes the gate fail: not held, at error level (one not reached
        does not: the checks that were lost made the verdict)."""
        return not self.held and self.level is Level.ERROR and not self.not_reached

    @property
    def warning(self) -> bool:
        return not self.held and self.level is Level.WARN and not self.not_reached

    @property
    def not_reached(self) -> bool:
        return self.outcome is Outcome.NOT_REACHED


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """One scenario's outcome in the result (and in the baseline, when there is one)."""

    name: str
    scenario_id: int | None
    runs: int
    passed: int
    baseline_rate: float | None = None  # percent
    check: str = ""  # the name of the scenarios[...] check on it, if any
    outcome: Outcome | None = None  # that check's outcome

    @property
    def rate(self) -> float:
        return 100.0 * self.passed / self.runs if self.runs else 0.0


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: VerdictKind
    checks: tuple[Check, ...] = ()
    #: for VerdictKind.ERROR: what happened and what to do about it
    reason: str = ""
    error_kind: str = ""
    #: set when the policy has a baseline section
    baseline: BaselineRef | None = None
    #: every scenario of the result, worst first
    scenarios: tuple[ScenarioRow, ...] = ()

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.blocking)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.warning)

    @property
    def exit_code(self) -> int:
        return {
            VerdictKind.PASS: EXIT_PASS,
            VerdictKind.FAIL: EXIT_FAIL,
            VerdictKind.ERROR: EXIT_CANNOT_EVALUATE,
        }[self.kind]

    @classmethod
    def from_checks(
        cls,
        checks: tuple[Check, ...],
        *,
        baseline: BaselineRef | None = None,
        scenarios: tuple[ScenarioRow, ...] = (),
    ) -> Verdict:
        kind = VerdictKind.FAIL if any(c.blocking for c in checks) else VerdictKind.PASS
        return cls(kind=kind, checks=checks, baseline=baseline, scenarios=scenarios)

    @classmethod
    def could_not_evaluate(
        cls, reason: str, *, error_kind: str = "could not evaluate", checks: tuple[Check, ...] = ()
    ) -> Verdict:
        return cls(kind=VerdictKind.ERROR, checks=checks, reason=reason, error_kind=error_kind)
