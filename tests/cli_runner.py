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
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", *args],
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


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
