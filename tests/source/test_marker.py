"""The judged marker and the end_calls of a run decided early, against the simulator over
HTTP: their failures are warnings, never a changed verdict."""

from __future__ import annotations

import io

from gate.publish.actions.job_log import Log
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.source.client import CekuraClient
from gate.source.obtain import end_remaining_calls
from gate.source.reattach import mark_judged
from gate.source.wanted import Progress, Wanted
from tests.conftest import API_KEY


def log() -> tuple[Log, io.StringIO]:
    err = io.StringIO()
    return Log(out=io.StringIO(), err=err), err


def wanted(sim) -> Wanted:
    return Wanted(agent_id="1", scenarios=(1,), api_url=sim.url, api_key=API_KEY)


def test_a_verdict_marks_the_run_judged_once(sim) -> None:
    rid = sim.add_result(catalogue.demo_result(1, result_id=7100) | {"name": "n attempt 1"})
    seen = Progress(result_id=rid, run_name="n attempt 1")
    sink, err = log()
    mark_judged(wanted(sim), seen, sink)
    (patch,) = [r for r in sim.requests if r.method == "PATCH"]
    assert patch.path == f"/test_framework/v2/results/{rid}/"
    assert patch.body == {"name": "n attempt 1 judged"}
    assert err.getvalue() == ""
    # already marked, or not a named run of the gate's: nothing sent
    mark_judged(wanted(sim), Progress(result_id=rid, run_name="n attempt 1 judged"), sink)
    mark_judged(wanted(sim), Progress(result_id=rid), sink)
    assert sum(1 for r in sim.requests if r.method == "PATCH") == 1


def test_a_marker_refused_is_a_warning_that_names_the_consequence(sim) -> None:
    rid = sim.add_result(catalogue.demo_result(1, result_id=7101))
    sim.script(rid, [Fault.status(403)])
    sink, err = log()
    mark_judged(wanted(sim), Progress(result_id=rid, run_name="n attempt 1"), sink)
    assert f"could not mark result {rid} as judged" in err.getvalue()
    assert "may reattach to it" in err.getvalue()


def test_end_calls_refused_is_a_warning(sim) -> None:
    rid = sim.add_result(catalogue.demo_result(1, result_id=7102), progress_seconds=600)
    client = CekuraClient(base_url=sim.url, api_key=API_KEY)
    sink, err = log()
    assert end_remaining_calls(client, rid, sink) is True
    sim.script(rid, [Fault.status(404)])
    assert end_remaining_calls(client, rid, sink) is False
    assert f"could not end the remaining calls of result {rid}" in err.getvalue()
