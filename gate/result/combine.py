"""Two results judged as one: a run and the retry of its failed scenarios (`retry_failed`).

Every run of both counts: the runs are concatenated (the first result's, then the retry's),
so a scenario that failed and then passed has two runs, one of each, and is labelled flaky;
the success rate is over all of them (no "best of n" that hides a failure). What is merged:

- `runs`: concatenated; a retry run whose id the first result already uses is renamed
  `<id>@<retry result id>`, so every run id in the combined result is distinct;
- the counts (`reported_total_runs`, `reported_success_runs`, `completed_runs`): summed, a
  side that does not report one counting its listed runs; the reported rate is recomputed
  from the summed counts;
- `failed_workflow_runs` / `failed_infrastructure_runs`: concatenated when both results
  measured them; unknown (None, "missing") when either did not: a count over only some of
  the runs would say more than is known;
- `failed_reasons` and the parser's `notes`: both, in order, without repeats;
- everything else (id, name, agent, project, creation date, the rubric rules in
  `performance_metrics`, Cekura's metric summaries and its AI summary) is the first
  result's: they are Cekura's aggregates over that run and cannot be re-aggregated from two;
- `status`: the first result's when it ended otherwise than `completed` (a `failed` result
  stays `failed`, judged only when `evaluate_statuses` says so); else the retry's, so a
  retry that did not complete makes the whole "could not evaluate".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from msgspec.structs import replace

from gate.result.model import Result
from gate.result.status import TERMINAL_STATUSES

_Item = TypeVar("_Item")  # a failed reason (text) or a note


def combine(first: Result, retry: Result) -> Result:
    """`first` and `retry` as one result (see the module's docstring for what is merged)."""
    taken = {run.id for run in first.runs}
    renamed = {run.id: f"{run.id}@{retry.id}" for run in retry.runs if run.id in taken}
    runs = first.runs + tuple(
        replace(run, id=renamed[run.id]) if run.id in renamed else run for run in retry.runs
    )
    total = _sum(first.reported_total_runs, retry.reported_total_runs, first, retry)
    success = _sum(
        first.reported_success_runs,
        retry.reported_success_runs,
        first,
        retry,
        count=_successes,
    )
    status = (
        first.status
        if first.status in TERMINAL_STATUSES and first.status != "completed"
        else retry.status
    )
    return replace(
        first,
        status=status,
        runs=runs,
        reported_total_runs=total,
        reported_success_runs=success,
        completed_runs=_sum(first.completed_runs, retry.completed_runs, first, retry),
        reported_success_rate=100.0 * success / total
        if total and success is not None and success <= total
        else None,
        failed_workflow_runs=_both(first.failed_workflow_runs, retry.failed_workflow_runs, renamed),
        failed_infrastructure_runs=_both(
            first.failed_infrastructure_runs, retry.failed_infrastructure_runs, renamed
        ),
        failed_reasons=_unique(first.failed_reasons + retry.failed_reasons),
        notes=_unique(first.notes + retry.notes),
        runs_listed=first.runs_listed or retry.runs_listed,
    )


def _listed(result: Result) -> int:
    return len(result.runs)


def _successes(result: Result) -> int:
    return sum(1 for run in result.runs if run.success is True)


def _sum(
    a: int | None,
    b: int | None,
    first: Result,
    retry: Result,
    count: Callable[[Result], int] = _listed,
) -> int | None:
    """a + b; a side that reports none counts its listed runs (`count`)."""
    if a is None and b is None:
        return None
    return (count(first) if a is None else a) + (count(retry) if b is None else b)


def _both(
    a: tuple[str, ...] | None, b: tuple[str, ...] | None, renamed: dict[str, str]
) -> tuple[str, ...] | None:
    if a is None or b is None:
        return None
    return a + tuple(renamed.get(run_id, run_id) for run_id in b)


def _unique(items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    return tuple(dict.fromkeys(items))
