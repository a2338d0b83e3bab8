"""End to end: `cekura-gate combine` over the JSON reports that real `check` runs wrote against
the simulator, the way a matrix's final job downloads and combines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.simulator import catalogue
from gate.simulator.server import Simulator
from tests.cli_runner import read_outputs, run_gate

KEY = "sk-test-combine-9e2a"
SIMULATOR = {"api_key": KEY, "progress_seconds": 0}


@pytest.fixture
def reports(sim: Simulator, tmp_path: Path) -> Path:
    """reports/<job>/cekura-gate.json of two jobs, as download-artifact lays them out: agent 1
    passes, agent 2 (regressed) fails."""
    folder = tmp_path / "reports"
    for agent, job in ((1, "gate-agent-a"), (2, "gate-agent-b")):
        rid = sim.add_result(catalogue.demo_result(agent))
        proc = run_gate(
            "check", "--result-id", rid, "--report-json", str(folder / job / "cekura-gate.json"),
            "--summary-file", str(tmp_path / f"{job}.md"), cwd=tmp_path,
            env={"CEKURA_API_KEY": KEY, "CEKURA_API_URL": sim.url},
        )  # fmt: skip
        assert proc.returncode == (0 if agent == 1 else 1), proc.stderr
    return folder


def combine(workspace: Path, *paths: str):
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
    }
    proc = run_gate("combine", *paths, cwd=workspace, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    return proc, summary, read_outputs(workspace / "out.txt")


def report(reports: Path, job: str) -> str:
    return str(reports / job / "cekura-gate.json")


def altered(tmp_path: Path, data: dict) -> Path:
    """A report changed by hand (not *.json: the autouse fixture would hold it to the
    schema this gate writes)."""
    path = tmp_path / "altered" / "cekura-gate.report"
    path.parent.mkdir()
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_three_reports_one_missing_could_not_evaluate(reports, tmp_path):
    proc, summary, out = combine(
        tmp_path,
        report(reports, "gate-agent-a"),
        report(reports, "gate-agent-b"),
        report(reports, "gate-agent-c"),  # its job died before writing a report
    )
    assert proc.returncode == 3
    assert "could not evaluate: gate-agent-c: no report at" in proc.stderr
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert [line.split("::")[1] for line in annotations] == [
        "error title=cekura-gate%3A gate-agent-b",
        "error title=cekura-gate%3A gate-agent-c",
    ]
    assert summary.startswith(
        "## ⚠️ Cekura gate could not evaluate: 1 of 3 jobs passed, 1 failed, 1 could not be "
        "evaluated\n"
    )
    rows = [line for line in summary.splitlines() if line.startswith("| gate-agent-")]
    assert [row.split(" | ")[1] for row in rows] == [
        "✅ pass",
        "❌ fail",
        "⚠️ could not evaluate",
    ]
    wrong = summary.split("### What went wrong", 1)[1]
    assert "**gate-agent-b**: Success rate: 50% (3 of 6 runs) (needs ≥ 100%)" in wrong
    assert "3 failing run(s), e.g.:" in wrong
    assert "**gate-agent-c**: could not evaluate: no report at" in wrong
    assert "gate-agent-a" not in wrong
    assert out["verdict"] == "error"
    assert out["result-id"] == "4101,4102,"
    assert out["success-rate"] == "75"  # 6 + 3 of 12 runs, pooled
    assert json.loads(out["failed-checks"]) == [
        "gate-agent-b: success_rate",
        "gate-agent-b: performance_metrics.require_all_met",
        "gate-agent-c: could not evaluate",
    ]


def test_every_job_passed_passes(reports, tmp_path):
    proc, summary, out = combine(tmp_path, report(reports, "gate-agent-a"))
    assert proc.returncode == 0, proc.stderr
    assert out["verdict"] == "pass" and out["failed-checks"] == "[]"
    assert "What went wrong" not in summary
    assert "cekura-gate PASSED (combined): 1 of 1 jobs passed" in proc.stdout


def test_a_failed_job_fails_the_matrix(reports, tmp_path):
    proc, summary, out = combine(
        tmp_path, report(reports, "gate-agent-a"), report(reports, "gate-agent-b")
    )
    assert proc.returncode == 1
    assert out["verdict"] == "fail"
    assert summary.startswith("## ❌ Cekura gate failed: 1 of 2 jobs passed, 1 failed\n")


def test_unreadable_report_could_not_evaluate(reports, tmp_path):
    # (not *.json: the autouse fixture would hold a broken report to the schema)
    cut = tmp_path / "cut" / "cekura-gate.report"
    cut.parent.mkdir()
    cut.write_text(Path(report(reports, "gate-agent-a")).read_text()[:100], encoding="utf-8")
    proc, summary, out = combine(tmp_path, report(reports, "gate-agent-a"), str(cut))
    assert proc.returncode == 3
    assert "cut: " in proc.stderr and "is not valid JSON" in proc.stderr
    assert "| cut | ⚠️ could not evaluate |" in summary
    assert out["verdict"] == "error"


def test_a_report_of_another_schema_version_is_refused(reports, tmp_path):
    data = json.loads(Path(report(reports, "gate-agent-a")).read_text(encoding="utf-8"))
    data["schema_version"] = 3
    path = altered(tmp_path, data)
    proc, _summary, out = combine(tmp_path, str(path), report(reports, "gate-agent-b"))
    assert proc.returncode == 2
    assert "is a report of schema_version 3; this cekura-gate reads version 2" in proc.stderr
    assert "Use the same cekura-gate version in every matrix job" in proc.stderr
    assert out["verdict"] == "error"


def test_unknown_keys_are_tolerated(reports, tmp_path):
    data = json.loads(Path(report(reports, "gate-agent-a")).read_text(encoding="utf-8"))
    data["added_later"] = {"anything": [1, 2]}
    data["result"]["new_field"] = "x"
    path = altered(tmp_path, data)
    proc, _summary, out = combine(tmp_path, str(path))
    assert proc.returncode == 0, proc.stderr
    assert out["verdict"] == "pass"


def test_a_job_that_could_not_evaluate_carries_its_reason(sim, tmp_path):
    rid = sim.add_result(catalogue.demo_result(1), final_status="failed")
    path = tmp_path / "job" / "cekura-gate.json"
    proc = run_gate(
        "check", "--result-id", rid, "--report-json", str(path), "--summary-file",
        str(tmp_path / "job.md"), cwd=tmp_path,
        env={"CEKURA_API_KEY": KEY, "CEKURA_API_URL": sim.url},
    )  # fmt: skip
    assert proc.returncode == 3
    proc, summary, out = combine(tmp_path, str(path))
    assert proc.returncode == 3
    assert f"**job**: could not evaluate: result {rid} ended with status" in summary
    assert out["verdict"] == "error"
