"""The outcome of a gate run as data: checks, their outcomes, and the overall verdict.

A failed threshold is a Verdict, not an exception; the exit code is derived from it in one
place (`Verdict.exit_code`).
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from gate.errors import EXIT_CANNOT_EVALUATE, EXIT_FAIL, EXIT_PASS
from gate.judge.reasons import Absence, Reason, Side, Stop
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
    #: runs that failed for infrastructure reasons (gate/result/failure.py), against
    #: `thresholds.infrastructure`; value: a percent of the runs, or a count
    INFRASTRUCTURE = "infrastructure"
    #: a scenario's passing runs against `min_passes` (subject: the scenario's label)
    SCENARIO_PASSES = "scenario_passes"
    FLAKY = "flaky"  # subject: the scenario's label; `stability`, successes of runs
    QUARANTINE = "quarantine"  # subject: the quarantined label; expired or matched nothing
    #: what the baseline ran that this result did not; subject: "scenarios" or "runs"
    COVERAGE = "coverage"
    BASELINE_AGE = "baseline_age"  # value: the baseline's age in hours; maximum: max_age


class Stability(StrEnum):
    """A scenario with two or more runs in the result: did its runs agree?"""

    STABLE_PASS = "stable_pass"  # every run succeeded
    FLAKY = "flaky"  # some succeeded, some did not
    STABLE_FAIL = "stable_fail"  # no run succeeded

    @classmethod
    def of(cls, passed: int, runs: int) -> Stability | None:
        """None below two runs: one run cannot tell."""
        if runs < 2:
            return None
        if passed == runs:
            return cls.STABLE_PASS
        return cls.STABLE_FAIL if passed == 0 else cls.FLAKY


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
    HOURS = "hours"  # an age (the baseline.age check)


class Interval(msgspec.Struct, frozen=True, gc=False):
    """A Wilson score interval of a rate, in percent."""

    confidence: float  # e.g. 0.95
    low: float
    high: float


class VerdictKind(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # could not evaluate


class Check(msgspec.Struct, frozen=True, gc=False):
    name: str  # stable identifier, e.g. "success_rate" or "rule:Latency"
    title: str  # what a person reads, e.g. "Success rate"
    level: Level
    outcome: Outcome
    #: why it is missing, when the words come from outside the gate (the API's error text);
    #: everything else is worded from `reason`, `absent` and the numbers below
    #: (gate/publish/words/details.py, wording.py)
    detail: str = ""
    #: why it did not hold, or what limits it (gate/judge/reasons.py)
    reason: Reason | None = None
    #: why a metric aggregate or a rubric rule has no value (on `side`, for a regression)
    absent: Absence | None = None
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
    # -- infrastructure failures and metrics that did not apply ----------------------------
    #: a success rate judged on connected runs only (`count_infrastructure: exclude`, and
    #: every success-rate regression), or a flaky check (its stability is decided on them):
    #: the infrastructure failures left out; None: none were
    excluded_runs: int | None = None
    #: for Kind.REGRESSION on the success rate: the baseline's infrastructure failures left out
    baseline_excluded_runs: int | None = None
    #: for Kind.METRIC: the runs where Cekura reported the metric blocked (it did not apply);
    #: `runs` counts the runs it applied to
    not_applicable: int | None = None
    #: for Kind.INFRASTRUCTURE: the failures counted (the value may be their percent) and
    #: whether the check, not held, makes the verdict "could not evaluate" (its default level)
    failures: int | None = None
    stops_evaluation: bool = False
    #: for Kind.FLAKY (and any check on a repeated scenario): whether its runs agreed
    stability: Stability | None = None
    #: a quarantine's last day (YYYY-MM-DD): for Kind.QUARANTINE, the entry's; on a scenario's
    #: own check, the active quarantine that excuses it (its level is then warn)
    until: str = ""
    # -- a regression judged with `significance` (gate/judge/significance.py) --------------
    significance: float | None = None  # as configured, e.g. 0.05
    #: the one-sided p-value of the move beyond the bound (None: not tested)
    p_value: float | None = None
    #: the baseline's side of the test: its runs (and successes, for a rate); this result's
    #: side is `runs` (and `successes`)
    baseline_runs: int | None = None
    baseline_successes: int | None = None
    #: for Kind.COVERAGE scenarios: the scenarios of the baseline this result did not run
    names: tuple[str, ...] = ()
    # -- what the reason's sentence needs besides the numbers above ----------------------
    #: for Reason.TOO_FEW_RUNS: the runs at the observed rate that would decide it (None:
    #: no number would, the rate sits on the threshold)
    runs_needed: int | None = None
    #: for the success rate as reported, not held: the listed runs that did not succeed
    failing_listed: int | None = None
    #: for Kind.RUBRIC_ALL_MET not held: each rule not met, and whether Cekura reported it
    #: so (False: it gave no verdict)
    unmet: tuple[tuple[str, bool], ...] = ()
    #: for a configured scenario's checks: its id, when the config names it by id
    scenario_id: int | None = None
    #: which result lacks the data a comparison (or the coverage) needs
    side: Side | None = None
    #: for Kind.QUARANTINE: the config the entry is in (the fix is made there)
    config: str = ""

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


class ScenarioRow(msgspec.Struct, frozen=True, gc=False):
    """One scenario's outcome in the result (and in the baseline, when there is one)."""

    name: str
    scenario_id: int | None
    runs: int
    passed: int
    baseline_rate: float | None = None  # percent
    check: str = ""  # the name of the scenarios[...] check on it, if any
    outcome: Outcome | None = None  # that check's outcome
    stability: Stability | None = None  # two or more runs: stable pass, flaky, stable fail
    quarantined_until: str = ""  # an active quarantine's last day: its checks do not gate
    #: runs that failed for infrastructure reasons: not passed, and left out of `stability`
    infrastructure: int = 0

    @property
    def agent_runs(self) -> int:
        """The runs that tested the agent: those `stability` was decided on."""
        return self.runs - self.infrastructure

    @property
    def rate(self) -> float:
        return 100.0 * self.passed / self.runs if self.runs else 0.0


class QuarantineState(msgspec.Struct, frozen=True, gc=False):
    """One entry of the config's quarantine list, as it applied to this result."""

    label: str  # the scenario name or id the config gives
    reason: str
    until: str  # YYYY-MM-DD, the last day it applies (UTC)
    active: bool  # today is on or before `until`: the scenario's own checks do not gate
    scenarios: tuple[str, ...] = ()  # the names of the result's scenarios it matched


class Verdict(msgspec.Struct, frozen=True, gc=False):
    kind: VerdictKind
    checks: tuple[Check, ...] = ()
    #: for VerdictKind.ERROR: what happened and what to do about it, when the words come
    #: from outside the judge (the API's error, a usage error); the judge's own reasons are
    #: `stop` (gate/publish/words/wording.py `verdict_reason` words either)
    reason: str = ""
    #: for VerdictKind.ERROR from outside the judge: what kind ("config error", "API error");
    #: a stop's is worded from its code (gate/publish/words/wording.py `error_kind`)
    error_kind: str = ""
    #: why the judge could not evaluate the result, with what its sentence quotes besides
    #: the checks: the result's id and status, and the config the thresholds came from
    stop: Stop | None = None
    result_id: str = ""
    status: str = ""
    config: str = ""
    #: set when the policy has a baseline section
    baseline: BaselineRef | None = None
    #: every scenario of the result, worst first
    scenarios: tuple[ScenarioRow, ...] = ()
    #: every quarantine entry of the config, matched or not, active or expired
    quarantine: tuple[QuarantineState, ...] = ()

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
        quarantine: tuple[QuarantineState, ...] = (),
    ) -> Verdict:
        kind = VerdictKind.FAIL if any(c.blocking for c in checks) else VerdictKind.PASS
        return cls(
            kind=kind,
            checks=checks,
            baseline=baseline,
            scenarios=scenarios,
            quarantine=quarantine,
        )

    @classmethod
    def could_not_evaluate(
        cls, reason: str, *, error_kind: str = "could not evaluate", checks: tuple[Check, ...] = ()
    ) -> Verdict:
        return cls(kind=VerdictKind.ERROR, checks=checks, reason=reason, error_kind=error_kind)

    @classmethod
    def stopped(
        cls,
        stop: Stop,
        *,
        result_id: str = "",
        status: str = "",
        config: str = "",
        checks: tuple[Check, ...] = (),
    ) -> Verdict:
        """Could not evaluate, for a reason of the judge's own (worded in gate/publish)."""
        return cls(
            kind=VerdictKind.ERROR,
            checks=checks,
            stop=stop,
            result_id=result_id,
            status=status,
            config=config,
        )
