"""Faults over real HTTP: the real command against the simulator, one fault at a time and in
sequences. For each: the exit code, what the summary says, how many requests were sent, and
that the gate ends within its deadline plus a few seconds.

All scenarios run at once (each against its own result on one simulator, like a busy API),
then each test reads its own outcome: the suite costs the longest scenario, not the sum.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs
from tests.gate_harness import (
    API_KEY,
    Capture,
    FakeGitHub,
    GateRun,
    check_commands,
    check_outputs,
    gate_env,
    gets,
    make_workspace,
    run_all,
    simulator,
)

#: what "a few seconds" past the deadline means here (process start and exit included)
SLACK = 4.0
#: the longest a single poll may take when the deadline is near (poll.MIN_REQUEST_TIMEOUT)
MIN_REQUEST = 5.0


def running(done: int, total: int = 6, status: str = "running") -> dict[str, Any]:
    """A bare in-progress detail, as a scripted answer."""
    return {
        "id": 0,
        "status": status,
        "completed_runs_count": str(done),
        "total_runs_count": total,
        "runs": {},
    }


@dataclass
class Scenario:
    name: str
    faults: list[Fault]
    code: int
    says: tuple[str, ...] = ()  # in the summary
    status: str | None = None  # the `status` output
    gets: tuple[int, int] = (1, 1)  # min, max GETs of the result
    timeout: float = 20.0
    #: the gate must end within this long after its first request (deadline + slack)
    within: float | None = None
    payload: Callable[[], dict] = lambda: catalogue.demo_result(1)
    progress_seconds: float = 0.0
    statuses: tuple[str, ...] = ("pending", "in_queue", "running", "evaluating")
    min_elapsed: float = 0.0
    log_says: tuple[str, ...] = ()
    other: dict[str, Any] = field(default_factory=dict)


def scenarios(other_host: int) -> list[Scenario]:
    redirect = f"http://localhost:{other_host}/test_framework/v2/results/1/"
    return [
        # -- 429 -------------------------------------------------------------------------
        Scenario(
            "429 with Retry-After, then an answer",
            [Fault.status(429, retry_after="1")] * 2,
            0,
            says=("Cekura gate passed",),
            gets=(3, 3),
            min_elapsed=2.0,
            within=2 + SLACK,
        ),
        Scenario(
            "429 storm without Retry-After, then an answer",
            [Fault.status(429)] * 6,
            0,
            says=("Cekura gate passed",),
            gets=(7, 7),
            log_says=("retrying", "HTTP 429"),
            timeout=40,  # full jitter: six waits of up to 0.2, 0.4, ... 6.4 s
        ),
        Scenario(
            "429 storm past the deadline",
            [Fault.status(429, retry_after="1")] * 100,
            3,
            says=("timed out waiting", "no answer about result", "429"),
            gets=(3, 5),
            timeout=3,
            within=3 + SLACK,
        ),
        Scenario(
            "429 asking for an hour is clipped to the deadline",
            [Fault.status(429, retry_after="3600")],
            0,
            says=("Cekura gate passed",),
            gets=(2, 2),
            timeout=2,
            min_elapsed=1.5,
            within=2 + SLACK,
        ),
        # -- 5xx -------------------------------------------------------------------------
        Scenario(
            "5xx burst, then an answer",
            [Fault.status(500), Fault.status(502), Fault.status(503), Fault.status(504)],
            0,
            says=("Cekura gate passed",),
            gets=(5, 5),
            log_says=("retrying",),
        ),
        Scenario(
            "503 until the deadline",
            [Fault.status(503)] * 100,
            3,
            says=("timed out waiting", "503"),
            status="",
            gets=(2, 12),
            timeout=3,
            within=3 + SLACK,
        ),
        # -- broken answers ----------------------------------------------------------------
        Scenario(
            "connection reset mid-body, twice",
            [Fault.reset(), Fault.reset()],
            0,
            says=("Cekura gate passed",),
            gets=(3, 3),
        ),
        Scenario(
            "a body trickled slower than the deadline",
            [Fault.slow_body(30)] * 3,
            3,
            says=("timed out waiting", "no answer within"),
            gets=(1, 2),
            timeout=3,
            within=3 + MIN_REQUEST + SLACK,
        ),
        Scenario(
            "a slow but complete body is accepted",
            [Fault.slow_body(1.5)],
            0,
            says=("Cekura gate passed",),
            gets=(1, 1),
            min_elapsed=1.4,
        ),
        Scenario(
            "headers that never come",
            [Fault.slow(30)] * 3,
            3,
            says=("timed out waiting",),
            gets=(1, 2),
            timeout=2,
            within=2 + MIN_REQUEST + SLACK,
        ),
        Scenario(
            "truncated JSON, twice",
            [Fault.truncated(), Fault.truncated()],
            0,
            says=("Cekura gate passed",),
            gets=(3, 3),
        ),
        Scenario(
            "a 200 HTML page, then JSON",
            [Fault.html()] * 2,
            0,
            says=("Cekura gate passed",),
            gets=(3, 3),
            log_says=("text/html",),
        ),
        Scenario(
            "a 200 HTML page until the deadline",
            [Fault.html()] * 100,
            3,
            says=("timed out waiting", "not valid JSON"),
            gets=(2, 12),
            timeout=2,
            within=2 + SLACK,
        ),
        Scenario(
            "dropped connections",
            [Fault.drop(), Fault.drop()],
            0,
            says=("Cekura gate passed",),
            gets=(3, 3),
        ),
        Scenario(
            "a JSON array where an object belongs",
            [Fault.json([1, 2, 3])],
            3,
            says=("API error", "where an object was expected"),
            gets=(1, 1),
        ),
        # -- redirects, disappearing results, auth ---------------------------------------------
        Scenario(
            "a redirect to another host",
            [Fault.redirect(redirect)],
            3,
            says=("redirect", "does not follow redirects", f"localhost:{other_host}"),
            gets=(1, 1),
        ),
        Scenario(
            "the result disappears (404) mid-poll",
            [Fault.ok(), Fault.ok(), Fault.not_found()],
            3,
            says=("result not found", "disappeared while the gate was waiting"),
            status="running",
            gets=(3, 3),
            progress_seconds=60,
            statuses=("running",),
        ),
        Scenario(
            "the key is refused mid-poll",
            [Fault.ok(), Fault.status(401)],
            3,
            says=("API key refused",),
            gets=(2, 2),
            progress_seconds=60,
        ),
        # -- statuses --------------------------------------------------------------------
        Scenario(
            "status going backwards, then completed",
            [
                Fault.json(running(3)),
                Fault.json(running(6, status="evaluating")),
                Fault.json(running(4)),
                Fault.json(running(0, status="pending")),
                Fault.json(running(2, status="in_queue")),
            ],
            0,
            says=("Cekura gate passed",),
            status="completed",
            gets=(6, 6),
            log_says=("status evaluating", "status pending", "4 of 6 runs done"),
        ),
        Scenario(
            "status going backwards, ending failed",
            [Fault.json(running(6, status="evaluating")), Fault.json(running(2))],
            3,
            says=("ended with status 'failed'",),
            status="failed",
            gets=(3, 3),
            payload=lambda: catalogue.demo_result(1) | {"status": "failed"},
        ),
        Scenario(
            "still running at the deadline",
            [],
            3,
            says=("timed out waiting", "still 'running'", "runs completed"),
            status="running",
            gets=(3, 20),
            timeout=2,
            within=2 + SLACK,
            progress_seconds=600,
            statuses=("running",),
        ),
        # -- everything at once ------------------------------------------------------------
        Scenario(
            "a sequence of every fault, then an answer",
            [
                Fault.status(429, retry_after="0.5"),
                Fault.status(503),
                Fault.reset(),
                Fault.truncated(),
                Fault.html(),
                Fault.drop(),
                Fault.slow_body(0.5),
            ],
            0,
            says=("Cekura gate passed",),
            gets=(7, 7),
            timeout=40,
        ),
        Scenario(
            "a failing agent behind a fault sequence still fails",
            [Fault.status(502), Fault.reset(), Fault.status(429)],
            1,
            says=("Cekura gate failed", "What went wrong"),
            gets=(4, 4),
            payload=lambda: catalogue.demo_result(2),
        ),
    ]


@dataclass
class Outcome:
    scenario: Scenario
    run: GateRun
    rid: str
    sim: Simulator
    requests: list[Any]
    github: FakeGitHub


@pytest.fixture(scope="module")
def capture() -> Iterator[Capture]:
    with Capture() as server:
        yield server


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, capture) -> Iterator[dict[str, Outcome]]:
    # the faults are scripted on the result detail: no light view (the list answers 404)
    with simulator(serves_list=False) as sim, FakeGitHub() as github:
        plan = []
        runs = []
        for n, scenario in enumerate(scenarios(capture.port)):
            payload = scenario.payload() | {"id": 7000 + n}
            rid = sim.add_result(
                payload, progress_seconds=scenario.progress_seconds, statuses=scenario.statuses
            )
            sim.script(rid, scenario.faults)
            workspace = make_workspace(tmp_path_factory.mktemp(f"fault{n}"))
            env = gate_env(
                workspace,
                api_url=sim.url,
                github=github,
                comment_key=f"fault{n}",
                CEKURA_TIMEOUT=f"{scenario.timeout:g}",
            )
            plan.append((scenario, rid))
            runs.append((workspace, ("--result-id", rid), env))
        finished = run_all(runs, at_once=12)
        yield {
            scenario.name: Outcome(scenario, run, rid, sim, gets(sim, rid), github)
            for (scenario, rid), run in zip(plan, finished, strict=True)
        }


NAMES = [s.name for s in scenarios(0)]


@pytest.mark.parametrize("name", NAMES)
def test_fault(outcomes, name):
    outcome = outcomes[name]
    scenario, run = outcome.scenario, outcome.run
    context = f"{name}: exit {run.returncode}\n{run.stdout}\n{run.stderr}\n{run.summary}"

    assert run.returncode == scenario.code, context
    for text in scenario.says:
        assert text in run.summary.replace("\\", ""), f"summary lacks {text!r}: {context}"
    for text in scenario.log_says:
        assert text in run.log, f"log lacks {text!r}: {context}"
    outputs = check_outputs(run)
    assert outputs["verdict"] == {0: "pass", 1: "fail", 3: "error"}[scenario.code]
    assert outputs["result-id"] == outcome.rid
    if scenario.status is not None:
        assert outputs["status"] == scenario.status, context

    low, high = scenario.gets
    assert low <= len(outcome.requests) <= high, f"{len(outcome.requests)} GETs: {context}"

    first = outcome.requests[0].time if outcome.requests else run.started
    if scenario.within is not None:
        assert run.ended - first <= scenario.within, f"took {run.ended - first:.1f}s: {context}"
    assert run.elapsed >= scenario.min_elapsed, f"did not wait: {run.elapsed:.2f}s"
    if scenario.code == 3:  # exit 3 is never silent
        assert "could not evaluate" in run.summary
        assert "cekura-gate COULD NOT EVALUATE" in run.stdout
    commands = check_commands(run.stdout)
    if scenario.code:  # and an annotation says why
        assert any(c.name == "error" for c in commands), context
    assert run.check_no_leak(github=outcome.github, sims=[outcome.sim]) >= 6
    for request in outcome.requests:
        assert request.headers.get("X-CEKURA-API-KEY") == API_KEY


def test_redirect_is_not_followed_so_the_key_stays_home(outcomes, capture):
    assert outcomes["a redirect to another host"].run.returncode == 3
    assert capture.requests == [], "the gate followed a redirect to another host"


def test_every_comment_names_its_own_result(outcomes):
    """One comment per gate (distinct comment keys), each about its own result."""
    github = next(iter(outcomes.values())).github
    bodies = github.bodies()
    assert len(bodies) == len(outcomes)
    for outcome in outcomes.values():
        marker = f"<!-- cekura-gate:ci:gate:fault{NAMES.index(outcome.scenario.name)} -->"
        mine = [b for b in bodies if b.startswith(marker)]
        assert len(mine) == 1
        assert outcome.rid in mine[0]


def test_every_scripted_fault_was_served(outcomes):
    """Each fault reached the gate (a fault never served proves nothing)."""
    served = 0
    for outcome in outcomes.values():
        faults = outcome.scenario.faults
        expected = min(len(faults), outcome.scenario.gets[0])
        assert len(outcome.requests) >= expected, outcome.scenario.name
        served += min(len(outcome.requests), len(faults))
    print(f"\nfaults served: {served} in {len(outcomes)} scenarios")
    assert served >= 40


def test_an_internal_error_still_leaves_a_summary_and_outputs(tmp_path, monkeypatch):
    """A bug (here: judging raising) is exit 3 with the summary and outputs saying so."""
    import io

    from gate import check, cli

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom ::error::from a bug {API_KEY}")

    monkeypatch.setattr(check, "judge", broken)
    workspace = make_workspace(tmp_path, config=None)
    (workspace / "r.json").write_text(json.dumps(catalogue.demo_result(1)), encoding="utf-8")
    env = gate_env(workspace, api_url="https://api.cekura.ai")
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["check", "--result-file", str(workspace / "r.json")], env, stdout=out, stderr=err
    )
    assert code == 3
    assert "cekura-gate: internal error: RuntimeError: boom" in err.getvalue()
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert "What happened (internal error)" in summary
    assert read_outputs(workspace / "outputs.txt")["verdict"] == "error"
    check_commands(out.getvalue() + err.getvalue())
    shown = out.getvalue().replace(f"::add-mask::{API_KEY}", "") + err.getvalue() + summary
    assert API_KEY not in shown
