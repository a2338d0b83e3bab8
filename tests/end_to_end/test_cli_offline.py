"""End to end: the real command on saved result files, no network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import ROOT, read_outputs, run_gate
from tests.conftest import fixture_path

CONFIG = """\
version: 1
thresholds:
  success_rate: {min: 90}
  failed_workflow_runs: {max: 0}
  performance_metrics:
    require_all_met: true
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    for name in ("passing.json", "failing.json", "zero_runs.json", "infra_failed.json"):
        shutil.copy(fixture_path(name), tmp_path / name)
    return tmp_path


def github_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(tmp_path / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }


def test_passing_result_exits_0_with_outputs_and_summary(workspace: Path):
    proc = run_gate(
        "check", "--result-file", "passing.json", cwd=workspace, env=github_env(workspace)
    )
    assert proc.returncode == 0, proc.stderr
    outputs = read_outputs(workspace / "outputs.txt")
    assert outputs == {
        "verdict": "pass",
        "result-id": "4101",
        "status": "completed",
        "success-rate": "100",
        "failed-checks": "[]",
        "result-url": "https://dashboard.cekura.ai/42/results/4101",
        "blocking-checks": "0",
        "warning-checks": "0",
        "total-runs": "3",
        "failed-runs": "0",
        "comment-url": "",
    }
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ✅ Cekura gate passed")
    assert "policy: .cekura/gate.yml" in summary
    assert "cekura-gate PASSED for result 4101" in proc.stdout


def test_failing_result_exits_1_and_annotates(workspace: Path):
    proc = run_gate(
        "check", "--result-file", "failing.json", cwd=workspace, env=github_env(workspace)
    )
    assert proc.returncode == 1, proc.stderr
    outputs = read_outputs(workspace / "outputs.txt")
    assert outputs["verdict"] == "fail"
    assert json.loads(outputs["failed-checks"]) == [
        "success_rate",
        "failed_workflow_runs",
        "performance_metrics.require_all_met",
    ]
    assert outputs["success-rate"] == "50"
    assert (outputs["blocking-checks"], outputs["total-runs"], outputs["failed-runs"]) == (
        "3",
        "4",
        "2",
    )
    errors = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 3
    assert "Success rate" in errors[0]
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert "### What went wrong · 2 problems in 2 calls" in summary
    assert "Emergency triage" in summary


def test_without_summary_file_the_report_goes_to_stdout(workspace: Path):
    proc = run_gate("check", "--result-file", "failing.json", cwd=workspace)
    assert proc.returncode == 1
    assert proc.stdout.startswith("## ❌ Cekura gate failed")
    assert "::error" not in proc.stdout  # annotations only inside GitHub Actions


def test_default_policy_when_no_config_exists(tmp_path: Path):
    shutil.copy(fixture_path("passing.json"), tmp_path / "r.json")
    proc = run_gate("check", "--result-file", "r.json", cwd=tmp_path)
    assert proc.returncode == 0
    assert "policy: default policy" in proc.stdout


def test_zero_runs_exits_3_and_says_why(workspace: Path):
    env = github_env(workspace)
    proc = run_gate("check", "--result-file", "zero_runs.json", cwd=workspace, env=env)
    assert proc.returncode == 3
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "error"
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert "could not evaluate" in summary
    assert "has 0 run(s) but at least 1 are required" in summary


def test_infrastructure_failed_result_exits_3(workspace: Path):
    proc = run_gate("check", "--result-file", "infra_failed.json", cwd=workspace)
    assert proc.returncode == 3
    assert "ended with status 'failed'" in proc.stdout


def test_invalid_config_exits_2_without_traceback(workspace: Path):
    bad = workspace / "bad.yml"
    bad.write_text("version: 1\nthresholds:\n  success_rate:\n    min: ninety\n", encoding="utf-8")
    proc = run_gate("check", "--result-file", "passing.json", "--config", "bad.yml", cwd=workspace)
    assert proc.returncode == 2
    assert "bad.yml:4: thresholds.success_rate.min: expected a number from 0 to 100" in proc.stderr
    assert "bad.yml:4: thresholds.success\\_rate.min" in proc.stdout  # the report, escaped
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "check needs exactly one result source, got no result source"),
        (["--result-file", "a.json", "--result-id", "3"], "more than one result source"),
        (["--result-id", "abc"], "--result-id: expected a positive whole number, got 'abc'"),
        (["--result-id", "3", "--timeout", "soon"], "--timeout: expected a duration"),
        (["--result-id", "3", "--comment", "sometimes"], "--comment: expected one of off"),
        (["--agent-id", "5"], "--agent-id needs exactly one of --scenarios"),
        (["--result-id", "3", "--api-url", "http://api.example.com"], "plain http would send"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--config"], "argument --config: expected one argument"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args, message):
    proc = run_gate("check", *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_environment_variables_and_empty_values(workspace: Path):
    env = {"CEKURA_RESULT_FILE": "failing.json", "CEKURA_RESULT_ID": "", "CEKURA_CONFIG": ""}
    proc = run_gate("check", cwd=workspace, env=env)
    assert proc.returncode == 1  # empty CEKURA_RESULT_ID counts as unset


def test_flag_beats_variable(workspace: Path):
    env = {"CEKURA_RESULT_FILE": "failing.json"}
    proc = run_gate("check", "--result-file", "passing.json", cwd=workspace, env=env)
    assert proc.returncode == 0


def test_missing_result_file_is_a_usage_error(workspace: Path):
    proc = run_gate("check", "--result-file", "nope.json", cwd=workspace)
    assert proc.returncode == 2
    assert "--result-file: nope.json does not exist" in proc.stderr


def test_broken_json_file_exits_3(workspace: Path):
    (workspace / "broken.json").write_text('{"id": 1, "runs": {', encoding="utf-8")
    proc = run_gate("check", "--result-file", "broken.json", cwd=workspace)
    assert proc.returncode == 3
    assert "broken.json is not valid JSON" in proc.stderr


def test_validate_reports_problems_with_lines_and_exit_2(workspace: Path):
    (workspace / "bad.yml").write_text("version: 1\nthreshold: {}\n", encoding="utf-8")
    proc = run_gate("validate", "--config", "bad.yml", cwd=workspace)
    assert proc.returncode == 2
    assert "bad.yml:2: threshold: unknown key; did you mean 'thresholds'?" in proc.stderr


def test_validate_accepts_the_default_location(workspace: Path):
    proc = run_gate("validate", cwd=workspace)
    assert proc.returncode == 0
    assert ".cekura/gate.yml: valid." in proc.stdout


@pytest.mark.parametrize("name", ["gate.yml", "strict.yml", "lenient.yml"])
def test_example_configs_are_valid(name: str, tmp_path: Path):
    proc = run_gate("validate", "--config", str(ROOT / "examples" / name), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_version_and_no_command(tmp_path: Path):
    from gate import __version__

    proc = run_gate("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"cekura-gate {__version__}"
    proc = run_gate(cwd=tmp_path)
    assert proc.returncode == 2
    assert "no command given" in proc.stderr
    proc = run_gate("nonsense", cwd=tmp_path)
    assert proc.returncode == 2
    assert "invalid choice: 'nonsense'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_result_file_is_judged_without_importing_the_http_client(workspace: Path):
    """Offline, the gate never pays for requests (about 50 ms of start-up): nothing to call."""
    import subprocess
    import sys

    script = (
        "import io, os, sys\n"
        "from gate.cli import main\n"
        "code = main(['check', '--result-file', 'failing.json'], dict(os.environ),"
        " stdout=io.StringIO(), stderr=io.StringIO())\n"
        "print(code, 'requests' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=workspace, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "False"]
