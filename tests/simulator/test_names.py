"""The simulator's results by name: the list's `search`, renaming a result (PATCH), and an
API without the list."""

from __future__ import annotations

import requests

from gate.simulator import catalogue
from gate.simulator.server import Simulator

KEY = "demo-key"
LIST = "/test_framework/v2/results/"


def call(sim: Simulator, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(
        method, sim.url + path, headers={"X-CEKURA-API-KEY": KEY}, timeout=5, **kwargs
    )


def test_search_keeps_the_results_whose_name_contains_it_case_insensitively() -> None:
    with Simulator(KEY) as sim:
        for n, name in enumerate(["Nightly main", "nightly pr", "smoke"]):
            sim.add_result(catalogue.demo_result(1, result_id=600 + n) | {"name": name})
        page = call(sim, "GET", LIST, params={"agent_id": 1, "search": "NIGHTLY"}).json()
    assert [r["id"] for r in page["results"]] == [601, 600]
    assert all("status" in r and "total_runs_count" in r for r in page["results"])


def test_patch_renames_a_result_and_nothing_else() -> None:
    with Simulator(KEY) as sim:
        rid = sim.add_result(catalogue.demo_result(1, result_id=610), progress_seconds=0)
        path = f"/test_framework/v2/results/{rid}/"
        answer = call(sim, "PATCH", path, json={"name": "x judged", "status": "failed"})
        assert answer.status_code == 200
        detail = call(sim, "GET", path).json()
        assert detail["name"] == "x judged" and detail["status"] == "completed"
        assert call(sim, "PATCH", path, json={"name": 3}).status_code == 400
        assert (
            call(sim, "PATCH", "/test_framework/v2/results/999/", json={"name": "a"}).status_code
            == 404
        )
        assert call(sim, "DELETE", path).status_code == 405  # the path exists, not the method


def test_without_the_list_it_answers_404() -> None:
    with Simulator(KEY, serves_list=False) as sim:
        assert call(sim, "GET", LIST, params={"agent_id": 1}).status_code == 404
