"""Config discovery that cannot surprise: `.cekura/gate.yml` or `.cekura/gate.yaml`, both at
once is a usage error naming both, and without either the log and the summary say the default
policy applied and what it is. The real command on saved result files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_runner import read_outputs, run_gate
from tests.conftest import fixture_path
from tests.gate_harness import workflow_commands

#: the passing fixture has 3 runs: this config fails it where the default policy would not
STRICT = "version: 1\nthresholds:\n  min_runs: 5\n"
LENIENT = "version: 1\nthresholds:\n  min_runs: 1\n  success_rate: {min: 10}\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copy(fixture_path("passing.json"), tmp_path / "passing.json")
    return tmp_path


def write(workspace: Path, name: str, text: str) -> None:
    (workspace / ".cekura").mkdir(exist_ok=True)
    (workspace / ".cekura" / name).write_text(text, encoding="utf-8")


def check(workspace: Path, *args: str, **env: str):
    base = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    }
    return run_gate("check", "--result-file", "passing.json", *args, cwd=workspace, env=base | env)


def summary(workspace: Path) -> str:
    return (workspace / "summary.md").read_text(encoding="utf-8")


def test_a_yaml_extension_is_found_and_applied(workspace):
    write(workspace, "gate.yaml", STRICT)
    proc = check(workspace)
    assert proc.returncode == 3, (
        proc.stderr
    )  # too few runs for its min_runs, not the default policy's
    assert "Runs in the result: 3 (threshold ≥ 5)" in proc.stdout
    assert "policy: .cekura/gate.yaml" in summary(workspace)
    assert "default policy" not in proc.stdout + proc.stderr


def test_the_yml_extension_still_works(workspace):
    write(workspace, "gate.yml", STRICT)
    assert check(workspace).returncode == 3
    assert "policy: .cekura/gate.yml" in summary(workspace)


def test_both_files_are_a_usage_error_naming_both(workspace):
    write(workspace, "gate.yml", LENIENT)
    write(workspace, "gate.yaml", STRICT)
    proc = check(workspace)
    assert proc.returncode == 2
    message = proc.stderr
    assert "usage error: found both .cekura/gate.yml and .cekura/gate.yaml" in message
    assert "--config" in message
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "error"
    assert ".cekura/gate.yaml" in summary(workspace)


def test_both_files_with_an_explicit_config_is_fine(workspace):
    write(workspace, "gate.yml", LENIENT)
    write(workspace, "gate.yaml", STRICT)
    proc = check(workspace, "--config", ".cekura/gate.yml")
    assert proc.returncode == 0, proc.stderr


def test_validate_with_both_files_is_a_usage_error_too(workspace):
    write(workspace, "gate.yml", LENIENT)
    write(workspace, "gate.yaml", LENIENT)
    proc = run_gate("validate", cwd=workspace)
    assert proc.returncode == 2
    assert "found both .cekura/gate.yml and .cekura/gate.yaml" in proc.stderr


def test_validate_finds_the_yaml_extension(workspace):
    write(workspace, "gate.yaml", STRICT)
    proc = run_gate("validate", cwd=workspace)
    assert proc.returncode == 0
    assert proc.stdout.startswith(".cekura/gate.yaml: valid. The gate will check: at least 5 run")


def test_without_a_config_the_log_and_summary_say_the_default_policy_applied(workspace):
    proc = check(workspace)
    assert proc.returncode == 0, proc.stderr
    notices = [c for c in workflow_commands(proc.stdout) if c.name == "notice"]
    assert len(notices) == 1
    what = (
        "the default policy applies: at least 1 run(s), success rate ≥ 100%, every rubric "
        "rule met (where the result has rubric rules)"
    )
    assert what in notices[0].data
    assert ".cekura/gate.yml nor .cekura/gate.yaml" in notices[0].data
    text = summary(workspace)
    assert "policy: default policy" in text
    assert what in text


def test_without_a_config_outside_actions_the_notice_goes_to_stderr(workspace):
    proc = run_gate("check", "--result-file", "passing.json", cwd=workspace)
    assert proc.returncode == 0
    assert "cekura-gate: notice: No config file" in proc.stderr
    assert "the default policy applies" in proc.stdout  # the report says it too


def test_with_a_config_there_is_no_default_policy_notice(workspace):
    write(workspace, "gate.yml", LENIENT)
    proc = check(workspace)
    assert proc.returncode == 0
    assert "::notice" not in proc.stdout
    assert "default policy" not in summary(workspace)
