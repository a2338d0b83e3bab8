"""The simulator's other starts, suites, dry runs and share links, over HTTP."""

from __future__ import annotations

import requests

from tests.gate_harness import API_KEY

HEADERS = {"X-CEKURA-API-KEY": API_KEY}
SUITE = {"agent_id": 1, "channel": "voice", "spec": {"scenarios": [{"instructions": "a"}] * 3}}


def post(sim, path, body, **params):
    return requests.post(sim.url + path, json=body, params=params, headers=HEADERS, timeout=5)


def test_dry_run_prices_and_creates_nothing(sim):
    before = sim.next_result_id
    answer = post(sim, "/test_framework/v1/scenarios/run_scenarios_json/", SUITE, dry_run="true")
    assert answer.status_code == 200
    assert answer.json()["plan"] == {
        "channel": "voice",
        "scenario_count": 3,
        "total_runs": 3,
        "estimated_cost": 30.0,
    }
    assert sim.next_result_id == before


def test_a_suite_run_is_a_result_with_a_run_per_scenario(sim):
    answer = post(sim, "/test_framework/v1/scenarios/run_scenarios_json/", SUITE | {"frequency": 2})
    assert answer.status_code == 201
    assert len(answer.json()["runs"]) == 6


def test_suite_errors_come_all_at_once(sim):
    body = SUITE | {"channel": "fax", "spec": {"scenarios": [{}, {"instructions": "x"}, {}]}}
    answer = post(sim, "/test_framework/v1/scenarios/validate_scenarios_json/", body)
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {
        "channel",
        "scenarios[0].instructions",
        "scenarios[2].instructions",
    }


def test_v2_start_refuses_the_voice_body_shape(sim):
    path = "/test_framework/v1/scenarios/run_scenarios_pipecat_v2/"
    assert post(sim, path, {"agent_id": 1, "scenarios": [11541]}).status_code == 400
    answer = post(sim, path, {"agent": 1, "scenarios": [{"scenario": 11541}]})
    assert answer.status_code == 201 and answer.json()["agent"] == 1


def test_share_link_of_an_unknown_result_is_404(sim):
    path = "/test_framework/v1/results/999999/create_shareable_link_token/"
    assert post(sim, path, {"expire_at": None}).status_code == 404
    assert sim.share_links == []
