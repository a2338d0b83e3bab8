"""`cekura-gate validate`: check config files and say what is wrong, with file:line.

In GitHub Actions each problem is also an `::error` annotation at its file and line, so a
pull request that breaks the config shows the problem on the line that broke it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from gate.errors import EXIT_PASS, EXIT_USAGE, ConfigError
from gate.policy import config
from gate.settings import DEFAULT_CONFIGS, Settings


def run_validate(settings: Settings, *, out: TextIO, err: TextIO) -> int:
    if settings.paths:
        paths = [Path(p) for p in settings.paths]
    else:
        found = settings.config_path()  # raises UsageError when both defaults exist
        if found is None:
            out.write(default_policy_notice() + "\n")
            return EXIT_PASS
        paths = [found]
    code = EXIT_PASS
    for path in paths:
        try:
            policy = config.load(path)
        except ConfigError as exc:
            from gate.publish import github  # only now: it costs every start-up ~20 ms

            code = EXIT_USAGE
            # stderr, like every other error of the gate: the problems, one FILE:LINE each
            err.write(f"cekura-gate: {exc.kind}: {github.safe_log_line(exc.message)}\n")
            if settings.github.actions:
                for line in github.file_annotations(str(path), exc.problems):
                    out.write(line + "\n")
            continue
        out.write(f"{path}: valid. The gate will check: {', '.join(_describe(policy))}.\n")
    if len(paths) > 1 and code != EXIT_PASS:
        err.write("cekura-gate: config error: not every file is valid; see above.\n")
    return code


def default_policy_notice() -> str:
    """What the gate does without a config file, in one sentence for the log and summary."""
    names = " nor ".join(str(p) for p in DEFAULT_CONFIGS)
    return (
        f"No config file: --config is not set and neither {names} exists, so the default "
        f"policy applies: {', '.join(_describe(config.DEFAULT_POLICY))}. Add {DEFAULT_CONFIGS[0]} "
        "to set your own thresholds."
    )


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
        from gate.result.parsing import Result
        from gate.source.baseline import describe

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
