"""A check's threshold, actual value and failure sentence as people read them.

The judge measures numbers (gate/judge/verdict.py `Check`); every report, annotation, JUnit
case and comment words them here, so they all read the same: "≥ 90% at 95% confidence",
"85% (17 of 20 runs); 95% CI 64.04–94.76%", "↓ 15 pp (95% → 80%)".
"""

from __future__ import annotations

from collections.abc import Callable

from gate.judge.verdict import Check, Kind, Outcome, Source, Unit
from gate.publish.fmt import bounds, change, number, percent

PP = " pp"  # percentage points: the change of a percent
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
}


def _show(check: Check) -> Callable[[float], str]:
    if check.unit is Unit.PERCENT:
        return percent
    if check.unit is Unit.COUNT:
        return _count
    return number


def _count(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else number(value)


def _runs(count: int) -> str:
    return f"{count} run{'' if count == 1 else 's'}"


def threshold(check: Check) -> str:
    """The bounds the check holds its value to: "≥ 90%", "≤ 3", "drop ≤ 5 pp"."""
    if check.kind is Kind.BASELINE:
        return "found"
    if check.kind is Kind.RUBRIC_ALL_MET:
        return "all met"
    if check.kind is Kind.REGRESSION:
        unit = PP if check.unit is Unit.PERCENT else ""
        parts = []
        if check.minimum is not None:
            parts.append(f"drop ≤ {number(-check.minimum)}{unit}")
        if check.maximum is not None:
            parts.append(f"rise ≤ {number(check.maximum)}{unit}")
        return " and ".join(parts)
    text = bounds(check.minimum, check.maximum, _show(check))
    if check.confidence:
        text += f" at {number(check.confidence * 100)}% confidence"
    return text


def actual(check: Check) -> str:
    """What the check found: "85% (17 of 20 runs)", "2 (#3, #7)", "not reported"."""
    if check.kind is Kind.BASELINE:
        return _baseline(check)
    if check.kind is Kind.RUBRIC_ALL_MET and check.unreadable:
        return "unreadable"
    if check.kind is Kind.REGRESSION:
        return _regression(check)
    if check.outcome is Outcome.NOT_REACHED:
        return "not reached (decided early)"
    if check.value is None:
        return _MISSING.get(check.kind, "not measured") if check.kind else "not measured"
    show = _show(check)
    if check.kind is Kind.RUBRIC_ALL_MET:
        return f"{_count(check.value)} of {_count(check.minimum or 0)} met"
    if check.kind is Kind.FAILED_RUNS:
        shown = ", ".join(f"#{i}" for i in check.run_ids[:SHOWN_RUN_IDS])
        more = " …" if len(check.run_ids) > SHOWN_RUN_IDS else ""
        return show(check.value) + (f" ({shown}{more})" if check.run_ids else "")
    if check.successes is not None and check.runs is not None and _counts_shown(check):
        runs = _runs(check.runs)
        if check.kind is Kind.SUCCESS_RATE and check.interval is None:
            runs = f"{check.runs} runs"  # the plain success rate has always read "1 of 1 runs"
        text = f"{show(check.value)} ({check.successes} of {runs})"
        if check.interval is not None:
            low, high = number(check.interval.low), number(check.interval.high)
            text += f"; {number(check.interval.confidence * 100)}% CI {low}–{high}%"
        return text
    if check.kind is Kind.METRIC:
        where = "Cekura's metric summary" if check.source is Source.SUMMARY else None
        return f"{show(check.value)} ({where or _runs(check.runs or 0)})"
    return show(check.value)


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
    return f"{change(check.change, unit)} ({show(check.baseline_value)} → {show(check.value)})"


def detail(check: Check) -> str:
    """Why the check failed or what to do, one sentence ("" when there is nothing to say)."""
    if check.kind is Kind.REGRESSION and check.outcome is Outcome.FAIL and check.change is not None:
        unit = PP if check.unit is Unit.PERCENT else ""
        dropped = check.change < 0
        allowed = -(check.minimum or 0) if dropped else (check.maximum or 0)
        return (
            f"{'fell' if dropped else 'rose'} {number(abs(check.change))}{unit}, "
            f"more than the {number(allowed)}{unit} allowed"
        )
    return check.detail
