"""End to end: starting runs in every execution mode and from a suite file, the call limit,
dry runs and share links; the real `cekura-gate check` against the simulator over HTTP.

Every test that starts a run sees exactly one start request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs, run_gate

KEY = "sk-test-modes-4b1d"
SIMULATOR = {"api_key": KEY, "progress_seconds": 0.6}
CONFIG = "version: 1\nthresholds:\n  min_runs: 1\n  success_rate: {min: 50}\n"
START_PATHS = ("run_scenarios", "run_scenarios_text", "run_scenarios_json")
SUITE = {
    "scenarios": [
        {"name": "Books a check-up", "instructions": "Ask for a Tuesday appointment."},
        {"name": "Emergency", "instructions": "Describe chest pain."},
    ]
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "suite.json").write_text(json.dumps(SUITE), encoding="utf-8")
    return tmp_path


def gate(sim: Simulator, workspace: Path, *args: str, **env: str):
    base = {
        "CEKURA_API_KEY": KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "30",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    }
    proc = run_gate("check", *args, cwd=workspace, env=base | env)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert KEY not in proc.stdout + proc.stderr
    return proc


def starts(sim: Simulator) -> list:
    """The requests that start a run (a dry run or a validation is not one)."""
    return [
        r
        for r in sim.requests
        if r.method == "POST"
        and r.path.rstrip("/").rsplit("/", 1)[-1].startswith("run_scenarios")
        and r.query.get("dry_run") != "true"
    ]


def outputs(workspace: Path) -> dict[str, str]:
    path = workspace / "out.txt"
    return read_outputs(path) if path.exists() else {}


@pytest.mark.parametrize(
    ("mode", "path", "field"),
    [
        (
            "livekit_v2",
            "/test_framework/v1/scenarios-external/run_scenarios_livekit_v2/",
            "livekit",
        ),
        ("pipecat_v2", "/test_framework/v1/scenarios/run_scenarios_pipecat_v2/", "pipecat"),
    ],
)
def test_v2_modes_start_once_with_their_own_body(sim, workspace, mode, path, field):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--scenarios", "11541,11542",
        "--execution-mode", mode, f"--{field}-data", '{"agent_name": "kit"}',
        "--concurrency-limit", "2", "--run-name", "pr-7 smoke", "--frequency", "2",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [start] = starts(sim)
    assert start.path == path
    assert start.body == {
        "agent": 1,
        "scenarios": [{"scenario": 11541}, {"scenario": 11542}],
        "frequency": 2,
        "name": "pr-7 smoke",
        "concurrency_limit": 2,
        f"{field}_data": {"agent_name": "kit"},
    }
    assert f"Started a {mode} run of scenarios 11541,11542 for agent 1" in proc.stdout
    assert outputs(workspace)["verdict"] == "pass"


def test_voice_run_with_phone_number_name_and_concurrency(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--scenarios", "11541,11543",
        "--phone-number", "+14155550100", "--concurrency-limit", "1", "--run-name", "nightly",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [start] = starts(sim)
    assert start.path == "/test_framework/v1/scenarios/run_scenarios/"
    assert start.body == {
        "agent_id": 1,
        "scenarios": [11541, 11543],
        "frequency": 1,
        "outbound_phone_number": "+14155550100",
        "name": "nightly",
        "concurrency_limit": 1,
    }


def test_text_mode_is_the_text_endpoint(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "1", "--tags", "smoke", CEKURA_EXECUTION_MODE="text")
    assert proc.returncode == 0, proc.stderr
    [start] = starts(sim)
    assert start.path == "/test_framework/v1/scenarios/run_scenarios_text/"
    assert start.body == {"agent_id": 1, "tags": ["smoke"], "frequency": 1}


def test_suite_file_starts_one_tests_as_code_run(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--suite-file", "suite.json",
        "--execution-mode", "text", "--run-name", "suite", "--concurrency-limit", "4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [start] = starts(sim)
    assert start.path == "/test_framework/v1/scenarios/run_scenarios_json/"
    assert start.query == {}
    assert start.body == {
        "agent_id": 1,
        "channel": "text",
        "spec": SUITE,
        "name": "suite",
        "concurrency_limit": 4,
    }
    assert "Started a text run of suite suite.json for agent 1" in proc.stdout
    out = outputs(workspace)
    assert out["verdict"] == "pass" and int(out["result-id"]) >= 5001


def test_suite_refused_by_cekura_names_every_problem(sim, workspace):
    bad = {"scenarios": [{"name": "a"}, {"name": "b", "instructions": "ok"}, {"name": "c"}]}
    (workspace / "suite.json").write_text(json.dumps(bad), encoding="utf-8")
    proc = gate(sim, workspace, "--agent-id", "1", "--suite-file", "suite.json")
    assert proc.returncode == 3
    assert "Cekura refused to start the run (HTTP 400)" in proc.stderr
    assert "scenarios[0].instructions" in proc.stderr
    assert "scenarios[2].instructions" in proc.stderr
    assert "--suite-file" in proc.stderr
    assert len(starts(sim)) == 1


# -- max-calls ---------------------------------------------------------------------------


def test_max_calls_exactly_met_starts_the_run(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--scenarios", "11541,11542", "--frequency", "2",
        "--max-calls", "4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert len(starts(sim)) == 1


def test_max_calls_one_under_refuses_before_any_call(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--scenarios", "11541,11542", "--frequency", "2",
        CEKURA_MAX_CALLS="3",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "would place 4 calls, more than max-calls 3 allows" in proc.stderr
    assert "no run was started" in proc.stderr
    assert sim.requests == []  # nothing was asked of Cekura at all


def test_max_calls_of_a_suite_asks_cekura_to_count_for_free(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--suite-file", "suite.json", "--frequency", "3",
        "--max-calls", "5",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "would place 6 calls, more than max-calls 5" in proc.stderr
    assert [r.path for r in sim.requests] == [
        "/test_framework/v1/scenarios/validate_scenarios_json/"
    ]
    assert starts(sim) == []


def test_max_calls_of_a_suite_within_the_limit_validates_then_starts_once(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "1", "--suite-file", "suite.json", "--max-calls", "2")
    assert proc.returncode == 0, proc.stderr
    posts = [r.path.rsplit("/", 2)[-2] for r in sim.requests if r.method == "POST"]
    assert posts == ["validate_scenarios_json", "run_scenarios_json"]


# -- dry runs ------------------------------------------------------------------------------


def test_dry_run_of_a_suite_prints_cekuras_cost_and_places_nothing(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--suite-file", "suite.json", "--frequency", "2",
        "--dry-run", "--max-calls", "4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "no call was placed" in proc.stdout
    assert "Calls: 4 (counted by Cekura for 2 scenario(s))" in proc.stdout
    assert "Estimated cost: 40 credits (Cekura's estimate)" in proc.stdout
    assert "Max calls: 4 (within the limit)" in proc.stdout
    assert [r.path for r in sim.requests] == [
        "/test_framework/v1/scenarios/validate_scenarios_json/"
    ]
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert "dry run: valid, no call placed" in summary and "40 credits" in summary


def test_dry_run_falls_back_to_run_scenarios_json_dry_run(sim, workspace):
    from gate.simulator.faults import Fault

    sim.script(None, [Fault.json({"detail": "Not found."}, 404)])
    proc = gate(
        sim, workspace, "--agent-id", "1", "--suite-file", "suite.json", CEKURA_DRY_RUN="true"
    )
    assert proc.returncode == 0, proc.stderr
    assert "Estimated cost: 20 credits" in proc.stdout
    posts = [(r.path.rsplit("/", 2)[-2], r.query) for r in sim.requests]
    assert posts == [
        ("validate_scenarios_json", {}),
        ("run_scenarios_json", {"dry_run": "true"}),
    ]
    assert starts(sim) == []


def test_dry_run_of_an_invalid_suite_exits_2_with_cekuras_words(sim, workspace):
    bad = {"scenarios": [{"name": "a", "instructions": "x"}, {"name": "b"}]}
    (workspace / "suite.json").write_text(json.dumps(bad), encoding="utf-8")
    proc = gate(sim, workspace, "--agent-id", "1", "--suite-file", "suite.json", "--dry-run")
    assert proc.returncode == 2
    assert "scenarios[1].instructions: Instructions are required" in proc.stderr
    assert "Cekura refused a voice run of suite suite.json" in proc.stderr
    assert "not valid, no call placed" in (workspace / "summary.md").read_text(encoding="utf-8")
    assert starts(sim) == []


def test_dry_run_over_max_calls_exits_2_without_asking_cekura(sim, workspace):
    proc = gate(
        sim, workspace, "--agent-id", "1", "--scenarios", "11541,11542", "--frequency", "2",
        "--personality-ids", "7,8", "--test-profile-ids", "20", "--dry-run", "--max-calls", "7",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Calls: 8 (2 scenario(s) × frequency 2 × 2 personalities × 1 test profiles)" in (
        proc.stdout
    )
    assert "would place 8 calls, more than max-calls 7" in proc.stderr
    assert sim.requests == []


def test_dry_run_of_tags_cannot_count_and_says_so(sim, workspace):
    proc = gate(sim, workspace, "--agent-id", "1", "--tags", "smoke", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "not known before the run starts" in proc.stdout
    assert sim.requests == []


# -- share links ---------------------------------------------------------------------------


def test_share_link_of_a_started_run_is_an_output(sim, workspace):
    from datetime import UTC, datetime, timedelta

    before = datetime.now(UTC)
    proc = gate(sim, workspace, "--agent-id", "1", "--scenarios", "11541", "--share-link", "7d")
    assert proc.returncode == 0, proc.stderr
    out = outputs(workspace)
    assert out["share-link"].startswith("https://dashboard.cekura.ai/shared/results/")
    [(rid, expire_at)] = sim.share_links
    assert rid == out["result-id"]
    expires = datetime.strptime(expire_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before + timedelta(days=7) - timedelta(seconds=1) <= expires
    assert expires <= datetime.now(UTC) + timedelta(days=7)
    assert "anyone with it can read the transcripts" in proc.stdout
    assert len(starts(sim)) == 1


def test_no_share_link_unless_asked(sim, workspace):
    from gate.simulator import catalogue

    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    proc = gate(sim, workspace, "--result-id", rid)
    assert proc.returncode == 0, proc.stderr
    assert sim.share_links == []
    assert "share-link" not in outputs(workspace)


def test_share_link_failure_is_a_warning_and_the_verdict_stands(sim, workspace):
    from gate.simulator import catalogue
    from gate.simulator.faults import Fault

    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=0)
    sim.script(rid, [Fault.ok(), Fault.json({"detail": "Server Error"}, 500)])
    proc = gate(sim, workspace, "--result-id", rid, CEKURA_SHARE_LINK="12h")
    assert proc.returncode == 0, proc.stderr
    assert "could not create a share link for result" in proc.stdout + proc.stderr
    assert "Server Error" in proc.stdout + proc.stderr
    out = outputs(workspace)
    assert out["verdict"] == "pass" and "share-link" not in out
