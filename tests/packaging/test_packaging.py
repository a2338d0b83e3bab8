"""What the release ships and where it points: package metadata, the repository's one home,
the tags the README shows, the pre-commit hook.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from gate import __version__
from gate.policy import validation
from tests.cli_runner import run_gate

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
#: the repository's home, as pyproject.toml names it: every other mention must agree
SLUG = PROJECT["urls"]["Source"].removeprefix("https://github.com/")
OWNER, NAME = SLUG.split("/")
MAJOR = "v" + __version__.split(".")[0]
SCHEMA_URL = f"https://raw.githubusercontent.com/{SLUG}/{MAJOR}/gate/schema/gate.schema.json"


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked archive): walk the tree
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if ".git" not in p.parts]
    else:
        names = listed.stdout.splitlines()
    suffixes = {".md", ".yml", ".yaml", ".json", ".toml", ".sh", ".txt", ".in", ""}
    return [
        ROOT / name
        for name in names
        if (ROOT / name).is_file()
        and (ROOT / name).suffix in suffixes
        and not name.startswith(("tests/", "benchmarks/"))
    ]


# -- the repository's home ------------------------------------------------------------------

MENTIONS = [
    re.compile(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?(?=[/#\s\"')`]|$)"),
    re.compile(r"raw\.githubusercontent\.com/([\w.-]+/[\w.-]+)/"),
    re.compile(r"uses: ([\w.-]+/cekura-gate)(?:/composite)?@"),
]


def test_the_repository_has_one_home() -> None:
    assert PROJECT["urls"]["Homepage"] == f"https://github.com/{SLUG}"
    found: dict[str, set[str]] = {}
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in MENTIONS:
            for slug in pattern.findall(text):
                if slug.split("/")[1] == NAME or slug.split("/")[0] == OWNER:
                    found.setdefault(slug, set()).add(str(path.relative_to(ROOT)))
        for owner in re.findall(r"ghcr\.io/([\w.-]+)/cekura-gate", text):
            found.setdefault(f"{owner}/{NAME} (ghcr.io)", set()).add(str(path.relative_to(ROOT)))
    assert set(found) <= {SLUG, f"{OWNER}/{NAME} (ghcr.io)"}, found
    assert len(found.get(SLUG, ())) >= 10  # README, examples, schema, catalog, pyproject...


def test_the_readme_shows_only_tags_the_release_makes() -> None:
    """The release tags vX.Y.Z, moves vX (X = the major version) and publishes X.Y.Z."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in [ROOT / "README.md", *sorted((ROOT / "examples").glob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r"uses: [\w.-]+/cekura-gate(?:/composite)?@([\w.-]+|<[^>]+>)", text):
            assert ref in {MAJOR, f"v{__version__}"} or ref.startswith("<"), (path.name, ref)
    for tag in re.findall(r"ghcr\.io/[\w.-]+/cekura-gate:([\w.]+)", readme):
        assert tag in {__version__, __version__.rsplit(".", 1)[0], MAJOR[1:], "latest"}, tag
    for pin in re.findall(r"cekura-gate==([\w.]+)", readme):
        assert pin == __version__
    assert "your-org" not in readme


# -- the schema's URL -----------------------------------------------------------------------


def test_one_versioned_schema_url_everywhere() -> None:
    assert validation.schema()["$id"] == SCHEMA_URL
    modeline = f"# yaml-language-server: $schema={SCHEMA_URL}"
    configs = [
        path
        for path in sorted((ROOT / "examples").glob("*.yml"))
        if not re.search(r"^jobs:", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert configs
    for path in configs:
        assert path.read_text(encoding="utf-8").splitlines()[0] == modeline, path.name
    assert modeline in (ROOT / "README.md").read_text(encoding="utf-8")
    schema_urls = set()
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        schema_urls |= set(re.findall(r"https://\S+/gate\.schema\.json", text))
    assert schema_urls == {SCHEMA_URL}


def test_schemastore_catalog_entry() -> None:
    catalog = json.loads((ROOT / "schemastore" / "catalog.json").read_text(encoding="utf-8"))
    [entry] = catalog["schemas"]
    assert entry["url"] == SCHEMA_URL
    assert entry["fileMatch"] == ["**/.cekura/gate.yml", "**/.cekura/gate.yaml"]
    assert entry["name"] and entry["description"]


# -- package metadata -----------------------------------------------------------------------


def test_license_and_metadata() -> None:
    assert PROJECT["license"] == "MIT"  # an SPDX expression (PEP 639)
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    [backend] = PYPROJECT["build-system"]["requires"]
    # setuptools 77 reads the SPDX `license` and `license-files`
    assert Requirement(backend).specifier == SpecifierSet(">=77")
    assert set(PROJECT["urls"]) >= {"Homepage", "Source", "Issues", "Changelog"}
    classifiers = PROJECT["classifiers"]
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the SPDX field
    supported = {c.rsplit(" ", 1)[1] for c in classifiers if re.search(r"3\.\d+$", c)}
    python = SpecifierSet(PROJECT["requires-python"])
    assert supported and all(python.contains(f"{v}.0") for v in supported)
    assert "3.11" in supported


def test_jsonschema_rs_is_capped() -> None:
    [dependency] = [
        Requirement(r) for r in PROJECT["dependencies"] if r.startswith("jsonschema-rs")
    ]
    assert any(spec.operator == "<" for spec in dependency.specifier)


def test_the_sdist_carries_no_half_test_suite() -> None:
    """The tests need the whole repository; the sdist carries none of them (MANIFEST.in)."""
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split()
    assert "prune" in manifest and "tests" in manifest


def test_the_files_the_release_requires_of_the_sdist_exist() -> None:
    """The release stops when the sdist lacks a file it names: each must be a real file
    (a renamed or removed one would stop every release)."""
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    listed = re.search(r"for needed in (.*?); do", workflow, re.DOTALL)
    assert listed, "release.yml no longer lists what the sdist needs"
    needed = listed.group(1).replace("\\", " ").split()
    assert "gate/schema/gate.schema.json" in needed
    for path in needed:
        assert (ROOT / path).is_file(), f"release.yml requires {path} of the sdist"


# -- pre-commit -----------------------------------------------------------------------------


def test_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "cekura-gate-validate"
    assert hook["language"] == "python"  # pre-commit installs this repository's package
    command, *args = hook["entry"].split()
    assert command in PROJECT["scripts"] and args == ["validate"]
    files = re.compile(hook["files"])
    for path in [".cekura/gate.yml", ".cekura/gate.yaml", "agents/eu/.cekura/gate.yml"]:
        assert files.search(path), path
    for path in ["gate.yml", ".cekura/gate.yml.bak", "x.cekura/gate.yml", ".cekura/other.yml"]:
        assert not files.search(path), path


def test_pre_commit_hook_checks_the_files_it_is_given(tmp_path: Path) -> None:
    """The hook's command as pre-commit runs it: the entry, then the staged paths."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    _, *args = hook["entry"].split()
    good, bad = Path(".cekura/gate.yml"), Path("agents/eu/.cekura/gate.yaml")
    for path in (good, bad):
        (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / good).write_text((ROOT / "examples" / "gate.yml").read_text("utf-8"), "utf-8")
    (tmp_path / bad).write_text("version: 1\nthresholds:\n  min_runs: zero\n", "utf-8")
    done = run_gate(*args, str(good), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_gate(*args, str(good), str(bad), cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{bad.as_posix()}:3" in done.stdout + done.stderr  # the file and line to fix
