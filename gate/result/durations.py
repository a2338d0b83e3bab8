"""How long a call lasted, from the duration the API writes ("01:42"), and only when the call
connected (a call the infrastructure stopped still says "00:00")."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gate.result.model import Run


def duration_seconds(duration: str) -> float | None:
    """ "MM:SS", "H:MM:SS" or plain seconds -> seconds; None when unreadable."""
    text = (duration or "").strip()
    if not text:
        return None
    total = 0.0
    try:
        for part in text.split(":"):
            total = total * 60 + float(part)
    except ValueError:
        return None
    return total if total >= 0 else None


def call_seconds(run: Run, infrastructure: frozenset[str] = frozenset()) -> float | None:
    """How long the call lasted, only when it connected: None for a call the infrastructure
    stopped (Cekura still sends "00:00" for it), for a zero duration and for none at all."""
    from gate.result.failure import FailureKind, classify

    if classify(run, infrastructure) is FailureKind.INFRASTRUCTURE:
        return None
    return duration_seconds(run.duration) or None


def call_duration(run: Run, infrastructure: frozenset[str] = frozenset()) -> str:
    """The call's duration as the API wrote it ("01:42"), or "" when the call did not connect."""
    return run.duration.strip() if call_seconds(run, infrastructure) is not None else ""
