"""action.yml, the Dockerfile and the examples agree with the program and with each other.

The last tests install the package the way the Dockerfile does (its COPY and RUN lines
replayed into a fresh virtual environment) and run the entrypoint from there. They take
about half a minute and run everywhere, CI included: a Docker daemon is not needed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from gate import settings
from gate.command_line.parser import build_parser
from gate.publish.actions import github
from gate.settings.read import from_sources

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXAMPLES = ROOT / "examples"
WORKFLOWS = {
    path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted(EXAMPLES.glob("*.yml"))
    if re.search(r"^jobs:", path.read_text(encoding="utf-8"), re.MULTILINE)
}

#: the contract's action inputs, plus the extras the program reads
CONTRACT_INPUTS = {
    *("result-id", "result-file", "agent-id", "scenarios", "tags", "frequency", "run-as-text"),
    *("config", "api-url", "api-key", "timeout", "poll-interval", "report-json", "junit-xml"),
    "comment",
}
EXTRA_INPUTS = {
    "comment-key": "CEKURA_COMMENT_KEY",
    "end-calls-on-cancel": "CEKURA_END_CALLS_ON_CANCEL",
    "end-calls-on-fail": "CEKURA_END_CALLS_ON_FAIL",
    "reuse": "CEKURA_REUSE",
    "pr-number": "CEKURA_PR_NUMBER",
    "on-missing-api-key": "CEKURA_ON_MISSING_API_KEY",
}
#: starting runs: every execution mode, suites, the cost check, the share link
EXTRA_INPUTS |= {
    name: variable_name
    for name in (
        *("execution-mode", "suite-file", "run-name", "concurrency-limit", "phone-number"),
        *("personality-ids", "test-profile-ids", "livekit-data", "pipecat-data", "dry-run"),
        *("max-calls", "share-link"),
    )
    for variable_name in ["CEKURA_" + name.upper().replace("-", "_")]
}
# Settings with no action input: the runner provides GITHUB_STEP_SUMMARY itself, and the
# run-as-text input takes true or false.
# format: what standard output shows a person; the job log in Actions stays Markdown
NO_INPUT_FLAGS = {"summary-file", "no-run-as-text", "format"}


def variable(name: str) -> str:
    return "CEKURA_" + name.upper().replace("-", "_")


# -- action.yml -----------------------------------------------------------------------------


def test_inputs_are_the_contract_plus_extras() -> None:
    assert set(ACTION["inputs"]) == CONTRACT_INPUTS | set(EXTRA_INPUTS) | {"github-token"}


def test_every_check_flag_has_an_input() -> None:
    """The CLI's `check` flags and the action's inputs stay in step."""
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.choices and "check" in a.choices]
    flags = {
        option[2:]
        for action in commands.choices["check"]._actions
        for option in action.option_strings
        if option.startswith("--") and option not in {"--help", "--quiet", "--verbose"}
    }
    assert flags - NO_INPUT_FLAGS == set(ACTION["inputs"]) - {"api-key", "github-token"}


def test_each_input_maps_to_its_variable() -> None:
    env = ACTION["runs"]["env"]
    expected = {name: variable(name) for name in CONTRACT_INPUTS} | EXTRA_INPUTS
    expected["github-token"] = "GITHUB_TOKEN"
    assert len(env) == len(expected)
    for name, var in expected.items():
        assert env[var] == f"${{{{ inputs.{name} }}}}", name


def test_inputs_have_descriptions_and_empty_defaults() -> None:
    for name, spec in ACTION["inputs"].items():
        assert spec["description"].strip(), name
        assert spec.get("required", False) is False, name
        assert "default" in spec, name
    defaults = {name: spec["default"] for name, spec in ACTION["inputs"].items()}
    assert defaults.pop("end-calls-on-cancel") == "true"
    assert defaults.pop("github-token") == "${{ github.token }}"
    assert set(defaults.values()) == {""}  # the program's own defaults apply


def test_outputs_and_runs() -> None:
    assert tuple(ACTION["outputs"]) == github.OUTPUT_NAMES
    assert all(spec["description"].strip() for spec in ACTION["outputs"].values())
    runs = ACTION["runs"]
    assert (runs["using"], runs["image"], runs["args"]) == ("docker", "Dockerfile", ["check"])
    assert ACTION["name"] == "Cekura Gate" and ACTION["branding"]


def action_environ(values: dict[str, str]) -> dict[str, str]:
    """The container's environment the runner builds from `runs.env` and the inputs."""
    inputs = {name: str(spec["default"]) for name, spec in ACTION["inputs"].items()}
    inputs["github-token"] = "ghs_workflow_token"  # what ${{ github.token }} becomes
    inputs.update(values)
    pattern = re.compile(r"^\$\{\{ inputs\.([a-z-]+) \}\}$")
    return {var: inputs[pattern.match(expr)[1]] for var, expr in ACTION["runs"]["env"].items()}


def test_action_inputs_reach_the_settings() -> None:
    environ = action_environ(
        {
            "agent-id": "5",
            "tags": "smoke, billing",
            "frequency": "2",
            "run-as-text": "true",
            "config": "ci/gate.yml",
            "api-url": "https://api.example.com/",
            "api-key": "ck_secret",
            "timeout": "45m",
            "poll-interval": "5s",
            "report-json": "out/gate.json",
            "junit-xml": "out/junit.xml",
            "comment": "on-failure",
            "comment-key": "eu",
            "end-calls-on-cancel": "false",
        }
    )
    s = from_sources(["check"], environ)
    assert (s.agent_id, s.tags, s.frequency, s.run_as_text) == ("5", ("smoke", "billing"), 2, True)
    assert (s.config, s.api_url, s.api_key) == (
        "ci/gate.yml",
        "https://api.example.com",
        "ck_secret",
    )
    assert (s.timeout, s.poll_interval) == (2700.0, 5.0)
    assert (s.report_json, s.junit_xml) == ("out/gate.json", "out/junit.xml")
    assert (s.comment, s.comment_key, s.end_calls_on_cancel) == ("on-failure", "eu", False)
    assert s.github.token == "ghs_workflow_token"

    by_id = from_sources(["check"], action_environ({"result-id": "42"}))
    assert by_id.result_id == "42"
    by_scenarios = from_sources(["check"], action_environ({"agent-id": "5", "scenarios": "1,2"}))
    assert by_scenarios.scenarios == (1, 2)


def test_omitted_inputs_leave_the_program_defaults() -> None:
    s = from_sources(["check"], action_environ({"result-file": "result.json"}))
    defaults = settings.Settings(command="check")
    names = "frequency run_as_text config api_url timeout poll_interval report_json junit_xml"
    for name in [*names.split(), "comment", "comment_key", "end_calls_on_cancel"]:
        assert getattr(s, name) == getattr(defaults, name), name
    assert s.result_file == "result.json"


# -- Dockerfile -----------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with comments dropped and continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, args = line.strip().partition(" ")
            instructions.append((keyword.upper(), " ".join(args.split())))
    return instructions


def test_dockerfile_shape() -> None:
    instructions = dockerfile()
    keywords = [keyword for keyword, _ in instructions]
    assert "USER" not in keywords and "WORKDIR" not in keywords
    # a tag Dependabot can read, pinned by the digest of its multi-platform index
    assert re.fullmatch(r"python:3\.12\.\d+-slim-\w+@sha256:[0-9a-f]{64}", instructions[0][1])
    assert json.loads(dict(instructions)["ENTRYPOINT"]) == ["cekura-gate"]
    assert json.loads(dict(instructions)["CMD"]) == ["check"]
    env = dict(pair.split("=", 1) for pair in dict(instructions)["ENV"].split())
    assert env == {
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def requirement_pins() -> dict[str, str]:
    """requirements.txt: name -> exact version."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            [spec] = requirement.specifier
            assert spec.operator == "==", f"{line}: requirements.txt pins exact versions"
            pins[requirement.name.lower()] = spec.version
    return pins


def test_requirements_pins_satisfy_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {
        Requirement(r).name.lower(): Requirement(r) for r in pyproject["project"]["dependencies"]
    }
    pins = requirement_pins()
    assert set(wanted) <= set(pins)
    for name, requirement in wanted.items():
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {requirement}"


def test_requirements_pin_the_whole_closure(image_venv: Path) -> None:
    """The image installs requirements.txt with --no-deps: nothing it needs may be missing."""
    done = subprocess.run(
        [str(image_venv / "python"), "-m", "pip", "check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    installed = subprocess.run(
        [str(image_venv / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    versions = {
        name.lower().replace("_", "-"): version
        for name, version in (line.split("==") for line in installed.split())
    }
    for name, version in requirement_pins().items():
        assert versions[name] == version, name


def test_the_image_and_the_composite_install_the_same_pins() -> None:
    runs = [args for keyword, args in dockerfile() if keyword == "RUN"]
    assert "--no-deps -r /opt/cekura-gate/requirements.txt" in runs[0]
    composite = (ROOT / "composite" / "action.yml").read_text(encoding="utf-8")
    assert '-c "$GITHUB_ACTION_PATH/../requirements.txt"' in composite


def test_dockerignore_lets_the_copied_sources_through() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    for keyword, args in dockerfile():
        if keyword == "COPY":
            for source in args.split()[:-1]:
                assert source.rstrip("/") in allowed, source


# -- examples -------------------------------------------------------------------------------


def gate_steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_name, step)
        for job_name, job in workflow["jobs"].items()
        for step in job.get("steps", [])
        if re.fullmatch(r"[\w.-]+/cekura-gate@v\d+", step.get("uses", ""))
    ]


def test_examples_exist() -> None:
    assert {"pull-request.yml", "pre-deploy.yml", "nightly.yml"} <= set(WORKFLOWS)
    assert {"fork-pull-request.yml", "fork-gate.yml"} <= set(WORKFLOWS)


#: the untrusted half of the fork recipe: it must not run the gate (it has no key)
NO_GATE = {"fork-pull-request.yml"}


@pytest.mark.parametrize("name", sorted(set(WORKFLOWS) - NO_GATE))
def test_example_uses_only_real_inputs_and_outputs(name: str) -> None:
    workflow = WORKFLOWS[name]
    steps = gate_steps(workflow)
    assert steps, "the example should use the action"
    for _, step in steps:
        assert set(step["with"]) <= set(ACTION["inputs"])
        assert "${{ secrets." in step["with"].get("api-key", "${{ secrets.")
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    for output in re.findall(r"steps\.gate\.outputs\.([a-z-]+)", text):
        assert output in ACTION["outputs"], output


def test_pull_request_example() -> None:
    workflow = WORKFLOWS["pull-request.yml"]
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    assert workflow["permissions"]["pull-requests"] == "write"
    [(_, step)] = gate_steps(workflow)
    assert step["with"]["comment"] == "on-failure"
    assert "vars.CEKURA_RESULT_ID" in step["with"]["result-id"]
    assert "steps.preview.outputs" in step["with"]["result-id"]


def test_pre_deploy_example() -> None:
    workflow = WORKFLOWS["pre-deploy.yml"]
    [(job, step)] = gate_steps(workflow)
    assert {"agent-id", "tags"} <= set(step["with"])
    assert workflow["jobs"]["deploy"]["needs"] == job


def test_nightly_example() -> None:
    workflow = WORKFLOWS["nightly.yml"]
    assert workflow[True]["schedule"]
    [(job, step)] = gate_steps(workflow)
    assert "agent-id" in step["with"]
    upload = next(
        s for s in workflow["jobs"][job]["steps"] if "upload-artifact" in s.get("uses", "")
    )
    assert upload["if"] == "always()"
    for report in ("report-json", "junit-xml"):
        assert step["with"][report].startswith(upload["with"]["path"])


def test_fork_examples_keep_the_key_away_from_fork_code() -> None:
    untrusted = WORKFLOWS["fork-pull-request.yml"]
    trusted = WORKFLOWS["fork-gate.yml"]
    assert set(untrusted[True]) == {"pull_request"}
    assert "secrets." not in (EXAMPLES / "fork-pull-request.yml").read_text(encoding="utf-8")
    assert gate_steps(untrusted) == []
    # part 2 starts from part 1 by its name, and only for pull requests that passed it
    assert trusted[True]["workflow_run"]["workflows"] == [untrusted["name"]]
    job = trusted["jobs"]["gate"]
    assert "workflow_run.event == 'pull_request'" in job["if"]
    assert "workflow_run.conclusion == 'success'" in job["if"]
    assert trusted["permissions"] == {}
    assert job["permissions"] == {
        "actions": "read",
        "contents": "read",
        "pull-requests": "write",
        "statuses": "write",
    }
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert set(checkout["with"]) == {"persist-credentials"}  # the default branch, not the fork
    [(_, gate)] = gate_steps(trusted)
    assert gate["with"]["pr-number"] == "${{ steps.pr.outputs.number }}"
    assert gate["with"]["on-missing-api-key"] == "fail"  # a required check never skips
    assert gate["with"]["comment"] == "always"
    upload = next(s for s in untrusted["jobs"]["checks"]["steps"] if "upload" in s.get("uses", ""))
    download = next(s for s in job["steps"] if "download-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == download["with"]["name"]


@pytest.mark.parametrize(
    ("written", "accepted"),
    [("42\n", "42"), ("7", "7"), ("42; rm -rf /", None), ("", None), ("1" * 11, None)],
)
def test_fork_gate_takes_only_a_number_from_the_fork(
    tmp_path: Path, written: str, accepted: str | None
) -> None:
    shell = shutil.which("bash")
    assert shell, "bash is needed to run the example's script"
    job = WORKFLOWS["fork-gate.yml"]["jobs"]["gate"]
    script = next(s for s in job["steps"] if s.get("id") == "pr")["run"]
    (tmp_path / "pull-request").mkdir()
    (tmp_path / "pull-request" / "number").write_text(written, encoding="utf-8")
    output = tmp_path / "output.txt"
    output.write_text("", encoding="utf-8")
    done = subprocess.run(
        [shell, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    if accepted is None:
        assert done.returncode == 1
        assert "does not hold a pull request number" in done.stdout
        assert output.read_text(encoding="utf-8") == ""
    else:
        assert done.returncode == 0, done.stderr
        assert output.read_text(encoding="utf-8") == f"number={accepted}\n"


# -- examples/pre-deploy.sh -----------------------------------------------------------------


@pytest.fixture
def fake_gate(tmp_path: Path) -> Path:
    """A stand-in `cekura-gate` that records its arguments and exits with $FAKE_EXIT."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "cekura-gate"
    script.write_text('#!/bin/sh\necho "args: $*"\nexit "${FAKE_EXIT:-0}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (0, "Cekura gate passed: safe to deploy."),
        (1, "Cekura gate FAILED"),
        (2, "a setting or the config file is wrong"),
        (3, "no verdict is not a pass"),
        (7, "unexpected code 7"),
    ],
)
def test_pre_deploy_script_acts_on_exit_codes(
    fake_gate: Path, tmp_path: Path, code: int, message: str
) -> None:
    shell = shutil.which("bash")
    assert shell, "bash is needed to run examples/pre-deploy.sh"
    done = subprocess.run(
        [shell, str(EXAMPLES / "pre-deploy.sh"), "--timeout", "10m"],
        cwd=tmp_path,
        env={"PATH": f"{fake_gate}{os.pathsep}{os.environ['PATH']}", "FAKE_EXIT": str(code)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code
    assert message in done.stdout + done.stderr
    assert (
        "args: check --report-json cekura-reports/gate.json "
        "--junit-xml cekura-reports/junit.xml --timeout 10m"
    ) in done.stdout


def run_pre_deploy(
    cwd: Path, tools: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """examples/pre-deploy.sh with only `tools` and the system's directories on PATH."""
    shell = shutil.which("bash")
    assert shell, "bash is needed to run examples/pre-deploy.sh"
    path = os.pathsep.join([str(tools), "/usr/bin", "/bin"])
    return subprocess.run(
        [shell, str(EXAMPLES / "pre-deploy.sh"), *args],
        cwd=cwd,
        env={"PATH": path, "HOME": str(cwd), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_pre_deploy_script_installs_into_a_virtual_environment(tmp_path: Path) -> None:
    """No cekura-gate on PATH: the script makes a venv (never the system pip) and uses it."""
    if shutil.which("cekura-gate", path="/usr/bin:/bin"):
        pytest.skip("a system-wide cekura-gate would be used instead")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)  # the runner's Python 3.11+
    shutil.copy(ROOT / "tests" / "fixtures" / "passing.json", tmp_path / "result.json")
    venv = tmp_path / "gate-venv"
    env = {"CEKURA_GATE_VENV": str(venv), "CEKURA_GATE_PACKAGE": str(ROOT)}
    env["PIP_CACHE_DIR"] = subprocess.run(
        [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True
    ).stdout.strip() or str(tmp_path / "pip-cache")
    for _ in range(2):  # the second run finds the environment and reuses it
        done = run_pre_deploy(tmp_path, tools, env, "--result-file", "result.json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Cekura gate passed: safe to deploy." in done.stdout
    assert (venv / "bin" / "cekura-gate").is_file()
    assert (venv / "pyvenv.cfg").is_file()
    report = json.loads((tmp_path / "cekura-reports" / "gate.json").read_text("utf-8"))
    assert report["verdict"] == "pass"


def test_pre_deploy_script_explains_a_python_without_venv(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "python3"
    fake.write_text("#!/bin/sh\necho 'No module named venv' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    done = run_pre_deploy(tmp_path, tools, {})
    assert done.returncode == 3
    assert "apt-get install python3-venv" in done.stderr
    assert not (tmp_path / "cekura-reports").exists()


# -- the image's install, replayed ----------------------------------------------------------

PASSING = {
    "id": 4242,
    "name": "CI fixture",
    "status": "completed",
    "agent": 5,
    "project": 77,
    "total_runs_count": 2,
    "success_runs_count": 2,
    "success_rate": 100,
    "failed_workflow_runs": [],
    "performance_metrics": None,
    "runs": {
        str(i): {
            "id": i,
            "scenario": {"id": i, "name": name},
            "status": "completed",
            "success": True,
        }
        for i, name in ((1, "Refund"), (2, "Escalation"))
    },
}


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the package installed by the Dockerfile's own COPY/RUN lines.

    The image's filesystem root is a temporary directory; `pip` is the venv's pip, with
    the Dockerfile's ENV. Packages come from whatever index pip is configured with (the
    package itself comes from the local tree).
    """
    if not (ROOT / "gate" / "cli.py").exists():
        pytest.skip("gate/cli.py does not exist yet: the entrypoint cannot run")
    base = tmp_path_factory.mktemp("image")
    image_root = base / "root"
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CEKURA_", "GITHUB_"))}
    env.pop("VIRTUAL_ENV", None)

    def in_image(path: str) -> str:
        return str(image_root / path.lstrip("/")) if path.startswith("/") else path

    for keyword, args in dockerfile():
        if keyword == "ENV":
            env.update(pair.split("=", 1) for pair in args.split())
        elif keyword == "COPY":
            *sources, dest = args.split()
            for source in sources:
                origin = ROOT / source
                target = Path(in_image(dest))
                if origin.is_dir():
                    ignore = shutil.ignore_patterns("__pycache__", "*.py[cod]")
                    # Docker's COPY keeps symbolic links as links: so does the replay.
                    shutil.copytree(
                        origin, target, ignore=ignore, dirs_exist_ok=True, symlinks=True
                    )
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(origin, target / origin.name)
        elif keyword == "RUN":
            words = shlex.split(args)
            assert words[:2] == ["pip", "install"], f"replay knows only pip installs: {args}"
            command = [str(python), "-m", "pip", *(in_image(w) for w in words[1:])]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stdout + done.stderr
    return python.parent


def run_entrypoint(
    bin_dir: Path, args: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`cekura-gate ARGS` as the image's ENTRYPOINT runs it (outside Actions by default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CEKURA_", "GITHUB_"))}
    env.update(extra_env or {})
    return subprocess.run(
        [str(bin_dir / "cekura-gate"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_image_install_runs_version(image_venv: Path, tmp_path: Path) -> None:
    done = run_entrypoint(image_venv, ["--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    from gate import __version__

    assert done.stdout.strip() == f"cekura-gate {__version__}"


def test_image_install_is_not_the_source_tree(image_venv: Path, tmp_path: Path) -> None:
    python = image_venv / "python"
    done = subprocess.run(
        [str(python), "-c", "import gate, sys; print(gate.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "site-packages" in done.stdout and str(ROOT) not in done.stdout


@pytest.mark.parametrize(("success", "exit_code"), [(True, 0), (False, 1)])
def test_image_install_checks_a_result_file(
    image_venv: Path, tmp_path: Path, success: bool, exit_code: int
) -> None:
    payload = json.loads(json.dumps(PASSING))
    payload["runs"]["2"]["success"] = success
    payload["success_runs_count"] = 2 if success else 1
    (tmp_path / "result.json").write_text(json.dumps(payload), encoding="utf-8")
    done = run_entrypoint(image_venv, ["check", "--result-file", "result.json"], tmp_path)
    assert done.returncode == exit_code, done.stdout + done.stderr
    assert done.stdout.strip(), "the report goes to standard output outside Actions"


def test_image_runs_as_the_action(image_venv: Path, tmp_path: Path) -> None:
    """The container as GitHub starts it: `runs.env` from the inputs, args from action.yml."""
    workspace = tmp_path / "workspace"  # /github/workspace, the working directory
    workspace.mkdir()
    payload = json.loads(json.dumps(PASSING))
    payload["runs"]["2"]["success"] = False
    payload["success_runs_count"] = 1
    (workspace / "result.json").write_text(json.dumps(payload), encoding="utf-8")
    output_file, summary_file = tmp_path / "github_output", tmp_path / "step_summary"
    secret = "ck_test_SECRET_value_123"
    env = action_environ(
        {
            "result-file": "result.json",
            "api-key": secret,
            "report-json": "reports/gate.json",
            "junit-xml": "reports/junit.xml",
        }
    )
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_OUTPUT=str(output_file),
        GITHUB_STEP_SUMMARY=str(summary_file),
    )
    done = run_entrypoint(image_venv, ACTION["runs"]["args"], workspace, env)
    assert done.returncode == 1, done.stdout + done.stderr

    lines = done.stdout.splitlines()
    assert lines[0] == f"::add-mask::{secret}"  # masked before anything else is printed
    assert any(line.startswith("::error title=cekura-gate") for line in lines)
    written = [summary_file, output_file, *(workspace / "reports").iterdir()]
    for text in [done.stdout.replace(lines[0], ""), done.stderr, *map(Path.read_text, written)]:
        assert secret not in text

    outputs = dict(
        line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines()
    )
    assert set(outputs) == set(ACTION["outputs"]) - {"share-link"}  # written when asked for
    assert (outputs["verdict"], outputs["result-id"], outputs["success-rate"]) == (
        "fail",
        "4242",
        "50",
    )
    report = json.loads((workspace / "reports" / "gate.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "fail" and report["exit_code"] == 1
    assert (workspace / "reports" / "junit.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert summary_file.read_text(encoding="utf-8").strip()
