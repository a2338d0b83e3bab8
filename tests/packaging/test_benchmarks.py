"""The benchmark scripts run and print their tables (tiny sizes; no timing is asserted here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def needs_console_script() -> None:
    if not (Path(sys.executable).parent / "cekura-gate").exists() and not shutil.which(
        "cekura-gate"
    ):
        pytest.skip("cekura-gate is not installed beside this interpreter")


def test_polling_benchmark_smoke() -> None:
    out = bench("polling.py", "--quick")
    families = ("mixed", "queue", "heavy tail", "no evaluating", "eval lag")
    for family in families:
        assert f"\n{family} (" in "\n" + out
    adaptive = [line for line in out.splitlines() if line.startswith("| cekura-gate (adaptive)")]
    assert len(adaptive) == len(families) and out.count("| fixed 30 s") == len(families)
    # the request bound holds at every result, however few: never more than fixed polling
    assert all(row.split("|")[6].strip() == "0" for row in adaptive)
    assert out.count("(Retry-After honoured)") == len(families)
    target = next(line for line in out.splitlines() if line.startswith("target"))
    assert all(family in target for family in families)
    assert next(line for line in out.splitlines() if line.startswith("goal"))


def test_evaluation_benchmark_smoke() -> None:
    needs_console_script()
    out = bench("evaluation.py", "--python", sys.executable, "--quick", "--phases")
    for row in ("| realistic", "| lean", "| 20 runs", "| 1,000"):
        assert row in out, row
    assert "| CPU vs floor" in out and "| memory vs floor" in out
    assert "gate CPU s per added 10k runs" in out and "from 200 to 1,000 runs (x5)" in out
    assert "| parse into a Result" in out


def test_startup_benchmark_smoke() -> None:
    needs_console_script()
    out = bench("startup.py", "--python", sys.executable, "--repeat", "1")
    assert "| cekura-gate validate" in out
    # the import discipline this benchmark reports: no API client to validate a config
    row = next(line for line in out.splitlines() if "cekura-gate validate" in line)
    assert "requests" not in row


def _payload_module():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import payload
    finally:
        sys.path.remove(str(BENCHMARKS))
    return payload


def test_payload_is_a_result_the_gate_reads(tmp_path: Path) -> None:
    payload = _payload_module()
    from gate.result.parsing import parse

    path = tmp_path / "result.json"
    size = payload.write_result(path, 300)
    result = parse(path.read_text(encoding="utf-8"))
    assert result.total_runs == 300 and result.is_terminal
    assert 300 * 800 < size < 300 * 2_000  # about 1.2 kB per run
    assert 0 < len(result.failing_runs) < 60


def test_realistic_payload_has_the_shape_the_benchmark_promises(tmp_path: Path) -> None:
    payload = _payload_module()
    from gate.result.parsing import parse

    raw = payload.make_result(300, shape="realistic")
    assert raw == payload.make_result(300, shape="realistic")  # deterministic
    connected = [r for r in raw["runs"].values() if r["success"] is not None]
    assert connected and len(connected) < 300  # some calls never connected
    for run in connected:
        metrics = run["evaluation"]["metrics"]
        assert len(metrics) == 11 and all(m["explanation"] for m in metrics)
        assert len(run["transcript_object"]) == 30
    path = tmp_path / "result.json"
    size = payload.write_result(path, 300, shape="realistic")
    assert 300 * 8_000 < size < 300 * 12_000  # about 10 kB per run: 100 MB for 10,000
    result = parse(path.read_text(encoding="utf-8"))
    assert result.total_runs == 300 and 0 < len(result.failing_runs) < 60


def test_measure_reports_the_commands_own_peak_memory_cpu_and_exit_code() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import common
    finally:
        sys.path.remove(str(BENCHMARKS))
    held = b"x" * 300_000_000  # this process's peak must not show up in the child's figures
    small = common.measure([sys.executable, "-c", "pass"])
    large = common.measure([sys.executable, "-c", "held = b'x' * 150_000_000"])
    failed = common.measure([sys.executable, "-c", "raise SystemExit(3)"])
    assert len(held) and small.peak_rss_kib < 100 * 1024
    assert large.peak_rss_kib > 140 * 1024
    assert (small.exit_code, large.exit_code, failed.exit_code) == (0, 0, 3)
    assert small.cpu > 0 and large.cpu > small.cpu


def test_hostile_benchmark_smoke() -> None:
    out = bench("hostile.py", "--repeat", "1", "--inflated", str(2**20))
    assert "| check, gzip bomb" in out and "| validate, billion laughs" in out


def test_significance_benchmark_smoke() -> None:
    out = bench("significance.py", "--quick")
    assert "runs a side" in out
    assert "\n         100 " in out
