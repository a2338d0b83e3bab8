"""`--format` and the terminal: the real command, at a pseudo-terminal and through a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import clean_env, command, run_gate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FAILING = str(FIXTURES / "failing.json")


def _at_terminal(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the command with standard output on a pseudo-terminal, stderr on a pipe."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command(*args),
        cwd=cwd,
        env=clean_env(env | {"COLUMNS": "100"}),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    _, err = process.communicate(timeout=60)
    os.close(leader)
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return process.returncode, out, err.decode("utf-8")


def test_a_terminal_gets_the_text_report_in_colour(tmp_path):
    code, out, err = _at_terminal("check", "--result-file", FAILING, cwd=tmp_path, env={})
    assert code == 1
    assert "\x1b[1;31m✗ FAILED · 2 blocking checks" in out.splitlines()[-1]
    assert "Blocking checks (2)" in out
    assert "##" not in out and "<details>" not in out and "\\" not in out
    assert "cekura-gate: notice: No config file" in err  # log lines on stderr


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"FORCE_COLOR": "0"}, {"TERM": "dumb"}])
def test_no_color_is_honoured(tmp_path, env):
    code, out, _ = _at_terminal("check", "--result-file", FAILING, cwd=tmp_path, env=env)
    assert code == 1
    assert "\x1b[" not in out
    assert out.splitlines()[-1].startswith("✗ FAILED · 2 blocking checks")


def test_markdown_at_a_terminal_when_asked(tmp_path):
    code, out, _ = _at_terminal(
        "check", "--result-file", FAILING, "--format", "markdown", cwd=tmp_path, env={}
    )
    assert code == 1
    assert out.startswith("## ❌ Cekura gate failed")


def test_in_github_actions_the_log_stays_markdown(tmp_path):
    _, out, _ = _at_terminal(
        "check", "--result-file", FAILING, cwd=tmp_path, env={"GITHUB_ACTIONS": "true"}
    )
    assert "## ❌ Cekura gate failed" in out
    assert "Blocking checks (" not in out


def test_piped_output_stays_markdown(tmp_path):
    done = run_gate("check", "--result-file", FAILING, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("## ❌ Cekura gate failed · ")


def test_format_text_through_a_pipe_has_no_colour_unless_forced(tmp_path):
    done = run_gate("check", "--result-file", FAILING, "--format", "text", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1].startswith("✗ FAILED · 2 blocking checks")
    assert "\x1b[" not in done.stdout
    forced = run_gate(
        "check",
        "--result-file",
        FAILING,
        cwd=tmp_path,
        env={"CEKURA_FORMAT": "text", "FORCE_COLOR": "1"},
    )
    assert "\x1b[1;31m✗ FAILED" in forced.stdout


def test_format_json_prints_the_json_report_alone(tmp_path):
    import json

    done = run_gate("check", "--result-file", FAILING, "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)["verdict"] == "fail"


def test_a_bad_format_is_a_usage_error(tmp_path):
    done = run_gate("check", "--result-file", FAILING, "--format", "html", cwd=tmp_path)
    assert done.returncode == 2
    assert "--format: expected one of markdown, text, json, got 'html'" in done.stderr


def test_format_json_and_junit_on_stdout_is_a_usage_error(tmp_path):
    done = run_gate(
        "check", "--result-file", FAILING, "--format", "json", "--junit-xml", "-", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "two documents on one stream" in done.stderr


def test_demo_at_a_terminal_prints_the_text_report_and_logs_on_stderr(tmp_path):
    code, out, err = _at_terminal("demo", "--scenario", "fail", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert code == 1
    assert "Simulated Cekura API at http://127.0.0.1:" in err
    assert "s] status " in err  # progress
    assert "s] status " not in out
    # the demo's regressed agent is decided early: the gate started the run and it could no
    # longer pass; the checks that need the finished result are not reached
    assert "Note: Decided early: " in out
    assert re.match(r"✗ FAILED · \d+ blocking checks?: Success rate", out.splitlines()[-1])
    # how many runs had failed when it was decided depends on when the poll landed
    assert re.search(r"Failing runs \(\d+ of 12, \d+ causes?\)", out)


def test_a_report_on_stdout_at_a_terminal_keeps_stdout_to_itself(tmp_path):
    import json

    code, out, err = _at_terminal(
        "check", "--result-file", FAILING, "--report-json", "-", cwd=tmp_path, env={}
    )
    assert code == 1
    assert json.loads(out)["verdict"] == "fail"  # one document, nothing else
    assert "## ❌ Cekura gate failed" in err


def test_format_text_with_a_report_on_stdout_is_a_usage_error(tmp_path):
    done = run_gate(
        "check", "--result-file", FAILING, "--format", "text", "--report-json", "-", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "--format text prints the terminal report on standard output" in done.stderr
