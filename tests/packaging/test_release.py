""".github/workflows/release.yml: what a version tag publishes, replayed where it can be.

The scripts of the `version` and `pin` steps run here for real (bash, GNU sed), on a copy
of the repository's action.yml; the rewritten file is checked against SchemaStore's schema
for action metadata (tests/data/github-action.schema.json, as check-jsonschema vendors it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from gate import __version__
from tests.cli_runner import read_outputs

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_TEXT = (ROOT / ".github" / "workflows" / "release.yml").read_text("utf-8")
WORKFLOW = yaml.safe_load(WORKFLOW_TEXT)
JOBS = WORKFLOW["jobs"]
ACTION_TEXT = (ROOT / "action.yml").read_text(encoding="utf-8")
ACTION_SCHEMA = json.loads(
    (ROOT / "tests" / "data" / "github-action.schema.json").read_text(encoding="utf-8")
)
OWNER = "Some-Org"
IMAGE = "ghcr.io/some-org/cekura-gate"  # registry paths are lower case


def step(job: str, key: str, value: str) -> dict[str, Any]:
    return next(s for s in JOBS[job]["steps"] if s.get(key, "").startswith(value))


def test_runs_on_version_tags_only() -> None:
    triggers = WORKFLOW[True]  # PyYAML reads the key `on` as True
    assert triggers["push"] == {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}
    assert "workflow_dispatch" in triggers


def test_least_privilege() -> None:
    assert WORKFLOW["permissions"] == {}
    assert {name: job["permissions"] for name, job in JOBS.items()} == {
        "version": {"contents": "read"},
        "image": {
            "contents": "read",
            "packages": "write",
            "id-token": "write",
            "attestations": "write",
        },
        "dist": {"contents": "read"},
        "action": {"contents": "write"},
        "github": {"contents": "write"},
        "pypi": {"id-token": "write"},
    }


def test_the_order_of_the_jobs() -> None:
    """The action's tag moves only once the image and the distributions exist."""
    needs = {name: set(job.get("needs", [])) for name, job in JOBS.items()}
    assert needs["action"] >= {"image", "dist"}
    assert "action" in needs["github"] and "action" in needs["pypi"]


def test_pushes_and_attests_the_dockerfile_image() -> None:
    build = step("image", "uses", "docker/build-push-action")
    assert build["with"]["context"] == "." and build["with"]["push"] is True
    assert "cache-from" not in build["with"]  # a release image is built from its sources alone
    assert step("image", "uses", "docker/login-action")["with"]["registry"] == "ghcr.io"
    attest = step("image", "uses", "actions/attest-build-provenance")
    assert attest["with"] == {
        "subject-name": "${{ env.IMAGE }}",
        "subject-digest": "${{ steps.build.outputs.digest }}",
        "push-to-registry": True,
    }


def test_publishes_to_pypi_by_trusted_publishing() -> None:
    job = JOBS["pypi"]
    assert job["environment"]["name"] == "pypi"
    publish = step("pypi", "uses", "pypa/gh-action-pypi-publish")
    assert "password" not in publish.get("with", {})  # no token: OIDC
    upload = step("dist", "uses", "actions/upload-artifact")
    assert (
        upload["with"]["name"] == step("pypi", "uses", "actions/download-artifact")["with"]["name"]
    )


def test_creates_the_github_release() -> None:
    script = step("github", "name", "Create the GitHub Release")["run"]
    assert "gh release create" in script and "--verify-tag" in script
    assert "--generate-notes" in script


def test_third_party_actions_are_pinned_by_commit() -> None:
    uses = re.findall(r"^\s+(?:- )?uses: (\S+)(.*)$", WORKFLOW_TEXT, re.MULTILINE)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+(\.\d+)*", comment), f"{action}: say which version"


def test_checkouts_keep_no_credentials() -> None:
    for job in JOBS.values():
        for s in job["steps"]:
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False


def run_step(
    job: str, step_id: str, cwd: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """One `run:` step of the workflow, in bash as the runner runs it, and its outputs."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is needed to run the workflow's script")
    script = cwd.parent / f"{step_id}.sh"
    script.write_text(step(job, "id", step_id)["run"], encoding="utf-8")
    output = cwd.parent / f"{step_id}-output.txt"
    output.write_text("", encoding="utf-8")
    done = subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env=dict(os.environ, GITHUB_OUTPUT=str(output), GITHUB_REPOSITORY_OWNER=OWNER, **env),
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done, read_outputs(output)


def test_the_tag_must_match_the_package_version(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "gate", checkout / "gate", ignore=shutil.ignore_patterns("__py*"))
    done, outputs = run_step("version", "version", checkout, {"TAG": f"v{__version__}"})
    assert done.returncode == 0, done.stderr
    assert outputs == {
        "version": __version__,
        "major": "v" + __version__.split(".")[0],
        "image": IMAGE,
    }
    done, _ = run_step("version", "version", checkout, {"TAG": "v99.0.0"})
    assert done.returncode == 1
    assert "does not match" in done.stdout


# -- the release's action.yml ---------------------------------------------------------------


def pin(tmp_path: Path, action_text: str, version: str) -> tuple[int, str, dict[str, str]]:
    """The `pin` step on a checkout holding `action_text` as its action.yml."""
    checkout = tmp_path / "checkout"
    checkout.mkdir(exist_ok=True)
    (checkout / "action.yml").write_text(action_text, encoding="utf-8")
    done, outputs = run_step(
        "action", "pin", checkout, {"TAG": f"v{version}", "IMAGE": IMAGE, "VERSION": version}
    )
    return done.returncode, done.stdout + done.stderr, outputs


def test_the_release_runs_the_published_image(tmp_path: Path) -> None:
    code, log, outputs = pin(tmp_path, ACTION_TEXT, __version__)
    assert code == 0, log
    assert outputs == {"changed": "true"}
    released_text = (tmp_path / "checkout" / "action.yml").read_text(encoding="utf-8")
    released = yaml.safe_load(released_text)
    # exactly the published version, from the registry: nothing is built on the user's runner
    assert released["runs"]["image"] == f"docker://{IMAGE}:{__version__}"
    # a valid action.yml, and otherwise the same: every input still reaches the container
    assert list(jsonschema_rs.validator_for(ACTION_SCHEMA).iter_errors(released)) == []
    development = yaml.safe_load(ACTION_TEXT)
    assert development["runs"].pop("image") == "Dockerfile"
    released["runs"].pop("image")
    assert released == development
    # one line changed, so the comments and the layout stay as they were
    changed = [
        (old, new)
        for old, new in zip(ACTION_TEXT.splitlines(), released_text.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [("  image: Dockerfile", f"  image: docker://{IMAGE}:{__version__}")]


def test_pinning_again_changes_nothing(tmp_path: Path) -> None:
    code, log, _ = pin(tmp_path, ACTION_TEXT, "1.2.3")
    assert code == 0, log
    once = (tmp_path / "checkout" / "action.yml").read_text(encoding="utf-8")
    code, log, outputs = pin(tmp_path, once, "1.2.3")
    assert (code, outputs) == (0, {"changed": "false"}), log
    assert (tmp_path / "checkout" / "action.yml").read_text(encoding="utf-8") == once


@pytest.mark.parametrize(
    "text",
    [
        ACTION_TEXT.replace("  image: Dockerfile", "  image: docker://ghcr.io/x/cekura-gate:0.0.9"),
        ACTION_TEXT.replace("  image: Dockerfile", "  image: 'Dockerfile'"),
    ],
    ids=["another version", "a line the release does not know"],
)
def test_an_unexpected_action_yml_stops_the_release(tmp_path: Path, text: str) -> None:
    code, log, _ = pin(tmp_path, text, "1.2.3")
    assert code == 1
    assert "no single 'image: Dockerfile' line" in log


# -- the tags, moved (against a local repository standing in for GitHub) ---------------------


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare repository with releases v1.0.0 and v1.1.0, both tagged with the Dockerfile."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to replay the tag moves")
    work = tmp_path / "maintainer"
    work.mkdir()
    git(work, "init", "--quiet", "--initial-branch=main")
    git(work, "config", "user.name", "Maintainer")
    git(work, "config", "user.email", "maintainer@example.com")
    (work / "action.yml").write_text(ACTION_TEXT, encoding="utf-8")
    for version in ("1.0.0", "1.1.0"):
        (work / "VERSION").write_text(version, encoding="utf-8")
        git(work, "add", "-A")
        git(work, "commit", "--quiet", "-m", f"Version {version}")
        git(work, "tag", f"v{version}")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(bare))
    return bare


def release_tags(tmp_path: Path, origin: Path, version: str) -> subprocess.CompletedProcess[str]:
    """The `action` job's two run steps, in a checkout of v<version>, pushing to `origin`."""
    checkout = tmp_path / f"checkout-{version}"
    git(tmp_path, "clone", "--quiet", str(origin), str(checkout))
    git(checkout, "checkout", "--quiet", f"v{version}")
    env = {"TAG": f"v{version}", "IMAGE": IMAGE, "VERSION": version, "MAJOR": "v1"}
    done, outputs = run_step("action", "pin", checkout, env)
    assert done.returncode == 0, done.stdout + done.stderr
    script = tmp_path / "tags.sh"
    script.write_text(step("action", "name", "Commit, move the version tag")["run"], "utf-8")
    # GitHub's address, as the step builds it, sent to the local repository instead
    remote = "https://x-access-token:ghs_token@github.com/some-org/cekura-gate.git"
    redirect = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": remote,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=checkout,
        env=dict(
            os.environ,
            **env,
            **redirect,
            CHANGED=outputs["changed"],
            GH_TOKEN="ghs_token",
            GITHUB_REPOSITORY="some-org/cekura-gate",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )


def tagged_action(origin: Path, tag: str) -> str:
    return git(origin, "show", f"{tag}:action.yml")


def test_the_release_moves_its_tag_and_the_major_tag(tmp_path: Path, origin: Path) -> None:
    tagged = git(origin, "rev-parse", "v1.1.0^{commit}")
    done = release_tags(tmp_path, origin, "1.1.0")
    assert done.returncode == 0, done.stdout + done.stderr
    released = git(origin, "rev-parse", "v1.1.0^{commit}")
    assert git(origin, "rev-parse", f"{released}^") == tagged  # one commit on the tagged one
    assert git(origin, "rev-parse", "v1^{commit}") == released
    assert f"  image: docker://{IMAGE}:1.1.0\n" in tagged_action(origin, "v1.1.0") + "\n"
    assert git(origin, "show", "main:action.yml") + "\n" == ACTION_TEXT  # main keeps Dockerfile
    # running the job again changes nothing
    (tmp_path / "again").mkdir()
    done = release_tags(tmp_path / "again", origin, "1.1.0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(origin, "rev-parse", "v1.1.0^{commit}") == released
    assert git(origin, "rev-parse", "v1^{commit}") == released


def test_an_older_release_leaves_the_major_tag_alone(tmp_path: Path, origin: Path) -> None:
    done = release_tags(tmp_path, origin, "1.0.0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"image: docker://{IMAGE}:1.0.0" in tagged_action(origin, "v1.0.0")
    assert "v1 stays with the newer v1.1.0" in done.stdout
    assert git(origin, "tag", "--list", "v1") == ""
