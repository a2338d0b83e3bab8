"""The sticky comment against a fake GitHub API: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from gate.publish.actions import comment
from gate.publish.actions.comment import CommentAction

TOKEN = "ghs_SECRETtoken0123456789"
REPO = "acme/voice-agent"
PR = 12
KEY = comment.marker_key("CI", "gate", "")
MARK = comment.marker(KEY)


@dataclass
class FakeGitHub:
    """Issue comments in memory, with GitHub's pagination, auth and error shapes."""

    token: str = TOKEN
    pulls: set[int] = field(default_factory=lambda: {PR})
    comments: list[dict[str, Any]] = field(default_factory=list)
    #: (status, headers, payload) served before normal handling, one per request
    scripted: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    read_only: bool = False
    #: overrides the host in Link headers, to check the client keeps the token home
    link_base: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    base: str = ""
    next_id: int = 1
    #: who the token is: a "[bot]" login is an installation token (GITHUB_TOKEN), which
    #: GitHub refuses GET /user; any other login is a personal access token's user
    me: str = "github-actions[bot]"

    def add(self, body: str, user: str = "someone", kind: str = "User") -> dict[str, Any]:
        entry = {"id": self.next_id, "body": body, "user": {"login": user, "type": kind}}
        entry["html_url"] = f"https://github.com/{REPO}/pull/{PR}#issuecomment-{self.next_id}"
        self.next_id += 1
        self.comments.append(entry)
        return entry

    def with_marker(self) -> list[dict[str, Any]]:
        return [c for c in self.comments if MARK in c["body"]]

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> tuple:
        self.requests.append((method, target))
        self.bodies.append(body)
        if self.scripted:
            return self.scripted.pop(0)
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials"}
        parts = urlsplit(target)
        path = parts.path.strip("/").split("/")
        query = parse_qs(parts.query)
        if method == "GET" and path == ["user"]:
            if self.me.endswith("[bot]"):
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, {"login": self.me, "type": "User"}
        if path[:3] != ["repos", *REPO.split("/")] or path[3] != "issues":
            return 404, {}, {"message": "Not Found"}
        if method == "GET" and path[5:] == ["comments"]:
            if int(path[4]) not in self.pulls:
                return 404, {}, {"message": "Not Found"}
            per_page = min(int(query.get("per_page", ["30"])[0]), 100)
            page = int(query.get("page", ["1"])[0])
            items = self.comments[(page - 1) * per_page : page * per_page]
            last = max(1, -(-len(self.comments) // per_page))
            links = []
            base = self.link_base or self.base
            link = f"{base}/{parts.path.strip('/')}?per_page={per_page}&page="
            if page < last:
                links.append(f'<{link}{page + 1}>; rel="next"')
            links.append(f'<{link}{last}>; rel="last"')
            return 200, {"Link": ", ".join(links)}, items
        if self.read_only:
            return 403, {}, {"message": "Resource not accessible by integration"}
        text = json.loads(body or b"{}").get("body", "")
        if len(text) > comment.MAX_COMMENT_CHARS:
            return 422, {}, {"message": "Validation Failed: Body is too long"}
        if method == "POST" and path[5:] == ["comments"]:
            if int(path[4]) not in self.pulls:
                return 404, {}, {"message": "Not Found"}
            kind = "Bot" if self.me.endswith("[bot]") else "User"
            return 201, {}, self.add(text, user=self.me, kind=kind)
        if method == "PATCH" and path[4] == "comments":
            for entry in self.comments:
                if entry["id"] == int(path[5]):
                    entry["body"] = text
                    return 200, {}, entry
            return 404, {}, {"message": "Not Found"}
        return 404, {}, {"message": "Not Found"}


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.server.fake.handle(
            self.command, self.path, self.headers, body
        )
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def post(fake: FakeGitHub, body: str = "## Cekura gate: passed", **overrides: Any):
    sleeps = overrides.pop("sleep", Sleeps())
    arguments = {
        "api_url": fake.base,
        "repository": REPO,
        "token": TOKEN,
        "pr_number": PR,
        "body": body,
        "marker_key": KEY,
        "summary_url": "https://github.com/acme/voice-agent/actions/runs/99",
        "sleep": sleeps,
        "clock": lambda: 1_000.0,
        **overrides,
    }
    outcome = comment.post_or_update(**arguments)
    assert TOKEN not in outcome.warning
    return outcome


# -- create and edit ------------------------------------------------------------------------


def test_create_then_edit_leaves_exactly_one_comment(github: FakeGitHub) -> None:
    github.add("LGTM")
    first = post(github, "## Cekura gate: failed")
    assert first.action is CommentAction.CREATED and first.ok and not first.warning
    assert first.url.endswith(f"#issuecomment-{github.comments[-1]['id']}")

    second = post(github, "## Cekura gate: passed")
    assert second.action is CommentAction.UPDATED and second.ok
    [ours] = github.with_marker()
    assert ours["body"] == f"{MARK}\n## Cekura gate: passed"
    assert len(github.comments) == 2
    # the token travels in the Authorization header only
    assert not any(TOKEN in target for _, target in github.requests)
    assert not any(TOKEN.encode() in body for body in github.bodies)


def test_marker_found_on_second_page_of_150(github: FakeGitHub) -> None:
    for i in range(150):
        github.add(f"comment {i}")
    github.comments[120]["body"] = f"{MARK}\nold report"
    github.comments[120]["user"] = {"login": "github-actions[bot]", "type": "Bot"}
    outcome = post(github, "new report")
    assert outcome.action is CommentAction.UPDATED
    assert github.comments[120]["body"] == f"{MARK}\nnew report"
    assert len(github.comments) == 150
    gets = [target for method, target in github.requests if method == "GET"]
    assert len(gets) == 3 and gets[1].endswith("page=2") and gets[2].endswith("/user")
    assert [m for m, _ in github.requests].count("PATCH") == 1


def test_every_page_is_walked_before_creating(github: FakeGitHub) -> None:
    for i in range(250):
        github.add(f"comment {i} mentions cekura-gate but has no marker")
    outcome = post(github)
    assert outcome.action is CommentAction.CREATED
    assert [m for m, _ in github.requests] == ["GET", "GET", "GET", "POST"]
    assert len(github.with_marker()) == 1


def test_quoted_marker_is_not_our_comment(github: FakeGitHub) -> None:
    github.add(f"> {MARK}\n> quoted report\n\nI disagree")
    assert post(github).action is CommentAction.CREATED
    assert github.comments[0]["body"].startswith("> ")


def test_matrix_jobs_keep_separate_comments(github: FakeGitHub) -> None:
    for key in ("eu", "us", "eu"):
        post(github, f"report {key}", marker_key=comment.marker_key("CI", "gate", key))
    assert len(github.comments) == 2
    assert sorted(c["body"].split("\n")[1] for c in github.comments) == ["report eu", "report us"]


# -- warnings, never exceptions -----------------------------------------------------------


def test_missing_token_is_skipped_with_warning(github: FakeGitHub) -> None:
    outcome = post(github, token="")
    assert outcome.action is CommentAction.SKIPPED and not outcome.ok
    assert "no GitHub token" in outcome.warning and "comment: off" in outcome.warning
    assert github.requests == []


def test_no_pull_request_is_skipped(github: FakeGitHub) -> None:
    outcome = post(github, pr_number=None)
    assert outcome.action is CommentAction.SKIPPED
    assert "not triggered by a pull request" in outcome.warning
    assert github.requests == []


def test_read_only_token_from_a_fork_warns(github: FakeGitHub) -> None:
    github.read_only = True
    outcome = post(github)
    assert outcome.action is CommentAction.FAILED and not outcome.ok
    assert outcome.warning.startswith(
        "could not comment on pull request #12: the token is read-only (a pull request from a "
        "fork?). Grant `pull-requests: write`, or use comment: off"
    )
    assert "Resource not accessible by integration" in outcome.warning
    assert github.comments == []


def test_unknown_pull_request_warns(github: FakeGitHub) -> None:
    outcome = post(github, pr_number=404)
    assert outcome.action is CommentAction.FAILED
    assert "no pull request #404 in acme/voice-agent" in outcome.warning


def test_bad_token_warns(github: FakeGitHub) -> None:
    github.token = "another"
    outcome = post(github)
    assert outcome.action is CommentAction.FAILED
    assert "refused the token (401 Bad credentials)" in outcome.warning


def test_token_echoed_by_github_is_scrubbed(github: FakeGitHub) -> None:
    github.scripted.append((500, {}, {"message": f"boom near Bearer {TOKEN}"}))
    outcome = post(github)  # post() asserts the token is absent
    assert outcome.action is CommentAction.FAILED
    assert "500 boom near Bearer ***" in outcome.warning


def test_unreachable_github_warns() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fake = FakeGitHub(base=f"http://127.0.0.1:{port}")
    outcome = post(fake, timeout=2)
    assert outcome.action is CommentAction.FAILED
    assert "GitHub could not be reached" in outcome.warning


def test_token_never_follows_a_link_to_another_host(github: FakeGitHub) -> None:
    for i in range(150):
        github.add(f"comment {i}")
    github.link_base = github.base.replace("127.0.0.1", "localhost")
    outcome = post(github)
    assert outcome.action is CommentAction.FAILED
    assert "pagination pointed to another host" in outcome.warning
    assert len(github.requests) == 1


# -- rate limits ----------------------------------------------------------------------------


def test_secondary_rate_limit_with_retry_after_is_retried(github: FakeGitHub) -> None:
    github.scripted.append(
        (403, {"Retry-After": "7"}, {"message": "You have exceeded a secondary rate limit."})
    )
    sleeps = Sleeps()
    outcome = post(github, sleep=sleeps)
    assert outcome.action is CommentAction.CREATED
    assert sleeps == [7.0]


def test_retry_after_as_an_http_date_is_read_against_the_clock(github: FakeGitHub) -> None:
    # The clock is 1000 s after the epoch: Thu, 01 Jan 1970 00:16:40 GMT.
    github.scripted.append(
        (403, {"Retry-After": "Thu, 01 Jan 1970 00:16:49 GMT"}, {"message": "rate limit"})
    )
    sleeps = Sleeps()
    assert post(github, sleep=sleeps).action is CommentAction.CREATED
    assert sleeps == [9.0]


def test_primary_rate_limit_waits_until_reset(github: FakeGitHub) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1012"}  # clock is 1000
    github.scripted.append((429, headers, {"message": "API rate limit exceeded"}))
    sleeps = Sleeps()
    assert post(github, sleep=sleeps).action is CommentAction.CREATED
    assert sleeps == [12.0]


def test_rate_limit_gives_up_after_three_tries(github: FakeGitHub) -> None:
    limited = (403, {"Retry-After": "1"}, {"message": "secondary rate limit"})
    github.scripted.extend([limited] * 3)
    sleeps = Sleeps()
    outcome = post(github, sleep=sleeps)
    assert outcome.action is CommentAction.FAILED
    assert "still rate-limiting after 3 tries" in outcome.warning
    assert "read-only" not in outcome.warning
    assert sleeps == [1.0, 1.0] and len(github.requests) == 3


def test_rate_limit_with_a_long_wait_is_not_waited_for(github: FakeGitHub) -> None:
    github.scripted.append((403, {"Retry-After": "3600"}, {"message": "rate limit"}))
    sleeps = Sleeps()
    outcome = post(github, sleep=sleeps)
    assert outcome.action is CommentAction.FAILED
    assert "asks to wait 3600s" in outcome.warning and sleeps == []
    assert "read-only" not in outcome.warning


# -- size ---------------------------------------------------------------------------------


def test_oversized_body_is_cut_under_the_limit(github: FakeGitHub) -> None:
    rows = "\n".join(f"| run {i} | failed | {'x' * 80} |" for i in range(3_000))
    outcome = post(github, f"## Cekura gate: failed\n\n{rows}\n")
    assert outcome.action is CommentAction.CREATED
    [ours] = github.with_marker()
    assert len(ours["body"]) < comment.MAX_COMMENT_CHARS
    assert ours["body"].startswith(MARK)
    assert "[job summary](https://github.com/acme/voice-agent/actions/runs/99)" in ours["body"]
    kept_rows = [line for line in ours["body"].splitlines() if line.startswith("| run")]
    assert all(line.endswith("|") for line in kept_rows)  # cut at a line boundary


def test_fit_body_closes_an_open_code_fence() -> None:
    body = "intro\n```text\n" + "log line\n" * 1_000 + "```\nafter\n"
    fitted = comment.fit_body(body, limit=2_000)
    assert len(fitted) <= 2_000
    head, note = fitted.split("\n\n---\n")
    assert head.endswith("\n```") and head.count("```") == 2
    assert "this run's job summary" in note


def test_fit_body_leaves_short_bodies_alone() -> None:
    assert comment.fit_body("short", limit=10) == "short"


# -- helpers ------------------------------------------------------------------------------


def test_marker_key_is_stable_and_cannot_close_the_html_comment() -> None:
    assert comment.marker_key("CI", "gate", "") == "CI:gate"
    assert comment.marker_key("CI / Voice", "gate", "eu-west") == "CI-Voice:gate:eu-west"
    assert comment.marker_key("CI", "gate", "matrix/a") == "CI:gate:matrix-a"
    key = comment.marker_key("evil --> <b>", "job", "a--b")
    assert "--" not in key and ">" not in key
    assert comment.marker(key) == f"<!-- cekura-gate:{key} -->"
    assert comment.marker_key("", "", "") == "default:default"


@pytest.mark.parametrize(
    ("event_name", "payload", "number"),
    [
        ("pull_request", {"number": 12, "pull_request": {"number": 12}}, 12),
        ("pull_request_target", {"pull_request": {"number": 7}}, 7),
        ("pull_request", {"number": 5}, 5),
        ("push", {"number": 12, "pull_request": {"number": 12}}, None),
        ("pull_request", {"pull_request": {}}, None),
        ("pull_request", ["not", "an", "object"], None),
    ],
)
def test_pr_number_from_event(
    tmp_path: Path, event_name: str, payload: Any, number: int | None
) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert comment.pr_number_from_event(event_name, str(path)) == number


def test_pr_number_from_unreadable_event(tmp_path: Path) -> None:
    assert comment.pr_number_from_event("pull_request", str(tmp_path / "missing.json")) is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert comment.pr_number_from_event("pull_request", str(tmp_path / "bad.json")) is None
    assert comment.pr_number_from_event("pull_request", "") is None


# -- only the token's own comment is edited -------------------------------------------------


def test_a_persons_copy_of_the_marker_is_left_alone(github: FakeGitHub) -> None:
    github.add(f"{MARK}\npasted by hand", user="mallory")
    outcome = post(github, "the gate's report")
    assert outcome.action is CommentAction.CREATED
    assert github.comments[0]["body"] == f"{MARK}\npasted by hand"
    assert [(m, t.split("?")[0]) for m, t in github.requests] == [
        ("GET", f"/repos/{REPO}/issues/{PR}/comments"),
        ("GET", "/user"),  # refused: an installation token, so only a bot's comment is ours
        ("POST", f"/repos/{REPO}/issues/{PR}/comments"),
    ]


def test_a_personal_token_edits_only_its_own_users_comment(github: FakeGitHub) -> None:
    github.me = "ci-robot"
    github.add(f"{MARK}\nby a person", user="mallory")
    github.add(f"{MARK}\nby another app", user="other-app[bot]", kind="Bot")
    mine = github.add(f"{MARK}\nold report", user="CI-Robot")  # logins ignore case
    outcome = post(github, "new report")
    assert outcome.action is CommentAction.UPDATED and outcome.url == mine["html_url"]
    assert [c["body"] for c in github.comments] == [
        f"{MARK}\nby a person",
        f"{MARK}\nby another app",
        f"{MARK}\nnew report",
    ]
    assert [m for m, _ in github.requests] == ["GET", "GET", "PATCH"]
    assert github.requests[-1][1].endswith(f"/issues/comments/{mine['id']}")


def test_who_the_token_is_is_asked_once_however_many_marked_comments(github: FakeGitHub) -> None:
    for n in range(5):
        github.add(f"{MARK}\ncopy {n}", user=f"person{n}")
    post(github)
    assert [t for _, t in github.requests].count("/user") == 1


def test_compose_gets_the_previous_text_without_the_marker(github: FakeGitHub) -> None:
    seen: list[str | None] = []

    def compose(previous: str | None) -> str:
        seen.append(previous)
        return f"report {len(seen)}"

    post(github, compose=compose)
    post(github, compose=compose)
    assert seen == [None, "report 1"]
    assert github.with_marker()[0]["body"] == f"{MARK}\nreport 2"


def test_update_only_creates_nothing_and_says_nothing(github: FakeGitHub) -> None:
    github.add(f"{MARK}\npasted by hand", user="mallory")
    outcome = post(github, create=False)
    assert (outcome.action, outcome.warning, outcome.url) == (CommentAction.SKIPPED, "", "")
    assert [m for m, _ in github.requests] == ["GET", "GET"]
    assert len(github.comments) == 1


def test_update_only_edits_the_gates_own_comment(github: FakeGitHub) -> None:
    post(github, "## ❌ failed")
    outcome = post(github, "## ✅ passing now", create=False)
    assert outcome.action is CommentAction.UPDATED
    assert [c["body"] for c in github.comments] == [f"{MARK}\n## ✅ passing now"]


def test_a_token_github_refuses_to_identify_is_a_warning(github: FakeGitHub) -> None:
    github.add(f"{MARK}\nold", user="github-actions[bot]", kind="Bot")
    github.scripted.extend([(200, {}, github.comments), (401, {}, {"message": "Bad credentials"})])
    outcome = post(github)
    assert outcome.action is CommentAction.FAILED
    assert "refused the token (401 Bad credentials)" in outcome.warning
    assert github.comments[0]["body"] == f"{MARK}\nold"


def test_a_user_answer_without_a_login_is_a_warning(github: FakeGitHub) -> None:
    github.add(f"{MARK}\nold", user="github-actions[bot]", kind="Bot")
    github.scripted.extend([(200, {}, github.comments), (200, {}, {"id": 1})])
    outcome = post(github)
    assert outcome.action is CommentAction.FAILED
    assert "did not say who the token belongs to" in outcome.warning


@pytest.mark.parametrize(
    ("event_name", "payload", "sha"),
    [
        ("pull_request", {"pull_request": {"head": {"sha": "abc1234"}}}, "abc1234"),
        ("pull_request_target", {"pull_request": {"head": {"sha": "def5678"}}}, "def5678"),
        ("workflow_run", {"workflow_run": {"head_sha": "0a1b2c3"}}, "0a1b2c3"),
        ("push", {"pull_request": {"head": {"sha": "abc1234"}}}, ""),
        ("pull_request", {"pull_request": {"head": {"sha": 7}}}, ""),
        ("pull_request", {"pull_request": "not an object"}, ""),
        ("workflow_run", ["not", "an", "object"], ""),
    ],
)
def test_head_sha_from_event(tmp_path: Path, event_name: str, payload: Any, sha: str) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert comment.head_sha_from_event(event_name, str(path)) == sha
    assert comment.head_sha_from_event(event_name, str(tmp_path / "missing.json")) == ""
