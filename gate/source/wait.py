"""The one wait loop: poll a result until its status is terminal, within one deadline.

Time is injected (clock, sleep, rng) so the schedule is testable without sleeping, and the
schedule itself lives in small pure functions (schedule.py: `next_delay`, `error_backoff`,
`request_timeout`) that tests pin directly.

Rules, in the order they matter:
- Never sleep past the deadline: the last sleep is clipped so the final poll happens at the
  deadline, and then the loop stops. The only overrun is that final request's own timeout.
- Transient errors back off exponentially with full jitter, reset after a success; a server's
  Retry-After replaces the backoff but is clipped to the deadline like everything else.
- Anything that is not a TransientApiError (auth, not found, a bug) propagates at once.
- Any status outside TERMINAL_STATUSES, including unknown ones and none at all, means wait:
  Cekura has added statuses before, and the deadline bounds the wait anyway.
- An address that does not look like an API at all (connection refused, a name that does not
  resolve, an HTML page where JSON belongs: `TransientApiError.suspect_address`) is given
  UNREACHABLE_GRACE, not the whole timeout: a wrong api-url does not fix itself, and a
  30-minute wait on it teaches nobody anything. 5xx, 429 and timeouts keep full patience.
- While nothing changes, a heartbeat reports at most every HEARTBEAT_INTERVAL, so a long
  wait never looks hung.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from gate.errors import ApiAddressError, Cancelled, TransientApiError, WaitEnded, WaitTimeout
from gate.result.model import DASHBOARD_URL
from gate.result.scalars import read_count
from gate.result.status import TERMINAL_STATUSES
from gate.source.schedule import next_delay, request_timeout

#: with a `cancelled` check, sleep in slices this long so a cancel is noticed promptly
CANCEL_SLICE = 0.2
#: while the status and run counts stay the same, one heartbeat line at most this often
HEARTBEAT_INTERVAL = 60.0
#: how long an address may keep refusing connections, failing to resolve or answering HTML
#: before the wait ends early (exit 3) instead of running out the whole timeout
UNREACHABLE_GRACE = 120.0
# Float slack when comparing against the deadline, so a sleep clipped to exactly the time
# left does not leave 1e-15 s that would buy one more poll.
_EPSILON = 1e-6

Fetch = Callable[[float], dict[str, Any]]
_Stop = TypeVar("_Stop", bound=WaitEnded)


@dataclass(frozen=True, slots=True)
class Progress:
    """What the last poll showed; `error` is the last transient failure ("" after a success)."""

    status: str
    completed_runs: int | None
    total_runs: int | None
    elapsed: float
    attempt: int
    error: str = ""

    @property
    def runs_text(self) -> str:
        """'7 of 10 runs completed', or "" when the result reports no counts."""
        if self.total_runs is not None:
            return f"{self.completed_runs or 0} of {self.total_runs} runs completed"
        if self.completed_runs is not None:
            return f"{self.completed_runs} runs completed"
        return ""

    @property
    def status_text(self) -> str:
        return f"'{self.status}'" if self.status else "without a status"


#: Chooses the wait after a successful, non-terminal poll. The default is the fixed interval;
#: an adaptive one (denser near the expected end, never below 2 s) plugs in here.
NextInterval = Callable[[Progress], float]


def wait_for_result(
    *,
    fetch: Fetch,
    timeout: float,
    interval: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    next_interval: NextInterval | None = None,
    min_interval: float = 0.0,
    label: str = "the result",
    on_heartbeat: Callable[[Progress, float], None] | None = None,
    heartbeat: float | None = None,
    unreachable_grace: float | None = None,
    debug: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Poll `fetch(request_timeout)` until the result's status is terminal; return that payload.

    Raises WaitTimeout at the deadline and Cancelled when `cancelled()` turns true; both carry
    `last_status` and `last_progress`. `label` names the result in messages ("result 123").
    `min_interval` is the shortest wait between two requests, after an error too (a longer
    Retry-After still wins; only the deadline cuts it shorter).

    `on_heartbeat(progress, seconds_left)` is called when nothing has been reported for
    `heartbeat` seconds (default HEARTBEAT_INTERVAL). Failures that say the address is wrong
    raise ApiAddressError once they have lasted `unreachable_grace` (default
    UNREACHABLE_GRACE). `debug` receives a line per poll.
    """
    heartbeat = HEARTBEAT_INTERVAL if heartbeat is None else heartbeat
    grace = UNREACHABLE_GRACE if unreachable_grace is None else unreachable_grace
    rng = rng or random.Random()
    base = interval if interval > 0 else 1.0
    start = clock()
    deadline = start + max(0.0, timeout)
    status = ""
    completed: int | None = None
    total: int | None = None
    seen = False  # at least one successful poll
    errors = 0  # consecutive transient failures
    last_exc: TransientApiError | None = None
    reported: tuple[object, ...] | None = None
    reported_at = start
    suspect_since: float | None = None  # when the address started to look wrong
    progress = Progress(status="", completed_runs=None, total_runs=None, elapsed=0.0, attempt=0)

    def check_cancelled() -> None:
        if cancelled is not None and cancelled():
            raise _stopped(Cancelled, _cancel_message(label, clock() - start, progress), progress)

    attempt = 0
    while True:
        check_cancelled()
        attempt += 1
        try:
            raw = fetch(request_timeout(deadline - clock()))
        except TransientApiError as exc:
            errors += 1
            last_exc = exc
            if not exc.suspect_address:
                suspect_since = None
            elif suspect_since is None:
                suspect_since = clock()
        else:
            errors = 0
            last_exc = None
            suspect_since = None
            seen = True
            status, completed, total = _read(raw)
        progress = Progress(
            status=status,
            completed_runs=completed,
            total_runs=total,
            elapsed=clock() - start,
            attempt=attempt,
            error=last_exc.message if last_exc else "",
        )
        if debug is not None:
            what = f"failed: {progress.error}" if last_exc else f"status {progress.status_text}"
            debug(f"poll {attempt} of {label} at {progress.elapsed:.1f}s: {what}")
        changed = (status, completed, total, progress.error)
        now = clock()
        if changed != reported:
            reported, reported_at = changed, now
            if on_progress is not None:
                on_progress(progress)
        elif on_heartbeat is not None and now - reported_at >= heartbeat - _EPSILON:
            reported_at = now
            on_heartbeat(progress, max(0.0, deadline - now))
        if last_exc is None and status in TERMINAL_STATUSES:
            return raw

        if suspect_since is not None and now - suspect_since >= grace - _EPSILON:
            message = _unreachable_message(label, now - suspect_since, progress)
            raise _stopped(ApiAddressError, message, progress) from last_exc
        remaining = deadline - clock()
        if remaining <= _EPSILON:
            message = _timeout_message(label, timeout, progress, seen=seen)
            raise _stopped(WaitTimeout, message, progress) from last_exc
        normal = base
        if last_exc is None and next_interval is not None:
            chosen = next_interval(progress)
            # A strategy bug must not turn the loop into a busy poll.
            normal = chosen if math.isfinite(chosen) and chosen > 0 else base
        delay = next_delay(
            interval=normal,
            consecutive_errors=errors,
            retry_after=last_exc.retry_after if last_exc else None,
            remaining=remaining,
            rng=rng,
            base=base,
        )
        delay = max(delay, min(min_interval, remaining))
        if suspect_since is not None:
            # The last attempt comes when the grace ends, not a backoff later.
            delay = max(0.0, min(delay, suspect_since + grace - clock()))
        if debug is not None:
            debug(f"next poll of {label} in {delay:.1f}s ({remaining:.0f}s left)")
        _sleep(delay, sleep=sleep, check=check_cancelled if cancelled else None)


# -- helpers -----------------------------------------------------------------------------


def _sleep(
    delay: float, *, sleep: Callable[[float], None], check: Callable[[], None] | None
) -> None:
    """Sleep `delay` seconds; with `check` (which raises Cancelled), in slices of CANCEL_SLICE."""
    if delay <= 0:
        return
    if check is None:
        sleep(delay)
        return
    # Count down what was asked rather than reading the clock, so a clock that does not
    # move (or moves oddly) can never make this loop spin.
    left = delay
    while left > _EPSILON:
        check()
        step = min(CANCEL_SLICE, left)
        sleep(step)
        left -= step


def _read(raw: Any) -> tuple[str, int | None, int | None]:
    """Status and run counts, leniently: the poll must never fail on a half-built result."""
    if not isinstance(raw, Mapping):
        return "", None, None
    value = raw.get("status")
    status = "" if value is None else str(value).strip().lower()
    return (
        status,
        read_count(raw.get("completed_runs_count")),
        read_count(raw.get("total_runs_count")),
    )


def _stopped(cls: type[_Stop], message: str, progress: Progress) -> _Stop:
    return cls(message, last_status=progress.status, last_progress=progress)


def _timeout_message(label: str, timeout: float, progress: Progress, *, seen: bool) -> str:
    limit = format_duration(timeout)
    fix = (
        f"Raise --timeout (now {limit}) or check the result in the Cekura dashboard "
        f"({DASHBOARD_URL})."
    )
    if not seen:
        return (
            f"no answer about {label} from the Cekura API within {limit}; the last attempt "
            f"failed: {progress.error}. Check --api-url and the network, then {fix[0].lower()}"
            f"{fix[1:]}"
        )
    text = f"{label} is still {progress.status_text} after {limit}"
    if progress.runs_text:
        text += f": {progress.runs_text}"
    if progress.error:
        text += f" (the last poll failed: {progress.error})"
    return f"{text}. {fix}"


def _unreachable_message(label: str, lasted: float, progress: Progress) -> str:
    return (
        f"stopped waiting for {label} after {format_duration(lasted)} of answers that do not "
        f"come from an API: {progress.error}. This is not an outage that passes; check the "
        "api-url input (CEKURA_API_URL, --api-url): it must be the Cekura API's address, "
        "such as https://api.cekura.ai, reachable from this runner."
    )


def _cancel_message(label: str, elapsed: float, progress: Progress) -> str:
    text = f"cancelled while waiting for {label} after {format_duration(elapsed)}"
    if progress.attempt == 0:
        return text + " (before the first poll)."
    if progress.status:
        text += f"; its last status was {progress.status_text}"
    if progress.runs_text:
        text += f" ({progress.runs_text})"
    return text + f". The result may still be running: see {DASHBOARD_URL}."


def format_duration(seconds: float) -> str:
    """1800 -> '30m', 5400 -> '1h30m', 90 -> '1m30s', 2.5 -> '2.5s'."""
    if seconds < 60:
        return f"{round(max(seconds, 0.0), 1):g}s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(hours, "h"), (minutes, "m"), (secs, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n)
