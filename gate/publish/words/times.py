"""Times as people and tools read them: UTC, without microseconds. (A call's duration, shown
only when the call connected, is gate/result/durations.py `call_duration`.)"""

from __future__ import annotations

from datetime import UTC, datetime


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
