"""gate.source.redact.loads: the same payload as redacting every string, without walking it
for nothing.

tests/source/test_secrets.py checks end to end that echoed secrets never reach what the gate writes;
this checks the shortcut underneath: `loads(text, secrets)` equals `redact(json.loads(text))`
for any JSON text (with or without \\u and \\/ escapes), and walks the payload only when the
text could hold a secret.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.errors import TransientApiError
from gate.source import redact
from gate.source.client import CekuraClient

TOKEN = "ghs_" + "T0kEn" * 7
KEY = "ck_live_" + "k3y" * 10

# Characters that escaping treats differently: quotes, backslashes, slashes, controls,
# non-ASCII (written as \u escapes with ensure_ascii), a non-BMP character, U+2028.
_CHARS = st.sampled_from([*'ab"\\/\n\t\x01é€😀 Z0u', "\u2028", "ghs_", "\\u", "T0kEn"])
_TEXT = st.lists(_CHARS, max_size=8).map("".join)
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=15,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    value=_JSON,
    secrets=st.lists(_TEXT, max_size=3),
    echo=st.booleans(),
    ascii_only=st.booleans(),
    escaped_slashes=st.booleans(),
    few=st.sampled_from([0, 1, 2, 1000]),
)
def test_loads_is_redact_of_json_loads(
    value: Any,
    secrets: list[str],
    echo: bool,
    ascii_only: bool,
    escaped_slashes: bool,
    few: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(redact, "_FEW_ESCAPES", few)  # both ways of looking for escapes
    if echo and secrets:  # the secrets inside strings and keys
        value = [value, f"x{secrets[0]}y", {secrets[-1]: secrets[0]}]
    text = json.dumps(value, ensure_ascii=ascii_only)
    if escaped_slashes:
        text = text.replace("/", "\\/")
    expected = redact.redact(json.loads(text), secrets)
    assert redact.loads(text, secrets) == expected
    if text.isascii():  # a saved file's bytes are searched as they are (gate.source.files)
        assert redact.loads(text.encode(), secrets) == expected
        assert redact.could_hold(text.encode(), secrets) == redact.could_hold(text, secrets)


def payload(**extra: Any) -> dict[str, Any]:
    runs = {
        str(n): {"id": n, "scenario": {"id": 7, "name": "Refund"}, "success": True}
        for n in range(50)
    }
    return {"id": 1, "status": "completed", "runs": runs, **extra}


def test_no_walk_when_the_text_cannot_hold_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    walked = []
    monkeypatch.setattr(redact, "redact", lambda value, secrets: walked.append(1) or value)
    text = json.dumps(payload(note='quoted "text"\nand lines'), ensure_ascii=False)
    assert redact.loads(text, [TOKEN, KEY]) == json.loads(text)
    assert not redact.could_hold(text, [TOKEN, KEY]) and not walked


@pytest.mark.parametrize(
    "extra",
    [
        {"name": f"nightly {TOKEN}"},  # the token as itself
        {f"key {KEY}": 1},  # in a key
        {"name": "café"},  # written as caf\u00e9: a \u escape could spell anything
        {"url": "https://x"},  # written with \/ below
    ],
)
def test_a_walk_when_the_text_may_hold_a_secret(extra: dict[str, Any]) -> None:
    text = json.dumps(payload(**extra)).replace("/", "\\/")
    assert redact.could_hold(text, [TOKEN, KEY])
    assert TOKEN not in json.dumps(redact.loads(text, [TOKEN, KEY]))
    assert KEY not in json.dumps(redact.loads(text, [TOKEN, KEY]))


def test_a_secret_spelled_with_escapes_is_still_found() -> None:
    spelled = "".join(f"\\u{ord(c):04x}" for c in TOKEN)
    text = '{"name": "' + spelled + '", "other": "' + TOKEN[:-1] + '"}'
    assert json.loads(text)["name"] == TOKEN
    assert redact.loads(text, [TOKEN]) == {"name": "***", "other": TOKEN[:-1]}


def fetch(client: CekuraClient, data: bytes, content_type: str) -> Any:
    url = "https://api.cekura.test/test_framework/v2/results/5/"
    with responses.RequestsMock() as http:
        http.get(url, body=data, content_type=content_type)
        try:
            return client.get_result(5, timeout=5)
        except TransientApiError as exc:  # not JSON as requests decodes it
            return type(exc)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x"])
@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=utf-16"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32", "utf-16-le"])
def test_the_client_decodes_as_requests_does_and_redacts(
    content_type: str, charset: str, encoding: str
) -> None:
    body = {"id": 5, "status": "completed", "name": f"é {TOKEN} ✓", "runs": {}}
    data = json.dumps(body, ensure_ascii=False).encode(encoding)
    plain = CekuraClient(base_url="https://api.cekura.test", api_key=KEY)
    redacting = CekuraClient(base_url="https://api.cekura.test", api_key=KEY, secrets=[TOKEN])
    decoded = fetch(plain, data, content_type + charset)  # response.json()
    got = fetch(redacting, data, content_type + charset)
    if decoded is TransientApiError:
        assert got is TransientApiError
    else:
        assert TOKEN in decoded["name"] and "***" in got["name"]
        assert got == redact.redact(decoded, [TOKEN])  # (redacts `decoded` in place)


def _result_with_run(transcript: Any, **run: Any) -> str:
    run = {"id": 1, "success": False, "transcript_object": transcript, **run}
    return json.dumps({"id": 9, "status": "completed", "runs": {"1": run}})


@pytest.mark.parametrize(
    "where",
    [
        {"transcript": [{"role": "Main Agent", "content": f"key is {KEY}"}]},
        {"transcript": [], "error_message": f"failed with {KEY}"},
        {"transcript": f"plain {KEY} text"},
        {
            "transcript": None,
            "evaluation": {
                "metrics": [
                    {"name": "Tone", "passed": False, "explanation": [f"said {KEY}"]},
                    {"name": KEY, "score": 3, "explanation": "fine"},
                ]
            },
        },
    ],
)
def test_a_result_decoded_for_the_gate_is_redacted_too(where: dict[str, Any]) -> None:
    """Redacting a result read by gate.result.decode (runs as objects, transcripts still
    undecoded) reaches every string of its runs, as redacting json.loads's value does."""
    from gate.result import typed

    text = _result_with_run(**where)
    value = redact.redact(typed.loads(text), [KEY])
    run = value["runs"]["1"]

    def plain(value: Any) -> Any:  # the typed objects as the JSON objects they were read from
        if hasattr(value, "__struct_fields__"):
            return {name: plain(value.get(name)) for name in value.__struct_fields__}
        return [plain(v) for v in value] if isinstance(value, list) else value

    read = plain(run)
    assert KEY not in json.dumps(read)
    expected = redact.redact(json.loads(text), [KEY])["runs"]["1"]
    assert json.dumps(read).count("***") == json.dumps(expected).count("***") > 0
    assert read["transcript_object"] == expected["transcript_object"]
    # and loads with the result decoder takes the walk whenever the text may hold the key
    assert KEY not in json.dumps(
        redact.loads(text, [KEY], typed.loads), default=lambda run: run.get("transcript_object")
    )


@pytest.mark.parametrize("secrets", [[], [TOKEN]])
def test_a_large_result_from_the_api_is_decoded_typed_and_redacted_as_a_baseline_is(
    secrets: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API client decodes a large result detail typed (gate.result.decode), and the
    baseline lookup's second redaction walks it (runs, evaluations, metrics) without harm."""
    from gate.result import decode
    from gate.result.parsing import parse
    from gate.result.typed_object import TypedObject

    monkeypatch.setattr(decode, "TYPED_FROM", 0)  # every result is large
    metric = {"name": "Tone", "eval_type": "binary", "passed": False, "explanation": ["Cold"]}
    run = {"id": 1, "success": False, "evaluation": {"metrics": [metric]}, "transcript_object": []}
    body = {"id": 5, "status": "completed", "runs": {"1": run, "2": {**run, "id": 2}}}
    client = CekuraClient(base_url="https://api.cekura.test", api_key=KEY, secrets=secrets)
    got = fetch(client, json.dumps(body).encode(), "application/json")
    assert isinstance(got["runs"]["1"], TypedObject)
    walked = redact.redact(got, [KEY, TOKEN])  # as gate.source.baseline cleans a baseline
    assert repr(parse(walked, evidence=False)) == repr(parse(body, evidence=False))
