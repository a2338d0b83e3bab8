"""The repository's own workflows are hardened as its users' should be, and self-test the action.

.ci/lint-action runs zizmor, actionlint and the schemas on the same files; these tests hold
the rules that matter most even where those tools are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLES = sorted(
    path
    for path in (ROOT / "examples").glob("*.yml")
    if re.search(r"^jobs:", path.read_text(encoding="utf-8"), re.MULTILINE)
)
ACTION_FILES = [ROOT / "action.yml", ROOT / "composite" / "action.yml"]
USES = re.compile(r"^\s+(?:- )?uses: (\S+)(.*)$", re.MULTILINE)
#: the examples show this action by its major tag, as the README tells users to write it
OWN_ACTION = re.compile(r"cekura-gate/cekura-gate(/composite)?@v\d+")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path", [*WORKFLOWS, *EXAMPLES, *ACTION_FILES], ids=lambda p: str(p.relative_to(ROOT))
)
def test_actions_are_pinned_by_commit(path: Path) -> None:
    for action, comment in USES.findall(path.read_text(encoding="utf-8")):
        if action.startswith("./") or (path in EXAMPLES and OWN_ACTION.fullmatch(action)):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+(\.\d+)*", comment), f"{action}: name the version"


@pytest.mark.parametrize("path", [*WORKFLOWS, *EXAMPLES], ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, "say what the token may do"
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_the_same_commit_for_the_same_action_everywhere() -> None:
    """One version of each action across the repository, so Dependabot moves them together."""
    seen: dict[str, set[str]] = {}
    for path in [*WORKFLOWS, *EXAMPLES, *ACTION_FILES]:
        for action, _ in USES.findall(path.read_text(encoding="utf-8")):
            name, _, ref = action.partition("@")
            seen.setdefault(name, set()).add(ref)
    assert {name: refs for name, refs in seen.items() if len(refs) > 1} == {}


# -- self-test ------------------------------------------------------------------------------

SELF_TEST = load(ROOT / ".github" / "workflows" / "self-test.yml")


def gate_steps(job: str) -> list[dict]:
    return [s for s in SELF_TEST["jobs"][job]["steps"] if s.get("uses", "").startswith("./")]


def test_self_test_runs_both_actions_on_every_os() -> None:
    docker, composite = SELF_TEST["jobs"]["docker"], SELF_TEST["jobs"]["composite"]
    assert docker["runs-on"] == "ubuntu-latest"  # GitHub runs Docker actions on Linux only
    assert {s["uses"] for s in gate_steps("docker")} == {"./"}
    assert set(composite["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "macos-latest",
        "windows-latest",
    }
    assert {s["uses"] for s in gate_steps("composite")} == {"./composite"}


@pytest.mark.parametrize("job", ["docker", "composite"])
def test_self_test_gates_saved_fixtures(job: str) -> None:
    steps = {s["id"]: s for s in gate_steps(job)}
    assert steps["pass"]["with"]["result-file"] == "tests/fixtures/passing.json"
    assert steps["fail"]["with"]["result-file"] == "tests/fixtures/failing.json"
    assert steps["fail"]["continue-on-error"] is True  # the failing gate is the expected result
    for step in steps.values():
        assert (ROOT / step["with"]["result-file"]).is_file()
    check = SELF_TEST["jobs"][job]["steps"][-1]
    assert check["run"] == "bash .ci/self-test-verdicts"
    assert check["env"] == {
        "PASS_VERDICT": "${{ steps.pass.outputs.verdict }}",
        "FAIL_VERDICT": "${{ steps.fail.outputs.verdict }}",
        "FAIL_OUTCOME": "${{ steps.fail.outcome }}",
    }


def verdicts(tmp_path: Path, reports: bool, **env: str) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is needed to run .ci/self-test-verdicts")
    if reports:
        (tmp_path / "self-test").mkdir()
        (tmp_path / "self-test" / "pass.json").write_text('{"verdict": "pass"}\n', "utf-8")
        (tmp_path / "self-test" / "pass.xml").write_text("<testsuite/>\n", "utf-8")
    return subprocess.run(
        [bash, str(ROOT / ".ci" / "self-test-verdicts")],
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_self_test_verdicts_accept_the_expected_outcome(tmp_path: Path) -> None:
    done = verdicts(
        tmp_path, True, PASS_VERDICT="pass", FAIL_VERDICT="fail", FAIL_OUTCOME="failure"
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("reports", "env", "complaint"),
    [
        (True, {"PASS_VERDICT": "error"}, "verdict of the passing fixture: expected 'pass'"),
        (True, {"FAIL_VERDICT": "pass"}, "verdict of the failing fixture: expected 'fail'"),
        (True, {"FAIL_OUTCOME": "success"}, "outcome of the failing step: expected 'failure'"),
        (False, {}, "self-test/pass.json was not written"),
    ],
)
def test_self_test_verdicts_catch_a_wrong_outcome(
    tmp_path: Path, reports: bool, env: dict[str, str], complaint: str
) -> None:
    expected = {"PASS_VERDICT": "pass", "FAIL_VERDICT": "fail", "FAIL_OUTCOME": "failure"}
    done = verdicts(tmp_path, reports, **(expected | env))
    assert done.returncode != 0
    assert complaint in done.stdout


def test_ci_runs_the_repositorys_checks() -> None:
    steps = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["checks"]["steps"]
    assert steps[-1]["run"] == "bash .ci/run"


def test_dependabot_keeps_every_pin_current() -> None:
    config = load(ROOT / ".github" / "dependabot.yml")
    by_ecosystem = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(by_ecosystem) == {"pip", "docker", "github-actions"}
    assert by_ecosystem["pip"]["directory"] == "/"  # requirements.txt, pyproject.toml
    assert by_ecosystem["docker"]["directory"] == "/"  # the Dockerfile
    assert set(by_ecosystem["github-actions"]["directories"]) == {"/", "/composite"}
