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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"--result-file: {path} does not exist. Save a result with "
            "GET /test_framework/v2/results/{id}/ or pass --result-id instead."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PayloadError(f"--result-file: cannot read {path}: {exc}") from None
    from gate.result.decode import loads as decode_result  # imports msgspec: only now

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
