"""The sticky pull-request comment: created once, then edited in place on re-runs.

The comment carries a hidden marker (`<!-- cekura-gate:KEY -->`) on its first line; the
key tells apart workflows, jobs and matrix legs. Only a comment the token's own identity
wrote is edited (`_Identity`), never somebody else's copy of the marker; what the comment says
around the report (what changed, which run) is gate/publish/comment_text.py's.

The gate's verdict never depends on the comment: every failure here is returned as a warning
outcome, never raised. The token travels only in the Authorization header, only to the GitHub
API host, and is scrubbed from every message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from gate import __version__
from gate.source.retry import Backoff, GaveUp, RetryLater, parse_retry_after, retry

MAX_COMMENT_CHARS = 65_536
# A margin below GitHub's limit, in case it counts some characters differently than Python.
_BODY_BUDGET = MAX_COMMENT_CHARS - 1_024
_MAX_TRIES = 3
_MAX_WAIT = 60.0  # a comment is not worth holding a CI job longer for
_MAX_PAGES = 100  # 10,000 comments: far beyond any real pull request
_PR_EVENTS = frozenset({"pull_request", "pull_request_target"})
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.]+")


class CommentAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    SKIPPED = "skipped"  # not attempted: no token or no pull request
    FAILED = "failed"  # GitHub refused or could not be reached


@dataclass(frozen=True, slots=True)
class CommentOutcome:
    action: CommentAction
    #: what went wrong and what to do, for a `::warning`; empty when all went well
    warning: str = ""
    url: str = ""

    @property
    def ok(self) -> bool:
        return self.action in {CommentAction.CREATED, CommentAction.UPDATED}


class _GitHubError(Exception):
    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def marker_key(workflow: str, job: str, comment_key: str = "") -> str:
    """A key for the hidden marker that is stable across re-runs of the same job.

    Only `[A-Za-z0-9_.]` survive; other runs become `-`, so the key can never close the
    HTML comment (`-->`) it lives in. Parts are joined with `:`.
    """
    parts = [workflow, job, comment_key] if comment_key else [workflow, job]
    cleaned = [_KEY_UNSAFE.sub("-", part).strip("-") or "default" for part in parts]
    return ":".join(cleaned)


def marker(key: str) -> str:
    return f"<!-- cekura-gate:{key} -->"


def pr_number_from_event(event_name: str, event_path: str) -> int | None:
    """The pull request number of a `pull_request`/`pull_request_target` event, else None."""
    if event_name not in _PR_EVENTS or not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(event, dict):
        return None
    pull_request = event.get("pull_request")
    number = pull_request.get("number") if isinstance(pull_request, dict) else None
    number = number if number is not None else event.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    return None


def head_sha_from_event(event_name: str, event_path: str) -> str:
    """The commit the pull request's run tested: its head (not the merge commit GITHUB_SHA
    names), or a workflow_run's head; "" when the event does not say."""
    if not event_path or event_name not in {*_PR_EVENTS, "workflow_run"}:
        return ""
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(event, dict):
        return ""
    if event_name == "workflow_run":
        run = event.get("workflow_run")
        sha = run.get("head_sha") if isinstance(run, dict) else None
    else:
        pull_request = event.get("pull_request")
        head = pull_request.get("head") if isinstance(pull_request, dict) else None
        sha = head.get("sha") if isinstance(head, dict) else None
    return sha if isinstance(sha, str) else ""


def fit_body(body: str, *, summary_url: str = "", limit: int = _BODY_BUDGET) -> str:
    """Cut `body` at a line boundary so it fits in `limit` characters, with a note.

    A fenced code block left open by the cut is closed, so the note renders as text.
    """
    if len(body) <= limit:
        return body
    where = f"the [job summary]({summary_url})" if summary_url else "this run's job summary"
    note = (
        f"\n\n---\n_This report was cut to fit a pull-request comment ({len(body):,} "
        f"characters); the full report is in {where}._\n"
    )
    room = limit - len(note) - len("\n```")
    cut = body.rfind("\n", 0, room)
    kept = body[: cut if cut > 0 else room]
    if sum(1 for line in kept.split("\n") if line.lstrip().startswith("```")) % 2:
        kept += "\n```"
    return kept + note


def post_or_update(
    *,
    api_url: str,
    repository: str,
    token: str,
    pr_number: int | None,
    body: str = "",
    marker_key: str,
    summary_url: str = "",
    compose: Callable[[str | None], str] | None = None,
    create: bool = True,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    timeout: float = 15.0,
) -> CommentOutcome:
    """Create the gate's comment on the pull request, or edit the one already there.

    Only a comment the token's own identity wrote is edited (see `_Identity`): one by anybody
    else is left alone, whatever marker it carries. `compose`, when given, makes the text from
    the text of the comment found (None when there is none) instead of `body`. With
    `create=False` an existing comment is edited and none is created (a pass under
    `comment: on-failure`): the outcome is SKIPPED, without a warning, when there is none.
    """
    where = f"pull request #{pr_number}" if pr_number else "the pull request"
    if not token:
        return CommentOutcome(
            CommentAction.SKIPPED,
            f"could not comment on {where}: no GitHub token. Pass `github-token` "
            "(the default is the workflow's token) or set GITHUB_TOKEN, or use comment: off",
        )
    if pr_number is None:
        return CommentOutcome(
            CommentAction.SKIPPED,
            "no pull-request comment: this run was not triggered by a pull request "
            "(pull_request or pull_request_target event)",
        )
    if not repository:
        return CommentOutcome(
            CommentAction.SKIPPED, f"could not comment on {where}: the repository is unknown"
        )
    client = _Client(
        api_url=api_url.rstrip("/"),
        token=token,
        session=session or requests.Session(),
        sleep=sleep,
        clock=clock,
        timeout=timeout,
    )
    mark = marker(marker_key)
    comments = f"/repos/{repository}/issues/{pr_number}/comments"
    try:
        existing = client.find_own_comment(f"{comments}?per_page=100", mark)
        if existing is None and not create:
            return CommentOutcome(CommentAction.SKIPPED)
        if compose is not None:
            previous = existing.body[len(mark) :].lstrip("\n") if existing else None
            body = compose(previous)
        text = f"{mark}\n{fit_body(body, summary_url=summary_url, limit=_BODY_BUDGET - len(mark))}"
        if existing is None:
            made = client.request("POST", comments, {"body": text})
            return CommentOutcome(CommentAction.CREATED, url=_html_url(made))
        edited = client.request(
            "PATCH", f"/repos/{repository}/issues/comments/{existing.id}", {"body": text}
        )
        return CommentOutcome(CommentAction.UPDATED, url=_html_url(edited) or existing.url)
    except _GitHubError as exc:
        message = f"could not comment on {where}: {_explain(exc, repository, pr_number)}"
    except Exception as exc:
        # The last line of defence for "a comment never fails the gate".
        message = f"could not comment on {where}: unexpected {type(exc).__name__}: {exc}"
    return CommentOutcome(CommentAction.FAILED, message.replace(token, "***"))


def _html_url(payload: Any) -> str:
    url = payload.get("html_url") if isinstance(payload, dict) else None
    return url if isinstance(url, str) else ""


def _explain(exc: _GitHubError, repository: str, pr_number: int) -> str:
    if exc.status == 403:
        return (
            f"the token is read-only (a pull request from a fork?). Grant `pull-requests: "
            f"write`, or use comment: off. GitHub said: {exc.message}"
        )
    if exc.status == 401:
        return f"GitHub refused the token ({exc.message}). Check `github-token`"
    if exc.status == 404:
        return (
            f"GitHub found no pull request #{pr_number} in {repository}, or the token cannot "
            f"see it ({exc.message})"
        )
    return exc.message


@dataclass(frozen=True, slots=True)
class _Found:
    """A comment that carries the marker."""

    id: int
    body: str
    url: str
    login: str
    user_type: str


@dataclass(frozen=True, slots=True)
class _Identity:
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

    def wrote(self, found: _Found) -> bool:
        if self.login:
            return found.login.lower() == self.login.lower()
        return found.user_type == "Bot"


@dataclass(slots=True)
class _Client:
    api_url: str
    token: str
    session: requests.Session
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    timeout: float

    def find_own_comment(self, first_page: str, needle: str) -> _Found | None:
        """The first comment that starts with `needle` and that the token itself wrote.

        Who the token is is asked only when some comment carries the marker: a first run
        costs no more requests than before.
        """
        identity: _Identity | None = None
        for found in self._marked(first_page, needle):
            identity = identity or self.identity()
            if identity.wrote(found):
                return found
        return None

    def identity(self) -> _Identity:
        try:
            me = self.request("GET", "/user", None)
        except _GitHubError as exc:
            if exc.status in {403, 404}:
                return _Identity()  # an installation token: GitHub will not say
            raise
        login = me.get("login") if isinstance(me, dict) else None
        if not isinstance(login, str) or not login:
            raise _GitHubError(None, "GitHub did not say who the token belongs to (GET /user)")
        return _Identity(login=login)

    def _marked(self, first_page: str, needle: str) -> Iterator[_Found]:
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
                raise _GitHubError(None, f"pagination pointed to another host ({url})")
        raise _GitHubError(None, f"more than {_MAX_PAGES} pages of comments")

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
                raise _GitHubError(None, f"GitHub could not be reached ({exc})") from exc
            if response.status_code < 400:
                return response
            wait = self._rate_limit_wait(response)
            if wait is None:
                raise _GitHubError(response.status_code, _error_message(response))
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


def _marked_comment(comment: Any, needle: str) -> _Found | None:
    if not isinstance(comment, dict):
        return None
    body, number = comment.get("body"), comment.get("id")
    if not (isinstance(body, str) and body.lstrip().startswith(needle)):
        return None
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        return None
    user = comment.get("user") if isinstance(comment.get("user"), dict) else {}
    login, user_type = user.get("login"), user.get("type")
    return _Found(
        id=number,
        body=body.lstrip(),
        url=_html_url(comment),
        login=login if isinstance(login, str) else "",
        user_type=user_type if isinstance(user_type, str) else "",
    )


def _rate_limited(stop: GaveUp) -> _GitHubError:
    if stop.too_long:
        why = f"GitHub's rate limit asks to wait {stop.wait:.0f}s, longer than a comment is worth"
        why += " holding the job for"
    else:
        why = f"GitHub was still rate-limiting after {stop.attempts} tries"
    # status None: a rate limit is not a permission problem, whatever its code.
    return _GitHubError(None, f"{why}; re-run the job later")


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise _GitHubError(response.status_code, "GitHub sent a reply that is not JSON") from exc


def _error_message(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    message = payload.get("message") if isinstance(payload, dict) else None
    text = message if isinstance(message, str) and message else response.reason or "error"
    return f"{response.status_code} {text[:200]}"
