"""retry_failed: the failed scenarios of a run the gate started, started again and judged
together with the first result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msgspec.structs import replace

from gate.errors import Cancelled, GateError
from gate.flow.baseline import lookup_baseline
from gate.flow.judging import judge, parse_for
from gate.judge.verdict import Verdict, VerdictKind
from gate.policy import model
from gate.result.combine import combine
from gate.result.model import Result
from gate.settings import Settings
from gate.source.cancel import Cancellation
from gate.source.retry_run import plan_retry, start_retry
from gate.source.wanted import Progress, Wanted


def retry_failed(
    settings: Settings,
    wanted: Wanted,
    policy: model.Policy,
    result: Result,
    verdict: Verdict,
    baseline: Any,
    *,
    seen: Progress,
    log: Any,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancel: Cancellation,
) -> tuple[Result, Verdict, list[str]]:
    """retry_failed: start the failed scenarios again (up to `times` runs, within
    `max_calls`), and judge every run together; the notes say what was retried or why not.

    The first result's runs all count (a run decided early contributes its finished runs);
    a retry that cannot be waited for leaves the verdict as it was, with a note."""
    rules = policy.retry_failed
    assert rules is not None
    notes: list[str] = []
    if seen.decided_early:  # the runs not needed were ended: the finished ones are the run
        done = len(result.runs)
        result = replace(
            result,
            reported_total_runs=done,
            reported_success_runs=sum(1 for r in result.runs if r.success is True),
            completed_runs=done,
        )
    latest, request, spent = result, wanted.start_request(), 0
    for attempt in range(1, rules.times + 1):
        plan = plan_retry(latest, request, spent=spent, max_calls=rules.max_calls)
        if plan.request is None:
            notes.append(f"Not retried{' again' if attempt > 1 else ''}: {plan.refused}.")
            break
        again = Progress()
        seen.retry = again
        try:
            raw = start_retry(
                wanted,
                plan,
                seen=again,
                log=log,
                clock=clock,
                sleep=sleep,
                cancelled=cancel,
                debug=settings.verbosity > 0,
            )
        except Cancelled:
            raise  # seen.retry stays: the cancel ends the retry's calls
        except GateError as exc:
            seen.retry = None
            which = f"result {again.result_id}" if again.result_id else "not started"
            notes.append(
                f"The retry of {_scenarios(plan.scenarios)} ({which}) could not be judged: "
                f"{exc.message} The verdict is the one before it."
            )
            break
        seen.retry = None
        spent += plan.calls
        retry = parse_for(raw, policy)
        del raw
        passed = sum(1 for r in retry.runs if r.success is True)
        notes.append(
            f"Retried {_scenarios(plan.scenarios)} {_times(attempt)}: result "
            f"{retry.id or again.result_id} ({passed} of {retry.total_runs} passed)."
        )
        result = combine(result, retry)
        if baseline is None and policy.baseline is not None:  # skipped when decided early
            baseline = lookup_baseline(
                settings, policy, result, log=log, sleep=sleep, cancel=cancel
            )
        verdict = judge(result, policy, baseline)
        if verdict.kind is not VerdictKind.FAIL:
            break
        latest, request = retry, plan.request
    for note in notes:
        log.info(note)
    return result, verdict, notes


def _scenarios(ids: tuple[int, ...]) -> str:
    return f"{len(ids)} failed scenario{'s' if len(ids) != 1 else ''}"


def _times(attempt: int) -> str:
    return {1: "once", 2: "a second time", 3: "a third time"}.get(attempt, f"a {attempt}th time")
