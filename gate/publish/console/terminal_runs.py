"""The failing runs in the terminal report, grouped by cause: the agent's, then the
infrastructure's, a row per group with its runs and the first run's reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gate.judge.verdict import Verdict
from gate.publish.console.terminal_text import Paint, join, plain, width
from gate.publish.findings import causes
from gate.publish.words.fmt import number
from gate.result.failure import FailureKind
from gate.result.model import Result

REASON_LIMIT = 100  # characters of a failing run's reason
GROUP_ROWS = 8  # groups of failing runs shown per cause; the rest are counted
SHOWN_RUN_IDS = 3  # run ids named per group; the rest are "…"


@dataclass(frozen=True, slots=True)
class RunGroup:
    """Failing runs that failed the same way: the agent's by scenario and cause, the
    infrastructure's by cause alone (a SIP 503 is the same outage in every scenario)."""

    kind: FailureKind
    scenarios: tuple[str, ...]  # in the order first seen
    cause: str  # "Expected outcome not met", "Workflow Adherence failed", the error message
    example: str  # the first run's full reason, explanation included
    run_ids: tuple[str, ...]


def group_failing_runs(result: Result, verdict: Verdict | None = None) -> list[RunGroup]:
    """The failing runs grouped by cause: the same groups, in the same order, as the job
    summary's "What went wrong" (gate/publish/findings/causes.py), agent problems first."""
    return [
        RunGroup(
            kind=cause.kind,
            scenarios=cause.scenarios,
            cause=cause.failed,
            example=_example(cause),
            run_ids=tuple(call.id for call in cause.calls),
        )
        for cause in causes.group(result, verdict)
    ]


def _example(cause: causes.Cause) -> str:
    """'Expected outcome 0/100: the agent…', 'Workflow Adherence failed: …', the error."""
    if cause.failed == causes.EXPECTED_OUTCOME:
        score = f" {number(cause.score)}/100" if cause.score is not None else ""
        head = f"Expected outcome{score}"
    elif cause.failed in (causes.NOT_SUCCESSFUL, causes.NEVER_CONNECTED):
        head = cause.failed.capitalize()
    else:
        head = f"{cause.failed} failed"
    return f"{head}: {cause.explanation}" if cause.explanation else head


def failing_runs(result: Result, verdict: Verdict, paint: Paint, columns: int) -> list[str]:
    failing = len(result.failing_runs)
    groups = group_failing_runs(result, verdict)
    lines = [
        paint(
            f"Failing runs ({failing} of {result.total_runs}, {len(groups)} "
            f"cause{'' if len(groups) == 1 else 's'})",
            "bold",
        )
    ]
    titles = {
        FailureKind.AGENT: "Agent",
        FailureKind.INFRASTRUCTURE: "Infrastructure (the call failed: not the agent's fault)",
    }
    for kind in (FailureKind.AGENT, FailureKind.INFRASTRUCTURE):
        mine = [g for g in groups if g.kind is kind]
        if not mine:
            continue
        runs = sum(len(g.run_ids) for g in mine)
        lines.append(f"  {titles[kind]}: {runs} run{'' if runs == 1 else 's'}")
        rows = [[_where(g), _ids(g.run_ids)] for g in mine[:GROUP_ROWS]]
        widths = [max(width(r[i]) for r in rows) for i in range(2)]
        # the reason takes what is left of the line, and at least 30 columns
        room = max(30, columns - 4 - sum(widths) - 6)
        for row, group in zip(rows, mine, strict=False):
            reason = plain(group.example, min(room, REASON_LIMIT))
            lines.append(f"    {join([*row, reason], [*widths, 0])}")
        if len(mine) > GROUP_ROWS:
            hidden = mine[GROUP_ROWS:]
            more = sum(len(g.run_ids) for g in hidden)
            lines.append(f"    … {len(hidden)} more causes ({more} runs)")
    return lines


def _where(group: RunGroup) -> str:
    if len(group.scenarios) == 1:
        return plain(group.scenarios[0], 40)
    return f"{len(group.scenarios)} scenarios"


def _ids(run_ids: Sequence[str]) -> str:
    # an unreadable run without an id is named by its place, "#24", already
    shown = ", ".join(
        plain(i, 20) if i.startswith("#") else f"#{plain(i, 20)}" for i in run_ids[:SHOWN_RUN_IDS]
    )
    more = ", …" if len(run_ids) > SHOWN_RUN_IDS else ""
    count = len(run_ids)
    return f"{count} run{'' if count == 1 else 's'} ({shown}{more})"
