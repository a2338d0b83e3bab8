"""End to end: repeated scenarios through the real `cekura-gate check`, a subprocess talking
to the simulator over HTTP: labels, min_passes on its boundary, the flaky level, and the
quarantine list on a date fixed through `gate.flow.judging.TODAY` (the clock is the edge)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gate.simulator import catalogue
from gate.simulator.server import Simulator
from tests.cli_runner import run_gate
from tests.report_schema import assert_valid

KEY = "sk-test-flaky-3b81"
SIMULATOR = {"api_key": KEY, "progress_seconds": 0.5}
BOOK, RESCHEDULE, TRIAGE = 11541, 11542, 11543
MIXED = {
    BOOK: ("pass",),
    RESCHEDULE: ("pass", "outcome_fail", "pass", "pass", "metric_fail"),  # 3 of 5
    TRIAGE: ("outcome_fail",),
}


def gate(sim: Simulator, tmp_path: Path, config: str, *args: str, today: str = ""):
    (tmp_path / "gate.yml").write_text("version: 1\n" + config, encoding="utf-8")
    env = {
        "CEKURA_API_KEY": KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "30",
        "CEKURA_CONFIG": "gate.yml",
        "CEKURA_REPORT_JSON": "report.json",
        "CEKURA_JUNIT_XML": "junit.xml",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    proc = run_gate(
        "check",
        *args,
        cwd=tmp_path,
        env=env,
        patch={"gate.flow.judging.TODAY": today} if today else None,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    proc.report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert_valid(proc.report)  # the new keys follow report.schema.json
    proc.summary = (tmp_path / "summary.md").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    proc.junit = ET.parse(tmp_path / "junit.xml").getroot()  # type: ignore[attr-defined]
    return proc


def served(sim: Simulator, outcomes: dict[int, tuple[str, ...]], frequency: int) -> str:
    profile = catalogue.AgentProfile(9, "Agent 9", outcomes)
    return sim.add_result(
        catalogue.build_result(
            int(sim.next_result_id), profile, list(outcomes), frequency=frequency
        ),
        progress_seconds=0.3,
    )


def checks(proc) -> dict[str, dict]:
    return {c["name"]: c for c in proc.report["checks"]}


def test_a_started_run_with_frequency_is_labelled_stable_pass_flaky_stable_fail(sim, tmp_path):
    sim.set_agent(9, MIXED)
    proc = gate(
        sim,
        tmp_path,
        "thresholds: {success_rate: {min: 50}}\n",
        "--agent-id",
        "9",
        "--scenarios",
        "11541,11542,11543",
        "--frequency",
        "5",
    )
    assert proc.returncode == 0, proc.stderr  # 8 of 15 runs: 53%
    start = next(r for r in sim.requests if r.method == "POST")
    assert start.body["frequency"] == 5
    rows = {r["id"]: r for r in proc.report["scenarios"]}
    assert [(rows[i]["stability"], rows[i]["succeeded"], rows[i]["runs"]) for i in MIXED] == [
        ("stable_pass", 5, 5),
        ("flaky", 3, 5),
        ("stable_fail", 0, 5),
    ]
    flaky = checks(proc)[f"flaky[{RESCHEDULE}]"]
    assert (flaky["outcome"], flaky["level"], flaky["stability"], flaky["actual"]) == (
        "fail",
        "warn",
        "flaky",
        "flaky (3/5)",
    )
    assert "::warning" in proc.stdout and "Flaky: Reschedule appointment" in proc.stdout
    assert "**Repeated scenarios:** 1 flaky, 1 stable fail, 1 stable pass." in proc.summary
    assert "Flaky: Reschedule appointment (3/5)." in proc.summary
    case = proc.junit.find(f".//testcase[@name='flaky[{RESCHEDULE}]']")
    assert "flaky (3/5)" in case.find("system-out").text
    labels = {
        p.get("name"): p.get("value")
        for p in proc.junit.iter("property")
        if p.get("name").startswith("stability[")
    }
    assert labels == {
        "stability[Book appointment (11541)]": "stable pass (5/5)",
        "stability[Reschedule appointment (11542)]": "flaky (3/5)",
        "stability[Emergency triage (11543)]": "stable fail (0/5)",
    }


@pytest.mark.parametrize(("passes", "code"), [(4, 0), (3, 1)])
def test_min_passes_on_the_boundary(sim, tmp_path, passes, code):
    outcomes = ("pass",) * passes + ("outcome_fail",) * (5 - passes)
    rid = served(sim, {BOOK: outcomes}, 5)
    proc = gate(
        sim,
        tmp_path,
        "thresholds:\n  scenarios: [{name: Book appointment, min_passes: 4}]\n",
        "--result-id",
        rid,
    )
    assert proc.returncode == code, proc.stderr
    check = checks(proc)["scenarios[Book appointment].min_passes"]
    assert (check["kind"], check["successes"], check["runs"], check["bounds"]["min"]) == (
        "scenario_passes",
        passes,
        5,
        4,
    )
    assert check["actual"] == f"{passes} of 5 runs passed; flaky ({passes}/5)"
    if code:
        row = "| ❌ | Scenario passes: Book appointment | **3 of 5 runs passed; flaky (3/5)** |"
        assert row in proc.summary.replace("\u00a0", " ")
        failure = proc.junit.find(".//testcase[@name='scenarios[Book appointment].min_passes']")
        assert failure.find("failure") is not None


def test_fewer_runs_than_min_passes_fails(sim, tmp_path):
    rid = served(sim, {BOOK: ("pass",)}, 2)
    proc = gate(
        sim,
        tmp_path,
        "thresholds:\n  scenarios: [{name: Book appointment, min_passes: 3}]\n",
        "--result-id",
        rid,
    )
    assert proc.returncode == 1
    assert "the result has only 2 run(s) of it, fewer than min\\_passes" in proc.summary


@pytest.mark.parametrize(("level", "code"), [("warn", 0), ("error", 1)])
def test_flaky_at_warn_and_at_error(sim, tmp_path, level, code):
    rid = served(sim, MIXED, 5)
    proc = gate(
        sim,
        tmp_path,
        f"thresholds: {{success_rate: {{min: 50}}, flaky: {{level: {level}}}}}\n",
        "--result-id",
        rid,
    )
    assert proc.returncode == code, proc.stderr
    assert proc.report["verdict"] == ("pass" if code == 0 else "fail")
    flaky = checks(proc)[f"flaky[{RESCHEDULE}]"]
    assert (flaky["level"], flaky["blocking"]) == (level, code == 1)
    annotation = "::error" if code else "::warning"
    assert any(
        line.startswith(annotation) and "Flaky: Reschedule appointment" in line
        for line in proc.stdout.splitlines()
    )


QUARANTINED = """\
thresholds:
  success_rate: {min: 50}
  scenarios: [{id: 11543, min_success_rate: 100}]
quarantine:
  - {name: Emergency triage, reason: "prompt rewrite, ticket 412", until: 2026-12-31}
"""


@pytest.mark.parametrize(
    ("today", "code"), [("2026-12-30", 0), ("2026-12-31", 0), ("2027-01-01", 1)]
)
def test_quarantine_before_on_and_after_its_date(sim, tmp_path, today, code):
    rid = served(sim, MIXED, 5)
    proc = gate(sim, tmp_path, QUARANTINED, "--result-id", rid, today=today)
    assert proc.returncode == code, proc.stderr
    triage = checks(proc)["scenarios[11543]"]
    assert triage["outcome"] == "fail"
    (entry,) = proc.report["quarantine"]
    assert entry == {
        "scenario": "Emergency triage",
        "reason": "prompt rewrite, ticket 412",
        "until": "2026-12-31",
        "active": code == 0,
        "matched": ["Emergency triage"],
    }
    properties = {p.get("name"): p.get("value") for p in proc.junit.iter("property")}
    state = "active" if code == 0 else "expired"
    assert properties["quarantine[Emergency triage]"] == (
        f"until 2026-12-31, {state}: prompt rewrite, ticket 412"
    )
    assert "### Quarantined scenarios (1)" in proc.summary
    assert "| Emergency triage | prompt rewrite, ticket 412 | 2026-12-31 |" in proc.summary
    if code == 0:
        assert (triage["level"], triage["until"]) == ("warn", "2026-12-31")
        assert "quarantined until 2026-12-31: reported, does not gate" in triage["detail"]
        assert "🧊 reported, does not gate" in proc.summary
        # the scenario table says why its red row does not block
        assert "| ❌ quarantined until 2026-12-31 |" in proc.summary
        assert "quarantine[Emergency triage]" not in checks(proc)
    else:
        assert (triage["level"], triage["blocking"]) == ("error", True)
        expired = checks(proc)["quarantine[Emergency triage]"]
        assert (expired["level"], expired["actual"]) == ("warn", "expired after 2026-12-31")
        assert "⚠️ expired: gates again" in proc.summary
        assert "the quarantine expired" in proc.summary


def test_a_quarantine_matching_no_scenario_warns(sim, tmp_path):
    rid = served(sim, MIXED, 2)
    config = (
        "thresholds: {success_rate: {min: 50}}\n"
        "quarantine: [{name: Emergncy triage, reason: typo, until: 2026-12-31}]\n"
    )
    proc = gate(sim, tmp_path, config, "--result-id", rid, today="2026-12-01")
    assert proc.returncode == 0, proc.stderr
    check = checks(proc)["quarantine[Emergncy triage]"]
    assert (check["outcome"], check["level"], check["actual"]) == (
        "missing",
        "warn",
        "matched no scenario",
    )
    assert any(
        line.startswith("::warning") and "Quarantine: Emergncy triage" in line
        for line in proc.stdout.splitlines()
    )
    assert "⚠️ matched no scenario of the result" in proc.summary
    assert proc.report["quarantine"][0]["matched"] == []
