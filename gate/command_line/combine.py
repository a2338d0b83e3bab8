"""`cekura-gate combine`: the reports of a matrix's jobs, where the summary goes, its help."""

from __future__ import annotations

from typing import Any

from gate.command_line.flags import setting

COMBINE_EXAMPLES = """\
examples:
  # the report of every matrix job, downloaded as artifacts into reports/<artifact>/;
  # name each one (a glob would not notice a job that wrote none)
  cekura-gate combine reports/gate-support/cekura-gate.json \\
    reports/gate-billing/cekura-gate.json

exit codes:
  0  every job passed
  1  a job failed (and every job was evaluated)
  2  a report of another schema_version (use one cekura-gate version everywhere)
  3  a report is missing or unreadable, or a job could not evaluate"""


def add_combine(commands: Any) -> None:
    combine = commands.add_parser(
        "combine",
        help="one verdict over the JSON reports of a matrix's jobs",
        description=(
            "Merge the JSON reports (--report-json) of a matrix's jobs into one verdict, one "
            "job summary and the same outputs and exit codes as check. A missing or "
            "unreadable report is 'could not evaluate', never skipped."
        ),
        epilog=COMBINE_EXAMPLES,
    )
    combine.add_argument(
        "reports", nargs="+", metavar="REPORT.json", help="the JSON reports of the jobs"
    )
    setting(
        combine,
        "summary-file",
        "append the Markdown summary here",
        default="$GITHUB_STEP_SUMMARY when set, else standard output",
        metavar="PATH",
    )
    combine.set_defaults(verbosity=0)  # no progress to show: combine reads files only
