"""The checks table of the job summary and the comment: one row per thing measured.

A regression check and the check on the same measure (the success rate, a rubric rule, a
metric's aggregate) share one row: the value once, the baseline's value and change once,
both limits side by side. Rows are sorted by what they mean for the reader: blocking (❌),
then warnings (⚠️, or ⚖️ for a rate too close to call), then the checks that held (✅).

Plain data with the words already made (gate/publish/words/wording.py and fmt.py); page_parts.py
only lays the cells out.
"""

from __future__ import annotations

import re
from enum import IntEnum

import msgspec

from gate.judge.verdict import Check, Kind, Outcome, Unit, Verdict
from gate.publish.words import wording
from gate.publish.words.fmt import MINUS, duration_ms, grouped, milliseconds, signed

PP = " pp"


class Standing(IntEnum):
    """How a row stands, worst first (sorting order)."""

    BLOCKS = 0
    WARNS = 1
    INCONCLUSIVE = 2
    NOT_REACHED = 3  # decided early: the data exists only at the end of a run
    HOLDS = 4


ICON = {
    Standing.BLOCKS: "❌",
    Standing.WARNS: "⚠️",
    Standing.INCONCLUSIVE: "⚖️",
    Standing.NOT_REACHED: "⏭️",
    Standing.HOLDS: "✅",
}


class Row(msgspec.Struct, frozen=True, gc=False):
    standing: Standing
    title: str
    value: str  # this result's value, with its unit: "2,453 ms", "58% (7/12)"
    baseline: str  # the baseline's value and the change: "909 ms (+1,544)", or ""
    limit: str  # "≤ 1,800 ms, rise ≤ 300 ms"; "· warn only" when it cannot block
    note: str  # why it failed or what would decide it, one sentence, or ""
    checks: tuple[Check, ...]

    @property
    def icon(self) -> str:
        return ICON[self.standing]


def standing(check: Check) -> Standing:
    if check.held:
        return Standing.HOLDS
    if check.blocking:
        return Standing.BLOCKS
    if check.outcome is Outcome.NOT_REACHED:
        return Standing.NOT_REACHED
    return Standing.INCONCLUSIVE if check.outcome is Outcome.INCONCLUSIVE else Standing.WARNS


def rows(verdict: Verdict) -> tuple[Row, ...]:
    """Every check of the verdict in rows, worst first (stable within a standing)."""
    checks = list(verdict.checks)
    partner: dict[int, Check] = {}  # index of a check -> the regression check on its measure
    merged: set[int] = set()
    for i, check in enumerate(checks):
        if check.kind is not Kind.REGRESSION:
            continue
        for j, other in enumerate(checks):
            if j not in partner and j not in merged and _same_measure(other, check):
                partner[j] = check
                merged.add(i)
                break
    out = []
    for i, check in enumerate(checks):
        if i in merged:
            continue
        out.append(_row(check, partner.get(i)))
    return tuple(sorted(out, key=lambda row: row.standing))


def blocking(verdict: Verdict) -> tuple[Row, ...]:
    return tuple(r for r in rows(verdict) if r.standing is Standing.BLOCKS)


def _same_measure(check: Check, regression: Check) -> bool:
    return (
        check.kind is not None
        and check.kind is not Kind.REGRESSION
        and check.kind is regression.measures
        and check.subject == regression.subject
        and check.aggregation == regression.aggregation
        # the same number on both: a regression on the agent's own rate (infrastructure
        # failures left out) keeps a row of its own, or its change would not add up
        and check.value == regression.value
    )


def _row(check: Check, regression: Check | None) -> Row:
    both = (check,) if regression is None else (check, regression)
    worst = min(standing(c) for c in both)
    compared = regression if regression is not None and regression.change is not None else check
    limits = [limit(c) for c in both if limit(c)]
    if len({standing(c) for c in both}) > 1:
        # the two limits stand differently: say which one this row is red for
        limits = [f"{limit(c)} {ICON[standing(c)]}" for c in both if limit(c)]
    warn_only = all(c.level != "error" for c in both) and worst is not Standing.HOLDS
    notes = [interval(c) for c in both if not c.held and interval(c)]
    notes += [wording.detail(c) for c in both if not c.held and not _said(c) and wording.detail(c)]
    title = check.title
    if check.kind is Kind.REGRESSION:
        title = title.removesuffix(" vs baseline")
        if check.excluded_runs or check.baseline_excluded_runs:
            title += " without infrastructure failures"
    return Row(
        standing=worst,
        title=title,
        value=_unbroken(value(check)),
        baseline=_unbroken(baseline(compared)),
        limit=", ".join(_unbroken(lim) for lim in limits) + (" · warn only" if warn_only else ""),
        note="; ".join(notes),
        checks=both,
    )


_JOINT = re.compile(r"(?<=[\d%≥≤])\s(?=[\d(a-z%−+])|\s(?=\()")


def _unbroken(text: str) -> str:
    """No line break between a number and its unit or change ('100% (−50 pp)', '≥ 90%')."""
    return _JOINT.sub("\u00a0", text)


def _said(check: Check) -> bool:
    """A failed rate's note ("3 run(s) did not succeed") says no more than its value (3/6)."""
    return check.outcome is Outcome.FAIL and check.kind in (Kind.SUCCESS_RATE, Kind.SCENARIO)


def _ms(check: Check) -> bool:
    return check.unit in (Unit.NUMBER, Unit.SCORE) and milliseconds(check.subject or check.title)


def amount(check: Check, number: float) -> str:
    """A number in the check's unit: '58%', '2,453 ms', '4.1', '2'."""
    if check.unit is Unit.PERCENT:
        return f"{grouped(number)}%"
    if _ms(check):
        return duration_ms(number)
    return grouped(number)


def metric_value(value: float, name: str) -> str:
    """A rubric rule's or metric's value by its name: '2,378 ms' for a latency, else '4.36'."""
    return duration_ms(value) if milliseconds(name) else grouped(value)


#: kinds whose value and limit are words more than a number ("3 of 5 runs passed; flaky
#: (3/5)", "not flaky", "until 2026-12-31"): worded as the check's actual and threshold
_WORDED = frozenset(
    {Kind.SCENARIO_PASSES, Kind.FLAKY, Kind.QUARANTINE, Kind.COVERAGE, Kind.BASELINE_AGE}
)


def value(check: Check) -> str:
    """This result's value: '**58%** (7/12)', '**2,453 ms**', or what is missing."""
    if check.kind is Kind.BASELINE:
        return wording.actual(check)
    if check.kind in _WORDED:
        return f"**{wording.actual(check)}**"
    if check.kind is Kind.RUBRIC_ALL_MET and check.value is not None:
        return f"**{int(check.value)}** of {int(check.minimum or 0)} met"
    if check.value is None:
        return wording.actual(check)
    text = f"**{amount(check, check.value)}**"
    if check.successes is not None and check.runs is not None and check.unit is Unit.PERCENT:
        text += f" ({check.successes:,}/{check.runs:,})"
    if check.excluded_runs and check.kind is not Kind.REGRESSION:  # its title says so
        many = "s" if check.excluded_runs != 1 else ""
        text += f" · {check.excluded_runs:,} infrastructure failure{many} left out"
    if check.not_applicable:
        text += f" · not applicable in {check.not_applicable:,}: blocked"
    return text


def interval(check: Check) -> str:
    """'95% CI 19–81%': how sure the rate is, when it was judged with confidence."""
    if check.interval is None:
        return ""
    low, high = round(check.interval.low), round(check.interval.high)
    return f"{grouped(check.interval.confidence * 100)}% CI {low}–{high}%"


def baseline(check: Check) -> str:
    """The baseline's value and the change: '909 ms (+1,544)', '100% (−42 pp)', or ''."""
    if check.baseline_value is None or check.kind is Kind.BASELINE:
        return ""
    was = amount(check, check.baseline_value)
    if check.change is None:
        return was
    unit = PP if check.unit is Unit.PERCENT else (" ms" if _ms(check) else "")
    return f"{was} ({signed(check.change, unit)})"


def limit(check: Check) -> str:
    """The bound, in the check's unit: '≥ 90%', '≤ 1,800 ms', 'drop ≤ 5 pp', 'rise ≤ 300 ms'."""
    if check.kind is Kind.BASELINE:
        return "found"
    if check.kind is Kind.RUBRIC_ALL_MET:
        return "all met"
    if check.kind in _WORDED:
        return wording.threshold(check)
    if check.kind is Kind.REGRESSION:
        unit = PP if check.unit is Unit.PERCENT else (" ms" if _ms(check) else "")
        parts = []
        if check.minimum is not None:
            parts.append(f"drop ≤ {grouped(-check.minimum)}{unit}")
        if check.maximum is not None:
            parts.append(f"rise ≤ {grouped(check.maximum)}{unit}")
        if check.significance is not None:
            parts.append(f"when significant (p ≤ {check.significance:g})")
        return ", ".join(parts)
    parts = []
    if check.minimum is not None:
        parts.append(f"≥ {_bound(check, check.minimum)}")
    if check.maximum is not None:
        parts.append(f"≤ {_bound(check, check.maximum)}")
    text = " and ".join(parts)
    if check.confidence:
        text += f" at {grouped(check.confidence * 100)}% confidence"
    return text


def _bound(check: Check, bound: float) -> str:
    if check.kind in (Kind.FAILED_RUNS, Kind.MIN_RUNS):
        return grouped(bound)
    return amount(check, bound)


__all__ = ["ICON", "MINUS", "Row", "Standing", "blocking", "rows"]
