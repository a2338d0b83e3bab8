"""Settings that are each valid but do not fit together: two documents on standard output, no
result source or more than one, scenarios without an agent to run them. Each is a UsageError
that names the flags and the fix."""

from __future__ import annotations

from gate.errors import UsageError
from gate.settings import Settings


def report_streams(report_json: str, junit_xml: str) -> None:
    if report_json == "-" and junit_xml == "-":
        raise UsageError(
            "--report-json and --junit-xml are both '-' (standard output); two documents on "
            "one stream cannot be told apart. Send one of them to a file."
        )


def format_stream(output_format: str, report_json: str, junit_xml: str) -> None:
    if output_format == "text" and "-" in (report_json, junit_xml):
        flag = "--report-json" if report_json == "-" else "--junit-xml"
        raise UsageError(
            f"--format text prints the terminal report on standard output, and {flag} is '-' "
            "(standard output) too; two documents on one stream cannot be told apart. Send the "
            "report to a file, or leave --format unset."
        )
    if output_format == "json" and junit_xml == "-":
        raise UsageError(
            "--format json prints the JSON report on standard output, and --junit-xml is '-' "
            "(standard output) too; two documents on one stream cannot be told apart. Send the "
            "JUnit XML to a file, or choose another --format."
        )


def source(s: Settings) -> None:
    given = [
        name
        for name, value in (
            ("--result-id", s.result_id),
            ("--result-file", s.result_file),
            ("--agent-id", s.agent_id),
        )
        if value
    ]
    if len(given) != 1:
        what = (
            "no result source"
            if not given
            else "more than one result source (" + ", ".join(given) + ")"
        )
        raise UsageError(
            f"check needs exactly one result source, got {what}. Give one of --result-id N "
            "(CEKURA_RESULT_ID), --result-file PATH (CEKURA_RESULT_FILE) or --agent-id N with "
            "--scenarios/--tags (CEKURA_AGENT_ID)."
        )
    if s.agent_id and not s.suite_file and bool(s.scenarios) == bool(s.tags):
        raise UsageError(
            "--agent-id needs exactly one of --scenarios 1,2,3 or --tags a,b "
            f"(got {'both' if s.scenarios else 'neither'}) to choose which scenarios to run."
        )
    if not s.agent_id and (s.scenarios or s.tags):
        raise UsageError(
            "--scenarios and --tags choose what a new run tests; they need --agent-id N. "
            "To gate an existing result use --result-id alone."
        )
    if s.poll_interval <= 0:
        raise UsageError(f"--poll-interval must be more than 0 seconds, got {s.poll_interval:g}")
