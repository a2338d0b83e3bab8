"""Finding the baseline: by id, from a file, or the latest completed result of the agent.

The real client talks HTTP to the simulator in this process (only the network edge is fake).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.policy.model import BaselinePolicy
from gate.result.parsing import parse
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from gate.source import baseline as bl
from gate.source.client import CekuraClient

AGENT = 7


def stored(rid: int, *, minute: int, name: str = "Nightly main", agent: int = AGENT) -> dict:
    payload = catalogue.demo_result(1, result_id=rid)
    payload |= {
        "agent": agent,
        "name": name,
        "created_at": f"2026-07-14T{10 + minute // 60:02d}:{minute % 60:02d}:00Z",
    }
    return payload


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"api_key": "k", "progress_seconds": 0}


@pytest.fixture
def client(sim: Simulator) -> CekuraClient:
    return CekuraClient(base_url=sim.url, api_key="k")


def under_test(sim: Simulator, *, minute: int = 30) -> object:
    payload = stored(500, minute=minute, name="PR 42")
    sim.add_result(payload)
    return parse(payload)


def latest(**kwargs) -> BaselinePolicy:
    return BaselinePolicy(latest_completed=True, **kwargs)


def test_latest_completed_skips_self_newer_unfinished_and_other_agents(sim, client):
    sim.add_result(stored(101, minute=5))  # older: the expected baseline is newer
    sim.add_result(stored(102, minute=10))  # <- the baseline
    sim.add_result(stored(103, minute=15), final_status="failed")  # not completed
    sim.add_result(stored(104, minute=20, agent=8))  # another agent
    result = under_test(sim, minute=30)  # the result itself (listed, must be skipped)
    sim.add_result(stored(105, minute=45))  # created after the result under test
    found = bl.resolve(latest(), result=result, client=client)
    assert found.result is not None and found.result.id == "102"
    assert found.how == (
        "the latest completed result of agent 7 created before 2026-07-14T10:30:00Z"
    )
    lists = [r for r in sim.requests if r.path == "/test_framework/v2/results/"]
    assert [r.query for r in lists] == [{"agent_id": "7", "page": "1", "page_size": "50"}]
    assert found.ref.found and found.ref.name == "Nightly main"


def test_name_pattern_is_a_case_insensitive_glob(sim, client):
    sim.add_result(stored(101, minute=5, name="Nightly main"))
    sim.add_result(stored(102, minute=10, name="PR 41"))
    result = under_test(sim)
    found = bl.resolve(latest(name_pattern="NIGHTLY*"), result=result, client=client)
    assert found.result is not None and found.result.id == "101"
    none = bl.resolve(latest(name_pattern="release-?"), result=result, client=client)
    assert none.result is None
    assert none.reason == (
        "none of the 3 most recent result(s) of agent 7 matches (completed, not this result, "
        "created before it, name like 'release-?')"
    )


def test_pages_are_followed_up_to_max_results(sim, client, monkeypatch):
    monkeypatch.setattr(bl, "PAGE_SIZE", 2)
    sim.add_result(stored(101, minute=1))  # the only match, on the third page
    for rid in range(102, 106):
        sim.add_result(stored(rid, minute=rid - 100, name="PR"))
    result = under_test(sim)
    found = bl.resolve(latest(name_pattern="nightly*"), result=result, client=client)
    assert found.result is not None and found.result.id == "101"
    pages = [r.query["page"] for r in sim.requests if r.path == "/test_framework/v2/results/"]
    assert pages == ["1", "2", "3"]
    capped = bl.resolve(
        latest(name_pattern="nightly*", max_results=4), result=result, client=client
    )
    assert capped.result is None and "none of the 4 most recent" in capped.reason


def test_by_id(sim, client):
    sim.add_result(stored(101, minute=5))
    result = under_test(sim)
    assert (
        bl.resolve(BaselinePolicy(result_id="101"), result=result, client=client).result.id == "101"
    )
    missing = bl.resolve(BaselinePolicy(result_id="999"), result=result, client=client)
    assert missing.result is None and "999" in missing.reason
    itself = bl.resolve(BaselinePolicy(result_id="500"), result=result, client=client)
    assert itself.reason == "that is the result under test itself"


def test_a_baseline_that_did_not_complete_is_not_used(sim, client):
    sim.add_result(stored(101, minute=5), final_status="cancelled")
    found = bl.resolve(BaselinePolicy(result_id="101"), result=under_test(sim), client=client)
    assert found.reason == (
        "result 101 has status 'cancelled', not completed, so it cannot serve as a baseline"
    )


def test_transient_errors_are_retried(sim, client):
    sim.add_result(stored(101, minute=5))
    result = under_test(sim)
    sim.script(None, [Fault.status(503), Fault.status(429, retry_after="0")])
    waits: list[float] = []
    found = bl.resolve(latest(), result=result, client=client, sleep=waits.append)
    assert found.result is not None and found.result.id == "101"
    assert waits == [1.0, 0.0]


def test_a_long_retry_after_is_cut_to_ten_seconds_and_three_failures_give_up(sim, client):
    sim.add_result(stored(101, minute=5))
    result = under_test(sim)
    sim.script(None, [Fault.status(503, retry_after="120")] * 3)
    waits: list[float] = []
    found = bl.resolve(
        BaselinePolicy(result_id="101"), result=result, client=client, sleep=waits.append
    )
    assert waits == [10.0, 10.0]
    assert found.result is None and "503" in found.reason


def test_without_an_api_key_the_reason_says_what_to_do(sim):
    found = bl.resolve(BaselinePolicy(result_id="101"), result=under_test(sim), client=None)
    assert found.result is None
    assert "CEKURA_API_KEY is not set" in found.reason
    assert "baseline.result_file" in found.reason


def test_result_file(tmp_path: Path, sim):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(stored(101, minute=5)), encoding="utf-8")
    found = bl.resolve(BaselinePolicy(result_file=str(path)), result=under_test(sim), client=None)
    assert found.result is not None and found.result.id == "101"
    assert found.result.runs[0].excerpt == ()  # a baseline keeps no transcripts
    gone = bl.resolve(
        BaselinePolicy(result_file=str(tmp_path / "nope.json")), result=under_test(sim), client=None
    )
    assert gone.reason.endswith("nope.json does not exist")


def test_result_without_agent_needs_agent_id(client):
    result = parse({"id": 5, "status": "completed", "runs": []})
    found = bl.resolve(latest(), result=result, client=client)
    assert "set baseline.agent_id" in found.reason


def test_a_cancelled_job_is_not_a_missing_baseline(sim):
    from gate.errors import Cancelled

    class CancelledClient:
        def get_result(self, result_id, *, timeout):
            raise Cancelled("the job was cancelled")

        def list_results(self, **_):
            raise AssertionError("not reached")

    with pytest.raises(Cancelled):
        bl.resolve(
            BaselinePolicy(result_id="101"), result=under_test(sim), client=CancelledClient()
        )
