"""One setting's text read into its value, or a UsageError that names the flag, the value
given and what is expected: durations, booleans, choices, ids, lists and the API's address."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from gate.command_line.defaults import DEFAULT_API_URL
from gate.errors import UsageError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def parse_duration(name: str, text: str) -> float:
    """'90', '90s', '30m', '1h', '500ms' -> seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"--{name}: expected a duration such as 90, 90s, 30m or 1h, got {text!r}")
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[(unit or "s").lower()]


def parse_bool(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise UsageError(f"--{name}: expected true or false, got {text!r}")


def choice(name: str, text: str, allowed: tuple[str, ...]) -> str:
    if text.lower() not in allowed:
        raise UsageError(f"--{name}: expected one of {', '.join(allowed)}, got {text!r}")
    return text.lower()


def positive_id(name: str, text: str) -> str:
    if text and not (text.isdigit() and int(text) > 0):
        raise UsageError(f"--{name}: expected a positive whole number, got {text!r}")
    return text


def int_list(name: str, text: str) -> tuple[int, ...]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in items if not t.isdigit()]
    if bad:
        raise UsageError(
            f"--{name}: expected comma-separated scenario ids such as 1,2,3, got {text!r}"
        )
    return tuple(int(t) for t in items)


def frequency(text: str) -> int:
    if not (text.isdigit() and int(text) >= 1):
        raise UsageError(f"--frequency: expected a whole number of at least 1, got {text!r}")
    return int(text)


def api_url(text: str) -> str:
    """Only https, or http to a loopback host: the API key must never travel in clear text."""
    # A user name, a backslash or a space: Python's urlsplit and urllib3 (which requests uses
    # to connect) disagree on the host of 'http://evil.example\@127.0.0.1', so a URL that
    # looks loopback here would send the key in clear text elsewhere. A base URL needs none.
    if re.search(r"[@\\\s\x00-\x1f\x7f]", text):
        raise UsageError(
            f"--api-url: refusing {text!r}: it contains a user name ('@'), a backslash or a "
            f"space. Give only the API's address, such as {DEFAULT_API_URL}."
        )
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(
            f"--api-url: expected an https:// URL such as {DEFAULT_API_URL}, got {text!r}"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"--api-url: refusing {text!r}: plain http would send the API key unencrypted. "
            "Use https:// (http is allowed only for 127.0.0.1, ::1 or localhost)."
        )
    return text.rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
