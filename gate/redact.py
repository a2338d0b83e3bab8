"""Secrets out of API text, before it can reach a log, a report, an output or a comment.

The client already scrubs the API key from the messages it builds. This is the other half:
a server (or a proxy, or a user who pasted a key into a scenario name) may echo a secret
inside the result itself, and the report, the JSON and JUnit files and the pull-request
comment are not masked by the runner the way the log is. So every payload is redacted once,
where it enters the gate, and everything after sees clean text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REDACTED = "***"
#: shorter "secrets" would redact ordinary words; the client uses the same floor
MIN_SECRET_LENGTH = 6


def redact(value: Any, secrets: Iterable[str]) -> Any:
    """`value` (parsed JSON) with each secret replaced by ***, in place; returns it.

    Iterative, so a payload nested as deep as the JSON parser allows cannot overflow the stack.
    """
    wanted = sorted(
        {s for s in secrets if s and len(s.strip()) >= MIN_SECRET_LENGTH}, key=len, reverse=True
    )
    if not wanted:
        return value

    def clean(text: str) -> str:
        for secret in wanted:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    if isinstance(value, str):
        return clean(value)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    node[key] = clean(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
                if isinstance(key, str) and clean(key) != key:
                    node[clean(key)] = node.pop(key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return value
