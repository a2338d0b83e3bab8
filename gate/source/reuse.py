"""Reuse on re-run: name the runs the gate starts so that a later attempt of the same workflow
job finds them, and decide whether to reattach to one instead of paying for a new run.

A run started in GitHub Actions is named

    cekura-gate <owner/repo> run <GITHUB_RUN_ID> job <GITHUB_JOB> key <what> attempt <N>

where `what` is 8 hex digits of a hash of what is started (agent, scenarios or tags,
frequency, text or voice), so that the legs of a matrix, which share the job, tell their runs
apart. When the gate reaches a verdict (pass or fail) on such a run, it appends JUDGED to
its name (PATCH /test_framework/v2/results/{id}/): that is the marker. A later attempt (a
higher GITHUB_RUN_ATTEMPT) lists the agent's results searched by the name up to `attempt`
and takes the newest earlier attempt's run:

- `reuse: unfinished` (default): reattach when it carries no marker (the job was cancelled,
  the runner lost, the gate timed out waiting or could not evaluate): wait for it if it is
  still running, gate it if it has ended. A marked run was judged: a re-run after a verdict
  means "try again", and starts a new run.
- `reuse: always`: reattach to it even when marked (to publish its report again).
- `reuse: never`: always start a new run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec

REUSE_MODES = ("unfinished", "always", "never")
#: appended to the name of a run the gate reached a verdict on
JUDGED = " judged"
#: earlier attempts looked at: the newest results of that name
PAGE_SIZE = 20

_ATTEMPT = re.compile(r" attempt (\d+)(?: judged)?$")


class RunName(msgspec.Struct, frozen=True, gc=False):
    """The name of a run the gate starts in a workflow job."""

    prefix: str  # everything up to " attempt N": the same in every attempt
    attempt: int

    @property
    def name(self) -> str:
        return f"{self.prefix} attempt {self.attempt}"


def run_name(
    *,
    repository: str,
    run_id: str,
    job: str,
    attempt: int,
    agent_id: str,
    scenarios: tuple[int, ...],
    tags: tuple[str, ...],
    frequency: int,
    run_as_text: bool,
) -> RunName | None:
    """The name for a run started in this job; None outside a workflow run."""
    if not (repository and run_id and job):
        return None
    what = repr((str(agent_id), tuple(scenarios), tuple(tags), int(frequency), bool(run_as_text)))
    import hashlib  # only a run the gate starts in a workflow is named

    key = hashlib.sha256(what.encode()).hexdigest()[:8]
    return RunName(f"cekura-gate {repository} run {run_id} job {job} key {key}", max(1, attempt))


class Earlier(msgspec.Struct, frozen=True, gc=False):
    """The run an earlier attempt of this job started."""

    result_id: str
    attempt: int
    judged: bool
    status: str


def earlier_run(rows: Any, wanted: RunName) -> Earlier | None:
    """The newest earlier attempt's run among `rows` (results list entries), if any."""
    if not isinstance(rows, list):
        return None
    best: Earlier | None = None
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        name = row.get("name")
        if not isinstance(name, str) or not name.startswith(wanted.prefix + " attempt "):
            continue
        match = _ATTEMPT.search(name[len(wanted.prefix) :])
        if match is None or row.get("id") is None:
            continue
        attempt = int(match.group(1))
        if attempt >= wanted.attempt or (best is not None and attempt <= best.attempt):
            continue
        best = Earlier(
            result_id=str(row["id"]),
            attempt=attempt,
            judged=name.endswith(JUDGED),
            status=str(row.get("status") or ""),
        )
    return best


def reattaches(mode: str, earlier: Earlier | None) -> bool:
    """Whether to gate `earlier` instead of starting a new run."""
    if earlier is None or mode == "never":
        return False
    return mode == "always" or not earlier.judged
