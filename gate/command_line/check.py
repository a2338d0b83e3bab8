"""`cekura-gate check`: where the result comes from, the Cekura API, the reports, its help.

The flags that start a run (with --agent-id) are in gate/command_line/start.py."""

from __future__ import annotations

from typing import Any

from gate.command_line.defaults import DEFAULT_API_URL
from gate.command_line.exit_codes import EXIT_CODES
from gate.command_line.flags import add_config, add_format, add_reports, add_verbosity, setting
from gate.command_line.start import add_start

CHECK_EXAMPLES = """\
examples:
  # gate a saved result offline (no API key needed)
  cekura-gate check --result-file result.json
  # wait for an existing result and gate it
  CEKURA_API_KEY=... cekura-gate check --result-id 16870
  # start a run of the smoke scenarios, twice each, and gate the result it creates
  CEKURA_API_KEY=... cekura-gate check --agent-id 5 --tags smoke --frequency 2
  # the plan of a livekit_v2 run (calls, the max-calls check) without placing a call
  cekura-gate check --agent-id 5 --scenarios 1,2 --execution-mode livekit_v2 --dry-run
  # the JSON report on standard output, for jq
  cekura-gate check --result-file result.json --report-json - | jq .verdict"""


def add_check(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="wait for a result, evaluate it, report, exit with the verdict",
        description=(
            "Gate one Cekura result: wait for it to finish, evaluate it against the config, "
            "report, and exit with the verdict. Every flag also reads its CEKURA_* variable "
            "(the flag wins); the API key comes only from CEKURA_API_KEY."
        ),
        epilog=CHECK_EXAMPLES + "\n\n" + EXIT_CODES,
    )
    source = check.add_argument_group("where the result comes from (exactly one)")
    setting(source, "result-id", "an existing Cekura result, polled until it ends", metavar="N")
    setting(source, "result-file", "a saved result-detail JSON, evaluated offline", metavar="PATH")
    setting(source, "agent-id", "start a run for this agent, then gate its result", metavar="N")
    add_start(check)
    add_config(check)
    api = check.add_argument_group("Cekura API (the key comes only from CEKURA_API_KEY)")
    setting(api, "api-url", "the Cekura API's address", default=DEFAULT_API_URL, metavar="URL")
    setting(
        api,
        "timeout",
        "how long to wait for the result: 1800, 90s, 30m, 1h",
        default="30m",
        metavar="DURATION",
    )
    setting(
        api,
        "poll-interval",
        "the polling interval, same forms as --timeout",
        default="10s",
        metavar="DURATION",
    )
    setting(
        api,
        "on-missing-api-key",
        "with no API key: fail (exit 2) or skip (verdict 'skipped', exit 0; only for "
        "optional jobs such as fork pull requests, never for a required check)",
        default="fail",
        metavar="fail|skip",
    )
    out = check.add_argument_group("reports")
    add_reports(out)
    setting(
        out,
        "comment",
        "pull-request comment: off, always or on-failure",
        default="off",
        metavar="MODE",
    )
    add_format(out)
    setting(out, "comment-key", "tells apart the comments of matrix jobs", metavar="KEY")
    setting(
        out,
        "pr-number",
        "the pull request to comment on (e.g. in a workflow_run job)",
        default="the pull request of the event",
        metavar="N",
    )
    setting(
        out,
        "end-calls-on-cancel",
        "when cancelled, ask Cekura to end the calls of a run the gate started",
        default="true",
        metavar="BOOL",
    )
    setting(
        out,
        "reuse",
        "on a re-run of the workflow job: unfinished (reattach to the earlier attempt's run "
        "when it reached no verdict), always (even when it did), never (start a new run)",
        default="unfinished",
        metavar="MODE",
    )
    setting(
        out,
        "end-calls-on-fail",
        "when a run the gate started can no longer pass, stop waiting and ask Cekura to end "
        "its remaining calls (false: stop waiting, let the calls finish for their evidence)",
        default="true",
        metavar="BOOL",
    )
    add_verbosity(check)
