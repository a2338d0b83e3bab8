"""Start-up: `cekura-gate --version` and `validate` against a bare `python -c "import yaml"`.

Targets, in wall time and in CPU time (user + system, which moves less when other jobs share
the machine): `--version` within 1.5x the baseline (the interpreter starting plus PyYAML,
which any config read needs), `validate` within 3x. The last column lists the heavy
libraries each command imported:
requests only where the API is called, the schema validator only where a config is validated.

Usage:
  python benchmarks/startup.py                  install this tree into a fresh virtualenv
                                                (not editable, like users get it) and measure
  python benchmarks/startup.py --python PY      measure the gate installed beside PY instead
  options: --repeat N (default 15)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    ROOT,
    clean_env,
    environment_note,
    gate_script,
    install_fresh,
    interleaved,
    median_cpu,
    median_wall,
    table,
)

#: the most each command may take, as a multiple of the baseline
TARGETS = {"cekura-gate --version": 1.5, "cekura-gate validate": 3.0}
HEAVY = ("yaml", "requests", "msgspec", "jsonschema", "jsonschema_rs")
BASELINE = "python -c 'import yaml'"


def imported(command: list[str], python: Path) -> set[str]:
    """Top-level packages `command` (a Python script and its arguments) imports."""
    done = subprocess.run(
        [str(python), "-X", "importtime", *command],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=ROOT,
        check=False,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def run(python: Path, repeat: int) -> tuple[str, bool]:
    script = gate_script(python)
    config = str(ROOT / "examples" / "gate.yml")
    commands = {
        "python -c pass": [str(python), "-c", "pass"],
        BASELINE: [str(python), "-c", "import yaml"],
        "cekura-gate --version": [str(script), "--version"],
        "cekura-gate validate --config examples/gate.yml": [
            str(script),
            "validate",
            "--config",
            config,
        ],
        # not a target: shows what a check that calls no API imports
        "cekura-gate check --result-file (6 runs)": [
            str(script),
            "check",
            "--result-file",
            str(ROOT / "tests" / "fixtures" / "failing.json"),
            "--summary-file",
            os.devnull,
        ],
    }
    samples = interleaved(commands, repeat=repeat, env=clean_env(), cwd=ROOT)
    for name, runs in samples.items():
        if any(s.exit_code not in (0, 1) for s in runs):
            sys.exit(f"{name} failed (exit {runs[0].exit_code})")
    base, base_cpu = median_wall(samples[BASELINE]), median_cpu(samples[BASELINE])
    rows = []
    met = True
    for name, command in commands.items():
        wall, cpu = median_wall(samples[name]), median_cpu(samples[name])
        ratio, cpu_ratio = wall / base, cpu / base_cpu
        target = next((t for prefix, t in TARGETS.items() if name.startswith(prefix)), None)
        verdict = ""
        if target is not None:
            held = ratio <= target and cpu_ratio <= target
            met = met and held
            verdict = f"≤ {target:g}x: {'yes' if held else 'NO'}"
        heavy = sorted(imported(command[1:] if command[0] == str(python) else command, python))
        rows.append(
            (
                name,
                f"{wall * 1000:.0f}",
                f"{ratio:.2f}x",
                f"{cpu * 1000:.0f}",
                f"{cpu_ratio:.2f}x",
                verdict,
                ", ".join(m for m in HEAVY if m in heavy) or "none",
            )
        )
    headers = (
        "command",
        "median ms",
        "vs baseline",
        "CPU ms",
        "CPU vs baseline",
        "target",
        "heavy imports",
    )
    note = f"{environment_note(python)}; median of {repeat} interleaved runs each"
    return f"{table(headers, rows)}\n\n{note}", met


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, help="an interpreter with cekura-gate installed")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    if args.python:
        text, met = run(args.python, args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="cekura-gate-bench-") as tmp:
            print("installing this tree into a fresh virtualenv...", file=sys.stderr)
            text, met = run(install_fresh(Path(tmp) / "venv"), args.repeat)
    print(text)
    targets = ", ".join(f"{name.split()[-1]} within {t:g}x" for name, t in TARGETS.items())
    print(f"\ntargets ({targets} the baseline, wall and CPU): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
