"""Secrets out of API text, before it can reach a log, a report, an output or a comment.

The client already scrubs the API key from the messages it builds. This is the other half:
a server (or a proxy, or a user who pasted a key into a scenario name) may echo a secret
inside the result itself, and the report, the JSON and JUnit files and the pull-request
comment are not masked by the runner the way the log is. So every payload is redacted once,
where it enters the gate, and everything after sees clean text.

In GitHub Actions a token is always set, so this runs on every check and every poll: `loads`
decodes a payload and walks its strings only when its JSON text could hold a secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import mmap

REDACTED = "***"
#: shorter "secrets" would redact ordinary words; the client uses the same floor
MIN_SECRET_LENGTH = 6


def loads(
    text: str | bytes,
    secrets: Iterable[str],
    decode: Callable[[str | bytes], Any] = json.loads,
    *,
    may_hold: bool | None = None,
) -> Any:
    """`redact(json.loads(text), secrets)`, without the walk when no string can hold a secret
    (see `could_hold`): walking every string of a 10,000-run result took ~300 ms. Then the
    text is decoded by `decode` (gate.result.decode.loads for a result detail, which leaves
    parts undecoded: the walk needs every string decoded, so it gets json.loads). `text` may
    be bytes of ASCII (a saved file), read as the str they spell. `may_hold`: the answer of
    `could_hold` when the caller already searched the same text. Raises what json.loads
    raises."""
    wanted = _wanted(secrets)
    if wanted and (could_hold(text, wanted) if may_hold is None else may_hold):
        return redact(json.loads(text if isinstance(text, str) else text.decode("ascii")), wanted)
    return decode(text)


def could_hold(text: str | bytes | mmap.mmap, secrets: Iterable[str]) -> bool:
    r"""Whether a string (or key) decoded from the JSON `text` could contain a secret.

    Where JSON text has no \u and no \/ escape, each character of a decoded string is written
    one way only: as itself, or as the escape json.dumps writes for it (\" \\ \n \t ...). A
    string then holds a secret only where the text holds the secret as json.dumps writes it.
    So False means: no \u, no \/ (escapes that can spell any character), and no secret as
    json.dumps would write it. True may be a false alarm (a secret in a number, say). Bytes
    are searched as the UTF-8 they hold.
    """
    wanted = _wanted(secrets)
    if not wanted:
        return False
    if not isinstance(text, str):  # bytes, or a memory map (whose `in` finds single bytes)
        written = (_written(s).encode("utf-8", "surrogatepass") for s in wanted)
        return _spells_anything(text, b"\\", (b"u", b"/"), _ESCAPE_BYTES) or any(
            text.find(w) >= 0 for w in written
        )
    return _spells_anything(text, "\\", ("u", "/"), _ESCAPE) or any(
        _written(s) in text for s in wanted
    )


#: escapes looked at one by one before one whole-text search is cheaper
_FEW_ESCAPES = 1000
#: a \u or \/ escape, or a backslash-u or backslash-slash pair after an escaped backslash
#: (a false alarm, and rare). One pass of the regular expression engine, which scans for the
#: backslash first: about 3.5 times faster than searching for each pair (97 MB: 56 ms, not 190)
_ESCAPE = re.compile(r"\\[u/]")
_ESCAPE_BYTES = re.compile(rb"\\[u/]")


def _spells_anything(text: Any, backslash: Any, spelling: tuple[Any, Any], pairs: Any) -> bool:
    r"""Whether the JSON text has a \u or \/ escape (or, after many escapes, may have one).

    Finding a backslash is fast (memchr), and payloads usually have few escapes. Each escape is
    two characters (or \u + four), so the next backslash after one starts the next escape.
    """
    at = text.find(backslash)
    for _ in range(_FEW_ESCAPES):
        if at < 0:
            return False
        if text[at + 1 : at + 2] in spelling:
            return True
        at = text.find(backslash, at + 2)
    return pairs.search(text) is not None


def _written(secret: str) -> str:
    r"""The secret as json.dumps writes it inside a JSON string (with no \u escapes)."""
    return json.dumps(secret, ensure_ascii=False)[1:-1]


def _wanted(secrets: Iterable[str]) -> list[str]:
    """The secrets worth redacting, longest first (so a secret inside another goes too)."""
    return sorted(
        {s for s in secrets if s and len(s.strip()) >= MIN_SECRET_LENGTH}, key=len, reverse=True
    )


def redact(value: Any, secrets: Iterable[str]) -> Any:
    """`value` (parsed JSON) with each secret replaced by ***, in place; returns it.

    Iterative, so a payload nested as deep as the JSON parser allows cannot overflow the stack.
    """
    wanted = _wanted(secrets)
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
                elif isinstance(item, dict | list) or hasattr(item, "__struct_fields__"):
                    stack.append(item)
                if isinstance(key, str) and clean(key) != key:
                    node[clean(key)] = node.pop(key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean(item)
                elif isinstance(item, dict | list) or hasattr(item, "__struct_fields__"):
                    stack.append(item)
        elif hasattr(node, "__struct_fields__"):
            # An object read by gate.result.typed: its fields, the undecoded ones decoded.
            for name in node.__struct_fields__:
                item = getattr(node, name)
                if hasattr(item, "__struct_fields__"):  # a run's evaluation, say
                    stack.append(item)
                    continue
                if item is not None and not isinstance(item, str | dict | list | int | float):
                    item = json.loads(bytes(item))  # msgspec.Raw
                if isinstance(item, str):
                    item = clean(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
                setattr(node, name, item)
    return value
