"""`cekura-gate demo`: which simulated agent to gate, its reports, its help."""

from __future__ import annotations

from typing import Any

from gate.command_line.exit_codes import EXIT_CODES
from gate.command_line.flags import add_config, add_format, add_reports, add_verbosity

DEMO_EXAMPLES = """\
examples:
  cekura-gate demo                  # a healthy agent: the gate passes
  cekura-gate demo --scenario fail  # a regressed agent: the gate blocks the deploy

"""


def add_demo(commands: Any) -> None:
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
    add_config(demo)
    demo_reports = demo.add_argument_group("reports")
    add_reports(demo_reports)
    add_format(demo_reports)
    add_verbosity(demo)
