"""End to end: the real `cekura-gate check` as a subprocess against the simulator over HTTP."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs, run_gate

KEY = "sk-test-sentinel-7f3a9c"
TOKEN = "ghs_test-sentinel-token-5d1e"
CONFIG = """\
version: 1
thresholds:
  min_runs: 3
  success_rate: {min: 90}
  performance_metrics:
    require_all_met: true
"""


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"api_key": KEY, "progress_seconds": 1.0}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def gate(sim: Simulator, workspace: Path, *args: str, **env: str):
    base = {
        "CEKURA_API_KEY": KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "30",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "GITHUB_TOKEN": TOKEN,
    }
    started = time.monotonic()
    proc = run_gate("check", *args, cwd=workspace, env=base | env)
    proc.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    everything = proc.stdout + proc.stderr + summary(workspace)
    if (workspace / "out.txt").exists():
        everything += (workspace / "out.txt").read_text(encoding="utf-8")
    assert KEY not in everything.replace(f"::add-mask::{KEY}", ""), "the API key leaked"
    assert TOKEN not in everything, "the GitHub token leaked"
    assert all(TOKEN not in str(r.headers) for r in sim.requests), "the token went to Cekura"
    assert "Traceback" not in everything
    return proc


def summary(workspace: Path) -> str:
    path = workspace / "summary.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def outputs(workspace: Path) -> dict[str, str]:
    return read_outputs(workspace / "out.txt")


def result_gets(sim: Simulator, rid: str) -> int:
    return sum(1 for r in sim.requests if r.method == "GET" and f"/results/{rid}/" in r.path)


def test_result_progresses_to_completed_and_passes(sim, workspace):
    # Long enough that a slow interpreter start-up cannot miss the intermediate statuses.
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=4)
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0, proc.stderr
    assert outputs(workspace)["verdict"] == "pass"
    assert outputs(workspace)["status"] == "completed"
    assert "::group::Waiting for Cekura result" in proc.stdout
    assert "status running" in proc.stdout
    # the detail first (it names the agent and name), the results list while it runs, the
    # detail once the list shows it ended
    assert result_gets(sim, rid) == 2
    assert sum(1 for r in sim.requests if r.path == "/test_framework/v2/results/") >= 1
    get = next(r for r in sim.requests if r.method == "GET")
    assert get.path == f"/test_framework/v2/results/{rid}/"
    assert get.headers.get("X-CEKURA-API-KEY") == KEY


def test_result_progresses_to_completed_and_fails(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(2))
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 1
    assert outputs(workspace)["verdict"] == "fail"
    assert json.loads(outputs(workspace)["failed-checks"]) == [
        "success_rate",
        "performance_metrics.require_all_met",
    ]
    assert "### What went wrong · 3 problems in 3 calls" in summary(workspace)


@pytest.mark.parametrize("status", ["failed", "timeout", "cancelled"])
def test_terminal_statuses_other_than_completed_exit_3(sim, workspace, status):
    rid = sim.add_result(catalogue.demo_result(1), final_status=status)
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 3
    assert outputs(workspace) | {"verdict": "error", "status": status} == outputs(workspace)
    assert f"ended with status '{status}'" in summary(workspace)


def test_unknown_status_keeps_waiting_until_completed(sim, workspace):
    rid = sim.add_result(
        catalogue.demo_result(1), statuses=("warming_up", "teleporting"), progress_seconds=4
    )
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0
    assert "status warming_up" in proc.stdout
    assert "status teleporting" in proc.stdout


def test_429_with_retry_after_is_honoured(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.status(429, retry_after="1")])
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0
    times = (
        [r.time for r in sim.requests if r.method == "GET"]
        if hasattr(sim.requests[0], "time")
        else None
    )
    assert result_gets(sim, rid) == 2
    assert proc.elapsed >= 1.0  # waited as asked
    if times:
        assert times[1] - times[0] >= 0.95


def test_burst_of_5xx_then_success(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.status(503), Fault.status(502), Fault.status(500)])
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0
    assert result_gets(sim, rid) == 4
    assert "retrying" in proc.stdout


def test_dropped_connection_is_retried(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.drop(), Fault.truncated()])
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0
    assert result_gets(sim, rid) == 3


def test_wrong_key_exits_3_with_the_fix(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1))
    proc = gate(sim, workspace, "--result-id", rid, CEKURA_API_KEY="wrong-key-123")
    assert proc.returncode == 3
    assert "refused the API key" in proc.stderr
    assert "CEKURA\\_API\\_KEY" in summary(workspace)  # Markdown-escaped
    assert result_gets(sim, rid) == 1  # a permanent error is not retried
    shown = proc.stdout.replace("::add-mask::wrong-key-123", "") + proc.stderr + summary(workspace)
    assert "wrong-key-123" not in shown


def test_unknown_result_exits_3_naming_id_and_url(sim, workspace):
    proc = gate(sim, workspace, "--result-id", "999999")
    assert proc.returncode == 3
    assert "999999" in proc.stderr
    assert sim.url in proc.stderr
    assert outputs(workspace)["verdict"] == "error"
    assert outputs(workspace)["result-id"] == "999999"


def test_persistent_non_json_200_times_out_with_the_last_error(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.html()] * 50)
    proc = gate(sim, workspace, "--result-id", rid, CEKURA_TIMEOUT="2")
    assert proc.returncode == 3
    assert "not JSON" in proc.stderr or "text/html" in proc.stderr
    assert proc.elapsed < 10


def test_deadline_expires_while_server_stops_answering(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=600)
    sim.script(rid, [Fault.status(503)] + [Fault.slow(30)] * 10)
    proc = gate(sim, workspace, "--result-id", rid, CEKURA_TIMEOUT="3")
    assert proc.returncode == 3
    assert proc.elapsed < 3 + 5  # within a few seconds of the deadline
    assert outputs(workspace)["verdict"] == "error"
    assert "timed out" in proc.stderr or "3s" in proc.stderr


def test_timeout_reports_last_status_and_progress(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=600, statuses=("running",))
    proc = gate(sim, workspace, "--result-id", rid, CEKURA_TIMEOUT="1.5")
    assert proc.returncode == 3
    assert "running" in proc.stderr
    assert "running" in summary(workspace)
    assert outputs(workspace)["status"] == "running"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("false", "/test_framework/v1/scenarios/run_scenarios/"),
        ("true", "/test_framework/v1/scenarios/run_scenarios_text/"),
    ],
)
def test_started_run_voice_and_text(sim, workspace, text, path):
    proc = gate(
        sim,
        workspace,
        "--agent-id",
        "1",
        "--scenarios",
        "11541,11542,11543",
        "--frequency",
        "2",
        "--run-as-text",
        text,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [p.path for p in posts] == [path]
    assert posts[0].body == {"agent_id": 1, "scenarios": [11541, 11542, 11543], "frequency": 2}
    out = outputs(workspace)
    assert out["verdict"] == "pass"
    assert "Started a" in proc.stdout
    assert int(out["result-id"]) >= 5001


def test_started_run_by_tags_fails_on_regressed_agent(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "2", "--tags", "smoke")
    assert proc.returncode == 1
    post = next(r for r in sim.requests if r.method == "POST")
    assert post.body == {"agent_id": 2, "tags": ["smoke"], "frequency": 1}


def test_post_that_drops_is_sent_exactly_once(sim, workspace):
    sim.script(None, [Fault.drop()])
    proc = gate(sim, workspace, "--agent-id", "1", "--scenarios", "11541")
    assert proc.returncode == 3
    assert [r.method for r in sim.requests].count("POST") == 1
    assert "may have been created" in proc.stderr
    assert "may have been created" in summary(workspace)


def test_result_id_output_is_written_as_soon_as_the_run_starts(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "1", "--scenarios", "11541", CEKURA_TIMEOUT="0.5")
    assert proc.returncode in (0, 3)
    lines = (workspace / "out.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("result-id=")  # before any other output


def test_missing_api_key_is_a_usage_error(sim, workspace):
    proc = gate(sim, workspace, "--result-id", "1", CEKURA_API_KEY="")
    assert proc.returncode == 2
    assert "CEKURA_API_KEY is not set" in proc.stderr
    assert sim.requests == []
