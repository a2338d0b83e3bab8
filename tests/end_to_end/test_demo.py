"""The README's first quick-start command: `cekura-gate demo`."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run_gate


def test_demo_passes_for_the_healthy_agent(tmp_path: Path):
    proc = run_gate("demo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Simulated Cekura API at http://127.0.0.1:" in proc.stdout
    assert "Started a voice run for agent 1" in proc.stdout
    assert "status running" in proc.stdout  # visible progress
    assert "## ✅ Cekura gate passed" in proc.stdout
    assert "examples/gate.yml" in proc.stdout


def test_demo_blocks_the_regressed_agent(tmp_path: Path):
    summary = tmp_path / "summary.md"
    proc = run_gate("demo", "--scenario", "fail", "--summary-file", str(summary), cwd=tmp_path)
    assert proc.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## ❌ Cekura gate failed")
    assert "**Why it failed:**" in text and "### What went wrong" in text
    # the gate started the run, so it stops as soon as the run can no longer pass: which of
    # the regressed agent's failing scenarios had finished by then depends on the timing
    assert "Emergency triage" in text or "Reschedule appointment" in text
    assert "cekura-gate FAILED" in proc.stdout
