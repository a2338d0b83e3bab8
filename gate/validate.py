"""`cekura-gate validate`: check a config file and say what is wrong, with file:line."""

from __future__ import annotations

from typing import TextIO

from gate import config
from gate.errors import EXIT_PASS
from gate.settings import Settings


def run_validate(settings: Settings, *, out: TextIO) -> int:
    path = settings.config_path()
    if path is None:
        out.write(
            "No config file: --config is not set and .cekura/gate.yml does not exist, so the "
            "default policy applies (every run must succeed, at least 1 run, every rubric rule "
            "met where the result has rubric rules).\n"
        )
        return EXIT_PASS
    policy = config.load(path)  # raises ConfigError (exit 2) listing every problem
    checks = _describe(policy)
    out.write(f"{path}: valid. The gate will check: {', '.join(checks)}.\n")
    return EXIT_PASS


def _describe(policy: config.Policy) -> list[str]:
    checks = [f"at least {policy.min_runs} run(s)"]
    if policy.success_rate:
        sure = policy.success_rate.confidence
        checks.append(
            f"success rate ≥ {policy.success_rate.min:g}%"
            + (f" at {sure:g} confidence (Wilson interval)" if sure else "")
        )
    if policy.failed_workflow_runs:
        checks.append(f"failed workflow runs ≤ {policy.failed_workflow_runs.max}")
    if policy.failed_infrastructure_runs:
        checks.append(f"failed infrastructure runs ≤ {policy.failed_infrastructure_runs.max}")
    if policy.performance_metrics.require_all_met:
        checks.append("every rubric rule met")
    checks.extend(f"rubric rule '{r.metric}' bounds" for r in policy.performance_metrics.rules)
    for scenario in policy.scenarios:
        which = (
            f"id {scenario.scenario_id}"
            if scenario.scenario_id is not None
            else f"'{scenario.name}'"
        )
        sure = f" at {scenario.confidence:g} confidence" if scenario.confidence else ""
        checks.append(f"scenario {which} success rate ≥ {scenario.min_success_rate:g}%{sure}")
    for metric in policy.metrics:
        unit = "%" if metric.aggregation == "pass_rate" else ""
        bounds = [f"≥ {metric.min:g}{unit}" if metric.min is not None else ""]
        bounds.append(f"≤ {metric.max:g}{unit}" if metric.max is not None else "")
        sure = f" at {metric.confidence:g} confidence" if metric.confidence else ""
        checks.append(
            f"metric '{metric.metric}' {metric.aggregation} "
            f"{' and '.join(b for b in bounds if b)}{sure}"
        )
    if policy.baseline is not None:
        from gate.baseline import describe
        from gate.result import Result

        how = describe(policy.baseline, result=Result(id="", name="", status=""))
        checks.append(f"a baseline: {how} (when missing: {policy.baseline.when_missing})")
        regression = policy.regression
        if regression.success_rate:
            checks.append(
                f"success rate drop ≤ {regression.success_rate.max_drop:g} pp vs the baseline"
            )
        for bound in (*regression.rules, *regression.metrics):
            what = f"{bound.metric} {bound.aggregation}".strip()
            limits = []
            if bound.max_drop is not None:
                limits.append(f"drop ≤ {bound.max_drop:g}")
            if bound.max_increase is not None:
                limits.append(f"rise ≤ {bound.max_increase:g}")
            checks.append(f"'{what}' {' and '.join(limits)} vs the baseline")
    return checks
