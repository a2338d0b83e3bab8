"""`cekura-gate check --dry-run`: validate the configured start and print its plan (calls,
Cekura's estimated cost, the max-calls check) without placing a call.

A suite is validated by Cekura (validate_scenarios_json: free, creates nothing); any other start
is checked here, as Cekura has no dry run for it, and its calls counted with Cekura's formula.
Exit 0 when the start is valid and within max-calls, 2 when it is not (with Cekura's words)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from gate.errors import EXIT_PASS, EXIT_USAGE, UsageError
from gate.publish.actions.github import safe_log_line
from gate.publish.words.plan import plan_lines, plan_markdown
from gate.settings import Settings
from gate.settings.start import start_request
from gate.source.cost import Plan, plan_start, require_within

#: a validation is one quick request; it never waits like a result does
VALIDATION_TIMEOUT = 60.0


def run_dry_run(settings: Settings, *, out: TextIO, err: TextIO) -> int:
    request = start_request(settings)
    if request is None:  # settings.check_start refuses --dry-run without --agent-id
        raise UsageError("--dry-run needs --agent-id N: it checks a run the gate would start.")
    client = None
    if request.suite is not None:
        if not settings.api_key:
            raise UsageError(
                "CEKURA_API_KEY is not set: a dry run of a suite asks Cekura to validate it "
                "(free, no call placed). Set the api-key input or CEKURA_API_KEY."
            )
        from gate.source.client import CekuraClient

        client = CekuraClient(
            base_url=settings.api_url,
            api_key=settings.api_key,
            secrets=(settings.api_key, settings.github.token),
        )
    plan = plan_start(request, client, timeout=min(VALIDATION_TIMEOUT, settings.timeout))
    problem = ""
    if plan.valid:
        try:
            require_within(plan, settings.max_calls)
        except UsageError as exc:
            problem = exc.message
    url = settings.api_url + request.endpoint
    ok = plan.valid and not problem
    out.write("cekura-gate dry run: no call was placed.\n")
    for line in plan_lines(plan, max_calls=settings.max_calls, endpoint_url=url):
        out.write(safe_log_line(line) + "\n")
    for line in plan.problems:
        err.write(f"cekura-gate: Cekura: {safe_log_line(line)}\n")
    if settings.summary_file:
        _append(settings.summary_file, plan_markdown(
            plan, max_calls=settings.max_calls, endpoint_url=url, ok=ok
        ) + (f"\n{problem}\n" if problem else ""), err)  # fmt: skip
    if not plan.valid:
        err.write(f"cekura-gate: usage error: {_refusal(plan)}\n")
        return EXIT_USAGE
    if problem:
        err.write(f"cekura-gate: usage error: {problem}\n")
        return EXIT_USAGE
    if request.suite is None:
        # Cekura has no dry run for these endpoints: it checks the agent, the scenarios and
        # the phone number only when the run starts.
        out.write(
            "The settings are valid; Cekura checks the agent and scenarios when the run starts "
            "(it validates suites ahead: suite-file). Run again without --dry-run to place "
            "the calls.\n"
        )
    else:
        out.write("Cekura validated the suite. Run again without --dry-run to place the calls.\n")
    return EXIT_PASS


def _refusal(plan: Plan) -> str:
    from gate.source.cost import refused

    return refused(plan).message


def _append(path: str, text: str, err: TextIO) -> None:
    try:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        err.write(f"cekura-gate: warning: could not write the summary to {path}: {exc}\n")
