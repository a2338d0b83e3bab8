"""composite/action.yml: the Docker action's twin, and its steps really work.

The last tests play the composite's steps the way the runner would: each `run` step in bash
with the runner's variables and a $GITHUB_OUTPUT file, the `${{ }}` expressions filled in,
from a fresh virtual environment (so the install step installs the package for real).
actions/cache is not run; its restore is played by pointing the cache folder at pip's own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_runner import read_outputs

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
COMPOSITE = yaml.safe_load((ROOT / "composite" / "action.yml").read_text(encoding="utf-8"))
STEPS = COMPOSITE["runs"]["steps"]
BASH = shutil.which("bash") or "bash"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def test_same_inputs_as_the_docker_action() -> None:
    assert COMPOSITE["inputs"] == ACTION["inputs"]


def test_same_outputs_as_the_docker_action() -> None:
    assert list(COMPOSITE["outputs"]) == list(ACTION["outputs"])
    for name, spec in COMPOSITE["outputs"].items():
        assert spec["description"] == ACTION["outputs"][name]["description"]
        assert spec["value"] == f"${{{{ steps.gate.outputs.{name} }}}}"


def test_the_gate_step_gets_the_same_variables_as_the_container() -> None:
    gate = next(step for step in STEPS if step.get("id") == "gate")
    env = dict(gate["env"])
    assert env.pop("BIN") == "${{ steps.python.outputs.bin }}"
    assert env == ACTION["runs"]["env"]
    assert 'cekura-gate" check' in gate["run"]


def test_composite_shape() -> None:
    assert COMPOSITE["runs"]["using"] == "composite"
    assert all(step.get("shell") == "bash" for step in STEPS if "run" in step)
    [cache] = [step for step in STEPS if "uses" in step]
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", cache["uses"])  # pinned by commit
    assert cache["with"]["path"] == "${{ steps.python.outputs.pip-cache }}"
    assert COMPOSITE["name"] != ACTION["name"] and COMPOSITE["branding"] == ACTION["branding"]


# -- the steps, played -------------------------------------------------------------------


class Runner:
    """Just enough of the Actions runner to play a composite action's `run` steps."""

    def __init__(self, tmp: Path, inputs: dict[str, str]) -> None:
        self.tmp = tmp
        self.workspace = tmp / "workspace"
        self.workspace.mkdir(exist_ok=True)
        self.temp = tmp / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.summary = tmp / "summary.md"
        self.inputs = {
            name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()
        }
        self.inputs["github-token"] = "ghs_not_a_real_token"  # what ${{ github.token }} gives
        self.inputs.update(inputs)
        self.outputs: dict[str, dict[str, str]] = {}
        # "The runner's Python": this interpreter, first on PATH as python3.
        tools = tmp / "tools"
        tools.mkdir(exist_ok=True)
        link = tools / "python3"
        if not link.exists():
            link.symlink_to(sys.executable)
        self.path = f"{tools}{os.pathsep}{os.environ['PATH']}"

    def evaluate(self, text: str) -> str:
        def one(match: re.Match[str]) -> str:
            words = match.group(1).split(".")
            if words[0] == "inputs":
                return self.inputs[words[1]]
            if words[0] == "steps" and words[2] == "outputs":
                return self.outputs.get(words[1], {}).get(words[3], "")
            if words[0] == "runner":
                return {"temp": str(self.temp), "os": "Linux", "arch": "X64"}[words[1]]
            if words[0] == "github" and words[1] == "action_path":
                return str(ROOT / "composite")
            raise AssertionError(f"expression not known to this test: {match.group(0)}")

        return EXPRESSION.sub(one, text)

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output = self.tmp / f"output-{step.get('id', 'step')}.txt"
        output.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CEKURA_", "GITHUB_"))}
        env.pop("VIRTUAL_ENV", None)
        env.update(
            {
                "PATH": self.path,
                "RUNNER_TEMP": str(self.temp),
                "RUNNER_OS": "Linux",
                "GITHUB_ACTIONS": "true",
                "GITHUB_ACTION_PATH": str(ROOT / "composite"),
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(self.summary),
            }
        )
        env.update({k: self.evaluate(str(v)) for k, v in step.get("env", {}).items()})
        script = self.tmp / "step.sh"
        script.write_text(self.evaluate(step["run"]), encoding="utf-8")
        done = subprocess.run(
            # the runner's `shell: bash`
            [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in step:
            self.outputs[step["id"]] = read_outputs(output)
        return done

    def action_outputs(self) -> dict[str, str]:
        return {name: self.evaluate(spec["value"]) for name, spec in COMPOSITE["outputs"].items()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to play the composite's steps")
    runner = Runner(tmp_path_factory.mktemp("composite"), {})
    for step in STEPS:
        if step.get("id") == "gate":
            break
        if "uses" in step:  # actions/cache: a hit, i.e. pip's own cache in that folder
            cache = Path(runner.evaluate(step["with"]["path"]))
            pip_cache = subprocess.run(
                [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True
            ).stdout.strip()
            if pip_cache and Path(pip_cache).is_dir():
                cache.symlink_to(pip_cache, target_is_directory=True)
            continue
        done = runner.run(step)
        assert done.returncode == 0, done.stdout + done.stderr
    return runner


def test_the_install_makes_a_fresh_environment(installed: Runner) -> None:
    found = installed.outputs["python"]
    assert found["python"].endswith("python3")
    assert found["version"] == ".".join(map(str, sys.version_info[:3]))
    assert re.fullmatch(r"[0-9a-f]{16}", found["key"])
    python = Path(found["bin"]) / "python"
    where = subprocess.run(
        [str(python), "-c", "import gate, sys; print(gate.__file__); print(sys.prefix)"],
        cwd=installed.workspace,  # not this checkout, which `python -c` would import from
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "site-packages" in where[0] and str(ROOT) not in where[0]
    assert where[1] == found["venv"]


@pytest.mark.parametrize(
    ("fixture", "code", "verdict"), [("passing", 0, "pass"), ("failing", 1, "fail")]
)
def test_the_gate_step_checks_a_result_file(
    installed: Runner, fixture: str, code: int, verdict: str
) -> None:
    shutil.copy(
        ROOT / "tests" / "fixtures" / f"{fixture}.json", installed.workspace / "result.json"
    )
    installed.inputs.update({"result-file": "result.json", "report-json": "out/gate.json"})
    gate = next(step for step in STEPS if step.get("id") == "gate")
    done = installed.run(gate)
    assert done.returncode == code, done.stdout + done.stderr
    assert installed.action_outputs()["verdict"] == verdict
    assert (installed.workspace / "out" / "gate.json").is_file()  # relative to the workspace
    assert "ghs_not_a_real_token" not in done.stdout + done.stderr


def test_a_missing_python_is_explained(tmp_path: Path) -> None:
    runner = Runner(tmp_path, {})
    (tmp_path / "tools" / "python3").unlink()
    fake = tmp_path / "tools" / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # an old Python: fails the check
    fake.chmod(0o755)
    runner.path = f"{tmp_path / 'tools'}{os.pathsep}/usr/bin/false-dir"
    done = runner.run(STEPS[0])
    assert done.returncode == 2
    assert "needs Python 3.11 or newer" in done.stdout
