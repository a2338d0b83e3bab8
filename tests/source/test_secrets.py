"""Secrets: the API key and the GitHub token never show up where the gate writes or sends.

Every end-to-end run in the fault, injection, cancel and parallel suites already goes through
`GateRun.check_no_leak` with a sentinel key and token. This file adds the hostile cases: an
API that echoes the key back (in a result, in error details, in an HTML page), a GitHub that
echoes the token, redirects to another host, and plain-http URLs to non-loopback hosts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from gate.errors import UsageError
from gate.settings.read import from_sources
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from tests.gate_harness import (
    API_KEY,
    GITHUB_TOKEN,
    Capture,
    FakeGitHub,
    GateRun,
    check_commands,
    gate_env,
    make_workspace,
    run_all,
    simulator,
)

#: text that carries both secrets (a user pasted them into a scenario, say)
ECHO = f"key {API_KEY} was used; token {GITHUB_TOKEN}"
#: what an API that echoes its request would say: Cekura never sees the GitHub token
KEY_ECHO = f"Invalid API key {API_KEY}."


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"progress_seconds": 0}


@pytest.fixture(scope="module")
def capture() -> Iterator[Capture]:
    with Capture() as server:
        yield server


def echoing_result(result_id: int) -> dict:
    """A failing result whose every kind of text echoes both secrets."""
    payload = catalogue.demo_result(2, result_id=result_id)
    payload["name"] = f"nightly ({ECHO})"
    for run in payload["runs"].values():
        run["scenario"]["name"] = f"{run['scenario']['name']} {ECHO}"
        run["scenario_name"] = run["scenario"]["name"]
        if run["success"] is not True:
            run["error_message"] = f"call failed: {ECHO}"
            run["status"] = f"failed {API_KEY}"
        for metric in run["evaluation"]["metrics"]:
            metric["name"] = f"{metric['name']} {API_KEY}"
    for issue in payload["failed_reasons"]["issues"]:
        issue["description"] = f"{issue['description']} {ECHO}"
    payload["ai_summary"] = {"what_happened": ECHO, "how_to_fix": f"rotate {API_KEY}"}
    for rule in payload["performance_metrics"]:
        rule["metric_name"] = f"{rule['metric_name']} {API_KEY}"
        rule["conditions"] = ECHO
    payload[API_KEY] = ECHO  # even as a key
    return payload


@pytest.fixture(scope="module")
def echo_sim() -> Iterator[Simulator]:
    """One simulator for all the echo cases, which run at once (`sim` is one per test)."""
    with simulator(**SIMULATOR) as s:
        yield s


@pytest.fixture(scope="module")
def echoes(echo_sim, tmp_path_factory) -> Iterator[dict[str, tuple[GateRun, FakeGitHub]]]:
    """Every echo case, run at once."""
    detail = {"detail": KEY_ECHO}
    cases = {
        "result payload": ([], None, ()),
        "401 detail": ([Fault.json(detail, 401)], None, ()),
        "404 detail": ([Fault.json(detail, 404)], None, ()),
        "503 detail until the deadline": ([Fault.json(detail, 503)] * 50, None, ()),
        "non-JSON 200 page": ([Fault.json(f"<p>{KEY_ECHO}</p>".encode())] * 50, None, ()),
        "GitHub echoes the token": ([], ECHO, ()),
        "result file": ([], None, ("file",)),
    }
    githubs, runs = [], []
    with FakeGitHub() as github, FakeGitHub(refuse=f"Bad credentials: {GITHUB_TOKEN}") as bad:
        for n, (faults, refuse, how) in enumerate(cases.values()):
            rid = echo_sim.add_result(echoing_result(9100 + n))
            echo_sim.script(rid, faults)
            workspace = make_workspace(tmp_path_factory.mktemp(f"echo{n}"))
            hub = bad if refuse else github
            env = gate_env(
                workspace, api_url=echo_sim.url, github=hub, comment_key=f"e{n}", CEKURA_TIMEOUT="2"
            )
            args: tuple[str, ...] = ("--result-id", rid)
            if "file" in how:
                path = workspace / "result.json"
                path.write_text(json.dumps(echoing_result(9100 + n)), encoding="utf-8")
                args = ("--result-file", str(path))
            githubs.append(hub)
            runs.append((workspace, args, env))
        finished = run_all(runs, at_once=8)
        yield {name: (run, hub) for name, run, hub in zip(cases, finished, githubs, strict=True)}


CASES = [
    "result payload",
    "401 detail",
    "404 detail",
    "503 detail until the deadline",
    "non-JSON 200 page",
    "GitHub echoes the token",
    "result file",
]


@pytest.mark.parametrize("case", CASES)
def test_echoed_secrets_are_redacted_everywhere(echoes, echo_sim, case):
    run, github = echoes[case]
    context = f"{case}: {run.stdout}\n{run.stderr}\n{run.summary}"
    assert run.returncode in (1, 3), context
    # the key is masked before anything else is printed
    assert run.stdout.startswith(f"::add-mask::{API_KEY}\n")
    assert run.check_no_leak(github=github, sims=[echo_sim]) >= 6
    check_commands(run.stdout)
    assert "***" in run.summary + run.stderr, "redacted, not dropped: the text around it stays"


def test_the_payload_echo_keeps_the_readable_text(echoes):
    run, github = echoes["result payload"]
    assert run.returncode == 1
    summary = run.summary
    assert "call failed: key \\*\\*\\* was used; token \\*\\*\\*" in summary
    assert "Cancel appointment" in summary or "Scenario" in summary
    (comment,) = [b for b in github.bodies() if "cekura-gate:ci:gate:e0" in b]
    assert "\\*\\*\\*" in comment
    report = json.loads(run.file("report.json"))
    assert API_KEY not in json.dumps(report)


def test_a_refusing_github_is_a_warning_without_the_token(echoes):
    run, _ = echoes["GitHub echoes the token"]
    warnings = [c for c in check_commands(run.stdout) if c.name == "warning"]
    assert any("could not comment" in w.data and "***" in w.data for w in warnings)


def test_a_refused_run_start_echoing_the_key(tmp_path):
    with simulator() as sim:
        sim.script(None, [Fault.json({"agent_id": [KEY_ECHO]}, 400)])
        workspace = make_workspace(tmp_path)
        (run,) = run_all(
            [
                (
                    workspace,
                    ("--agent-id", "1", "--tags", "smoke"),
                    gate_env(workspace, api_url=sim.url),
                )
            ]
        )
        assert run.returncode == 3
        assert "Cekura refused to start the run (HTTP 400): agent_id: Invalid API key ***" in (
            run.stderr
        )
        run.check_no_leak(sims=[sim])


# -- where the key may travel -------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_a_redirect_to_another_host_does_not_carry_the_key(sim, capture, tmp_path, code):
    elsewhere = f"http://localhost:{capture.port}/steal/"
    rid = sim.add_result(catalogue.demo_result(1))
    sim.script(rid, [Fault("redirect", code, location=elsewhere)])
    sim.script(None, [Fault("redirect", code, location=elsewhere)])  # the run start, below
    polling, starting = make_workspace(tmp_path / "poll"), make_workspace(tmp_path / "start")
    with FakeGitHub() as github:
        poll, start = run_all(
            [
                (polling, ("--result-id", rid), gate_env(polling, api_url=sim.url, github=github)),
                (
                    starting,
                    ("--agent-id", "1", "--scenarios", "11541"),
                    gate_env(starting, api_url=sim.url, github=github, comment_key="start"),
                ),
            ]
        )
    for run in (poll, start):
        assert run.returncode == 3, run.stderr
        assert "does not follow redirects" in run.stderr
        run.check_no_leak(github=github, sims=[sim])
    assert capture.requests == [], "followed a redirect to another host"


def test_plain_http_to_a_non_loopback_host_is_refused_before_any_request(tmp_path):
    """0.0.0.0 is not a loopback address, but on Linux a connection to it reaches one: so
    the simulator would see the request if the refusal did not come first."""
    with Simulator(api_key=API_KEY) as sim:
        port = sim.url.rsplit(":", 1)[1]
        reachable = requests.get(f"http://0.0.0.0:{port}/test_framework/v2/results/1/", timeout=5)
        assert reachable.status_code == 401 and len(sim.requests) == 1  # the door is open
        workspace = make_workspace(tmp_path)
        (run,) = run_all(
            [
                (
                    workspace,
                    ("--result-id", "1"),
                    gate_env(workspace, api_url=f"http://0.0.0.0:{port}"),
                )
            ]
        )
        assert run.returncode == 2
        assert "plain http would send the API key unencrypted" in run.stderr
        assert len(sim.requests) == 1, "a request went out before the URL was refused"
        run.check_no_leak(sims=[sim])


@pytest.mark.parametrize(
    "url",
    [
        "http://0.0.0.0:8000",
        "http://10.0.0.8",
        "http://api.cekura.ai",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "http://127.0.0.1@evil.example",
        "http://127.0.0.1:80@evil.example",
        "http://evil.example#@127.0.0.1",
        # urlsplit says 127.0.0.1, urllib3 (what requests connects with) says evil.example
        "http://evil.example\\@127.0.0.1:8000/",
        "http://127.0.0.1 @evil.example",
        "https://user:password@api.cekura.ai",
        "ftp://127.0.0.1",
    ],
)
def test_api_urls_that_could_send_the_key_elsewhere_are_refused(url):
    with pytest.raises(UsageError, match="--api-url"):
        from_sources(["check", "--result-id", "1", "--api-url", url], {})


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:9", "http://[::1]:9", "https://api.cekura.ai"],
)
def test_loopback_http_and_https_are_allowed(url):
    assert from_sources(["check", "--result-id", "1", "--api-url", url], {}).api_url == url


def test_settings_repr_never_shows_the_key_or_the_token(tmp_path: Path):
    token = "ghs_" + "t" * 36
    environ = {"CEKURA_API_KEY": API_KEY, "GITHUB_ACTIONS": "true", "GITHUB_TOKEN": token}
    settings = from_sources(["check", "--result-id", "1"], environ)
    assert settings.api_key == API_KEY and settings.github.token == token
    for shown in (repr(settings), str(settings), repr(settings.github), repr(settings.publishing)):
        assert API_KEY not in shown and token not in shown
    assert "result_id='1'" in repr(settings) and "actions=True" in repr(settings.github)
