"""Deciding early: a run the gate started, stopped once it can no longer pass, and judged on
the runs that finished (gate/judge/early.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msgspec.structs import replace

from gate.judge.early import early_verdict, lost_checks, open_runs, run_finished
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.policy import model
from gate.result.model import Result
from gate.result.parsing import parse
from gate.source.wanted import Progress


def cannot_pass(policy: model.Policy) -> Callable[[Any, bool], bool]:
    """For a run the gate started: True once the payload (the detail, or the results list's
    summary when `light`) shows the verdict can no longer become a pass."""

    def lost(payload: Any, light: bool) -> bool:
        return bool(lost_checks(parse(payload, evidence=False, passing_metrics=()), policy))

    return lost


def decided_early(
    result: Result, policy: model.Policy, seen: Progress
) -> tuple[Result, Verdict, str]:
    """The verdict of a run stopped early, judged on its detail; the result as reported (its
    finished runs); the note that says so."""
    # The report lists the runs that finished: an open run did not fail, it was not needed.
    finished = replace(result, runs=tuple(r for r in result.runs if run_finished(r)))
    full = evaluate(replace(finished, status="completed"), policy)
    verdict = early_verdict(result, policy, full)  # lost: judged on every run, open ones too
    needed = open_runs(result)
    result = finished
    note = f"Decided early: {needed} call{'s' if needed != 1 else ''} not needed"
    if seen.calls_ended:
        note += " (Cekura was asked to end them)."
    elif seen.calls_ended is False:
        note += " (asking Cekura to end them failed: they run to the end)."
    else:
        note += " (end-calls-on-fail is false: they were left to finish)."
    note += (
        f" Result {result.id or seen.result_id} could no longer pass while it was "
        f"'{result.status}'; checks that need the finished result are not reached."
    )
    return result, verdict, note
