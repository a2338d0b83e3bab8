"""What the benchmark scripts share: measuring a command, an installed copy of the gate, tables.

Benchmarks are scripts, not tests: they print tables of ratios measured side by side in one
run, so the figures hold on any machine while absolute seconds do not.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds, from fork to exit
    peak_rss_kib: int  # the child's own peak resident set (ru_maxrss, KiB on Linux)
    exit_code: int
    cpu: float = 0.0  # seconds of CPU the child used, user + system (ru_utime + ru_stime)


#: Starts the command from a small process and reports its usage (see `measure`).
#: argv: the command; prints "wall utime stime maxrss exit_code" on its own stdout.
LAUNCHER = """\
import os, sys, time
report = os.dup(1)
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
os.write(report, f"{wall} {usage.ru_utime} {usage.ru_stime} {usage.ru_maxrss} {code}".encode())
"""


def measure(
    command: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Sample:
    """Run `command` once; its wall time, and its own CPU time and peak memory.

    A small launcher process forks the command and reads its usage from wait4, rather than
    this script: Linux carries the parent's peak resident set over into a child's ru_maxrss
    (subprocess starts children with vfork, and exec keeps the old mapping's peak), so a
    child of this script, which has held a 100 MB payload, would report at least that much.
    """
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        wall, utime, stime, maxrss, code = done.stdout.split()
    except ValueError:
        sys.exit(f"could not measure {command[0]}: {done.stderr.strip() or done.stdout!r}")
    return Sample(
        wall=float(wall),
        peak_rss_kib=int(maxrss),
        exit_code=int(code),
        cpu=float(utime) + float(stime),
    )


def interleaved(
    commands: Mapping[str, Sequence[str]],
    *,
    repeat: int,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    warmup: int = 1,
    envs: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[Sample]]:
    """Each command `repeat` times, taking turns, so a busy moment hits all of them alike.

    `envs` gives some commands (by name) their own environment instead of `env`.
    """
    own = envs or {}
    for _ in range(warmup):
        for name, command in commands.items():
            measure(command, env=own.get(name, env), cwd=cwd)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            samples[name].append(measure(command, env=own.get(name, env), cwd=cwd))
    return samples


def median_wall(samples: Sequence[Sample]) -> float:
    return statistics.median(s.wall for s in samples)


def median_rss(samples: Sequence[Sample]) -> float:
    return statistics.median(s.peak_rss_kib for s in samples)


def median_cpu(samples: Sequence[Sample]) -> float:
    return statistics.median(s.cpu for s in samples)


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without CEKURA_*/GITHUB_* settings, with byte-code caching allowed.

    PYTHONDONTWRITEBYTECODE would make an editable install recompile the gate's sources on
    every start, which no installed copy does (pip compiles them at install time).
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CEKURA_", "GITHUB_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(extra or {})
    return env


def install_fresh(where: Path) -> Path:
    """A new virtual environment with this tree installed like users get it (not editable).

    Returns its python. Dependencies come from the index pip is configured with.
    """
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        check=True,
    )
    return python


def gate_script(python: Path) -> Path:
    """The `cekura-gate` console script installed beside `python`."""
    name = "cekura-gate.exe" if os.name == "nt" else "cekura-gate"
    script = Path(python).parent / name
    if not script.exists():
        sys.exit(f"{script} does not exist: install the package into that environment first")
    return script


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def environment_note(python: Path) -> str:
    version = subprocess.run(
        [str(python), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"Python {version}, {os.cpu_count()} CPU(s), {sys.platform}"
