"""The age of the baseline: `baseline.max_age`. Pure: the clock is passed in.

The age is measured from the baseline's `created_at` to the `created_at` of the result under
test (so re-evaluating a saved result gives the same verdict), or to `now` when the result has
no readable date. A baseline without a readable date is reported, never passed: an age that
cannot be told is not young.
"""

from __future__ import annotations

from datetime import UTC, datetime

from gate.judge.decide import within
from gate.judge.reasons import Reason
from gate.judge.verdict import Check, Kind, Outcome, Unit
from gate.policy.model import BaselinePolicy
from gate.result.model import BaselineRef, Result


def age_check(
    policy: BaselinePolicy, ref: BaselineRef, result: Result, now: datetime | None
) -> Check:
    assert policy.max_age_hours is not None
    base = {
        "name": "baseline.age",
        "title": "Baseline age",
        "kind": Kind.BASELINE_AGE,
        "level": policy.when_older,
        "unit": Unit.HOURS,
        "maximum": policy.max_age_hours,
        "baseline": ref,
    }
    created = timestamp(ref.created_at)
    if created is None:  # `baseline` holds what it has instead
        return Check(**base, outcome=Outcome.MISSING, reason=Reason.BASELINE_UNDATED)
    until = timestamp(result.created_at) or now
    if until is None:
        return Check(**base, outcome=Outcome.MISSING, reason=Reason.NO_CLOCK)
    hours = (until - created).total_seconds() / 3600
    ok = within(hours, None, policy.max_age_hours, tolerance=0)
    return Check(**base, value=hours, outcome=Outcome.PASS if ok else Outcome.FAIL)


def timestamp(text: str) -> datetime | None:
    """An ISO 8601 time as the API writes it ("2026-11-20T10:00:00Z"); naive means UTC."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
