"""The Result the gate judges: typed, normalised, and read from the API by parsing.py.

Counts the API types as strings are ints here, `success_rate` is a percent, and "could not
read" is kept distinct from "absent" and from "empty" (None versus ()).

Frozen msgspec Structs rather than frozen dataclasses: the parser builds one per run and per
metric read (tens of thousands for a large result), and a Struct is built about 20 times
faster than a frozen dataclass (whose __init__ sets each field through object.__setattr__),
holds no __dict__, and is left alone by the cyclic collector (gc=False: these objects hold
no cycles). They compare, hash and print as the dataclasses did; msgspec.structs.replace
makes a changed copy."""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from gate.result.excerpt import Turn
from gate.result.notes import Note
from gate.result.status import TERMINAL_STATUSES

DASHBOARD_URL = "https://dashboard.cekura.ai"


class MetricValue(msgspec.Struct, frozen=True, gc=False):
    """One metric's value on one run (from `evaluation.metrics[]`)."""

    name: str
    value: float | None  # numeric score/value; binary legacy 0/5 kept as given
    passed: bool | None  # binary metrics: canonical `passed` or legacy score 5/0
    explanation: str = ""  # kept for a failed metric (passed is False) only: shown for it alone
    kind: str = ""  # binary | numeric | continuous_qualitative | enum | "" (not said)
    #: Cekura reported the metric blocked on this run (its trigger never fired): it did not
    #: apply, so it has no value and no pass/fail, and aggregates and pass rates leave it out
    blocked: bool = False


class Run(msgspec.Struct, frozen=True, gc=False):
    id: str
    scenario_id: int | None
    scenario_name: str
    status: str
    success: bool | None  # None: the API did not say (errored runs)
    error_message: str = ""
    expected_outcome_score: float | None = None
    expected_outcome_explanation: str = ""
    duration: str = ""
    recording_url: str = ""
    metrics: tuple[MetricValue, ...] = ()
    run_url: str = ""  # a link to the run, when the payload has one
    #: the transcript turns worth showing, for runs whose success is not true only
    excerpt: tuple[Turn, ...] = ()
    #: why the call ended (`metadata.ended_reason`), for runs whose success is not true only
    ended_reason: str = ""
    #: what the API sent in place of this run when it was not an object ("null", "str",
    #: "list"...): the run could not be read, so it counts as one that did not succeed
    unreadable: str = ""


class RubricRule(msgspec.Struct, frozen=True, gc=False):
    """One entry of `performance_metrics`: a rubric rule's aggregate over the runs."""

    metric: str
    value: float | None
    met: bool | None
    conditions: str = ""


class MetricSummary(msgspec.Struct, frozen=True, gc=False):
    """One metric of `overall_evaluation` (metric_summary, numeric_metrics, extra_metrics)."""

    name: str
    kind: str  # as for MetricValue
    score: float | None  # the mean over the runs (binary and 0-5 metrics: a 0-5 average)
    percentiles: tuple[tuple[str, float], ...] = ()  # (("p50", 812.0), ...)


class Result(msgspec.Struct, frozen=True, gc=False):
    id: str
    name: str
    status: str
    agent: str = ""
    project: str = ""
    created_at: str = ""
    runs: tuple[Run, ...] = ()
    #: runs reported by the counts (used when the payload omits the runs themselves)
    reported_total_runs: int | None = None
    reported_success_runs: int | None = None
    completed_runs: int | None = None
    #: as reported by the API, converted to percent; None when absent
    reported_success_rate: float | None = None
    #: None = not measured (metric not attached); () = measured, no failures
    failed_workflow_runs: tuple[str, ...] | None = None
    failed_infrastructure_runs: tuple[str, ...] | None = None
    #: None = the result carries no rubric rules; see performance_metrics_error
    performance_metrics: tuple[RubricRule, ...] | None = None
    performance_metrics_error: str = ""
    failed_reasons: tuple[str, ...] = ()
    ai_summary: str = ""
    notes: tuple[Note, ...] = ()  # what reading the result had to decide, for the report
    #: Cekura's own per-metric aggregates; used when the runs carry no values for a metric
    metric_summary: tuple[MetricSummary, ...] = ()
    #: the payload has a `runs` key (even an empty one): then the listed runs decide, and
    #: only the runs the counts promise beyond them are added, as runs that did not succeed
    runs_listed: bool = False

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def total_runs(self) -> int:
        """The runs listed, or the count reported when more runs were counted than listed."""
        if self.runs or self.runs_listed:
            return max(len(self.runs), self.reported_total_runs or 0)
        return self.reported_total_runs or 0

    @property
    def success_counts(self) -> tuple[int, int] | None:
        """(runs that succeeded, runs), the numbers every success-rate check judges.

        From the runs whenever the payload lists them (even an empty list): a run counted but
        not listed has not been seen to succeed, so it counts against the rate. From the
        counts only when there is no `runs` key at all, and never when they contradict each
        other (more successes than runs). None when there is nothing to count.
        """
        if self.runs or self.runs_listed:
            total = self.total_runs
            if not total:
                return None
            return sum(1 for r in self.runs if r.success is True), total
        total, success = self.reported_total_runs, self.reported_success_runs
        if total and success is not None and success <= total:
            return success, total
        return None

    @property
    def success_rate(self) -> float | None:
        """Percent of runs with success=true (see `success_counts`); the reported rate only
        when the payload has neither runs nor both counts."""
        counts = self.success_counts
        if counts is not None:
            return 100.0 * counts[0] / counts[1]
        if self.runs or self.runs_listed:
            return None  # listed runs decide; a rate reported beside none is not believed
        total, success = self.reported_total_runs, self.reported_success_runs
        if total and success is not None:
            return None  # counts that contradict each other: the reported rate is no better
        return self.reported_success_rate

    @property
    def failing_runs(self) -> tuple[Run, ...]:
        return tuple(r for r in self.runs if r.success is not True)

    @property
    def url(self) -> str:
        if not self.id:
            return ""
        # Both come from the API: quoted, so a hostile value cannot bend the link or output.
        result_id = quote(self.id.strip(), safe="")
        if self.project:
            return f"{DASHBOARD_URL}/{quote(self.project.strip(), safe='')}/results/{result_id}"
        return f"{DASHBOARD_URL}/results/{result_id}"


class BaselineRef(msgspec.Struct, frozen=True, gc=False):
    """The result the checks were compared with, or why there is none."""

    found: bool
    how: str  # how it was looked for, e.g. "the latest completed result of agent 7"
    id: str = ""
    name: str = ""
    created_at: str = ""
    url: str = ""
    reason: str = ""  # not found: why


class Baseline(msgspec.Struct, frozen=True, gc=False):
    how: str  # "result 1234", "the latest completed result of agent 7 named like 'nightly*'"
    result: Result | None = None
    reason: str = ""  # when result is None: why

    @property
    def ref(self) -> BaselineRef:
        if self.result is None:
            return BaselineRef(found=False, how=self.how, reason=self.reason)
        return BaselineRef(
            found=True,
            how=self.how,
            id=self.result.id,
            name=self.result.name,
            created_at=self.result.created_at,
            url=self.result.url,
        )
