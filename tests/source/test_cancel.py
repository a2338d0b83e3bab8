"""Cancellation: SIGINT, then SIGTERM, while the gate waits.

The gate must write a short summary (cancelled, last status, progress), set verdict=error and
exit 3 within 2 seconds of the signal; when it started the run itself it first asks Cekura to
end the calls (POST /test_framework/v1/results/{id}/end_calls/) unless end-calls-on-cancel is
false. A second signal exits at once.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gate.check import run_check
from gate.settings.read import from_sources
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from gate.source.cancel import Cancellation
from tests.gate_harness import (
    API_KEY,
    FakeGitHub,
    GateRun,
    check_commands,
    check_outputs,
    gate_env,
    make_workspace,
)
from tests.gate_harness import launch as launch_gate

#: the gate is gone this soon after the signal: well inside the 7.5 s a GitHub runner allows
#: between SIGINT and SIGTERM, with room for a loaded CI machine (usually under a second)
EXIT_WITHIN = 5.0
END_CALLS = "/end_calls/"


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"progress_seconds": 600}


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "the gate never got there"
        time.sleep(0.01)


def count(sim: Simulator, method: str, part: str = "") -> int:
    return sum(1 for r in sim.requests if r.method == method and part in r.path)


def start(tmp_path: Path, sim: Simulator, github: FakeGitHub, *args: str, **env: str) -> GateRun:
    workspace = make_workspace(tmp_path)
    return launch_gate(
        workspace, *args, env=gate_env(workspace, api_url=sim.url, github=github, **env)
    )


def signal_and_wait(run: GateRun, *signals: signal.Signals, gap: float = 0.3) -> float:
    """Send the signals (`gap` apart); returns seconds from the first one to the exit."""
    sent = time.monotonic()
    for n, number in enumerate(signals):
        if n:
            time.sleep(gap)
        run.proc.send_signal(number)
    run.wait(timeout=30)
    return run.ended - sent


def check_cancelled(run: GateRun, github: FakeGitHub, sim: Simulator, seconds: float) -> str:
    context = f"{run.stdout}\n{run.stderr}\n{run.summary}"
    assert seconds < EXIT_WITHIN, f"took {seconds:.2f}s to exit: {context}"
    assert run.returncode == 3, context
    outputs = check_outputs(run)
    assert outputs["verdict"] == "error"
    summary = run.summary.replace("\\", "")
    assert "could not evaluate" in summary
    assert "What happened (cancelled)" in summary
    commands = check_commands(run.stdout)
    assert any(c.name == "error" and "cancelled" in c.properties["title"] for c in commands)
    assert [r for r in github.requests if r.method != "GET"] == []  # no comment on a cancel
    run.check_no_leak(github=github, sims=[sim])
    return summary


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_cancel_while_waiting_reports_last_status_and_progress(tmp_path, sim, github, number):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=600, statuses=("running",))
    run = start(tmp_path, sim, github, "--result-id", rid)
    wait_until(lambda: count(sim, "GET") >= 2)  # the detail, then the light view

    seconds = signal_and_wait(run, number)

    summary = check_cancelled(run, github, sim, seconds)
    assert f"cancelled ({number.name}) while waiting for result {rid}" in summary
    assert "last status was 'running'" in summary
    assert "of 6 runs completed" in summary
    assert "did not start this result" in summary
    assert run.outputs["status"] == "running"
    assert run.outputs["result-id"] == rid
    assert count(sim, "POST") == 0  # someone else's run: its calls are not ours to end


def test_cancel_of_a_started_run_ends_its_calls_first(tmp_path, sim, github):
    run = start(tmp_path, sim, github, "--agent-id", "1", "--scenarios", "11541,11542")
    wait_until(lambda: count(sim, "GET") >= 1)
    rid = run_id(sim)

    seconds = signal_and_wait(run, signal.SIGTERM)

    summary = check_cancelled(run, github, sim, seconds)
    ends = [r for r in sim.requests if r.method == "POST" and END_CALLS in r.path]
    assert [r.path for r in ends] == [f"/test_framework/v1/results/{rid}/end_calls/"]
    assert ends[0].headers["X-CEKURA-API-KEY"] == API_KEY
    assert "asked Cekura to end its calls" in summary
    assert run.outputs["result-id"] == rid
    assert run.outputs["status"] in {"pending", "in_queue", "running"}


def test_end_calls_on_cancel_false_leaves_the_calls(tmp_path, sim, github):
    run = start(
        tmp_path,
        sim,
        github,
        "--agent-id",
        "1",
        "--tags",
        "smoke",
        CEKURA_END_CALLS_ON_CANCEL="false",
    )
    wait_until(lambda: count(sim, "GET") >= 1)

    seconds = signal_and_wait(run, signal.SIGINT)

    summary = check_cancelled(run, github, sim, seconds)
    assert count(sim, "POST", END_CALLS) == 0
    assert "end-calls-on-cancel is false" in summary


def test_a_request_in_flight_does_not_hold_the_exit(tmp_path, sim, github):
    """The second poll hangs for 30 s (the poll's request timeout): the cancel does not wait."""
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=600, statuses=("running",))
    sim.script(rid, [Fault.ok(), Fault.slow(30)])
    run = start(tmp_path, sim, github, "--result-id", rid)
    wait_until(lambda: count(sim, "GET") >= 2)  # the detail, then the light view
    time.sleep(0.3)  # well inside the hanging request

    seconds = signal_and_wait(run, signal.SIGINT)

    summary = check_cancelled(run, github, sim, seconds)
    assert "last status was 'running'" in summary


def test_a_hanging_end_calls_is_a_warning_and_does_not_hold_the_exit(tmp_path, sim, github):
    run = start(
        tmp_path, sim, github, "--agent-id", "2", "--scenarios", "11541", CEKURA_POLL_INTERVAL="30"
    )
    wait_until(lambda: count(sim, "GET") >= 1)
    sim.script(run_id(sim), [Fault.slow(30)])  # the next request for it: end_calls

    seconds = signal_and_wait(run, signal.SIGTERM)

    summary = check_cancelled(run, github, sim, seconds)
    assert count(sim, "POST", END_CALLS) == 1
    assert "could not end its calls" in summary
    warnings = [c for c in check_commands(run.stdout) if c.name == "warning"]
    assert any("could not end the calls" in w.data for w in warnings)


def test_a_second_signal_exits_at_once(tmp_path, sim, github):
    """SIGINT starts the tidy exit (stuck on end_calls here); SIGTERM cuts it short."""
    run = start(
        tmp_path, sim, github, "--agent-id", "1", "--scenarios", "11541", CEKURA_POLL_INTERVAL="30"
    )
    wait_until(lambda: count(sim, "GET") >= 1)
    sim.script(run_id(sim), [Fault.slow(30)])

    sent = time.monotonic()
    run.proc.send_signal(signal.SIGINT)
    wait_until(lambda: count(sim, "POST", END_CALLS) == 1)
    second = time.monotonic()
    run.proc.send_signal(signal.SIGTERM)
    run.wait(timeout=30)

    assert run.returncode == 3
    assert run.ended - second < 0.5, f"{run.ended - second:.2f}s after the second signal"
    assert run.ended - sent < EXIT_WITHIN
    assert "SIGTERM again: exiting now" in run.stderr
    run.check_no_leak(github=github, sims=[sim])


def test_cancel_while_starting_the_run_says_a_run_may_exist(tmp_path, sim, github):
    sim.script(None, [Fault.slow(30)])  # the POST that starts the run hangs
    run = start(tmp_path, sim, github, "--agent-id", "1", "--scenarios", "11541")
    wait_until(lambda: count(sim, "POST") >= 1)
    time.sleep(0.2)

    seconds = signal_and_wait(run, signal.SIGINT)

    summary = check_cancelled(run, github, sim, seconds)
    assert "while the gate was starting the run" in summary
    assert "may have been created" in summary
    assert count(sim, "POST", END_CALLS) == 0  # no id to end


def run_id(sim: Simulator) -> str:
    """The id of the run the gate started (the last one the simulator created)."""
    return str(int(sim.next_result_id) - 1)


# -- in-process: the handlers themselves -------------------------------------------------------


def test_handlers_are_installed_for_the_run_and_restored_after():
    before = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)}
    cancel = Cancellation()
    with cancel.signal_handlers():
        assert signal.getsignal(signal.SIGTERM) == cancel._on_signal
        signal.raise_signal(signal.SIGTERM)
        assert cancel() and cancel.reason == "SIGTERM"
    assert {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)} == before


def test_a_second_signal_takes_the_hard_exit():
    exits: list[int] = []
    cancel = Cancellation(hard_exit=exits.append)
    with cancel.signal_handlers():
        signal.raise_signal(signal.SIGINT)
        assert exits == []
        signal.raise_signal(signal.SIGINT)
    assert exits == [3]


def test_outside_the_main_thread_no_handler_is_touched():
    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def worker() -> None:
        with Cancellation().signal_handlers():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [before]


def test_in_process_cancel_hook_runs_the_same_flow(tmp_path):
    """run_check's `cancelled` hook (used by embedders) ends the calls of a run it started."""
    with Simulator(api_key=API_KEY, progress_seconds=600) as sim:
        environ = gate_env(make_workspace(tmp_path), api_url=sim.url)
        settings = from_sources(["check", "--agent-id", "1", "--scenarios", "11541"], environ)
        out, err = io.StringIO(), io.StringIO()
        polls = iter(range(1000))
        code = run_check(
            settings, out=out, err=err, cancelled=lambda: next(polls) >= 3, sleep=lambda s: None
        )
        assert code == 3
        assert "the job was cancelled while waiting for result" in err.getvalue()
        assert count(sim, "POST", END_CALLS) == 1
