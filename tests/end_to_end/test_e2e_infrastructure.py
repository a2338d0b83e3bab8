"""End to end: the real `cekura-gate check` against the simulator over HTTP, on results with
infrastructure failures (a SIP 503, a call that never connected, a run that errored) and with
a metric Cekura reports blocked. Every artefact is read: exit code, step outputs, summary,
JSON report and JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from gate.simulator import catalogue
from gate.simulator.server import Simulator
from tests.cli_runner import actions_env, read_outputs, run_gate

KEY = "sk-test-infrastructure-7c1e"
SIMULATOR = {"api_key": KEY, "progress_seconds": 0}
ALL = [s.id for s in catalogue.SCENARIOS]
#: agent 3 is the good agent on a line that drops calls: of the 6 scenarios, 11541 fails
#: with a SIP 503 (run status failed) and 11544 never connects; the other 4 runs succeed
LINE = catalogue.DEMO_AGENTS[3]


def stored(sim: Simulator, profile: catalogue.AgentProfile, rid: int, scenarios=ALL) -> str:
    return sim.add_result(
        catalogue.build_result(rid, profile, scenarios, first_run_id=rid * 100 + 1, name=f"r{rid}")
    )


def gate(sim: Simulator, tmp: Path, config: str, *args: str):
    (tmp / "gate.yml").write_text("version: 1\n" + config, encoding="utf-8")
    env = actions_env(KEY, sim.url, tmp)
    proc = run_gate("check", *args, cwd=tmp, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    report = json.loads((tmp / "gate.json").read_text(encoding="utf-8"))
    junit = ET.parse(tmp / "junit.xml").getroot()
    checks = {c["name"]: c for c in report["checks"]}
    return proc, summary, report, checks, junit, read_outputs(tmp / "out.txt")


def case(junit: ET.Element, name: str) -> ET.Element:
    return next(c for c in junit.iter("testcase") if c.get("name") == name)


# -- count_infrastructure ------------------------------------------------------------------


def test_exclude_judges_the_agent_on_the_runs_that_connected(sim, tmp_path):
    rid = stored(sim, LINE, 5101)
    config = "thresholds:\n  success_rate: {min: 100, count_infrastructure: exclude}\n"
    proc, summary, report, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 0, summary
    rate = checks["success_rate"]
    assert (rate["value"], rate["successes"], rate["runs"], rate["excluded_runs"]) == (
        100.0,
        4,
        4,
        2,
    )
    assert rate["actual"] == "100% (4 of 4 runs; 2 infrastructure failures left out)"
    assert "2 infrastructure failures left out" in summary.replace("\u00a0", " ")
    assert (report["verdict"], report["exit_code"]) == ("pass", 0)
    kinds = {run["id"]: run["failure_kind"] for run in report["failing_runs"]}
    assert kinds == {"510101": "infrastructure", "510104": "infrastructure"}
    assert out["verdict"] == "pass"
    assert case(junit, "success_rate").find("failure") is None


def test_as_failure_still_counts_them_against_the_agent(sim, tmp_path):
    rid = stored(sim, LINE, 5102)
    config = "thresholds:\n  success_rate: {min: 100}\n"
    proc, summary, _, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 1, summary
    assert checks["success_rate"]["actual"] == "66.67% (4 of 6 runs)"
    assert checks["success_rate"]["excluded_runs"] is None
    assert case(junit, "success_rate").find("failure") is not None
    assert out["verdict"] == "fail"


def test_every_run_an_infrastructure_failure_is_never_green(sim, tmp_path):
    sim.set_agent(7, {11541: "error", 11543: "run_error", 11544: "not_connected"})
    config = "thresholds:\n  success_rate: {min: 0, count_infrastructure: exclude}\n"
    args = ("--agent-id", "7", "--scenarios", "11541,11543,11544")
    proc, summary, _, checks, _, out = gate(sim, tmp_path, config, *args)
    assert proc.returncode == 1, summary
    rate = checks["success_rate"]
    assert (rate["outcome"], rate["value"], rate["excluded_runs"]) == ("missing", None, 3)
    assert "no run tested the agent" in rate["detail"]
    assert out["verdict"] == "fail"


# -- the infrastructure check ----------------------------------------------------------------


def test_too_many_infrastructure_failures_could_not_evaluate(sim, tmp_path):
    rid = stored(sim, LINE, 5103)
    config = "thresholds:\n  success_rate: {min: 50}\n  infrastructure: {max_rate: 33}\n"
    proc, summary, report, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 3, summary
    assert (report["verdict"], report["error_kind"]) == ("error", "infrastructure failures")
    assert report["reason"].startswith("2 of 6 runs (33.33%) failed for infrastructure reasons")
    infra = checks["infrastructure"]
    assert (infra["outcome"], infra["failures"], infra["runs"]) == ("fail", 2, 6)
    assert infra["stops_evaluation"] is True and infra["actual"] == "2 of 6 runs (33.33%)"
    assert "could not evaluate" in summary and "failed for infrastructure reasons" in summary
    error = case(junit, "evaluation").find("error")
    assert error is not None and error.get("type") == "infrastructure failures"
    assert case(junit, "infrastructure").find("failure") is not None
    assert out["verdict"] == "error"


def test_exactly_on_the_bound_holds(sim, tmp_path):
    rid = stored(sim, LINE, 5104)
    config = "thresholds:\n  infrastructure: {max: 2}\n"
    proc, summary, _, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 0, summary
    assert (checks["infrastructure"]["value"], checks["infrastructure"]["outcome"]) == (2, "pass")
    assert case(junit, "infrastructure").find("failure") is None
    assert out["verdict"] == "pass"


def test_its_own_level_warns_instead(sim, tmp_path):
    rid = stored(sim, LINE, 5105)
    config = "thresholds:\n  infrastructure: {max: 1, level: warn}\n"
    proc, summary, _, checks, _, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 0, summary
    assert checks["infrastructure"]["outcome"] == "fail"
    assert checks["infrastructure"]["level"] == "warn"
    assert "::warning" in proc.stdout + proc.stderr
    assert out["verdict"] == "pass"


def test_a_run_status_error_is_counted_when_the_run_is_started(sim, tmp_path):
    sim.set_agent(8, {11541: "run_error"})
    config = "thresholds:\n  infrastructure: {max: 0, level: error}\n"
    args = ("--agent-id", "8", "--scenarios", "11541,11542")
    proc, summary, _, checks, _, out = gate(sim, tmp_path, config, *args)
    assert proc.returncode == 1, summary
    assert (checks["infrastructure"]["failures"], checks["infrastructure"]["runs"]) == (1, 2)
    assert out["verdict"] == "fail"


# -- regression ------------------------------------------------------------------------------


def test_a_regression_never_blames_the_agent_for_the_line(sim, tmp_path):
    sim.add_result(catalogue.demo_result(1, result_id=5000) | {"agent": 3, "name": "nightly"})
    rid = stored(sim, LINE, 5106)
    config = (
        "baseline: {result_id: 5000}\nthresholds:\n  regression:\n    success_rate: {max_drop: 0}\n"
    )
    proc, summary, _, checks, _, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 0, summary
    change = checks["baseline.success_rate"]
    assert (change["value"], change["baseline_value"], change["change"]) == (100.0, 100.0, 0.0)
    assert (change["excluded_runs"], change["baseline_excluded_runs"]) == (2, 0)
    assert "leaving out infrastructure failures: 2 here, 0 in the baseline" in change["actual"]
    assert out["verdict"] == "pass"


# -- blocked metrics -------------------------------------------------------------------------


def test_a_blocked_metric_is_judged_on_the_runs_it_applied_to(sim, tmp_path):
    rid = stored(sim, LINE, 5107)
    config = (
        "thresholds:\n  metrics:\n"
        "    - {metric: Transfer Handling, aggregation: pass_rate, min: 100}\n"
    )
    proc, summary, _, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 0, summary
    metric = checks["metrics[Transfer Handling].pass_rate"]
    # 6 runs: 2 never connected (no metric), 3 blocked, 1 (the transfer scenario) applied
    assert (metric["value"], metric["runs"], metric["not_applicable"]) == (100.0, 1, 3)
    assert metric["actual"] == "100% (1 of 1 run; not applicable in 3: blocked)"
    assert "not applicable in 3: blocked" in summary.replace("\u00a0", " ")
    assert case(junit, "metrics[Transfer Handling].pass_rate").find("failure") is None
    assert out["verdict"] == "pass"


def test_a_metric_blocked_in_every_run_is_missing_not_green(sim, tmp_path):
    rid = stored(sim, LINE, 5108, scenarios=[11542, 11543, 11545])
    config = (
        "thresholds:\n  metrics:\n"
        "    - {metric: Transfer Handling, aggregation: pass_rate, min: 0}\n"
    )
    proc, summary, _, checks, junit, out = gate(sim, tmp_path, config, "--result-id", rid)
    assert proc.returncode == 1, summary
    metric = checks["metrics[Transfer Handling].pass_rate"]
    assert (metric["outcome"], metric["value"], metric["not_applicable"]) == ("missing", None, 3)
    assert "applied to no run" in metric["missing"]
    assert case(junit, "metrics[Transfer Handling].pass_rate").find("failure") is not None
    assert out["verdict"] == "fail"
