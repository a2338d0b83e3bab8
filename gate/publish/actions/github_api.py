"""The GitHub REST API as the pull-request comment uses it: who the token is, the comments
carrying the gate's marker (every page), and requests retried only on GitHub's rate limits.

The token travels only in the Authorization header and only to the API host (a Link header
pointing elsewhere is refused); errors name the status and GitHub's message, never a header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from gate import __version__
from gate.source.retry import Backoff, GaveUp, RetryLater, parse_retry_after, retry

_MAX_TRIES = 3
_MAX_WAIT = 60.0  # a comment is not worth holding a CI job longer for
_MAX_PAGES = 100  # 10,000 comments: far beyond any real pull request


class GitHubError(Exception):
    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def html_url(payload: Any) -> str:
    url = payload.get("html_url") if isinstance(payload, dict) else None
    return url if isinstance(url, str) else ""


@dataclass(frozen=True, slots=True)
class Found:
    """A comment that carries the marker."""

    id: int
    body: str
    url: str
    login: str
    user_type: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the token is, as far as GitHub will say.

    A personal access token (or any user token) may ask `GET /user`: its comments are the
    ones whose `user.login` is that login. An installation token (the workflow's GITHUB_TOKEN,
    or a GitHub App's) may not: GitHub answers 403 "Resource not accessible by integration"
    (404 on some servers). Its comments are written by the App's bot account
    (`github-actions[bot]` for GITHUB_TOKEN), so its comments are those whose `user.type` is
    `Bot`. A person can never write as a bot, so nobody's hand-written copy of the marker is
    ever taken for the gate's comment.
    """

    login: str = ""  # "" for an installation token

    def wrote(self, found: Found) -> bool:
        if self.login:
            return found.login.lower() == self.login.lower()
        return found.user_type == "Bot"


@dataclass(slots=True)
class Client:
    api_url: str
    token: str
    session: requests.Session
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    timeout: float

    def find_own_comment(self, first_page: str, needle: str) -> Found | None:
        """The first comment that starts with `needle` and that the token itself wrote.

        Who the token is is asked only when some comment carries the marker: a first run
        costs no more requests than before.
        """
        identity: Identity | None = None
        for found in self._marked(first_page, needle):
            identity = identity or self.identity()
            if identity.wrote(found):
                return found
        return None

    def identity(self) -> Identity:
        try:
            me = self.request("GET", "/user", None)
        except GitHubError as exc:
            if exc.status in {403, 404}:
                return Identity()  # an installation token: GitHub will not say
            raise
        login = me.get("login") if isinstance(me, dict) else None
        if not isinstance(login, str) or not login:
            raise GitHubError(None, "GitHub did not say who the token belongs to (GET /user)")
        return Identity(login=login)

    def _marked(self, first_page: str, needle: str) -> Iterator[Found]:
        """Walk every page (Link rel="next") for comments whose body starts with `needle`."""
        url: str | None = self.api_url + first_page
        for _ in range(_MAX_PAGES):
            if url is None:
                return
            response = self._send("GET", url, None)
            page = _json(response)
            for comment in page if isinstance(page, list) else []:
                found = _marked_comment(comment, needle)
                if found is not None:
                    yield found
            url = response.links.get("next", {}).get("url")
            if url and urlsplit(url).netloc != urlsplit(self.api_url).netloc:
                # The token goes to the API host only, whatever a Link header says.
                raise GitHubError(None, f"pagination pointed to another host ({url})")
        raise GitHubError(None, f"more than {_MAX_PAGES} pages of comments")

    def request(self, method: str, path: str, payload: dict[str, str] | None) -> Any:
        return _json(self._send(method, self.api_url + path, payload))

    def _send(self, method: str, url: str, payload: dict[str, str] | None) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"cekura-gate/{__version__}",
        }

        def attempt(_number: int) -> requests.Response:
            try:
                response = self.session.request(
                    method, url, headers=headers, json=payload, timeout=self.timeout
                )
            except requests.RequestException as exc:
                # The exception text names the URL and the cause, never the headers.
                raise GitHubError(None, f"GitHub could not be reached ({exc})") from exc
            if response.status_code < 400:
                return response
            wait = self._rate_limit_wait(response)
            if wait is None:
                raise GitHubError(response.status_code, _error_message(response))
            raise RetryLater(response, retry_after=wait)

        return retry(
            attempt,
            attempts=_MAX_TRIES,
            backoff=Backoff(base=_MAX_WAIT),  # never used: _rate_limit_wait always says
            max_wait=_MAX_WAIT,
            sleep=self.sleep,
            give_up=_rate_limited,
        )

    def _rate_limit_wait(self, response: requests.Response) -> float | None:
        """Seconds GitHub asks us to wait, or None when this is not a rate limit."""
        if response.status_code not in {403, 429}:
            return None
        now = datetime.fromtimestamp(self.clock(), UTC)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=now)
        if retry_after is not None:
            return retry_after
        if response.headers.get("x-ratelimit-remaining") == "0":
            reset = response.headers.get("x-ratelimit-reset", "").strip()
            if reset.isdigit():
                return max(1.0, float(reset) - self.clock())
            return _MAX_WAIT
        if response.status_code == 429 or "rate limit" in _error_message(response).lower():
            # GitHub: with no header, wait at least a minute before retrying.
            return _MAX_WAIT
        return None


def _marked_comment(comment: Any, needle: str) -> Found | None:
    if not isinstance(comment, dict):
        return None
    body, number = comment.get("body"), comment.get("id")
    if not (isinstance(body, str) and body.lstrip().startswith(needle)):
        return None
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        return None
    user = comment.get("user") if isinstance(comment.get("user"), dict) else {}
    login, user_type = user.get("login"), user.get("type")
    return Found(
        id=number,
        body=body.lstrip(),
        url=html_url(comment),
        login=login if isinstance(login, str) else "",
        user_type=user_type if isinstance(user_type, str) else "",
    )


def _rate_limited(stop: GaveUp) -> GitHubError:
    if stop.too_long:
        why = f"GitHub's rate limit asks to wait {stop.wait:.0f}s, longer than a comment is worth"
        why += " holding the job for"
    else:
        why = f"GitHub was still rate-limiting after {stop.attempts} tries"
    # status None: a rate limit is not a permission problem, whatever its code.
    return GitHubError(None, f"{why}; re-run the job later")


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise GitHubError(response.status_code, "GitHub sent a reply that is not JSON") from exc


def _error_message(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    message = payload.get("message") if isinstance(payload, dict) else None
    text = message if isinstance(message, str) and message else response.reason or "error"
    return f"{response.status_code} {text[:200]}"
