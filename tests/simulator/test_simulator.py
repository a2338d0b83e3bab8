"""The Cekura simulator, spoken to over real HTTP, and the sample payloads it serves."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from gate.publish.findings.evidence import reason
from gate.result import parsing as gate_result
from gate.simulator import catalogue, run_detail, scoring, views
from gate.simulator import payloads as sp
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator

KEY = "demo-key"
DETAIL = "/test_framework/v2/results/{}/"
RUN_VOICE = "/test_framework/v1/scenarios/run_scenarios/"
RUN_TEXT = "/test_framework/v1/scenarios/run_scenarios_text/"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"api_key": KEY, "fake_clock": True}


def get(sim: Simulator, path: str, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {"X-CEKURA-API-KEY": KEY})
    kwargs.setdefault("timeout", 5)
    return requests.get(sim.url + path, headers=headers, **kwargs)


def post(sim: Simulator, path: str, body=None, **kwargs) -> requests.Response:
    headers = {"X-CEKURA-API-KEY": KEY}
    return requests.post(sim.url + path, json=body, headers=headers, timeout=5, **kwargs)


# -- progression -------------------------------------------------------------------------


def test_result_walks_through_statuses_then_shows_the_final_payload(sim, clock):
    final = catalogue.demo_result(2)
    rid = sim.add_result(final, progress_seconds=4.0)
    assert rid == "4102"

    seen = get(sim, DETAIL.format(rid)).json()
    assert seen["status"] == "pending"
    assert seen["completed_runs_count"] == "0"
    assert {r["status"] for r in seen["runs"].values()} == {"pending"}
    assert all(r["success"] is None for r in seen["runs"].values())
    assert seen["performance_metrics"] is None and seen["ai_summary_status"] == "pending"

    clock.advance(1.0)
    assert get(sim, DETAIL.format(rid)).json()["status"] == "in_queue"

    clock.advance(1.5)  # 62.5 %: running, half of the runs finished
    seen = get(sim, DETAIL.format(rid)).json()
    assert seen["status"] == "running"
    assert seen["completed_runs_count"] == "3"
    statuses = [r["status"] for r in seen["runs"].values()]
    assert statuses.count("running") == 3
    assert not gate_result.parse(seen).is_terminal

    clock.advance(0.7)  # evaluating: every run finished, the result not yet final
    seen = get(sim, DETAIL.format(rid)).json()
    assert seen["status"] == "evaluating"
    assert seen["completed_runs_count"] == "6"
    assert seen["performance_metrics"] is None

    clock.advance(0.8)
    assert get(sim, "/test_framework/v1/results/4102/").json() == final


def test_unknown_statuses_and_final_status_are_scriptable(sim, clock):
    rid = sim.add_result(
        catalogue.demo_result(1),
        progress_seconds=2,
        statuses=("warming_up",),
        final_status="timeout",
    )
    assert get(sim, DETAIL.format(rid)).json()["status"] == "warming_up"
    clock.advance(2)
    parsed = gate_result.parse(get(sim, DETAIL.format(rid)).json())
    assert parsed.status == "timeout" and parsed.is_terminal


def test_zero_progress_serves_the_payload_at_once(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    assert get(sim, DETAIL.format(rid)).json()["status"] == "completed"


# -- auth and 404 ------------------------------------------------------------------------


def test_wrong_or_missing_key_is_refused(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    wrong = get(sim, DETAIL.format(rid), headers={"X-CEKURA-API-KEY": "nope"})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Invalid API key."}
    missing = get(sim, DETAIL.format(rid), headers={})
    assert missing.status_code == 401 and "not provided" in missing.json()["detail"]


def test_no_api_key_accepts_anything(clock):
    with Simulator(clock=clock) as sim:
        rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
        assert get(sim, DETAIL.format(rid), headers={"X-CEKURA-API-KEY": "x"}).status_code == 200
        assert get(sim, DETAIL.format(rid), headers={}).status_code == 200


def test_unknown_result_and_unknown_path_are_404(sim):
    for path in (DETAIL.format(999), "/test_framework/v1/results/999/"):
        response = get(sim, path)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Result matches the given query."}
    assert get(sim, "/nothing/here/").status_code == 404
    assert post(sim, "/test_framework/v1/results/999/end_calls/").status_code == 404


# -- faults ----------------------------------------------------------------------------


def test_drop_closes_without_a_response(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.drop()])
    with pytest.raises(requests.ConnectionError):
        get(sim, DETAIL.format(rid))
    assert get(sim, DETAIL.format(rid)).status_code == 200  # consumed


def test_truncated_body_is_a_client_error(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.truncated()])
    with pytest.raises(requests.RequestException):
        get(sim, DETAIL.format(rid))


def test_html_429_503_404_401_in_order_then_normal(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(
        rid,
        [
            Fault.html(),
            Fault.status(429, retry_after="1"),
            Fault.status(503),
            Fault.not_found(),
            Fault.status(401),
        ],
    )
    html = get(sim, DETAIL.format(rid))
    assert html.status_code == 200 and html.headers["Content-Type"] == "text/html"
    assert html.text == "<html>Bad gateway</html>"
    with pytest.raises(ValueError):
        html.json()
    throttled = get(sim, DETAIL.format(rid))
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    assert "throttled" in throttled.json()["detail"]
    assert get(sim, DETAIL.format(rid)).status_code == 503
    assert get(sim, DETAIL.format(rid)).status_code == 404
    assert get(sim, DETAIL.format(rid)).status_code == 401  # despite the right key
    assert get(sim, DETAIL.format(rid)).json()["status"] == "completed"


def test_redirect_is_not_followed_when_asked(sim):
    sim.script(None, [Fault.redirect("http://other.invalid/x")])
    response = get(sim, DETAIL.format(1), allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "http://other.invalid/x"


def test_faults_scoped_to_a_result_leave_others_alone(sim):
    one = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    two = sim.add_result(catalogue.demo_result(2), progress_seconds=0)
    sim.script(one, [Fault.status(503)])
    sim.script(None, [Fault.status(502)])
    assert get(sim, DETAIL.format(two)).status_code == 502  # the catch-all queue
    assert get(sim, DETAIL.format(one)).status_code == 503  # its own queue first
    assert get(sim, DETAIL.format(one)).status_code == 200


def test_slow_answers_late_but_normally(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.slow(0.3)])
    started = time.monotonic()
    response = get(sim, DETAIL.format(rid))
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200
    with pytest.raises(requests.Timeout):
        sim.script(rid, [Fault.slow(2)])
        get(sim, DETAIL.format(rid), timeout=0.2)


def test_stop_returns_quickly_while_a_slow_handler_runs(clock):
    sim = Simulator(clock=clock).start()
    sim.script(None, [Fault.slow(30)])
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(requests.get(sim.url + DETAIL.format(1), timeout=10))
        except requests.RequestException as exc:
            outcome.append(exc)

    client = threading.Thread(target=call)
    client.start()
    while not sim.requests:
        time.sleep(0.01)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 1.0
    client.join(2)
    assert isinstance(outcome[0], requests.ConnectionError)


def test_quiet_and_requests_are_recorded(sim, capfd):
    sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    get(sim, DETAIL.format(4101), params={"x": "1"})
    post(sim, RUN_VOICE, {"agent_id": 1, "scenarios": [11541]})
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    first, second = sim.requests
    assert (first.method, first.path, first.query, first.body) == (
        "GET",
        "/test_framework/v2/results/4101/",
        {"x": "1"},
        None,
    )
    assert first.headers["X-CEKURA-API-KEY"] == KEY
    assert second.method == "POST" and second.body == {"agent_id": 1, "scenarios": [11541]}


# -- starting runs -----------------------------------------------------------------------


def test_voice_run_start_creates_a_progressing_result(sim, clock):
    body = {"agent_id": 2, "scenarios": [11541, 11543], "frequency": 2, "name": "PR #7"}
    response = post(sim, RUN_VOICE, body)
    assert response.status_code == 201
    trigger = response.json()
    assert trigger["status"] == "pending" and trigger["success_rate"] == 0
    assert trigger["run_as_text"] is False and trigger["name"] == "PR #7"
    assert isinstance(trigger["runs"], list) and len(trigger["runs"]) == 4
    assert [r["scenario"] for r in trigger["runs"]] == [11541, 11541, 11543, 11543]
    assert all(r["number"].startswith("+1") for r in trigger["runs"])

    path = DETAIL.format(trigger["id"])
    assert get(sim, path).json()["status"] == "pending"
    clock.advance(sim.progress_seconds)
    final = gate_result.parse(get(sim, path).json())
    assert final.status == "completed" and final.total_runs == 4
    assert final.success_rate == 50.0
    assert {r.scenario_name for r in final.failing_runs} == {"Emergency triage"}
    assert sorted(int(r.id) for r in final.runs) == [r["id"] for r in trigger["runs"]]


def test_text_run_start_by_tags(sim, clock):
    response = post(sim, RUN_TEXT, {"agent_id": 1, "tags": ["smoke"]})
    assert response.status_code == 201
    trigger = response.json()
    assert trigger["run_as_text"] is True
    assert [r["scenario"] for r in trigger["runs"]] == [11541, 11543, 11546]
    assert "number" not in trigger["runs"][0]
    clock.advance(10)
    detail = get(sim, DETAIL.format(trigger["id"])).json()
    assert detail["run_type"] == "Text" and detail["success_rate"] == 100.0
    second = post(sim, RUN_TEXT, {"agent_id": 1, "tags": ["smoke"]}).json()
    assert second["id"] == trigger["id"] + 1
    assert min(r["id"] for r in second["runs"]) > max(r["id"] for r in trigger["runs"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenarios": [11541]}, "agent_id"),
        ({"agent_id": 99, "scenarios": [11541]}, "agent_id"),
        ({"agent_id": "abc", "scenarios": [11541]}, "agent_id"),
        ({"agent_id": 1}, "non_field_errors"),
        ({"agent_id": 1, "scenarios": [11541], "tags": ["smoke"]}, "non_field_errors"),
        ({"agent_id": 1, "scenarios": [123]}, "scenarios"),
        ({"agent_id": 1, "tags": ["nope"]}, "tags"),
        ({"agent_id": 1, "scenarios": [11541], "frequency": 0}, "frequency"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_run_start_bodies_get_drf_errors(sim, body, field):
    response = post(sim, RUN_VOICE, body)
    assert response.status_code == 400
    errors = response.json()
    assert isinstance(errors[field], list) and errors[field][0]
    assert not any(sim._results)  # nothing was created


def test_invalid_json_body_is_400(sim):
    response = requests.post(
        sim.url + RUN_VOICE, data=b"{nope", headers={"X-CEKURA-API-KEY": KEY}, timeout=5
    )
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_set_agent_controls_what_a_run_contains(sim, clock):
    sim.set_agent(7, {11541: "error", 11544: ("pass", "metric_fail")})
    body = {"agent_id": 7, "scenarios": [11541, 11544], "frequency": 2}
    trigger = post(sim, RUN_VOICE, body).json()
    clock.advance(10)
    final = gate_result.parse(get(sim, DETAIL.format(trigger["id"])).json())
    assert [r.success for r in final.runs] == [None, None, True, False]
    assert final.runs[0].error_message == catalogue.CONNECTION_ERROR
    assert reason(final.runs[3]).startswith("Workflow Adherence failed")
    assert final.failed_infrastructure_runs == (final.runs[0].id, final.runs[1].id)


def test_end_calls_cancels_an_unfinished_result(sim, clock):
    trigger = post(sim, RUN_VOICE, {"agent_id": 1, "scenarios": [11541, 11542]}).json()
    clock.advance(sim.progress_seconds * 0.5)
    response = post(sim, f"/test_framework/v1/results/{trigger['id']}/end_calls/")
    assert response.status_code == 200 and response.content == b""
    clock.advance(100)
    detail = get(sim, DETAIL.format(trigger["id"])).json()
    assert detail["status"] == "cancelled"
    assert {r["status"] for r in detail["runs"].values()} == {"cancelled"}
    assert gate_result.parse(detail).is_terminal


def test_end_calls_leaves_a_finished_result_alone(sim):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    assert post(sim, f"/test_framework/v1/results/{rid}/end_calls/").status_code == 200
    assert get(sim, DETAIL.format(rid)).json()["status"] == "completed"


# -- list ------------------------------------------------------------------------------


def test_results_list_is_paginated_newest_first_and_filtered(sim):
    for n in range(5):
        sim.add_result(catalogue.demo_result(1 + n % 2, result_id=300 + n), progress_seconds=0)
    page = get(sim, "/test_framework/v2/results/", params={"agent_id": 1, "page_size": 2}).json()
    assert page["count"] == 3 and page["previous"] is None
    assert [r["id"] for r in page["results"]] == [304, 302]
    assert isinstance(page["results"][0]["runs"], list)
    assert page["results"][0]["success_rate"] == 100.0
    nxt = requests.get(page["next"], headers={"X-CEKURA-API-KEY": KEY}, timeout=5).json()
    assert [r["id"] for r in nxt["results"]] == [300] and nxt["next"] is None
    assert "page=" not in nxt["previous"]
    everything = get(sim, "/test_framework/v2/results/").json()
    assert [r["id"] for r in everything["results"]] == [304, 303, 302, 301, 300]
    assert get(sim, "/test_framework/v2/results/", params={"page": 9}).status_code == 404


# -- sample payloads ---------------------------------------------------------------------


def test_good_demo_agent_parses_as_all_passing():
    raw = catalogue.demo_result(1)
    parsed = gate_result.parse(raw)
    assert parsed.status == "completed" and parsed.total_runs == len(catalogue.SCENARIOS)
    assert parsed.success_rate == 100.0 and parsed.failing_runs == ()
    assert parsed.reported_success_rate == 100.0
    assert parsed.failed_workflow_runs == () and parsed.failed_infrastructure_runs == ()
    assert parsed.performance_metrics and all(r.met for r in parsed.performance_metrics)
    assert parsed.ai_summary == "" and parsed.notes == ()


def test_regressed_demo_agent_parses_with_its_failures():
    raw = catalogue.demo_result(2)
    assert raw["total_runs_count"] == "6" and raw["success_runs_count"] == "3"
    assert all(isinstance(key, str) for key in raw["runs"])
    parsed = gate_result.parse(raw)
    assert parsed.success_rate == 50.0
    failing = {r.scenario_name: r for r in parsed.failing_runs}
    assert set(failing) == {"Reschedule appointment", "Emergency triage", "Cancel appointment"}
    assert failing["Emergency triage"].expected_outcome_score == 0
    assert "911" in reason(failing["Emergency triage"])
    assert reason(failing["Reschedule appointment"]).startswith("Workflow Adherence failed")
    assert failing["Cancel appointment"].success is None
    assert parsed.failed_workflow_runs == (failing["Emergency triage"].id,)
    assert parsed.failed_infrastructure_runs == (failing["Cancel appointment"].id,)
    rules = {r.metric: r for r in parsed.performance_metrics}
    assert rules["Latency"].met is False and rules["Latency"].value > 1500
    assert rules["Voice Tone + Clarity"].met is True
    assert len(parsed.failed_reasons) == 3 and "3 of 6 runs failed" in parsed.ai_summary
    twice = gate_result.parse(catalogue.demo_result(2, frequency=2))  # what `cekura-gate demo` runs
    assert twice.total_runs == 12 and round(twice.success_rate, 1) == 58.3
    assert sum(1 for r in twice.runs if r.success is None) == 1


def test_payload_quirks_parse():
    runs = [
        run_detail.make_run(1, scenario_id=11541, scenario_name="Book appointment", success=True),
        run_detail.make_run(
            2,
            scenario_id=11542,
            scenario_name="Reschedule appointment",
            success=False,
            metrics=[scoring.legacy_binary_metric(scoring.CALL_PICKUP, False)],
        ),
    ]
    raw = sp.make_result(
        9, runs=runs, success_rate_scale=1, counts_as_strings=False, performance_metrics=None
    )
    assert raw["success_rate"] == 0.5 and raw["total_runs_count"] == 2
    assert raw["failed_workflow_runs"] is None  # no run has an expected outcome
    parsed = gate_result.parse(raw)
    assert parsed.reported_success_rate == 50.0 and parsed.notes  # read as a fraction
    assert parsed.failed_workflow_runs is None and parsed.performance_metrics is None
    assert parsed.runs[1].metrics[0].passed is False
    assert reason(parsed.runs[1]) == "Call Pickup failed: No answer."
    metrics = {m.name: m for m in parsed.runs[0].metrics}
    assert metrics["Call Pickup"].passed is True and metrics["Latency"].value == 820.0
    explicit = sp.make_result(10, runs=runs, failed_workflow_runs=[2], performance_metrics=[])
    assert gate_result.parse(explicit).failed_workflow_runs == ("2",)
    assert gate_result.parse(explicit).performance_metrics == ()


def test_trigger_and_progress_views_parse():
    final = catalogue.demo_result(2)
    trigger = gate_result.parse(views.make_trigger_response(final))
    assert trigger.status == "pending" and trigger.total_runs == 6
    assert all(r.success is None for r in trigger.runs)
    halfway = gate_result.parse(views.progress_view(final, status="running", fraction=0.5))
    assert halfway.completed_runs == 3 and not halfway.is_terminal
    assert [r.status for r in halfway.runs].count("running") == 3


def test_payloads_are_deterministic():
    assert catalogue.demo_result(2) == catalogue.demo_result(2)
    profile = catalogue.DEMO_AGENTS[2]
    assert catalogue.build_result(1, profile, [11541], frequency=3) == catalogue.build_result(
        1, profile, [11541], frequency=3
    )


def test_standalone_server_prints_its_url_and_serves_demo_results():
    proc = subprocess.Popen(
        [sys.executable, "-m", "gate.simulator.server", "--progress-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        detail = requests.get(url + DETAIL.format(4102), timeout=5).json()
        assert gate_result.parse(detail).success_rate == 50.0
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
        proc.stdout.close()
        proc.stderr.close()


def test_every_progress_step_parses_and_counts_only_rise():
    final = catalogue.demo_result(2, frequency=2)
    done = []
    for step in range(11):
        status, fraction = views.progress_at(("pending", "running", "evaluating"), step / 10)
        parsed = gate_result.parse(views.progress_view(final, status=status, fraction=fraction))
        assert parsed.total_runs == 12 and not parsed.is_terminal
        done.append(parsed.completed_runs)
    assert done == sorted(done) and done[0] == 0 and done[-1] == 12
    assert views.progress_at(("pending", "running", "evaluating"), 0.3) == ("pending", 0.0)
