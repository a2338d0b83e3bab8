"""The report's layout: the Jinja2 templates in templates/ (the one source of every report's
layout), with the filters they use, compiled once per process.

Jinja2 compiles a template to Python on every start: for the report's templates about 55 ms,
most of a small check's own work (benchmarks/evaluation.py). Jinja2's own file cache keeps
the compiled code (in the user's private temporary directory, `_jinja2-cache-<uid>`, which
Jinja2 creates with mode 0700 and checks is the user's own), keyed by the template's path
and checked against the template's text and the Python version, so a changed template or
interpreter is compiled afresh.

A cache is only ever a shortcut: when the directory cannot be made or a file cannot be read
or written (a read-only or full disk, a file cut short), the gate compiles as if there were
none, and says nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any

import jinja2

from gate.publish import rows, why, wording
from gate.publish.escape import html_text, md_cell, md_lines, md_link_url, md_text
from gate.publish.fmt import grouped, number, signed

TEMPLATES = ("top.md.j2", "summary.md.j2", "comment.md.j2", "_parts.md.j2")
TEMPLATE = "summary.md.j2"


def _environment() -> Any:
    """The templates, compiled by Jinja2 with the report's filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gate.publish", "templates"),
        bytecode_cache=_template_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: escaping is done by the md_* filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md_text=md_text,
        md_lines=md_lines,
        md_cell=md_cell,
        html_text=html_text,
        url=md_link_url,
        number=number,
        grouped=grouped,
        percent=lambda value: f"{grouped(value)}%",
        signed=signed,
        calls=why.calls,
        of_calls=why.of_calls,
        failed_what=why.failed_what,
        metric_value=rows.metric_value,
        verdict_reason=wording.verdict_reason,
        error_kind=wording.error_kind,
    )
    return env


def template(name: str = TEMPLATE) -> Any:
    """The template `name` of templates/, compiled once per process."""
    global _ENV
    if _ENV is None:  # compiled once per process
        _ENV = _environment()
    return _ENV.get_template(name)


_ENV: Any = None


class _QuietCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever cut the entry short: it is compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(Exception):  # not kept: the next run compiles again
            super().dump_bytecode(bucket)


def _template_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache, or None when no private directory can be had."""
    try:
        return _QuietCache()
    except (OSError, RuntimeError):  # RuntimeError: Jinja2 found no safe directory
        return None
