"""examples/matrix.yml: each matrix job uploads its JSON report, and the final job combines the
report of every job, by name (a glob would not notice a job that wrote nothing)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = yaml.safe_load((ROOT / "examples" / "matrix.yml").read_text(encoding="utf-8"))


def test_each_job_uploads_its_report_whatever_its_verdict():
    job = WORKFLOW["jobs"]["gate"]
    assert job["strategy"]["fail-fast"] is False
    gate = next(s for s in job["steps"] if s.get("id") == "gate")
    upload = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "always()"
    assert upload["with"]["path"] == gate["with"]["report-json"]
    assert upload["with"]["name"] == "cekura-gate-${{ matrix.name }}"


def test_the_verdict_job_combines_every_matrix_job_by_name():
    names = [entry["name"] for entry in matrix_entries()]
    verdict = WORKFLOW["jobs"]["verdict"]
    assert verdict["needs"] == "gate" and verdict["if"].startswith("always()")
    download = next(s for s in verdict["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["pattern"] == "cekura-gate-*"
    script = next(s["run"] for s in verdict["steps"] if "combine" in s.get("run", ""))
    words = shlex.split(script.split("cekura-gate combine", 1)[1].replace("\\\n", " "))
    report = WORKFLOW["jobs"]["gate"]["steps"][1]["with"]["report-json"]
    assert words == [f"reports/cekura-gate-{name}/{report}" for name in names]
    assert not any(re.search(r"[*?]", word) for word in words)


def matrix_entries() -> list[dict]:
    return WORKFLOW["jobs"]["gate"]["strategy"]["matrix"]["include"]
