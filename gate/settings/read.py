"""argv and the environment read into one Settings: each flag or its variable, checked value by
value (gate/settings/values.py, start.py) and then together (consistency.py)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from gate.command_line.defaults import DEFAULT_API_URL
from gate.command_line.parser import build_parser
from gate.errors import UsageError
from gate.publish.formats import FORMATS, colour_mode
from gate.settings import Settings, consistency, values
from gate.settings.github_env import github_context, run_attempt, verbosity_of
from gate.settings.start import check_start, run_as_text, start_settings
from gate.settings.unknown_flags import refuse_unknown

COMMENT_MODES = ("off", "always", "on-failure")
MISSING_KEY_MODES = ("fail", "skip")
REUSE_MODES = ("unfinished", "always", "never")  # as gate.source.reuse.REUSE_MODES


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
        refuse_unknown(parser, args.command, unknown)
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

    github = github_context(environ)
    verbosity = verbosity_of(args.verbosity, environ)
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
    consistency.report_streams(common["report_json"], common["junit_xml"])
    consistency.format_stream(common["output_format"], common["report_json"], common["junit_xml"])
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
        run_attempt=run_attempt(environ.get("GITHUB_RUN_ATTEMPT", "")),
        on_missing_api_key=values.choice(
            "on-missing-api-key", get("on-missing-api-key", "fail"), MISSING_KEY_MODES
        ),
    )
    consistency.source(settings)
    check_start(settings)
    return settings
