"""A command line that feels native: help that answers, no guessed flags, `-` for standard
output, -q/-v, and `validate FILE...` with annotations at each problem's file and line.

The real command as a subprocess, on saved results or against the simulator.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gate.command_line.parser import build_parser
from gate.settings.read import from_sources
from gate.simulator import catalogue
from tests.cli_runner import run_gate
from tests.conftest import fixture_path
from tests.gate_harness import API_KEY, simulator, workflow_commands

CONFIG = "version: 1\nthresholds:\n  success_rate: {min: 90}\n"
#: three schema problems: line 3, and two on line 5 (an unknown key, so "max" is missing)
BROKEN = """\
version: 1
thresholds:
  success_rate: {min: ninety}
  failed_workflow_runs:
    maxx: 0
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".cekura").mkdir()
    (tmp_path / ".cekura" / "gate.yml").write_text(CONFIG, encoding="utf-8")
    for name in ("passing.json", "failing.json"):
        shutil.copy(fixture_path(name), tmp_path / name)
    return tmp_path


# -- --help ----------------------------------------------------------------------------------


def check_options() -> dict[str, str]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.choices and "check" in a.choices]
    return {
        option: action.help or ""
        for action in commands.choices["check"]._actions
        for option in action.option_strings
        if option.startswith("--")
    }


def test_check_help_names_every_variable_the_defaults_examples_and_exit_codes(tmp_path):
    proc = run_gate("check", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())  # argparse wraps lines
    for option, help_text in check_options().items():
        if option in {"--help", "--quiet", "--verbose", "--no-run-as-text"}:
            continue
        variable = "CEKURA_" + option[2:].upper().replace("-", "_")
        assert f"[env: {variable}]" in help_text, option
        assert f"{option} " in text and f"[env: {variable}]" in text, option
    for default in ("(default: 30m)", "(default: 10s)", "(default: https://api.cekura.ai)"):
        assert default in text
    assert "(default: fail)" in text and "(default: off)" in text
    assert "examples:" in text and "cekura-gate check --result-id 16870" in text
    assert "exit codes:" in text
    for line in ("0 passed", "1 failed", "2 usage or config error", "3 could not evaluate"):
        assert line in text


@pytest.mark.parametrize("command", ["validate", "demo"])
def test_every_command_has_help_with_examples_and_exit_codes(tmp_path, command):
    proc = run_gate(command, "--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "examples:" in proc.stdout and "exit codes:" in proc.stdout
    assert "[env: CEKURA_CONFIG]" in " ".join(proc.stdout.split())


def test_top_level_help_lists_the_commands_and_exit_codes(tmp_path):
    proc = run_gate("--help", cwd=tmp_path)
    assert proc.returncode == 0
    for word in ("check", "validate", "demo", "exit codes:", "cekura-gate COMMAND --help"):
        assert word in proc.stdout


# -- no abbreviations, hints with the right command ----------------------------------------------


def test_an_abbreviated_flag_is_refused_not_taken_for_another(workspace):
    proc = run_gate("check", "--agent-id", "5", "--tag", "smoke", cwd=workspace)
    assert proc.returncode == 2
    assert proc.stderr == (
        "cekura-gate: usage error: unrecognized arguments: --tag smoke (did you mean --tags?). "
        "Run 'cekura-gate check --help' for usage.\n"
    )


@pytest.mark.parametrize("flag", ["--result", "--poll", "--report"])
def test_no_prefix_of_a_flag_is_accepted(workspace, flag):
    proc = run_gate("check", "--result-file", "passing.json", flag, "x", cwd=workspace)
    assert proc.returncode == 2
    assert "unrecognized arguments" in proc.stderr


def test_top_level_errors_name_the_program_once(tmp_path):
    proc = run_gate("nope", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Run 'cekura-gate --help' for usage." in proc.stderr
    assert "cekura-gate cekura-gate" not in proc.stderr
    proc = run_gate("check", "--frequency", cwd=tmp_path)
    assert "Run 'cekura-gate check --help' for usage." in proc.stderr


# -- --run-as-text / --no-run-as-text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "text"),
    [
        (("--run-as-text",), {}, True),
        (("--run-as-text", "false"), {}, False),
        (("--no-run-as-text",), {"CEKURA_RUN_AS_TEXT": "true"}, False),  # the flag wins
        ((), {"CEKURA_RUN_AS_TEXT": "true"}, True),
    ],
)
def test_run_as_text_and_its_negative_reach_the_api(tmp_path, args, env, text):
    with simulator(progress_seconds=0) as sim:
        environ = {"CEKURA_API_KEY": API_KEY, "CEKURA_API_URL": sim.url, **env}
        proc = run_gate(
            "check", "--agent-id", "1", "--scenarios", "11543", *args, cwd=tmp_path, env=environ
        )
        [start] = [r for r in sim.requests if r.method == "POST"]
    assert proc.returncode == 0, proc.stderr
    assert start.path.endswith("/run_scenarios_text/" if text else "/run_scenarios/")


# -- '-' means standard output -----------------------------------------------------------------


def test_report_json_dash_writes_only_json_to_stdout(workspace):
    proc = run_gate("check", "--result-file", "failing.json", "--report-json", "-", cwd=workspace)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)  # nothing else on stdout
    assert report["verdict"] == "fail"
    assert "## ❌ Cekura gate failed" in proc.stderr  # the Markdown report moved to stderr
    assert not (workspace / "-").exists()


def test_junit_xml_dash_writes_only_xml_to_stdout(workspace):
    proc = run_gate("check", "--result-file", "passing.json", "--junit-xml", "-", cwd=workspace)
    assert proc.returncode == 0
    root = ET.fromstring(proc.stdout)
    assert root.tag == "testsuites"
    assert not (workspace / "-").exists()


def test_both_reports_on_stdout_is_a_usage_error(workspace):
    args = ("--result-file", "passing.json", "--report-json", "-", "--junit-xml", "-")
    proc = run_gate("check", *args, cwd=workspace)
    assert proc.returncode == 2
    assert "both '-' (standard output)" in proc.stderr
    assert proc.stdout == ""


# -- -q / -v / RUNNER_DEBUG ----------------------------------------------------------------------


def wait_for(sim, workspace: Path, *args: str, **env: str):
    rid = sim.add_result(catalogue.demo_result(1), progress_seconds=2)
    environ = {
        "CEKURA_API_KEY": API_KEY,
        "CEKURA_API_URL": sim.url,
        "CEKURA_POLL_INTERVAL": "0.2",
    } | env
    return run_gate("check", "--result-id", rid, *args, cwd=workspace, env=environ)


def test_quiet_drops_progress_lines_but_keeps_the_report(workspace):
    with simulator(progress_seconds=2) as sim:
        normal = wait_for(sim, workspace)
        quiet = wait_for(sim, workspace, "-q")
    assert normal.returncode == quiet.returncode == 0
    # a progress line per status seen (which ones depends on when the polls land)
    assert "s] status " in normal.stdout
    assert "s] status " not in quiet.stdout
    assert "## ✅ Cekura gate passed" in quiet.stdout


def test_verbose_prints_every_poll(workspace):
    with simulator() as sim:
        proc = wait_for(sim, workspace, "--verbose")
    assert proc.returncode == 0
    debug = [line for line in proc.stderr.splitlines() if line.startswith("cekura-gate: debug:")]
    assert any("settings: --result-id" in line and "API key set" in line for line in debug)
    assert any(" of result " in line and "status 'completed'" in line for line in debug)
    assert any("next poll of result" in line for line in debug)
    assert API_KEY not in proc.stderr


def test_runner_debug_turns_on_debug_lines_in_actions(workspace):
    with simulator() as sim:
        proc = wait_for(sim, workspace, GITHUB_ACTIONS="true", RUNNER_DEBUG="1")
    assert proc.returncode == 0
    debug = [c for c in workflow_commands(proc.stdout) if c.name == "debug"]
    assert any("next poll of result" in c.data for c in debug)


def test_quiet_and_verbose_together_is_a_usage_error(workspace):
    proc = run_gate("check", "--result-file", "passing.json", "-q", "-v", cwd=workspace)
    assert proc.returncode == 2
    assert "not allowed with argument" in proc.stderr


# -- validate FILE... ----------------------------------------------------------------------------


def test_validate_takes_several_files_and_annotates_each_problem(tmp_path):
    (tmp_path / "a.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "b.yml").write_text(BROKEN, encoding="utf-8")
    proc = run_gate("validate", "a.yml", "b.yml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 2
    assert "a.yml: valid. The gate will check: at least 1 run(s), success rate ≥ 90%" in (
        proc.stdout
    )
    assert "b.yml:3: thresholds.success_rate.min: expected a number" in proc.stderr
    assert "b.yml:5: thresholds.failed_workflow_runs.maxx: unknown key" in proc.stderr
    errors = [c for c in workflow_commands(proc.stdout) if c.name == "error"]
    assert [(c.properties["file"], c.properties["line"]) for c in errors] == [
        ("b.yml", "3"),
        ("b.yml", "5"),
        ("b.yml", "5"),
    ]
    assert errors[0].data.startswith("thresholds.success_rate.min: expected a number")
    assert "did you mean 'max'?" in errors[1].data


def test_validate_annotates_a_yaml_syntax_error_at_its_line_and_column(tmp_path):
    (tmp_path / "bad.yml").write_text("version: 1\nthresholds: [\n", encoding="utf-8")
    proc = run_gate("validate", "bad.yml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 2
    [error] = [c for c in workflow_commands(proc.stdout) if c.name == "error"]
    assert error.properties["file"] == "bad.yml"
    assert error.properties["line"] == "3" and "col" in error.properties
    assert "not valid YAML" in error.data


def test_validate_outside_actions_prints_no_workflow_commands(tmp_path):
    (tmp_path / "b.yml").write_text(BROKEN, encoding="utf-8")
    proc = run_gate("validate", "b.yml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "::" not in proc.stdout + proc.stderr


def test_validate_all_valid_files_exit_0_and_config_still_works(tmp_path):
    for name in ("a.yml", "b.yaml"):
        (tmp_path / name).write_text(CONFIG, encoding="utf-8")
    assert run_gate("validate", "a.yml", "b.yaml", cwd=tmp_path).returncode == 0
    proc = run_gate("validate", "--config", "a.yml", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("a.yml: valid.")


def test_validate_a_missing_file_is_a_config_error(tmp_path):
    proc = run_gate("validate", "nope.yml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 2
    assert "config file nope.yml does not exist" in proc.stderr
    [error] = [c for c in workflow_commands(proc.stdout) if c.name == "error"]
    assert error.properties["file"] == "nope.yml" and "line" not in error.properties


def test_check_annotates_config_problems_at_their_lines(workspace):
    (workspace / ".cekura" / "gate.yml").write_text(BROKEN, encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(workspace / "summary.md")}
    proc = run_gate("check", "--result-file", "passing.json", cwd=workspace, env=env)
    assert proc.returncode == 2
    located = [
        (c.properties["file"], c.properties["line"])
        for c in workflow_commands(proc.stdout)
        if c.name == "error" and "file" in c.properties
    ]
    assert located == [(".cekura/gate.yml", line) for line in ("3", "5", "5")]


# -- the new settings' three spellings (the input arrives as the variable) -----------------------


@pytest.mark.parametrize(
    ("argv", "environ", "pr_number", "mode"),
    [
        ((), {}, 0, "fail"),
        ((), {"CEKURA_PR_NUMBER": "12", "CEKURA_ON_MISSING_API_KEY": "skip"}, 12, "skip"),
        (
            ("--pr-number", "7", "--on-missing-api-key", "fail"),
            {"CEKURA_PR_NUMBER": "12"},
            7,
            "fail",
        ),
        ((), {"CEKURA_PR_NUMBER": "", "CEKURA_ON_MISSING_API_KEY": ""}, 0, "fail"),  # empty = unset
    ],
)
def test_pr_number_and_on_missing_api_key_spellings(argv, environ, pr_number, mode):
    parsed = from_sources(["check", "--result-id", "1", *argv], environ)
    assert (parsed.pr_number, parsed.on_missing_api_key) == (pr_number, mode)


@pytest.mark.parametrize(
    ("argv", "environ", "verbosity"),
    [
        ((), {}, 0),
        (("-v",), {}, 1),
        (("--quiet",), {}, -1),
        ((), {"RUNNER_DEBUG": "1"}, 1),
        (("-q",), {"RUNNER_DEBUG": "1"}, -1),  # asked for quiet: quiet
        ((), {"RUNNER_DEBUG": "0"}, 0),
    ],
)
def test_verbosity(argv, environ, verbosity):
    parsed = from_sources(["check", "--result-id", "1", *argv], environ)
    assert parsed.verbosity == verbosity


# -- file annotations --------------------------------------------------------------------------


def test_file_annotations_escape_the_file_and_cap_at_ten():
    from gate.publish.actions.github import file_annotations

    file = "conf,dir/a:b.yml"
    problems = [f"{file}:{n}: problem {n}" for n in range(1, 13)]
    lines = file_annotations(file, problems)
    commands = workflow_commands("\n".join(lines))
    assert len(commands) == 10
    assert commands[0].properties == {
        "file": file,
        "line": "1",
        "title": "cekura-gate: config",
    }
    assert commands[0].data == "problem 1"
    assert commands[-1].data == "and 3 more problems"
    assert "line" not in commands[-1].properties


def test_a_problem_of_another_file_is_not_given_this_files_line():
    from gate.publish.actions.github import file_annotations

    [line] = file_annotations("a.yml", ["other.yml:4: x"])
    [command] = workflow_commands(line)
    assert command.properties == {"file": "a.yml", "title": "cekura-gate: config"}
    assert command.data == "other.yml:4: x"
