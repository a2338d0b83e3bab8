"""Everything a run of `check` leaves behind: log lines, report, outputs, annotations, files.

A problem while writing one of these is a warning in the log; it never changes the verdict
(a gate that failed because its JUnit file could not be written would be lying).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gate.errors import EXIT_PASS
from gate.judge.verdict import Verdict, VerdictKind
from gate.policy.model import DEFAULT_POLICY
from gate.publish.actions import github
from gate.publish.actions.job_log import Log
from gate.publish.options import GitHubContext, PublishOptions
from gate.publish.pages import markdown as report
from gate.publish.pages.report_context import ReportContext
from gate.publish.words import wording
from gate.publish.words.escape import md_text
from gate.result.model import Result

#: the `verdict` output when on-missing-api-key: skip applied (never a VerdictKind: no
#: verdict was reached, and nothing may treat it as one)
SKIPPED = "skipped"


def publish(
    settings: PublishOptions,
    *,
    verdict: Verdict,
    result: Result | None,
    result_id: str,
    status: str,
    policy_source: str,
    log: Log,
    notes: tuple[str, ...] = (),
) -> None:
    """`notes`: facts about how the result was obtained (decided early, reattached), a line
    each under the report's identity."""
    context = report_context(
        settings, policy_source=policy_source, result_id=result_id, notes=notes
    )
    markdown = report.render(verdict, result, context=context)
    if settings.summary_file:
        _write(log, "summary", settings.summary_file, markdown, append=True)
        if settings.output_format == "markdown":
            log.info(_one_line(verdict, result_id))
    elif settings.output_format == "markdown":
        for line in markdown.splitlines():
            log.info(line)
    if settings.output_format == "text":
        from gate.publish.console.terminal import render_text

        _to_stdout(
            log,
            render_text(
                verdict,
                result,
                policy_source=policy_source,
                result_id=result_id,
                colour=settings.colour,
                columns=settings.columns,
                notes=notes,
            ),
        )
    if settings.github.actions:
        for line in github.annotations(verdict):
            log.out.write(line + "\n")
    log.outputs(
        github.step_outputs(verdict=verdict, result=result, result_id=result_id, status=status),
    )
    if settings.report_json == "-" or settings.output_format == "json":
        from gate.publish.report_json import build_report, dumps

        report_data = build_report(
            verdict=verdict,
            result=result,
            result_id=result_id,
            status=status,
            policy_source=policy_source,
        )
        _to_stdout(log, dumps(report_data) + "\n")
    if settings.report_json not in ("", "-"):
        from gate.publish.report_json import write_report_json

        _guard(
            log,
            "JSON report",
            settings.report_json,
            lambda: write_report_json(
                settings.report_json,
                verdict=verdict,
                result=result,
                result_id=result_id,
                status=status,
                policy_source=policy_source,
            ),
        )
    if settings.junit_xml == "-":
        from gate.publish.junit import junit_text

        _to_stdout(log, junit_text(verdict=verdict, result=result))
    elif settings.junit_xml:
        from gate.publish.junit import write_junit

        _guard(
            log,
            "JUnit XML",
            settings.junit_xml,
            lambda: write_junit(
                settings.junit_xml,
                verdict=verdict,
                result=result,
            ),
        )
    if settings.comment in {"always", "on-failure"}:
        _comment(settings, verdict=verdict, result=result, context=context, log=log)


def report_context(
    settings: PublishOptions,
    *,
    policy_source: str,
    result_id: str,
    now: datetime | None = None,
    notes: tuple[str, ...] = (),
) -> ReportContext:
    """What the report says about where it comes from: the policy file at this commit, the
    commit, the workflow run and the time it was written."""
    gh = settings.github
    notice = ""
    if policy_source == DEFAULT_POLICY.source:
        from gate.policy.summary import default_policy_notice

        notice = default_policy_notice()
    return ReportContext(
        notice=notice,
        policy_source=policy_source,
        result_id=result_id,
        summary_url=gh.job_summary_url,
        policy_url=_policy_url(gh, policy_source),
        commit=gh.sha,
        run_url=gh.job_summary_url,
        run_number=gh.run_number,
        updated_at=now or datetime.now(UTC),
        notes=notes,
    )


def _policy_url(gh: GitHubContext, source: str) -> str:
    """The policy file on GitHub at the commit that ran, when it is a path in the repository."""
    path = source.strip().removeprefix("./")
    if not (gh.repository and gh.sha and path) or path.startswith(("/", "~")) or ".." in path:
        return ""
    if path == DEFAULT_POLICY.source or " " in path or not path.endswith((".yml", ".yaml")):
        return ""
    return f"{gh.server_url}/{gh.repository}/blob/{gh.sha}/{quote(path)}"


def _comment(
    settings: PublishOptions,
    *,
    verdict: Verdict,
    result: Result | None,
    context: ReportContext,
    log: Log,
) -> None:
    from datetime import UTC, datetime

    from gate.publish.actions import comment, comment_text

    gh = settings.github
    # comment: on-failure and a pass: a comment an earlier failing run left is updated to say
    # the gate passes now (never a red comment left behind), and none is created.
    update_only = settings.comment == "on-failure" and verdict.kind is VerdictKind.PASS
    # An explicit pr-number wins: a workflow_run job comments on the pull request that
    # triggered it, which its own event does not name as a pull request.
    number = settings.pr_number or comment.pr_number_from_event(gh.event_name, gh.event_path)
    if update_only and not (number and gh.token and gh.repository):
        return  # nothing to update, and nothing to warn about on a pass
    if not number:
        log.warn(
            f"comment: {settings.comment} is set but this is not a pull_request event "
            f"({gh.event_name or 'no GitHub event'}) and pr-number is not set; no comment "
            "was posted. In a workflow_run job, pass pr-number."
        )
        return
    body = report.comment_body(verdict, result, context=context)
    run = comment_text.run_info(
        server_url=gh.server_url,
        repository=gh.repository,
        sha=comment.head_sha_from_event(gh.event_name, gh.event_path) or gh.sha,
        run_id=gh.run_id,
        run_number=gh.run_number,
        run_attempt=gh.run_attempt,
    )
    now = datetime.now(UTC)
    outcome = comment.post_or_update(
        api_url=gh.api_url,
        repository=gh.repository,
        token=gh.token,
        pr_number=number,
        marker_key=comment.marker_key(gh.workflow, gh.job, settings.comment_key),
        summary_url=gh.job_summary_url,
        compose=lambda previous: comment_text.compose(
            body, verdict=verdict, run=run, previous_body=previous, now=now
        ),
        create=not update_only,
    )
    if update_only and outcome.action is comment.CommentAction.SKIPPED and not outcome.warning:
        return  # no comment from an earlier failing run: nothing to say on a pass
    if outcome.warning:
        log.warn(outcome.warning)
        if settings.summary_file:
            _write(log, "summary", settings.summary_file, f"\n> ⚠️ {outcome.warning}\n", append=True)
    else:
        log.info(f"Pull-request comment {outcome.action} on #{number}")
    if outcome.url:
        log.outputs({"comment-url": outcome.url})  # the later line wins over the empty one


def publish_skipped(settings: PublishOptions, *, result_id: str, reason: str, log: Log) -> int:
    """The gate was told to skip (no API key, on-missing-api-key: skip): say so everywhere a
    verdict would appear, evaluate nothing, exit 0. No report files and no comment are
    written: there is nothing to report, and a file could be mistaken for a verdict."""
    log.notice(reason)
    markdown = (
        "## ⏭️ Cekura gate skipped: nothing was evaluated\n\n"
        f"{md_text(reason)}\n\n"
        "No result was read and no check ran, so this job says nothing about the agent's "
        "quality. Verdict output: `skipped`.\n"
    )
    if settings.summary_file:
        _write(log, "summary", settings.summary_file, markdown, append=True)
    else:
        for line in markdown.splitlines():
            log.info(line)
    # Every output is written, empty where nothing was measured: no count of 0 checks or runs
    # a later step could take for a verdict.
    log.outputs(
        dict.fromkeys(github.VERDICT_OUTPUTS, "")
        | {"verdict": SKIPPED, "result-id": result_id, "failed-checks": "[]"},
    )
    return EXIT_PASS


def _to_stdout(log: Log, text: str) -> None:
    stream = log.data or log.out
    stream.write(text)
    stream.flush()


def _one_line(verdict: Verdict, result_id: str) -> str:
    label = {"pass": "PASSED", "fail": "FAILED", "error": "COULD NOT EVALUATE"}[verdict.kind]
    if verdict.kind is VerdictKind.ERROR:
        kind = wording.error_kind(verdict)
        if kind in wording.STOPPED_KINDS:
            # A usage or config error stopped the gate before it looked at any result: it
            # is not a result the gate could not evaluate (exit 2, not 3).
            label = f"STOPPED ({kind}, nothing was evaluated)"
        return f"cekura-gate {label}: {wording.verdict_reason(verdict)}"
    failed = ", ".join(
        f"{c.title} {wording.actual(c)} (needs {wording.threshold(c)})"
        for c in verdict.failed_checks
    )
    where = f" for result {result_id}" if result_id else ""
    return f"cekura-gate {label}{where}" + (f": {failed}" if failed else "")


def _guard(log: Log, what: str, path: str, write: Any) -> None:
    try:
        write()
    except OSError as exc:
        log.warn(f"could not write the {what} to {path}: {exc.strerror or exc}")


def _write(log: Log, what: str, path: str, text: str, *, append: bool) -> None:
    def write() -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)

    _guard(log, what, path, write)
