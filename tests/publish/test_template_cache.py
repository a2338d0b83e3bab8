"""The compiled report templates kept between runs: the same report with or without them,
whatever state the cache is in."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from gate.judge.verdict import Verdict
from gate.publish import layout, markdown


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """A private temporary directory (where Jinja2 keeps the cache), and a fresh compile."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(layout, "_ENV", None)
    yield tmp_path
    layout._ENV = None  # the next test compiles with the real temporary directory


def _report() -> str:
    layout._ENV = None  # as a new run of the gate: the templates are loaded again
    return markdown.render(Verdict.could_not_evaluate("the result could not be read"), None)


def _entries(home) -> list:
    return sorted((home / f"_jinja2-cache-{os.getuid()}").glob("*.cache"))


def test_the_first_run_keeps_the_compiled_templates_and_the_next_reads_them(cache_home):
    first = _report()
    entries = _entries(cache_home)
    assert len(entries) == len(layout.TEMPLATES)
    assert stat.S_IMODE((cache_home / f"_jinja2-cache-{os.getuid()}").stat().st_mode) == 0o700
    written = {path: path.stat().st_mtime_ns for path in entries}
    assert _report() == first
    assert {path: path.stat().st_mtime_ns for path in _entries(cache_home)} == written


def test_an_entry_cut_short_is_compiled_afresh(cache_home):
    first = _report()
    for path in _entries(cache_home):
        path.write_bytes(path.read_bytes()[:40])
    assert _report() == first


def test_an_entry_of_garbage_is_compiled_afresh(cache_home):
    first = _report()
    for path in _entries(cache_home):
        path.write_bytes(b"\x00" * 64)
    assert _report() == first


def test_a_cache_that_cannot_be_written_costs_only_the_compile(cache_home):
    folder = cache_home / f"_jinja2-cache-{os.getuid()}"
    folder.write_text("a file where the folder would be", encoding="utf-8")
    report = _report()
    assert "could not be read" in report
    assert folder.read_text(encoding="utf-8") == "a file where the folder would be"
