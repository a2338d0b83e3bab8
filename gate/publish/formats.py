"""Which report `check` and `demo` print on standard output, and whether it is in colour.

`--format` (`CEKURA_FORMAT`) chooses: `markdown` (the job summary's Markdown), `text` (the
terminal report, gate/publish/console/terminal.py) or `json` (the JSON report). Unset, the choice
follows where the output goes: a person at a terminal, outside GitHub Actions, gets `text`;
anything else (a pipe, a file, a CI log) gets `markdown`, as it always has, because scripts
read it.

Colour, for `text` only: `FORCE_COLOR` (any value but `0` or `false`) turns it on even when
piped, `FORCE_COLOR=0` turns it off; else `NO_COLOR` (any value, https://no-color.org) turns it
off; else it is on when standard output is a terminal whose TERM is not `dumb`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

FORMATS = ("markdown", "text", "json")
COLOUR_MODES = ("auto", "always", "never")


def choose(requested: str, *, actions: bool, terminal: bool, stdout_taken: bool = False) -> str:
    """The format to print: the one asked for, else text for a person at a terminal, unless
    `--report-json -` or `--junit-xml -` already claim standard output (then, as ever, the
    Markdown goes to standard error)."""
    if requested:
        return requested
    return "text" if terminal and not actions and not stdout_taken else "markdown"


def colour_mode(environ: Mapping[str, str]) -> str:
    """auto, always or never, from FORCE_COLOR and NO_COLOR (read by the settings only)."""
    force = environ.get("FORCE_COLOR", "").strip().lower()
    if force:
        return "never" if force in ("0", "false", "no", "off") else "always"
    if environ.get("NO_COLOR", ""):
        return "never"
    if environ.get("TERM", "") == "dumb":
        return "never"
    return "auto"


def colour(mode: str, *, terminal: bool) -> bool:
    return mode == "always" or (mode == "auto" and terminal)


def is_terminal(stream: TextIO) -> bool:
    """True when `stream` is a terminal (a StringIO or a closed stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def columns(*, terminal: bool, fallback: int = 100) -> int:
    """The terminal's width (COLUMNS wins, as everywhere), else `fallback`."""
    if not terminal:
        return fallback
    import shutil

    return shutil.get_terminal_size((fallback, 24)).columns
