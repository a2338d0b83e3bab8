"""Every expected failure is a GateError that carries its exit code.

The CLI turns these into a message and an exit code; nothing else in the package exits.
Messages say what happened, the value involved, and how to fix it.
"""

from __future__ import annotations

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_CANNOT_EVALUATE = 3


class GateError(Exception):
    """Base class: an expected failure with a user-facing message."""

    exit_code = EXIT_CANNOT_EVALUATE
    #: a short, stable label used in reports and the troubleshooting table
    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GateError):
    """A bad flag, a missing or conflicting setting."""

    exit_code = EXIT_USAGE
    kind = "usage error"


class ConfigError(GateError):
    """The config file is missing, unreadable or invalid."""

    exit_code = EXIT_USAGE
    kind = "config error"

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class CannotEvaluate(GateError):
    """The gate could not reach a verdict (exit 3)."""

    kind = "could not evaluate"


class PayloadError(CannotEvaluate):
    """The result payload cannot be read."""

    kind = "unreadable result"


class ApiError(CannotEvaluate):
    """The Cekura API refused or failed a request permanently."""

    kind = "API error"


class ResponseTooLarge(ApiError):
    """An answer bigger than the gate reads (gate.source.transport.MAX_RESPONSE_BYTES, once
    decompressed)."""

    kind = "response too large"


class WrongResult(CannotEvaluate):
    """The API answered for another result than the one asked for (a proxy, cache or API bug)."""

    kind = "wrong result"


class AuthError(ApiError):
    kind = "API key refused"


class NotFoundError(ApiError):
    kind = "result not found"


class TransientApiError(ApiError):
    """A failure worth retrying (connection error, 408, 429, 5xx, non-JSON 200).

    `retry_after` is the server's requested wait in seconds, when it sent one.
    """

    kind = "API unreachable"

    def __init__(
        self, message: str, *, retry_after: float | None = None, suspect_address: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        #: the failure says the address is wrong rather than busy: connection refused, a
        #: name that does not resolve, an HTML page where JSON belongs (gate/source/wait.py gives
        #: these a short grace, not the whole timeout)
        self.suspect_address = suspect_address


class WaitEnded:
    """Mixed into the errors that end the wait for a result: what the last successful poll
    showed (its status and progress), for the report. Not an error of its own kind."""

    def __init__(self, message: str, *, last_status: str = "", last_progress: object = None):
        super().__init__(message)
        self.last_status = last_status
        self.last_progress = last_progress


class ApiAddressError(WaitEnded, ApiError):
    """The API's address kept failing in a way an outage does not (refused, no such name,
    HTML instead of JSON) for longer than the grace: the wait ends early."""

    kind = "API unreachable"


class RunStartUncertain(ApiError):
    """Starting a run failed in a way that may still have created it: never retried."""

    kind = "run start uncertain"


class WaitTimeout(WaitEnded, CannotEvaluate):
    """The deadline passed before the result reached a terminal status."""

    kind = "timed out waiting"


class Cancelled(WaitEnded, CannotEvaluate):
    """The job was cancelled (SIGINT/SIGTERM) while the gate was waiting."""

    kind = "cancelled"
