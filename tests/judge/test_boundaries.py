"""Every bound tested where it bites: exactly on it, and one run or one step past it.

Each case of tests/boundary_cases.py runs through the real evaluation (gate.result.parsing.parse,
then gate.judge.evaluate.evaluate) with its exact verdict, outcome and value; a selection runs
through the real command against the simulator over HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.publish.words.wording import actual, verdict_reason
from gate.simulator.server import Simulator
from tests.boundary_cases import BASELINE_ID, CASES, ERROR, FAIL, PASS, judged
from tests.gate_harness import API_KEY, gate_env, make_workspace, run_all


@pytest.mark.parametrize("name", list(CASES))
def test_boundary(name):
    case = CASES[name]
    verdict = judged(case)
    checks = {c.name: c for c in verdict.checks}
    assert verdict.kind is case.kind, [(c.name, c.outcome, actual(c)) for c in verdict.checks]
    if case.outcome is not None:
        check = checks[case.check]
        assert (check.outcome, actual(check)) == (case.outcome, case.actual)
    if case.kind is FAIL:
        assert case.check in {c.name for c in verdict.failed_checks}
    if case.kind is ERROR:
        assert verdict_reason(verdict)


# -- end to end ---------------------------------------------------------------------------

#: one case of each kind, through the real command (each costs a process)
END_TO_END = [
    "199 of 200 under the default 100%",
    "9 of 10 against 91%",
    "10 of 11 against 90.9%",
    "rubric value just above the max",
    "metric max on the bound",
    "pass_rate on a max, inconclusive at error",
    "0 of 1 with confidence, inconclusive at error",
    "a rate and a run count, no success count, inconclusive at error",
    "20 runs listed of 25 counted, with confidence, inconclusive at error",
    "success_rate 150 and nothing else",
    "no success of 10 runs, success_rate 100",
    'success "true" (a string) is read as true',
    "a drop exactly at max_drop",
    "a drop one run past max_drop",
    "a success-rate regression that is not comparable",
    "more successes than runs, with confidence",
]


def through_the_command(tmp_path: Path, names: list[str]) -> None:
    """The real command waits on each result over HTTP; the exit code and the outputs."""
    with Simulator(api_key=API_KEY, progress_seconds=0) as sim:
        jobs = []
        for n, name in enumerate(names):
            case = CASES[name]
            text = case.config
            if case.baseline is not None:
                baseline_id = sim.add_result(case.baseline | {"id": 7000 + n})
                text = text.replace(str(BASELINE_ID), baseline_id)
            rid = sim.add_result(case.payload | {"id": 5000 + n})
            config_text = f"version: 1\n{text}" if text else None
            workspace = make_workspace(tmp_path / str(n), config=config_text)
            jobs.append((workspace, ("--result-id", rid), gate_env(workspace, api_url=sim.url)))
        done = run_all(jobs, at_once=4)
    exit_code = {PASS: 0, FAIL: 1, ERROR: 3}
    for name, (_, (_, rid), _), run in zip(names, jobs, done, strict=True):
        case = CASES[name]
        assert run.returncode == exit_code[case.kind], (name, run.log)
        assert run.outputs["verdict"] == case.kind.value, name
        assert run.outputs["result-id"] == rid, name
        run.check_no_leak(sims=[sim])


def test_boundaries_end_to_end(tmp_path: Path):
    through_the_command(tmp_path, END_TO_END)
