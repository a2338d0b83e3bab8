"""`validate` warns about a valid config that cannot do what it says, and keeps its exit code."""

from __future__ import annotations

import pytest

from tests.cli_runner import run_gate

CONFIDENT = (
    "version: 1\nthresholds:\n  min_runs: {runs}\n  success_rate:\n    min: 80\n"
    "    confidence: 0.95\n"
)


@pytest.mark.parametrize(("runs", "warned"), [(15, True), (16, False)])
def test_min_runs_on_the_boundary(tmp_path, runs, warned):
    (tmp_path / "gate.yml").write_text(CONFIDENT.format(runs=runs), encoding="utf-8")
    done = run_gate("validate", "gate.yml", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("gate.yml: valid.")
    warning = (
        "cekura-gate: warning: gate.yml:6: thresholds.success_rate.confidence: min 80 at "
        "confidence 0.95 needs at least 16 runs to be decided"
    )
    assert (warning in done.stderr) is warned


@pytest.mark.parametrize(("frequency", "warned"), [("3", True), ("4", False)])
def test_the_start_decides_the_run_count(tmp_path, frequency, warned):
    (tmp_path / "gate.yml").write_text(
        "version: 1\nthresholds:\n  success_rate: {min: 80, confidence: 0.95}\n", encoding="utf-8"
    )
    # 5 scenarios × 3 = 15 runs, × 4 = 20; flags or the check step's own variables
    done = run_gate(
        "validate",
        "gate.yml",
        cwd=tmp_path,
        env={"CEKURA_SCENARIOS": "1,2,3,4,5", "CEKURA_FREQUENCY": frequency},
    )
    assert done.returncode == 0
    assert ("the result will have 15 (5 scenarios × frequency 3)" in done.stderr) is warned
    assert ("warning" in done.stderr) is warned
    flags = run_gate(
        "validate", "gate.yml", "--scenarios", "1,2,3,4,5", "--frequency", frequency, cwd=tmp_path
    )
    assert flags.stderr == done.stderr


def test_a_fraction_warns_and_exits_0_and_in_actions_annotates(tmp_path):
    (tmp_path / "gate.yml").write_text(
        "version: 1\nthresholds:\n  success_rate:\n    min: 0.9\n", encoding="utf-8"
    )
    done = run_gate("validate", "gate.yml", cwd=tmp_path)
    assert done.returncode == 0
    assert (
        "cekura-gate: warning: gate.yml:4: thresholds.success_rate.min: 0.9 looks like a "
        "fraction, but rates in the config are percent (0-100): this means 0.9%. For 90%, "
        "write 90.\n"
    ) in done.stderr
    actions = run_gate("validate", "gate.yml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert actions.returncode == 0
    assert "::warning file=gate.yml,line=4,title=cekura-gate%3A config::" in actions.stdout


def test_an_invalid_config_still_exits_2(tmp_path):
    (tmp_path / "gate.yml").write_text(
        "version: 1\nthresholds:\n  success_rate: {min: 0.9, bogus: 1}\n", encoding="utf-8"
    )
    done = run_gate("validate", "gate.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert "looks like a fraction" not in done.stderr
