"""A flag that names its variable and its default, and the flag groups several commands
share: the config, the reports, the report's format, the verbosity."""

from __future__ import annotations

import argparse
from typing import Any


def variable(name: str) -> str:
    return "CEKURA_" + name.upper().replace("-", "_")


def setting(
    group: Any, name: str, text: str, *, default: str = "", metavar: str = "", **kwargs: Any
) -> None:
    """A flag `--name` whose help names its variable and its default, the way users read it:
    'seconds between polls [env: CEKURA_POLL_INTERVAL] (default: 10s)'."""
    text += f" [env: {variable(name)}]"
    if default:
        text += f" (default: {default})"
    group.add_argument(
        f"--{name}",
        metavar=metavar or name.rsplit("-", 1)[-1].upper(),
        help=text.replace("%", "%%"),
        **kwargs,
    )


def add_config(parser: argparse.ArgumentParser) -> None:
    setting(
        parser,
        "config",
        "the gate's YAML config",
        default=".cekura/gate.yml or .cekura/gate.yaml when one exists, else the default policy",
        metavar="PATH",
    )


def add_reports(group: Any) -> None:
    setting(
        group,
        "summary-file",
        "append the Markdown report here",
        default="$GITHUB_STEP_SUMMARY when set, else standard output",
        metavar="PATH",
    )
    setting(group, "report-json", "write a JSON report here ('-': standard output)", metavar="PATH")
    setting(
        group, "junit-xml", "write a JUnit XML report here ('-': standard output)", metavar="PATH"
    )


def add_format(group: Any) -> None:
    setting(
        group,
        "format",
        "the report on standard output: markdown, text (aligned tables, for a terminal) or json",
        default="text at a terminal outside GitHub Actions, else markdown",
        metavar="markdown|text|json",
    )


def add_verbosity(parser: argparse.ArgumentParser) -> None:
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
