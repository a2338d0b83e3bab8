"""Results saved as files (`--result-file`): read, secrets replaced by *** as they are decoded,
decoded into only what the gate reads (gate.result.decode)."""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gate.errors import (
    PayloadError,
    UsageError,
)
from gate.source.redact import could_hold, loads


def read_result_file(path: Path, secrets: Iterable[str] = ()) -> Any:
    """The payload in `path`, with `secrets` replaced by *** (gate.source.redact.loads)."""
    decoded, may_hold = _decoded_in_place(path, secrets)
    if decoded is not None:
        return decoded
    try:
        text = _json_text(path.read_bytes())
    except FileNotFoundError:
        raise UsageError(
            f"--result-file: {path} does not exist. Save a result with "
            "GET /test_framework/v2/results/{id}/ or pass --result-id instead."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PayloadError(f"--result-file: cannot read {path}: {exc}") from None
    from gate.result.decode import loads as decode_result

    try:
        return loads(text, secrets, decode=decode_result, may_hold=may_hold)
    except RecursionError:
        raise PayloadError(
            f"--result-file: {path} is nested too deeply to be a Cekura result detail."
        ) from None
    except ValueError as exc:
        raise PayloadError(
            f"--result-file: {path} is not valid JSON ({exc}). Save the body of "
            "GET /test_framework/v2/results/{id}/ as it is."
        ) from None


def _json_text(data: bytes) -> str | bytes:
    """The file's text as Path.read_text gives it (UTF-8, universal newlines). Bytes of ASCII
    without a carriage return are that text already: they are kept as they are, which saves
    decoding and holding a copy (a 100 MB result: about 60 ms, and the copy)."""
    if data.isascii() and b"\r" not in data:
        return data
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _decoded_in_place(
    path: Path, secrets: Iterable[str]
) -> tuple[dict[str, Any] | None, bool | None]:
    """A large result decoded where it lies: the file mapped into memory (read-only) and
    decoded typed (gate.result.typed) without first being copied into one bytes object,
    which for a 100 MB result saves about a third of reading and decoding it
    (benchmarks/evaluation.py). None, and the file is read as usual, when it is small, when
    it cannot be mapped, when a secret may be in it (redaction reads every string), or when
    msgspec does not read it (so json.loads reads it, or words its error, exactly as before).
    A valid JSON document decodes the same either way: msgspec reads the UTF-8 itself, and
    the line endings Path.read_text would translate are whitespace outside strings (and a
    raw line break inside one is invalid JSON both ways).

    Also whether a secret may be in the file (`could_hold`), when the mapped text was searched
    (else None): the text read after it holds the same characters, so it is not searched twice.
    """
    from gate.result.decode import TYPED_FROM

    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size < TYPED_FROM:
                return None, None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # not a regular file, or mapping refused: read it instead
        return None, None
    if could_hold(mapped, secrets):
        return None, True
    import msgspec

    from gate.result import typed  # the typed decoder: only for a large result

    try:
        return typed.decode(mapped), False
    except (msgspec.DecodeError, RecursionError):
        return None, False
