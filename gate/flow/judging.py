"""Judging a result under the policy: what of the result the policy reads, and the verdict
on the date of the run (the quarantine list is read against it)."""

from __future__ import annotations

import datetime
from typing import Any

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.policy import model
from gate.result.model import Result
from gate.result.parsing import parse

#: today's date in UTC (YYYY-MM-DD), which the quarantine list is read against; "" reads the
#: system clock. A module constant so that tests can fix the date of the real command.
TODAY = ""


def today_utc() -> datetime.date:
    if TODAY:
        return datetime.date.fromisoformat(TODAY)
    return datetime.datetime.now(datetime.UTC).date()


def parse_for(raw: Any, policy: model.Policy) -> Result:
    """The Result the check reads under `policy`: of a run that succeeded, only the metrics
    that metric aggregates read (thresholds.metrics, regression metrics)."""
    return parse(raw, passing_metrics=policy.metric_names)


def judge(result: Result, policy: model.Policy, baseline: Any) -> Verdict:
    """The verdict on `result` (and `baseline`, a gate.result.model.Baseline or None), now."""
    return evaluate(
        result,
        policy,
        baseline=baseline,
        today=today_utc(),
        now=datetime.datetime.now(datetime.UTC),
    )
