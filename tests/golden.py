"""Golden files: a rendered text compared with the copy kept in tests/golden/.

`CEKURA_UPDATE_GOLDEN=1 python -m pytest ...` rewrites the files that differ and then fails
("golden files rewritten: review the diff"): a rewritten file is a change to review with
`git diff tests/golden`, never a test that passed. With `CI` set the update is refused, so a
pipeline cannot bless its own output.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = "CEKURA_UPDATE_GOLDEN"


def assert_golden(name: str, text: str, *, folder: Path = GOLDEN) -> None:
    """`text` must equal tests/golden/`name`; see the module docstring for the update path."""
    path = folder / name
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    if os.environ.get(UPDATE) == "1":
        if os.environ.get("CI"):
            pytest.fail(f"{UPDATE}=1 is refused when CI is set: golden files change only by hand")
        if text == expected:
            return
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"golden files rewritten: review the diff (git diff {path})")
    if expected is None:
        pytest.fail(f"{path} does not exist: create it with {UPDATE}=1 and review it")
    assert text == expected, f"{name} differs from {path}; if intended, rerun with {UPDATE}=1"
