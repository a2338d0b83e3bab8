"""A usage or config error stops the gate before it reads a result: the log never calls it
"could not evaluate" (that is exit 3, a result the gate could not judge)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run_gate

PASSING = str(Path(__file__).resolve().parent.parent / "fixtures" / "passing.json")


def test_a_config_error_is_logged_as_stopped(tmp_path):
    (tmp_path / "bad.yml").write_text("version: 1\nthresholds:\n  bogus: 1\n", encoding="utf-8")
    done = run_gate(
        "check",
        "--result-file",
        PASSING,
        "--config",
        "bad.yml",
        "--summary-file",
        "summary.md",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "COULD NOT EVALUATE" not in done.stdout
    assert done.stdout.startswith(
        "cekura-gate STOPPED (config error, nothing was evaluated): bad.yml: 1 problem:"
    )
    assert "cekura-gate: config error: bad.yml" in done.stderr


def test_a_missing_api_key_is_logged_as_stopped(tmp_path):
    done = run_gate("check", "--result-id", "5", "--summary-file", "summary.md", cwd=tmp_path)
    assert done.returncode == 2
    assert "COULD NOT EVALUATE" not in done.stdout
    assert done.stdout.startswith(
        "cekura-gate STOPPED (usage error, nothing was evaluated): CEKURA_API_KEY is not set."
    )


def test_an_unreachable_api_is_still_could_not_evaluate(tmp_path):
    done = run_gate(
        "check",
        "--result-id",
        "5",
        "--summary-file",
        "summary.md",
        "--api-url",
        "http://127.0.0.1:9",
        "--timeout",
        "2",
        "--poll-interval",
        "1",
        cwd=tmp_path,
        env={"CEKURA_API_KEY": "k"},
    )
    assert done.returncode == 3
    assert "cekura-gate COULD NOT EVALUATE: " in done.stdout
