"""A check's threshold, actual value and failure sentence, worded from its numbers alone."""

from __future__ import annotations

from typing import Any

import pytest

from gate.judge.verdict import Check, Interval, Kind, Level, Outcome, Source, Unit
from gate.publish.words import wording
from gate.result.model import BaselineRef


def make(kind: Kind, outcome: Outcome = Outcome.PASS, **numbers: Any) -> Check:
    return Check(name="x", title="x", level=Level.ERROR, outcome=outcome, kind=kind, **numbers)


RATE = {"unit": Unit.PERCENT, "value": 85.0, "minimum": 90.0, "successes": 17, "runs": 20}


def test_a_rate_with_its_runs_and_interval():
    check = make(
        Kind.SCENARIO,
        **RATE,
        confidence=0.95,
        interval=Interval(0.95, 64.04, 94.76),
    )
    assert wording.threshold(check) == "≥ 90% at 95% confidence"
    assert wording.actual(check) == "85% (17 of 20 runs); 95% CI 64.04–94.76%"


@pytest.mark.parametrize(
    ("kind", "runs", "expected"),
    [
        (Kind.SCENARIO, 1, "100% (1 of 1 run)"),
        (Kind.SCENARIO, 2, "100% (2 of 2 runs)"),
        # the plain success rate has always said "runs"
        (Kind.SUCCESS_RATE, 1, "100% (1 of 1 runs)"),
    ],
)
def test_one_run_or_more(kind, runs, expected):
    check = make(kind, unit=Unit.PERCENT, value=100.0, minimum=90.0, successes=runs, runs=runs)
    assert wording.actual(check) == expected


def test_a_success_rate_from_reported_counts_does_not_claim_listed_runs():
    check = make(Kind.SUCCESS_RATE, **RATE, source=Source.COUNTS)
    assert wording.actual(check) == "85%"
    judged = make(Kind.SUCCESS_RATE, **RATE, source=Source.COUNTS, interval=Interval(0.95, 64, 95))
    assert wording.actual(judged).startswith("85% (17 of 20 runs); 95% CI")


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ((), "0"),
        (("1", "2", "3", "4", "5"), "5 (#1, #2, #3, #4, #5)"),
        (("1", "2", "3", "4", "5", "6"), "6 (#1, #2, #3, #4, #5 …)"),
    ],
)
def test_failed_runs_name_five_ids_at_most(ids, expected):
    check = make(Kind.FAILED_RUNS, unit=Unit.COUNT, value=len(ids), maximum=0, run_ids=ids)
    assert (wording.threshold(check), wording.actual(check)) == ("≤ 0", expected)


def test_counts_read_as_whole_numbers_however_large():
    check = make(Kind.MIN_RUNS, unit=Unit.COUNT, value=2_000_000, minimum=1_000_000)
    assert (wording.threshold(check), wording.actual(check)) == ("≥ 1000000", "2000000")


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        (Kind.SUCCESS_RATE, {}, "not reported"),
        (Kind.FAILED_RUNS, {}, "not measured"),
        (Kind.RUBRIC_RULE, {}, "not reported"),
        (Kind.RUBRIC_ALL_MET, {}, "no rubric rules"),
        (Kind.RUBRIC_ALL_MET, {"unreadable": True}, "unreadable"),
        (Kind.SCENARIO, {}, "no runs"),
        (Kind.METRIC, {}, "not reported"),
        (Kind.BASELINE, {}, "not found"),
        (Kind.REGRESSION, {"baseline_value": 90.0}, "not comparable"),
    ],
)
def test_missing_data_reads_by_kind(kind, extra, expected):
    assert wording.actual(make(kind, Outcome.MISSING, **extra)) == expected


def test_metric_aggregates_say_where_the_value_came_from():
    from_runs = make(Kind.METRIC, unit=Unit.NUMBER, value=891.0, maximum=1000.0, runs=10)
    summary = make(Kind.METRIC, unit=Unit.PERCENT, value=100.0, source=Source.SUMMARY)
    assert wording.actual(from_runs) == "891 (10 runs)"
    assert wording.threshold(from_runs) == "≤ 1000"
    assert wording.actual(summary) == "100% (Cekura's metric summary)"


def test_all_rubric_rules_met():
    check = make(Kind.RUBRIC_ALL_MET, Outcome.FAIL, unit=Unit.COUNT, value=1, minimum=2)
    assert (wording.threshold(check), wording.actual(check)) == ("all met", "1 of 2 met")


def test_the_baseline_found():
    ref = BaselineRef(
        found=True, how="by name", id="1", name="run 1", created_at="2026-07-14T03:00:00Z"
    )
    check = make(Kind.BASELINE, baseline=ref)
    assert (wording.threshold(check), wording.actual(check)) == (
        "found",
        "result 1 (run 1, 2026-07-14)",
    )


def test_a_regression_and_why_it_failed():
    dropped = make(
        Kind.REGRESSION,
        Outcome.FAIL,
        measures=Kind.SUCCESS_RATE,
        unit=Unit.PERCENT,
        minimum=-5.0,
        value=90.0,
        baseline_value=100.0,
        change=-10.0,
    )
    assert wording.threshold(dropped) == "drop ≤ 5 pp"
    assert wording.actual(dropped) == "↓ 10 pp (100% → 90%)"
    assert wording.detail(dropped) == "fell 10 pp, more than the 5 pp allowed"
    rose = make(
        Kind.REGRESSION,
        Outcome.FAIL,
        measures=Kind.METRIC,
        unit=Unit.NUMBER,
        minimum=-1000.0,
        maximum=100.0,
        value=1155.0,
        baseline_value=855.0,
        change=300.0,
    )
    assert wording.threshold(rose) == "drop ≤ 1000 and rise ≤ 100"
    assert wording.detail(rose) == "rose 300, more than the 100 allowed"
    held = make(Kind.REGRESSION, unit=Unit.NUMBER, maximum=100.0, value=1, baseline_value=1)
    assert wording.detail(held) == ""
