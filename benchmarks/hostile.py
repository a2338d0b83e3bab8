"""What hostile input costs: a gzip bomb from the API, and a YAML alias bomb in the config.

Each row is `cekura-gate` run as a process (wall time from spawn to exit, and its own peak
memory), beside the same command on an ordinary input:

- a 1 MB gzip answer that inflates to 1 GiB (gate.simulator.payloads.gzip_bomb), served by the
  simulator for `check --result-id`: the gate must stop at its 256 MiB cap
  (gate.source.transport.MAX_RESPONSE_BYTES), exit 3, and hold no more than a few hundred MiB;
- the "billion laughs" config (nine aliases nine levels deep, 387 million values once
  expanded) for `validate` and for `check --result-file`: refused with exit 2 within a second.

Usage:
  python benchmarks/hostile.py [--repeat N] [--inflated BYTES]
  (defaults: 3 repeats, 1 GiB; the gate is run from this tree with this interpreter)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Sample, clean_env, measure, table

sys.path.insert(0, str(ROOT))
from gate.simulator import catalogue
from gate.simulator import payloads as sp
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator


def row(name: str, samples: list[Sample]) -> list[object]:
    codes = sorted({s.exit_code for s in samples})
    wall = statistics.median(s.wall for s in samples)
    peak = max(s.peak_rss_kib for s in samples) / 1024
    return [name, f"{wall:.2f} s", f"{peak:.0f} MiB", ",".join(map(str, codes))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inflated", type=int, default=2**30)
    args = parser.parse_args(argv)
    gate = [sys.executable, "-m", "gate"]
    bomb = sp.gzip_bomb(args.inflated)
    rows = []
    with tempfile.TemporaryDirectory() as work, Simulator(progress_seconds=0) as sim:
        where = Path(work)
        env = clean_env({"CEKURA_API_KEY": "k" * 12, "CEKURA_API_URL": sim.url})
        env["PYTHONPATH"] = str(ROOT)
        (where / "gate.yml").write_text(sp.BILLION_LAUGHS, encoding="utf-8")
        (where / "result.json").write_text(json.dumps(catalogue.demo_result(1)), encoding="utf-8")
        plain, bombed = [], []
        for n in range(args.repeat):
            rid = sim.add_result(catalogue.demo_result(1) | {"id": 10_000 + n})
            plain.append(measure([*gate, "check", "--result-id", rid], env=env, cwd=where))
            rid = sim.add_result(catalogue.demo_result(1) | {"id": 20_000 + n})
            sim.script(rid, [Fault.raw(bomb, {"Content-Encoding": "gzip"})])
            bombed.append(measure([*gate, "check", "--result-id", rid], env=env, cwd=where))
        rows.append(row("check, an ordinary answer", plain))
        rows.append(row(f"check, gzip bomb ({len(bomb):,} B -> {args.inflated:,} B)", bombed))
        config = ["--config", str(where / "gate.yml")]
        result = ["--result-file", str(where / "result.json")]
        for name, command in (
            ("validate, billion laughs", [*gate, "validate", *config]),
            ("check --result-file, billion laughs", [*gate, "check", *config, *result]),
            ("check --result-file, default policy", [*gate, "check", *result]),
        ):
            rows.append(
                row(name, [measure(command, env=env, cwd=where) for _ in range(args.repeat)])
            )
    print(table(["command", "median wall", "peak memory", "exit"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
