"""The quarantine list: scenarios reported but not gated on until a date.

Pure: the checks, the scenarios and today's date (UTC, given by the caller: the clock is an
edge) -> the checks with the quarantined scenarios' own checks excused, and the state of
every entry for the report.

- Active (today on or before `until`, inclusive): the scenario's own checks (its
  `scenarios[...]` success-rate and min_passes checks, its flaky check) are still measured
  and shown, but at warn level, marked with the date: they cannot fail the gate. Its runs
  still count everywhere else: the overall success rate, failed runs, metrics. Quarantine
  excuses a scenario's own checks; it never hides runs.
- Expired (today after `until`), or no date given: the checks gate as configured, and a
  warn-level `quarantine[<label>]` check says the quarantine expired.
- An entry that matches no scenario of the result is a warn-level `quarantine[<label>]`
  check (missing): a typo must not look like a working quarantine.
"""

from __future__ import annotations

import datetime

import msgspec

from gate.judge.aggregate import ScenarioStats
from gate.judge.reasons import Reason
from gate.judge.repeats import matches
from gate.judge.verdict import Check, Kind, Level, Outcome, QuarantineState, Unit
from gate.policy.model import Policy
from gate.result.names import key

#: the checks a quarantine excuses: those about one scenario
SCENARIO_KINDS = frozenset({Kind.SCENARIO, Kind.SCENARIO_PASSES, Kind.FLAKY})


def apply(
    checks: list[Check],
    stats: list[ScenarioStats],
    policy: Policy,
    today: datetime.date | None,
) -> tuple[list[Check], tuple[QuarantineState, ...], dict[int, str]]:
    """`today` None (no clock given): no quarantine is active, so nothing is excused. Also
    returns the last day of the active quarantine of each scenario, by id() of its stats."""
    states: list[QuarantineState] = []
    excusing: dict[int, str] = {}  # id(scenario stats) -> the latest active `until`
    active_labels: dict[str, str] = {}  # key(label) -> until, for checks that found no runs
    notices: list[Check] = []
    for entry in policy.quarantine:
        matched = [s for s in stats if matches(s, entry.name, entry.scenario_id)]
        active = today is not None and today <= datetime.date.fromisoformat(entry.until)
        states.append(
            QuarantineState(
                label=entry.label,
                reason=entry.reason,
                until=entry.until,
                active=active,
                scenarios=tuple(dict.fromkeys(s.name for s in matched)),
            )
        )
        if active:
            for scenario in matched:
                excusing[id(scenario)] = max(excusing.get(id(scenario), ""), entry.until)
            active_labels[key(entry.label)] = max(
                active_labels.get(key(entry.label), ""), entry.until
            )
        base = {
            "name": f"quarantine[{entry.label}]",
            "title": f"Quarantine: {matched[0].name if matched else entry.label}",
            "kind": Kind.QUARANTINE,
            "subject": entry.label,
            "unit": Unit.NONE,
            "level": Level.WARN,
            "until": entry.until,
            "config": policy.source,
        }
        if not matched:
            notices.append(
                Check(
                    **base,
                    outcome=Outcome.MISSING,
                    reason=Reason.QUARANTINE_MATCHED_NOTHING,
                )
            )
        elif not active:
            notices.append(
                Check(
                    **base,
                    outcome=Outcome.FAIL,
                    reason=Reason.QUARANTINE_EXPIRED,
                )
            )
    out = []
    for check in checks:
        until = _excused_until(check, stats, policy, excusing, active_labels)
        out.append(
            msgspec.structs.replace(check, level=Level.WARN, until=until) if until else check
        )
    return out + notices, tuple(states), excusing


def _excused_until(
    check: Check,
    stats: list[ScenarioStats],
    policy: Policy,
    excusing: dict[int, str],
    active_labels: dict[str, str],
) -> str:
    """The date of the quarantine that excuses `check`, or "" when none does: a check is
    excused when every scenario it covers is quarantined."""
    # a scenario's own checks, and its regression against the baseline (regression.scenarios)
    regression = check.kind is Kind.REGRESSION and check.measures is Kind.SCENARIO
    if not (check.kind in SCENARIO_KINDS or regression):
        return ""
    if not check.subject or not (excusing or active_labels):
        return ""
    bounds = policy.regression.scenarios if regression else policy.scenarios
    bound = next((b for b in bounds if b.label == check.subject), None)
    if bound is not None:
        covered = [s for s in stats if matches(s, bound.name, bound.scenario_id)]
    else:  # a flaky check on a scenario the config does not list: its id, else its name
        covered = [
            s
            for s in stats
            if (s.scenario_id is not None and str(s.scenario_id) == check.subject)
            or (s.scenario_id is None and key(s.name) == key(check.subject))
        ]
    if not covered:
        return active_labels.get(key(check.subject), "")
    if all(id(s) in excusing for s in covered):
        return min(excusing[id(s)] for s in covered)
    return ""
