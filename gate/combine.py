"""`cekura-gate combine REPORT.json...`: one verdict over the JSON reports of a matrix's jobs.

Each report is what `check --report-json` wrote (gate/publish/report.schema.json, version 2);
keys it does not know are ignored, so a report from a newer gate of the same version reads.
A report that is missing or unreadable is "could not evaluate", never skipped: a job that
died before writing its report must not let the matrix pass. A report of another
schema_version is refused (exit 2): the gates of one matrix must speak the same format.

The combined verdict: error (exit 3) when any job could not be evaluated, else fail (exit 1)
when any job failed, else pass (exit 0). It is written as the same step outputs as `check`
and one job summary: a row per job, then what went wrong across them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gate.errors import EXIT_CANNOT_EVALUATE, EXIT_FAIL, EXIT_PASS, EXIT_USAGE
from gate.settings import Settings

#: the report format this gate reads (gate/publish/report_json.SCHEMA_VERSION)
SCHEMA_VERSION = 2
#: a report is a few hundred KiB at most (failing runs are capped); more is not one
MAX_REPORT_BYTES = 64 * 2**20
VERDICTS = ("pass", "fail", "error")


@dataclass(frozen=True, slots=True)
class FailedCheck:
    title: str
    name: str
    actual: str
    threshold: str
    detail: str


@dataclass(frozen=True, slots=True)
class JobReport:
    """One matrix job, as its report tells it (or why it tells nothing)."""

    label: str
    path: str
    #: pass, fail or error (the job's own verdict, or error when there is no usable report)
    verdict: str
    #: why the job could not be evaluated (its own reason, or what is wrong with its report)
    reason: str = ""
    #: the report is of another schema_version: refused, exit 2
    refused: bool = False
    result_id: str = ""
    result_url: str = ""
    status: str = ""
    total_runs: int | None = None
    success_rate: float | None = None
    failed_checks: tuple[FailedCheck, ...] = ()
    failing_runs: int = 0
    #: a few failing runs: (scenario, reason)
    failing_examples: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Combined:
    jobs: tuple[JobReport, ...]

    @property
    def verdict(self) -> str:
        if any(j.verdict == "error" for j in self.jobs):
            return "error"
        return "fail" if any(j.verdict == "fail" for j in self.jobs) else "pass"

    @property
    def exit_code(self) -> int:
        if any(j.refused for j in self.jobs):
            return EXIT_USAGE
        return {"pass": EXIT_PASS, "fail": EXIT_FAIL, "error": EXIT_CANNOT_EVALUATE}[self.verdict]

    @property
    def success_rate(self) -> float | None:
        """Percent of runs that succeeded across the jobs that know theirs (runs pooled)."""
        known = [
            (j.total_runs, j.success_rate)
            for j in self.jobs
            if j.total_runs and j.success_rate is not None
        ]
        runs = sum(total for total, _ in known)
        if not runs:
            return None
        return round(sum(total * rate for total, rate in known) / runs, 2)


def run_combine(settings: Settings, *, out: TextIO, err: TextIO) -> int:
    from gate.publish import combined as publish

    labels = _labels(settings.reports)
    jobs = tuple(
        read_report(path, label) for path, label in zip(settings.reports, labels, strict=True)
    )
    result = Combined(jobs)
    for job in jobs:
        if job.verdict == "error":
            kind = "usage error" if job.refused else "could not evaluate"
            err.write(f"cekura-gate: {kind}: {job.label}: {publish.safe(job.reason)}\n")
    if settings.github.actions:
        for line in publish.annotations(result):
            out.write(line + "\n")
    markdown = publish.render(result)
    if settings.summary_file:
        try:
            target = Path(settings.summary_file)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(markdown)
        except OSError as exc:
            err.write(f"cekura-gate: warning: could not write the summary: {exc}\n")
        out.write(publish.one_line(result) + "\n")
    else:
        out.write(markdown)
    if settings.github.output_file:
        from gate.publish.actions.github import write_outputs

        try:
            write_outputs(settings.github.output_file, publish.outputs(result))
        except OSError as exc:
            err.write(f"cekura-gate: warning: could not write step outputs: {exc}\n")
    return result.exit_code


def read_report(path: str, label: str) -> JobReport:
    """The job behind `path`, or a JobReport with verdict error that says why not."""

    def broken(reason: str, *, refused: bool = False) -> JobReport:
        return JobReport(label, path, "error", reason=reason, refused=refused)

    target = Path(path)
    try:
        size = target.stat().st_size
        if size > MAX_REPORT_BYTES:
            return broken(f"{path} is {size:,} bytes, not a cekura-gate report (at most 64 MiB).")
        data = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return broken(
            f"no report at {path}: the job did not write one (it failed or was cancelled before "
            "the gate ran, skipped it, or ran without report-json), or its artifact was not "
            "downloaded. A missing job is never counted as a pass."
        )
    except (OSError, UnicodeDecodeError) as exc:
        return broken(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}.")
    except (ValueError, RecursionError) as exc:
        return broken(f"{path} is not valid JSON ({str(exc)[:200]}); the upload was cut short?")
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "cekura-gate":
        return broken(f"{path} is not a cekura-gate JSON report (no tool.name 'cekura-gate').")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        return broken(
            f"{path} is a report of schema_version {version!r}; this cekura-gate reads version "
            f"{SCHEMA_VERSION}. Use the same cekura-gate version in every matrix job and in the "
            "combine job.",
            refused=True,
        )
    verdict = data.get("verdict")
    if verdict not in VERDICTS:
        return broken(f"{path} has no verdict (pass, fail or error): got {verdict!r}.")
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    runs = data.get("failing_runs") if isinstance(data.get("failing_runs"), list) else []
    return JobReport(
        label,
        path,
        verdict,
        reason=_text(data.get("reason")),
        result_id=_text(result.get("id")),
        result_url=_text(result.get("url")),
        status=_text(result.get("status")),
        total_runs=_whole(result.get("total_runs")),
        success_rate=_rate(result.get("success_rate")),
        failed_checks=tuple(
            FailedCheck(
                title=_text(c.get("title")) or _text(c.get("name")),
                name=_text(c.get("name")),
                actual=_text(c.get("actual")),
                threshold=_text(c.get("threshold")),
                detail=_text(c.get("detail")),
            )
            for c in data.get("checks") or []
            if isinstance(c, dict) and c.get("blocking") is True
        ),
        failing_runs=len(runs),
        failing_examples=tuple(
            (_text(r.get("scenario")) or f"run {_text(r.get('id'))}", _text(r.get("reason")))
            for r in runs[:3]
            if isinstance(r, dict)
        ),
    )


def _labels(paths: tuple[str, ...]) -> list[str]:
    """A name per job: the folder of its report (download-artifact puts each artifact in a
    folder named after it), else the file's name; the whole path where those repeat."""
    short = [
        Path(p).parent.name if Path(p).parent.name not in ("", ".") else Path(p).name for p in paths
    ]
    return [s if short.count(s) == 1 else p for s, p in zip(short, paths, strict=True)]


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _rate(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
    return float(value) if ok else None
