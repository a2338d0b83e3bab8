"""Cekura HTTP: start a run, read a result, end calls, list results.

Every failure leaves this module classified, so callers never look at HTTP details:

- TransientApiError: worth asking again (connection errors, timeouts, 408, 429, 5xx, a 200 whose
  body is not JSON or was cut short). It carries `retry_after` when the server sent Retry-After.
- AuthError (401/403), NotFoundError (404), ApiError (other 4xx, redirects, JSON that is not an
  object): asking again gives the same answer, so they are final.
- RunStartUncertain: starting a run failed in a way that may still have created it (and its
  billable calls). It is never retried.

The API key travels only in the X-CEKURA-API-KEY header. Redirects are never followed, so the
header cannot be replayed to another host, and every message this module builds is scrubbed of
the key in case a server or a library echoes it back.

A request's whole answer must arrive within its timeout (requests only bounds each read, so a
trickled body could hold the job past its deadline), and a request in flight is abandoned as
soon as the job is cancelled (`cancelled`), raising Cancelled: see `_bounded`.

An answer is read in pieces and counted as it is decompressed: more than MAX_RESPONSE_BYTES
(a gzip body of 1 MB can inflate to 1 GB) is ResponseTooLarge, and nothing more is read. JSON
nested deeper than the decoder goes, or with an integer of more digits than Python converts,
is a PayloadError ("unreadable result"): asking again would give the same answer.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import requests

from gate import __version__
from gate.errors import (
    ApiAddressError,
    ApiError,
    AuthError,
    Cancelled,
    GateError,
    NotFoundError,
    PayloadError,
    ResponseTooLarge,
    RunStartUncertain,
    TransientApiError,
    UsageError,
)
from gate.result.model import DASHBOARD_URL

API_KEY_HEADER = "X-CEKURA-API-KEY"
#: how many times start_run asks when the answer proves nothing was created (429, 503+Retry-After)
START_ATTEMPTS = 3
#: start_run waits this long between attempts when the server did not say (then doubles it)
START_RETRY_DELAY = 2.0
#: a longer Retry-After on start_run is not slept through: the job would look hung
START_MAX_WAIT = 60.0
#: requests rejects a timeout of 0; a poll at the deadline still gets this long to answer
MIN_REQUEST_TIMEOUT = 1.0
#: a whole answer (headers and body) must arrive within the request's timeout plus this
TOTAL_SLACK = 0.25
#: after a cancel, how long start_run still waits for the POST's answer (to learn the id)
START_CANCEL_GRACE = 0.5
#: how often a caller waiting for an answer looks at the cancel flag
_WAIT_SLICE = 0.05
_MAX_DETAIL = 300
#: the most an answer may hold once decompressed. A result of 10,000 runs with transcripts is
#: about 100 MB; more is a fault (or a gzip bomb), and reading it would exhaust the runner.
MAX_RESPONSE_BYTES = 256 * 2**20
#: decompressed bytes read at a time (urllib3 inflates no more than this per read)
_READ_CHUNK = 64 * 1024
#: error bodies are flattened to this depth at most (DRF nests field errors two or three deep)
_MAX_ERROR_DEPTH = 20
_CERT_FAILURE = re.compile(r"certificate verify failed|CERTIFICATE_VERIFY_FAILED", re.IGNORECASE)
# Characters that cannot go into an HTTP header value; requests would raise InvalidHeader and
# put the value (the key) in its message, so we refuse such a key before any request.
_BAD_HEADER_CHARS = re.compile(r"[\x00-\x1f\x7f]|^\s|\s$")

_E = TypeVar("_E", bound=GateError)


class CekuraClient:
    """A thin, classified client for the parts of the Cekura API the gate uses."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        session: requests.Session | None = None,
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cancelled: Callable[[], bool] | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        """`secrets` are replaced by *** in every JSON answer, as it is decoded
        (gate.source.redact)."""
        if api_key and (_BAD_HEADER_CHARS.search(api_key) or not api_key.isascii()):
            raise UsageError(
                "CEKURA_API_KEY contains spaces, line breaks or non-ASCII characters that cannot "
                "be sent in an HTTP header. Copy the key from the Cekura dashboard again."
            )
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._session = session or requests.Session()
        self._user_agent = user_agent or f"cekura-gate/{__version__}"
        self._sleep = sleep
        self._cancelled = cancelled
        self._secrets = tuple(secrets)

    def __repr__(self) -> str:
        # The key is deliberately absent: reprs end up in logs and tracebacks.
        return f"CekuraClient(base_url={self._base_url!r})"

    @property
    def base_url(self) -> str:
        return self._base_url

    # -- public API ------------------------------------------------------------------------

    def get_result(self, result_id: str | int, *, timeout: float) -> dict[str, Any]:
        """The result detail (GET /test_framework/v2/results/{id}/)."""
        subject = _Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v2/results/{_segment(result_id)}/"
        return self._get_object(path, subject=subject, timeout=timeout)

    def list_results(
        self, *, agent_id: int | str, page: int, page_size: int, timeout: float
    ) -> dict[str, Any]:
        """One DRF page {count, next, previous, results} of an agent's results, newest first."""
        subject = _Subject(f"the results of agent {agent_id}", "--agent-id")
        params = {"agent_id": int(agent_id), "page": page, "page_size": page_size}
        return self._get_object(
            "/test_framework/v2/results/", subject=subject, timeout=timeout, params=params
        )

    def end_calls(self, result_id: str | int, *, timeout: float) -> None:
        """Ask Cekura to hang up a result's calls. Best effort: raises ApiError, callers decide."""
        subject = _Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v1/results/{_segment(result_id)}/end_calls/"
        try:
            # Called on the way out of a cancelled job: it must not itself be cancelled.
            response = self._send("POST", path, timeout=timeout, cancellable=False)
        except requests.RequestException as exc:
            raise self._transport_error(exc, "POST", path, timeout) from exc
        self._raise_for_status(response, "POST", subject)

    def start_run(
        self,
        *,
        agent_id: int | str,
        scenarios: tuple[int, ...],
        tags: tuple[str, ...],
        frequency: int,
        run_as_text: bool,
        timeout: float,
    ) -> dict[str, Any]:
        """Start a run; returns the new result (its `id` is the result id).

        The POST creates billable calls, so it is repeated only when the answer proves that
        nothing was created: 429, or 503 with Retry-After. Anything that leaves the outcome
        unknown (no answer, a timeout, another 5xx, a 2xx without an id) raises
        RunStartUncertain instead of risking every call being placed twice.
        """
        if bool(scenarios) == bool(tags):
            raise ValueError("start_run needs exactly one of scenarios or tags")
        agent = int(agent_id)
        body: dict[str, Any] = {"agent_id": agent}
        if scenarios:
            body["scenarios"] = [int(s) for s in scenarios]
        else:
            body["tags"] = list(tags)
        body["frequency"] = int(frequency)
        kind = "run_scenarios_text" if run_as_text else "run_scenarios"
        path = f"/test_framework/v1/scenarios/{kind}/"
        subject = _Subject(f"agent {agent}", "--agent-id")

        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                response = self._send(
                    "POST", path, timeout=timeout, body=body, cancel_grace=START_CANCEL_GRACE
                )
            except ResponseTooLarge as exc:
                raise self._uncertain(agent, exc.message) from exc
            except requests.RequestException as exc:
                if _address_refused(exc):
                    # Nothing listens there or the name does not resolve: the POST never left.
                    raise self._fail(
                        ApiAddressError,
                        f"could not start the run: the Cekura API at {self._base_url} "
                        f"cannot be reached ({_transport_reason(exc, timeout)}); no run was "
                        "created. Check --api-url (CEKURA_API_URL, the api-url input).",
                    ) from exc
                if _nothing_sent(exc):
                    raise self._transport_error(exc, "POST", path, timeout) from exc
                raise self._uncertain(agent, _transport_reason(exc, timeout)) from exc
            code = response.status_code
            refused = code == 429 or (code == 503 and "Retry-After" in response.headers)
            if refused:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if wait is None:
                    wait = START_RETRY_DELAY * 2 ** (attempt - 1)
                if attempt < START_ATTEMPTS and wait <= START_MAX_WAIT:
                    self._sleep(wait)
                    continue
                asked = f" (it asked to wait {wait:g} s)" if wait > START_MAX_WAIT else ""
                raise self._fail(
                    TransientApiError,
                    f"the Cekura API at {self._base_url} refused to start the run "
                    f"({_status(response)}{_said(self._detail(response))}) after {attempt} "
                    f"attempt(s){asked}; no run was created. Re-run the job later.",
                    retry_after=wait,
                )
            if 500 <= code < 600 or code == 408:
                reason = _status(response) + _said(self._detail(response))
                raise self._uncertain(agent, f"the API answered {reason}")
            if code == 400:
                raise self._fail(
                    ApiError,
                    f"Cekura refused to start the run (HTTP 400){_said(self._detail(response))}. "
                    "Check --agent-id, --scenarios/--tags and --frequency.",
                )
            self._raise_for_status(response, "POST", subject)
            try:
                result = self._decode_object(response, "POST", path)
            except ApiError as exc:
                # A 2xx means Cekura accepted the request: the run probably exists.
                raise self._uncertain(agent, exc.message) from exc
            run_id = result.get("id")
            if not _integer_like(run_id):
                raise self._uncertain(
                    agent,
                    f"the API answered HTTP {code} without a result id (id={run_id!r})",
                )
            return result
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    # -- plumbing --------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: float,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        cancellable: bool = True,
        cancel_grace: float = 0.0,
    ) -> requests.Response:
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        if self._api_key:
            headers[API_KEY_HEADER] = self._api_key
        limit = max(MIN_REQUEST_TIMEOUT, timeout)

        def call() -> requests.Response:
            response = self._session.request(
                method,
                self._base_url + path,
                headers=headers,
                params=params,
                json=body,
                # One number: requests uses it for connect and for each read...
                timeout=limit,
                # Following a redirect would replay the key header to wherever Location points.
                allow_redirects=False,
                # The body is read here, piece by piece, so its size can be capped.
                stream=True,
            )
            size = _read_body(response, MAX_RESPONSE_BYTES)
            if size is not None:
                raise self._fail(
                    ResponseTooLarge,
                    f"the Cekura API at {self._base_url} answered {method} {path} with "
                    f"{size}, more than the {_mib(MAX_RESPONSE_BYTES)} the gate reads in one "
                    "answer (a result of 10,000 runs is about 100 MB). The gate stopped reading "
                    "it. Check --api-url points at the Cekura API; if it does, the answer is "
                    "broken at Cekura or at a proxy on the way.",
                )
            return response

        return _bounded(
            call,
            # ...so a body trickled a byte at a time is bounded here, as a whole.
            limit=limit + TOTAL_SLACK,
            cancelled=self._cancelled if cancellable else None,
            grace=cancel_grace,
        )

    def _get_object(
        self,
        path: str,
        *,
        subject: _Subject,
        timeout: float,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            response = self._send("GET", path, timeout=timeout, params=params)
        except requests.RequestException as exc:
            raise self._transport_error(exc, "GET", path, timeout) from exc
        self._raise_for_status(response, "GET", subject)
        return self._decode_object(response, "GET", path)

    def _raise_for_status(
        self, response: requests.Response, method: str, subject: _Subject
    ) -> None:
        code = response.status_code
        if 200 <= code < 300:
            return
        path = urlsplit(response.url or "").path
        what = _status(response)
        detail = self._detail(response)
        if 300 <= code < 400:
            location = response.headers.get("Location", "")
            target = urljoin(response.url or self._base_url, location) if location else ""
            # Suggest the new origin only when the redirect leaves this one (http -> https,
            # a renamed host); a path-only redirect means the URL has a stray path.
            suggestion = _origin(target)
            if suggestion == _origin(self._base_url):
                suggestion = ""
            raise self._fail(
                ApiError,
                f"the Cekura API at {self._base_url} answered {method} {path} with a redirect "
                f"({what}) to {target or 'an unnamed location'}. The gate does not follow "
                "redirects, so the API key is never sent to another address: set --api-url "
                f"(CEKURA_API_URL) to the final address"
                + (f", probably {suggestion}." if suggestion else "."),
            )
        if code in (401, 403):
            raise self._fail(
                AuthError,
                f"the Cekura API refused the API key ({what}{_said(detail)}). Check "
                "CEKURA_API_KEY / the api-key input, and that the key belongs to the project "
                f"that owns {subject.name}.",
            )
        if code == 404:
            raise self._fail(
                NotFoundError,
                f"{subject.name} was not found at {self._base_url} ({what}{_said(detail)}). Check "
                f"{subject.flag} and --api-url, and that the API key belongs to the project "
                f"that owns {subject.name}.",
            )
        if code in (408, 429) or 500 <= code < 600:
            raise self._fail(
                TransientApiError,
                f"the Cekura API at {self._base_url} answered {method} {path} with "
                f"{what}{_said(detail)}",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        raise self._fail(
            ApiError,
            f"the Cekura API refused {method} {path} for {subject.name} ({what})"
            f"{_said(detail)}. Check {subject.flag} and --api-url.",
        )

    def _decode_object(self, response: requests.Response, method: str, path: str) -> dict[str, Any]:
        try:
            data = self._decode(response)
        except RecursionError:
            raise self._fail(
                PayloadError,
                f"the Cekura API at {self._base_url} answered {method} {path} with JSON nested "
                "more deeply than the gate reads (about 1,000 levels; a Cekura result is about "
                "10 deep). Asking again gives the same answer: check --api-url points at the "
                "Cekura API; if it does, the answer is broken at Cekura or at a proxy.",
            ) from None
        except json.JSONDecodeError:
            # An HTML page from a proxy or load balancer, or JSON cut short: both pass.
            content_type = response.headers.get("Content-Type") or "no Content-Type"
            raise self._fail(
                TransientApiError,
                f"the Cekura API at {self._base_url} answered {method} {path} with HTTP "
                f"{response.status_code} but the body is not valid JSON ({content_type}, "
                f"{len(response.content)} bytes: {_snippet(_head(response))!r}); a proxy or "
                "maintenance page, or a response cut short",
                suspect_address=_is_html(response),
            ) from None
        except ValueError as exc:
            # Well-formed JSON Python will not read (an integer of thousands of digits).
            raise self._fail(
                PayloadError,
                f"the Cekura API at {self._base_url} answered {method} {path} with JSON the "
                f"gate cannot read ({_snippet(str(exc))}). Asking again gives the same answer: "
                "check --api-url points at the Cekura API.",
            ) from None
        if not isinstance(data, dict):
            # Well-formed JSON of the wrong shape will not fix itself on the next attempt.
            raise self._fail(
                ApiError,
                f"unexpected response from the Cekura API: {method} {path} returned a JSON "
                f"{type(data).__name__} where an object was expected. Check --api-url points "
                f"at the Cekura API (now {self._base_url}).",
            )
        return data

    def _decode(self, response: requests.Response) -> Any:
        """The JSON body, redacted while decoding when there are secrets to look for.

        Decoded here rather than by `Response.json()`, which may use simplejson and whose
        errors differ: json.JSONDecodeError is a broken or cut-short body, another ValueError
        is JSON Python refuses (huge integers), RecursionError is JSON nested too deeply.
        """
        if not self._secrets:
            return json.loads(_body_text(response))
        from gate.source.redact import loads

        return loads(_body_text(response), self._secrets)

    def _transport_error(
        self, exc: requests.RequestException, method: str, path: str, timeout: float
    ) -> GateError:
        reason = _transport_reason(exc, timeout)
        if _CERT_FAILURE.search(str(exc)):
            # A bad certificate does not fix itself in the next minutes: do not spin on it.
            return self._fail(
                ApiError,
                f"could not verify the TLS certificate of {self._base_url} ({reason}). Behind an "
                "intercepting proxy, point REQUESTS_CA_BUNDLE at its CA certificate.",
            )
        if isinstance(
            exc,
            requests.ConnectionError
            | requests.Timeout
            | requests.exceptions.ChunkedEncodingError
            | requests.exceptions.ContentDecodingError,
        ):
            return self._fail(
                TransientApiError,
                f"could not get an answer from the Cekura API at {self._base_url} "
                f"({method} {path}): {reason}",
                suspect_address=_address_refused(exc),
            )
        return self._fail(
            ApiError,
            f"could not send {method} {path} to {self._base_url}: {reason}. Check --api-url.",
        )

    def _uncertain(self, agent: int, reason: str) -> RunStartUncertain:
        return self._fail(
            RunStartUncertain,
            f"starting the run for agent {agent} may or may not have worked ({reason}). A run "
            "(and its billable calls) may have been created: look at the agent's results in the "
            f"Cekura dashboard ({DASHBOARD_URL}) before re-running, and gate an existing result "
            "with --result-id N instead of starting another.",
        )

    def _detail(self, response: requests.Response) -> str:
        """Cekura's own words from an error body: `detail`, or DRF field errors flattened."""
        try:
            return _snippet(_flatten_errors(json.loads(_body_text(response))))
        except (ValueError, RecursionError):
            pass
        text = _head(response).strip()
        # An HTML error page says nothing useful in one line; the status code does.
        return "" if text.startswith("<") else _snippet(text)

    def _fail(self, cls: type[_E], message: str, **kwargs: Any) -> _E:
        """Build an error whose message can never carry the API key."""
        if len(self._api_key) >= 6:
            message = message.replace(self._api_key, "***")
        return cls(message, **kwargs)


# -- helpers -----------------------------------------------------------------------------


def _bounded(
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


@dataclass(frozen=True, slots=True)
class _Subject:
    """What a request was about, for messages: 'result 123' and the flag that names it."""

    name: str
    flag: str


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delay-seconds or an HTTP date; None when absent/unreadable.

    A date in the past means "now" (0). Fractions are tolerated although RFC 9110 says integer.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive; HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, delta)


def _flatten_errors(data: Any, depth: int = 0) -> str:
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
            text = _flatten_errors(value, depth + 1)
            if key in ("detail", "non_field_errors", "message", "error"):
                parts.append(text)
            else:
                parts.append(f"{key}: {text}" if text else str(key))
        return "; ".join(p for p in parts if p)
    if isinstance(data, list):
        return "; ".join(t for t in (_flatten_errors(v, depth + 1) for v in data) if t)
    return "" if data is None else str(data)


def _snippet(text: str) -> str:
    """One line, at most _MAX_DETAIL characters: API text goes into logs and annotations."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_DETAIL else flat[: _MAX_DETAIL - 1] + "…"


def _status(response: requests.Response) -> str:
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def _said(detail: str) -> str:
    # Cekura's sentences end with a period; ours continue after them.
    detail = detail.rstrip(". ")
    return f": {detail}" if detail else ""


def _transport_reason(exc: requests.RequestException, timeout: float) -> str:
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
    return _snippet(text)


# What the socket layer says when nothing listens at the address or the name does not
# resolve (Linux, macOS and Windows wordings): the text is all that survives some wrappings.
_ADDRESS_REFUSED = re.compile(
    r"Connection refused|actively refused|Name or service not known|nodename nor servname|"
    r"getaddrinfo failed|No address associated with hostname|Failed to resolve|"
    r"Temporary failure in name resolution",
    re.IGNORECASE,
)


def _address_refused(exc: BaseException) -> bool:
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


def _is_html(response: requests.Response) -> bool:
    """An HTML page where JSON belongs: a web site, a login or parking page, not the API."""
    content_type = (response.headers.get("Content-Type") or "").lower()
    return "html" in content_type or response.text.lstrip()[:1] == "<"


def _nothing_sent(exc: requests.RequestException) -> bool:
    """True when the request provably never left (bad URL/header, TLS handshake refused)."""
    if _CERT_FAILURE.search(str(exc)):
        return True
    return not isinstance(
        exc,
        requests.ConnectionError
        | requests.Timeout
        | requests.exceptions.ChunkedEncodingError
        | requests.exceptions.ContentDecodingError,
    )


def _integer_like(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def _segment(value: str | int) -> str:
    # An id never contains '/', but quoting keeps a bad one from reaching another endpoint.
    return quote(str(value).strip(), safe="")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _body_text(response: requests.Response) -> str:
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


def _read_body(response: requests.Response, limit: int) -> str | None:
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
            return f"a body of over {_mib(limit)}{coded}"
    response._content = bytes(body)  # what Response.content returns from now on
    return None


def _mib(size: int) -> str:
    return f"{size // 2**20} MiB" if size % 2**20 == 0 else f"{size:,} bytes"


def _head(response: requests.Response) -> str:
    """The start of the body as text, for a message (a whole 256 MiB page would be slow)."""
    head = response.content[:4096]
    try:
        return head.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return head.decode("utf-8", errors="replace")
