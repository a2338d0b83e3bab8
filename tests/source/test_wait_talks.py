"""Waiting that talks: the dashboard link first, a heartbeat while nothing changes, and an
early, clear end when the api-url is plainly wrong (refused, unresolvable, HTML) instead of
the whole timeout; 5xx and 429 keep their patience.

The wait loop on a fake clock, the client against real sockets, and the real command against
the simulator with the grace and heartbeat made short (module constants set before start-up).
"""

from __future__ import annotations

import itertools
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from gate.errors import ApiAddressError, TransientApiError, WaitTimeout
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.source.answers import address_refused
from gate.source.client import CekuraClient
from gate.source.wait import HEARTBEAT_INTERVAL, UNREACHABLE_GRACE, Progress, wait_for_result
from tests.cli_runner import read_outputs, run_gate
from tests.gate_harness import API_KEY, simulator
from tests.source.test_wait import START, FakeTime, Script, running

REFUSED = TransientApiError("could not get an answer: Connection refused", suspect_address=True)
BUSY = TransientApiError("the Cekura API answered HTTP 503 Service Unavailable")


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the wait loop -----------------------------------------------------------------------------


def test_the_documented_defaults():
    assert HEARTBEAT_INTERVAL == 60.0
    assert UNREACHABLE_GRACE == 120.0


def test_a_wrong_address_ends_the_wait_when_the_grace_is_over_not_at_the_timeout():
    t = FakeTime()
    fetch = Script(t, [REFUSED])
    with pytest.raises(ApiAddressError) as caught:
        wait_for_result(
            fetch=fetch, timeout=1800, interval=10, clock=t.clock, sleep=t.sleep, label="result 5"
        )
    first, last = fetch.calls[0][0], fetch.calls[-1][0]
    assert last - first == pytest.approx(UNREACHABLE_GRACE)  # the last try is at the grace
    assert len(fetch.calls) > 3  # it kept trying during the grace
    message = caught.value.message
    assert message.startswith("stopped waiting for result 5 after 2m of answers")
    assert "check the api-url input (CEKURA_API_URL, --api-url)" in message
    assert "Connection refused" in message
    assert caught.value.exit_code == 3


def test_an_api_that_answers_at_the_last_try_of_the_grace_is_waited_for():
    """Refused until the very end of the grace (a restart, say): the try made when the grace
    ends still counts, and the gate carries on."""
    t = FakeTime()
    calls: list[float] = []

    def fetch(request_timeout: float) -> dict[str, Any]:
        calls.append(t.now - START)
        if t.now - START < UNREACHABLE_GRACE:
            raise REFUSED
        return running(status="completed")

    raw = wait_for_result(fetch=fetch, timeout=1800, interval=10, clock=t.clock, sleep=t.sleep)
    assert raw["status"] == "completed"
    assert calls[-1] == pytest.approx(UNREACHABLE_GRACE)


def test_5xx_and_429_keep_the_whole_timeout():
    t = FakeTime()
    throttled = TransientApiError("HTTP 429", retry_after=30)
    fetch = Script(t, [BUSY, throttled] * 40 + [BUSY])
    with pytest.raises(WaitTimeout):
        wait_for_result(fetch=fetch, timeout=600, interval=10, clock=t.clock, sleep=t.sleep)
    assert fetch.calls[-1][0] - fetch.calls[0][0] == pytest.approx(600)


def test_a_busy_answer_between_refusals_restarts_the_grace():
    """A 503 proves something answers at the address: the grace counts again from zero."""
    t = FakeTime()
    steps = [REFUSED] * 5 + [BUSY] + [REFUSED] * 100
    fetch = Script(t, steps)
    with pytest.raises(ApiAddressError):
        wait_for_result(fetch=fetch, timeout=1800, interval=10, clock=t.clock, sleep=t.sleep)
    busy_at = fetch.calls[5][0]
    assert fetch.calls[-1][0] - fetch.calls[6][0] == pytest.approx(UNREACHABLE_GRACE)
    assert fetch.calls[-1][0] > busy_at + UNREACHABLE_GRACE - 1


def test_heartbeat_at_most_every_interval_while_nothing_changes():
    t = FakeTime()
    beats: list[tuple[float, Progress, float]] = []
    changes: list[Progress] = []
    fetch = Script(
        t, [running(2, 10)] * 40 + [running(3, 10)] * 40 + [running(10, 10, "completed")]
    )
    wait_for_result(
        fetch=fetch,
        timeout=1800,
        interval=10,
        clock=t.clock,
        sleep=t.sleep,
        on_progress=changes.append,
        on_heartbeat=lambda p, left: beats.append((t.now, p, left)),
    )
    assert [p.completed_runs for p in changes] == [2, 3, 10]
    times = [b[0] - START for b in beats]
    # 40 polls 10 s apart: heartbeats at 60 s and 120 s... after each change, never closer
    assert times[:3] == pytest.approx([60, 120, 180])
    assert all(b - a >= 60 for a, b in itertools.pairwise(times))
    assert beats[0][1].runs_text == "2 of 10 runs completed"
    assert beats[0][2] == pytest.approx(1800 - 60)


# -- the client's classification ------------------------------------------------------------------


def test_a_refused_connection_is_a_suspect_address():
    client = CekuraClient(base_url=f"http://127.0.0.1:{free_port()}", api_key="k")
    with pytest.raises(TransientApiError) as caught:
        client.get_result(1, timeout=2)
    assert caught.value.suspect_address


def test_a_name_that_does_not_resolve_is_a_suspect_address():
    # .invalid never resolves (RFC 2606); the resolver answers at once without a network
    client = CekuraClient(base_url="https://api.cekura.invalid", api_key="k")
    with pytest.raises(TransientApiError) as caught:
        client.get_result(1, timeout=5)
    assert caught.value.suspect_address, caught.value.message


@pytest.mark.parametrize(
    ("fault", "suspect"),
    [
        (Fault.html(), True),
        (Fault.status(503), False),
        (Fault.status(429, retry_after="1"), False),
        (Fault.truncated(), False),
    ],
    ids=["html", "503", "429", "truncated-json"],
)
def test_html_is_a_suspect_address_busy_answers_are_not(fault, suspect):
    with simulator() as sim:
        rid = sim.add_result(catalogue.demo_result(1))
        sim.script(rid, [fault])
        client = CekuraClient(base_url=sim.url, api_key=API_KEY)
        with pytest.raises(TransientApiError) as caught:
            client.get_result(rid, timeout=5)
    assert caught.value.suspect_address is suspect


def test_a_timeout_is_not_a_suspect_address():
    assert not address_refused(requests.exceptions.ConnectTimeout("timed out"))
    refused = requests.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
    assert address_refused(refused)


# -- the real command --------------------------------------------------------------------------


def actions_env(workspace: Path, **extra: str) -> dict[str, str]:
    return {
        "CEKURA_API_KEY": API_KEY,
        "CEKURA_POLL_INTERVAL": "0.2",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    } | extra


def test_a_refused_connection_ends_within_the_grace(tmp_path):
    env = actions_env(
        tmp_path, CEKURA_API_URL=f"http://127.0.0.1:{free_port()}", CEKURA_TIMEOUT="30m"
    )
    started = time.monotonic()
    proc = run_gate(
        "check",
        "--result-id",
        "16870",
        cwd=tmp_path,
        env=env,
        patch={"gate.source.wait.UNREACHABLE_GRACE": 3.0},
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    assert elapsed < 20  # the grace and a start-up, not the 30-minute timeout
    assert "cekura-gate: API unreachable: stopped waiting for result 16870 after 3s" in proc.stderr
    assert "check the api-url input (CEKURA_API_URL, --api-url)" in proc.stderr
    assert read_outputs(tmp_path / "outputs.txt")["verdict"] == "error"
    assert "api-url" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_an_html_page_instead_of_json_ends_within_the_grace(tmp_path):
    with simulator() as sim:
        rid = sim.add_result(catalogue.demo_result(1))
        sim.script(rid, [Fault.html()] * 500)
        env = actions_env(tmp_path, CEKURA_API_URL=sim.url, CEKURA_TIMEOUT="30m")
        proc = run_gate(
            "check",
            "--result-id",
            rid,
            cwd=tmp_path,
            env=env,
            patch={"gate.source.wait.UNREACHABLE_GRACE": 2.0},
        )
    assert proc.returncode == 3, proc.stderr
    assert "text/html" in proc.stderr and "api-url" in proc.stderr


def test_the_heartbeat_and_the_dashboard_link(tmp_path):
    with simulator() as sim:
        # queued the whole time: nothing changes for 3 s
        payload = catalogue.demo_result(1) | {"project": 42}
        rid = sim.add_result(payload, statuses=("in_queue",), progress_seconds=3)
        env = actions_env(tmp_path, CEKURA_API_URL=sim.url, CEKURA_TIMEOUT="1m")
        proc = run_gate(
            "check",
            "--result-id",
            rid,
            cwd=tmp_path,
            env=env,
            patch={"gate.source.wait.HEARTBEAT_INTERVAL": 0.5},
        )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    [link] = [line for line in lines if "on the Cekura dashboard:" in line]
    assert (
        link
        == f"Result {rid} on the Cekura dashboard: https://dashboard.cekura.ai/42/results/{rid}"
    )
    beats = [line for line in lines if "still waiting: status in_queue" in line]
    assert 2 <= len(beats) <= 7  # about one per 0.5 s of a 3 s queue
    assert all(
        re.search(r"still waiting: status in_queue, 0 of 6 runs done, \d+s left$", line)
        for line in beats
    ), beats
    # the link comes first, before any heartbeat
    assert lines.index(link) < lines.index(beats[0])


def test_without_changes_no_heartbeat_comes_sooner_than_its_interval(tmp_path):
    with simulator() as sim:
        rid = sim.add_result(catalogue.demo_result(1), statuses=("in_queue",), progress_seconds=2)
        env = actions_env(tmp_path, CEKURA_API_URL=sim.url)
        proc = run_gate("check", "--result-id", rid, cwd=tmp_path, env=env)
    assert proc.returncode == 0
    assert "still waiting" not in proc.stdout  # 2 s of queue, the interval is 60 s


def test_a_refused_connection_on_a_run_start_says_nothing_was_created(tmp_path):
    """A refused connection means the POST never left: no "may have been created" scare, no
    wait, and the message points at api-url."""
    env = actions_env(tmp_path, CEKURA_API_URL=f"http://127.0.0.1:{free_port()}")
    proc = run_gate("check", "--agent-id", "7", "--tags", "smoke", cwd=tmp_path, env=env)
    assert proc.returncode == 3, proc.stderr
    assert "cekura-gate: API unreachable: could not start the run" in proc.stderr
    assert "no run was created. Check --api-url" in proc.stderr
    assert "may or may not" not in proc.stderr
    assert read_outputs(tmp_path / "outputs.txt")["verdict"] == "error"
