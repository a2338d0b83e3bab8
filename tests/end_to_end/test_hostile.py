"""Payloads that are not what they say, over real HTTP: the real command against the simulator.

Each class the gate must never go green on (issue 10): another result's body, runs listed
twice, runs the counts promise but the payload does not list, counts that contradict each
other, and bodies built to exhaust the runner (a gzip bomb, JSON nested 100,000 deep,
integers of 400 and 5,000 digits). For each: the exit code, the kind and words of the
message, the `result-id` output, and that no "internal error" or traceback ever appears.

All scenarios run at once against one simulator; each test reads its own outcome.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

from gate.simulator import catalogue, run_detail
from gate.simulator import payloads as sp
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from tests.cli_runner import clean_env
from tests.gate_harness import (
    CONFIG,
    GateRun,
    check_outputs,
    gate_env,
    gets,
    make_workspace,
    run_all,
    simulator,
)

HUGE = 10**400  # an integer no float can hold
RUBRIC_AND_METRIC_CONFIG = """\
version: 1
thresholds:
  min_runs: 1
  performance_metrics:
    rules:
      - {metric: Latency, max: 1500}
  metrics:
    - {metric: Latency, aggregation: max, max: 1800}
"""
CONFIDENCE_CONFIG = """\
version: 1
thresholds:
  success_rate: {min: 80, confidence: 0.95}
"""


@cache
def bomb() -> bytes:
    """About 1 MB of gzip that inflates to 1 GiB (built once: ~3 s)."""
    return sp.gzip_bomb(2**30)


def three_runs(*, copies: int = 1) -> dict[str, Any]:
    """Two runs that succeed and one that fails (66.7%), the successes listed `copies` times."""
    runs = [
        run_detail.make_run(1, scenario_id=1, scenario_name="Greets", success=True),
        run_detail.make_run(2, scenario_id=2, scenario_name="Books", success=True),
        run_detail.make_run(3, scenario_id=3, scenario_name="Cancels", success=False),
    ]
    listed = [run for run in runs[:2] for _ in range(copies)] + runs[2:]
    result = sp.make_result(1, runs=runs, counts_as_strings=False)
    return result | {"runs": listed}


def counts_only(runs: Any, total: int = 5, success: int = 5, rate: float = 100) -> dict:
    payload = catalogue.demo_result(1) | {
        "total_runs_count": total,
        "success_runs_count": success,
        "success_rate": rate,
    }
    if runs is None:
        payload.pop("runs")
    else:
        payload["runs"] = runs
    return payload


def huge_latency() -> dict[str, Any]:
    """Every Latency value (runs, rubric, summary) an integer of 401 digits."""
    payload = catalogue.demo_result(1)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Latency" in (node.get("name"), node.get("metric_name")):
                for key in ("score", "value", "p50"):
                    if key in node:
                        node[key] = HUGE
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    return payload | {"completed_runs_count": HUGE}


def raw(payload: dict[str, Any], **replace: bytes) -> bytes:
    """`payload` as JSON bytes, with the value of each key in `replace` swapped for raw text."""
    text = json.dumps(payload | {key: f"@@{key}@@" for key in replace}).encode()
    for key, value in replace.items():
        text = text.replace(f'"@@{key}@@"'.encode(), value)
    return text


@dataclass
class Case:
    name: str
    code: int
    kind: str = ""  # the error kind in the summary and the log (exit 3)
    says: tuple[str, ...] = ()  # in the summary (backslashes removed)
    payload: Callable[[], dict] = lambda: catalogue.demo_result(1)
    faults: Callable[[str, str], list[Fault]] = lambda rid, other: []
    config: str = CONFIG
    gets: tuple[int, int] = (1, 1)
    report_notes: tuple[str, ...] = ()  # in the JSON report's notes
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    # -- 1. the answer is the result asked for -------------------------------------------------
    Case(
        "another result's body",
        3,
        kind="wrong result",
        says=("was asked for result <rid> and answered with result <other>",),
        faults=lambda rid, other: [Fault.result_of(other)],
    ),
    Case(
        "a body that carries no id",
        3,
        kind="wrong result",
        says=("answered with a result that carries no id",),
        faults=lambda rid, other: [
            Fault.json({k: v for k, v in catalogue.demo_result(1).items() if k != "id"})
        ],
    ),
    Case(
        "another result's body while running, then the right one",
        0,
        says=("Cekura gate passed",),
        faults=lambda rid, other: [
            Fault.json({"id": other, "status": "running", "runs": {}}),
            Fault.ok(),
        ],
        gets=(2, 2),
    ),
    # -- 2. runs are counted once and never invented -------------------------------------------
    Case(
        "each success listed ten times (95% listed, 66.7% real)",
        1,
        payload=lambda: three_runs(copies=10),
        says=("**66.67%** (2/3)", "18 duplicate runs dropped"),
        report_notes=("18 duplicate runs dropped",),
    ),
    Case(
        "runs {} while the counts say 5 of 5",
        1,
        payload=lambda: counts_only({}),
        says=("**0%** (0/5)",),
        report_notes=("the 5 not listed count as not succeeded",),
    ),
    Case(
        "runs [] while the counts say 5 of 5",
        1,
        payload=lambda: counts_only([]),
        says=("**0%** (0/5)",),
    ),
    Case(
        "no runs key: the counts decide",
        0,
        payload=lambda: counts_only(None),
        says=("Cekura gate passed", "100%"),
    ),
    Case(
        "150 successes of 100 runs, with confidence",
        1,
        payload=lambda: counts_only(None, total=100, success=150, rate=100),
        config=CONFIDENCE_CONFIG,
        says=("not reported",),
        report_notes=("success_runs_count 150 is more than total_runs_count 100",),
    ),
    Case(
        "a reported rate of 150 without counts",
        1,
        payload=lambda: (
            {
                k: v
                for k, v in counts_only(None, rate=150).items()
                if k not in ("total_runs_count", "success_runs_count")
            }
            | {"total_runs_count": 5}
        ),
        says=("not reported",),
    ),
    # -- 3. hostile input is bounded and named -------------------------------------------------
    Case(
        "a gzip-encoded answer",
        0,
        says=("Cekura gate passed",),
        faults=lambda rid, other: [Fault.gzip()],
    ),
    Case(
        "a gzip bomb (1 MB inflating to 1 GiB)",
        3,
        kind="response too large",
        says=("over 256 MiB once decompressed (gzip)", "the gate reads in one answer"),
        faults=lambda rid, other: [Fault.raw(bomb(), {"Content-Encoding": "gzip"})],
    ),
    Case(
        "a Content-Length over the cap",
        3,
        kind="response too large",
        says=("a body of 300,000,000 bytes (Content-Length)",),
        faults=lambda rid, other: [
            Fault.raw(b'{"id": 1, "status": "completed"}', {"Content-Length": "300000000"})
        ],
    ),
    Case(
        "JSON nested 100,000 deep",
        3,
        kind="unreadable result",
        says=("nested more deeply than the gate reads",),
        faults=lambda rid, other: [Fault.raw(sp.deeply_nested(100_000, result_id=int(rid)))],
    ),
    Case(
        "performance_metrics nested 900 deep",
        1,
        says=("Rubric rules met", "no recognisable metric name"),
        faults=lambda rid, other: [
            Fault.raw(
                raw(
                    catalogue.demo_result(1) | {"id": int(rid)},
                    performance_metrics=b"[" * 900 + b"]" * 900,
                )
            )
        ],
    ),
    Case(
        "an integer of 5,000 digits",
        3,
        kind="unreadable result",
        says=("JSON the gate cannot read", "integer string conversion"),
        faults=lambda rid, other: [
            Fault.raw(
                raw(catalogue.demo_result(1) | {"id": int(rid)}, total_runs_count=b"7" * 5000)
            )
        ],
    ),
    Case(
        "Latency values of 401 digits",
        1,
        payload=huge_latency,
        config=RUBRIC_AND_METRIC_CONFIG,
        says=("Rubric: Latency", "has no aggregated value", "Latency: max"),
    ),
    Case(
        "an error body nested 100,000 deep",
        3,
        kind="API key refused",
        says=("HTTP 403",),
        faults=lambda rid, other: [Fault.raw(sp.deeply_nested(100_000), code=403)],
    ),
    Case(
        "an error body nested 900 deep",
        3,
        kind="API key refused",
        says=("HTTP 403",),
        faults=lambda rid, other: [
            Fault.raw(b'{"detail": ' + b"[" * 900 + b"]" * 900 + b"}", code=403)
        ],
    ),
]


@dataclass
class Outcome:
    case: Case
    run: GateRun
    rid: str
    other: str
    requests: list[Any]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> Iterator[dict[str, Outcome]]:
    with simulator() as sim:
        other = sim.add_result(catalogue.demo_result(1) | {"id": 7999}, progress_seconds=0)
        plan, runs = [], []
        for n, case in enumerate(CASES):
            rid = sim.add_result(case.payload() | {"id": 7100 + n}, progress_seconds=0)
            sim.script(rid, case.faults(rid, other))
            workspace = make_workspace(tmp_path_factory.mktemp(f"hostile{n}"), config=case.config)
            plan.append((case, rid))
            runs.append((workspace, ("--result-id", rid), gate_env(workspace, api_url=sim.url)))
        finished = run_all(runs, at_once=6)
        yield {
            case.name: Outcome(case, run, rid, other, gets(sim, rid))
            for (case, rid), run in zip(plan, finished, strict=True)
        }


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile(outcomes, name):
    outcome = outcomes[name]
    case, run, rid = outcome.case, outcome.run, outcome.rid
    context = f"{name}: exit {run.returncode}\n{run.stdout}\n{run.stderr}\n{run.summary}"
    summary = run.summary.replace("\\", "").replace("\u00a0", " ")  # escapes, no-break spaces

    assert run.returncode == case.code, context
    assert "internal error" not in run.log + summary, context
    assert "This is a bug" not in run.log + summary, context
    for text in case.says:
        text = text.replace("<rid>", rid).replace("<other>", outcome.other)
        assert text in summary, f"summary lacks {text!r}: {context}"
    if case.kind:
        assert f"cekura-gate: {case.kind}: " in run.stderr, context
        assert f"What happened ({case.kind})" in summary, context
    outputs = check_outputs(run)
    assert outputs["verdict"] == {0: "pass", 1: "fail", 3: "error"}[case.code]
    assert outputs["result-id"] == rid, "the result-id output is the id asked for"
    report = json.loads(run.file("report.json"))
    assert report["exit_code"] == case.code
    assert report["result"]["id"] == rid
    for text in case.report_notes:
        assert any(text in note for note in report["notes"]), report["notes"]
    low, high = case.gets
    assert low <= len(outcome.requests) <= high, f"{len(outcome.requests)} GETs: {context}"
    run.check_no_leak()


def test_a_started_run_answered_with_another_result_is_not_judged(tmp_path):
    """The run the gate starts is polled by the id Cekura gave; another body is exit 3."""
    with simulator(progress_seconds=0) as sim:
        other = sim.add_result(catalogue.demo_result(1) | {"id": 8100})
        started = sim.next_result_id
        sim.script(started, [Fault.result_of(other)])
        workspace = make_workspace(tmp_path)
        env = gate_env(workspace, api_url=sim.url)
        run = run_all([(workspace, ("--agent-id", "1", "--scenarios", "11541"), env)])[0]
    context = f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert run.returncode == 3, context
    assert f"asked for result {started} and answered with result {other}" in run.stderr
    assert check_outputs(run)["result-id"] == started
    assert json.loads(run.file("report.json"))["result"]["id"] == started


def test_a_gzip_bomb_stops_at_the_cap_within_bounded_memory(tmp_path):
    """1 MB of gzip inflating to 1 GiB: refused at 256 MiB, the process peaking well below
    the 1 GiB it would take to read it whole (figures: README, Performance)."""
    with Simulator(api_key=None, progress_seconds=0) as sim:
        rid = sim.add_result(catalogue.demo_result(1) | {"id": 8200})
        sim.script(rid, [Fault.raw(bomb(), {"Content-Encoding": "gzip"})])
        started = time.monotonic()
        with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "gate", "check", "--result-id", rid],
                cwd=tmp_path,
                env=clean_env({"CEKURA_API_KEY": "k" * 12, "CEKURA_API_URL": sim.url}),
                stdout=out,
                stderr=err,
            )
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - started
    stderr = (tmp_path / "err").read_text()
    peak_mib = usage.ru_maxrss / 1024  # Linux: kilobytes
    assert proc.returncode == 3, stderr
    assert "cekura-gate: response too large: " in stderr
    assert peak_mib < 450, f"peak {peak_mib:.0f} MiB"
    assert elapsed < 30, f"took {elapsed:.1f} s"
