"""The mutation-testing script (tests/mutation.py) keeps working: its mutants, and one short run.

The full run is slow and stays out of the test suite: `python -m tests.mutation`.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from tests import mutation
from tests.cli_runner import ROOT, clean_env

SOURCE = '''\
def judge(rate, minimum, notes):
    """A docstring is never mutated."""
    ok = rate >= minimum - 1e-9 and not rate > 100
    notes.append(f"{rate} of {minimum if minimum > 1 else 1}")
    return Check(ok, detail=f"needs {minimum}" if rate < 3 else "")
'''


def test_every_kind_of_mutant_is_made_and_messages_are_told_apart():
    found = mutation.mutants("judge", SOURCE)
    made = {m.what for m in found if not m.message}
    assert {">= -> >", ">= -> <", "and -> or", "1e-09 -> 1e-08", "1e-09 -> 1.0"} <= made
    assert {"not removed", "> -> >=", "100 -> 101", "100 -> 1000", "return None"} <= made
    messages = {(m.line, m.what) for m in found if m.message}
    # inside the f-string of notes.append, and in the detail= text
    assert {(4, "> -> >="), (4, "1 -> 2"), (5, "< -> <="), (5, "3 -> 4")} <= messages
    assert not any(m.what.startswith(("'", '"')) for m in found)  # strings are never mutated


def test_a_mutant_changes_exactly_one_thing():
    found = mutation.mutants("judge", SOURCE)
    relaxed = next(m for m in found if m.what == "1e-09 -> 1.0")
    text = mutation.mutated_source(SOURCE, relaxed)
    assert "rate >= minimum - 1.0 and (not rate > 100)" in text
    assert ast.dump(ast.parse(text)) != ast.dump(ast.parse(SOURCE))
    unmutated = ast.unparse(ast.parse(SOURCE))
    changed = [a for a, b in zip(text.splitlines(), unmutated.splitlines(), strict=True) if a != b]
    assert len(changed) == 1
    removed = next(m for m in found if m.what == "not removed")
    assert "rate >= minimum - 1e-09 and rate > 100" in mutation.mutated_source(SOURCE, removed)


def test_the_verdict_core_has_mutants_in_every_module():
    for module, path in mutation.MODULES.items():
        source = (ROOT / path).read_text(encoding="utf-8")
        assert [m for m in mutation.mutants(module, source) if not m.message], module
        for test in mutation.TESTS[module]:
            assert (ROOT / test).exists(), test


def test_the_command_runs_and_scores_a_module():
    """Two mutants of gate/judge/verdict.py through the real command: both killed, scored, and the
    work tree left as it was."""
    before = (ROOT / "gate" / "judge" / "verdict.py").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tests.mutation", "--module", "verdict", "--limit", "2"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| verdict | 2 | 0 | 2 | 0 | 100% |" in done.stdout, done.stdout
    assert "survivors that turn a red or exit-3 verdict green: 0" in done.stdout
    assert (ROOT / "gate" / "judge" / "verdict.py").read_text(encoding="utf-8") == before
