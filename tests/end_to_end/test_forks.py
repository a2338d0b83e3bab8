"""Fork pull requests: no API key. The default never passes; `on-missing-api-key: skip` ends
with verdict `skipped`, a notice and a summary that say nothing was evaluated, exit 0. And a
`workflow_run` job comments on the pull request `pr-number` names.

The real command against the simulator and a fake GitHub API, over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gate.simulator import catalogue
from tests.cli_runner import read_outputs, run_gate
from tests.conftest import fixture_path
from tests.gate_harness import API_KEY, GITHUB_TOKEN, FakeGitHub, simulator, workflow_commands

CONFIG = "version: 1\nthresholds:\n  success_rate: {min: 90}\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def actions_env(workspace: Path, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "CEKURA_REPORT_JSON": str(workspace / "report.json"),
        "CEKURA_JUNIT_XML": str(workspace / "junit.xml"),
        # nothing listens here: a skipped gate must not even try
        "CEKURA_API_URL": "http://127.0.0.1:9",
    } | extra


def summary(workspace: Path) -> str:
    path = workspace / "summary.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--on-missing-api-key", "skip"), {}),
        ((), {"CEKURA_ON_MISSING_API_KEY": "skip"}),  # what the action input becomes
        ((), {"CEKURA_ON_MISSING_API_KEY": " SKIP "}),
    ],
    ids=["flag", "variable", "variable-spaced-upper"],
)
def test_skip_without_a_key_says_nothing_was_evaluated_and_exits_0(workspace, args, env):
    proc = run_gate(
        "check", "--result-id", "16870", *args, cwd=workspace, env=actions_env(workspace, **env)
    )
    assert proc.returncode == 0, proc.stderr
    outputs = read_outputs(workspace / "outputs.txt")
    assert outputs == {
        "verdict": "skipped",
        "result-id": "16870",
        "status": "",
        "success-rate": "",
        "failed-checks": "[]",
        "result-url": "",
        "blocking-checks": "",
        "warning-checks": "",
        "total-runs": "",
        "failed-runs": "",
        "comment-url": "",
    }
    notices = [c for c in workflow_commands(proc.stdout) if c.name == "notice"]
    assert len(notices) == 1
    assert "nothing was evaluated" in notices[0].data
    assert "CEKURA_API_KEY is not set" in notices[0].data
    text = summary(workspace)
    assert text.startswith("## ⏭️ Cekura gate skipped: nothing was evaluated")
    assert "A required check must not use on-missing-api-key: skip" in text
    assert "passed" not in text.lower()
    # no report a later step could take for a verdict
    assert not (workspace / "report.json").exists()
    assert not (workspace / "junit.xml").exists()


def test_without_a_key_the_default_still_exits_2_and_names_the_opt_in(workspace):
    proc = run_gate("check", "--result-id", "16870", cwd=workspace, env=actions_env(workspace))
    assert proc.returncode == 2
    assert "usage error: CEKURA_API_KEY is not set" in proc.stderr
    assert "on-missing-api-key: skip" in proc.stderr
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "error"
    assert "gate skipped" not in summary(workspace)


def test_skip_is_not_a_bypass_when_the_key_is_there(workspace):
    """With a key, skip changes nothing: a failing result still fails."""
    with simulator(progress_seconds=0) as sim:
        rid = sim.add_result(catalogue.demo_result(2))
        env = actions_env(
            workspace,
            CEKURA_API_URL=sim.url,
            CEKURA_API_KEY=API_KEY,
            CEKURA_ON_MISSING_API_KEY="skip",
            CEKURA_POLL_INTERVAL="0.2",
        )
        proc = run_gate("check", "--result-id", rid, cwd=workspace, env=env)
    assert proc.returncode == 1, proc.stderr
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "fail"


def test_skip_does_not_apply_to_a_result_file_which_needs_no_key(workspace):
    shutil.copy(fixture_path("failing.json"), workspace / "failing.json")
    env = actions_env(workspace, CEKURA_ON_MISSING_API_KEY="skip")
    proc = run_gate("check", "--result-file", "failing.json", cwd=workspace, env=env)
    assert proc.returncode == 1
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "fail"


def test_an_invalid_config_is_still_an_error_when_skipping(workspace):
    (workspace / ".cekura" / "gate.yml").write_text("version: 1\nthresholdz: {}\n", "utf-8")
    env = actions_env(workspace, CEKURA_ON_MISSING_API_KEY="skip")
    proc = run_gate("check", "--result-id", "5", cwd=workspace, env=env)
    assert proc.returncode == 2
    assert "thresholdz: unknown key" in proc.stderr


def test_an_unknown_mode_is_a_usage_error(workspace):
    proc = run_gate("check", "--result-id", "5", "--on-missing-api-key", "pass", cwd=workspace)
    assert proc.returncode == 2
    assert "--on-missing-api-key: expected one of fail, skip, got 'pass'" in proc.stderr


# -- pr-number: the workflow_run job comments on the pull request that triggered it --------------


def comment_env(workspace: Path, github: FakeGitHub, event: dict, **extra: str) -> dict[str, str]:
    (workspace / "event.json").write_text(json.dumps(event), encoding="utf-8")
    return actions_env(
        workspace,
        CEKURA_COMMENT="always",
        GITHUB_API_URL=github.url,
        GITHUB_TOKEN=GITHUB_TOKEN,
        GITHUB_REPOSITORY="acme/voice-agent",
        GITHUB_WORKFLOW="gate",
        GITHUB_JOB="gate",
        GITHUB_EVENT_PATH=str(workspace / "event.json"),
        **extra,
    )


def test_pr_number_lets_a_workflow_run_job_comment(workspace):
    shutil.copy(fixture_path("failing.json"), workspace / "failing.json")
    with FakeGitHub() as github:
        env = comment_env(
            workspace,
            github,
            {"workflow_run": {"id": 1, "event": "pull_request"}},
            GITHUB_EVENT_NAME="workflow_run",
            CEKURA_PR_NUMBER="17",
        )
        proc = run_gate("check", "--result-file", "failing.json", cwd=workspace, env=env)
        posts = [r for r in github.requests if r.method == "POST"]
    assert proc.returncode == 1
    assert [r.path for r in posts] == ["/repos/acme/voice-agent/issues/17/comments"]
    assert "Pull-request comment created on #17" in proc.stdout


def test_an_explicit_pr_number_wins_over_the_event(workspace):
    shutil.copy(fixture_path("passing.json"), workspace / "passing.json")
    with FakeGitHub() as github:
        env = comment_env(
            workspace,
            github,
            {"pull_request": {"number": 42}, "number": 42},
            GITHUB_EVENT_NAME="pull_request",
        )
        args = ("check", "--result-file", "passing.json", "--pr-number", "7")
        proc = run_gate(*args, cwd=workspace, env=env)
        posts = [r.path for r in github.requests if r.method == "POST"]
    assert proc.returncode == 0, proc.stderr
    assert posts == ["/repos/acme/voice-agent/issues/7/comments"]


def test_without_pr_number_a_workflow_run_job_warns_and_names_it(workspace):
    shutil.copy(fixture_path("passing.json"), workspace / "passing.json")
    with FakeGitHub() as github:
        env = comment_env(
            workspace, github, {"workflow_run": {"id": 1}}, GITHUB_EVENT_NAME="workflow_run"
        )
        proc = run_gate("check", "--result-file", "passing.json", cwd=workspace, env=env)
        assert github.requests == []
    assert proc.returncode == 0
    assert "pr-number is not set" in proc.stdout


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5"])
def test_a_bad_pr_number_is_a_usage_error(workspace, value):
    proc = run_gate("check", "--result-file", "x.json", f"--pr-number={value}", cwd=workspace)
    assert proc.returncode == 2
    assert f"--pr-number: expected a positive whole number, got {value!r}" in proc.stderr
