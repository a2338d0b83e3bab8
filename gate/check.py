"""`cekura-gate check`: obtain the result, evaluate it, publish the verdict, return the exit code.

Every path ends in `publish`, including the ones that could not evaluate, so the summary and
outputs always say what happened and what to do about it (exit 3 is never silent). The steps
that wire several stages are in gate/flow/; those a check may not need (the baseline, deciding
early, a retry, the share link) are imported only when it does.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import msgspec

from gate.errors import Cancelled, ConfigError, GateError
from gate.flow import asked
from gate.flow.judging import judge, parse_for
from gate.judge.verdict import Verdict, VerdictKind
from gate.policy import config, model
from gate.policy.summary import default_policy_notice
from gate.result.model import Result
from gate.settings import Settings
from gate.source.cancel import Cancellation, finish_cancelled
from gate.source.obtain import obtain
from gate.source.reattach import mark_judged
from gate.source.redact import redact
from gate.source.wanted import CannotPass, Progress

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
    from gate.publish import formats
    from gate.publish import step as publish
    from gate.publish.actions import github, job_log

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
    options = msgspec.structs.replace(
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
        log.debug(asked.describe(settings, path))
        wanted = asked.wanted(settings)
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
            from gate.flow.early import decided_early

            result, verdict, note = decided_early(result, policy, seen)
            notes.append(note)
            log.info(note)
        elif policy.baseline is not None:
            from gate.flow.baseline import lookup_baseline

            baseline = lookup_baseline(
                settings, policy, result, log=log, sleep=sleep, cancel=cancel
            )
        if not seen.decided_early:
            verdict = judge(result, policy, baseline)
        if (
            policy.retry_failed is not None
            and settings.starts_run
            and verdict.kind is VerdictKind.FAIL
        ):
            from gate.flow.retry import retry_failed

            result, verdict, retried = retry_failed(
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
            from gate.flow.share import share_link

            share_link(settings, seen.result_id, log=log, sleep=sleep, cancel=cancel)
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
            options = msgspec.structs.replace(options, comment="off")
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
                msgspec.structs.replace(options, comment="off"),
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


def _skips(settings: Settings) -> bool:
    """True when the API is needed, there is no key, and the user opted in to skipping."""
    return (
        not settings.result_file and not settings.api_key and settings.on_missing_api_key == "skip"
    )


def _cannot_pass(policy: model.Policy) -> CannotPass:
    """Deciding early (gate/flow/early.py), loaded only for a run the gate starts."""
    from gate.flow.early import cannot_pass

    return cannot_pass(policy)
