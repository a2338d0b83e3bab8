"""The parser of `cekura-gate`: its commands, `--version`, and the way it refuses bad input."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any, NoReturn

from gate import __version__
from gate.command_line.check import add_check
from gate.command_line.combine import add_combine
from gate.command_line.demo import add_demo
from gate.command_line.exit_codes import EXIT_CODES
from gate.command_line.validate import add_validate
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
    # the order `--help` lists them in
    add_check(commands)
    add_validate(commands)
    add_combine(commands)
    add_demo(commands)
    return parser
