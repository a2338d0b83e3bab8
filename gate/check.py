"""`cekura-gate check`: obtain the result, evaluate it, publish the verdict, return the exit code.

Every path ends in `publish`, including the ones that could not evaluate, so the summary and
outputs always say what happened and what to do about it (exit 3 is never silent).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from gate import config
from gate.errors import GateError, PayloadError, UsageError
from gate.evaluate import evaluate
from gate.result import Result, parse
from gate.settings import Settings
from gate.verdict import Verdict

# Longest single request; the poll loop shortens it further near the deadline.
START_REQUEST_TIMEOUT = 60.0


@dataclass
class Progress:
    """What is known so far, for the report when the gate stops early."""

    result_id: str = ""
    status: str = ""
    policy_source: str = ""


def run_check(
    settings: Settings,
    *,
    out: TextIO,
    err: TextIO,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    from gate import publish

    log = publish.Log(out=out, err=err, actions=settings.github.actions)
    if settings.github.actions:
        log.mask(settings.api_key)  # before anything else is printed
    seen = Progress(result_id=settings.result_id)
    result: Result | None = None
    try:
        policy = config.load(settings.config_path())
        seen.policy_source = policy.source
        raw = _obtain(settings, seen=seen, log=log, clock=clock, sleep=sleep, cancelled=cancelled)
        result = parse(raw)
        seen.result_id = result.id or seen.result_id
        seen.status = result.status
        verdict = evaluate(result, policy)
        code = verdict.exit_code
    except GateError as exc:
        err.write(f"cekura-gate: {exc.kind}: {exc.message}\n")
        verdict = Verdict.could_not_evaluate(exc.message, error_kind=exc.kind)
        seen.status = getattr(exc, "last_status", "") or seen.status
        code = exc.exit_code
    publish.publish(
        settings,
        verdict=verdict,
        result=result,
        result_id=seen.result_id,
        status=seen.status,
        policy_source=seen.policy_source or "not loaded",
        log=log,
    )
    return code


def _obtain(
    settings: Settings,
    *,
    seen: Progress,
    log: Any,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancelled: Callable[[], bool] | None,
) -> Any:
    """The raw result payload, from the file, the polled API, or a run started here."""
    if settings.result_file:
        return read_result_file(Path(settings.result_file))
    from gate.client import CekuraClient
    from gate.poll import wait_for_result

    if not settings.api_key:
        raise UsageError(
            "CEKURA_API_KEY is not set. Set the api-key input (from a secret, e.g. "
            "api-key: ${{ secrets.CEKURA_API_KEY }}) or the CEKURA_API_KEY variable; "
            "--result-file needs no key."
        )
    client = CekuraClient(base_url=settings.api_url, api_key=settings.api_key)
    started = clock()
    if settings.starts_run:
        created = client.start_run(
            agent_id=settings.agent_id,
            scenarios=settings.scenarios,
            tags=settings.tags,
            frequency=settings.frequency,
            run_as_text=settings.run_as_text,
            timeout=min(START_REQUEST_TIMEOUT, settings.timeout),
        )
        seen.result_id = str(created["id"])
        log.started_run(seen.result_id, settings)

    def on_progress(progress: Any) -> None:
        seen.status = progress.status
        log.progress(progress)

    remaining = max(settings.timeout - (clock() - started), 0.0)
    with log.group(f"Waiting for Cekura result {seen.result_id} (timeout {settings.timeout:g}s)"):
        return wait_for_result(
            fetch=lambda request_timeout: client.get_result(
                seen.result_id, timeout=request_timeout
            ),
            timeout=remaining,
            interval=settings.poll_interval,
            clock=clock,
            sleep=sleep,
            on_progress=on_progress,
            cancelled=cancelled,
            label=f"result {seen.result_id}",
        )


def read_result_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"--result-file: {path} does not exist. Save a result with "
            "GET /test_framework/v2/results/{id}/ or pass --result-id instead."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PayloadError(f"--result-file: cannot read {path}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise PayloadError(
            f"--result-file: {path} is not valid JSON ({exc}). Save the body of "
            "GET /test_framework/v2/results/{id}/ as it is."
        ) from None
