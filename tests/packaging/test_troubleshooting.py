"""The README's troubleshooting table lists every kind of message, in the words the gate uses.

- every GateError subclass (wherever it is defined) has a row that starts with its `kind`;
- every verdict error kind set in the code (`error_kind="..."`) is named in the table;
- every row's message is real: each literal part (between `<placeholders>`) appears in a
  message the code can print (messages are often composed of several).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from functools import cache

import pytest

import gate
from gate.errors import GateError
from gate.judge.reasons import Stop
from gate.publish.words import stops
from tests.cli_runner import ROOT

#: a literal part of a row shorter than this is punctuation, not evidence
MIN_FRAGMENT = 8
_PLACEHOLDER = re.compile(r"<[^<>]*>|\.\.\.|…")


def table() -> list[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) == 3, f"a row needs message | cause | fix: {line}"
        message = cells[0]
        assert message.startswith("`") and message.endswith("`"), line
        rows.append((message[1:-1], cells[1], cells[2]))
    assert rows, "no troubleshooting table in README.md"
    return rows


def error_classes() -> list[type[GateError]]:
    for module in pkgutil.walk_packages(gate.__path__, "gate."):
        importlib.import_module(module.name)
    found, todo = [], [GateError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


@cache
def messages() -> list[str]:
    """Every string the code can print, placeholders as '…'."""
    found = []
    for path in sorted((ROOT / "gate").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                found.append(
                    "".join(
                        part.value if isinstance(part, ast.Constant) else "…"
                        for part in node.values
                    )
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return found


def fragments(message: str) -> list[str]:
    body = message.split(": ", 1)[1] if re.match(r"^[\w -]+: ", message) else message
    parts = (f.strip(" :;,") for f in _PLACEHOLDER.split(body))
    return [f for f in parts if len(f) >= MIN_FRAGMENT]


def said_somewhere(parts: list[str]) -> bool:
    return all(any(part in text for text in messages()) for part in parts)


def test_every_error_class_has_a_row():
    kinds = {message.split(": ", 1)[0] for message, _, _ in table()}
    missing = {cls.__name__: cls.kind for cls in error_classes() if cls.kind not in kinds}
    assert not missing, f"no troubleshooting row for {missing}"


def test_every_verdict_error_kind_is_named():
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## Troubleshooting", 1)[1]
    kinds = set()
    for path in (ROOT / "gate").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "error_kind"
                and isinstance(node.value, ast.Constant)
            ):
                kinds.add(node.value.value)
    # the judge's stops, labelled in gate/publish/words/stops.py (a status is worded in)
    kinds |= {kind for stop, kind in stops.KINDS.items() if stop is not Stop.STATUS_NOT_EVALUATED}
    kinds |= {f"result {status}" for status in ("failed", "timeout", "cancelled")}
    assert kinds, "found no error_kind in the code"
    missing = sorted(k for k in kinds if f"`{k}`" not in text)
    assert not missing, f"verdict error kinds not named in the troubleshooting table: {missing}"


@pytest.mark.parametrize("row", table(), ids=lambda row: row[0][:60])
def test_each_row_quotes_a_real_message(row):
    message, cause, fix = row
    assert cause and fix, f"{message}: cause and fix are both needed"
    parts = fragments(message)
    assert not parts or said_somewhere(parts), (
        f"the message {message!r} is not one the gate prints: some of {parts} appear in no "
        "message in gate/ (write the values from a run as <placeholders>)"
    )


def test_the_checker_notices_a_made_up_message():
    assert said_somewhere(fragments("API error: the Cekura API at <url> answered"))
    assert not said_somewhere(fragments("API error: the Cekura API exploded in a novel way"))
