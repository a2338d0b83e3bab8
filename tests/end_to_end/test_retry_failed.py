"""retry_failed, end to end: the real command starts a run on the simulator over HTTP, and
after a fail starts exactly one more run of only the failed scenarios, then judges both."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs, run_gate
from tests.gate_harness import gate_env, launch, make_workspace

KEY = "sk-test-sentinel-retry-1"
SCENARIOS = "11541,11542,11543"
AGENT = 41
#: a run lasts this long: the retry is still running when a test cancels the job
SIMULATOR = {"api_key": KEY, "progress_seconds": 1.5}
#: 11541 must pass at least once; the overall rate is low enough that one failure of three
#: does not decide the first run early, so both runs are judged whole
CONFIG = """\
version: 1
thresholds:
  success_rate: {{min: 50}}
  scenarios:
    - {{id: 11541, min_passes: 1}}
  flaky: {{level: {flaky}}}
{retry}"""
RETRY = "retry_failed: {times: 1, max_calls: 20}\n"


def gate(sim: Simulator, workspace: Path, config: str, *args: str):
    (workspace / ".cekura").mkdir(exist_ok=True)
    (workspace / ".cekura" / "gate.yml").write_text(config, encoding="utf-8")
    env = {
        "CEKURA_API_KEY": KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "60",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    }
    start = ("--agent-id", str(AGENT), "--scenarios", SCENARIOS, *args)
    proc = run_gate("check", *start, cwd=workspace, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def starts(sim: Simulator) -> list:
    return [r for r in sim.requests if r.method == "POST" and "run_scenarios" in r.path]


def summary(workspace: Path) -> str:
    text = (workspace / "summary.md").read_text(encoding="utf-8")
    return text.replace("\u00a0", " ").replace("\\_", "_")  # Markdown's escaped underscores


def passes_after_the_first_start(sim: Simulator) -> threading.Thread:
    """11541 fails in the first run and passes in any later one: the agent is changed as soon
    as the first run exists (the simulator reads the agent when the start arrives)."""
    sim.set_agent(AGENT, {11541: "outcome_fail"})
    first = int(sim.next_result_id)

    def flip() -> None:
        end = time.monotonic() + 30
        while int(sim.next_result_id) == first and time.monotonic() < end:
            time.sleep(0.01)
        sim.set_agent(AGENT, {11541: "pass"})

    thread = threading.Thread(target=flip, daemon=True)
    thread.start()
    return thread


def test_a_retry_that_passes_makes_the_scenario_flaky_and_a_warning_lets_the_gate_pass(
    sim, tmp_path
):
    flip = passes_after_the_first_start(sim)
    proc = gate(sim, tmp_path, CONFIG.format(flaky="warn", retry=RETRY))
    flip.join()
    assert proc.returncode == 0, proc.stderr
    first, retry = starts(sim)  # exactly one start per run: the run, then the retry
    assert first.body["scenarios"] == [11541, 11542, 11543]
    assert retry.body["scenarios"] == [11541]  # only the failed scenario, by id
    assert retry.body["agent_id"] == AGENT and retry.body["frequency"] == 1
    outputs = read_outputs(tmp_path / "out.txt")
    assert outputs["result-id"] == str(int(sim.next_result_id) - 2)  # the first run's
    text = summary(tmp_path)
    retried = int(sim.next_result_id) - 1
    assert f"Retried 1 failed scenario once: result {retried} (1 of 1 passed)." in text
    # both outcomes are shown: the scenario is flaky, and every run counts in the rate
    assert "flaky (1/2)" in text
    assert "**75%** (3/4)" in text  # the failed run still counts: no best of n
    assert "1 call did not succeed" in text


def test_a_retry_that_passes_still_fails_the_gate_when_flakiness_is_an_error(sim, tmp_path):
    flip = passes_after_the_first_start(sim)
    proc = gate(sim, tmp_path, CONFIG.format(flaky="error", retry=RETRY))
    flip.join()
    assert proc.returncode == 1, proc.stderr
    assert len(starts(sim)) == 2
    outputs = read_outputs(tmp_path / "out.txt")
    assert outputs["verdict"] == "fail"
    assert "flaky[11541]" in outputs["failed-checks"]
    assert "scenarios[11541].min_passes" not in outputs["failed-checks"]  # 1 of 2 passed
    assert "Retried 1 failed scenario once" in summary(tmp_path)


def test_a_retry_over_max_calls_is_not_started_and_the_report_says_why(sim, tmp_path):
    sim.set_agent(AGENT, {11541: "outcome_fail", 11542: "outcome_fail"})
    config = CONFIG.format(flaky="warn", retry="retry_failed: {max_calls: 3}\n").replace(
        "min: 50", "min: 30"
    )
    proc = gate(sim, tmp_path, config, "--frequency", "2")
    assert proc.returncode == 1, proc.stderr
    assert len(starts(sim)) == 1  # 2 scenarios x frequency 2 = 4 calls > 3: no retry
    text = summary(tmp_path)
    assert (
        "Not retried: retrying 2 failed scenarios would place 4 calls, more than "
        "retry_failed.max_calls (3); raise max_calls to allow it." in text
    )
    assert "Retried" not in text


@pytest.mark.parametrize("retry", ["", RETRY])
def test_a_run_that_passes_or_a_config_without_retry_failed_starts_one_run(sim, tmp_path, retry):
    # without retry_failed a failing run is judged as today: one start, no retry note
    sim.set_agent(AGENT, {11541: "outcome_fail"} if not retry else {})
    proc = gate(sim, tmp_path, CONFIG.format(flaky="warn", retry=retry))
    assert proc.returncode == (1 if not retry else 0), proc.stderr
    assert len(starts(sim)) == 1
    assert "etried" not in summary(tmp_path)


def test_a_run_decided_early_is_retried_with_its_finished_failures_and_every_run_counts(
    sim, tmp_path
):
    # success_rate min 100: the first failed run decides early; the retry cannot undo it
    sim.set_agent(AGENT, {11541: "outcome_fail"})
    config = "version: 1\nthresholds:\n  success_rate: {min: 100}\n" + RETRY
    proc = gate(sim, tmp_path, config)
    assert proc.returncode == 1, proc.stderr
    _, retry = starts(sim)
    assert retry.body["scenarios"] == [11541]
    ended = [r for r in sim.requests if r.method == "POST" and "/end_calls/" in r.path]
    assert len(ended) == 1  # the first run's remaining calls, once
    text = summary(tmp_path)
    assert "Decided early:" in text
    assert "Retried 1 failed scenario once:" in text
    assert read_outputs(tmp_path / "out.txt")["failed-checks"] == '["success_rate"]'


def test_a_job_cancelled_while_the_retry_runs_ends_the_retrys_calls(sim, tmp_path):
    sim.set_agent(AGENT, {11541: "outcome_fail"})
    workspace = make_workspace(tmp_path, config=CONFIG.format(flaky="warn", retry=RETRY))
    env = gate_env(workspace, api_url=sim.url, CEKURA_API_KEY=KEY, CEKURA_TIMEOUT="60")
    run = launch(workspace, "--agent-id", str(AGENT), "--scenarios", SCENARIOS, env=env)
    end = time.monotonic() + 30
    while len(starts(sim)) < 2:
        assert time.monotonic() < end and run.proc.poll() is None, "no retry was started"
        time.sleep(0.02)
    run.proc.send_signal(signal.SIGTERM)  # the job is cancelled while it waits for the retry
    run.wait(timeout=30)
    assert run.returncode == 3
    retried = str(int(sim.next_result_id) - 1)
    ended = [r.path for r in sim.requests if r.method == "POST" and "/end_calls/" in r.path]
    assert ended == [f"/test_framework/v1/results/{retried}/end_calls/"]


def test_times_2_retries_again_only_what_failed_in_the_retry(sim, tmp_path):
    sim.set_agent(AGENT, {11541: "outcome_fail"})  # fails every time: a stable fail
    config = CONFIG.format(flaky="warn", retry="retry_failed: {times: 2, max_calls: 2}\n")
    proc = gate(sim, tmp_path, config)
    assert proc.returncode == 1, proc.stderr
    bodies = [r.body["scenarios"] for r in starts(sim)]
    assert bodies == [[11541, 11542, 11543], [11541], [11541]]  # 2 calls: exactly max_calls
    text = summary(tmp_path)
    assert "Retried 1 failed scenario once:" in text
    assert "Retried 1 failed scenario a second time:" in text
    assert "stable fail (0/3)" in text
