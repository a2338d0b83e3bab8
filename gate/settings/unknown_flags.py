"""An unknown flag, refused with the command it was given to and the flag it resembles."""

from __future__ import annotations

import argparse

from gate.errors import UsageError


def refuse_unknown(
    parser: argparse.ArgumentParser, command: str | None, unknown: list[str]
) -> None:
    """An unknown flag, named with the command it was given to and the flag it resembles."""
    import difflib  # only here: a run with good flags does not pay for it

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
