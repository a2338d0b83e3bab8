"""What the command line asks the check for: the result to obtain and how (source.obtain)."""

from __future__ import annotations

from pathlib import Path

from gate.settings import Settings
from gate.settings.start import start_request
from gate.source.reuse import RunName, run_name
from gate.source.wanted import Wanted


def describe(settings: Settings, path: Path | None) -> str:
    """One debug line: what the gate is about to do (never the key, only whether it is set)."""
    source = (
        f"--result-file {settings.result_file}"
        if settings.result_file
        else f"--result-id {settings.result_id}"
        if settings.result_id
        else f"--agent-id {settings.agent_id}"
    )
    return (
        f"settings: {source}, config {path or 'default policy'}, api-url {settings.api_url}, "
        f"API key {'set' if settings.api_key else 'not set'}, timeout {settings.timeout:g}s, "
        f"poll-interval {settings.poll_interval:g}s, comment {settings.comment}"
    )


def wanted(settings: Settings) -> Wanted:
    """What `obtain` needs of the settings: the result's source and the API's address."""
    return Wanted(
        result_file=settings.result_file,
        result_id=settings.result_id,
        agent_id=settings.agent_id,
        scenarios=settings.scenarios,
        tags=settings.tags,
        frequency=settings.frequency,
        run_as_text=settings.run_as_text,
        api_url=settings.api_url,
        api_key=settings.api_key,
        secrets=(settings.api_key, settings.github.token),
        timeout=settings.timeout,
        poll_interval=settings.poll_interval,
        start=start_request(settings),
        max_calls=settings.max_calls,
        end_calls_on_fail=settings.end_calls_on_fail,
        run_name=_run_name(settings),
        reuse=settings.reuse,
    )


def _run_name(settings: Settings) -> RunName | None:
    """The name of a run started in a workflow job (how a re-run attempt finds it)."""
    github = settings.github
    return run_name(
        repository=github.repository,
        run_id=github.run_id,
        job=github.job,
        attempt=settings.run_attempt,
        agent_id=settings.agent_id,
        scenarios=settings.scenarios,
        tags=settings.tags,
        frequency=settings.frequency,
        run_as_text=settings.run_as_text,
    )
