"""The words for the checks against a baseline that go beyond a change: the significance of a
regression ("p = 0.012", "not significant with 10 and 12 runs"), the coverage and the
baseline's age. gate/publish/words/wording.py asks here first for these kinds."""

from __future__ import annotations

from gate.judge.decide import within
from gate.judge.verdict import Check, Kind, Outcome
from gate.publish.words.fmt import number


def p_value(p: float) -> str:
    """ "p = 0.012", two significant digits; "p < 0.001" below that."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def hours(value: float) -> str:
    """An age or a duration: "12 hours", "7 days", "2.5 days", "2 weeks"."""
    if value >= 24 * 14 and (value / 168).is_integer():
        count, unit = value / 168, "week"
    elif value >= 48:
        count, unit = value / 24, "day"
    else:
        count, unit = value, "hour"
    return f"{number(count)} {unit}{'' if round(count, 2) == 1 else 's'}"


def threshold(check: Check) -> str | None:
    """The threshold of a coverage or age check; None for other kinds."""
    if check.kind is Kind.COVERAGE:
        if check.subject == "scenarios":
            return "every scenario of the baseline"
        return f"≥ {number(check.minimum or 0)} runs"
    if check.kind is Kind.BASELINE_AGE:
        return f"≤ {hours(check.maximum or 0)} old"
    return None


def significance_suffix(check: Check, text: str) -> str:
    """A regression threshold with its significance: "drop ≤ 5 pp, if significant (p ≤ 0.05)"."""
    if check.significance is None:
        return text
    level = f"p ≤ {check.significance:g}"
    if check.minimum == 0 and check.maximum is None:
        return f"no significant drop ({level})"
    return f"{text}, if significant ({level})"


def actual(check: Check) -> str | None:
    """What a coverage or age check found; None for other kinds."""
    if check.kind is Kind.COVERAGE:
        if check.value is None:
            return "not comparable"
        if check.subject == "scenarios":
            if not check.names:
                return f"none missing ({number(check.baseline_value or 0)} in the baseline)"
            return f"{len(check.names)} missing: {', '.join(check.names)}"
        return f"{number(check.value)} (was {number(check.baseline_value or 0)})"
    if check.kind is Kind.BASELINE_AGE:
        ref = check.baseline
        date = ref.created_at[:10] if ref is not None and ref.created_at else ""
        if check.value is None:
            return "unknown age" + (f" (created_at '{ref.created_at}')" if date else "")
        return f"{hours(check.value)} (created {date})"
    return None


def with_p_value(check: Check, text: str) -> str:
    """A regression's actual value with its p-value, when a test was run, and why a move
    beyond the bound held: "↓ 20 pp (90% → 70%); p = 0.29, not significant with 10 and 10
    runs"."""
    if check.p_value is None:
        return text
    text = f"{text}; {p_value(check.p_value)}"
    if check.outcome is Outcome.PASS and _beyond(check):
        text += f", not significant with {check.runs} and {check.baseline_runs} runs"
    return text


def _beyond(check: Check) -> bool:
    return check.change is not None and not within(check.change, check.minimum, check.maximum)


def detail(check: Check, moved: str) -> str | None:
    """Why a check against the baseline failed, or why a move beyond the bound passed; None
    when the caller words it. `moved`: the regression's "fell 10 pp, more than the 5 pp
    allowed" sentence."""
    if check.kind is Kind.REGRESSION and check.p_value is not None:
        if check.outcome is Outcome.FAIL:
            return f"{moved}; significant ({p_value(check.p_value)})"
        if check.outcome is Outcome.PASS and _beyond(check):
            return (
                f"{moved}, but not significant with {check.runs} and {check.baseline_runs} runs "
                f"({p_value(check.p_value)}, more than {check.significance:g})"
            )
        return None
    if check.outcome is not Outcome.FAIL:
        return None
    if check.kind is Kind.COVERAGE and check.subject == "scenarios":
        return f"the baseline ran them, this result did not: {', '.join(check.names)}"
    if check.kind is Kind.COVERAGE:
        return (
            f"{number(check.value or 0)} runs, fewer than the {number(check.minimum or 0)} "
            f"allowed (the baseline had {number(check.baseline_value or 0)})"
        )
    if check.kind is Kind.BASELINE_AGE and check.value is not None:
        ref = check.baseline
        date = ref.created_at[:10] if ref is not None else ""
        return (
            f"the baseline was created {date}, {hours(check.value)} before; it may be at most "
            f"{hours(check.maximum or 0)} old (baseline.max_age): a newer baseline compares "
            "with what the agent does today"
        )
    return None
