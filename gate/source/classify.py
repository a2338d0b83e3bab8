"""An answer classified: every HTTP status, body and transport failure the Cekura API can
produce, turned into one of the gate's errors (see transport.py for which is which), with a
message that names the address, the request and the fix, and never the API key."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests

from gate.errors import (
    ApiError,
    AuthError,
    GateError,
    NotFoundError,
    PayloadError,
    TransientApiError,
)
from gate.source.answers import (
    CERT_FAILURE,
    address_refused,
    body_text,
    flatten_errors,
    head_of,
    is_html,
    origin_of,
    said,
    snippet,
    status_line,
    transport_reason,
)
from gate.source.retry import parse_retry_after

_E = TypeVar("_E", bound=GateError)


class Classifier:
    """Turns answers from one API address into the gate's errors; Transport sends the requests."""

    _base_url: str
    _api_key: str
    _secrets: tuple[str, ...]

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
