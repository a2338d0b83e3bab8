"""Obtaining the raw result: read a saved file, or wait on the Cekura API for a result that
exists or for a run started here (what is asked and what is known so far: wanted.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from gate.errors import NotFoundError, UsageError
from gate.result.model import DASHBOARD_URL
from gate.result.parsing import dashboard_url
from gate.source.cancel import END_CALLS_TIMEOUT
from gate.source.files import read_result_file
from gate.source.identity import require_same_result
from gate.source.reattach import reattach
from gate.source.start import START_REQUEST_TIMEOUT
from gate.source.wanted import CannotPass, Progress, Wanted

#: the end_calls request after deciding early: no cancel is racing it, so longer than on one
END_CALLS_TIMEOUT_ON_FAIL = 10.0


def obtain(
    wanted: Wanted,
    *,
    seen: Progress,
    log: Any,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancelled: Callable[[], bool] | None,
    debug: bool = False,
    cannot_pass: CannotPass | None = None,
) -> Any:
    """The raw result payload, from the file, the polled API, or a run started here.

    `log` is the job log (gate.publish.actions.job_log.Log): progress, heartbeats, the started run.
    `cannot_pass(payload, light)` says when a run started here can no longer pass: the wait
    stops there (`seen.decided_early`), its remaining calls are ended (end_calls_on_fail),
    and the detail fetched then is returned, still running.
    """
    # A secret echoed inside a payload must not reach the report, the files or the comment.
    secrets = wanted.secrets
    if wanted.result_file:
        return read_result_file(Path(wanted.result_file), secrets)
    from gate.source.client import CekuraClient
    from gate.source.light import DecidedEarly, LightView, Poller
    from gate.source.strategy import AdaptivePolling
    from gate.source.wait import wait_for_result

    if not wanted.api_key:
        raise UsageError(
            "CEKURA_API_KEY is not set. Set the api-key input (from a secret, e.g. "
            "api-key: ${{ secrets.CEKURA_API_KEY }}) or the CEKURA_API_KEY variable; "
            "--result-file needs no key. Pull requests from forks get no secrets: for an "
            "optional job, on-missing-api-key: skip ends it with verdict 'skipped' instead."
        )
    client = CekuraClient(
        base_url=wanted.api_url, api_key=wanted.api_key, cancelled=cancelled, secrets=secrets
    )
    started = clock()
    light: LightView | None = None
    if wanted.starts_run:
        reattach(client, wanted, seen, log)  # a re-run: the earlier attempt's run, maybe
    if wanted.starts_run and not seen.reused:
        request = wanted.start_request()
        if wanted.run_name is not None and not request.run_name:
            # named so that a re-run attempt finds it; a run-name given by the user is kept
            # as it is (and such a run is not found again: see README, "Reuse on re-run")
            request = msgspec.structs.replace(request, run_name=wanted.run_name.name)
            seen.run_name = request.run_name
        if wanted.max_calls is not None:
            # Counted (or validated by Cekura, free) before anything is placed.
            from gate.source.cost import plan_start, refused, require_within

            plan = plan_start(request, client, timeout=min(START_REQUEST_TIMEOUT, wanted.timeout))
            if not plan.valid:
                raise refused(plan)
            require_within(plan, wanted.max_calls)
        created = client.start(request, timeout=min(START_REQUEST_TIMEOUT, wanted.timeout))
        seen.result_id = str(created["id"])
        seen.end_calls = lambda rid: client.end_calls(rid, timeout=END_CALLS_TIMEOUT)
        if request.suite is None and request.mode in ("voice", "text"):
            log.started_run(
                seen.result_id,
                agent_id=wanted.agent_id,
                scenarios=request.scenarios,
                tags=request.tags,
                run_as_text=request.run_as_text,
            )
        else:
            log.info(f"Started {request.describe()}: result {seen.result_id}")
            # The id is an output as soon as it is known, so a later step can find the run.
            log.outputs({"result-id": seen.result_id})
        name = created.get("name")
        light = LightView(
            client, seen.result_id, wanted.agent_id, name if isinstance(name, str) else ""
        )
    if seen.reused:
        seen.end_calls = lambda rid: client.end_calls(rid, timeout=END_CALLS_TIMEOUT)
        light = LightView(client, seen.result_id, wanted.agent_id, seen.run_name)

    def make_light(raw: Any) -> LightView | None:
        """A result named by id: its detail names its agent and name."""
        agent, name = raw.get("agent"), raw.get("name")
        if isinstance(agent, bool) or not isinstance(agent, int | str) or not str(agent).strip():
            return None
        return LightView(
            client, seen.result_id, str(agent).strip(), name if isinstance(name, str) else ""
        )

    def on_progress(progress: Any) -> None:
        seen.status = progress.status
        seen.last = progress
        log.progress(progress)

    def fetch(request_timeout: float) -> Any:
        try:
            raw = client.get_result(seen.result_id, timeout=request_timeout)  # redacted
        except NotFoundError as exc:
            if not (seen.last and seen.last.status):
                raise
            # Found before, gone now: "check --result-id" would send the user the wrong way.
            raise NotFoundError(
                f"result {seen.result_id} disappeared while the gate was waiting for it: the "
                f"API had shown it as '{seen.last.status}' and now answers HTTP 404. "
                "It was probably deleted, or the API key lost access to its project; look for "
                f"it in the Cekura dashboard ({DASHBOARD_URL})."
            ) from exc
        if not seen.linked:
            # The link needs the project, which only the result itself names.
            seen.linked = True
            log.info(
                f"Result {seen.result_id} on the Cekura dashboard: "
                f"{dashboard_url(raw, seen.result_id)}"
            )
        return raw

    remaining = max(wanted.timeout - (clock() - started), 0.0)
    # Dense near the expected end, sparse before it, never more requests than fixed polling.
    strategy = AdaptivePolling(wanted.poll_interval)
    # Poll light (the results list's summary), fetch the detail once it has ended.
    poller = Poller(
        detail=fetch,
        light=light,
        make_light=make_light,
        # Only a run the gate started is its own to stop: never --result-id's.
        cannot_pass=cannot_pass if wanted.starts_run else None,
        on_fallback=lambda why: log.info(f"Polling the result detail instead of the list: {why}"),
    )
    with log.group(f"Waiting for Cekura result {seen.result_id} (timeout {wanted.timeout:g}s)"):
        try:
            raw = wait_for_result(
                fetch=poller,
                timeout=remaining,
                interval=wanted.poll_interval,
                next_interval=strategy,
                min_interval=strategy.floor,
                clock=clock,
                sleep=sleep,
                on_progress=on_progress,
                on_heartbeat=log.heartbeat,
                cancelled=cancelled,
                label=f"result {seen.result_id}",
                debug=log.debug if debug else None,
            )
        except DecidedEarly as early:
            raw = early.detail
            seen.decided_early = True
            seen.status = str(raw.get("status") or seen.status)
            if wanted.end_calls_on_fail:
                seen.calls_ended = end_remaining_calls(client, seen.result_id, log)
    require_same_result(raw, seen.result_id)
    return raw


def end_remaining_calls(client: Any, result_id: str, log: Any) -> bool:
    """One end_calls request for a result decided early; a failure is a warning."""
    from gate.errors import ApiError

    try:
        client.end_calls(result_id, timeout=END_CALLS_TIMEOUT_ON_FAIL)
    except ApiError as exc:
        log.warn(
            f"the gate could not end the remaining calls of result {result_id} ({exc.message}); "
            f"they run to the end and are billed: end them in the Cekura dashboard "
            f"({DASHBOARD_URL})."
        )
        return False
    return True
