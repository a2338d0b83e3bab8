"""The sticky pull-request comment: created once, then edited in place on re-runs.

The comment carries a hidden marker (`<!-- cekura-gate:KEY -->`) on its first line; the
key tells apart workflows, jobs and matrix legs. Only a comment the token's own identity
wrote is edited (`Identity` in gate/publish/actions/github_api.py), never somebody else's
copy of the marker; what the comment says around the report (what changed, which run) is
gate/publish/actions/comment_text.py's.

The gate's verdict never depends on the comment: every failure here is returned as a warning
outcome, never raised. The token travels only in the Authorization header, only to the GitHub
API host, and is scrubbed from every message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import requests

from gate.publish.actions import github_api

MAX_COMMENT_CHARS = 65_536
# A margin below GitHub's limit, in case it counts some characters differently than Python.
_BODY_BUDGET = MAX_COMMENT_CHARS - 1_024
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

    Only a comment the token's own identity wrote is edited (see `github_api.Identity`): one
    by anybody else is left alone, whatever marker it carries. `compose`, when given, makes
    the text from the text of the comment found (None when there is none) instead of `body`. With
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
    client = github_api.Client(
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
            return CommentOutcome(CommentAction.CREATED, url=github_api.html_url(made))
        edited = client.request(
            "PATCH", f"/repos/{repository}/issues/comments/{existing.id}", {"body": text}
        )
        return CommentOutcome(
            CommentAction.UPDATED, url=github_api.html_url(edited) or existing.url
        )
    except github_api.GitHubError as exc:
        message = f"could not comment on {where}: {_explain(exc, repository, pr_number)}"
    except Exception as exc:
        # The last line of defence for "a comment never fails the gate".
        message = f"could not comment on {where}: unexpected {type(exc).__name__}: {exc}"
    return CommentOutcome(CommentAction.FAILED, message.replace(token, "***"))


def _explain(exc: github_api.GitHubError, repository: str, pr_number: int) -> str:
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
