"""gate.source.files: a saved result reads as Path.read_text + json.loads read it.

The file's bytes go to the decoder as they are when they are ASCII without a carriage
return; any other file is decoded as UTF-8 with universal newlines first, as before. A
large file is decoded where it lies (memory-mapped) when msgspec reads it and no secret may
be in it. Every way, the payload, and the error for a file that cannot be read, are the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.result.parsing import parse
from gate.source.files import read_result_file

RESULT = {
    "id": 7,
    "status": "completed",
    "runs": {
        "1": {"id": 1, "success": False, "transcript_object": [{"role": "Main Agent"}]},
        "2": {"id": 2, "success": True, "scenario": {"id": 3, "name": "Café ☕"}},
    },
}


def as_before(path: Path) -> str:
    """What the gate made of the file when it read it with Path.read_text and json.loads."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return f"cannot read {path}: {exc}"
    try:
        return repr(parse(json.loads(text)))
    except RecursionError:
        return "nested too deeply"
    except ValueError as exc:
        return f"not valid JSON ({exc})"
    except GateError as exc:
        return exc.message


def as_now(path: Path) -> str:
    try:
        return repr(parse(read_result_file(path)))
    except GateError as exc:
        return exc.message


CONTENTS = (
    json.dumps(RESULT).encode(),  # ASCII: the bytes themselves
    json.dumps(RESULT, ensure_ascii=False).encode(),  # UTF-8
    json.dumps(RESULT, indent=1).replace("\n", "\r\n").encode(),  # Windows line ends
    json.dumps(RESULT, indent=1).replace("\n", "\r").encode(),
    b'{"id": 7, "name": "a\rb"}',  # a carriage return inside a string: not JSON
    b'{"id": 7, "name": "\xff"}',  # not UTF-8
    b"\xef\xbb\xbf" + json.dumps(RESULT).encode(),  # a byte-order mark
    b'\x00{"id": 7}',  # NUL bytes would make json.loads(bytes) guess UTF-16
    b'{"id": 7, "success_rate": NaN}',
    b'{"id": 7, "runs": {"1": null}}',
    b"[" * 3000 + b"]" * 3000,
    b"",
)


@pytest.mark.parametrize("content", CONTENTS)
def test_a_saved_result_reads_as_before(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(content)
    before = as_before(path)
    now = as_now(path)
    assert now == before or before in now


@pytest.mark.parametrize("content", CONTENTS)
def test_a_large_saved_result_decoded_in_place_reads_as_before(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gate.result import decode

    monkeypatch.setattr(decode, "TYPED_FROM", 1)  # every file but the empty one is large
    test_a_saved_result_reads_as_before(content, tmp_path)


def test_a_large_saved_result_is_decoded_in_place_unless_a_secret_may_be_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gate.result import decode
    from gate.result.typed_object import TypedObject

    monkeypatch.setattr(decode, "TYPED_FROM", 1)
    secret = "ghs_" + "s" * 36
    path = tmp_path / "result.json"
    path.write_text(json.dumps(RESULT, ensure_ascii=False), encoding="utf-8")  # no \\u escape
    mapped = read_result_file(path, [secret])
    assert isinstance(mapped["runs"]["2"], TypedObject)  # decoded typed, from the map
    leaked = {**RESULT, "name": f"run by {secret}"}
    path.write_text(json.dumps(leaked), encoding="utf-8")
    read = read_result_file(path, [secret])
    assert read["name"] == "run by ***"
    assert secret not in repr(parse(read))


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({**RESULT, "name": "run by ghs_" + "s" * 36}),  # the token itself
        json.dumps({**RESULT, "name": "Café"}),  # a \u escape could spell it
        '{"id": 7, "success_rate": NaN}',  # msgspec refuses it, json.loads reads it
    ],
)
def test_a_large_saved_result_is_searched_for_a_secret_once(
    content: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gate.result import decode
    from gate.source import files, redact

    monkeypatch.setattr(decode, "TYPED_FROM", 1)
    searches = []

    def counted(text, secrets):
        searches.append(len(text))
        return redact.could_hold.__wrapped__(text, secrets)

    counted.__wrapped__ = redact.could_hold  # type: ignore[attr-defined]
    monkeypatch.setattr(files, "could_hold", counted)
    monkeypatch.setattr(redact, "could_hold", counted)
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    read = read_result_file(path, ["ghs_" + "s" * 36])
    assert searches == [len(content)]
    assert "ghs_" + "s" * 36 not in repr(read)
