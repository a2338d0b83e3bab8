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

How each answer is classified is in classify.py; the endpoints the gate uses are in client.py.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import requests

from gate import __version__
from gate.errors import (
    GateError,
    ResponseTooLarge,
    UsageError,
)
from gate.source.answers import (
    MIN_REQUEST_TIMEOUT,
    mib,
    read_body,
)
from gate.source.bounded import bounded
from gate.source.classify import Classifier, Subject

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


class Transport(Classifier):
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
