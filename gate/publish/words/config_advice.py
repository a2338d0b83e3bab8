"""Warnings about a valid config that will not do what its author meant (`cekura-gate validate`).

Two traps, both silent at check time:

- A rate judged `confidence`-wise needs enough runs before even a perfect result clears the
  threshold: with `min: 80` at 0.95, 15 of 15 successes give a Wilson lower bound of 79.6%,
  so the check is inconclusive (a warning by default: the gate stays green on too few runs);
  16 of 16 pass. Given the number of runs the result will have, the config is warned about
  when that number cannot decide the check.
- Percentages in the config are 0-100: `min: 0.9` is 0.9%, almost certainly meant as 90%.

Warnings never make a config invalid; `validate` prints them and keeps its exit code.
"""

from __future__ import annotations

from typing import NamedTuple

from gate.judge.stats import runs_needed
from gate.policy.model import Policy


class RunCount(NamedTuple):
    """How many runs the result will have, and where that number comes from."""

    total: int
    #: runs of each scenario (the start's frequency); None when only the total is known
    per_scenario: int | None
    source: str  # "--scenarios 1,2,3 × --frequency 2", "min_runs: 10"


class Advice(NamedTuple):
    path: tuple[str | int, ...]  # where in the config, e.g. ("thresholds", "success_rate", "min")
    text: str


def config_advice(policy: Policy, runs: RunCount | None) -> list[Advice]:
    """Every warning for `policy`; the confidence ones only when `runs` is known."""
    return [*_fractions(policy), *(_undecidable(policy, runs) if runs else ())]


def _fractions(policy: Policy) -> list[Advice]:
    found: list[tuple[tuple[str | int, ...], float]] = []
    if policy.success_rate is not None:
        found.append((("thresholds", "success_rate", "min"), policy.success_rate.min))
    for index, bound in enumerate(policy.scenarios):
        if bound.min_success_rate is not None:  # a scenario may bound min_passes only
            found.append(
                (("thresholds", "scenarios", index, "min_success_rate"), bound.min_success_rate)
            )
    for index, metric in enumerate(policy.metrics):
        if metric.aggregation != "pass_rate":
            continue
        for key, value in (("min", metric.min), ("max", metric.max)):
            if value is not None:
                found.append((("thresholds", "metrics", index, key), value))
    return [
        Advice(
            path,
            f"{_show(value)} looks like a fraction, but rates in the config are percent (0-100): "
            f"this means {_show(value)}%. For {_show(value * 100)}%, write {_show(value * 100)}.",
        )
        for path, value in found
        if 0 < value <= 1
    ]


def _undecidable(policy: Policy, runs: RunCount) -> list[Advice]:
    out = []
    rate = policy.success_rate
    if rate is not None and rate.confidence:
        out += _decidable(
            ("thresholds", "success_rate", "confidence"),
            rate.confidence,
            rate.min,
            None,
            runs.total,
            runs.source,
        )
    for index, metric in enumerate(policy.metrics):
        if metric.aggregation == "pass_rate" and metric.confidence:
            out += _decidable(
                ("thresholds", "metrics", index, "confidence"),
                metric.confidence,
                metric.min,
                metric.max,
                runs.total,
                runs.source,
            )
    if runs.per_scenario is not None:
        for index, bound in enumerate(policy.scenarios):
            if bound.confidence:
                out += _decidable(
                    ("thresholds", "scenarios", index, "confidence"),
                    bound.confidence,
                    bound.min_success_rate,
                    None,
                    runs.per_scenario,
                    f"{runs.per_scenario} per scenario ({runs.source})",
                )
    return out


def _decidable(
    path: tuple[str | int, ...],
    confidence: float,
    minimum: float | None,
    maximum: float | None,
    runs: int,
    source: str,
) -> list[Advice]:
    """A warning when even the best possible result of `runs` runs leaves the check
    inconclusive (the best: every run succeeds for a minimum, none for a maximum only)."""
    low = minimum / 100 if minimum is not None else None
    high = maximum / 100 if maximum is not None else None
    best = (low + high) / 2 if low is not None and high is not None else 1.0 if low else 0.0
    needed = runs_needed(best, confidence, minimum=low, maximum=high)
    bound = " and ".join(
        part
        for part in (
            f"min {_show(minimum)}" if minimum is not None else "",
            f"max {_show(maximum)}" if maximum is not None else "",
        )
        if part
    )
    at = f"{bound} at confidence {_show(confidence)}"
    best_words = (
        "the best possible result"
        if minimum is not None and maximum is not None
        else "every run succeeding"
        if minimum is not None
        else "no run passing"
    )
    # None: no number of runs decides it; the config refuses such bounds (a minimum of 100%,
    # a maximum of 0%) before advice is asked for.
    if needed is None or needed <= runs:
        return []
    return [
        Advice(
            path,
            f"{at} needs at least {needed} runs to be decided, even with {best_words}; the "
            f"result will have {runs} ({source}), so the check can only be inconclusive. "
            f"Run more (at least {needed}), lower the bound, or drop confidence.",
        )
    ]


def _show(value: float) -> str:
    return f"{round(value, 4):g}"
