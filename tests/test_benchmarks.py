"""The benchmark scripts run and print their tables (tiny sizes; no timing is asserted here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
    out = bench(
        "evaluation.py", "--python", sys.executable, "--runs", "200", "--repeat", "1", "--phases"
    )
    assert "| floor: json.load" in out and "| cekura-gate check" in out
    assert "| parse into a Result" in out


def test_startup_benchmark_smoke() -> None:
    needs_console_script()
    out = bench("startup.py", "--python", sys.executable, "--repeat", "1")
    assert "| cekura-gate validate" in out
    # the import discipline this benchmark reports: no API or template library to validate
    row = next(line for line in out.splitlines() if "cekura-gate validate" in line)
    assert "requests" not in row and "jinja2" not in row


def test_payload_is_a_result_the_gate_reads(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import payload
    finally:
        sys.path.remove(str(BENCHMARKS))
    from gate.result import parse

    path = tmp_path / "result.json"
    size = payload.write_result(path, 300)
    result = parse(path.read_text(encoding="utf-8"))
    assert result.total_runs == 300 and result.is_terminal
    assert 300 * 800 < size < 300 * 2_000  # about 1.2 kB per run
    assert 0 < len(result.failing_runs) < 60
