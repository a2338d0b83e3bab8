"""Result-detail JSON text -> the payload parse() reads: a large result decoded typed.

A large result is decoded by gate.result.typed (msgspec): only the fields the gate reads,
transcripts left undecoded, for less time and memory than json.loads. A small one is
decoded by json.loads: there importing msgspec (about 12 ms) would cost more than it saves
(about 4 ms per MB). Both give parse() the same Result (tests/result/test_decode.py).
"""

from __future__ import annotations

import json
from typing import Any

#: from this size (in characters or bytes) a result is decoded typed: about 3,000 runs
TYPED_FROM = 4 * 1024 * 1024


def loads(text: str | bytes) -> Any:
    """The result detail in `text` (a str, or bytes of ASCII: gate.source.files). Raises what
    json.loads raises."""
    if len(text) >= TYPED_FROM:
        from gate.result.typed import loads as typed  # imports msgspec: only now

        return typed(text)
    return json.loads(text if isinstance(text, str) else text.decode("ascii"))
