"""End to end: `cekura-gate check` against the simulator with a baseline, scenarios, metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.simulator import catalogue
from gate.simulator.server import Simulator
from tests.cli_runner import actions_env, read_outputs, run_gate

KEY = "sk-test-baseline-51d2"
AGENT = 2
CONFIG = """\
version: 1
baseline:
  latest_completed: true
  name_pattern: "nightly*"
  when_missing: {when_missing}
thresholds:
  success_rate: {{min: 40}}
  scenarios:
    - {{name: Book appointment, min_success_rate: 100}}
  metrics:
    - {{metric: Latency, aggregation: p90, max: 5000}}
  regression:
    success_rate: {{max_drop: 5}}
    metrics: [{{metric: Latency, aggregation: p90, max_increase: 300}}]
"""


#: options of the `sim` fixture (tests/conftest.py)
SIMULATOR = {"api_key": KEY, "progress_seconds": 0}


def stored(agent_profile: int, rid: int, name: str) -> dict:
    """A demo result of profile 1 (good) or 2 (regressed), filed under agent 2."""
    payload = catalogue.demo_result(agent_profile, result_id=rid)
    payload["agent"] = AGENT
    payload["name"] = name
    return payload


def gate(sim: Simulator, tmp: Path, *args: str, when_missing: str = "warn", **env: str):
    (tmp / "gate.yml").write_text(CONFIG.format(when_missing=when_missing), encoding="utf-8")
    proc = run_gate("check", *args, cwd=tmp, env=actions_env(KEY, sim.url, tmp) | env)
    assert "Traceback" not in proc.stdout + proc.stderr
    summary = (tmp / "summary.md").read_text(encoding="utf-8")
    report = json.loads((tmp / "gate.json").read_text(encoding="utf-8"))
    return proc, summary, report, read_outputs(tmp / "out.txt")


def test_baseline_found_and_no_regression(sim, tmp_path):
    sim.add_result(stored(1, 4001, "Nightly main"))
    sim.add_result(stored(1, 4050, "PR 12"))  # newer, but the name does not match
    rid = sim.add_result(stored(1, 4101, "PR 13"))
    proc, summary, report, out = gate(sim, tmp_path, "--result-id", rid)
    assert proc.returncode == 0, summary
    assert out["verdict"] == "pass"
    assert "vs baseline **[Nightly main](https://dashboard.cekura.ai/results/4001)**" in summary
    assert "| | Check | This result | Baseline | Limit |" in summary
    assert report["baseline"]["found"] is True and report["baseline"]["id"] == "4001"
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["baseline.success_rate"]["actual"] == "→ no change (100% → 100%)"
    assert checks["success_rate"]["delta"] == "→ no change"
    assert len(report["scenarios"]) == 6
    book = next(r for r in report["scenarios"] if r["name"] == "Book appointment")
    assert (book["check"], book["outcome"], book["baseline_success_rate"]) == (
        "scenarios[Book appointment]",
        "pass",
        100.0,
    )


def test_regression_caught(sim, tmp_path):
    sim.add_result(stored(1, 4001, "Nightly main"))
    rid = sim.add_result(stored(2, 4102, "PR 14"))  # the regressed agent
    proc, summary, report, out = gate(sim, tmp_path, "--result-id", rid)
    assert proc.returncode == 1
    assert json.loads(out["failed-checks"]) == [
        "baseline.success_rate",
        "baseline.metrics[Latency].p90",
    ]
    # the regression compares the agent's rates (the call that never connected left out):
    # a row of its own, whose numbers add up (60% of 5 connected calls against 100%)
    row = (
        "| ❌ | Success rate without infrastructure failures<br><sub>fell 40 pp, more than the "
        "5 pp allowed</sub> | **60%** (3/5) | 100% (−40 pp) | drop ≤ 5 pp |"
    )
    assert row in summary.replace("\u00a0", " ")
    assert "| ✅ | Success rate | **50%** (3/6) | 100% (−50 pp) | ≥ 40% |" in summary.replace(
        "\u00a0", " "
    )
    assert "::error title=cekura-gate%3A Success rate vs baseline::" in proc.stdout
    # what went wrong: the agent's problems first, the call that never connected apart
    assert "### What went wrong · 3 problems in 3 calls" in summary
    assert "**3 · Infrastructure, not the agent · 1 call** · Cancel appointment" in summary
    assert "**Cancel appointment** · call 410205 · failed" in summary  # full evidence
    failing = report["failing_runs"]
    triage = next(r for r in failing if r["scenario"] == "Emergency triage")
    assert triage["findings"][0]["label"] == "Expected outcome scored 0/100"
    assert triage["transcript_excerpt"][-1]["content"].startswith("I can fit you in tomorrow")


@pytest.mark.parametrize(("when_missing", "code"), [("warn", 0), ("error", 1)])
def test_baseline_not_found(sim, tmp_path, when_missing, code):
    sim.add_result(stored(1, 4001, "PR 11"))  # no nightly result at all
    rid = sim.add_result(stored(1, 4101, "PR 13"))
    proc, summary, report, out = gate(sim, tmp_path, "--result-id", rid, when_missing=when_missing)
    assert proc.returncode == code
    assert "Baseline **not found**" in summary
    assert "none of the 2 most recent result(s) of agent 2 matches" in summary
    check = next(c for c in report["checks"] if c["name"] == "baseline")
    assert (check["outcome"], check["level"]) == ("missing", when_missing)
    assert not any(c["name"].startswith("baseline.") for c in report["checks"])
    if when_missing == "warn":
        assert "::warning title=cekura-gate%3A Baseline::" in proc.stdout
    else:
        assert json.loads(out["failed-checks"]) == ["baseline"]


def test_result_file_without_key_reports_the_baseline_missing(sim, tmp_path):
    (tmp_path / "result.json").write_text(json.dumps(stored(1, 4101, "PR 13")), encoding="utf-8")
    proc, summary, report, _ = gate(
        sim, tmp_path, "--result-file", "result.json", CEKURA_API_KEY=""
    )
    assert proc.returncode == 0  # when_missing: warn
    assert "CEKURA\\_API\\_KEY is not set" in summary
    assert report["baseline"]["found"] is False
    assert sim.requests == []
