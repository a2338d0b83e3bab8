"""Text for a terminal: untrusted text made safe for one line, the columns text takes,
aligned cells, and optional colour.

Text from the API is untrusted: `plain` removes control characters (an escape sequence in a
scenario name could rewrite the screen) and HTML before it reaches the terminal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

CELL_LIMIT = 60  # characters of a table cell

_TAG = re.compile(r"<[^>]*>")  # HTML the API's text may carry: a terminal shows no HTML
# C0/C1 control characters (ESC among them) and bidirectional overrides.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_RESET = "\x1b[0m"
_STYLES = {
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "bold red": "\x1b[1;31m",
    "bold green": "\x1b[1;32m",
    "bold yellow": "\x1b[1;33m",
}


def plain(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text for one line of a terminal: no control characters, at most `limit`."""
    text = " ".join(_CONTROL.sub(" ", _TAG.sub("", str(value or ""))).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two, combining none."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


@dataclass(frozen=True, slots=True)
class Paint:
    """ANSI colour, or nothing."""

    on: bool

    def __call__(self, text: str, style: str) -> str:
        if not self.on or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


def join(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells padded to their columns' widths (a wide character takes two), three spaces apart."""
    padded = [cell + " " * (size - width(cell)) for cell, size in zip(cells, widths, strict=True)]
    return "   ".join(padded).rstrip()
