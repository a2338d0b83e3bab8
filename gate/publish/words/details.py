"""The sentence a check says about itself: why it did not hold, why it is missing, what to do.

The judge gives a reason code and the numbers (gate/judge/reasons.py, `Check`); this module
words every code, so the summary, the PR comment, the terminal, the JSON report's `detail`,
JUnit and the annotations all read the same sentence. gate/publish/words/wording.py `detail` adds
what is said of any check (a quarantine that excuses it, a regression's move).
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.reasons import Absence, Absent, Reason, Side
from gate.judge.verdict import Check, Kind
from gate.policy.model import described
from gate.publish.words.fmt import count

#: the side of a comparison that lacks the data, as a sentence names it
_SIDE = {
    Side.RESULT: "the result",
    Side.BASELINE: "the baseline",
    Side.BOTH: "the baseline and the result",
}

#: the metric whose null count makes a failed-runs check missing, by its subject
_COUNTED_BY = {
    "workflow": "the Expected Outcome metric",
    "infrastructure": "the Infrastructure Issues metric",
}

FREQUENCY_HINT = "frequency 2 or more"


def sentence(check: Check) -> str:
    """The check's own sentence ("" when it has nothing to say); its `detail` when the
    judge gave no reason (a text from outside the gate, such as the API's error)."""
    if check.reason is not None:
        return SENTENCES[check.reason](check)
    if check.absent is not None:
        return absence(check.absent)
    return check.detail


def absence(absent: Absence) -> str:
    """Why a metric aggregate or a rubric rule has no value."""
    return ABSENCES[absent.why](absent)


def _side(check: Check) -> str:
    return _SIDE[check.side or Side.RESULT]


def _failed(check: Check) -> int:
    """The runs of a rate that did not succeed."""
    return (check.runs or 0) - (check.successes or 0)


def _interval_beyond(check: Check) -> str:
    """ "the whole interval lies below the minimum" (or above the maximum)."""
    interval = check.interval
    below = check.minimum is not None and interval is not None and interval.high < check.minimum
    return f"the whole interval lies {'below the minimum' if below else 'above the maximum'}"


def _rate_failed(words: Callable[[Check], str]) -> Callable[[Check], str]:
    """A failed rate's sentence, after the interval's when one was computed."""

    def sentence(check: Check) -> str:
        text = words(check)
        return f"{_interval_beyond(check)}; {text}" if check.interval is not None else text

    return sentence


def _runs_failed(check: Check) -> str:
    """The runs that did not succeed, and how many of them the result does not list (it
    counts more runs than it lists, or gives counts only): those the report cannot show."""
    listed = check.failing_listed
    if check.runs is None:  # the rate as the result reports it, without counts
        if listed:
            return f"{listed} run(s) did not succeed; see What went wrong"
        return "the result reports this rate without listing or counting its runs"
    failed = _failed(check)
    if listed is None or listed >= failed:
        return f"{failed} run(s) did not succeed; see What went wrong"
    if not listed:
        return f"{failed} run(s) did not succeed, counted by the result but not listed"
    return (
        f"{failed} run(s) did not succeed: {listed} listed (see What went wrong) and "
        f"{failed - listed} counted by the result but not listed"
    )


def _too_few_runs(check: Check) -> str:
    if check.runs_needed is None:
        more = "more runs at this rate would not decide it (the rate sits on the threshold)"
    else:
        more = (
            f"about {check.runs_needed} runs at this rate would decide it "
            f"(this result has {check.runs})"
        )
    return f"the interval contains the threshold: too few runs to tell; {more}"


def _all_infrastructure(check: Check) -> str:
    if check.kind is Kind.REGRESSION:
        return (
            f"every run of {_side(check)} failed for infrastructure reasons: no run tested the "
            "agent there, so there is no rate to compare"
        )
    if check.kind is Kind.FLAKY:
        return (
            f"all {check.excluded_runs} run(s) failed for infrastructure reasons: no run "
            "tested the agent, so whether it is flaky cannot be told; re-run the result"
        )
    return (
        f"all {check.excluded_runs} run(s) failed for infrastructure reasons: no run tested "
        "the agent, so there is no rate to judge"
    )


def _no_runs_of_scenario(check: Check) -> str:
    what = f"no run of the scenario {described(check.subject, check.scenario_id)} in "
    if check.kind is Kind.REGRESSION:
        return what + _side(check)
    return what + "the result: was it left out of the run?"


def _rules_not_met(check: Check) -> str:
    names = ", ".join(name + ("" if said else " (not reported)") for name, said in check.unmet)
    return f"not met: {names}"


def _baseline_not_found(check: Check) -> str:
    ref = check.baseline
    how, why = (ref.how, ref.reason) if ref is not None else ("the baseline", "not found")
    return f"{how}: {why}; the regression checks were skipped"


def _baseline_undated(check: Check) -> str:
    ref = check.baseline
    created, of = (ref.created_at, ref.id) if ref is not None else ("", "")
    said = f"'{created}', not a date" if created else "none"
    return f"the baseline result {of} has no readable created_at ({said}), so its age is unknown"


SENTENCES: dict[Reason, Callable[[Check], str]] = {
    Reason.RUNS_FAILED: _rate_failed(_runs_failed),
    Reason.AGENT_RUNS_FAILED: _rate_failed(
        lambda c: f"{_failed(c)} run(s) that tested the agent did not succeed; see What went wrong"
    ),
    Reason.SCENARIO_RUNS_FAILED: _rate_failed(
        lambda c: f"{_failed(c)} of its runs did not succeed"
    ),
    Reason.INTERVAL_BEYOND: _interval_beyond,
    Reason.TOO_FEW_RUNS: _too_few_runs,
    Reason.SUMMARY_NO_INTERVAL: lambda c: (
        "from Cekura's summary: no run counts, so no confidence interval"
    ),
    Reason.NO_SUCCESS_RATE: lambda c: "the result has neither runs nor a success_rate",
    Reason.ALL_INFRASTRUCTURE: _all_infrastructure,
    Reason.AT_BEST: lambda c: (
        f"at best {c.successes} of {c.runs} runs can succeed: {_failed(c)} already did not, "
        "whatever the open runs do"
    ),
    Reason.ALREADY_TOO_MANY: lambda c: (
        f"already {count(c.value or 0)} while the result runs: more than the "
        f"{count(c.maximum or 0)} allowed"
    ),
    Reason.METRIC_NOT_ATTACHED: lambda c: (
        f"the result reports null: {_COUNTED_BY.get(c.subject, 'the metric')} is not attached "
        "to this project's runs"
    ),
    Reason.INFRASTRUCTURE_FAILED: lambda c: (
        "the calls did not connect or the platform failed: see the failing runs' reasons"
    ),
    Reason.INFRASTRUCTURE_UNCOUNTED: lambda c: (
        "the result lists no runs and no failed_infrastructure_runs: the gate cannot tell how "
        "many runs failed for infrastructure reasons"
    ),
    Reason.NO_RUBRIC: lambda c: (
        "the result has no performance_metrics: the project has no rubric configured"
    ),
    Reason.RULES_NOT_MET: _rules_not_met,
    Reason.NO_RULE: lambda c: f"no rubric rule for metric '{c.subject}' in the result",
    Reason.NO_RUNS_OF_SCENARIO: _no_runs_of_scenario,
    Reason.TOO_FEW_REPEATS: lambda c: (
        f"the result has only {c.runs} run(s) of it, fewer than min_passes: "
        f"run it at least {count(c.minimum or 0)} times (frequency)"
    ),
    Reason.NO_REPEATS: lambda c: (
        "no scenario has two or more runs in the result, so flakiness cannot be told: "
        f"start the run with {FREQUENCY_HINT}"
    ),
    Reason.ONE_RUN: lambda c: (
        f"one run cannot tell whether it is flaky: run it with {FREQUENCY_HINT}"
    ),
    Reason.FLAKY: lambda c: (
        "some of its runs passed and some failed: the same agent gave different results"
    ),
    Reason.QUARANTINE_MATCHED_NOTHING: lambda c: (
        "it matched no scenario of the result: check the name or id in the quarantine list "
        f"of {c.config}, or remove the entry"
    ),
    Reason.QUARANTINE_EXPIRED: lambda c: (
        "the quarantine expired: the scenario gates again; fix it, or remove or extend the "
        f"entry in {c.config}"
    ),
    Reason.BASELINE_NOT_FOUND: _baseline_not_found,
    Reason.RATE_NOT_COMPARABLE: lambda c: (
        "a success rate is missing from the result or the baseline"
    ),
    Reason.RULE_NO_VALUE: lambda c: f"the rubric rule '{c.subject}' has no value in {_side(c)}",
    Reason.METRIC_NOT_COMPARABLE: lambda c: (
        f"not in {_side(c)}: {absence(c.absent) if c.absent is not None else c.detail}"
    ),
    Reason.SIGNIFICANCE_UNTESTABLE: lambda c: (
        "the change is beyond the bound, but without per-run values on both sides "
        "(a summary only, or no runs listed) its significance cannot be tested"
    ),
    Reason.RUNS_NOT_LISTED: lambda c: (
        f"{_side(c)} lists no runs, so which scenarios ran is unknown"
    ),
    Reason.BASELINE_UNDATED: _baseline_undated,
    Reason.NO_CLOCK: lambda c: "neither the result's created_at nor the current time is known",
}


def _no_numeric_value(absent: Absence) -> str:
    hint = " (a pass/fail metric: use pass_rate)" if absent.binary else ""
    return f"no run has a numeric value for '{absent.metric}'{hint}"


ABSENCES: dict[Absent, Callable[[Absence], str]] = {
    Absent.NOT_REPORTED: lambda a: (
        f"no run reports the metric '{a.metric}', and Cekura's metric summary does not list it"
    ),
    Absent.NO_OUTCOME_SCORE: lambda a: (
        "no run has an expected outcome score (the Expected Outcome metric is not attached)"
    ),
    Absent.BLOCKED: lambda a: (
        f"'{a.metric}' applied to no run: Cekura reported it blocked (its trigger never fired) "
        f"in all {a.runs} run(s) that list it"
    ),
    Absent.NOT_PASS_FAIL: lambda a: (
        f"'{a.metric}' is not a pass/fail metric: use mean, min, max or a percentile"
    ),
    Absent.NO_PASS_FAIL_VALUE: lambda a: f"no run has a pass/fail value for '{a.metric}'",
    Absent.NO_NUMERIC_VALUE: _no_numeric_value,
    Absent.TOO_LARGE: lambda a: (
        f"the values of '{a.metric}' are too large to take their {a.aggregation} "
        "(beyond the largest float)"
    ),
    Absent.SUMMARY_OFF_SCALE: lambda a: (
        f"Cekura's metric summary for '{a.metric}' averages {a.score:g}, off the 0-5 scale of "
        "a pass/fail metric"
    ),
    Absent.SUMMARY_LACKS: lambda a: (
        f"Cekura's metric summary for '{a.metric}' has no {a.aggregation}"
    ),
    Absent.RULE_NO_VALUE: lambda a: f"rubric rule '{a.metric}' has no aggregated value",
}
