"""A cancelled job: SIGINT/SIGTERM while the gate waits -> a short report and exit 3, fast.

GitHub cancels a job by sending SIGINT, then SIGTERM 7.5 s later, then killing it; other CI
systems send SIGTERM. The first signal only flips a flag (`Cancellation()` reads it): the wait
loop notices it within a sleep slice, and the client gives up on a request in flight (see
`gate.source.bounded`), so nothing is interrupted halfway through writing a file. Then
`finish_cancelled` asks Cekura to end the calls of a run the gate started itself (nobody will
read them, and they are billed), and the normal publish path writes the summary and outputs
with `verdict=error`. A second signal means "now": the process exits at once.

Handlers are installed only in the main thread (Python allows no other) and the previous
handlers are put back on the way out, so an embedding program or a test keeps its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from gate.errors import EXIT_CANNOT_EVALUATE, Cancelled, GateError
from gate.result.model import DASHBOARD_URL

SIGNALS = ("SIGINT", "SIGTERM")
#: the end_calls request on the way out: the whole cancel path must fit in about 2 s
END_CALLS_TIMEOUT = 1.0


class Cancellation:
    """A cancel flag, set by a signal or by `external()` (tests, embedding programs)."""

    def __init__(
        self,
        external: Callable[[], bool] | None = None,
        *,
        hard_exit: Callable[[int], Any] = os._exit,
    ) -> None:
        self._event = threading.Event()
        self._external = external
        self._hard_exit = hard_exit
        self._started = time.monotonic()
        #: what cancelled the run: "SIGINT", "SIGTERM", or "cancelled" (external)
        self.reason = ""
        self.elapsed = 0.0

    def __call__(self) -> bool:
        if not self._event.is_set() and self._external is not None and self._external():
            self.cancel("cancelled")
        return self._event.is_set()

    def cancel(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self.elapsed = time.monotonic() - self._started
            self._event.set()

    @contextlib.contextmanager
    def signal_handlers(self) -> Iterator[None]:
        """Route SIGINT/SIGTERM here while the block runs (main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous: dict[int, Any] = {}
        for name in SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            with contextlib.suppress(ValueError, OSError):
                previous[number] = signal.signal(number, self._on_signal)
        try:
            yield
        finally:
            for number, handler in previous.items():
                with contextlib.suppress(ValueError, OSError, TypeError):
                    signal.signal(number, handler)

    def _on_signal(self, number: int, _frame: object) -> None:
        name = signal.Signals(number).name
        if self._event.is_set():
            # The second signal: whoever sent it will not wait for a tidy report.
            with contextlib.suppress(OSError):
                os.write(2, f"cekura-gate: {name} again: exiting now\n".encode())
            self._hard_exit(EXIT_CANNOT_EVALUATE)
            return
        with contextlib.suppress(OSError):
            os.write(
                2, f"cekura-gate: {name} received: stopping (a second one exits at once)\n".encode()
            )
        self.cancel(name)


def finish_cancelled(
    exc: Cancelled,
    *,
    cancel: Cancellation,
    starts_run: bool,
    end_calls_on_cancel: bool,
    result_id: str,
    progress: Any,
    end_calls: Callable[[str], None] | None,
    warn: Callable[[str], None],
) -> Cancelled:
    """End the calls of a run this gate started (when asked to), and say what happened.

    `progress` is the wait loop's last `wait.Progress` (or None before the first poll);
    `end_calls(result_id)` raises GateError on failure, which becomes a warning: the
    verdict is "error" either way.
    """
    how = f" ({cancel.reason})" if cancel.reason in SIGNALS else ""
    status = getattr(progress, "status", "") or getattr(exc, "last_status", "") or ""
    if starts_run and not result_id:
        message = (
            f"the job was cancelled{how} while the gate was starting the run. A run (and its "
            f"billable calls) may have been created: look at the agent's results in the Cekura "
            f"dashboard ({DASHBOARD_URL}) and end it there if nobody needs it."
        )
        return Cancelled(message, last_status=status)
    what = f"result {result_id}" if result_id else "the result"
    message = f"the job was cancelled{how} while waiting for {what}"
    if cancel.elapsed >= 1:
        from gate.source.wait import format_duration

        message += f", after {format_duration(cancel.elapsed)}"
    if progress is None or not getattr(progress, "attempt", 0):
        message += " (before the first answer from the Cekura API)."
    else:
        message += f"; its last status was {progress.status_text}"
        message += f" ({progress.runs_text})." if progress.runs_text else "."
    if not starts_run:
        message += (
            f" The gate did not start this result, so its calls were left running; see "
            f"{DASHBOARD_URL}."
        )
    elif not end_calls_on_cancel:
        message += (
            " end-calls-on-cancel is false, so its calls were left running: end them in the "
            f"Cekura dashboard ({DASHBOARD_URL}) if nobody needs them."
        )
    elif end_calls is not None:
        try:
            end_calls(result_id)
        except GateError as problem:
            warn(f"could not end the calls of {what} after the cancel: {problem.message}")
            message += (
                f" The gate could not end its calls ({problem.kind}): end them in the Cekura "
                f"dashboard ({DASHBOARD_URL})."
            )
        else:
            message += " The gate asked Cekura to end its calls, so no more are placed."
    return Cancelled(message, last_status=status)
