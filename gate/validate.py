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
        checks.append(f"success rate ≥ {policy.success_rate.min:g}%")
    if policy.failed_workflow_runs:
        checks.append(f"failed workflow runs ≤ {policy.failed_workflow_runs.max}")
    if policy.failed_infrastructure_runs:
        checks.append(f"failed infrastructure runs ≤ {policy.failed_infrastructure_runs.max}")
    if policy.performance_metrics.require_all_met:
        checks.append("every rubric rule met")
    checks.extend(f"rubric rule '{r.metric}' bounds" for r in policy.performance_metrics.rules)
    return checks
