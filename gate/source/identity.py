"""The answer must be the result that was asked for: a proxy, a cache or an API fault can
answer with another result, and the gate must not judge that one instead."""

from __future__ import annotations

from typing import Any

from gate.errors import (
    WrongResult,
)


def require_same_result(raw: Any, asked: str) -> None:
    """The body polled for result `asked` must be result `asked`: a proxy, a cache or an API
    fault can answer with another result, and the gate must not judge that one instead."""
    got = raw.get("id") if isinstance(raw, dict) else None
    text = "" if got is None or isinstance(got, dict | list) else str(got).strip()
    number = _as_int(text)
    if text and (text == asked.strip() or (number is not None and number == _as_int(asked))):
        return
    shown = f"result {text[:40]}" if text else "a result that carries no id"
    raise WrongResult(
        f"the Cekura API was asked for result {asked} and answered with {shown}. The gate "
        f"judges only the result it asked for, so it did not judge this one. A proxy or cache "
        "between the gate and Cekura, or a fault at Cekura, mixed up the answers: re-run the "
        "job, and check that --api-url points straight at the Cekura API."
    )


def _as_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 30 else None
