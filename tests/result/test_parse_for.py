"""What the check reads of a result (gate.check.parse_for) decides and reports exactly as the
whole result does.

Under a policy without metric aggregates the check skips the details of runs that succeeded
(their metrics, expected outcome, links; most of the parsing). Nothing it writes may change:
verdict, Markdown report, JSON report and JUnit file are compared with those of a full parse,
for fuzzed payloads and for policies with and without metric thresholds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.errors import PayloadError
from gate.flow.judging import parse_for
from gate.judge.evaluate import evaluate
from gate.policy import config, model
from gate.publish.junit import junit_text
from gate.publish.pages import markdown as report
from gate.publish.report_json import build_report
from gate.result.parsing import parse
from tests.property import test_fuzz

ROOT = Path(__file__).resolve().parents[2]
POLICIES = [
    model.DEFAULT_POLICY,
    *(
        config.load(path)
        for path in sorted((ROOT / "examples").glob("*.yml"))
        if path.read_text(encoding="utf-8").startswith("version: 1")
    ),
    config.parse(
        "version: 1\nthresholds:\n  success_rate: {min: 95, confidence: 0.9}\n"
        "  scenarios: [{name: Book appointment, min_success_rate: 99}]\n"
        "  metrics:\n    - {metric: Latency, aggregation: p90, max: 1000}\n"
        "    - {metric: expected_outcome, aggregation: mean, min: 90}\n",
        name="gate.yml",
    ),
]


def same_outputs(raw: object, policy: model.Policy) -> None:
    try:
        whole = parse(raw)
    except PayloadError:
        return
    lean = parse_for(raw, policy)
    verdict = evaluate(whole, policy)
    assert evaluate(lean, policy) == verdict
    assert report.render(verdict, lean) == report.render(verdict, whole)
    assert build_report(verdict=verdict, result=lean) == build_report(verdict=verdict, result=whole)
    assert junit_text(verdict=verdict, result=lean) == junit_text(verdict=verdict, result=whole)


def test_policies_cover_both_ways_of_reading() -> None:
    wants = {bool(p.metrics or p.regression.metrics) for p in POLICIES}
    assert wants == {True, False}


@pytest.mark.parametrize("runs", [30, 400])
def test_a_large_realistic_result(runs: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import payload
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    raw = payload.make_result(runs, seed=runs)
    for policy in POLICIES:
        same_outputs(raw, policy)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    raw=st.one_of(test_fuzz.SCHEMA_PAYLOADS, test_fuzz.mutated()),
    policy=st.sampled_from(POLICIES),
)
def test_fuzzed_results(raw: object, policy: model.Policy) -> None:
    same_outputs(raw, policy)
