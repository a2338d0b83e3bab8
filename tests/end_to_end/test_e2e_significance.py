"""End to end: `cekura-gate check` over HTTP against the simulator, comparing with a baseline
by significance, per scenario, by coverage and by age (gate/simulator/baselines.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.simulator.baselines import comparison
from gate.simulator.server import Simulator
from tests.cli_runner import actions_env, read_outputs, run_gate

KEY = "sk-test-significance-7c1e"
SIMULATOR = {"api_key": KEY, "progress_seconds": 0}  # options of the `sim` fixture


def gate(sim: Simulator, tmp: Path, thresholds: str, *, baseline: str = "", **pair):
    base, result = comparison(**pair)
    sim.add_result(base)
    rid = sim.add_result(result)
    (tmp / "gate.yml").write_text(
        f"version: 1\nbaseline: {{result_id: {base['id']}{baseline}}}\nthresholds:\n{thresholds}",
        encoding="utf-8",
    )
    env = actions_env(KEY, sim.url, tmp)
    proc = run_gate("check", "--result-id", rid, cwd=tmp, env=env)
    assert "Traceback" not in proc.stdout + proc.stderr
    if proc.returncode == 2:
        return proc, None, None, None
    report = json.loads((tmp / "gate.json").read_text(encoding="utf-8"))
    checks = {c["name"]: c for c in report["checks"]}
    junit = (tmp / "junit.xml").read_text(encoding="utf-8")
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    return proc, checks, junit, summary


SUCCESS = "  regression:\n    success_rate: {max_drop: 5, significance: 0.05}\n"


def test_a_small_drop_on_few_runs_is_not_significant(sim, tmp_path):
    # one scenario fails all 3 repetitions: 15 of 18 against 18 of 18, Fisher p = 0.1143
    proc, checks, junit, summary = gate(sim, tmp_path, SUCCESS, failures=3)
    assert proc.returncode == 0, summary
    check = checks["baseline.success_rate"]
    assert check["outcome"] == "pass"
    assert check["p_value"] == pytest.approx(0.11428571428571428)
    assert (check["successes"], check["runs"]) == (15, 18)
    assert (check["baseline_successes"], check["baseline_runs"]) == (18, 18)
    assert check["significance"] == 0.05
    assert check["detail"] == (
        "fell 16.67 pp, more than the 5 pp allowed, but not significant with 18 and 18 runs "
        "(p = 0.11, more than 0.05)"
    )
    assert "not significant with 18 and 18 runs" in junit


def test_a_large_drop_is_a_significant_regression(sim, tmp_path):
    # three scenarios fail all their repetitions: 9 of 18 against 18 of 18, p = 0.000516
    proc, checks, junit, _ = gate(sim, tmp_path, SUCCESS, failures=3, failing=3)
    assert proc.returncode == 1
    check = checks["baseline.success_rate"]
    assert check["outcome"] == "fail"
    assert check["p_value"] == pytest.approx(0.0005164468457015732)
    assert check["detail"] == "fell 50 pp, more than the 5 pp allowed; significant (p < 0.001)"
    assert json.loads(read_outputs(tmp_path / "out.txt")["failed-checks"]) == [
        "baseline.success_rate"
    ]
    assert "significant (p &lt; 0.001)" in junit


def test_one_scenario_against_the_same_scenario_of_the_baseline(sim, tmp_path):
    # Book appointment 0 of 3 against 3 of 3: p = 1/20, exactly the significance
    thresholds = (
        "  regression:\n    scenarios:\n"
        "      - {name: Book appointment, significance: 0.05}\n"
        "      - {id: 11543, max_drop: 10}\n"
    )
    proc, checks, _, summary = gate(sim, tmp_path, thresholds, failures=3)
    assert proc.returncode == 1
    book = checks["baseline.scenarios[Book appointment]"]
    assert (book["outcome"], book["value"], book["baseline_value"]) == ("fail", 0, 100)
    assert book["p_value"] == pytest.approx(0.05)
    assert book["measures"] == "scenario"
    assert checks["baseline.scenarios[11543]"]["outcome"] == "pass"
    assert "| ❌ | Scenario: Book appointment" in summary


@pytest.mark.parametrize(
    ("shift", "code", "outcome"),
    [(300, 1, "fail"), (10, 0, "pass")],
)
def test_latency_rises_significantly_or_not(sim, tmp_path, shift, code, outcome):
    thresholds = (
        "  regression:\n    metrics:\n"
        "      - {metric: Latency, aggregation: p90, max_increase: 0, significance: 0.05}\n"
    )
    proc, checks, _, _ = gate(sim, tmp_path, thresholds, shift=shift)
    assert proc.returncode == code
    check = checks["baseline.metrics[Latency].p90"]
    assert check["outcome"] == outcome
    assert (check["runs"], check["baseline_runs"]) == (18, 18)
    if outcome == "fail":
        assert check["p_value"] < 1e-9
    else:
        assert check["p_value"] == pytest.approx(0.21446735657515748)
        assert "but not significant with 18 and 18 runs (p = 0.21" in check["detail"]


def test_coverage_lists_the_scenarios_left_out_and_the_run_drop(sim, tmp_path):
    thresholds = "  coverage: {missing_scenarios: error, max_run_drop: 20}\n"
    proc, checks, junit, summary = gate(sim, tmp_path, thresholds, left_out=(11546, 11545))
    assert proc.returncode == 1
    scenarios = checks["coverage.scenarios"]
    assert scenarios["missing_scenarios"] == ["Cancel appointment", "Angry caller escalation"]
    assert scenarios["actual"] == "2 missing: Cancel appointment, Angry caller escalation"
    runs = checks["coverage.runs"]
    assert (runs["value"], runs["baseline_value"], runs["bounds"]["min"]) == (12, 18, 15)
    assert runs["detail"] == "12 runs, fewer than the 15 allowed (the baseline had 18)"
    assert "Cancel appointment, Angry caller escalation" in summary
    assert 'name="coverage.scenarios"' in junit


def test_coverage_holds_when_nothing_was_left_out(sim, tmp_path):
    thresholds = "  coverage: {max_run_drop: 0}\n"
    proc, checks, _, _ = gate(sim, tmp_path, thresholds)
    assert proc.returncode == 0
    assert checks["coverage.scenarios"]["missing_scenarios"] == []
    assert checks["coverage.runs"]["outcome"] == "pass"


def test_an_old_baseline_is_a_warning_naming_its_date(sim, tmp_path):
    proc, checks, _, summary = gate(
        sim,
        tmp_path,
        "  min_runs: 1\n",
        baseline=", max_age: 7d",
        base_created="2026-06-20T09:00:00Z",
        created="2026-07-02T09:00:00Z",
    )
    assert proc.returncode == 0
    check = checks["baseline.age"]
    assert (check["outcome"], check["level"], check["kind"]) == ("fail", "warn", "baseline_age")
    assert check["value"] == 12 * 24 and check["unit"] == "hours"
    assert check["actual"] == "12 days (created 2026-06-20)"
    assert "::warning title=cekura-gate%3A Baseline age::" in proc.stdout
    assert "2026-06-20" in summary


def test_an_old_baseline_at_error_fails(sim, tmp_path):
    proc, checks, _, _ = gate(
        sim,
        tmp_path,
        "  min_runs: 1\n",
        baseline=", max_age: 1w, when_older: error",
        base_created="2026-06-20T09:00:00Z",
    )
    assert proc.returncode == 1
    assert checks["baseline.age"]["blocking"] is True


def test_a_bad_max_age_is_a_config_error(sim, tmp_path):
    proc, *_ = gate(sim, tmp_path, "  min_runs: 1\n", baseline=", max_age: a week")
    assert proc.returncode == 2
    assert "baseline.max_age: expected a duration such as 12h, 7d or 2w" in proc.stderr
    assert "got 'a week'" in proc.stderr
