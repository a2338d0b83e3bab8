"""The transcript turns worth keeping for a failing run, picked at parse time.

For runs whose `success` is not true only, the few transcript turns worth showing are picked
and the rest of the transcript is dropped, so a result of 10,000 runs never keeps 10,000
transcripts. The turns named by the failure's explanation (a timestamp such as "at 00:42",
"turn 5", or a quoted phrase the agent said) are kept with the turn before each; when the
explanation names none, the last turns are kept.

Pure: no I/O. Text stays raw here; the report and the JSON writer escape it for their format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

#: turns kept per failing run
MAX_TURNS = 6
#: characters kept per turn
TURN_LIMIT = 280
_TIMESTAMP = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\d:])")
_TURN_NUMBER = re.compile(r"\bturns?\s*#?\s*(\d{1,4})\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“'‘]([^\"“”'‘’]{5,200})[\"”'’]")
#: a timestamp this many seconds after the last turn started still points at that turn
_TURN_SLACK = 30
_ROLE_KEYS = ("role", "speaker", "name", "from")
_CONTENT_KEYS = ("content", "text", "message", "transcript")


class Turn(msgspec.Struct, frozen=True, gc=False):
    """One kept turn of a transcript."""

    index: int  # 1-based position in the whole transcript
    role: str
    time: str  # "MM:SS" as the payload gave it, or derived from start_time
    content: str  # truncated to TURN_LIMIT
    named: bool = False  # the explanation points at this turn


def excerpt(transcript: Any, explanations: Iterable[str]) -> tuple[Turn, ...]:
    """The turns worth showing from a raw transcript (list of turn objects, or text)."""
    raw_turns = _raw_turns(transcript)
    if not raw_turns:
        return ()
    named = _named_indexes(raw_turns, " ".join(t for t in explanations if t))
    if named:
        keep: list[int] = []
        for index in sorted(named):
            for wanted in (index - 1, index):  # the turn that led to it, then the turn itself
                if wanted >= 0 and wanted not in keep:
                    keep.append(wanted)
        chosen = sorted(keep)[:MAX_TURNS]
    else:
        chosen = list(range(max(0, len(raw_turns) - MAX_TURNS), len(raw_turns)))
    return tuple(
        [
            Turn(
                i + 1,
                raw_turns[i][0],
                raw_turns[i][1],
                shorten(raw_turns[i][2], TURN_LIMIT),
                i in named,
            )
            for i in chosen
        ]
    )


def _raw_turns(transcript: Any) -> list[tuple[str, str, str]]:
    """(role, time, content) for every turn; tolerant of the shapes seen in payloads."""
    if isinstance(transcript, str):
        turns = []
        for line in transcript.splitlines():
            role, sep, content = line.partition(":")
            if sep and 0 < len(role) <= 40:
                turns.append((role.strip(), "", content.strip()))
            elif line.strip():
                turns.append(("", "", line.strip()))
        return turns
    if not isinstance(transcript, list):
        return []
    turns = []
    for entry in transcript:
        if not isinstance(entry, Mapping):
            continue
        # The usual keys first; the other spellings only when they are not there.
        role = entry.get("role")
        if role.__class__ is not str:
            role = next((str(entry[k]) for k in _ROLE_KEYS if isinstance(entry.get(k), str)), "")
        content = entry.get("content")
        if content.__class__ is not str:
            content = next(
                (str(entry[k]) for k in _CONTENT_KEYS if isinstance(entry.get(k), str)), ""
            )
        time = entry.get("time")
        if not isinstance(time, str):
            start = entry.get("start_time")
            readable = isinstance(start, int | float) and 0 <= start < 10**9  # not inf or 1e400
            time = _mmss(start) if readable else ""
        turns.append((role, time, content))
    return turns


def _named_indexes(turns: Sequence[tuple[str, str, str]], text: str) -> set[int]:
    if not text:
        return set()
    named: set[int] = set()
    starts: list[int | None] = []
    last = None
    for match in _TIMESTAMP.finditer(text):
        if not starts:  # only for an explanation that has a timestamp
            starts = [_seconds(t[1]) for t in turns]
            last = max((s for s in starts if s is not None), default=None)
        hours_or_minutes, minutes_or_seconds, seconds = match.groups()
        moment = int(hours_or_minutes) * 60 + int(minutes_or_seconds)
        if seconds is not None:
            moment = moment * 60 + int(seconds)
        # A time of day ("booked for 10:00") lies far beyond the call: not a turn reference.
        if last is None or moment > last + _TURN_SLACK:
            continue
        # the turn under way at that moment: the last one that had started by then
        best = max((i for i, s in enumerate(starts) if s is not None and s <= moment), default=None)
        if best is not None:
            named.add(best)
    for match in _TURN_NUMBER.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= len(turns):
            named.add(number - 1)
    for match in _QUOTED.finditer(text):
        fragment = _normal(match.group(1))
        if len(fragment) < 5:
            continue
        for i, turn in enumerate(turns):
            if fragment in _normal(turn[2]):
                named.add(i)
                break
    return named


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _seconds(time: str) -> int | None:
    parts = time.strip().split(":")
    try:
        numbers = [int(float(p)) for p in parts]
    except (ValueError, OverflowError):  # OverflowError: "inf" or "1e400" is no time
        return None
    if len(numbers) == 2:
        return numbers[0] * 60 + numbers[1]
    if len(numbers) == 3:
        return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    return None


def _mmss(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def explanations_of(
    error_message: str, expected_score: float | None, expected_explanation: str, metrics: Any
) -> list[str]:
    """The texts that may name turns, for `excerpt` at parse time."""
    texts = [error_message]
    if expected_score is not None and expected_score < 100:
        texts.append(expected_explanation)
    texts.extend(m.explanation for m in metrics if m.passed is False)
    return texts
