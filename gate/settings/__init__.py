"""One Settings object from argv and the environment: the only place that reads them.

Every setting has three spellings: a flag `--x-y`, a variable `CEKURA_X_Y` and an action
input `x-y` (which the action passes on as the same variable). A flag beats the variable,
the variable beats the default, and an empty value counts as unset.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gate.command_line.defaults import DEFAULT_API_URL, DEFAULT_CONFIGS
from gate.command_line.parser import build_parser
from gate.errors import UsageError
from gate.publish.formats import FORMATS, colour_mode
from gate.publish.options import GitHubContext, PublishOptions
from gate.settings import values
from gate.settings.start import check_start, run_as_text, start_settings

COMMENT_MODES = ("off", "always", "on-failure")
MISSING_KEY_MODES = ("fail", "skip")
REUSE_MODES = ("unfinished", "always", "never")  # as gate.source.reuse.REUSE_MODES


def _attempt(text: str) -> int:
    """GITHUB_RUN_ATTEMPT, set by the runner: a positive integer, else 1 (not a re-run)."""
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


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
    #: the pull request to comment on; 0 = the one of the event (pull_request events)
    pr_number: int = 0
    end_calls_on_cancel: bool = True
    #: a run the gate started that can no longer pass: ask Cekura to end its remaining calls
    end_calls_on_fail: bool = True
    #: a re-run attempt: "unfinished" reattaches to the earlier attempt's run when it was
    #: not judged, "always" even when it was, "never" starts anew (gate/source/reuse.py)
    reuse: str = "unfinished"
    #: GITHUB_RUN_ATTEMPT: 1 for the first attempt of a workflow run, 2 for its first re-run
    run_attempt: int = 1
    #: "fail": no API key is a usage error; "skip": the gate ends with verdict "skipped"
    on_missing_api_key: str = "fail"
    demo_scenario: str = "pass"
    #: validate: the files to check (empty: config_path())
    paths: tuple[str, ...] = ()
    #: -1 quiet (no progress), 0 normal, 1 debug (-v or RUNNER_DEBUG=1)
    verbosity: int = 0
    #: the report on standard output: "" (by where it goes), markdown, text or json
    output_format: str = ""
    #: colour in the text report: auto (at a terminal), always (FORCE_COLOR), never (NO_COLOR)
    colour: str = "auto"
    github: GitHubContext = field(default_factory=GitHubContext)
    #: starting runs: every execution mode, suites, the cost check, the share link
    #: (gate/settings/start.py reads them)
    execution_mode: str = "voice"
    suite_file: str = ""
    run_name: str = ""
    concurrency_limit: int | None = None
    phone_number: str = ""
    personality_ids: tuple[int, ...] = ()
    test_profile_ids: tuple[int, ...] = ()
    livekit_data: str = ""
    pipecat_data: str = ""
    dry_run: bool = False
    #: the most calls a start may place; None: no limit
    max_calls: int | None = None
    #: seconds a share link stays valid; 0: no link
    share_link: float = 0.0
    #: combine: the JSON reports to merge
    reports: tuple[str, ...] = ()

    @property
    def starts_run(self) -> bool:
        return bool(self.agent_id)

    @property
    def publishing(self) -> PublishOptions:
        """What the publishing step needs of these settings."""
        return PublishOptions(
            summary_file=self.summary_file,
            report_json=self.report_json,
            junit_xml=self.junit_xml,
            comment=self.comment,
            comment_key=self.comment_key,
            pr_number=self.pr_number,
            github=self.github,
        )

    def config_path(self) -> Path | None:
        """The config file to load, or None for the built-in default policy.

        Without --config: .cekura/gate.yml or .cekura/gate.yaml. Both at once is an error,
        not a silent choice: the one ignored might hold the stricter rules.
        """
        if self.config:
            return Path(self.config)
        found = [path for path in DEFAULT_CONFIGS if path.is_file()]
        if len(found) > 1:
            raise UsageError(
                f"found both {found[0]} and {found[1]}; the gate reads only one config. Merge "
                "them into one file and delete the other, or choose one with --config "
                "(CEKURA_CONFIG, the config input)."
            )
        return found[0] if found else None


def from_sources(argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
    parser = build_parser()
    args, unknown = parser.parse_known_args(list(argv))  # --help and --version exit here
    return from_arguments(parser, args, unknown, environ)


def from_arguments(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    unknown: list[str],
    environ: Mapping[str, str],
) -> Settings:
    """Settings from argv already parsed by `parser` (gate.cli parses it before importing
    this module, so that --help and --version do not pay for building Settings)."""
    if unknown:
        _refuse_unknown(parser, args.command, unknown)
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
        sha=environ.get("GITHUB_SHA", "").strip(),
        run_number=environ.get("GITHUB_RUN_NUMBER", "").strip(),
        run_attempt=environ.get("GITHUB_RUN_ATTEMPT", "").strip(),
    )
    verbosity = args.verbosity or 0
    if not verbosity and environ.get("RUNNER_DEBUG", "").strip() == "1":
        verbosity = 1  # GitHub's "Enable debug logging" on a re-run
    if args.command == "validate":
        return Settings(
            command="validate",
            config=get("config"),
            # the start the config will gate, for the warnings about confidence and min_passes
            scenarios=values.int_list("scenarios", get("scenarios")),
            frequency=values.frequency(get("frequency", "1")),
            paths=tuple(args.paths),
            verbosity=verbosity,
            github=github,
        )
    if args.command == "combine":
        return Settings(
            command="combine",
            reports=tuple(args.reports),
            summary_file=get("summary-file") or github.summary_file,
            verbosity=verbosity,
            github=github,
        )
    common = {
        "command": args.command,
        "output_format": values.choice("format", get("format"), FORMATS) if get("format") else "",
        "colour": colour_mode(environ),
        "config": get("config"),
        "summary_file": get("summary-file") or github.summary_file,
        "report_json": get("report-json"),
        "junit_xml": get("junit-xml"),
        "verbosity": verbosity,
        "github": github,
    }
    _check_report_streams(common["report_json"], common["junit_xml"])
    _check_format_stream(common["output_format"], common["report_json"], common["junit_xml"])
    if args.command == "demo":
        return Settings(**common, demo_scenario=args.scenario)

    settings = Settings(
        **common,
        **start_settings(get),
        result_id=values.positive_id("result-id", get("result-id")),
        result_file=get("result-file"),
        agent_id=values.positive_id("agent-id", get("agent-id")),
        scenarios=values.int_list("scenarios", get("scenarios")),
        tags=tuple(t.strip() for t in get("tags").split(",") if t.strip()),
        frequency=values.frequency(get("frequency", "1")),
        run_as_text=run_as_text(get),
        api_url=values.api_url(get("api-url", DEFAULT_API_URL)),
        api_key=environ.get("CEKURA_API_KEY", "").strip(),
        timeout=values.parse_duration("timeout", get("timeout", "1800")),
        poll_interval=values.parse_duration("poll-interval", get("poll-interval", "10")),
        comment=values.choice("comment", get("comment", "off"), COMMENT_MODES),
        comment_key=get("comment-key"),
        pr_number=int(values.positive_id("pr-number", get("pr-number")) or 0),
        end_calls_on_cancel=values.parse_bool(
            "end-calls-on-cancel", get("end-calls-on-cancel", "true")
        ),
        end_calls_on_fail=values.parse_bool("end-calls-on-fail", get("end-calls-on-fail", "true")),
        reuse=values.choice("reuse", get("reuse", "unfinished"), REUSE_MODES),
        run_attempt=_attempt(environ.get("GITHUB_RUN_ATTEMPT", "")),
        on_missing_api_key=values.choice(
            "on-missing-api-key", get("on-missing-api-key", "fail"), MISSING_KEY_MODES
        ),
    )
    _check_source(settings)
    check_start(settings)
    return settings


def _refuse_unknown(
    parser: argparse.ArgumentParser, command: str | None, unknown: list[str]
) -> None:
    """An unknown flag, named with the command it was given to and the flag it resembles."""
    import difflib

    options: list[str] = []
    prog = parser.prog
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            sub = action.choices[command]
            prog = sub.prog
            options = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
    flag = unknown[0].split("=", 1)[0]
    close = (
        difflib.get_close_matches(flag, options, n=1, cutoff=0.6) if flag.startswith("-") else []
    )
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UsageError(
        f"unrecognized arguments: {' '.join(unknown)}{hint}. Run '{prog} --help' for usage."
    )


def _check_report_streams(report_json: str, junit_xml: str) -> None:
    if report_json == "-" and junit_xml == "-":
        raise UsageError(
            "--report-json and --junit-xml are both '-' (standard output); two documents on "
            "one stream cannot be told apart. Send one of them to a file."
        )


def _check_format_stream(output_format: str, report_json: str, junit_xml: str) -> None:
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
