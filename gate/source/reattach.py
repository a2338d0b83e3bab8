"""Reuse on re-run, with the API: a re-run attempt of a job finds the run an earlier attempt
started (and takes it, as `reuse` says), and a run that reached a verdict is marked judged
(the names and the rule: gate/source/reuse.py)."""

from __future__ import annotations

from typing import Any

from gate.result.status import TERMINAL_STATUSES
from gate.source.reuse import JUDGED, PAGE_SIZE, earlier_run, reattaches
from gate.source.start import START_REQUEST_TIMEOUT
from gate.source.wanted import Progress, Wanted


def reattach(client: Any, wanted: Wanted, seen: Progress, log: Any) -> None:
    """On a re-run attempt, find the run the earlier attempt of this job started and, as
    `wanted.reuse` says, take it instead of starting one (sets `seen.reused`)."""
    from gate.errors import ApiError, AuthError

    name = wanted.run_name
    if name is None or name.attempt <= 1 or wanted.reuse == "never":
        return
    try:
        page = client.list_results(
            agent_id=wanted.agent_id,
            page=1,
            page_size=PAGE_SIZE,
            timeout=min(START_REQUEST_TIMEOUT, wanted.timeout),
            search=name.prefix,
        )
    except AuthError:
        raise
    except ApiError as exc:
        log.warn(
            f"could not look for the run of an earlier attempt of this job ({exc.message}); "
            "starting a new run."
        )
        return
    earlier = earlier_run(page.get("results") if isinstance(page, dict) else None, name)
    if earlier is None:
        return
    if not reattaches(wanted.reuse, earlier):
        log.info(
            f"Attempt {earlier.attempt} of this job reached a verdict on result "
            f"{earlier.result_id}: this re-run starts a new run (reuse: {wanted.reuse})."
        )
        return
    seen.reused = earlier
    seen.result_id = earlier.result_id
    seen.run_name = f"{name.prefix} attempt {earlier.attempt}" + (JUDGED if earlier.judged else "")
    why = (
        "which reached a verdict on it (reuse: always)"
        if earlier.judged
        else "which reached no verdict (cancelled, lost or stopped before the end)"
    )
    state = (
        "still running: waiting for it"
        if earlier.status not in TERMINAL_STATUSES
        else "ended: gating it"
    )
    note = (
        f"Reattached to result {earlier.result_id}, started by attempt {earlier.attempt} of "
        f"this job, {why}; it is {state}. No new run was started (reuse: {wanted.reuse})."
    )
    seen.notes.append(note)
    log.info(note)


def mark_judged(wanted: Wanted, seen: Progress, log: Any) -> None:
    """Record on the run this gate started (or reattached to) that a verdict was reached, so
    that a re-run of the job starts anew (gate/source/reuse.py). A failure is a warning."""
    if not seen.run_name or seen.run_name.endswith(JUDGED) or not seen.result_id:
        return
    from gate.errors import ApiError
    from gate.source.client import CekuraClient  # only now: requests costs ~50 ms to import

    client = CekuraClient(base_url=wanted.api_url, api_key=wanted.api_key, secrets=wanted.secrets)
    try:
        client.rename_result(seen.result_id, seen.run_name + JUDGED, timeout=10.0)
    except ApiError as exc:
        log.warn(
            f"could not mark result {seen.result_id} as judged ({exc.message}): a re-run of "
            "this job may reattach to it instead of starting a new run (reuse: unfinished). "
            "The API key needs permission to update results."
        )
