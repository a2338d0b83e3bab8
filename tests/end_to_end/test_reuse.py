"""Reuse on re-run, end to end: attempts of one workflow job (same GITHUB_RUN_ID, a higher
GITHUB_RUN_ATTEMPT) run the real command against the simulator over HTTP."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from gate.simulator.server import Simulator
from tests.gate_harness import GateRun, gate_env, launch, make_workspace

#: a run takes this long in the simulator: long enough to stop an attempt part-way
SIMULATOR = {"progress_seconds": 6.0}
START = ("--agent-id", "1", "--scenarios", "11541,11542")


def attempt(tmp_path: Path, sim: Simulator, number: int, **env: str) -> GateRun:
    workspace = make_workspace(tmp_path / f"attempt-{number}")
    run = launch(
        workspace,
        *START,
        env=gate_env(workspace, api_url=sim.url, GITHUB_RUN_ATTEMPT=str(number), **env),
    )
    return run


def starts(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and "run_scenarios" in r.path)


def renames(sim: Simulator) -> list[dict]:
    return [r.body for r in sim.requests if r.method == "PATCH"]


def wait_for_start(sim: Simulator) -> None:
    end = time.monotonic() + 20
    while not any(r.method == "GET" for r in sim.requests):
        assert time.monotonic() < end, "the first attempt never started its run"
        time.sleep(0.02)


def test_a_re_run_after_a_cancelled_attempt_starts_nothing_and_gates_that_run(tmp_path, sim):
    first = attempt(tmp_path, sim, 1, CEKURA_END_CALLS_ON_CANCEL="false")
    wait_for_start(sim)
    first.proc.send_signal(signal.SIGTERM)  # the job is cancelled while it waits
    first.wait(timeout=30)
    assert first.returncode == 3
    assert renames(sim) == []  # no verdict: no marker

    second = attempt(tmp_path, sim, 2).wait(timeout=60)
    assert second.returncode == 0, second.log
    assert starts(sim) == 1  # the one run, started by the first attempt
    assert second.outputs["result-id"] == first.outputs["result-id"]
    assert "Reattached to result" in second.summary
    assert "started by attempt 1 of this job" in second.summary
    # the second attempt reached a verdict: the run's name is marked
    (body,) = renames(sim)
    assert body["name"].endswith(" attempt 1 judged")


def test_a_re_run_after_a_verdict_starts_a_new_run(tmp_path, sim):
    first = attempt(tmp_path, sim, 1).wait(timeout=60)
    assert first.returncode == 0, first.log
    (body,) = renames(sim)
    assert body["name"].startswith("cekura-gate acme/voice-agent run 777 job gate key ")
    assert body["name"].endswith(" attempt 1 judged")

    second = attempt(tmp_path, sim, 2).wait(timeout=60)
    assert second.returncode == 0, second.log
    assert starts(sim) == 2  # "try again": one start request for each run
    assert second.outputs["result-id"] != first.outputs["result-id"]
    assert "Reattached" not in second.summary
    started = [r.body for r in sim.requests if r.method == "POST" and "run_scenarios" in r.path]
    assert started[1]["name"].endswith(" attempt 2")


def test_reuse_always_regates_a_judged_run(tmp_path, sim):
    first = attempt(tmp_path, sim, 1).wait(timeout=60)
    assert first.returncode == 0, first.log
    second = attempt(tmp_path, sim, 2, CEKURA_REUSE="always").wait(timeout=60)
    assert second.returncode == 0, second.log
    assert starts(sim) == 1
    assert second.outputs["result-id"] == first.outputs["result-id"]
    assert "which reached a verdict on it (reuse: always)" in second.summary


def test_reuse_never_starts_anew_even_after_a_timed_out_attempt(tmp_path, sim):
    first = attempt(tmp_path, sim, 1, CEKURA_TIMEOUT="1").wait(timeout=60)
    assert first.returncode == 3  # timed out waiting: no verdict
    second = attempt(tmp_path, sim, 2, CEKURA_REUSE="never").wait(timeout=60)
    assert second.returncode == 0, second.log
    assert starts(sim) == 2


def test_a_re_run_after_a_timed_out_attempt_waits_for_that_run(tmp_path, sim):
    first = attempt(tmp_path, sim, 1, CEKURA_TIMEOUT="1").wait(timeout=60)
    assert first.returncode == 3
    second = attempt(tmp_path, sim, 2).wait(timeout=60)
    assert second.returncode == 0, second.log
    assert starts(sim) == 1
    assert second.outputs["result-id"] == first.outputs["result-id"]


def test_another_matrix_leg_does_not_take_the_run_of_this_one(tmp_path, sim):
    first = attempt(tmp_path, sim, 1, CEKURA_TIMEOUT="1").wait(timeout=60)
    assert first.returncode == 3
    workspace = make_workspace(tmp_path / "other-leg")
    other = launch(
        workspace,
        "--agent-id",
        "1",
        "--scenarios",
        "11543",  # the same job, another leg: another key
        env=gate_env(workspace, api_url=sim.url, GITHUB_RUN_ATTEMPT="2"),
    ).wait(timeout=60)
    assert other.returncode == 0, other.log
    assert starts(sim) == 2
