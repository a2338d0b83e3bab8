"""What the simulator does instead of answering normally (`Fault.*`, one per matching request),
and how an answer is written to the socket: a drop, a truncated or trickled body, a reset
connection, a redirect, an HTML page, any JSON or any bytes."""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

JSON = "application/json"
NO_RESULT = {"detail": "No Result matches the given query."}


@dataclass(frozen=True, slots=True)
class Fault:
    #: status | drop | slow | html | truncated | redirect | ok | json | reset | slow_body |
    #: result_of | gzip | raw
    kind: str
    code: int = 200
    retry_after: str | None = None
    seconds: float = 0.0
    location: str = ""
    body: Any = None

    @classmethod
    def status(cls, code: int, *, retry_after: str | float | None = None) -> Fault:
        return cls("status", code, None if retry_after is None else str(retry_after))

    @classmethod
    def not_found(cls) -> Fault:
        return cls("status", 404)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        return cls("slow", seconds=seconds)

    @classmethod
    def html(cls) -> Fault:
        return cls("html")

    @classmethod
    def truncated(cls) -> Fault:
        return cls("truncated")

    @classmethod
    def redirect(cls, location: str) -> Fault:
        return cls("redirect", 302, location=location)

    @classmethod
    def ok(cls) -> Fault:
        return cls("ok")

    @classmethod
    def json(cls, body: Any, code: int = 200, *, retry_after: str | None = None) -> Fault:
        return cls("json", code, retry_after, body=body)

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def slow_body(cls, seconds: float) -> Fault:
        return cls("slow_body", seconds=seconds)

    @classmethod
    def result_of(cls, result_id: str | int) -> Fault:
        """Answer with the body of result `result_id` instead (as it is at that moment)."""
        return cls("result_of", location=str(result_id))

    @classmethod
    def gzip(cls) -> Fault:
        """The normal answer, sent with Content-Encoding: gzip."""
        return cls("gzip")

    @classmethod
    def raw(cls, data: bytes, headers: Mapping[str, str] | None = None, code: int = 200) -> Fault:
        """`data` sent as it is, with a JSON Content-Type and `headers` added."""
        return cls("raw", code, body=(data, dict(headers or {})))


_REASONS = {
    401: "Invalid API key.",
    403: "You do not have permission to perform this action.",
    429: "Request was throttled. Expected available in 1 second.",
    500: "A server error occurred.",
    502: "Bad gateway.",
    503: "Service temporarily unavailable, try again later.",
    504: "Gateway timeout.",
}


def send_answer(
    h: Any, code: int, body: Any, headers: Mapping | None = None, ctype: str = JSON
) -> None:
    data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    h.send_response(code)
    sent = ({"Content-Type": ctype} if data else {}) | {"Content-Length": str(len(data))}
    for name, value in (sent | dict(headers or {})).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(data)


def misbehave(h: Any, fault: Fault, *, detail: Callable[[str], tuple]) -> None:
    """Answer with `fault` instead of the normal answer (`detail` gives a result's answer)."""
    if fault.kind == "drop":
        return
    if fault.kind == "html":
        return send_answer(h, 200, b"<html>Bad gateway</html>", ctype="text/html")
    if fault.kind == "redirect":
        return send_answer(h, fault.code, None, {"Location": fault.location})
    if fault.kind == "truncated":
        send_answer(h, 200, b'{"id": 1, "status": "comp', {"Content-Length": "4096"})
        return  # the client was promised 4096 bytes and gets 25, then EOF
    if fault.kind == "json":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        return send_answer(h, fault.code, fault.body, headers)
    if fault.kind == "result_of":
        return send_answer(h, *detail(fault.location))
    if fault.kind == "raw":
        data, headers = fault.body
        return send_answer(h, fault.code, data, headers)
    if fault.kind == "reset":
        send_answer(h, 200, b'{"id": 1, "status": "running", "runs": {', {"Content-Length": "4096"})
        h.wfile.flush()
        # SO_LINGER with a zero timeout turns close() into a TCP RST.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True
        return
    detail = NO_RESULT["detail"] if fault.code == 404 else _REASONS.get(fault.code, "Error.")
    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
    send_answer(h, fault.code, {"detail": detail}, headers)


def trickle(h: Any, code: int, answer: Any, seconds: float, *, stopping: threading.Event) -> None:
    """The normal answer, its body sent in 20 pieces over `seconds` (cut short by stop)."""
    data = b"" if answer is None else json.dumps(answer).encode()
    h.send_response(code)
    h.send_header("Content-Type", JSON)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    pieces = 20
    step = max(1, -(-len(data) // pieces))
    for start in range(0, len(data), step):
        h.wfile.write(data[start : start + step])
        h.wfile.flush()
        if stopping.wait(seconds / pieces):
            return
