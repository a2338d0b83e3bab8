"""`cekura-gate validate`: its files, the run the config will gate, its help."""

from __future__ import annotations

from typing import Any

from gate.command_line.flags import add_config, add_verbosity, setting

VALIDATE_EXAMPLES = """\
examples:
  cekura-gate validate                       # .cekura/gate.yml or .cekura/gate.yaml
  cekura-gate validate .cekura/gate.yml examples/*.yml

exit codes:
  0  every file is valid (warnings, FILE:LINE: ..., do not change it)
  2  a file is missing or invalid (each problem is printed as FILE:LINE: ...)"""


def add_validate(commands: Any) -> None:
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
    add_config(validate)
    run = validate.add_argument_group(
        "the run the config will gate (to warn of checks it can never decide or meet)"
    )
    setting(run, "scenarios", "comma-separated scenario ids the run will start", metavar="IDS")
    setting(
        run,
        "frequency",
        "runs per scenario (a min_passes above it can never be met)",
        default="1",
        metavar="N",
    )
    add_verbosity(validate)
