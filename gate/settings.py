"""One Settings object from argv and the environment: the only place that reads them.

Every setting has three spellings: a flag `--x-y`, a variable `CEKURA_X_Y` and an action
input `x-y` (which the action passes on as the same variable). A flag beats the variable,
the variable beats the default, and an empty value counts as unset.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gate import __version__
from gate.errors import UsageError

DEFAULT_API_URL = "https://api.cekura.ai"
DEFAULT_CONFIG = Path(".cekura/gate.yml")
COMMENT_MODES = ("off", "always", "on-failure")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of printing and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}. Run 'cekura-gate {self.prog.split()[-1]} --help' for usage.")


@dataclass(frozen=True, slots=True)
class GitHubContext:
    """What the GitHub Actions runner tells us through its variables."""

    actions: bool = False
    output_file: str = ""
    summary_file: str = ""
    event_name: str = ""
    event_path: str = ""
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    repository: str = ""
    workflow: str = ""
    job: str = ""
    run_id: str = ""
    token: str = ""

    @property
    def job_summary_url(self) -> str:
        if not (self.repository and self.run_id):
            return ""
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


@dataclass(frozen=True, slots=True)
class Settings:
    command: str
    result_id: str = ""
    result_file: str = ""
    agent_id: str = ""
    scenarios: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    frequency: int = 1
    run_as_text: bool = False
    config: str = ""  # "" = .cekura/gate.yml when it exists, else the default policy
    api_url: str = DEFAULT_API_URL
    api_key: str = field(default="", repr=False)
    timeout: float = 1800.0
    poll_interval: float = 10.0
    summary_file: str = ""
    report_json: str = ""
    junit_xml: str = ""
    comment: str = "off"
    comment_key: str = ""
    end_calls_on_cancel: bool = True
    demo_scenario: str = "pass"
    github: GitHubContext = field(default_factory=GitHubContext)

    @property
    def starts_run(self) -> bool:
        return bool(self.agent_id)

    def config_path(self) -> Path | None:
        """The config file to load, or None for the built-in default policy."""
        if self.config:
            return Path(self.config)
        return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cekura-gate",
        description="A CI quality gate for voice agents tested on Cekura.",
    )
    parser.add_argument("--version", action="version", version=f"cekura-gate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="wait for a result, evaluate it, report, exit")
    source = check.add_argument_group("where the result comes from (exactly one)")
    source.add_argument("--result-id", help="an existing Cekura result, polled until it ends")
    source.add_argument("--result-file", help="a saved result-detail JSON, evaluated offline")
    source.add_argument("--agent-id", help="start a run for this agent, then gate its result")
    start = check.add_argument_group("starting a run (with --agent-id)")
    start.add_argument("--scenarios", help="comma-separated scenario ids, e.g. 1,2,3")
    start.add_argument("--tags", help="comma-separated scenario tags, e.g. smoke,billing")
    start.add_argument("--frequency", help="runs per scenario (default 1)")
    start.add_argument(
        "--run-as-text",
        nargs="?",
        const="true",
        metavar="BOOL",
        help="run the scenarios as text chats instead of voice calls",
    )
    _add_common(check)
    _add_api(check)
    out = check.add_argument_group("reports")
    out.add_argument("--summary-file", help="append the Markdown report here")
    out.add_argument("--report-json", help="write a JSON report to this path")
    out.add_argument("--junit-xml", help="write a JUnit XML report to this path")
    out.add_argument("--comment", help="pull-request comment: off, always or on-failure")
    out.add_argument("--comment-key", help="tells apart the comments of matrix jobs")
    out.add_argument(
        "--end-calls-on-cancel",
        metavar="BOOL",
        help="when cancelled, ask Cekura to end the calls of a run the gate started",
    )

    validate = commands.add_parser("validate", help="check a config file")
    _add_common(validate)

    demo = commands.add_parser("demo", help="the whole check flow against a built-in simulator")
    demo.add_argument(
        "--scenario",
        choices=("pass", "fail"),
        default="pass",
        help="which simulated agent to gate (default pass)",
    )
    _add_common(demo)
    demo_out = demo.add_argument_group("reports")
    demo_out.add_argument("--summary-file", help="append the Markdown report here")
    demo_out.add_argument("--report-json", help="write a JSON report to this path")
    demo_out.add_argument("--junit-xml", help="write a JUnit XML report to this path")
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="the gate's YAML config (default .cekura/gate.yml)")


def _add_api(parser: argparse.ArgumentParser) -> None:
    api = parser.add_argument_group("Cekura API (the key comes only from CEKURA_API_KEY)")
    api.add_argument("--api-url", help=f"default {DEFAULT_API_URL}")
    api.add_argument("--timeout", help="how long to wait for the result (default 30m)")
    api.add_argument("--poll-interval", help="seconds between polls (default 10s)")


def from_sources(argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
    args = build_parser().parse_args(list(argv))
    if not args.command:
        raise UsageError(
            "no command given. Run 'cekura-gate check', 'cekura-gate validate' or "
            "'cekura-gate demo' (see 'cekura-gate --help')."
        )

    def get(name: str, default: str = "") -> str:
        """Flag, else CEKURA_<NAME>, else default; empty counts as unset."""
        flag = getattr(args, name.replace("-", "_"), None)
        if flag is not None and str(flag).strip() != "":
            return str(flag).strip()
        env = environ.get("CEKURA_" + name.upper().replace("-", "_"), "").strip()
        return env or default

    github = GitHubContext(
        actions=environ.get("GITHUB_ACTIONS", "") == "true",
        output_file=environ.get("GITHUB_OUTPUT", ""),
        summary_file=environ.get("GITHUB_STEP_SUMMARY", ""),
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        event_path=environ.get("GITHUB_EVENT_PATH", ""),
        api_url=environ.get("GITHUB_API_URL", "") or "https://api.github.com",
        server_url=environ.get("GITHUB_SERVER_URL", "") or "https://github.com",
        repository=environ.get("GITHUB_REPOSITORY", ""),
        workflow=environ.get("GITHUB_WORKFLOW", ""),
        job=environ.get("GITHUB_JOB", ""),
        run_id=environ.get("GITHUB_RUN_ID", ""),
        token=environ.get("GITHUB_TOKEN", "").strip(),
    )
    common = {
        "command": args.command,
        "config": get("config"),
        "summary_file": get("summary-file") or github.summary_file,
        "report_json": get("report-json"),
        "junit_xml": get("junit-xml"),
        "github": github,
    }
    if args.command == "validate":
        return Settings(command="validate", config=common["config"], github=github)
    if args.command == "demo":
        return Settings(**common, demo_scenario=args.scenario)

    settings = Settings(
        **common,
        result_id=_positive_id("result-id", get("result-id")),
        result_file=get("result-file"),
        agent_id=_positive_id("agent-id", get("agent-id")),
        scenarios=_int_list("scenarios", get("scenarios")),
        tags=tuple(t.strip() for t in get("tags").split(",") if t.strip()),
        frequency=_frequency(get("frequency", "1")),
        run_as_text=parse_bool("run-as-text", get("run-as-text", "false")),
        api_url=_api_url(get("api-url", DEFAULT_API_URL)),
        api_key=environ.get("CEKURA_API_KEY", "").strip(),
        timeout=parse_duration("timeout", get("timeout", "1800")),
        poll_interval=parse_duration("poll-interval", get("poll-interval", "10")),
        comment=_choice("comment", get("comment", "off"), COMMENT_MODES),
        comment_key=get("comment-key"),
        end_calls_on_cancel=parse_bool("end-calls-on-cancel", get("end-calls-on-cancel", "true")),
    )
    _check_source(settings)
    return settings


def _check_source(s: Settings) -> None:
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
    if s.agent_id and bool(s.scenarios) == bool(s.tags):
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


def parse_duration(name: str, text: str) -> float:
    """'90', '90s', '30m', '1h', '500ms' -> seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"--{name}: expected a duration such as 90, 90s, 30m or 1h, got {text!r}")
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[(unit or "s").lower()]


def parse_bool(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise UsageError(f"--{name}: expected true or false, got {text!r}")


def _choice(name: str, text: str, allowed: tuple[str, ...]) -> str:
    if text.lower() not in allowed:
        raise UsageError(f"--{name}: expected one of {', '.join(allowed)}, got {text!r}")
    return text.lower()


def _positive_id(name: str, text: str) -> str:
    if text and not (text.isdigit() and int(text) > 0):
        raise UsageError(f"--{name}: expected a positive whole number, got {text!r}")
    return text


def _int_list(name: str, text: str) -> tuple[int, ...]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in items if not t.isdigit()]
    if bad:
        raise UsageError(
            f"--{name}: expected comma-separated scenario ids such as 1,2,3, got {text!r}"
        )
    return tuple(int(t) for t in items)


def _frequency(text: str) -> int:
    if not (text.isdigit() and int(text) >= 1):
        raise UsageError(f"--frequency: expected a whole number of at least 1, got {text!r}")
    return int(text)


def _api_url(text: str) -> str:
    """Only https, or http to a loopback host: the API key must never travel in clear text."""
    # A user name, a backslash or a space: Python's urlsplit and urllib3 (which requests uses
    # to connect) disagree on the host of 'http://evil.example\@127.0.0.1', so a URL that
    # looks loopback here would send the key in clear text elsewhere. A base URL needs none.
    if re.search(r"[@\\\s\x00-\x1f\x7f]", text):
        raise UsageError(
            f"--api-url: refusing {text!r}: it contains a user name ('@'), a backslash or a "
            f"space. Give only the API's address, such as {DEFAULT_API_URL}."
        )
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(
            f"--api-url: expected an https:// URL such as {DEFAULT_API_URL}, got {text!r}"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"--api-url: refusing {text!r}: plain http would send the API key unencrypted. "
            "Use https:// (http is allowed only for 127.0.0.1, ::1 or localhost)."
        )
    return text.rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
