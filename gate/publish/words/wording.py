"""A check's threshold, actual value and failure sentence as people read them.

The judge measures numbers (gate/judge/verdict.py `Check`); every report, annotation, JUnit
case and comment words them here, so they all read the same: "≥ 90% at 95% confidence",
"85% (17 of 20 runs); 95% CI 64.04–94.76%", "↓ 15 pp (95% → 80%)".
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.verdict import Check, Kind, Outcome, Source, Stability, Unit, Verdict
from gate.publish.words import details, stops, wording_baseline
from gate.publish.words.fmt import bounds, change, count, number, percent

PP = " pp"  # percentage points: the change of a percent
#: error kinds that stopped the gate before it looked at a result: not "could not evaluate"
#: (exit 2, not 3), and every surface says so
STOPPED_KINDS = frozenset({"usage error", "config error"})
SHOWN_RUN_IDS = 5  # failed runs named in the actual value; the rest are "…"

#: what a check whose data is missing reads as, by kind
_MISSING = {
    Kind.SUCCESS_RATE: "not reported",
    Kind.FAILED_RUNS: "not measured",
    Kind.RUBRIC_RULE: "not reported",
    Kind.RUBRIC_ALL_MET: "no rubric rules",
    Kind.SCENARIO: "no runs",
    Kind.METRIC: "not reported",
    Kind.BASELINE: "not found",
    Kind.REGRESSION: "not comparable",
    Kind.INFRASTRUCTURE: "not measured",
    Kind.SCENARIO_PASSES: "no runs",
    Kind.FLAKY: "no runs",
    Kind.QUARANTINE: "matched no scenario",
    Kind.COVERAGE: "not comparable",
    Kind.BASELINE_AGE: "unknown age",
}

#: a repeated scenario's label, as people read it
STABILITY = {
    Stability.STABLE_PASS: "stable pass",
    Stability.FLAKY: "flaky",
    Stability.STABLE_FAIL: "stable fail",
}


def stability(label: Stability | None, passed: int, runs: int) -> str:
    """ "flaky (3/5)", "stable pass (5/5)"; "" below two runs (no label)."""
    return f"{STABILITY[label]} ({passed}/{runs})" if label is not None else ""


def _show(check: Check) -> Callable[[float], str]:
    if check.unit is Unit.PERCENT:
        return percent
    if check.unit is Unit.COUNT:
        return count
    return number


def _runs(count: int) -> str:
    return f"{count} run{'' if count == 1 else 's'}"


def threshold(check: Check) -> str:
    """The bounds the check holds its value to: "≥ 90%", "≤ 3", "drop ≤ 5 pp"."""
    if check.kind is Kind.BASELINE:
        return "found"
    if (beyond := wording_baseline.threshold(check)) is not None:
        return beyond
    if check.kind is Kind.RUBRIC_ALL_MET:
        return "all met"
    if check.kind is Kind.FLAKY:
        return "not flaky"
    if check.kind is Kind.SCENARIO_PASSES:
        least = check.minimum or 0
        return f"≥ {count(least)} passing run{'' if least == 1 else 's'}"
    if check.kind is Kind.QUARANTINE:
        return f"until {check.until}"
    if check.kind is Kind.REGRESSION:
        unit = PP if check.unit is Unit.PERCENT else ""
        parts = []
        if check.minimum is not None:
            parts.append(f"drop ≤ {number(-check.minimum)}{unit}")
        if check.maximum is not None:
            parts.append(f"rise ≤ {number(check.maximum)}{unit}")
        return wording_baseline.significance_suffix(check, " and ".join(parts))
    text = bounds(check.minimum, check.maximum, _show(check))
    if check.confidence:
        text += f" at {number(check.confidence * 100)}% confidence"
    return text


def actual(check: Check) -> str:
    """What the check found: "85% (17 of 20 runs)", "2 (#3, #7)", "not reported"."""
    if check.kind is Kind.BASELINE:
        return _baseline(check)
    if (beyond := wording_baseline.actual(check)) is not None:
        return beyond
    if check.kind is Kind.RUBRIC_ALL_MET and check.unreadable:
        return "unreadable"
    if check.kind is Kind.REGRESSION:
        return wording_baseline.with_p_value(check, _regression(check))
    if check.outcome is Outcome.NOT_REACHED:
        return "not reached (decided early)"
    if check.kind is Kind.QUARANTINE and check.outcome is Outcome.FAIL:
        return f"expired after {check.until}"
    if check.kind in (Kind.FLAKY, Kind.SCENARIO_PASSES) and check.runs is not None:
        passed = check.successes or 0
        label = stability(check.stability, passed, check.runs)
        if check.kind is Kind.FLAKY:
            told = label or f"{passed} of {_runs(check.runs)} passed: cannot tell"
            return told + _left_out(check)
        return f"{passed} of {_runs(check.runs)} passed" + (f"; {label}" if label else "")
    if check.value is None:
        return _MISSING.get(check.kind, "not measured") if check.kind else "not measured"
    show = _show(check)
    if check.kind is Kind.RUBRIC_ALL_MET:
        return f"{count(check.value)} of {count(check.minimum or 0)} met"
    if check.kind is Kind.FAILED_RUNS:
        shown = ", ".join(f"#{i}" for i in check.run_ids[:SHOWN_RUN_IDS])
        more = " …" if len(check.run_ids) > SHOWN_RUN_IDS else ""
        return show(check.value) + (f" ({shown}{more})" if check.run_ids else "")
    if check.successes is not None and check.runs is not None and _counts_shown(check):
        runs = _runs(check.runs)
        if check.kind is Kind.SUCCESS_RATE and check.interval is None:
            runs = f"{check.runs} runs"  # the plain success rate has always read "1 of 1 runs"
        text = f"{show(check.value)} ({check.successes} of {runs}{_left_out(check)})"
        if check.interval is not None:
            low, high = number(check.interval.low), number(check.interval.high)
            text += f"; {number(check.interval.confidence * 100)}% CI {low}–{high}%"
        return text
    if check.kind is Kind.METRIC:
        where = "Cekura's metric summary" if check.source is Source.SUMMARY else None
        return f"{show(check.value)} ({where or _runs(check.runs or 0)}{_left_out(check)})"
    if check.kind is Kind.INFRASTRUCTURE:
        return _infrastructure(check)
    return show(check.value)


def _left_out(check: Check) -> str:
    """The runs a rate or an aggregate left out, said after its run count ("" when none)."""
    if check.excluded_runs:
        many = "s" if check.excluded_runs != 1 else ""
        return f"; {check.excluded_runs} infrastructure failure{many} left out"
    if check.not_applicable:
        return f"; not applicable in {check.not_applicable}: blocked"
    return ""


def _infrastructure(check: Check) -> str:
    """ "2 of 20 runs (10%)" against a percent bound, "2 of 20 runs" against a count."""
    failures, runs = check.failures or 0, check.runs or 0
    text = f"{failures} of {_runs(runs)}"
    if check.unit is Unit.PERCENT and check.value is not None:
        text += f" ({percent(check.value)})"
    return text


def _counts_shown(check: Check) -> bool:
    """A rate says of how many runs, unless it was judged on counts alone, without an
    interval (the plain success rate of a result that lists no runs)."""
    return check.source is not Source.COUNTS or check.interval is not None


def _baseline(check: Check) -> str:
    ref = check.baseline
    if ref is None or not ref.found:
        return "not found"
    when = f", {ref.created_at[:10]}" if ref.created_at else ""
    named = f" ({ref.name}{when})" if ref.name else (f" ({ref.created_at[:10]})" if when else "")
    return f"result {ref.id}{named}"


def _regression(check: Check) -> str:
    if check.change is None or check.value is None or check.baseline_value is None:
        return "not comparable"
    show = percent if check.unit is Unit.PERCENT else number
    unit = PP if check.unit is Unit.PERCENT else ""
    text = f"{change(check.change, unit)} ({show(check.baseline_value)} → {show(check.value)})"
    if check.excluded_runs or check.baseline_excluded_runs:
        # a success rate compared over connected runs only: say what each side left out
        text += (
            f", leaving out infrastructure failures: {check.excluded_runs or 0} here, "
            f"{check.baseline_excluded_runs or 0} in the baseline"
        )
    return text


def verdict_reason(verdict: Verdict) -> str:
    """Why the verdict is not a pass or a fail, as every surface prints it: the judge's own
    code worded (gate/publish/words/stops.py), or the words that came with it from outside the
    judge (the API's error, a usage error); "" for a pass or a fail."""
    return stops.sentence(verdict) if verdict.stop is not None else verdict.reason


def error_kind(verdict: Verdict) -> str:
    """What kind of could-not-evaluate, as every surface labels it ("too few runs", "config
    error"): the judge's own stop labelled (gate/publish/words/stops.py), or the kind that came with
    an error from outside the judge; "" for a pass or a fail."""
    return stops.kind(verdict) if verdict.stop is not None else verdict.error_kind


def detail(check: Check) -> str:
    """Why the check failed or what to do, one sentence ("" when there is nothing to say):
    the check's own (gate/publish/words/details.py), or the move of a regression, and a quarantine
    that excuses it."""
    moved = ""
    if check.kind is Kind.REGRESSION and check.change is not None:
        unit = PP if check.unit is Unit.PERCENT else ""
        dropped = check.change < 0
        allowed = -(check.minimum or 0) if dropped else (check.maximum or 0)
        moved = f"{'fell' if dropped else 'rose'} {number(abs(check.change))}{unit}"
        if allowed or check.significance is None:  # significance alone allows no move
            moved += f", more than the {number(allowed)}{unit} allowed"
    if (beyond := wording_baseline.detail(check, moved)) is not None:
        return beyond
    if check.kind is Kind.REGRESSION and check.outcome is Outcome.FAIL and moved:
        return moved
    own = details.sentence(check)
    if check.until and check.kind is not Kind.QUARANTINE:
        excused = f"quarantined until {check.until}: reported, does not gate"
        return f"{excused}; {own}" if own else excused
    return own
