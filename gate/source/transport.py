"""Cekura HTTP transport: one request sent, bounded in time and size, and classified.

Every failure leaves this module classified, so callers never look at HTTP details:

- TransientApiError: worth asking again (connection errors, timeouts, 408, 429, 5xx, a 200 whose
  body is not JSON or was cut short). It carries `retry_after` when the server sent Retry-After.
- AuthError (401/403), NotFoundError (404), ApiError (other 4xx, redirects, JSON that is not an
  object): asking again gives the same answer, so they are final.

The API key travels only in the X-CEKURA-API-KEY header. Redirects are never followed, so the
header cannot be replayed to another host, and every message this module builds is scrubbed of
the key in case a server or a library echoes it back.

A request's whole answer must arrive within its timeout (requests only bounds each read, so a
trickled body could hold the job past its deadline), and a request in flight is abandoned as
soon as the job is cancelled (`cancelled`), raising Cancelled: see `bounded`.

An answer is read in pieces and counted as it is decompressed: more than MAX_RESPONSE_BYTES
(a gzip body of 1 MB can inflate to 1 GB) is ResponseTooLarge, and nothing more is read. JSON
nested deeper than the decoder goes, or with an integer of more digits than Python converts,
is a PayloadError ("unreadable result"): asking again would give the same answer.

The endpoints the gate uses are in client.py.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests

from gate import __version__
from gate.errors import (
    ApiError,
    AuthError,
    GateError,
    NotFoundError,
    PayloadError,
    ResponseTooLarge,
    TransientApiError,
    UsageError,
)
from gate.source.answers import (
    CERT_FAILURE,
    MIN_REQUEST_TIMEOUT,
    address_refused,
    body_text,
    flatten_errors,
    head_of,
    is_html,
    mib,
    origin_of,
    parse_retry_after,
    read_body,
    said,
    snippet,
    status_line,
    transport_reason,
)
from gate.source.bounded import bounded

API_KEY_HEADER = "X-CEKURA-API-KEY"
#: a whole answer (headers and body) must arrive within the request's timeout plus this
TOTAL_SLACK = 0.25
#: the most an answer may hold once decompressed. A result of 10,000 runs with transcripts is
#: about 100 MB; more is a fault (or a gzip bomb), and reading it would exhaust the runner.
MAX_RESPONSE_BYTES = 256 * 2**20
# Characters that cannot go into an HTTP header value; requests would raise InvalidHeader and
# put the value (the key) in its message, so we refuse such a key before any request.
_BAD_HEADER_CHARS = re.compile(r"[\x00-\x1f\x7f]|^\s|\s$")
_E = TypeVar("_E", bound=GateError)


class Transport:
    """Requests to one Cekura API, with one key; the endpoints are CekuraClient's (client.py)."""

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
            size = read_body(response, MAX_RESPONSE_BYTES)
            if size is not None:
                raise self._fail(
                    ResponseTooLarge,
                    f"the Cekura API at {self._base_url} answered {method} {path} with "
                    f"{size}, more than the {mib(MAX_RESPONSE_BYTES)} the gate reads in one "
                    "answer (a result of 10,000 runs is about 100 MB). The gate stopped reading "
                    "it. Check --api-url points at the Cekura API; if it does, the answer is "
                    "broken at Cekura or at a proxy on the way.",
                )
            return response

        return bounded(
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
        subject: Subject,
        timeout: float,
        params: Mapping[str, Any] | None = None,
        decode: Callable[[str], Any] = json.loads,
    ) -> dict[str, Any]:
        try:
            response = self._send("GET", path, timeout=timeout, params=params)
        except requests.RequestException as exc:
            raise self._transport_error(exc, "GET", path, timeout) from exc
        self._raise_for_status(response, "GET", subject)
        return self._decode_object(response, "GET", path, decode)

    def _raise_for_status(self, response: requests.Response, method: str, subject: Subject) -> None:
        code = response.status_code
        if 200 <= code < 300:
            return
        path = urlsplit(response.url or "").path
        what = status_line(response)
        detail = self._detail(response)
        if 300 <= code < 400:
            location = response.headers.get("Location", "")
            target = urljoin(response.url or self._base_url, location) if location else ""
            # Suggest the new origin only when the redirect leaves this one (http -> https,
            # a renamed host); a path-only redirect means the URL has a stray path.
            suggestion = origin_of(target)
            if suggestion == origin_of(self._base_url):
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
                f"the Cekura API refused the API key ({what}{said(detail)}). Check "
                "CEKURA_API_KEY / the api-key input, and that the key belongs to the project "
                f"that owns {subject.name}.",
            )
        if code == 404:
            raise self._fail(
                NotFoundError,
                f"{subject.name} was not found at {self._base_url} ({what}{said(detail)}). Check "
                f"{subject.flag} and --api-url, and that the API key belongs to the project "
                f"that owns {subject.name}.",
            )
        if code in (408, 429) or 500 <= code < 600:
            raise self._fail(
                TransientApiError,
                f"the Cekura API at {self._base_url} answered {method} {path} with "
                f"{what}{said(detail)}",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        raise self._fail(
            ApiError,
            f"the Cekura API refused {method} {path} for {subject.name} ({what})"
            f"{said(detail)}. Check {subject.flag} and --api-url.",
        )

    def _decode_object(
        self,
        response: requests.Response,
        method: str,
        path: str,
        decode: Callable[[str], Any] = json.loads,
    ) -> dict[str, Any]:
        try:
            data = self._decode(response, decode)
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
                f"{len(response.content)} bytes: {snippet(head_of(response))!r}); a proxy or "
                "maintenance page, or a response cut short",
                suspect_address=is_html(response),
            ) from None
        except ValueError as exc:
            # Well-formed JSON Python will not read (an integer of thousands of digits).
            raise self._fail(
                PayloadError,
                f"the Cekura API at {self._base_url} answered {method} {path} with JSON the "
                f"gate cannot read ({snippet(str(exc))}). Asking again gives the same answer: "
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

    def _decode(self, response: requests.Response, decode: Callable[[str], Any]) -> Any:
        """The JSON body, redacted while decoding when there are secrets to look for.

        Decoded here rather than by `Response.json()`, which may use simplejson and whose
        errors differ: json.JSONDecodeError is a broken or cut-short body, another ValueError
        is JSON Python refuses (huge integers), RecursionError is JSON nested too deeply.
        `decode` raises what json.loads raises (gate.result.decode.loads for a result detail).
        """
        if not self._secrets:
            return decode(body_text(response))
        from gate.source.redact import loads

        return loads(body_text(response), self._secrets, decode)

    def _transport_error(
        self, exc: requests.RequestException, method: str, path: str, timeout: float
    ) -> GateError:
        reason = transport_reason(exc, timeout)
        if CERT_FAILURE.search(str(exc)):
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
                suspect_address=address_refused(exc),
            )
        return self._fail(
            ApiError,
            f"could not send {method} {path} to {self._base_url}: {reason}. Check --api-url.",
        )

    def _detail(self, response: requests.Response) -> str:
        """Cekura's own words from an error body: `detail`, or DRF field errors flattened."""
        try:
            return snippet(flatten_errors(json.loads(body_text(response))))
        except (ValueError, RecursionError):
            pass
        text = head_of(response).strip()
        # An HTML error page says nothing useful in one line; the status code does.
        return "" if text.startswith("<") else snippet(text)

    def _fail(self, cls: type[_E], message: str, **kwargs: Any) -> _E:
        """Build an error whose message can never carry the API key."""
        if len(self._api_key) >= 6:
            message = message.replace(self._api_key, "***")
        return cls(message, **kwargs)


@dataclass(frozen=True, slots=True)
class Subject:
    """What a request was about, for messages: 'result 123' and the flag that names it."""

    name: str
    flag: str
