"""The combined verdict of a matrix (`cekura-gate combine`) in words: one job summary with a
row per job, then what went wrong across them; the one-line verdict for the log; the step
outputs. It reads gate.combine's Combined and JobReport (passed in, duck-typed: publish comes
before the commands)."""

from __future__ import annotations

import json
from typing import Any

from gate.publish.actions.github import (
    MAX_ANNOTATIONS,
    annotation_data,
    escape_property,
    format_percent,
    safe_log_line,
)
from gate.publish.words.escape import md_cell, md_link_url, md_text
from gate.publish.words.fmt import number

#: "what went wrong" lists at most this many failed checks per job
MAX_CHECKS_PER_JOB = 10
_HEAD = {
    "pass": "✅ Cekura gate passed",
    "fail": "❌ Cekura gate failed",
    "error": "⚠️ Cekura gate could not evaluate",
}
_CELL = {"pass": "✅ pass", "fail": "❌ fail", "error": "⚠️ could not evaluate"}


def render(combined: Any) -> str:
    jobs = combined.jobs
    lines = [
        f"## {_HEAD[combined.verdict]}: {_counts(jobs)}",
        "",
        "| job | verdict | result | runs | success rate | failed checks |",
        "|---|---|---|---|---|---|",
    ]
    for job in jobs:
        lines.append(
            f"| {md_cell(job.label)} | {_CELL[job.verdict]} | {_result(job)} | "
            f"{'' if job.total_runs is None else job.total_runs} | "
            f"{_percent(job.success_rate)} | "
            f"{md_cell(', '.join(c.title for c in job.failed_checks))} |"
        )
    rate = combined.success_rate
    if rate is not None:
        lines += ["", f"Across the jobs: {_percent(rate)} of runs succeeded (runs pooled)."]
    wrong = [job for job in jobs if job.verdict != "pass"]
    if wrong:
        lines += ["", "### What went wrong", ""]
        for job in wrong:
            lines += _what_went_wrong(job)
    return "\n".join(lines) + "\n"


def one_line(combined: Any) -> str:
    label = {"pass": "PASSED", "fail": "FAILED", "error": "COULD NOT EVALUATE"}[combined.verdict]
    return safe_log_line(f"cekura-gate {label} (combined): {_counts(combined.jobs)}")


def outputs(combined: Any) -> dict[str, str]:
    """The step outputs of `check`, over the jobs: result ids and statuses in job order,
    comma-separated; the pooled success rate; every failed check as 'job: check'."""
    jobs = combined.jobs
    return {
        "verdict": combined.verdict,
        "result-id": ",".join(j.result_id for j in jobs),
        "status": ",".join(j.status for j in jobs),
        "success-rate": format_percent(combined.success_rate),
        "failed-checks": json.dumps(
            [f"{j.label}: {c.name}" for j in jobs for c in j.failed_checks]
            + [f"{j.label}: could not evaluate" for j in jobs if j.verdict == "error"]
        ),
        "result-url": "",
    }


def annotations(combined: Any) -> list[str]:
    """An `::error` per job that failed or could not be evaluated (GitHub shows ten)."""
    lines = []
    for job in [j for j in combined.jobs if j.verdict != "pass"]:
        if job.verdict == "error":
            message = f"could not evaluate: {job.reason or 'no reason given'}"
        else:
            message = "failed: " + (
                "; ".join(f"{c.title}: {c.actual}" for c in job.failed_checks) or "see the summary"
            )
        title = escape_property(f"cekura-gate: {safe_log_line(job.label)[:150]}")
        lines.append(f"::error title={title}::{annotation_data(message)}")
    if len(lines) > MAX_ANNOTATIONS:
        more = len(lines) - MAX_ANNOTATIONS + 1
        summary = f"::error title=cekura-gate%3A {more} more::and {more} more jobs, see the summary"
        lines = [*lines[: MAX_ANNOTATIONS - 1], summary]
    return lines


def safe(text: str) -> str:
    return safe_log_line(text)


def _counts(jobs: Any) -> str:
    total = len(jobs)
    failed = sum(1 for j in jobs if j.verdict == "fail")
    errors = sum(1 for j in jobs if j.verdict == "error")
    parts = [f"{total - failed - errors} of {total} jobs passed"]
    if failed:
        parts.append(f"{failed} failed")
    if errors:
        parts.append(f"{errors} could not be evaluated")
    return ", ".join(parts)


def _result(job: Any) -> str:
    if not job.result_id:
        return ""
    url = md_link_url(job.result_url)
    text = md_cell(job.result_id)
    return f"[{text}]({url})" if url else text


def _percent(value: float | None) -> str:
    return "" if value is None else f"{number(value)}%"


def _what_went_wrong(job: Any) -> list[str]:
    name = f"**{md_text(job.label)}**"
    if job.verdict == "error":
        return [f"- {name}: could not evaluate: {md_text(job.reason or 'no reason given')}"]
    lines = []
    for check in job.failed_checks[:MAX_CHECKS_PER_JOB]:
        needs = f" (needs {md_text(check.threshold)})" if check.threshold else ""
        lines.append(f"- {name}: {md_text(check.title)}: {md_text(check.actual)}{needs}")
    if len(job.failed_checks) > MAX_CHECKS_PER_JOB:
        lines.append(f"- {name}: and {len(job.failed_checks) - MAX_CHECKS_PER_JOB} more checks")
    if not lines:
        lines.append(f"- {name}: failed (its report names no failed check)")
    if job.failing_runs:
        more = ", e.g.:" if job.failing_examples else ""
        lines.append(f"  - {job.failing_runs} failing run(s){more}")
        lines += [
            f"    - {md_text(scenario)}" + (f": {md_text(reason)}" if reason else "")
            for scenario, reason in job.failing_examples
        ]
    return lines
