"""The pull-request comment over the life of a pull request, with `comment: on-failure`.

The real command against a fake GitHub API over HTTP on 127.0.0.1: a failing run creates the
comment, a passing run updates it to say it passes now (never a red comment left behind), a
failing run again updates it; a person's comment that copies the hidden marker is never
touched. Every request the gate sends is checked.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import read_outputs, run_gate
from tests.conftest import fixture_path
from tests.gate_harness import GITHUB_TOKEN, FakeGitHub

CONFIG = "version: 1\nthresholds:\n  success_rate: {min: 90}\n"
REPO = "acme/voice-agent"
PR = 12
MARK = "<!-- cekura-gate:gate:gate -->"
COMMENTS = f"/repos/{REPO}/issues/{PR}/comments"
UPDATED = re.compile(r"<sub>Updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · ")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    for name in ("failing.json", "passing.json"):
        shutil.copy(fixture_path(name), tmp_path / name)
    return tmp_path


def gate(
    workspace: Path, github: FakeGitHub, result: str, *, run: int, sha: str, mode="on-failure"
):
    """One workflow run on the pull request: run number `run`, head commit `sha`."""
    event = {"number": PR, "pull_request": {"number": PR, "head": {"sha": sha}}}
    (workspace / "event.json").write_text(json.dumps(event), encoding="utf-8")
    (workspace / "outputs.txt").unlink(missing_ok=True)
    github.requests.clear()
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "GITHUB_API_URL": github.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_TOKEN": GITHUB_TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_WORKFLOW": "gate",
        "GITHUB_JOB": "gate",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(workspace / "event.json"),
        "GITHUB_SHA": "f" * 40,  # the merge commit: the comment names the head instead
        "GITHUB_RUN_ID": str(9000 + run),
        "GITHUB_RUN_NUMBER": str(run),
        "GITHUB_RUN_ATTEMPT": "1",
        "CEKURA_COMMENT": mode,
    }
    proc = run_gate("check", "--result-file", result, cwd=workspace, env=env)
    sent = [(r.method, r.path.split("?")[0]) for r in github.requests]
    return proc, sent, read_outputs(workspace / "outputs.txt")


def test_fail_then_pass_then_fail_keeps_one_comment_that_is_never_stale(workspace):
    with FakeGitHub() as github:
        # A person pasted a copy of the gate's comment, marker and all.
        theirs = github.add(f"{MARK}\nI copied this, the gate must not edit it", login="mallory")
        their_body = github.comments[theirs]["body"]

        # 1. Failing: the comment is created.
        proc, sent, outputs = gate(workspace, github, "failing.json", run=41, sha="a" * 40)
        assert proc.returncode == 1, proc.stderr
        assert sent == [("GET", COMMENTS), ("GET", "/user"), ("POST", COMMENTS)]
        (ours,) = [n for n in github.comments if n != theirs]
        first = github.comments[ours]["body"]
        assert first.startswith(MARK + "\n<!-- cekura-gate-state ")
        assert "Passing now" not in first
        assert UPDATED.search(first)
        assert (
            "commit [`aaaaaaa`](https://github.com/acme/voice-agent/commit/" + "a" * 40 + ")"
        ) in first
        assert "[run #41](https://github.com/acme/voice-agent/actions/runs/9041)" in first
        assert outputs["comment-url"] == github.comments[ours]["html_url"]
        assert outputs["blocking-checks"] == "1"

        # 2. Passing: the same comment says it passes now, and what changed.
        proc, sent, outputs = gate(workspace, github, "passing.json", run=42, sha="b" * 40)
        assert proc.returncode == 0, proc.stderr
        assert sent == [("GET", COMMENTS), ("GET", "/user"), ("PATCH", path(ours))]
        second = github.comments[ours]["body"]
        assert "### ✅ Passing now at commit [`bbbbbbb`]" in second
        assert "The earlier run (commit [`aaaaaaa`]" in second and "[run #41](" in second
        assert "they no longer block" in second
        assert re.search(
            r"- ✅ \*\*Success rate\*\*: 100% \(\d+ of \d+ runs\), needs ≥ 90%$", second, re.M
        )
        assert "[run #42](https://github.com/acme/voice-agent/actions/runs/9042)" in second
        assert "❌" not in second.split("### ✅ Passing now")[0]
        assert outputs["comment-url"] == github.comments[ours]["html_url"]
        assert f"Pull-request comment updated on #{PR}" in proc.stdout

        # 3. Failing again: updated once more, and no longer says it passes.
        proc, sent, outputs = gate(workspace, github, "failing.json", run=43, sha="c" * 40)
        assert proc.returncode == 1
        assert sent == [("GET", COMMENTS), ("GET", "/user"), ("PATCH", path(ours))]
        third = github.comments[ours]["body"]
        assert "Passing now" not in third and "[run #43](" in third
        assert "commit [`ccccccc`]" in third

        # Never a second comment of ours, and theirs exactly as they wrote it.
        assert len(github.comments) == 2
        assert github.comments[theirs]["body"] == their_body
        assert not any(r.path == path(theirs) for r in github.requests)


def test_a_pass_with_no_earlier_comment_posts_nothing(workspace):
    with FakeGitHub() as github:
        proc, sent, outputs = gate(workspace, github, "passing.json", run=7, sha="d" * 40)
    assert proc.returncode == 0, proc.stderr
    # No marker anywhere: no need to ask who the token is, and nothing to create.
    assert sent == [("GET", COMMENTS)]
    assert github.comments == {}
    assert outputs["comment-url"] == ""
    assert "comment" not in proc.stdout.lower().replace("comment-url", "")


def test_a_pass_never_edits_a_persons_copy_of_a_failing_comment(workspace):
    with FakeGitHub() as github:
        theirs = github.add(f"{MARK}\n## ❌ Cekura gate failed", login="mallory")
        proc, sent, _ = gate(workspace, github, "passing.json", run=8, sha="e" * 40)
        assert proc.returncode == 0, proc.stderr
        assert sent == [("GET", COMMENTS), ("GET", "/user")]
        assert github.comments[theirs]["body"] == f"{MARK}\n## ❌ Cekura gate failed"


def test_always_creates_on_a_pass_and_says_passing_now_after_a_failure(workspace):
    with FakeGitHub() as github:
        _, sent, _ = gate(workspace, github, "passing.json", run=1, sha="1" * 40, mode="always")
        assert sent == [("GET", COMMENTS), ("POST", COMMENTS)]
        (ours,) = github.comments
        assert "Passing now" not in github.comments[ours]["body"]
        gate(workspace, github, "failing.json", run=2, sha="2" * 40, mode="always")
        _, sent, _ = gate(workspace, github, "passing.json", run=3, sha="3" * 40, mode="always")
        assert sent == [("GET", COMMENTS), ("GET", "/user"), ("PATCH", path(ours))]
        assert "### ✅ Passing now at commit [`3333333`]" in github.comments[ours]["body"]
        assert len(github.comments) == 1


def path(comment_id: int) -> str:
    return f"/repos/{REPO}/issues/comments/{comment_id}"
