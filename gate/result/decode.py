"""Result-detail JSON text -> the payload parse() reads: a large result decoded typed.

A large result is decoded by gate.result.typed (msgspec): only the fields the gate reads,
transcripts left undecoded, for less time and memory than json.loads (about 3 ms less per
MB). A small one is decoded by json.loads: there loading the typed decoder (about 1.5 ms)
would cost more than it saves. Both give parse() the same Result
(tests/result/test_decode.py).
"""

from __future__ import annotations

import json
from typing import Any

#: from this size (in characters or bytes) a result is decoded typed: about 100 runs with
#: full transcripts, twice what the typed decoder needs to pay for its loading
TYPED_FROM = 1024 * 1024


def loads(text: str | bytes) -> Any:
    """The result detail in `text` (a str, or bytes of ASCII: gate.source.files). Raises what
    json.loads raises."""
    if len(text) >= TYPED_FROM:
        from gate.result.typed import loads as typed  # imports msgspec: only now

        return typed(text)
    return json.loads(text if isinstance(text, str) else text.decode("ascii"))
