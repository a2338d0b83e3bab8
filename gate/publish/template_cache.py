"""Where the report templates stay compiled between runs of the gate.

Jinja2 compiles a template to Python on every start: for the report's templates about 55 ms,
most of a small check's own work (benchmarks/evaluation.py). Jinja2's own file cache keeps
the compiled code (in the user's private temporary directory, `_jinja2-cache-<uid>`, which
Jinja2 creates with mode 0700 and checks is the user's own), keyed by the template's path
and checked against the template's text and the Python version, so a changed template or
interpreter is compiled afresh. The templates stay the one source of the layout.

A cache is only ever a shortcut: when the directory cannot be made or a file cannot be read
or written (a read-only or full disk, a file cut short), the gate compiles as if there were
none, and says nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any

import jinja2


class _QuietCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever cut the entry short: it is compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(Exception):  # not kept: the next run compiles again
            super().dump_bytecode(bucket)


def template_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache, or None when no private directory can be had."""
    try:
        return _QuietCache()
    except (OSError, RuntimeError):  # RuntimeError: Jinja2 found no safe directory
        return None
