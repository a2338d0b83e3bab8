"""Many gates at once: 20 gates in parallel against one simulator, like a matrix job.

Each gate has its own workspace, comment key and result (some start their own run); they all
share one API and one pull request. Every gate must reach its own verdict about its own
result, start exactly one run when asked to, and leave its own comment, with no crosstalk.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from tests.gate_harness import (
    FakeGitHub,
    GateRun,
    check_commands,
    check_outputs,
    gate_env,
    make_workspace,
    run_all,
    simulator,
)

GATES = 20


@dataclass
class Leg:
    name: str
    args: tuple[str, ...]
    code: int
    rid: str = ""  # known up front for --result-id legs
    run: GateRun | None = None


def legs(sim: Simulator) -> list[Leg]:
    plan: list[Leg] = []
    for n in range(6):
        rid = sim.add_result(catalogue.demo_result(1, result_id=6100 + n))
        plan.append(Leg(f"pass-{n}", ("--result-id", rid), 0, rid))
    for n in range(5):
        rid = sim.add_result(catalogue.demo_result(2, result_id=6200 + n))
        plan.append(Leg(f"fail-{n}", ("--result-id", rid), 1, rid))
    for n in range(3):
        plan.append(Leg(f"start-pass-{n}", ("--agent-id", "1", "--scenarios", "11541,11542"), 0))
        plan.append(Leg(f"start-fail-{n}", ("--agent-id", "2", "--tags", "smoke"), 1))
    rid = sim.add_result(catalogue.demo_result(1, result_id=6300), final_status="failed")
    plan.append(Leg("ended-failed", ("--result-id", rid), 3, rid))
    rid = sim.add_result(catalogue.demo_result(1, result_id=6301))
    sim.script(rid, [Fault.status(429, retry_after="1"), Fault.status(503)])
    plan.append(Leg("throttled", ("--result-id", rid), 0, rid))
    plan.append(Leg("unknown", ("--result-id", "6399"), 3, "6399"))
    assert len(plan) == GATES
    return plan


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> Iterator[tuple[list[Leg], Simulator, FakeGitHub]]:
    with simulator(progress_seconds=1.5) as sim, FakeGitHub() as hub:
        plan = legs(sim)
        runs = []
        for leg in plan:
            workspace = make_workspace(tmp_path_factory.mktemp(leg.name))
            env = gate_env(workspace, api_url=sim.url, github=hub, comment_key=leg.name)
            runs.append((workspace, leg.args, env))
        for leg, run in zip(plan, run_all(runs, at_once=GATES), strict=True):
            leg.run = run
        yield plan, sim, hub


def test_every_gate_reaches_its_own_verdict(matrix):
    plan, sim, hub = matrix
    for leg in plan:
        run = leg.run
        assert run is not None
        assert run.returncode == leg.code, f"{leg.name}: {run.stdout}\n{run.stderr}"
        outputs = check_outputs(run)
        assert outputs["verdict"] == {0: "pass", 1: "fail", 3: "error"}[leg.code], leg.name
        if leg.rid:
            assert outputs["result-id"] == leg.rid, leg.name
        assert outputs["result-id"] in run.summary, f"{leg.name}: its summary is about another"
        check_commands(run.stdout)
        run.check_no_leak(github=hub, sims=[sim])


def test_each_starting_gate_started_exactly_one_run_of_its_own(matrix):
    plan, sim, _ = matrix
    starters = [leg for leg in plan if leg.args[0] == "--agent-id"]
    posts = [r for r in sim.requests if r.method == "POST" and "run_scenarios" in r.path]
    assert len(posts) == len(starters)
    ids = [leg.run.outputs["result-id"] for leg in starters if leg.run]
    assert len(set(ids)) == len(starters), f"two gates gated the same run: {ids}"
    for leg in starters:
        assert leg.run is not None
        polled = {r.path for r in sim.requests if r.method == "GET"}
        assert f"/test_framework/v2/results/{leg.run.outputs['result-id']}/" in polled
        agent = leg.args[1]
        assert f"for agent {agent}" in leg.run.stdout


def test_no_gate_polled_a_result_that_was_not_its_own(matrix):
    plan, sim, _ = matrix
    wanted = Counter(leg.run.outputs["result-id"] for leg in plan if leg.run)
    assert all(n == 1 for n in wanted.values()), wanted
    gets = [r for r in sim.requests if r.method == "GET"]
    polled = {r.path.rstrip("/").rsplit("/", 1)[1] for r in gets}
    assert polled - {"results"} == set(wanted)
    # the light view (the results list) asks only for the agents the gates started runs for
    agents = {leg.args[1] for leg in plan if leg.args[0] == "--agent-id"}
    listed = {r.query.get("agent_id") for r in gets if r.path == "/test_framework/v2/results/"}
    assert listed <= agents | {str(a) for a in agents}


def test_one_comment_per_leg_each_about_its_own_result(matrix):
    plan, _, hub = matrix
    bodies = hub.bodies()
    assert len(bodies) == GATES
    for leg in plan:
        assert leg.run is not None
        mine = [b for b in bodies if b.startswith(f"<!-- cekura-gate:ci:gate:{leg.name} -->")]
        assert len(mine) == 1, leg.name
        assert leg.run.outputs["result-id"] in mine[0]
    for request in hub.requests:
        if request.method == "POST":
            assert json.loads(json.dumps(request.body))["body"]
