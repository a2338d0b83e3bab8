"""Poll light, fetch once: the results list's summary while a result runs, the detail once.

The list is faked at the client edge (what `list_results` returns or raises); the last tests
run the real client against the simulator over HTTP.
"""

from __future__ import annotations

from typing import Any

import pytest

from gate.errors import ApiError, AuthError, NotFoundError, TransientApiError
from gate.simulator import catalogue
from gate.source.client import CekuraClient
from gate.source.light import LIGHT_FAILURES, PAGE_SIZE, LightView, Poller
from tests.conftest import API_KEY


class FakeList:
    """list_results answering from a script: a page dict or an exception, one per call."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def list_results(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def page(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"count": len(rows), "next": None, "previous": None, "results": list(rows)}


def row(status: str, rid: int = 7, done: int = 1) -> dict[str, Any]:
    return {"id": rid, "status": status, "completed_runs_count": done, "total_runs_count": 4}


class Detail:
    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.calls = 0

    def __call__(self, _timeout: float) -> dict[str, Any]:
        self.calls += 1
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"id": 7, "status": status, "agent": 3, "name": "nightly", "runs": {}}


def poller(lister: FakeList, detail: Detail, told: list[str] | None = None) -> Poller:
    light = LightView(lister, "7", "3", "nightly")
    return Poller(detail=detail, light=light, on_fallback=(told if told is not None else []).append)


def test_while_running_it_polls_the_summary_and_never_the_detail() -> None:
    lister, detail = FakeList(page(row("running", rid=8), row("running"))), Detail("completed")
    poll = poller(lister, detail)
    for _ in range(3):
        assert poll(5.0)["status"] == "running"
    assert detail.calls == 0
    assert poll.light_polls == 3
    assert lister.calls[0] == {
        "agent_id": "3",
        "page": 1,
        "page_size": PAGE_SIZE,
        "timeout": 5.0,
        "search": "nightly",
    }


def test_a_final_summary_fetches_the_detail_once_and_returns_it() -> None:
    lister, detail = (
        FakeList(page(row("running")), page(row("completed", done=4))),
        Detail("completed"),
    )
    poll = poller(lister, detail)
    assert poll(5.0)["status"] == "running"
    final = poll(5.0)
    assert final["status"] == "completed" and "runs" in final  # the detail, not the summary
    assert detail.calls == 1


def test_a_final_summary_then_a_detail_still_running_keeps_waiting() -> None:
    lister = FakeList(page(row("completed")))
    detail = Detail("evaluating", "completed")
    poll = poller(lister, detail)
    assert poll(5.0)["status"] == "evaluating"  # not final: the wait loop waits on
    assert poll(5.0)["status"] == "completed"
    assert detail.calls == 2


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (NotFoundError("HTTP 404"), "not available: HTTP 404"),
        (ApiError("HTTP 400: unknown parameter"), "not available: HTTP 400"),
        (page(row("running", rid=8)), "not on the first page"),
        ({"detail": "ok"}, "without a 'results' list"),
        (page({"id": 7, "status": None}), "without a status"),
        (page({"id": 7, "status": "  "}), "without a status"),
        ([1, 2], "without a 'results' list"),
    ],
)
def test_an_unavailable_light_view_falls_back_to_the_detail_for_good(answer: Any, why: str) -> None:
    lister, detail, told = FakeList(answer), Detail("running"), []
    poll = poller(lister, detail, told)
    assert poll(5.0)["status"] == "running"
    assert poll(5.0)["status"] == "running"
    assert len(lister.calls) == 1  # given up: not asked again
    assert detail.calls == 2
    assert len(told) == 1 and why in told[0]


def test_retried_failures_fall_back_only_after_several_in_a_row() -> None:
    busy = TransientApiError("HTTP 503")
    lister = FakeList(*[busy] * (LIGHT_FAILURES - 1), page(row("running")), busy)
    poll = poller(lister, Detail("running"))
    for _ in range(LIGHT_FAILURES - 1):
        with pytest.raises(TransientApiError):  # the wait loop backs off and asks again
            poll(5.0)
    assert poll(5.0)["completed_runs_count"] == 1  # answered: the count starts again
    for _ in range(LIGHT_FAILURES - 1):
        with pytest.raises(TransientApiError):
            poll(5.0)
    assert poll(5.0)["agent"] == 3  # the third in a row: the detail from now on
    assert poll.light is not None and "failed 3 times" in poll.light.reason


def test_a_refused_key_is_not_a_reason_to_fall_back() -> None:
    poll = poller(FakeList(AuthError("HTTP 401")), Detail("running"))
    with pytest.raises(AuthError):
        poll(5.0)
    assert poll.light is not None and poll.light.available


def test_a_result_named_by_id_learns_its_agent_and_name_from_the_first_detail() -> None:
    lister, detail = FakeList(page(row("running"))), Detail("running", "completed")
    made: list[Any] = []

    def make(raw: Any) -> LightView:
        made.append(raw)
        return LightView(lister, "7", str(raw["agent"]), raw["name"])

    poll = Poller(detail=detail, make_light=make)
    assert "runs" in poll(5.0)  # the detail: nothing else to go by yet
    assert poll(5.0) == row("running")  # the summary from now on
    assert len(made) == 1 and detail.calls == 1
    assert lister.calls[0]["agent_id"] == "3" and lister.calls[0]["search"] == "nightly"


def test_a_final_first_detail_is_the_only_request() -> None:
    detail = Detail("completed")
    poll = Poller(detail=detail, make_light=lambda raw: pytest.fail("no light view needed"))
    assert poll(5.0)["status"] == "completed"
    assert detail.calls == 1


# -- over HTTP, against the simulator ------------------------------------------------------


def test_the_simulator_serves_the_summary_of_a_running_result_by_agent_and_name(sim) -> None:
    result = catalogue.demo_result(1) | {"name": "nightly 42"}
    rid = sim.add_result(result, progress_seconds=600, statuses=("running",))
    sim.add_result(catalogue.demo_result(1, result_id=9999) | {"name": "other"})
    client = CekuraClient(base_url=sim.url, api_key=API_KEY)
    summary = LightView(client, rid, "1", "NIGHTLY").fetch(5.0)
    assert summary is not None
    assert summary["status"] == "running"
    assert int(summary["total_runs_count"]) == 6
    assert "transcript_object" not in str(summary)  # a summary, not the detail
    (request,) = [r for r in sim.requests if r.path == "/test_framework/v2/results/"]
    assert request.query == {"agent_id": "1", "page": "1", "page_size": "10", "search": "NIGHTLY"}


def test_against_the_simulator_a_name_of_another_result_falls_back(sim) -> None:
    rid = sim.add_result(catalogue.demo_result(1) | {"name": "a"}, progress_seconds=600)
    client = CekuraClient(base_url=sim.url, api_key=API_KEY)
    light = LightView(client, rid, "1", "b")
    assert light.fetch(5.0) is None
    assert "not on the first page" in light.reason
