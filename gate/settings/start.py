"""The settings of starting a run read and checked together: the execution mode, a suite file,
the run's name and options, the cost check (dry run, max calls) and the share link.

Each is a UsageError naming the flag, the value and the fix when it is wrong or does not fit
the others (a phone number for a text run, tags for a livekit_v2 run)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gate.errors import UsageError
from gate.settings import values
from gate.source.modes import MODES, PROVIDER_DATA, provider_data

if TYPE_CHECKING:
    from gate.source.start import StartRequest

_LINK_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: Cekura's own action shares for 7 days; a year is the most the gate asks for
MAX_SHARE_SECONDS = 365 * 86400


def run_as_text(get: Callable[..., str]) -> bool:
    """--run-as-text, or --execution-mode text (the two agree, or it is a usage error)."""
    text = values.parse_bool("run-as-text", get("run-as-text", "false"))
    mode = get("execution-mode").lower()
    if text and mode and mode != "text":
        raise UsageError(
            f"--run-as-text asks for a text run but --execution-mode is {mode!r}; give one of "
            "them (--execution-mode text is the same as --run-as-text)."
        )
    return text or mode == "text"


def start_settings(get: Callable[..., str]) -> dict[str, Any]:
    """The start settings as Settings' keyword arguments, each value read and checked."""
    text = values.parse_bool("run-as-text", get("run-as-text", "false"))
    mode = values.choice(
        "execution-mode", get("execution-mode", "text" if text else "voice"), MODES
    )
    return {
        "execution_mode": mode,
        "suite_file": get("suite-file"),
        "run_name": get("run-name"),
        "concurrency_limit": _count("concurrency-limit", get("concurrency-limit")),
        "phone_number": get("phone-number"),
        "personality_ids": values.int_list("personality-ids", get("personality-ids")),
        "test_profile_ids": values.int_list("test-profile-ids", get("test-profile-ids")),
        "livekit_data": get("livekit-data"),
        "pipecat_data": get("pipecat-data"),
        "dry_run": values.parse_bool("dry-run", get("dry-run", "false")),
        "max_calls": _count("max-calls", get("max-calls")),
        "share_link": share_link(get("share-link", "off")),
    }


def check_start(s: Any) -> None:
    """The start settings fit each other and the result source (`s` is a Settings)."""
    starting = [
        flag
        for flag, value in (
            ("--execution-mode", s.execution_mode != "voice" and not s.run_as_text),
            ("--suite-file", s.suite_file),
            ("--run-name", s.run_name),
            ("--concurrency-limit", s.concurrency_limit),
            ("--phone-number", s.phone_number),
            ("--personality-ids", s.personality_ids),
            ("--test-profile-ids", s.test_profile_ids),
            ("--livekit-data", s.livekit_data),
            ("--pipecat-data", s.pipecat_data),
            ("--dry-run", s.dry_run),
            ("--max-calls", s.max_calls),
        )
        if value
    ]
    if s.share_link and s.result_file:
        raise UsageError(
            "--share-link asks Cekura for a link to the result; a --result-file is read "
            "offline. Gate it with --result-id N to get a link, or drop --share-link."
        )
    if starting and not s.agent_id:
        raise UsageError(
            f"{starting[0]} is about starting a run; it needs --agent-id N (with --scenarios, "
            "--tags or --suite-file). To gate an existing result use --result-id alone."
        )
    if not s.agent_id:
        return
    mode = s.execution_mode
    if s.suite_file and (s.scenarios or s.tags):
        raise UsageError(
            "--suite-file runs the scenarios of the suite; give it without --scenarios and "
            "--tags (or drop --suite-file to run scenarios from the dashboard)."
        )
    if s.phone_number and mode != "voice":
        raise UsageError(
            f"--phone-number is for voice runs (the number the testing agent calls from); this "
            f"is a {mode} run. Drop --phone-number or use --execution-mode voice."
        )
    for name, field in PROVIDER_DATA.items():
        if getattr(s, field) and mode != name:
            raise UsageError(
                f"--{field.replace('_', '-')} is only for --execution-mode {name}; this is a "
                f"{mode} run."
            )
        provider_data(field.replace("_", "-"), getattr(s, field))  # a JSON object, or refused
    if mode in PROVIDER_DATA and not s.suite_file:
        if s.tags:
            raise UsageError(
                f"--execution-mode {mode} starts runs of scenario ids: Cekura's {mode} endpoint "
                "takes no tags. Give --scenarios 1,2,3 (or a --suite-file)."
            )
        if s.personality_ids or s.test_profile_ids:
            raise UsageError(
                f"--personality-ids and --test-profile-ids are for voice and text runs; "
                f"Cekura's {mode} endpoint does not take them."
            )
    if s.suite_file and (s.personality_ids or s.test_profile_ids):
        raise UsageError(
            "--personality-ids and --test-profile-ids do not apply to a --suite-file run: the "
            "suite names each scenario's personality."
        )


def start_request(s: Any) -> StartRequest | None:
    """The run `s` (a Settings) asks to start, its suite file read; None: it starts none."""
    if not s.agent_id:
        return None
    from gate.source.start import StartRequest, read_suite  # only a check that starts a run

    field = PROVIDER_DATA.get(s.execution_mode, "")
    return StartRequest(
        agent_id=int(s.agent_id),
        mode=s.execution_mode,
        scenarios=s.scenarios,
        tags=s.tags,
        frequency=s.frequency,
        concurrency_limit=s.concurrency_limit,
        phone_number=s.phone_number,
        run_name=s.run_name,
        personality_ids=s.personality_ids,
        test_profile_ids=s.test_profile_ids,
        provider_data=provider_data(field.replace("_", "-"), getattr(s, field)) if field else None,
        suite=read_suite(s.suite_file) if s.suite_file else None,
        suite_file=s.suite_file,
    )


def share_link(text: str) -> float:
    """'7d', '12h', '90m' -> seconds; 'off', 'false', '0' -> 0 (no link)."""
    if text.strip().lower() in {"off", "false", "no", "0", ""}:
        return 0.0
    match = _LINK_DURATION.match(text)
    if not match:
        raise UsageError(
            f"--share-link: expected how long the link stays valid, such as 7d, 12h or 90m "
            f"(or off), got {text!r}"
        )
    number, unit = match.groups()
    seconds = float(number) * _UNIT_SECONDS[(unit or "s").lower()]
    if seconds > MAX_SHARE_SECONDS:
        raise UsageError(
            f"--share-link: {text!r} is more than a year; a link to transcripts should expire. "
            "Use 7d (Cekura's own action uses 7 days) or less."
        )
    return seconds


def _count(name: str, text: str) -> int | None:
    if not text:
        return None
    if not (text.isdigit() and int(text) >= 1):
        raise UsageError(f"--{name}: expected a whole number of at least 1, got {text!r}")
    return int(text)
