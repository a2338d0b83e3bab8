"""The Cekura client's suite validation and share links, against `responses`: which endpoint
answers, the fallback to a dry run, and a dry run that was not one."""

from __future__ import annotations

import json

import pytest
import responses
from responses import matchers, registries

from gate.errors import ApiError, AuthError, TransientApiError
from gate.source.client import CekuraClient
from gate.source.start import StartRequest

BASE = "https://api.cekura.test"
KEY = "ck_live_modes-key-0123456789"
VALIDATE = f"{BASE}/test_framework/v1/scenarios/validate_scenarios_json/"
SUITE = f"{BASE}/test_framework/v1/scenarios/run_scenarios_json/"
SPEC = {"scenarios": [{"instructions": "call"}]}
PLAN = {"dry_run": True, "valid": True, "plan": {"total_runs": 3, "estimated_cost": 7.5}}
REQUEST = StartRequest(agent_id=5, mode="text", suite=SPEC, suite_file="s.json")


@pytest.fixture
def client() -> CekuraClient:
    return CekuraClient(base_url=BASE, api_key=KEY, sleep=lambda _s: None)


@pytest.fixture
def http():
    with responses.RequestsMock(registry=registries.OrderedRegistry) as mock:
        yield mock


def test_validation_is_free_and_sends_the_suite_body(http, client):
    http.post(VALIDATE, json=PLAN, match=[matchers.json_params_matcher(REQUEST.body())])
    assert client.validate_suite(REQUEST, timeout=5) == PLAN
    assert len(http.calls) == 1


def test_a_missing_validation_endpoint_falls_back_to_a_dry_run(http, client):
    http.post(VALIDATE, status=404, json={"detail": "Not found."})
    http.post(SUITE, json=PLAN, match=[matchers.query_param_matcher({"dry_run": "true"})])
    assert client.validate_suite(REQUEST, timeout=5) == PLAN


def test_a_dry_run_that_created_a_result_is_said_loudly(http, client):
    http.post(VALIDATE, status=404, json={"detail": "Not found."})
    http.post(SUITE, status=201, json={"id": 991, "status": "pending"})
    with pytest.raises(ApiError, match="Cekura started result 991 when asked for a dry run"):
        client.validate_suite(REQUEST, timeout=5)


def test_a_refused_suite_comes_back_with_every_problem(http, client):
    errors = {"errors": {"scenarios[0].instructions": ["Instructions are required."]}}
    http.post(VALIDATE, status=400, json=errors)
    assert client.validate_suite(REQUEST, timeout=5) == {"valid": False, "errors": errors}


@pytest.mark.parametrize(("status", "error"), [(401, AuthError), (503, TransientApiError)])
def test_other_answers_are_classified(http, client, status, error):
    http.post(VALIDATE, status=status, json={"detail": "no"})
    with pytest.raises(error) as caught:
        client.validate_suite(REQUEST, timeout=5)
    assert KEY not in str(caught.value)


def test_share_link_asks_with_the_expiry(http, client):
    url = f"{BASE}/test_framework/v1/results/77/create_shareable_link_token/"
    answer = {"token": "t", "shareable_link": "https://dashboard.cekura.ai/s/t"}
    http.post(url, json=answer, match=[matchers.json_params_matcher({"expire_at": "X"})])
    assert client.create_share_link("77", expire_at="X", timeout=5) == answer
    assert json.loads(http.calls[0].request.body) == {"expire_at": "X"}


def test_share_link_without_an_https_link_is_an_api_error(http, client):
    from gate.source.share import create_share_link

    url = f"{BASE}/test_framework/v1/results/77/create_shareable_link_token/"
    http.post(url, json={"token": "t", "shareable_link": "javascript:alert(1)"})
    with pytest.raises(ApiError, match="without an https link"):
        create_share_link(client, "77", seconds=3600)
