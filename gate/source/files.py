"""Results saved as files (`--result-file`): read, secrets replaced by *** as they are decoded,
decoded into only what the gate reads (gate.result.decode)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gate.errors import (
    PayloadError,
    UsageError,
)
from gate.source.redact import loads


def read_result_file(path: Path, secrets: Iterable[str] = ()) -> Any:
    """The payload in `path`, with `secrets` replaced by *** (gate.source.redact.loads)."""
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
        return loads(text, secrets, decode=decode_result)
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
