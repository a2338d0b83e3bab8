"""Why a check did not hold (or what limits it), as a code: the judge says which, with the
numbers on the `Check`; gate/publish/words/details.py words each one, so that every report, comment,
annotation and log reads the same sentence.

Why the judge stopped short of a pass or a fail ("could not evaluate") is a `Stop`, on the
`Verdict` with the few identifiers its sentence quotes; gate/publish/words/stops.py words it.

Why a metric aggregate (or a rubric rule) has no value is an `Absence`: the code and the
names the sentence quotes as the result spells them. A reason whose words come from outside
the gate (the API's own error text) travels as `Check.detail` instead.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Reason(StrEnum):
    # -- a rate (success rate, scenario floor, pass_rate) ------------------------------------
    #: some runs did not succeed: `runs - successes`, or `failing_listed` for the rate as
    #: reported
    RUNS_FAILED = "runs_failed"
    #: the same, counted over the runs that tested the agent (infrastructure failures out)
    AGENT_RUNS_FAILED = "agent_runs_failed"
    #: some runs of one scenario did not succeed
    SCENARIO_RUNS_FAILED = "scenario_runs_failed"
    #: the Wilson interval lies wholly beyond the bound (nothing more to say)
    INTERVAL_BEYOND = "interval_beyond"
    #: the interval contains the threshold: `runs_needed` runs at this rate would decide it
    TOO_FEW_RUNS = "too_few_runs"
    #: a pass_rate with `confidence` from Cekura's summary: no counts, no interval
    SUMMARY_NO_INTERVAL = "summary_no_interval"
    #: the result has neither runs nor a success_rate
    NO_SUCCESS_RATE = "no_success_rate"
    #: every run failed for infrastructure reasons (`excluded_runs` of them): no rate
    ALL_INFRASTRUCTURE = "all_infrastructure"
    # -- decided while the result runs (gate/judge/early.py) ------------------------------
    #: at best `successes` of `runs` can still succeed
    AT_BEST = "at_best"
    #: `value` failed runs already, more than `maximum`
    ALREADY_TOO_MANY = "already_too_many"
    # -- failed runs, infrastructure, rubric rules ---------------------------------------
    #: the result reports null: the metric that counts them is not attached (`subject`)
    METRIC_NOT_ATTACHED = "metric_not_attached"
    #: too many infrastructure failures
    INFRASTRUCTURE_FAILED = "infrastructure_failed"
    #: the result lists no runs and no failed_infrastructure_runs: nothing to count
    INFRASTRUCTURE_UNCOUNTED = "infrastructure_uncounted"
    #: the result has no performance_metrics
    NO_RUBRIC = "no_rubric"
    #: rubric rules not met (`unmet`)
    RULES_NOT_MET = "rules_not_met"
    #: no rubric rule for the metric `subject`
    NO_RULE = "no_rule"
    # -- scenarios run more than once -----------------------------------------------------
    #: no run of the scenario (`subject`, `scenario_id`) in the result (`side`: or baseline)
    NO_RUNS_OF_SCENARIO = "no_runs_of_scenario"
    #: fewer runs than min_passes (`runs`, `minimum`)
    TOO_FEW_REPEATS = "too_few_repeats"
    #: no scenario has two or more runs
    NO_REPEATS = "no_repeats"
    #: one run cannot tell flakiness
    ONE_RUN = "one_run"
    #: some runs passed, some failed
    FLAKY = "flaky"
    # -- the quarantine list --------------------------------------------------------------
    QUARANTINE_MATCHED_NOTHING = "quarantine_matched_nothing"
    QUARANTINE_EXPIRED = "quarantine_expired"
    # -- against a baseline ---------------------------------------------------------------
    #: no baseline (`baseline` says how it was looked for and why it was not found)
    BASELINE_NOT_FOUND = "baseline_not_found"
    #: a success rate missing on one side or both
    RATE_NOT_COMPARABLE = "rate_not_comparable"
    #: the rubric rule `subject` has no value on `side`
    RULE_NO_VALUE = "rule_no_value"
    #: a metric aggregate missing on `side`; `absent` says why
    METRIC_NOT_COMPARABLE = "metric_not_comparable"
    #: beyond the bound, but no per-run values to test its significance
    SIGNIFICANCE_UNTESTABLE = "significance_untestable"
    #: `side` lists no runs, so which scenarios ran is unknown
    RUNS_NOT_LISTED = "runs_not_listed"
    #: the baseline has no readable created_at
    BASELINE_UNDATED = "baseline_undated"
    #: neither the result's date nor the clock is known
    NO_CLOCK = "no_clock"


class Stop(StrEnum):
    """Why the judge could not evaluate a result (`Verdict.stop`)."""

    #: the result's status is not final (`Verdict.result_id`, `Verdict.status`)
    NOT_FINISHED = "not_finished"
    #: the result ended with a status not in evaluate_statuses (`Verdict.status`, and
    #: `Verdict.config`, where the fix is made)
    STATUS_NOT_EVALUATED = "status_not_evaluated"
    #: fewer runs than thresholds.min_runs: the min_runs check says how many of how many
    TOO_FEW_RUNS = "too_few_runs"
    #: decided early with nothing lost: the result still runs and could still pass
    STILL_RUNNING = "still_running"
    #: the infrastructure check (`stops_evaluation`, among the checks) did not hold
    INFRASTRUCTURE = "infrastructure"


class Absent(StrEnum):
    """Why a metric aggregate or a rubric rule has no value (`Absence.why`)."""

    #: no run reports the metric and Cekura's summary does not list it (`metric`: as configured)
    NOT_REPORTED = "not_reported"
    #: no run has an expected outcome score
    NO_OUTCOME_SCORE = "no_outcome_score"
    #: blocked (its trigger never fired) in all `runs` runs that list it
    BLOCKED = "blocked"
    #: a pass_rate of a metric that is not pass/fail
    NOT_PASS_FAIL = "not_pass_fail"
    #: no run has a pass/fail value
    NO_PASS_FAIL_VALUE = "no_pass_fail_value"
    #: no run has a numeric value (`binary`: it is a pass/fail metric)
    NO_NUMERIC_VALUE = "no_numeric_value"
    #: the values are too large to aggregate (beyond the largest float)
    TOO_LARGE = "too_large"
    #: Cekura's summary averages `score`, off the 0-5 scale of a pass/fail metric
    SUMMARY_OFF_SCALE = "summary_off_scale"
    #: Cekura's summary has no such aggregation
    SUMMARY_LACKS = "summary_lacks"
    #: a rubric rule with no aggregated value
    RULE_NO_VALUE = "rule_no_value"


class Absence(msgspec.Struct, frozen=True, gc=False):
    """Why a value is absent, with what its sentence names."""

    why: Absent
    metric: str  # as the result spells it (as configured for NOT_REPORTED)
    aggregation: str = ""
    runs: int = 0  # BLOCKED: the runs that list it
    score: float | None = None  # SUMMARY_OFF_SCALE: the summary's average
    binary: bool = False  # NO_NUMERIC_VALUE: a pass/fail metric


class Side(StrEnum):
    """Which result lacks the data a comparison needs."""

    RESULT = "result"
    BASELINE = "baseline"
    BOTH = "both"
