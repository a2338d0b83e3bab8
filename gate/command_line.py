"""The command line's commands, flags and help texts (argparse), as `--help` shows them.

Every flag names its variable (`[env: CEKURA_X_Y]`) and its default; settings.py reads the
flags and the variables into one Settings."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any, NoReturn

from gate import __version__
from gate.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of printing and exiting, and never guesses:
    an abbreviated flag (`--tag` for `--tags`) is refused, not taken for another one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        # The epilogs (examples, exit codes) are laid out by hand; descriptions are wrapped here.
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        if kwargs.get("description"):
            kwargs["description"] = textwrap.fill(kwargs["description"], width=78)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        # self.prog is "cekura-gate" or "cekura-gate check": the whole command to repeat.
        raise UsageError(f"{message}. Run '{self.prog} --help' for usage.")


EXIT_CODES = """\
exit codes:
  0  passed: every error-level check held (warnings allowed)
  1  failed: at least one error-level check did not hold
  2  usage or config error: bad flag, missing setting, invalid config file
  3  could not evaluate: API key refused, result not found, API unreachable,
     timed out waiting, result ended failed/timeout/cancelled, too few runs"""
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
VALIDATE_EXAMPLES = """\
examples:
  cekura-gate validate                       # .cekura/gate.yml or .cekura/gate.yaml
  cekura-gate validate .cekura/gate.yml examples/*.yml

exit codes:
  0  every file is valid (warnings, FILE:LINE: ..., do not change it)
  2  a file is missing or invalid (each problem is printed as FILE:LINE: ...)"""
DEMO_EXAMPLES = """\
examples:
  cekura-gate demo                  # a healthy agent: the gate passes
  cekura-gate demo --scenario fail  # a regressed agent: the gate blocks the deploy

"""


def _variable(name: str) -> str:
    return "CEKURA_" + name.upper().replace("-", "_")


def _setting(
    group: Any, name: str, text: str, *, default: str = "", metavar: str = "", **kwargs: Any
) -> None:
    """A flag `--name` whose help names its variable and its default, the way users read it:
    'seconds between polls [env: CEKURA_POLL_INTERVAL] (default: 10s)'."""
    text += f" [env: {_variable(name)}]"
    if default:
        text += f" (default: {default})"
    group.add_argument(
        f"--{name}",
        metavar=metavar or name.rsplit("-", 1)[-1].upper(),
        help=text.replace("%", "%%"),
        **kwargs,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cekura-gate",
        description="A CI quality gate for voice agents tested on Cekura.",
        epilog="Run 'cekura-gate COMMAND --help' for a command's settings.\n\n" + EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"cekura-gate {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, title="commands"
    )

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
    _setting(source, "result-id", "an existing Cekura result, polled until it ends", metavar="N")
    _setting(source, "result-file", "a saved result-detail JSON, evaluated offline", metavar="PATH")
    _setting(source, "agent-id", "start a run for this agent, then gate its result", metavar="N")
    start = check.add_argument_group("starting a run (with --agent-id)")
    _setting(start, "scenarios", "comma-separated scenario ids, e.g. 1,2,3", metavar="IDS")
    _setting(start, "tags", "comma-separated scenario tags, e.g. smoke,billing", metavar="TAGS")
    _setting(start, "frequency", "runs per scenario", default="1", metavar="N")
    _setting(
        start,
        "run-as-text",
        "run the scenarios as text chats instead of voice calls; takes an optional true/false",
        default="false",
        metavar="BOOL",
        nargs="?",
        const="true",
    )
    start.add_argument(
        "--no-run-as-text",
        dest="run_as_text",
        action="store_const",
        const="false",
        help="run the scenarios as voice calls (the same as --run-as-text false)",
    )
    _add_start_options(check)
    _add_config(check)
    api = check.add_argument_group("Cekura API (the key comes only from CEKURA_API_KEY)")
    _setting(api, "api-url", "the Cekura API's address", default=DEFAULT_API_URL, metavar="URL")
    _setting(
        api,
        "timeout",
        "how long to wait for the result: 1800, 90s, 30m, 1h",
        default="30m",
        metavar="DURATION",
    )
    _setting(
        api,
        "poll-interval",
        "the polling interval, same forms as --timeout",
        default="10s",
        metavar="DURATION",
    )
    _setting(
        api,
        "on-missing-api-key",
        "with no API key: fail (exit 2) or skip (verdict 'skipped', exit 0; only for "
        "optional jobs such as fork pull requests, never for a required check)",
        default="fail",
        metavar="fail|skip",
    )
    out = check.add_argument_group("reports")
    _add_reports(out)
    _setting(
        out,
        "comment",
        "pull-request comment: off, always or on-failure",
        default="off",
        metavar="MODE",
    )
    _add_format(out)
    _setting(out, "comment-key", "tells apart the comments of matrix jobs", metavar="KEY")
    _setting(
        out,
        "pr-number",
        "the pull request to comment on (e.g. in a workflow_run job)",
        default="the pull request of the event",
        metavar="N",
    )
    _setting(
        out,
        "end-calls-on-cancel",
        "when cancelled, ask Cekura to end the calls of a run the gate started",
        default="true",
        metavar="BOOL",
    )
    _setting(
        out,
        "reuse",
        "on a re-run of the workflow job: unfinished (reattach to the earlier attempt's run "
        "when it reached no verdict), always (even when it did), never (start a new run)",
        default="unfinished",
        metavar="MODE",
    )
    _setting(
        out,
        "end-calls-on-fail",
        "when a run the gate started can no longer pass, stop waiting and ask Cekura to end "
        "its remaining calls (false: stop waiting, let the calls finish for their evidence)",
        default="true",
        metavar="BOOL",
    )
    _add_verbosity(check)

    validate = commands.add_parser(
        "validate",
        help="check config files and say what is wrong, with file:line",
        description=(
            "Check gate config files against the schema and print every problem as "
            "FILE:LINE: what is wrong. In GitHub Actions each problem is also an annotation "
            "at its file and line."
        ),
        epilog=VALIDATE_EXAMPLES,
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="FILE",
        help="config files to check (default: --config, else .cekura/gate.yml or .yaml)",
    )
    _add_config(validate)
    run = validate.add_argument_group(
        "the run the config will gate (to warn of checks it can never decide or meet)"
    )
    _setting(run, "scenarios", "comma-separated scenario ids the run will start", metavar="IDS")
    _setting(
        run,
        "frequency",
        "runs per scenario (a min_passes above it can never be met)",
        default="1",
        metavar="N",
    )
    _add_verbosity(validate)

    _add_combine(commands)

    demo = commands.add_parser(
        "demo",
        help="the whole check flow against a built-in simulated Cekura API",
        description=(
            "The whole check flow against a simulated Cekura API on 127.0.0.1: no API key, "
            "no network. Prints the report; the exit code is the verdict."
        ),
        epilog=DEMO_EXAMPLES + EXIT_CODES,
    )
    demo.add_argument(
        "--scenario",
        choices=("pass", "fail"),
        default="pass",
        help="which simulated agent to gate (default: pass)",
    )
    _add_config(demo)
    demo_reports = demo.add_argument_group("reports")
    _add_reports(demo_reports)
    _add_format(demo_reports)
    _add_verbosity(demo)
    return parser


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


def _add_combine(commands: Any) -> None:
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
    _setting(
        combine,
        "summary-file",
        "append the Markdown summary here",
        default="$GITHUB_STEP_SUMMARY when set, else standard output",
        metavar="PATH",
    )
    combine.set_defaults(verbosity=0)  # no progress to show: combine reads files only


def _add_start_options(check: argparse.ArgumentParser) -> None:
    """Execution modes, suites, the cost check and the share link (README: Starting runs)."""
    start = check.add_argument_group("execution modes and cost (with --agent-id)")
    _setting(
        start,
        "execution-mode",
        "voice, text, livekit_v2 or pipecat_v2; text is the same as --run-as-text",
        default="voice",
        metavar="MODE",
    )
    _setting(
        start,
        "suite-file",
        "a tests-as-code suite (JSON, or YAML) to run instead of --scenarios/--tags",
        metavar="PATH",
    )
    _setting(start, "run-name", "the name of the run in Cekura", metavar="NAME")
    _setting(start, "concurrency-limit", "at most this many calls at once", metavar="N")
    _setting(
        start, "phone-number", "voice: the number the testing agent calls from", metavar="NUMBER"
    )
    _setting(start, "personality-ids", "comma-separated personality ids", metavar="IDS")
    _setting(start, "test-profile-ids", "comma-separated test profile ids", metavar="IDS")
    _setting(start, "livekit-data", "livekit_v2: the LiveKit data, a JSON object", metavar="JSON")
    _setting(start, "pipecat-data", "pipecat_v2: the Pipecat data, a JSON object", metavar="JSON")
    _setting(
        start,
        "dry-run",
        "validate the start and print the plan (calls, Cekura's estimated cost) without "
        "placing calls; takes an optional true/false",
        default="false",
        metavar="BOOL",
        nargs="?",
        const="true",
    )
    _setting(
        start,
        "max-calls",
        "refuse (exit 2) a start that would place more calls than this",
        default="no limit",
        metavar="N",
    )
    _setting(
        start,
        "share-link",
        "create a shareable link to the result, valid this long (7d, 12h); anyone with the "
        "link sees the transcripts",
        default="off",
        metavar="DURATION",
    )


def _add_config(parser: argparse.ArgumentParser) -> None:
    _setting(
        parser,
        "config",
        "the gate's YAML config",
        default=".cekura/gate.yml or .cekura/gate.yaml when one exists, else the default policy",
        metavar="PATH",
    )


def _add_reports(group: Any) -> None:
    _setting(
        group,
        "summary-file",
        "append the Markdown report here",
        default="$GITHUB_STEP_SUMMARY when set, else standard output",
        metavar="PATH",
    )
    _setting(
        group, "report-json", "write a JSON report here ('-': standard output)", metavar="PATH"
    )
    _setting(
        group, "junit-xml", "write a JUnit XML report here ('-': standard output)", metavar="PATH"
    )


def _add_format(group: Any) -> None:
    _setting(
        group,
        "format",
        "the report on standard output: markdown, text (aligned tables, for a terminal) or json",
        default="text at a terminal outside GitHub Actions, else markdown",
        metavar="markdown|text|json",
    )


def _add_verbosity(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output").add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        help="no progress lines: only the report, warnings and errors",
    )
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        help="debug lines too: every poll, its answer and the wait before the next "
        "(also on with RUNNER_DEBUG=1, GitHub's debug logging)",
    )


DEFAULT_API_URL = "https://api.cekura.ai"
#: where the config is looked for when --config is not set; both at once is a usage error
DEFAULT_CONFIGS = (Path(".cekura/gate.yml"), Path(".cekura/gate.yaml"))
