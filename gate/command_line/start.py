"""The flags of `check` that start a run (with --agent-id): which scenarios and how often, the
execution mode, suites, the cost check and the share link (README: Starting runs)."""

from __future__ import annotations

import argparse

from gate.command_line.flags import setting


def add_start(check: argparse.ArgumentParser) -> None:
    start = check.add_argument_group("starting a run (with --agent-id)")
    setting(start, "scenarios", "comma-separated scenario ids, e.g. 1,2,3", metavar="IDS")
    setting(start, "tags", "comma-separated scenario tags, e.g. smoke,billing", metavar="TAGS")
    setting(start, "frequency", "runs per scenario", default="1", metavar="N")
    setting(
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


def _add_start_options(check: argparse.ArgumentParser) -> None:
    """Execution modes, suites, the cost check and the share link."""
    start = check.add_argument_group("execution modes and cost (with --agent-id)")
    setting(
        start,
        "execution-mode",
        "voice, text, livekit_v2 or pipecat_v2; text is the same as --run-as-text",
        default="voice",
        metavar="MODE",
    )
    setting(
        start,
        "suite-file",
        "a tests-as-code suite (JSON, or YAML) to run instead of --scenarios/--tags",
        metavar="PATH",
    )
    setting(start, "run-name", "the name of the run in Cekura", metavar="NAME")
    setting(start, "concurrency-limit", "at most this many calls at once", metavar="N")
    setting(
        start, "phone-number", "voice: the number the testing agent calls from", metavar="NUMBER"
    )
    setting(start, "personality-ids", "comma-separated personality ids", metavar="IDS")
    setting(start, "test-profile-ids", "comma-separated test profile ids", metavar="IDS")
    setting(start, "livekit-data", "livekit_v2: the LiveKit data, a JSON object", metavar="JSON")
    setting(start, "pipecat-data", "pipecat_v2: the Pipecat data, a JSON object", metavar="JSON")
    setting(
        start,
        "dry-run",
        "validate the start and print the plan (calls, Cekura's estimated cost) without "
        "placing calls; takes an optional true/false",
        default="false",
        metavar="BOOL",
        nargs="?",
        const="true",
    )
    setting(
        start,
        "max-calls",
        "refuse (exit 2) a start that would place more calls than this",
        default="no limit",
        metavar="N",
    )
    setting(
        start,
        "share-link",
        "create a shareable link to the result, valid this long (7d, 12h); anyone with the "
        "link sees the transcripts",
        default="off",
        metavar="DURATION",
    )
