"""YAML config -> Policy, validated against the shipped JSON Schema.

Errors name the file, the line, the key path, the bad value and what was expected, e.g.
`gate.yml:4: thresholds.success_rate.min: expected a number from 0 to 100, got 'ninety'`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gate.errors import ConfigError
from gate.policy.duration import parse_duration

# not gate.judge.verdict, whose classes validating a config does not need
from gate.policy.level import Level
from gate.policy.model import (
    DEFAULT_POLICY,
    BaselinePolicy,
    ChangeBound,
    CoveragePolicy,
    FlakyPolicy,
    InfrastructureBound,
    MaxCheck,
    MetricBound,
    MinCheck,
    Policy,
    QuarantineEntry,
    RegressionPolicy,
    RetryPolicy,
    RubricPolicy,
    RuleBound,
    ScenarioBound,
    ScenarioChangeBound,
)
from gate.policy.validation import cross_problems, normalise_dates, schema_problems
from gate.policy.yaml_reader import MAX_CONFIG_BYTES, load_yaml

# The policy's parts are frozen msgspec Structs (gate/policy/model.py): immutable and
# compared by value like frozen dataclasses, and their classes are built in C at import,
# which `cekura-gate validate` pays on every start (benchmarks/startup.py).


def load(path: Path | None) -> Policy:
    """The policy in `path`, or the default policy when path is None."""
    if path is None:
        return DEFAULT_POLICY
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} does not exist. Create it (see examples/) or leave --config "
            "unset to use the default policy."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config file {path} is {len(text):,} characters long; the gate reads configs of "
            f"at most {MAX_CONFIG_BYTES:,} (256 KiB). A gate config is a few dozen lines: check "
            "--config points at it."
        )
    return parse(text, name=str(path))


def parse(text: str, *, name: str) -> Policy:
    node, data = load_yaml(text, name)
    normalise_dates(data)
    problems = schema_problems(data, node, name) or cross_problems(data, node, name)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(f"{name}: {count}:\n  " + "\n  ".join(problems), problems=problems)
    return _to_policy(data, name)


# -- YAML with positions -----------------------------------------------------------------


# -- validation --------------------------------------------------------------------------


# -- policy ------------------------------------------------------------------------------


def _to_policy(data: dict[str, Any], name: str) -> Policy:
    thresholds = data.get("thresholds") or {}
    rate = thresholds.get("success_rate")
    metrics = thresholds.get("performance_metrics") or {}
    regression = thresholds.get("regression") or {}
    return Policy(
        source=name,
        min_runs=thresholds.get("min_runs", 1),
        evaluate_statuses=frozenset(data.get("evaluate_statuses", ["completed"])),
        success_rate=MinCheck(
            min=rate["min"],
            level=_level(rate),
            **_confidence(rate),
            count_infrastructure=rate.get("count_infrastructure", "as_failure"),
        )
        if rate
        else None,
        failed_workflow_runs=_max_check(thresholds.get("failed_workflow_runs")),
        failed_infrastructure_runs=_max_check(thresholds.get("failed_infrastructure_runs")),
        performance_metrics=RubricPolicy(
            require_all_met=metrics.get("require_all_met", False),
            level=_level(metrics),
            rules=tuple(
                RuleBound(metric=r["metric"], min=r.get("min"), max=r.get("max"), level=_level(r))
                for r in metrics.get("rules", [])
            ),
        ),
        baseline=_baseline(data.get("baseline")),
        regression=RegressionPolicy(
            success_rate=_change("success_rate", regression.get("success_rate")),
            rules=tuple(_change(r["metric"], r) for r in regression.get("rules", [])),
            metrics=tuple(_change(r["metric"], r) for r in regression.get("metrics", [])),
            scenarios=tuple(
                ScenarioChangeBound(
                    name=s.get("name", ""),
                    scenario_id=s.get("id"),
                    max_drop=s.get("max_drop"),
                    significance=s.get("significance"),
                    level=_level(s),
                )
                for s in regression.get("scenarios", [])
            ),
        ),
        coverage=_coverage(thresholds.get("coverage")),
        scenarios=tuple(
            ScenarioBound(
                min_success_rate=s.get("min_success_rate"),
                name=s.get("name", ""),
                scenario_id=s.get("id"),
                level=_level(s),
                min_passes=s.get("min_passes"),
                flaky_level=Level(s["flaky"].get("level", "warn")) if "flaky" in s else None,
                **_confidence(s),
            )
            for s in thresholds.get("scenarios", [])
        ),
        metrics=tuple(
            MetricBound(
                metric=m["metric"],
                aggregation=m["aggregation"],
                min=m.get("min"),
                max=m.get("max"),
                level=_level(m),
                **_confidence(m),
            )
            for m in thresholds.get("metrics", [])
        ),
        infrastructure=_infrastructure(thresholds.get("infrastructure")),
        flaky=_flaky(thresholds.get("flaky")),
        quarantine=tuple(
            QuarantineEntry(
                reason=q["reason"],
                until=str(q["until"]),
                name=q.get("name", ""),
                scenario_id=q.get("id"),
            )
            for q in data.get("quarantine", [])
        ),
        retry_failed=_retry(data.get("retry_failed")),
    )


def _retry(raw: dict[str, Any] | None) -> RetryPolicy | None:
    if raw is None:
        return None
    return RetryPolicy(times=raw.get("times", 1), max_calls=raw.get("max_calls", 20))


def _infrastructure(raw: dict[str, Any] | None) -> InfrastructureBound | None:
    if raw is None:
        return None
    level = raw.get("level", "could_not_evaluate")
    return InfrastructureBound(
        max_rate=raw.get("max_rate"),
        max=raw.get("max"),
        level=None if level == "could_not_evaluate" else Level(level),
    )


def _flaky(raw: dict[str, Any] | None) -> FlakyPolicy:
    if raw is None:
        return FlakyPolicy()
    return FlakyPolicy(level=Level(raw.get("level", "warn")), configured=True)


def _baseline(raw: dict[str, Any] | None) -> BaselinePolicy | None:
    if raw is None:
        return None
    return BaselinePolicy(
        result_id=str(raw.get("result_id", "")),
        result_file=raw.get("result_file", ""),
        latest_completed=bool(raw.get("latest_completed", False)),
        agent_id=str(raw.get("agent_id", "")),
        name_pattern=raw.get("name_pattern", ""),
        when_missing=Level(raw.get("when_missing", "error")),
        max_results=raw.get("max_results", 200),
        max_age=str(raw.get("max_age", "")),
        max_age_hours=parse_duration(raw["max_age"]) if "max_age" in raw else None,
        when_older=Level(raw.get("when_older", "warn")),
    )


def _coverage(raw: dict[str, Any] | None) -> CoveragePolicy | None:
    if raw is None:
        return None
    return CoveragePolicy(
        missing_scenarios=Level(raw.get("missing_scenarios", "error")),
        max_run_drop=raw.get("max_run_drop"),
        level=_level(raw),
    )


def _change(metric: str, raw: dict[str, Any] | None) -> Any:
    if raw is None:
        return None
    return ChangeBound(
        metric=metric,
        aggregation=raw.get("aggregation", ""),
        max_increase=raw.get("max_increase"),
        max_drop=raw.get("max_drop"),
        level=_level(raw),
        significance=raw.get("significance"),
    )


def _confidence(raw: dict[str, Any]) -> dict[str, Any]:
    if "confidence" not in raw:
        return {}
    return {
        "confidence": raw["confidence"],
        "inconclusive_level": Level(raw.get("inconclusive_level", "warn")),
    }


def _max_check(raw: dict[str, Any] | None) -> MaxCheck | None:
    return MaxCheck(max=raw["max"], level=_level(raw)) if raw else None


def _level(raw: dict[str, Any]) -> Level:
    return Level(raw.get("level", "error"))
