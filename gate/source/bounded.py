"""One request bounded as a whole: its complete answer within a time limit, and abandoned as soon
as the job is cancelled (requests bounds each socket read, not the answer)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from gate.errors import (
    Cancelled,
)

#: how often a caller waiting for an answer looks at the cancel flag
_WAIT_SLICE = 0.05


def bounded(
    call: Callable[[], requests.Response],
    *,
    limit: float,
    cancelled: Callable[[], bool] | None,
    grace: float,
) -> requests.Response:
    """call() in a helper thread: its whole answer within `limit` seconds, or a ReadTimeout.

    requests' timeout bounds each socket read, not the answer: a server that trickles its body
    would hold a poll (and the job) far past the gate's deadline. And a request in flight
    cannot be interrupted, so a cancelled job would wait for it; here the caller stops
    waiting (after `grace` seconds more, for an answer worth having) and raises Cancelled.
    A worker left behind is a daemon thread that ends with its connection or the process.
    """
    if cancelled is not None and cancelled():
        raise Cancelled("cancelled before a request to the Cekura API was sent")
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller, whatever it is
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=work, name="cekura-gate-request", daemon=True).start()
    end = time.monotonic() + limit
    slice_ = _WAIT_SLICE if cancelled is not None else limit
    while not done.wait(max(0.0, min(slice_, end - time.monotonic()))):
        now = time.monotonic()
        if now >= end:
            raise requests.exceptions.ReadTimeout(f"no complete answer within {limit:g} s")
        if cancelled is not None and cancelled():
            if grace > 0 and done.wait(min(grace, end - now)):
                break
            raise Cancelled("cancelled while a request to the Cekura API was in flight")
    ok, value = outcome[0]
    if ok:
        return value
    raise value
