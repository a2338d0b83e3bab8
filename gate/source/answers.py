"""An HTTP answer read and described: its body read in pieces up to a size, Cekura's own words
from an error body, the reason a request failed in a few words.
Pure helpers over requests' objects, for the transport (transport.py) and the endpoints."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

#: requests rejects a timeout of 0; a poll at the deadline still gets this long to answer
MIN_REQUEST_TIMEOUT = 1.0
CERT_FAILURE = re.compile(r"certificate verify failed|CERTIFICATE_VERIFY_FAILED", re.IGNORECASE)
_MAX_DETAIL = 300
#: decompressed bytes read at a time (urllib3 inflates no more than this per read)
_READ_CHUNK = 64 * 1024
#: error bodies are flattened to this depth at most (DRF nests field errors two or three deep)
_MAX_ERROR_DEPTH = 20


def flatten_errors(data: Any, depth: int = 0) -> str:
    """{"detail": "x"} -> "x"; {"field": ["msg"]} -> "field: msg"; nested errors joined by '; '.

    Errors nested deeper than _MAX_ERROR_DEPTH are left out (a hostile body cannot recurse).
    """
    if depth > _MAX_ERROR_DEPTH:
        return ""
    if isinstance(data, Mapping):
        if isinstance(data.get("detail"), str | int | float) and len(data) == 1:
            return str(data["detail"])
        if isinstance(data.get("errors"), Mapping):
            data = data["errors"]
        parts = []
        for key, value in data.items():
            text = flatten_errors(value, depth + 1)
            if key in ("detail", "non_field_errors", "message", "error"):
                parts.append(text)
            else:
                parts.append(f"{key}: {text}" if text else str(key))
        return "; ".join(p for p in parts if p)
    if isinstance(data, list):
        return "; ".join(t for t in (flatten_errors(v, depth + 1) for v in data) if t)
    return "" if data is None else str(data)


def snippet(text: str) -> str:
    """One line, at most _MAX_DETAIL characters: API text goes into logs and annotations."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_DETAIL else flat[: _MAX_DETAIL - 1] + "…"


def status_line(response: requests.Response) -> str:
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def said(detail: str) -> str:
    # Cekura's sentences end with a period; ours continue after them.
    detail = detail.rstrip(". ")
    return f": {detail}" if detail else ""


def transport_reason(exc: requests.RequestException, timeout: float) -> str:
    if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectionError):
        return f"no answer within {max(MIN_REQUEST_TIMEOUT, timeout):g} s"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"could not connect within {max(MIN_REQUEST_TIMEOUT, timeout):g} s"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return f"the response was cut short ({_innermost(exc)})"
    return f"{type(exc).__name__}: {_innermost(exc)}"


def _innermost(exc: BaseException) -> str:
    """The useful sentence inside requests' wrapping (MaxRetryError.reason, ProtocolError...)."""
    inner = exc
    for _ in range(5):
        reason = getattr(inner, "reason", None)
        if not isinstance(reason, BaseException) and inner.args:
            reason = inner.args[0]
        if not isinstance(reason, BaseException):
            break
        inner = reason
    text = inner.args[0] if inner.args and isinstance(inner.args[0], str) else str(inner)
    return snippet(text)


# What the socket layer says when nothing listens at the address or the name does not
# resolve (Linux, macOS and Windows wordings): the text is all that survives some wrappings.
_ADDRESS_REFUSED = re.compile(
    r"Connection refused|actively refused|Name or service not known|nodename nor servname|"
    r"getaddrinfo failed|No address associated with hostname|Failed to resolve|"
    r"Temporary failure in name resolution",
    re.IGNORECASE,
)


def address_refused(exc: BaseException) -> bool:
    """True for a refused connection or a name that does not resolve: a wrong address, not a
    busy server. A timeout is not one: a slow network looks the same."""
    if isinstance(exc, requests.Timeout):
        return False
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        current = todo.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        if isinstance(current, ConnectionRefusedError | socket.gaierror):
            return True
        for nested in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nested, BaseException):
                todo.append(nested)
        todo.extend(a for a in current.args if isinstance(a, BaseException))
    return bool(_ADDRESS_REFUSED.search(str(exc)))


def is_html(response: requests.Response) -> bool:
    """An HTML page where JSON belongs: a web site, a login or parking page, not the API."""
    content_type = (response.headers.get("Content-Type") or "").lower()
    return "html" in content_type or response.text.lstrip()[:1] == "<"


def nothing_sent(exc: requests.RequestException) -> bool:
    """True when the request provably never left (bad URL/header, TLS handshake refused)."""
    if CERT_FAILURE.search(str(exc)):
        return True
    return not isinstance(
        exc,
        requests.ConnectionError
        | requests.Timeout
        | requests.exceptions.ChunkedEncodingError
        | requests.exceptions.ContentDecodingError,
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def body_text(response: requests.Response) -> str:
    """The body as `Response.json()` decodes it: by the declared charset, else as UTF-8, -16
    or -32 (RFC 4627), and only if that fails by the charset requests guesses."""
    content = response.content
    if not response.encoding and content and len(content) > 3:
        encoding = requests.utils.guess_json_utf(content)
        if encoding is not None:
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                pass
    return response.text


def read_body(response: requests.Response, limit: int) -> str | None:
    """Read the body into `response` (as requests does without stream=True), counting the
    bytes as they are decompressed. Returns None, or, when the body is over `limit`, what
    was seen of its size (and the body is left unread and the connection closed)."""
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    declared = response.headers.get("Content-Length", "").strip()
    if encoding == "identity" and declared.isdigit() and int(declared) > limit:
        response.close()
        return f"a body of {int(declared):,} bytes (Content-Length)"
    body = bytearray()
    for chunk in response.iter_content(_READ_CHUNK):
        body += chunk
        if len(body) > limit:
            response.close()
            coded = "" if encoding == "identity" else f" once decompressed ({encoding})"
            return f"a body of over {mib(limit)}{coded}"
    response._content = bytes(body)  # what Response.content returns from now on
    return None


def mib(size: int) -> str:
    return f"{size // 2**20} MiB" if size % 2**20 == 0 else f"{size:,} bytes"


def head_of(response: requests.Response) -> str:
    """The start of the body as text, for a message (a whole 256 MiB page would be slow)."""
    head = response.content[:4096]
    try:
        return head.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return head.decode("utf-8", errors="replace")
