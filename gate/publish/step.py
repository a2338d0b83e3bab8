"""Everything a run of `check` leaves behind: log lines, report, outputs, annotations, files.

A problem while writing one of these is a warning in the log; it never changes the verdict
(a gate that failed because its JUnit file could not be written would be lying).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gate.errors import EXIT_PASS
from gate.judge.verdict import Verdict, VerdictKind
from gate.policy.model import DEFAULT_POLICY
from gate.publish import github, wording
from gate.publish import markdown as report
from gate.publish.job_log import Log
from gate.publish.options import PublishOptions
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
    each under the report."""
    context = report.ReportContext(
        policy_source=policy_source,
        result_id=result_id,
        summary_url=settings.github.job_summary_url,
    )
    markdown = report.render(verdict, result, context=context)
    if policy_source == DEFAULT_POLICY.source:
        from gate.policy.summary import default_policy_notice

        markdown += f"\n> ℹ️ {default_policy_notice()}\n"
    for note in notes:
        markdown += f"\n> ℹ️ {note}\n"
    if settings.summary_file:
        _write(log, "summary", settings.summary_file, markdown, append=True)
        log.info(_one_line(verdict, result_id))
    else:
        for line in markdown.splitlines():
            log.info(line)
    if settings.github.actions:
        for line in github.annotations(verdict):
            log.out.write(line + "\n")
    log.outputs(
        github.step_outputs(verdict=verdict, result=result, result_id=result_id, status=status),
    )
    if settings.report_json == "-":
        from gate.publish.report_json import build_report, dumps

        report_data = build_report(
            verdict=verdict,
            result=result,
            result_id=result_id,
            status=status,
            policy_source=policy_source,
        )
        _to_stdout(log, dumps(report_data) + "\n")
    elif settings.report_json:
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
    if settings.comment == "always" or (
        settings.comment == "on-failure" and verdict.kind is not VerdictKind.PASS
    ):
        _comment(settings, verdict=verdict, result=result, context=context, log=log)


def _comment(
    settings: PublishOptions,
    *,
    verdict: Verdict,
    result: Result | None,
    context: report.ReportContext,
    log: Log,
) -> None:
    from gate.publish import comment

    gh = settings.github
    # An explicit pr-number wins: a workflow_run job comments on the pull request that
    # triggered it, which its own event does not name as a pull request.
    number = settings.pr_number or comment.pr_number_from_event(gh.event_name, gh.event_path)
    if not number:
        log.warn(
            f"comment: {settings.comment} is set but this is not a pull_request event "
            f"({gh.event_name or 'no GitHub event'}) and pr-number is not set; no comment "
            "was posted. In a workflow_run job, pass pr-number."
        )
        return
    body = report.render(verdict, result, context=context, budget=report.COMMENT_BUDGET)
    outcome = comment.post_or_update(
        api_url=gh.api_url,
        repository=gh.repository,
        token=gh.token,
        pr_number=number,
        body=body,
        marker_key=comment.marker_key(gh.workflow, gh.job, settings.comment_key),
        summary_url=gh.job_summary_url,
    )
    if outcome.warning:
        log.warn(outcome.warning)
        if settings.summary_file:
            _write(log, "summary", settings.summary_file, f"\n> ⚠️ {outcome.warning}\n", append=True)
    else:
        log.info(f"Pull-request comment {outcome.action} on #{number}")


def publish_skipped(settings: PublishOptions, *, result_id: str, reason: str, log: Log) -> int:
    """The gate was told to skip (no API key, on-missing-api-key: skip): say so everywhere a
    verdict would appear, evaluate nothing, exit 0. No report files and no comment are
    written: there is nothing to report, and a file could be mistaken for a verdict."""
    log.notice(reason)
    markdown = (
        "## ⏭️ Cekura gate skipped: nothing was evaluated\n\n"
        f"{report.md_text(reason)}\n\n"
        "No result was read and no check ran, so this job says nothing about the agent's "
        "quality. Verdict output: `skipped`.\n"
    )
    if settings.summary_file:
        _write(log, "summary", settings.summary_file, markdown, append=True)
    else:
        for line in markdown.splitlines():
            log.info(line)
    log.outputs(
        {
            "verdict": SKIPPED,
            "result-id": result_id,
            "status": "",
            "success-rate": "",
            "failed-checks": "[]",
            "result-url": "",
        },
    )
    return EXIT_PASS


def _to_stdout(log: Log, text: str) -> None:
    stream = log.data or log.out
    stream.write(text)
    stream.flush()


def _one_line(verdict: Verdict, result_id: str) -> str:
    label = {"pass": "PASSED", "fail": "FAILED", "error": "COULD NOT EVALUATE"}[verdict.kind]
    if verdict.kind is VerdictKind.ERROR:
        return f"cekura-gate {label}: {verdict.reason}"
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
