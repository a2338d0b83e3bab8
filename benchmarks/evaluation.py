"""Evaluation cost: `cekura-gate check --result-file` against the cost of reading the file.

The floor is the same interpreter doing only what any reader of the result must do:
`gc.disable(); json.load(open(PATH, 'rb'))` (the gate pauses the cyclic collector too, so a
floor with it on would flatter the gate); for the 20-run result, where start-up dominates,
also `yaml.safe_load` of the config. The gate runs `check --result-file` with the config
below (success rate with confidence, metric aggregates p90, pass_rate and mean, scenarios)
and writes every report (Markdown summary, JSON report, JUnit XML).

Payloads (benchmarks/payload.py, deterministic):
  realistic  10,000 runs, 11 metrics with explanations, a 30-turn transcript each (~100 MB)
  lean       10,000 runs, 2 metrics, 2-turn transcripts (~12.5 MB)
  20 runs    realistic runs, against json.load + yaml.safe_load of the config
  growth     the lean payload at 10,000 to 50,000 runs: cost per 10,000 runs at each size

For each, floor and gate run in turns (floor, gate, floor, gate, ...) after one warm-up
pair; the tables give the medians of the child's CPU time (user + system) and peak
resident memory (ru_maxrss, from wait4), their ratios to the floor, and the spread of the
CPU ratio over the pairs (lowest-highest). CPU time moves far less than wall time when
other jobs share the machine, but it still moves: use enough runs, and read the spread.
Exit 0 whatever the figures: this measures, it does not gate.

Usage:
  python benchmarks/evaluation.py                 install this tree into a fresh virtualenv
                                                  (not editable, like users get it) and measure
  python benchmarks/evaluation.py --python PY     measure the gate installed beside PY
  options: --runs N       measurements of each command, in turns (default 7)
           --only NAMES   some of: realistic,lean,small,growth (default: all)
           --in-actions   run the gate as in GitHub Actions (token set: every payload is
                          searched for it) instead of on a developer's machine
           --quick        tiny payloads, one measurement, no warm-up: proves the script
                          works, measures nothing (the test suite runs this)
           --phases       also the CPU time of each step inside one process (this
                          interpreter; the realistic and lean payloads, as --only says)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    Sample,
    clean_env,
    environment_note,
    gate_script,
    install_fresh,
    interleaved,
    median_cpu,
    median_rss,
    median_wall,
    table,
)
from payload import write_result

#: the config the gate is measured with: every kind of check that reads every run
CONFIG = """\
version: 1
thresholds:
  min_runs: 3
  success_rate:
    min: 90
    confidence: 0.95
  failed_workflow_runs:
    max: 0
    level: warn
  metrics:
    - metric: Latency
      aggregation: p90
      max: 1500
    - metric: Workflow Adherence
      aggregation: pass_rate
      min: 95
      confidence: 0.95
    - metric: expected_outcome
      aggregation: mean
      min: 90
  scenarios:
    - name: Emergency triage
      min_success_rate: 90
      confidence: 0.95
    - name: Book appointment
      min_success_rate: 90
    - id: 11546
      min_success_rate: 80
      level: warn
"""

#: what GitHub Actions sets: the gate then looks for the token (and the key) in every payload
IN_ACTIONS = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_TOKEN": "ghs_" + "0" * 36,
    "CEKURA_API_KEY": "ck_" + "0" * 40,
}
FLOOR, GATE = "floor", "gate"
#: more measurements than this is surely a payload size passed to --runs (hours of work)
MAX_MEASUREMENTS = 99


@dataclass(frozen=True)
class Case:
    name: str
    shape: str  # a payload shape of benchmarks/payload.py
    runs: int
    with_config: bool = False  # the floor also reads the config (yaml.safe_load)
    cpu_target: float | None = None  # at most this many times the floor's CPU
    memory_target: float | None = None


@dataclass(frozen=True)
class Measured:
    case: Case
    size: int  # bytes of JSON
    floor: list[Sample]
    gate: list[Sample]

    @property
    def cpu_ratio(self) -> float:
        return median_cpu(self.gate) / median_cpu(self.floor)

    @property
    def memory_ratio(self) -> float:
        return median_rss(self.gate) / median_rss(self.floor)

    def cpu_spread(self) -> str:
        """The lowest and highest gate/floor CPU ratio over the pairs measured in turn."""
        ratios = [g.cpu / f.cpu for f, g in zip(self.floor, self.gate, strict=True) if f.cpu]
        return f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"

    def targets(self) -> str:
        parts = []
        if self.case.cpu_target is not None:
            ok = self.cpu_ratio <= self.case.cpu_target
            parts.append(f"CPU ≤ {self.case.cpu_target:g}x: {'met' if ok else 'NOT met'}")
        if self.case.memory_target is not None:
            ok = self.memory_ratio <= self.case.memory_target
            parts.append(f"memory ≤ {self.case.memory_target:g}x: {'met' if ok else 'NOT met'}")
        return "; ".join(parts)


def cases(quick: bool, only: set[str]) -> tuple[list[Case], list[Case]]:
    """The table's cases and the growth series (sizes of the lean payload)."""
    big = 200 if quick else 10_000
    headline = []
    if "realistic" in only:
        headline.append(Case("realistic", "realistic", big, cpu_target=0.8, memory_target=0.8))
    if "lean" in only:
        headline.append(Case("lean", "lean", big, cpu_target=2.0))
    if "small" in only:
        headline.append(Case("20 runs", "realistic", 20, with_config=True, cpu_target=3.0))
    sizes = (200, 400, 1_000) if quick else (10_000, 20_000, 30_000, 50_000)
    growth = [Case("lean", "lean", n) for n in sizes] if "growth" in only else []
    return headline, growth


def measure_case(
    case: Case, python: Path, work: Path, *, repeat: int, warmup: int, in_actions: bool
) -> Measured:
    result = work / f"result-{case.shape}-{case.runs}.json"
    if not result.exists():
        print(f"writing {result.name}...", file=sys.stderr)
        write_result(result, case.runs, shape=case.shape)
    config = work / "gate.yml"
    config.write_text(CONFIG, encoding="utf-8")
    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    floor = "import gc, json; gc.disable(); json.load(open(PATH, 'rb'))"
    if case.with_config:
        floor = "import gc, json, yaml; gc.disable(); json.load(open(PATH, 'rb')); " + (
            "yaml.safe_load(open(CONFIG, 'rb'))"
        )
    floor = floor.replace("PATH", repr(str(result))).replace("CONFIG", repr(str(config)))
    commands = {
        FLOOR: [str(python), "-c", floor],
        GATE: [
            str(gate_script(python)),
            "check",
            "--result-file",
            str(result),
            "--config",
            str(config),
            "--summary-file",
            str(reports / "summary.md"),
            "--report-json",
            str(reports / "report.json"),
            "--junit-xml",
            str(reports / "junit.xml"),
        ],
    }
    print(f"measuring the {case.shape} payload, {case.runs} runs...", file=sys.stderr)
    samples = interleaved(
        commands,
        repeat=repeat,
        warmup=warmup,
        env=clean_env(),
        cwd=work,
        envs={GATE: clean_env(IN_ACTIONS)} if in_actions else None,
    )
    for name, runs in samples.items():
        if any(s.exit_code not in (0, 1) for s in runs):
            sys.exit(f"{name} on {result.name} could not run (exit {runs[0].exit_code})")
    return Measured(case, result.stat().st_size, samples[FLOOR], samples[GATE])


def headline_table(measured: Sequence[Measured]) -> str:
    rows = []
    for m in measured:
        rows.append(
            (
                m.case.name,
                f"{m.case.runs:,}",
                f"{m.size / 1e6:.1f}",
                f"{median_cpu(m.floor):.2f}",
                f"{median_cpu(m.gate):.2f}",
                f"{m.cpu_ratio:.2f}x",
                m.cpu_spread(),
                f"{median_rss(m.floor) / 1024:.0f}",
                f"{median_rss(m.gate) / 1024:.0f}",
                f"{m.memory_ratio:.2f}x",
                f"{median_wall(m.gate) / median_wall(m.floor):.2f}x",
                m.targets(),
            )
        )
    headers = (
        "payload",
        "runs",
        "MB",
        "floor CPU s",
        "gate CPU s",
        "CPU vs floor",
        "spread",
        "floor MiB",
        "gate MiB",
        "memory vs floor",
        "wall vs floor",
        "target",
    )
    return table(headers, rows)


def growth_table(measured: Sequence[Measured]) -> str:
    """Cost at each size, per 10,000 runs, and per 10,000 runs added since the previous size:
    the last stays flat when the cost grows linearly (the one before also holds start-up)."""
    rows = []
    previous: Measured | None = None
    for m in measured:
        tens = m.case.runs / 10_000
        gate_cpu, floor_cpu, gate_mib = median_cpu(m.gate), median_cpu(m.floor), mib(m.gate)
        added_cpu = added_mib = "-"
        if previous is not None:
            added = (m.case.runs - previous.case.runs) / 10_000
            added_cpu = f"{(gate_cpu - median_cpu(previous.gate)) / added:.3f}"
            added_mib = f"{(gate_mib - mib(previous.gate)) / added:.0f}"
        rows.append(
            (
                f"{m.case.runs:,}",
                f"{m.size / 1e6:.1f}",
                f"{floor_cpu:.2f}",
                f"{gate_cpu:.2f}",
                f"{m.cpu_ratio:.2f}x",
                m.cpu_spread(),
                f"{floor_cpu / tens:.3f}",
                f"{gate_cpu / tens:.3f}",
                added_cpu,
                f"{gate_mib:.0f}",
                added_mib,
                f"{m.memory_ratio:.2f}x",
            )
        )
        previous = m
    headers = (
        "runs (lean)",
        "MB",
        "floor CPU s",
        "gate CPU s",
        "CPU vs floor",
        "spread",
        "floor CPU s per 10k runs",
        "gate CPU s per 10k runs",
        "gate CPU s per added 10k runs",
        "gate MiB",
        "gate MiB per added 10k runs",
        "memory vs floor",
    )
    first, last = measured[0], measured[-1]
    scale = last.case.runs / first.case.runs
    floor_growth = median_cpu(last.floor) / median_cpu(first.floor)
    gate_growth = median_cpu(last.gate) / median_cpu(first.gate)
    summary = (
        f"from {first.case.runs:,} to {last.case.runs:,} runs (x{scale:g}): floor CPU "
        f"x{floor_growth:.2f}, gate CPU x{gate_growth:.2f}, "
        f"gate memory x{mib(last.gate) / mib(first.gate):.2f}"
    )
    return f"{table(headers, rows)}\n\n{summary}"


def mib(samples: Sequence[Sample]) -> float:
    return median_rss(samples) / 1024


def run(python: Path, work: Path, args: argparse.Namespace) -> str:
    only = set(args.only.split(","))
    headline, growth = cases(args.quick, only)
    repeat, warmup = (1, 0) if args.quick else (args.runs, 1)
    done: dict[tuple[str, int], Measured] = {}

    def measured(case: Case) -> Measured:
        key = (case.shape, case.runs)
        if key not in done:  # the lean 10,000 is also the growth series' first point
            done[key] = measure_case(
                case, python, work, repeat=repeat, warmup=warmup, in_actions=args.in_actions
            )
        return done[key]

    parts = []
    setting = "in GitHub Actions (token set)" if args.in_actions else "on a developer's machine"
    note = (
        f"gate run {setting}; reports: summary, JSON, JUnit; {environment_note(python)}; "
        f"medians of {repeat} interleaved runs of each command"
    )
    if headline:
        parts.append(headline_table([measured(c) for c in headline]))
    if growth:
        parts.append(growth_table([measured(c) for c in growth]))
    parts.append(note)
    return "\n\n".join(parts)


def phases(work: Path, runs: int, shape: str) -> str:
    """The CPU time of each step of `check --result-file` on the `shape` result, in this
    process (imports excluded), for the record.

    The cyclic collector is paused, as `check` pauses it. The redaction row is what a run in
    GitHub Actions adds: there a token is always set, and every payload is searched for it
    (the text, for the token as JSON would write it; every string only if it may be there).
    """
    import gc
    import io

    from gate.judge.evaluate import evaluate
    from gate.policy import config
    from gate.publish.junit import write_junit
    from gate.publish.pages.markdown import render
    from gate.publish.report_json import write_report_json
    from gate.source.files import read_result_file

    try:
        from gate.flow.judging import parse_for
    except ImportError:  # an older tree
        try:
            from gate.check import parse_for  # type: ignore[no-redef]
        except ImportError:  # older still: every run read in full
            from gate.result.parsing import parse

            def parse_for(raw: Any, policy: Any) -> Any:
                return parse(raw)

    result = work / f"result-{shape}-{runs}.json"
    if not result.exists():
        write_result(result, runs, shape=shape)
    (work / "gate.yml").write_text(CONFIG, encoding="utf-8")
    steps: list[tuple[str, float]] = []

    def step(name: str, started: float) -> float:
        now = time.process_time()
        steps.append((name, now - started))
        return now

    gc.disable()
    started = time.process_time()
    policy = config.load(work / "gate.yml")
    started = step("config: read and validate", started)
    raw = read_result_file(result)
    started = step("result file: read and decode", started)
    secrets = [IN_ACTIONS["GITHUB_TOKEN"], IN_ACTIONS["CEKURA_API_KEY"]]
    try:
        from gate.source.redact import could_hold, redact
    except ImportError:  # an older tree: every string is searched
        from gate.source.redact import redact

        redact(raw, secrets)
        started = step("(in Actions) redact the token", started)
    else:
        text = result.read_bytes()  # as the gate searches a saved file
        started = time.process_time()  # reading the text again is not part of it
        if could_hold(text, secrets):
            redact(raw, secrets)
        del text
        started = step("(in Actions) redact the token", started)
    parsed = parse_for(raw, policy)
    del raw
    started = step("parse into a Result", started)
    verdict = evaluate(parsed, policy)
    started = step("evaluate", started)
    io.StringIO().write(render(verdict, parsed))
    started = step("Markdown summary", started)
    write_report_json(work / "report.json", verdict=verdict, result=parsed)
    started = step("JSON report", started)
    write_junit(work / "junit.xml", verdict=verdict, result=parsed)
    step("JUnit XML", started)
    gc.enable()
    total = sum(seconds for _, seconds in steps)
    rows = [(name, f"{seconds * 1000:.0f}", f"{seconds / total:.0%}") for name, seconds in steps]
    return table((f"step (in one process, {shape}, {runs:,} runs)", "CPU ms", "share"), rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, help="an interpreter with cekura-gate installed")
    parser.add_argument(
        "--runs", type=int, default=7, help="measurements of each command, in turns (default 7)"
    )
    parser.add_argument(
        "--only",
        default="realistic,lean,small,growth",
        help="comma-separated: realistic, lean, small, growth (default: all)",
    )
    parser.add_argument("--in-actions", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny payloads, one measurement")
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - {"realistic", "lean", "small", "growth"}
    if unknown:
        parser.error(
            f"--only takes realistic, lean, small, growth (got {', '.join(sorted(unknown))})"
        )
    if not 1 <= args.runs <= MAX_MEASUREMENTS:
        parser.error(
            f"--runs is how many times each command is measured, 1 to {MAX_MEASUREMENTS} "
            f"(got {args.runs}); the payloads' sizes are fixed (10,000 runs, and 10,000 to "
            "50,000 for the growth)"
        )
    with tempfile.TemporaryDirectory(prefix="cekura-gate-bench-") as tmp:
        work = Path(tmp)
        if args.python:
            python = args.python
        else:
            print("installing this tree into a fresh virtualenv...", file=sys.stderr)
            python = install_fresh(work / "venv")
        started = time.perf_counter()
        print(run(python, work, args))
        if args.phases:
            for shape in ("realistic", "lean"):
                if shape in args.only.split(","):
                    print()
                    print(phases(work, 200 if args.quick else 10_000, shape))
        print(f"\n({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
