"""A policy in words: what the gate will check, for `validate`, the log and the summary."""

from __future__ import annotations

from typing import Any

from gate.command_line.defaults import DEFAULT_CONFIGS
from gate.policy import model
from gate.policy.model import BaselinePolicy, described


def default_policy_notice() -> str:
    """What the gate does without a config file, in one sentence for the log and summary."""
    names = " nor ".join(str(p) for p in DEFAULT_CONFIGS)
    checks = ", ".join(checks_in_words(model.DEFAULT_POLICY))
    return (
        f"No config file: --config is not set and neither {names} exists, so the default "
        f"policy applies: {checks}. Add {DEFAULT_CONFIGS[0]} "
        "to set your own thresholds."
    )


def checks_in_words(policy: model.Policy) -> list[str]:
    checks = [f"at least {policy.min_runs} run(s)"]
    if policy.success_rate:
        sure = policy.success_rate.confidence
        checks.append(
            f"success rate ≥ {policy.success_rate.min:g}%"
            + (f" at {sure:g} confidence (Wilson interval)" if sure else "")
            + (
                " over connected runs (infrastructure failures left out)"
                if policy.success_rate.count_infrastructure == "exclude"
                else ""
            )
        )
    if policy.failed_workflow_runs:
        checks.append(f"failed workflow runs ≤ {policy.failed_workflow_runs.max}")
    if policy.failed_infrastructure_runs:
        checks.append(f"failed infrastructure runs ≤ {policy.failed_infrastructure_runs.max}")
    if policy.infrastructure:
        bound = policy.infrastructure
        limit = f"{bound.max_rate:g}% of runs" if bound.max_rate is not None else f"{bound.max}"
        then = "could not evaluate" if bound.level is None else str(bound.level)
        checks.append(f"infrastructure failures ≤ {limit} (above it: {then})")
    if policy.performance_metrics.require_all_met:
        where = " (where the result has rubric rules)"
        checks.append(
            "every rubric rule met" + (where if policy.performance_metrics.only_if_present else "")
        )
    checks.extend(f"rubric rule '{r.metric}' bounds" for r in policy.performance_metrics.rules)
    for scenario in policy.scenarios:
        which = (
            f"id {scenario.scenario_id}"
            if scenario.scenario_id is not None
            else f"'{scenario.name}'"
        )
        sure = f" at {scenario.confidence:g} confidence" if scenario.confidence else ""
        if scenario.min_success_rate is not None:
            checks.append(f"scenario {which} success rate ≥ {scenario.min_success_rate:g}%{sure}")
        if scenario.min_passes is not None:
            checks.append(f"scenario {which} passes at least {scenario.min_passes} run(s)")
        if scenario.flaky_level is not None:
            checks.append(f"scenario {which} not flaky ({scenario.flaky_level})")
    for metric in policy.metrics:
        unit = "%" if metric.aggregation == "pass_rate" else ""
        bounds = [f"≥ {metric.min:g}{unit}" if metric.min is not None else ""]
        bounds.append(f"≤ {metric.max:g}{unit}" if metric.max is not None else "")
        sure = f" at {metric.confidence:g} confidence" if metric.confidence else ""
        checks.append(
            f"metric '{metric.metric}' {metric.aggregation} "
            f"{' and '.join(b for b in bounds if b)}{sure}"
        )
    if policy.flaky.configured:  # else a flaky scenario is a warning, said where it happens
        checks.append(f"repeated scenarios not flaky ({policy.flaky.level})")
    checks.extend(
        f"quarantined until {q.until}: scenario " + described(q.name, q.scenario_id)
        for q in policy.quarantine
    )
    if policy.baseline is not None:
        how = baseline_how(policy.baseline)
        checks.append(f"a baseline: {how} (when missing: {policy.baseline.when_missing})")
        if policy.baseline.max_age_hours is not None:
            checks.append(
                f"a baseline at most {policy.baseline.max_age} old "
                f"(when older: {policy.baseline.when_older})"
            )
        regression = policy.regression
        if regression.success_rate:
            checks.append(
                f"success rate {_drop(regression.success_rate, ' pp')} vs the baseline"
                + _significant(regression.success_rate.significance)
                + "; infrastructure failures left out on both sides"
            )
        for scenario_bound in regression.scenarios:
            which = (
                f"id {scenario_bound.scenario_id}"
                if scenario_bound.scenario_id is not None
                else f"'{scenario_bound.name}'"
            )
            checks.append(
                f"scenario {which} success rate {_drop(scenario_bound, ' pp')} vs the baseline"
                + _significant(scenario_bound.significance)
            )
        for bound in (*regression.rules, *regression.metrics):
            what = f"{bound.metric} {bound.aggregation}".strip()
            limits = []
            if bound.max_drop is not None:
                limits.append(f"drop ≤ {bound.max_drop:g}")
            if bound.max_increase is not None:
                limits.append(f"rise ≤ {bound.max_increase:g}")
            checks.append(
                f"'{what}' {' and '.join(limits)} vs the baseline"
                + _significant(bound.significance)
            )
        coverage = policy.coverage
        if coverage is not None:
            checks.append(
                "every scenario of the baseline still runs "
                f"(when not: {coverage.missing_scenarios})"
            )
            if coverage.max_run_drop is not None:
                checks.append(f"run count drop ≤ {coverage.max_run_drop:g}% vs the baseline")
    return checks


def retry_in_words(rules: model.RetryPolicy) -> str:
    """What retry_failed does, for `validate`."""
    times = "once" if rules.times == 1 else f"up to {rules.times} times"
    return (
        f"a failed run the gate starts is retried {times}, only its failed scenarios, within "
        f"{rules.max_calls} calls; every run counts."
    )


def _drop(bound: Any, unit: str) -> str:
    if bound.max_drop is None:
        return "any drop"
    return f"drop ≤ {bound.max_drop:g}{unit}"


def _significant(significance: float | None) -> str:
    return "" if significance is None else f", when significant (p ≤ {significance:g})"


def baseline_how(policy: BaselinePolicy, *, agent: str = "", before: str = "") -> str:
    """How the baseline is looked for: `agent` when the config names none, `before` the
    creation time of the result under test (a readable one)."""
    if policy.result_file:
        return f"baseline file {policy.result_file}"
    if policy.result_id:
        return f"baseline result {policy.result_id}"
    agent = policy.agent_id or agent
    text = "the latest completed result of " + (f"agent {agent}" if agent else "the same agent")
    if policy.name_pattern:
        text += f" named like '{policy.name_pattern}'"
    if before:
        text += f" created before {before}"
    return text
