"""Decide early: can the verdict of a result that is still running still become a pass?

Pure: Result + Policy -> the checks already lost. A check is lost when no outcome of the runs
still open can save it, judged on the most favourable completion:

- the success rate, if every open run (and every planned run not yet listed) succeeded;
- a critical scenario's floor, the same way, counting every unlisted run as a success of
  that scenario;
- a `max` count of failed runs (workflow, infrastructure), as soon as the ids already
  reported exceed it (a failed run stays failed).

Only `error`-level checks count (a warning cannot fail the gate), each judged by the same
rate check as at the end (gate/judge/kinds.py), confidence intervals included: a rate that
can still reach its minimum exactly keeps the wait going. Nothing here ever decides a pass:
a pass needs the finished result. Checks whose data only exists at the end (rubric rules,
metric aggregates, Cekura's summary, the baseline) are never lost early; `early_verdict`
reports them as not reached.
"""

from __future__ import annotations

import msgspec

from gate.judge.aggregate import find_scenario, scenario_stats
from gate.judge.kinds import rate_check
from gate.judge.reasons import Reason, Stop
from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict
from gate.policy.model import MaxCheck, Policy, ScenarioBound
from gate.result.model import Result, Run
from gate.result.status import TERMINAL_STATUSES

#: a run with one of these statuses has ended without succeeding (Cekura's own clients read
#: `error` the same way)
LOST_RUN_STATUSES = frozenset({"failed", "timeout", "cancelled", "error"})


def run_lost(run: Run) -> bool:
    """A run that can no longer count as a success: ended badly, or evaluated as failed.

    A completed run whose `success` is still null is being evaluated: still open.
    """
    if run.success is True:
        return False
    return run.status in LOST_RUN_STATUSES or (run.status == "completed" and run.success is False)


def run_finished(run: Run) -> bool:
    """Ended, with its outcome known (a completed run awaiting its evaluation is not)."""
    return run_lost(run) or (run.status in TERMINAL_STATUSES and run.success is True)


def planned_runs(result: Result) -> int:
    """The runs the result will have: those listed, or the reported total when larger."""
    return max(len(result.runs), result.reported_total_runs or 0)


def open_runs(result: Result) -> int:
    """Runs not finished yet (listed or not): the calls a decision now would not need."""
    return planned_runs(result) - sum(1 for r in result.runs if run_finished(r))


def lost_checks(result: Result, policy: Policy) -> tuple[Check, ...]:
    """The `error`-level checks no outcome of the open runs can pass; () while a pass is
    still possible (or nothing is planned yet)."""
    planned = planned_runs(result)
    if planned <= 0:
        return ()
    lost: list[Check] = []
    unlisted = planned - len(result.runs)
    rate = policy.success_rate
    if rate is not None and rate.level is Level.ERROR:
        failed = sum(1 for r in result.runs if run_lost(r))
        check = rate_check(
            {"name": "success_rate", "title": "Success rate", "kind": Kind.SUCCESS_RATE},
            successes=planned - failed,
            runs=planned,
            minimum=rate.min,
            level=rate.level,
            confidence=rate.confidence,
            inconclusive_level=rate.inconclusive_level,
        )
        if check.blocking:
            lost.append(_at_best(check))
    for bound in policy.scenarios:
        check = _scenario(result, bound, unlisted)
        if check is not None:
            lost.append(check)
    lost.extend(
        check
        for check in (
            _max_runs(
                "failed_workflow_runs",
                "Failed workflow runs",
                result.failed_workflow_runs,
                policy.failed_workflow_runs,
            ),
            _max_runs(
                "failed_infrastructure_runs",
                "Failed infrastructure runs",
                result.failed_infrastructure_runs,
                policy.failed_infrastructure_runs,
            ),
        )
        if check is not None
    )
    return tuple(lost)


def early_verdict(result: Result, policy: Policy, full: Verdict) -> Verdict:
    """The verdict of a result decided early: the lost checks fail, every other check of
    `full` (the same result judged as if it had ended) is reported as not reached.

    Never a pass: with nothing lost, the result could not be evaluated (a result still
    running is not judged)."""
    lost = {c.name: c for c in lost_checks(result, policy)}
    if not lost:
        return Verdict.stopped(
            Stop.STILL_RUNNING,
            result_id=result.id,
            status=result.status,
        )
    checks = [lost.pop(c.name) if c.name in lost else _not_reached(c) for c in full.checks]
    checks.extend(lost.values())  # lost checks `full` did not have (it never should)
    return Verdict.from_checks(tuple(checks), baseline=full.baseline, scenarios=full.scenarios)


# -- helpers -----------------------------------------------------------------------------


def _at_best(check: Check) -> Check:
    """A rate lost early: at best `successes` of `runs` (every open run succeeding)."""
    return msgspec.structs.replace(check, reason=Reason.AT_BEST)


def _scenario(result: Result, bound: ScenarioBound, unlisted: int) -> Check | None:
    if bound.level is not Level.ERROR:
        return None
    runs = [r for r in result.runs if _of(r, bound)]
    if not runs:
        return None  # not (yet) in the result: whether it is missing is known at the end
    found = find_scenario(
        scenario_stats(runs), name=bound.name or None, scenario_id=bound.scenario_id
    )
    if found is None:
        return None
    failed = sum(1 for r in runs if run_lost(r))
    planned = len(runs) + unlisted
    label = bound.label
    check = rate_check(
        {
            "name": f"scenarios[{label}]",
            "title": f"Scenario: {found.name or label}",
            "kind": Kind.SCENARIO,
            "subject": label,
        },
        successes=planned - failed,
        runs=planned,
        minimum=bound.min_success_rate,
        level=bound.level,
        confidence=bound.confidence,
        inconclusive_level=bound.inconclusive_level,
    )
    return _at_best(check) if check.blocking else None


def _of(run: Run, bound: ScenarioBound) -> bool:
    from gate.result.names import key

    if bound.scenario_id is not None:
        return run.scenario_id == bound.scenario_id
    return key(run.scenario_name) == key(bound.name)


def _max_runs(
    name: str, title: str, ids: tuple[str, ...] | None, bound: MaxCheck | None
) -> Check | None:
    if bound is None or bound.level is not Level.ERROR or ids is None or len(ids) <= bound.max:
        return None
    return Check(
        name=name,
        title=title,
        level=bound.level,
        outcome=Outcome.FAIL,
        kind=Kind.FAILED_RUNS,
        subject=name.split("_")[1],
        value=len(ids),
        unit=Unit.COUNT,
        maximum=bound.max,
        run_ids=ids,
        reason=Reason.ALREADY_TOO_MANY,
    )


def _not_reached(check: Check) -> Check:
    return msgspec.structs.replace(
        check,
        outcome=Outcome.NOT_REACHED,
        detail="",  # the outcome says it all (publish/words/wording.py: "not reached")
        reason=None,
        absent=None,
        runs_needed=None,
        value=None,
        successes=None,
        runs=None,
        interval=None,
        run_ids=(),
        baseline_value=None,
        change=None,
    )
