"""Run the real `cekura-gate` command as a subprocess, the way CI and users do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment without any CEKURA_* or GITHUB_* variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CEKURA_", "GITHUB_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra or {})
    return env


def run_gate(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    patch: Mapping[str, object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The command as users run it. `patch` sets module constants first, for timings a test
    cannot wait out: {"gate.source.wait.UNREACHABLE_GRACE": 2.0} (the command then starts through
    the same entry point, gate.cli.run)."""
    return subprocess.run(
        command(*args, patch=patch),
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def command(*args: str, patch: Mapping[str, object] | None = None) -> list[str]:
    if not patch:
        return [sys.executable, "-m", "gate", *args]
    lines = ["import importlib"]
    for dotted, value in patch.items():
        module, name = dotted.rsplit(".", 1)
        lines.append(f"setattr(importlib.import_module({module!r}), {name!r}, {value!r})")
    lines += ["from gate.cli import run", "run()"]
    return [sys.executable, "-c", "\n".join(lines), *args]


def actions_env(api_key: str, api_url: str, folder: Path) -> dict[str, str]:
    """A check in GitHub Actions against the API at `api_url`, run in `folder`: the config
    `gate.yml`, the JSON report `gate.json` and JUnit `junit.xml` there, the step's outputs
    in `out.txt` and its summary in `summary.md`."""
    return {
        "CEKURA_API_KEY": api_key,
        "CEKURA_API_URL": api_url,
        "CEKURA_POLL_INTERVAL": "0.1",
        "CEKURA_CONFIG": "gate.yml",
        "CEKURA_REPORT_JSON": "gate.json",
        "CEKURA_JUNIT_XML": "junit.xml",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(folder / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
    }


def read_outputs(path: Path) -> dict[str, str]:
    """Parse a $GITHUB_OUTPUT file the way the runner does (name=value and heredocs)."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            index += 1
            while lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
        index += 1
    return values
