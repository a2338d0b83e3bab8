"""Evaluation cost: `cekura-gate check --result-file` on a 10,000-run result, against the floor.

The floor is `python -c "import json; json.load(open(PATH))"` on the same file: reading the
result at all costs that much. The gate runs with the typical config of
benchmarks/payload.py and writes every report (Markdown summary, JSON report, JUnit XML),
once as on a developer's machine and once as in GitHub Actions, where a token is always set
(GITHUB_ACTIONS=true, sentinel GITHUB_TOKEN and CEKURA_API_KEY) and every payload is
searched for it. All are run in turns, several times; the table gives medians and the ratios.
Target: at most 2x the floor's wall time and 2x its peak memory, in both settings.

Usage:
  python benchmarks/evaluation.py                 install this tree into a fresh virtualenv
                                                  (not editable, like users get it) and measure
  python benchmarks/evaluation.py --python PY     measure the gate installed beside PY
  options: --runs N (default 10000), --repeat N (default 7), --phases (also time each step
           inside one process, with the interpreter running this script)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    clean_env,
    environment_note,
    gate_script,
    install_fresh,
    interleaved,
    median_rss,
    median_wall,
    table,
)
from payload import TYPICAL_CONFIG, write_result

TARGET = 2.0
#: what GitHub Actions sets: the gate then looks for the token (and the key) in every payload
IN_ACTIONS = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_TOKEN": "ghs_" + "0" * 36,
    "CEKURA_API_KEY": "ck_" + "0" * 40,
}
FLOOR = "floor: json.load"
GATE = "cekura-gate check"
GATE_IN_ACTIONS = "cekura-gate check, in Actions (token set)"


def run(python: Path, work: Path, runs: int, repeat: int) -> tuple[str, bool]:
    result = work / "result.json"
    size = write_result(result, runs)
    config = work / "gate.yml"
    config.write_text(TYPICAL_CONFIG, encoding="utf-8")
    out = work / "out"

    def check(reports: Path) -> list[str]:
        return [
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
        ]

    commands = {
        FLOOR: [str(python), "-c", f"import json; json.load(open({str(result)!r}))"],
        GATE: check(out),
        GATE_IN_ACTIONS: check(out / "actions"),
    }
    samples = interleaved(
        commands,
        repeat=repeat,
        env=clean_env(),
        cwd=work,
        envs={GATE_IN_ACTIONS: clean_env(IN_ACTIONS)},
    )
    for name in (GATE, GATE_IN_ACTIONS):
        if any(s.exit_code not in (0, 1) for s in samples[name]):
            sys.exit(f"{name} could not evaluate (exit {samples[name][0].exit_code})")
    floor_wall = median_wall(samples[FLOOR])
    floor_rss = median_rss(samples[FLOOR])
    rows = []
    met = True
    for name, runs_ in samples.items():
        wall, rss = median_wall(runs_), median_rss(runs_)
        time_ratio, memory_ratio = wall / floor_wall, rss / floor_rss
        if name != FLOOR:
            met = met and time_ratio <= TARGET and memory_ratio <= TARGET
        rows.append(
            (
                name,
                f"{wall:.2f}",
                f"{time_ratio:.2f}x",
                f"{rss / 1024:.0f}",
                f"{memory_ratio:.2f}x",
            )
        )
    headers = ("command", "median wall s", "time vs floor", "peak RSS MiB", "memory vs floor")
    note = (
        f"result: {runs} runs, {size / 1e6:.1f} MB of JSON; reports: summary, JSON, JUnit; "
        f"{environment_note(python)}; median of {repeat} interleaved runs each"
    )
    return f"{table(headers, rows)}\n\n{note}", met


def phases(work: Path, runs: int) -> str:
    """Each step of `check --result-file` in this process (imports excluded but Jinja2's,
    which the first report loads), for the record.

    The cyclic collector is paused, as `check` pauses it. The redaction row is what a run in
    GitHub Actions adds: there a token is always set, and every payload is searched for it
    (the text, for the token as JSON would write it; every string only if it may be there).
    """
    import gc
    import io

    from gate import config
    from gate.check import read_result_file
    from gate.evaluate import evaluate
    from gate.junit import write_junit
    from gate.report import render
    from gate.report_json import write_report_json
    from gate.verdict import Verdict

    try:
        from gate.check import parse_for
    except ImportError:  # an older tree: every run read in full
        from gate.result import parse

        def parse_for(raw: Any, policy: Any) -> Any:
            return parse(raw)

    result = work / "result.json"
    if not result.exists():
        write_result(result, runs)
    (work / "gate.yml").write_text(TYPICAL_CONFIG, encoding="utf-8")
    steps: list[tuple[str, float]] = []

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        steps.append((name, now - started))
        return now

    gc.disable()
    started = time.perf_counter()
    policy = config.load(work / "gate.yml")
    started = step("config: read and validate", started)
    raw = read_result_file(result)
    started = step("result file: read and json.loads", started)
    secrets = [IN_ACTIONS["GITHUB_TOKEN"], IN_ACTIONS["CEKURA_API_KEY"]]
    try:
        from gate.redact import could_hold, redact
    except ImportError:  # an older tree: every string is searched
        from gate.redact import redact

        redact(raw, secrets)
        started = step("(in Actions) redact the token", started)
    else:
        text = result.read_text(encoding="utf-8")
        started = time.perf_counter()  # reading the text again is not part of it
        if could_hold(text, secrets):
            redact(raw, secrets)
        del text
        started = step("(in Actions) redact the token", started)
    parsed = parse_for(raw, policy)
    del raw
    started = step("parse into a Result", started)
    verdict = evaluate(parsed, policy)
    started = step("evaluate", started)
    render(Verdict.could_not_evaluate("warming up"), None)  # the first render loads Jinja2
    started = step("Markdown: import Jinja2, compile the template", started)
    io.StringIO().write(render(verdict, parsed))
    started = step("Markdown summary", started)
    write_report_json(work / "report.json", verdict=verdict, result=parsed)
    started = step("JSON report", started)
    write_junit(work / "junit.xml", verdict=verdict, result=parsed)
    step("JUnit XML", started)
    gc.enable()
    total = sum(seconds for _, seconds in steps)
    rows = [(name, f"{seconds * 1000:.0f}", f"{seconds / total:.0%}") for name, seconds in steps]
    return table(("step (in one process)", "ms", "share"), rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, help="an interpreter with cekura-gate installed")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cekura-gate-bench-") as tmp:
        work = Path(tmp)
        if args.python:
            text, met = run(args.python, work, args.runs, args.repeat)
        else:
            print("installing this tree into a fresh virtualenv...", file=sys.stderr)
            text, met = run(install_fresh(work / "venv"), work, args.runs, args.repeat)
        print(text)
        print(
            f"\ntarget (at most {TARGET:g}x the floor in time and in memory): "
            f"{'met' if met else 'NOT met'}"
        )
        if args.phases:
            print()
            print(phases(work, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
