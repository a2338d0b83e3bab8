"""The Cekura HTTP client, against `responses`: the classification of every answer."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses
from responses import matchers, registries

from gate import __version__
from gate.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    RunStartUncertain,
    TransientApiError,
    UsageError,
)
from gate.source.client import CekuraClient
from gate.source.start import StartRequest

BASE = "https://api.cekura.test"
KEY = "ck_live_S3CRET-key-0123456789"
RESULT_URL = f"{BASE}/test_framework/v2/results/123/"
VOICE_URL = f"{BASE}/test_framework/v1/scenarios/run_scenarios/"
TEXT_URL = f"{BASE}/test_framework/v1/scenarios/run_scenarios_text/"
DETAIL = {"id": 123, "status": "running", "runs": {}}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> CekuraClient:
    return CekuraClient(base_url=BASE + "/", api_key=KEY, sleep=sleeps.append)


@pytest.fixture
def http():
    with responses.RequestsMock(registry=registries.OrderedRegistry) as mock:
        yield mock


def get(client: CekuraClient, timeout: float = 12.5) -> dict[str, Any]:
    return client.get_result("123", timeout=timeout)


def start(client: CekuraClient, *, run_as_text: bool = False, **fields: Any) -> dict[str, Any]:
    """Start a voice (or text) run of agent 42, scenarios 1 and 2 unless `fields` say else."""
    request = StartRequest(
        agent_id=42, mode="text" if run_as_text else "voice", **{"scenarios": (1, 2), **fields}
    )
    return client.start(request, timeout=20)


def assert_no_key(error: BaseException) -> None:
    assert KEY not in str(error)
    assert KEY not in repr(error)


# -- reading a result ----------------------------------------------------------------------


def test_get_result_sends_the_key_only_in_its_header_with_a_timeout(http, client) -> None:
    http.get(RESULT_URL, json=DETAIL)
    assert get(client, timeout=12.5) == DETAIL
    request = http.calls[0].request
    assert request.headers["X-CEKURA-API-KEY"] == KEY
    assert request.headers["User-Agent"] == f"cekura-gate/{__version__}"
    assert request.headers["Accept"] == "application/json"
    assert KEY not in request.url
    assert "Authorization" not in request.headers
    assert request.req_kwargs["timeout"] == 12.5


def test_a_tiny_time_left_still_gets_a_usable_request_timeout(http, client) -> None:
    http.get(RESULT_URL, json=DETAIL)
    get(client, timeout=0)
    assert http.calls[0].request.req_kwargs["timeout"] == 1.0


def test_the_key_is_not_in_the_repr() -> None:
    client = CekuraClient(base_url=BASE, api_key=KEY)
    assert KEY not in repr(client)
    assert BASE in repr(client)


def test_a_custom_user_agent_is_used(http) -> None:
    http.get(RESULT_URL, json=DETAIL)
    get(CekuraClient(base_url=BASE, api_key=KEY, user_agent="my-ci/1.0"))
    assert http.calls[0].request.headers["User-Agent"] == "my-ci/1.0"


def test_a_given_session_is_used(http) -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "abc"
    http.get(RESULT_URL, json=DETAIL)
    get(CekuraClient(base_url=BASE, api_key=KEY, session=session))
    assert http.calls[0].request.headers["X-Trace"] == "abc"


@pytest.mark.parametrize("bad", ["abc\ndef", " leading", "trailing\t", "caf\u00e9-key"])
def test_a_key_that_cannot_be_a_header_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        CekuraClient(base_url=BASE, api_key=bad)
    assert bad not in caught.value.message
    assert "CEKURA_API_KEY" in caught.value.message


# -- transient failures --------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_transient(http, client, status: int) -> None:
    http.get(RESULT_URL, status=status, json={"detail": "try later"})
    with pytest.raises(TransientApiError) as caught:
        get(client)
    assert f"HTTP {status}" in caught.value.message
    assert "try later" in caught.value.message
    assert caught.value.retry_after is None


def test_retry_after_in_seconds(http, client) -> None:
    http.get(RESULT_URL, status=429, headers={"Retry-After": "120"})
    with pytest.raises(TransientApiError) as caught:
        get(client)
    assert caught.value.retry_after == 120


def test_retry_after_as_an_http_date(http, client) -> None:
    when = datetime.now(UTC) + timedelta(seconds=90)
    http.get(RESULT_URL, status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    with pytest.raises(TransientApiError) as caught:
        get(client)
    assert 80 <= caught.value.retry_after <= 91


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError("Connection refused"),
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ChunkedEncodingError("IncompleteRead(10 bytes read, 90 more expected)"),
    ],
)
def test_transport_failures_are_transient(http, client, error: Exception) -> None:
    http.get(RESULT_URL, body=error)
    with pytest.raises(TransientApiError) as caught:
        get(client)
    assert BASE in caught.value.message
    assert caught.value.retry_after is None


def test_a_read_timeout_says_how_long_it_waited(http, client) -> None:
    http.get(RESULT_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(TransientApiError, match=r"no answer within 12.5 s"):
        get(client, timeout=12.5)


def test_a_200_html_page_is_transient_and_names_the_content_type(http, client) -> None:
    http.get(
        RESULT_URL,
        body="<html><body>502 Bad Gateway</body></html>",
        content_type="text/html; charset=utf-8",
    )
    with pytest.raises(TransientApiError) as caught:
        get(client)
    assert "text/html" in caught.value.message
    assert "not valid JSON" in caught.value.message


def test_a_truncated_json_body_is_transient(http, client) -> None:
    http.get(RESULT_URL, body='{"id": 123, "status": "runn', content_type="application/json")
    with pytest.raises(TransientApiError, match="not valid JSON"):
        get(client)


def test_json_that_is_not_an_object_is_a_permanent_unexpected_response(http, client) -> None:
    http.get(RESULT_URL, json=[DETAIL])
    with pytest.raises(ApiError) as caught:
        get(client)
    assert not isinstance(caught.value, TransientApiError)
    assert "unexpected response" in caught.value.message
    assert "list" in caught.value.message


def test_a_certificate_failure_is_not_retried(http, client) -> None:
    http.get(
        RESULT_URL,
        body=requests.exceptions.SSLError(
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"
        ),
    )
    with pytest.raises(ApiError) as caught:
        get(client)
    assert not isinstance(caught.value, TransientApiError)
    assert "REQUESTS_CA_BUNDLE" in caught.value.message


# -- permanent failures --------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_an_auth_error(http, client, status: int) -> None:
    http.get(RESULT_URL, status=status, json={"detail": "Invalid API key."})
    with pytest.raises(AuthError) as caught:
        get(client)
    message = caught.value.message
    assert message.startswith(f"the Cekura API refused the API key (HTTP {status}")
    assert "Invalid API key" in message
    assert "CEKURA_API_KEY / the api-key input" in message
    assert "the project that owns result 123." in message
    assert_no_key(caught.value)


def test_a_key_echoed_by_the_server_is_scrubbed(http, client) -> None:
    http.get(RESULT_URL, status=401, json={"detail": f"Unknown key {KEY}"})
    with pytest.raises(AuthError) as caught:
        get(client)
    assert_no_key(caught.value)
    assert "Unknown key ***" in caught.value.message


def test_not_found_names_the_result_and_the_api_url(http, client) -> None:
    http.get(RESULT_URL, status=404, json={"detail": "No Result matches the given query."})
    with pytest.raises(NotFoundError) as caught:
        get(client)
    message = caught.value.message
    assert message.startswith(f"result 123 was not found at {BASE} (HTTP 404")
    assert "No Result matches the given query" in message
    assert "Check --result-id and --api-url" in message


@pytest.mark.parametrize("status", [400, 405, 409, 422])
def test_other_client_errors_are_permanent_and_show_cekuras_detail(http, client, status) -> None:
    http.get(RESULT_URL, status=status, json={"detail": "Project-scoped API keys are not allowed"})
    with pytest.raises(ApiError) as caught:
        get(client)
    error = caught.value
    assert type(error) is ApiError
    assert f"HTTP {status}" in error.message
    assert "Project-scoped API keys are not allowed" in error.message


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_not_followed(http, client, status: int) -> None:
    elsewhere = "https://elsewhere.example/test_framework/v2/results/123/"
    http.get(RESULT_URL, status=status, headers={"Location": elsewhere})
    http.get(elsewhere, json=DETAIL)  # registered so a followed redirect would succeed
    with pytest.raises(ApiError) as caught:
        get(client)
    http.reset()  # the second response is meant to stay unused
    message = caught.value.message
    assert elsewhere in message
    assert "--api-url" in message
    assert "probably https://elsewhere.example" in message
    assert not isinstance(caught.value, TransientApiError)


def test_only_one_request_is_made_on_a_redirect(client) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(RESULT_URL, status=302, headers={"Location": "/v3/results/123/"})
        mock.get(f"{BASE}/v3/results/123/", json=DETAIL)
        with pytest.raises(ApiError, match=re.escape(f"{BASE}/v3/results/123/")):
            get(client)
        assert len(mock.calls) == 1


def test_an_html_error_page_does_not_flood_the_message(http, client) -> None:
    http.get(
        RESULT_URL, status=400, body="<html>" + "x" * 5000 + "</html>", content_type="text/html"
    )
    with pytest.raises(ApiError) as caught:
        get(client)
    assert len(caught.value.message) < 300


# -- listing results and ending calls ------------------------------------------------------


def test_list_results_sends_the_page_query(http, client) -> None:
    page = {"count": 1, "next": None, "previous": None, "results": [DETAIL]}
    http.get(
        f"{BASE}/test_framework/v2/results/",
        json=page,
        match=[matchers.query_param_matcher({"agent_id": "42", "page": "2", "page_size": "30"})],
    )
    assert client.list_results(agent_id="42", page=2, page_size=30, timeout=10) == page
    assert http.calls[0].request.headers["X-CEKURA-API-KEY"] == KEY


def test_end_calls_posts_and_accepts_an_empty_body(http, client) -> None:
    http.post(f"{BASE}/test_framework/v1/results/123/end_calls/", status=200, body="")
    assert client.end_calls("123", timeout=5) is None
    assert http.calls[0].request.method == "POST"


def test_end_calls_failures_are_api_errors(http, client) -> None:
    url = f"{BASE}/test_framework/v1/results/123/end_calls/"
    http.post(url, status=404, json={"detail": "Not found."})
    http.post(url, body=requests.ConnectionError("reset"))
    with pytest.raises(NotFoundError):
        client.end_calls("123", timeout=5)
    with pytest.raises(ApiError):
        client.end_calls(123, timeout=5)


# -- starting a run ------------------------------------------------------------------------


def test_start_run_posts_scenarios_to_the_voice_endpoint(http, client) -> None:
    created = {"id": 167, "status": "pending", "runs": []}
    http.post(VOICE_URL, status=201, json=created)
    assert start(client, scenarios=(1, 2), frequency=3) == created
    request = http.calls[0].request
    assert json.loads(request.body) == {"agent_id": 42, "scenarios": [1, 2], "frequency": 3}
    assert request.headers["X-CEKURA-API-KEY"] == KEY
    assert request.req_kwargs["timeout"] == 20


def test_start_run_posts_tags_to_the_text_endpoint(http, client) -> None:
    http.post(TEXT_URL, status=200, json={"id": "168", "status": "pending"})
    result = start(client, scenarios=(), tags=("smoke", "billing"), run_as_text=True)
    assert result["id"] == "168"
    body = json.loads(http.calls[0].request.body)
    assert body == {"agent_id": 42, "tags": ["smoke", "billing"], "frequency": 1}


def test_start_run_retries_429_with_growing_waits(http, client, sleeps) -> None:
    http.post(VOICE_URL, status=429)
    http.post(VOICE_URL, status=429)
    http.post(VOICE_URL, status=201, json={"id": 167})
    assert start(client)["id"] == 167
    assert len(http.calls) == 3
    assert sleeps == [2, 4]


def test_start_run_honours_retry_after(http, client, sleeps) -> None:
    http.post(VOICE_URL, status=429, headers={"Retry-After": "5"})
    http.post(VOICE_URL, status=503, headers={"Retry-After": "3"})
    http.post(VOICE_URL, status=201, json={"id": 167})
    assert start(client)["id"] == 167
    assert sleeps == [5, 3]


def test_start_run_gives_up_after_three_refusals_saying_nothing_was_created(
    http, client, sleeps
) -> None:
    for _ in range(3):
        http.post(VOICE_URL, status=429, json={"detail": "Rate limit exceeded"})
    with pytest.raises(TransientApiError) as caught:
        start(client)
    assert len(http.calls) == 3
    assert len(sleeps) == 2
    assert "no run was created" in caught.value.message
    assert "Rate limit exceeded" in caught.value.message
    assert not isinstance(caught.value, RunStartUncertain)


def test_start_run_does_not_sleep_through_a_long_retry_after(http, client, sleeps) -> None:
    http.post(VOICE_URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(TransientApiError, match="asked to wait 3600 s") as caught:
        start(client)
    assert len(http.calls) == 1
    assert sleeps == []
    assert caught.value.retry_after == 3600


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError("Connection reset by peer"),
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ChunkedEncodingError("IncompleteRead"),
    ],
)
def test_start_run_never_retries_when_the_run_may_exist(http, client, sleeps, error) -> None:
    http.post(VOICE_URL, body=error)
    with pytest.raises(RunStartUncertain) as caught:
        start(client)
    assert len(http.calls) == 1
    assert sleeps == []
    message = caught.value.message
    assert "may have been created" in message
    assert "https://dashboard.cekura.ai" in message
    assert "before re-running" in message
    assert_no_key(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_start_run_server_errors_without_retry_after_are_uncertain(http, client, status) -> None:
    http.post(VOICE_URL, status=status, body="<html>oops</html>", content_type="text/html")
    with pytest.raises(RunStartUncertain, match=f"HTTP {status}"):
        start(client)
    assert len(http.calls) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"json": {"status": "pending"}},
        {"json": {"id": None}},
        {"json": {"id": True}},
        {"json": {"id": "abc"}},
        {"json": [{"id": 1}]},
        {"body": "<html>ok</html>", "content_type": "text/html"},
    ],
)
def test_start_run_2xx_without_a_result_id_is_uncertain(http, client, answer) -> None:
    http.post(VOICE_URL, status=201, **answer)
    with pytest.raises(RunStartUncertain) as caught:
        start(client)
    assert isinstance(caught.value, ApiError)
    assert len(http.calls) == 1


def test_start_run_400_shows_field_errors(http, client) -> None:
    http.post(
        VOICE_URL,
        status=400,
        json={
            "scenarios": ['Invalid pk "99" - object does not exist.'],
            "frequency": ["Ensure this value is greater than or equal to 1."],
            "non_field_errors": ["Invalid personalities provided."],
        },
    )
    with pytest.raises(ApiError) as caught:
        start(client)
    error = caught.value
    assert type(error) is ApiError
    assert 'scenarios: Invalid pk "99" - object does not exist.' in error.message
    assert "frequency: Ensure this value is greater than or equal to 1." in error.message
    assert "Invalid personalities provided" in error.message
    assert "--scenarios/--tags" in error.message


def test_start_run_400_with_nested_spec_errors(http, client) -> None:
    http.post(
        VOICE_URL,
        status=400,
        json={"errors": {"scenarios[0].instructions": ["Instructions are required."]}},
    )
    with pytest.raises(ApiError, match=r"scenarios\[0\].instructions: Instructions are required"):
        start(client)


def test_start_run_auth_and_not_found(http, client) -> None:
    http.post(VOICE_URL, status=401, json={"detail": "Invalid API key."})
    http.post(VOICE_URL, status=404, json={"detail": "Not found."})
    with pytest.raises(AuthError, match="the project that owns agent 42"):
        start(client)
    with pytest.raises(NotFoundError, match="agent 42 was not found"):
        start(client)


def test_start_run_redirect_is_not_followed(http, client) -> None:
    http.post(VOICE_URL, status=301, headers={"Location": "https://other.example/x/"})
    with pytest.raises(ApiError, match=re.escape("https://other.example/x/")) as caught:
        start(client)
    assert not isinstance(caught.value, RunStartUncertain)
    assert len(http.calls) == 1
