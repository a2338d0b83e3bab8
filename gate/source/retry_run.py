"""`retry_failed`: which run to start again after a run the gate started was judged a fail.

A retry runs only the scenarios that had a failing run, by scenario id, in the same mode
and with the same options as the run before it (frequency, personalities, profiles,
concurrency); it is started and waited for like the first run (gate/source/obtain.py), with
the same timeout, and never decided early (the verdict is over both runs). `plan_retry`
says what it would start or, in words for the report, why nothing is started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from gate.result.model import Result
from gate.source.obtain import obtain
from gate.source.start import StartRequest
from gate.source.wanted import Progress, Wanted


class RetryPlan(msgspec.Struct, frozen=True):
    """The retry to start (`request`, placing `calls` calls), or why none (`refused`)."""

    request: StartRequest | None = None
    calls: int = 0
    scenarios: tuple[int, ...] = ()
    refused: str = ""


def plan_retry(result: Result, request: StartRequest, *, spent: int, max_calls: int) -> RetryPlan:
    """The retry of the scenarios of `result` that had a failing run; `spent`: the calls
    earlier retries placed (max_calls bounds them all)."""
    failing = result.failing_runs
    if not failing:
        return RetryPlan(refused="no run failed, so there is nothing to retry")
    if request.suite is not None:
        return RetryPlan(
            refused="a suite-file run is not retried (its scenarios are defined by the suite, "
            "not by scenario ids the gate can start again)"
        )
    without_id = [run.id for run in failing if run.scenario_id is None]
    if without_id:
        return RetryPlan(
            refused=f"{len(without_id)} failing run(s) name no scenario id (run "
            f"{without_id[0]}), so the failed scenarios cannot be started again by id"
        )
    scenarios = tuple(sorted({run.scenario_id for run in failing if run.scenario_id}))
    retry = msgspec.structs.replace(
        request,
        scenarios=scenarios,
        tags=(),
        run_name=f"{request.run_name} (retry)" if request.run_name else "",
    )
    calls = retry.calls() or 0
    if spent + calls > max_calls:
        already = f" after {spent} already placed by retries" if spent else ""
        return RetryPlan(
            scenarios=scenarios,
            calls=calls,
            refused=f"retrying {_count(len(scenarios), 'failed scenario')} would place "
            f"{calls} call{'s' if calls != 1 else ''}{already}, more than retry_failed.max_calls "
            f"({max_calls}); raise max_calls to allow it",
        )
    return RetryPlan(request=retry, calls=calls, scenarios=scenarios)


def start_retry(
    wanted: Wanted,
    plan: RetryPlan,
    *,
    seen: Progress,
    log: Any,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancelled: Callable[[], bool] | None,
    debug: bool = False,
) -> Any:
    """Start the planned retry (exactly one start request), wait for it to end, and return
    its raw detail. `seen` is the retry's own Progress (its id, status, end_calls)."""
    assert plan.request is not None
    again = msgspec.structs.replace(
        wanted,
        result_id="",
        result_file="",
        start=plan.request,
        scenarios=plan.request.scenarios,
        tags=(),
        max_calls=None,  # bounded by retry_failed.max_calls in plan_retry
        run_name=None,  # not the job's run: a re-run attempt must not reattach to a retry
        reuse="never",
    )
    return obtain(
        again, seen=seen, log=log, clock=clock, sleep=sleep, cancelled=cancelled, debug=debug
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
