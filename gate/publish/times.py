"""Times and call durations as people read them: UTC without microseconds, and a call's length
only when the call connected (a call that never happened has no duration, whatever "00:00" the
API sends)."""

from __future__ import annotations

from datetime import UTC, datetime

from gate.result.failure import FailureKind, classify
from gate.result.model import Run


def utc(stamp: str) -> str:
    """An ISO 8601 time from the API as "2026-11-29 14:03:07 UTC"; "" when unreadable.

    A time without an offset is taken as UTC, which is what the Cekura API sends."""
    parsed = parse_utc(stamp)
    return parsed.strftime("%Y-%m-%d %H:%M:%S UTC") if parsed else ""


def parse_utc(stamp: str) -> datetime | None:
    text = (stamp or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)


def iso_utc(stamp: str) -> str:
    """The same time for machines: "2026-11-29T14:03:07" (JUnit's timestamp, UTC)."""
    parsed = parse_utc(stamp)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") if parsed else ""


def seconds(duration: str) -> float | None:
    """ "MM:SS", "H:MM:SS" or plain seconds -> seconds; None when unreadable."""
    text = (duration or "").strip()
    if not text:
        return None
    try:
        total = 0.0
        for part in text.split(":"):
            total = total * 60 + float(part)
    except ValueError:
        return None
    return total if total >= 0 else None


def call_seconds(run: Run, infrastructure: frozenset[str] = frozenset()) -> float | None:
    """How long the call lasted, only when it connected: None for a call the infrastructure
    stopped, and for a duration of zero or one the API did not give."""
    if classify(run, infrastructure) is FailureKind.INFRASTRUCTURE:
        return None
    value = seconds(run.duration)
    return value if value else None


def call_duration(run: Run, infrastructure: frozenset[str] = frozenset()) -> str:
    """The call's duration as the API wrote it ("01:42"), or "" when the call did not connect."""
    return run.duration.strip() if call_seconds(run, infrastructure) is not None else ""
