""".github/workflows/release.yml publishes the image the README tells users to pin."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from gate import __version__
from tests.cli_runner import read_outputs

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text("utf-8"))
JOB = WORKFLOW["jobs"]["image"]


def test_runs_on_version_tags_only() -> None:
    triggers = WORKFLOW[True]  # PyYAML reads the key `on` as True
    assert triggers["push"] == {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}
    assert "workflow_dispatch" in triggers


def test_least_privilege() -> None:
    assert WORKFLOW["permissions"] == {"contents": "read"}
    assert JOB["permissions"] == {"contents": "read", "packages": "write"}


def test_pushes_the_dockerfile_image_to_ghcr() -> None:
    build = next(s for s in JOB["steps"] if s.get("uses", "").startswith("docker/build-push"))
    assert build["with"]["context"] == "." and build["with"]["push"] is True
    login = next(s for s in JOB["steps"] if s.get("uses", "").startswith("docker/login-action"))
    assert login["with"]["registry"] == "ghcr.io"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker://ghcr.io/your-org/cekura-gate:" in readme


def version_step(tag: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is needed to run the workflow's script")
    step = next(s for s in JOB["steps"] if s.get("id") == "version")
    script = tmp_path / "version.sh"
    script.write_text(step["run"], encoding="utf-8")
    output = tmp_path / "output.txt"
    output.write_text("", encoding="utf-8")
    env = dict(os.environ, TAG=tag, GITHUB_OUTPUT=str(output), GITHUB_REPOSITORY_OWNER="Some-Org")
    done = subprocess.run(
        [bash, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done, output


def test_the_tag_must_match_the_package_version(tmp_path: Path) -> None:
    done, output = version_step(f"v{__version__}", tmp_path)
    assert done.returncode == 0, done.stderr
    assert read_outputs(output) == {
        "version": __version__,
        "image": "ghcr.io/some-org/cekura-gate",  # registry paths are lower case
    }
    done, _ = version_step("v99.0.0", tmp_path)
    assert done.returncode == 1
    assert "does not match" in done.stdout
