"""Decide early, end to end: the real command starts a run on the simulator over HTTP, watches
its runs finish, and stops as soon as the verdict can no longer be a pass."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gate.simulator import catalogue
from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs, run_gate

KEY = "sk-test-sentinel-early-1"
#: six scenarios; the first run (11541) fails its expected outcome, the rest pass
SCENARIOS = "11541,11542,11543,11544,11545,11546"
FAILING_AGENT = 31
#: runs finish one by one between 50% and 75% of this (pending, in_queue, running, evaluating)
SIMULATOR = {"api_key": KEY, "progress_seconds": 12.0}
END_CALLS = "/end_calls/"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path  # no .cekura/gate.yml: the default policy (every run must succeed)


def gate(sim: Simulator, workspace: Path, *args: str, **env: str):
    base = {
        "CEKURA_API_KEY": KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "60",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    }
    started = time.monotonic()
    proc = run_gate("check", *args, cwd=workspace, env=base | env)
    proc.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def posts(sim: Simulator, part: str) -> list:
    return [r for r in sim.requests if r.method == "POST" and part in r.path]


def summary(workspace: Path) -> str:
    return (workspace / "summary.md").read_text(encoding="utf-8")


@pytest.fixture
def failing(sim: Simulator) -> Simulator:
    sim.set_agent(FAILING_AGENT, {11541: "outcome_fail"})
    return sim


def test_a_run_that_can_no_longer_pass_is_decided_early_with_one_end_calls(failing, workspace):
    proc = gate(failing, workspace, "--agent-id", str(FAILING_AGENT), "--scenarios", SCENARIOS)
    assert proc.returncode == 1, proc.stderr
    outputs = read_outputs(workspace / "out.txt")
    rid = outputs["result-id"]
    assert outputs["verdict"] == "fail"
    assert outputs["status"] == "running"  # stopped before the end
    assert outputs["failed-checks"] == '["success_rate"]'
    assert len(posts(failing, "run_scenarios")) == 1
    (end,) = posts(failing, END_CALLS)
    assert end.path == f"/test_framework/v1/results/{rid}/end_calls/"
    text = summary(workspace)
    assert "Decided early: 5 calls not needed (Cekura was asked to end them)" in text
    assert "not reached" in text  # min_runs, the rubric: known only at the end
    # the runs not needed are not reported as failing: only the one that failed is
    assert "### What went wrong · 1 problem in 1 call" in text.replace("\u00a0", " ")
    assert "no success flag" not in text
    # it stopped after the first run, long before the result would have ended
    assert proc.elapsed < 12.0  # type: ignore[attr-defined]
    # the detail was fetched once, to decide; the waiting was done on the list
    details = [r for r in failing.requests if r.method == "GET" and f"/results/{rid}/" in r.path]
    assert len(details) == 1
    assert any(r.path == "/test_framework/v2/results/" for r in failing.requests)


def test_end_calls_on_fail_false_stops_waiting_but_lets_the_calls_finish(failing, workspace):
    proc = gate(
        failing,
        workspace,
        "--agent-id",
        str(FAILING_AGENT),
        "--scenarios",
        SCENARIOS,
        CEKURA_END_CALLS_ON_FAIL="false",
    )
    assert proc.returncode == 1, proc.stderr
    assert posts(failing, END_CALLS) == []
    assert len(posts(failing, "run_scenarios")) == 1
    assert "end-calls-on-fail is false: they were left to finish" in summary(workspace)


def test_a_result_given_by_id_is_never_decided_early(sim, workspace):
    rid = sim.add_result(catalogue.demo_result(2), progress_seconds=3.0)
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 1, proc.stderr
    assert read_outputs(workspace / "out.txt")["status"] == "completed"  # waited to the end
    assert posts(sim, END_CALLS) == []
    assert "Decided early" not in summary(workspace)


def test_a_run_that_passes_is_never_decided_early(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "1", "--scenarios", "11541,11542")
    assert proc.returncode == 0, proc.stderr
    assert read_outputs(workspace / "out.txt")["status"] == "completed"
    assert posts(sim, END_CALLS) == []
    assert len(posts(sim, "run_scenarios")) == 1
