"""The rubric's checks: every rubric rule met (`performance_metrics.require_all_met`) and
one rule's aggregated value against its bounds (`performance_metrics.rules[]`).

Pure: Result + the rubric policy -> Checks. A rule is found by the one name normaliser
(gate/judge/names.py); a rubric the API could not give is missing with the API's own words.
"""

from __future__ import annotations

from gate.judge.decide import within
from gate.judge.names import find_rule
from gate.judge.reasons import Absence, Absent, Reason
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit
from gate.policy.model import RubricPolicy, RuleBound
from gate.result.model import Result


def rubric_checks(result: Result, policy: RubricPolicy) -> list[Check]:
    rules = result.performance_metrics
    checks: list[Check] = []
    if policy.require_all_met:
        present = rules is not None and not result.performance_metrics_error and len(rules) > 0
        if present or not policy.only_if_present or result.performance_metrics_error:
            checks.append(all_met(result, policy.level))
    checks.extend(rule_check(result, bound) for bound in policy.rules)
    return checks


def all_met(result: Result, level: Level) -> Check:
    base = {
        "name": "performance_metrics.require_all_met",
        "title": "Rubric rules met",
        "level": level,
        "kind": Kind.RUBRIC_ALL_MET,
        "unit": Unit.COUNT,
    }
    if result.performance_metrics_error:
        return Check(
            **base,
            unreadable=True,
            outcome=Outcome.MISSING,
            detail=result.performance_metrics_error,
        )
    rules = result.performance_metrics
    if not rules:
        return Check(
            **base,
            outcome=Outcome.MISSING,
            reason=Reason.NO_RUBRIC,
        )
    unmet = [r for r in rules if r.met is not True]
    return Check(
        **base,
        value=len(rules) - len(unmet),
        minimum=len(rules),
        outcome=Outcome.FAIL if unmet else Outcome.PASS,
        reason=Reason.RULES_NOT_MET if unmet else None,
        unmet=tuple((r.metric, r.met is False) for r in unmet),
    )


def rule_check(result: Result, bound: RuleBound) -> Check:
    base = {
        "name": f"performance_metrics.rules[{bound.metric}]",
        "title": f"Rubric: {bound.metric}",
        "level": bound.level,
        "kind": Kind.RUBRIC_RULE,
        "subject": bound.metric,
        "unit": Unit.SCORE,
        "minimum": bound.min,
        "maximum": bound.max,
    }
    rule = find_rule(result.performance_metrics or (), bound.metric)
    if result.performance_metrics_error:  # the API's own words: why the rules are unreadable
        return Check(**base, outcome=Outcome.MISSING, detail=result.performance_metrics_error)
    if rule is None:
        return Check(**base, outcome=Outcome.MISSING, reason=Reason.NO_RULE)
    if rule.value is None:  # named as the result spells it, which may differ from the config
        return Check(
            **base, outcome=Outcome.MISSING, absent=Absence(Absent.RULE_NO_VALUE, rule.metric)
        )
    # exact: a rubric value is Cekura's own aggregate, not a rate the gate computed
    ok = within(rule.value, bound.min, bound.max, tolerance=0)
    return Check(
        **base,
        value=rule.value,
        outcome=Outcome.PASS if ok else Outcome.FAIL,
    )
