"""`cekura-gate check`: obtain the result, evaluate it, publish the verdict, return the exit code.

Every path ends in `publish`, including the ones that could not evaluate, so the summary and
outputs always say what happened and what to do about it (exit 3 is never silent).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from gate.errors import Cancelled, ConfigError, GateError
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict, VerdictKind
from gate.policy import config, model
from gate.policy.summary import default_policy_notice
from gate.result.model import Result
from gate.result.parsing import parse
from gate.settings import Settings
from gate.settings.start import start_request
from gate.source.cancel import Cancellation, finish_cancelled
from gate.source.obtain import Progress, Wanted, mark_judged, obtain
from gate.source.redact import redact
from gate.source.reuse import RunName, run_name

#: today's date in UTC (YYYY-MM-DD), which the quarantine list is read against; "" reads the
#: system clock. A module constant so that tests can fix the date of the real command.
TODAY = ""


def today_utc() -> datetime.date:
    if TODAY:
        return datetime.date.fromisoformat(TODAY)
    return datetime.datetime.now(datetime.UTC).date()


_SKIP_REASON = (
    "CEKURA_API_KEY is not set (pull requests from forks get no secrets) and "
    "on-missing-api-key is skip, so the gate skipped: nothing was evaluated. A required check "
    "must not use on-missing-api-key: skip."
)


def run_check(
    settings: Settings,
    *,
    out: TextIO,
    err: TextIO,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """The check flow, with SIGINT/SIGTERM turned into a cancel (see gate/source/cancel.py)."""
    cancel = Cancellation(cancelled)
    with cancel.signal_handlers(), _cycle_collector_paused():
        return _run_check(settings, out=out, err=err, clock=clock, sleep=sleep, cancel=cancel)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during one check.

    A 10,000-run result is about a million objects, and every full collection walks them
    all: with the collector on, reading and parsing such a result took about half again as
    long (benchmarks/evaluation.py). Reference counting still frees everything as usual; only
    reference cycles wait, and a check makes few.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_check(
    settings: Settings,
    *,
    out: TextIO,
    err: TextIO,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancel: Cancellation,
) -> int:
    from gate.publish import formats, github, job_log
    from gate.publish import step as publish

    terminal = formats.is_terminal(out)
    shown = formats.choose(
        settings.output_format,
        actions=settings.github.actions,
        terminal=terminal,
        stdout_taken="-" in (settings.report_json, settings.junit_xml),
    )
    # A report sent to standard output ('-') keeps it to itself: everything else goes to stderr,
    # so `--report-json - | jq` reads one clean document. The text and JSON formats do the
    # same: a person at a terminal sees the progress on stderr and the report on stdout.
    to_stdout = "-" in (settings.report_json, settings.junit_xml) or shown != "markdown"
    log = job_log.Log(
        out=err if to_stdout else out,
        err=err,
        data=out,
        actions=settings.github.actions,
        verbosity=settings.verbosity,
        output_file=settings.github.output_file,
    )
    options = dataclasses.replace(
        settings.publishing,
        output_format=shown,
        colour=formats.colour(settings.colour, terminal=terminal),
        columns=formats.columns(terminal=terminal),
    )
    if settings.github.actions:
        log.mask(settings.api_key)  # before anything else is printed
    seen = Progress(result_id=settings.result_id)
    result: Result | None = None
    notes: list[str] = []  # how the result was obtained, under the report
    try:
        path = settings.config_path()
        try:
            policy = config.load(path)
        except ConfigError as exc:
            log.config_problems(exc, path=path)
            raise
        seen.policy_source = policy.source
        if _skips(settings):
            return publish.publish_skipped(
                options, result_id=settings.result_id, reason=_SKIP_REASON, log=log
            )
        if path is None:
            log.notice(default_policy_notice())
        log.debug(_describe_settings(settings, path))
        wanted = _wanted(settings)
        raw = obtain(
            wanted,
            seen=seen,
            log=log,
            clock=clock,
            sleep=sleep,
            cancelled=cancel,
            debug=settings.verbosity > 0,
            cannot_pass=_cannot_pass(policy) if settings.starts_run else None,
        )
        result = parse_for(raw, policy)
        del raw  # the payload is not needed once parsed: free it now, not after the reports
        seen.result_id = result.id or seen.result_id
        seen.status = result.status
        baseline = None
        if seen.decided_early:
            result, verdict, note = _decided_early(result, policy, seen)
            notes.append(note)
            log.info(note)
        elif policy.baseline is not None:
            baseline = _lookup_baseline(
                settings, policy, result, log=log, sleep=sleep, cancel=cancel
            )
        if not seen.decided_early:
            verdict = _evaluate(result, policy, baseline)
        if (
            policy.retry_failed is not None
            and settings.starts_run
            and verdict.kind is VerdictKind.FAIL
        ):
            result, verdict, retried = _retry_failed(
                settings,
                wanted,
                policy,
                result,
                verdict,
                baseline,
                seen=seen,
                log=log,
                clock=clock,
                sleep=sleep,
                cancel=cancel,
            )
            notes.extend(retried)
        if verdict.kind is not VerdictKind.ERROR:
            # A verdict was reached: a re-run of this job means "try again" (reuse).
            mark_judged(wanted, seen, log)
        code = verdict.exit_code
        if settings.share_link and seen.result_id:
            _share(settings, seen.result_id, log=log, sleep=sleep, cancel=cancel)
    except GateError as exc:
        if isinstance(exc, Cancelled):
            active = seen.retry or seen  # while a retry runs, its calls are the ones to end
            exc = finish_cancelled(
                exc,
                cancel=cancel,
                starts_run=settings.starts_run,
                end_calls_on_cancel=settings.end_calls_on_cancel,
                result_id=active.result_id,
                progress=active.last,
                end_calls=active.end_calls,
                warn=log.warn,
            )
            # A pull-request comment can take many seconds; the job has been cancelled.
            options = dataclasses.replace(options, comment="off")
        # The message may carry the API's words: printed like any other text from it.
        err.write(f"cekura-gate: {exc.kind}: {github.safe_log_line(exc.message)}\n")
        verdict = Verdict.could_not_evaluate(exc.message, error_kind=exc.kind)
        seen.status = getattr(exc, "last_status", "") or seen.status
        code = exc.exit_code
    except Exception as exc:
        # A bug. The summary and outputs still say "error" (exit 3 is never silent); then the
        # CLI prints the message (the traceback with CEKURA_DEBUG) and exits 3.
        reason = redact(
            f"internal error: {type(exc).__name__}: {exc}. This is a bug in cekura-gate; set "
            "CEKURA_DEBUG=true to print the traceback and report it.",
            (settings.api_key, settings.github.token),
        )
        with contextlib.suppress(Exception):
            publish.publish(
                dataclasses.replace(options, comment="off"),
                verdict=Verdict.could_not_evaluate(reason, error_kind="internal error"),
                result=None,
                result_id=seen.result_id,
                status=seen.status,
                policy_source=seen.policy_source or "not loaded",
                log=log,
            )
        raise
    publish.publish(
        options,
        verdict=verdict,
        result=result,
        result_id=seen.result_id,
        status=seen.status,
        policy_source=seen.policy_source or "not loaded",
        log=log,
        notes=(*seen.notes, *notes),
    )
    return code


def _evaluate(result: Result, policy: model.Policy, baseline: Any) -> Verdict:
    return evaluate(
        result,
        policy,
        baseline=baseline,
        today=today_utc(),
        now=datetime.datetime.now(datetime.UTC),
    )


def _lookup_baseline(
    settings: Settings, policy: model.Policy, result: Result, *, log: Any, sleep: Any, cancel: Any
) -> Any:
    """The baseline the policy names (imported only then: it costs start-up ~10 ms)."""
    from gate.source.baseline import lookup as lookup_baseline

    client = None
    if settings.api_key and policy.baseline is not None and not policy.baseline.result_file:
        from gate.source.client import CekuraClient

        client = CekuraClient(
            base_url=settings.api_url,
            api_key=settings.api_key,
            sleep=sleep,
            cancelled=cancel,
        )
    return lookup_baseline(
        policy,
        result,
        client=client,
        agent_id=settings.agent_id,
        secrets=(settings.api_key, settings.github.token),
        log=log,
        sleep=sleep,
    )


def _retry_failed(
    settings: Settings,
    wanted: Wanted,
    policy: model.Policy,
    result: Result,
    verdict: Verdict,
    baseline: Any,
    *,
    seen: Progress,
    log: Any,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    cancel: Cancellation,
) -> tuple[Result, Verdict, list[str]]:
    """retry_failed: start the failed scenarios again (up to `times` runs, within
    `max_calls`), and judge every run together; the notes say what was retried or why not.

    The first result's runs all count (a run decided early contributes its finished runs);
    a retry that cannot be waited for leaves the verdict as it was, with a note."""
    from gate.result.combine import combine
    from gate.source.retry_run import plan_retry, start_retry

    rules = policy.retry_failed
    assert rules is not None
    notes: list[str] = []
    if seen.decided_early:  # the runs not needed were ended: the finished ones are the run
        done = len(result.runs)
        result = dataclasses.replace(
            result,
            reported_total_runs=done,
            reported_success_runs=sum(1 for r in result.runs if r.success is True),
            completed_runs=done,
        )
    latest, request, spent = result, wanted.start_request(), 0
    for attempt in range(1, rules.times + 1):
        plan = plan_retry(latest, request, spent=spent, max_calls=rules.max_calls)
        if plan.request is None:
            notes.append(f"Not retried{' again' if attempt > 1 else ''}: {plan.refused}.")
            break
        again = Progress()
        seen.retry = again
        try:
            raw = start_retry(
                wanted,
                plan,
                seen=again,
                log=log,
                clock=clock,
                sleep=sleep,
                cancelled=cancel,
                debug=settings.verbosity > 0,
            )
        except Cancelled:
            raise  # seen.retry stays: the cancel ends the retry's calls
        except GateError as exc:
            seen.retry = None
            which = f"result {again.result_id}" if again.result_id else "not started"
            notes.append(
                f"The retry of {_scenarios(plan.scenarios)} ({which}) could not be judged: "
                f"{exc.message} The verdict is the one before it."
            )
            break
        seen.retry = None
        spent += plan.calls
        retry = parse_for(raw, policy)
        del raw
        passed = sum(1 for r in retry.runs if r.success is True)
        notes.append(
            f"Retried {_scenarios(plan.scenarios)} {_times(attempt)}: result "
            f"{retry.id or again.result_id} ({passed} of {retry.total_runs} passed)."
        )
        result = combine(result, retry)
        if baseline is None and policy.baseline is not None:  # skipped when decided early
            baseline = _lookup_baseline(
                settings, policy, result, log=log, sleep=sleep, cancel=cancel
            )
        verdict = _evaluate(result, policy, baseline)
        if verdict.kind is not VerdictKind.FAIL:
            break
        latest, request = retry, plan.request
    for note in notes:
        log.info(note)
    return result, verdict, notes


def _scenarios(ids: tuple[int, ...]) -> str:
    return f"{len(ids)} failed scenario{'s' if len(ids) != 1 else ''}"


def _times(attempt: int) -> str:
    return {1: "once", 2: "a second time", 3: "a third time"}.get(attempt, f"a {attempt}th time")


def _share(settings: Settings, result_id: str, *, log: Any, sleep: Any, cancel: Any) -> None:
    """The share-link output: a link to the result anyone can open until it expires. A
    failure is a warning: the verdict stands without it."""
    from gate.source.client import CekuraClient
    from gate.source.share import create_share_link

    client = CekuraClient(
        base_url=settings.api_url,
        api_key=settings.api_key,
        sleep=sleep,
        cancelled=cancel,
        secrets=(settings.api_key, settings.github.token),
    )
    try:
        link, expires = create_share_link(client, result_id, seconds=settings.share_link)
    except GateError as exc:
        log.warn(
            f"could not create a share link for result {result_id}: {exc.message} The verdict "
            "is not affected; share the result from the Cekura dashboard instead."
        )
        return
    log.outputs({"share-link": link})
    log.info(
        f"Share link for result {result_id}, valid until {expires} (anyone with it can read "
        f"the transcripts): {link}"
    )


def _cannot_pass(policy: model.Policy) -> Callable[[Any, bool], bool]:
    """For a run the gate started: True once the payload (the detail, or the results list's
    summary when `light`) shows the verdict can no longer become a pass."""
    from gate.judge.early import lost_checks

    def cannot_pass(payload: Any, light: bool) -> bool:
        return bool(lost_checks(parse(payload, evidence=False, passing_metrics=()), policy))

    return cannot_pass


def _decided_early(
    result: Result, policy: model.Policy, seen: Progress
) -> tuple[Result, Verdict, str]:
    """The verdict of a run stopped early, judged on its detail; the result as reported (its
    finished runs); the note that says so."""
    from gate.judge.early import early_verdict, open_runs, run_finished

    # The report lists the runs that finished: an open run did not fail, it was not needed.
    finished = dataclasses.replace(result, runs=tuple(r for r in result.runs if run_finished(r)))
    full = evaluate(dataclasses.replace(finished, status="completed"), policy)
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


def _skips(settings: Settings) -> bool:
    """True when the API is needed, there is no key, and the user opted in to skipping."""
    return (
        not settings.result_file and not settings.api_key and settings.on_missing_api_key == "skip"
    )


def _describe_settings(settings: Settings, path: Path | None) -> str:
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


def _wanted(settings: Settings) -> Wanted:
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


def parse_for(raw: Any, policy: model.Policy) -> Result:
    """The Result the check reads under `policy`: of a run that succeeded, only the metrics
    that metric aggregates read (thresholds.metrics, regression metrics)."""
    return parse(raw, passing_metrics=policy.metric_names)
