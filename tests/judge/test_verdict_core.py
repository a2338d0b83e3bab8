"""The verdict core on its edges: tolerances, interval bounds, fallbacks and the scenario table.

Each test pins a behaviour that a one-character change to gate/judge/evaluate.py, judge.py,
stats.py, compare.py, verdict.py, result.py or aggregate.py would alter unnoticed by the
broader tests (python -m tests.mutation finds such changes; README, "The tests").
"""

from __future__ import annotations

import dataclasses

import pytest

from gate.judge import stats
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Outcome, VerdictKind
from gate.policy import config, model
from gate.publish.words import display
from gate.publish.words.wording import actual, detail
from gate.result.model import Baseline
from gate.result.notes import Note, Noted
from gate.result.parsing import parse
from tests.boundary_cases import adherence_runs, latency_runs, result, rubric, runs


def policy(text: str) -> model.Policy:
    return config.parse(f"version: 1\n{text}", name="gate.yml")


def check(raw: dict, text: str, name: str, *, baseline: dict | None = None):
    found = Baseline(how="the baseline", result=parse(baseline)) if baseline else None
    verdict = evaluate(parse(raw), policy(text), baseline=found)
    return verdict, {c.name: c for c in verdict.checks}[name]


# -- tolerances: a rate or value within 1e-9 of its bound is on it, and no further ----------------

RATE = "thresholds:\n  success_rate: {min: %s}\n"
SCENARIO = "thresholds:\n  scenarios: [{id: 1, min_success_rate: %s}]\n"
PASS_RATE_MAX = "thresholds:\n  metrics: [{metric: Adherence, aggregation: pass_rate, max: %s}]\n"
METRIC = "thresholds:\n  metrics: [{metric: Latency, aggregation: %s}]\n"


@pytest.mark.parametrize(("text", "name"), [(RATE, "success_rate"), (SCENARIO, "scenarios[1]")])
def test_a_rate_within_the_tolerance_of_its_minimum_holds(text, name):
    # 9 of 10 is 90%; 90.000000001 - 1e-9 is exactly 90.0 in floating point
    assert check(result(runs=runs(9, 10)), text % "90.000000001", name)[1].held
    assert not check(result(runs=runs(9, 10)), text % "90.00000001", name)[1].held


def test_a_rate_within_the_tolerance_of_its_maximum_holds():
    raw = result(runs=adherence_runs(1, 10))  # 10%
    assert check(raw, PASS_RATE_MAX % "9.999999999", "metrics[Adherence].pass_rate")[1].held
    assert not check(raw, PASS_RATE_MAX % "9.99999999", "metrics[Adherence].pass_rate")[1].held


@pytest.mark.parametrize(
    ("aggregation", "held", "missed"),
    [
        ("min, min: %s", "100.000000001", "100.00000001"),
        ("max, max: %s", "1499.999999999", "1499.99999999"),
    ],
)
def test_a_metric_within_the_tolerance_of_its_bound_holds(aggregation, held, missed):
    raw = result(runs=latency_runs(100, 1500))
    name = f"metrics[Latency].{aggregation.split(',')[0]}"
    assert check(raw, METRIC % (aggregation % held), name)[1].held
    assert not check(raw, METRIC % (aggregation % missed), name)[1].held


# -- confidence: the interval's bounds against percent thresholds --------------------------------

CONFIDENT_PASS_RATE = (
    "thresholds:\n  metrics: [{metric: Adherence, aggregation: pass_rate, %s, confidence: 0.95}]\n"
)


@pytest.mark.parametrize(
    ("passed", "bound", "outcome"),
    [
        # 29 of 30: 95% interval 83.33-99.41%
        (29, "min: 83", Outcome.PASS),
        (29, "min: 83.4", Outcome.INCONCLUSIVE),
        # 0 of 30: 95% interval 0-11.35%
        (0, "max: 11.4", Outcome.PASS),
        (0, "max: 11.3", Outcome.INCONCLUSIVE),
    ],
)
def test_confidence_compares_the_interval_with_the_threshold_in_percent(passed, bound, outcome):
    raw = result(runs=adherence_runs(passed, 30))
    _, found = check(raw, CONFIDENT_PASS_RATE % bound, "metrics[Adherence].pass_rate")
    assert found.outcome is outcome


CONFIDENT = "thresholds:\n  success_rate: {min: %s, confidence: 0.95, inconclusive_level: error}\n"


def test_a_reported_rate_implies_its_successes_rounded_down():
    # 99% of 100 runs is 99 of 100 (95% interval 94.55-99.82%): short of 95 at error level
    verdict, found = check(
        result(total_runs_count=100, success_rate=99), CONFIDENT % 95, "success_rate"
    )
    assert (found.outcome, verdict.kind) == (Outcome.INCONCLUSIVE, VerdictKind.FAIL)
    assert actual(found).startswith("99% (99 of 100 runs)")
    # 89.9999999% of 10 runs is 8 of them, not 9
    _, found = check(
        result(total_runs_count=10, success_rate=89.9999999), CONFIDENT % 50, "success_rate"
    )
    assert "(8 of 10 runs)" in actual(found)


def test_with_confidence_and_no_rate_at_all_the_rate_is_missing():
    verdict, found = check(result(total_runs_count=10), CONFIDENT % 50, "success_rate")
    assert (found.outcome, actual(found), verdict.kind) == (
        Outcome.MISSING,
        "not reported",
        VerdictKind.FAIL,
    )


def test_a_pass_rate_from_the_summary_says_it_has_no_interval():
    raw = result(
        runs=runs(1, 1),
        overall_evaluation={
            "metric_summary": {"9": {"name": "Adherence", "type": "binary", "score": 5}}
        },
    )
    _, found = check(raw, CONFIDENT_PASS_RATE % "min: 50", "metrics[Adherence].pass_rate")
    assert (found.outcome, actual(found)) == (Outcome.PASS, "100% (Cekura's metric summary)")
    assert detail(found) == "from Cekura's summary: no run counts, so no confidence interval"
    _, found = check(
        raw,
        "thresholds:\n  metrics: [{metric: Adherence, aggregation: pass_rate, min: 50}]\n",
        "metrics[Adherence].pass_rate",
    )
    assert detail(found) == ""


# -- the default policy and an empty rubric ---------------------------------------------------


def test_the_default_policy_skips_an_empty_rubric():
    for empty in ([], {}, None):
        verdict = evaluate(
            parse(result(runs=runs(3, 3), performance_metrics=empty)), model.DEFAULT_POLICY
        )
        assert verdict.kind is VerdictKind.PASS
        assert [c.name for c in verdict.checks] == ["min_runs", "success_rate"]


# -- the scenario table: worst first, matched by id, else by name --------------------------------


def scenario_runs(outcomes: list[tuple[int | None, str, bool]]) -> list[dict]:
    out = []
    for n, (sid, name, ok) in enumerate(outcomes):
        scenario = {"id": sid, "name": name} if sid is not None else None
        out.append(
            {
                "id": 100 + n,
                "scenario": scenario,
                "scenario_name": name,
                "status": "completed",
                "success": ok,
            }
        )
    return out


def test_scenarios_are_listed_worst_first_with_their_checks():
    raw = result(
        runs=scenario_runs(
            [
                (1, "Book", True),
                (1, "Book", False),
                (2, "Cancel", True),
                (3, "Triage", True),
                (3, "Triage", False),
                (None, "Greet", False),
                (4, "Alpha", True),
            ]
        )
    )
    text = (
        "thresholds:\n"
        "  scenarios: [{id: 3, min_success_rate: 50}, {name: book, min_success_rate: 60}]\n"
    )
    verdict = evaluate(parse(raw), policy(text))
    rows = [(r.name, r.runs, r.passed, r.check, r.outcome) for r in verdict.scenarios]
    assert rows == [
        # checked and not held first, then by rate, then by name
        ("Book", 2, 1, "scenarios[book]", Outcome.FAIL),
        ("Greet", 1, 0, "", None),
        ("Triage", 2, 1, "scenarios[3]", Outcome.PASS),
        ("Alpha", 1, 1, "", None),
        ("Cancel", 1, 1, "", None),
    ]


def test_scenario_baselines_match_by_id_else_by_name():
    now = result(
        runs=scenario_runs([(1, "Book", True), (2, "Renamed", True), (None, "Greet", True)])
    )
    before = result(
        id=9001,
        runs=scenario_runs(
            [(1, "Book", False), (2, "Cancel", False), (None, "greet", False), (7, "Renamed", True)]
        ),
    )
    text = "baseline: {result_id: 9001}\nthresholds:\n  success_rate: {min: 0}\n"
    verdict = evaluate(parse(now), policy(text), baseline=Baseline(how="b", result=parse(before)))
    rates = {r.name: r.baseline_rate for r in verdict.scenarios}
    assert rates == {"Book": 0.0, "Renamed": 0.0, "Greet": 0.0}


# -- stats: the interval, the decision on its bounds, and how many runs decide -----------------


def test_z_value_refuses_confidences_outside_zero_and_one():
    assert stats.z_value(0.5) == pytest.approx(0.6744897501960817)
    for outside in (0.0, 1.0, 1.5, -0.5):
        with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
            stats.z_value(outside)


def test_wilson_clamps_a_proportion_outside_zero_and_one():
    assert stats.wilson(15, 10, 0.95) == stats.wilson(10, 10, 0.95)
    assert stats.wilson(-3, 10, 0.95) == stats.wilson(0, 10, 0.95)
    assert stats.wilson(0, -1, 0.95) == stats.Interval(0.0, 1.0, 0.95)


def test_an_interval_is_a_value_that_cannot_change():
    interval = stats.wilson(9, 10, 0.95)
    with pytest.raises(AttributeError, match="immutable"):
        interval.low = 0.0  # type: ignore[misc]
    assert not hasattr(interval, "__dict__")


LOW, HIGH = stats.wilson(29, 30, 0.95).low, stats.wilson(29, 30, 0.95).high


@pytest.mark.parametrize(
    ("minimum", "maximum", "decision"),
    [
        # within 1e-12 of a bound is on it; 5e-12 past it is not
        (LOW + 1e-12, None, stats.Decision.PASS),
        (LOW + 5e-12, None, stats.Decision.INCONCLUSIVE),
        (HIGH + 1e-12, None, stats.Decision.INCONCLUSIVE),
        (HIGH + 5e-12, None, stats.Decision.FAIL),
        (None, HIGH - 1e-12, stats.Decision.PASS),
        (None, HIGH - 5e-12, stats.Decision.INCONCLUSIVE),
        (None, LOW - 1e-12, stats.Decision.INCONCLUSIVE),
        (None, LOW - 5e-12, stats.Decision.FAIL),
    ],
)
def test_decide_on_the_bounds_of_the_interval(minimum, maximum, decision):
    assert stats.decide(29, 30, 0.95, minimum=minimum, maximum=maximum)[0] is decision


@pytest.mark.parametrize(
    ("rate", "minimum", "maximum", "needed"),
    [
        (0.7, 0.8, None, 62),  # below a minimum: until the interval's top is under it
        (0.1, None, 0.2, 62),  # under a maximum
        (0.3, None, 0.2, 62),  # over a maximum: until the interval's bottom is above it
        (0.5, 0.4, 0.6, 93),  # between both
        (1.0, 0.01, None, 1),  # one run decides
        (0.5, 0.0, None, 1),  # a 0% minimum: the first run, not none
        (0.5, 0.49956, None, 4_960_558),  # millions, still under the limit
        (0.5, 0.49986, None, None),  # about 50 million: beyond MAX_RUNS
        (0.5, None, 0.5, None),  # on a maximum
        (0.0, None, 0.0, None),  # a 0% maximum can never be proven
    ],
)
def test_runs_needed(rate, minimum, maximum, needed):
    assert stats.runs_needed(rate, 0.95, minimum=minimum, maximum=maximum) == needed


# -- compare: regressions on their tolerance, and deltas only where both values exist -----------

RULE_CHANGE = (
    "baseline: {result_id: 9001}\n"
    "thresholds:\n  regression:\n    rules: [{metric: Latency, max_drop: 200, max_increase: 200}]\n"
)


@pytest.mark.parametrize(
    ("now", "held"),
    [
        (799.999999999, True),  # fell 200 + 1e-9: on the bound
        (1200.000000001, True),  # rose 200 + 1e-9
        (799.99999, False),
        (1200.00001, False),
    ],
)
def test_a_regression_on_its_tolerance_holds(now, held):
    before = result(id=9001, runs=runs(1, 1), performance_metrics=rubric(1000))
    raw = result(runs=runs(1, 1), performance_metrics=rubric(now))
    assert check(raw, RULE_CHANGE, "baseline.rules[Latency]", baseline=before)[1].held is held


DELTAS = (
    "baseline: {result_id: 9001}\n"
    "thresholds:\n"
    "  success_rate: {min: 0}\n"
    "  failed_workflow_runs: {max: 5}\n"
    "  scenarios: [{id: 1, min_success_rate: 0}, {id: 2, min_success_rate: 0}]\n"
)


def test_deltas_are_shown_only_where_both_results_have_the_value():
    now = result(
        runs=scenario_runs([(1, "Book", True), (2, "Cancel", False)]),
        failed_workflow_runs=["101"],
    )
    before = result(id=9001, runs=scenario_runs([(1, "Book", False)]), failed_workflow_runs=[])
    verdict = evaluate(parse(now), policy(DELTAS), baseline=Baseline(how="b", result=parse(before)))
    deltas = {c.name: (display.was(c), display.delta(c)) for c in verdict.checks}
    assert deltas["success_rate"] == ("0%", "↑ 50 pp")
    assert deltas["failed_workflow_runs"] == ("0", "↑ 1")
    assert deltas["scenarios[1]"] == ("0%", "↑ 100 pp")
    assert deltas["scenarios[2]"] == ("", "")  # not in the baseline
    # a baseline that did not measure failed workflow runs, and has no rate at all
    before = result(id=9001, total_runs_count=2, failed_workflow_runs=None)
    verdict = evaluate(parse(now), policy(DELTAS), baseline=Baseline(how="b", result=parse(before)))
    deltas = {c.name: (display.was(c), display.delta(c)) for c in verdict.checks}
    assert deltas["success_rate"] == deltas["failed_workflow_runs"] == ("", "")
    assert deltas["scenarios[1]"] == deltas["scenarios[2]"] == ("", "")
    assert verdict.kind is VerdictKind.PASS


# -- verdict: values that cannot change ------------------------------------------------------


def test_the_verdict_and_its_parts_cannot_change():
    from gate.judge.verdict import Check, Level, ScenarioRow, Verdict
    from gate.result.model import BaselineRef

    parts = [
        Check("c", "C", "≥ 1", "1", Level.ERROR, Outcome.PASS),
        BaselineRef(found=False, how="none"),
        ScenarioRow(name="S", scenario_id=None, runs=0, passed=0),
        Verdict.could_not_evaluate("why"),
    ]
    for part in parts:
        with pytest.raises(AttributeError):  # a frozen dataclass's or Struct's refusal
            setattr(part, _first_field(part), "changed")
        assert not hasattr(part, "__dict__"), type(part)
    assert parts[2].rate == 0.0  # no runs: 0%, not a division by zero


# -- result: what cannot be read is left out, never guessed ----------------------------------


def test_an_unreadable_metric_summary_is_no_summary():
    for summary in ("not JSON", "[1, 2]", 42, {"metric_summary": "x"}):
        raw = result(runs=latency_runs(900), overall_evaluation=summary)
        verdict, found = check(raw, METRIC % "max, max: 1000", "metrics[Latency].max")
        assert (verdict.kind, actual(found)) == (VerdictKind.PASS, "900 (1 run)")
        assert parse(raw).metric_summary == ()


def test_rubric_flags_sent_as_strings():
    raw = result(
        runs=runs(1, 1),
        performance_metrics=[
            {"metric_name": "Latency", "value": 900, "passed": "false"},
            {"metric_name": "Tone", "value": 4, "met": " TRUE "},
        ],
    )
    verdict = evaluate(parse(raw), model.DEFAULT_POLICY)
    assert [r.met for r in parse(raw).performance_metrics] == [False, True]
    assert verdict.kind is VerdictKind.FAIL
    assert {c.name: actual(c) for c in verdict.checks}["performance_metrics.require_all_met"] == (
        "1 of 2 met"
    )


@pytest.mark.parametrize(
    ("rate", "total", "succeeded", "percent"),
    [
        (0, 10, 0, 0.0),
        (-0.5, 10, None, None),  # no negative rates
        (1.0, 10, 10, 100.0),  # a fraction: the counts agree with 100%
        (1.0, 10, 0, 1.0),  # 1%: the counts agree with that
        (1.5, 10, 10, 1.5),  # above 1: always percent
        (0.5, 10, 5, 50.0),
        (0.5, 0, None, 0.5),  # no counts to decide by: percent
        (0.1, 10, None, 0.1),  # no success count: as if none succeeded
        (1.0, 200, 101, 1.0),  # 50.5% is exactly as far from 1% as from 100%: percent
        (1.0, 200, 102, 100.0),  # 51% is nearer 100%: a fraction
        (100, 10, None, 100.0),
        (99.5, 10, None, 99.5),
        (100.5, 10, None, None),  # over 100: no rate
    ],
)
def test_the_reported_rate_and_its_scale(rate, total, succeeded, percent):
    raw = {"status": "completed", "success_rate": rate, "total_runs_count": total}
    if succeeded is not None:
        raw["success_runs_count"] = succeeded
    assert parse(raw).reported_success_rate == percent


def test_failed_reasons_and_the_ai_summary():
    issues = {"issues": [{"description": "Dropped call"}, {"description": ""}, "x", {"id": 1}]}
    assert parse(result(failed_reasons=issues)).failed_reasons == ("Dropped call",)
    assert parse(result(failed_reasons=["a", "", None, 3])).failed_reasons == ("a", "3")
    assert parse(result(failed_reasons="free text")).failed_reasons == ()
    summary = {"what_happened": "It hung up.", "why_it_happened": "", "how_to_fix": "Retry."}
    assert parse(result(ai_summary=summary)).ai_summary == "It hung up.\nRetry."
    assert parse(result(ai_summary="Plain.")).ai_summary == "Plain."
    assert parse(result(ai_summary=None)).ai_summary == ""


def test_id_lists_as_json_text():
    assert parse(result(failed_workflow_runs='[1, {"id": 2}]')).failed_workflow_runs == ("1", "2")
    assert parse(result(failed_workflow_runs="not JSON")).failed_workflow_runs is None
    assert parse(result(failed_workflow_runs='{"id": 1}')).failed_workflow_runs is None


def test_the_metric_summary_in_every_shape():
    overall = {
        "metric_summary": [
            {
                "name": "Latency",
                "type": "numeric",
                "value": 810,
                "p90": 900,
                "percentiles": {"p90": 950, "p50": 800},
            },
            {"name": "", "score": 1},
            "not an entry",
        ],
        "numeric_metrics": [
            {"name": "Pickup", "eval_type": "binary_workflow_adherence", "score": 4}
        ],
        "extra_metrics": [{"name": "Tone", "type": "Continuous_Qualitative", "score": "4.5"}],
    }
    expected = (
        ("Latency", "numeric", 810.0, (("p50", 800.0), ("p90", 950.0))),
        ("Pickup", "binary", 4.0, ()),
        ("Tone", "continuous_qualitative", 4.5, ()),
    )
    for shape in (overall, __import__("json").dumps(overall)):
        found = parse(result(overall_evaluation=shape)).metric_summary
        assert tuple((m.name, m.kind, m.score, m.percentiles) for m in found) == expected
    odd = {"metric_summary": {"1": {"name": "X", "type": "weird"}}}
    assert [(m.kind, m.score) for m in parse(result(overall_evaluation=odd)).metric_summary] == [
        ("", None)
    ]


@pytest.mark.parametrize(
    ("rubric_value", "rules", "error"),
    [
        (None, None, ""),
        ("  ", None, ""),
        ("{bad", None, "performance_metrics is a string that is not JSON"),
        ({}, (), ""),
        ([], (), ""),
        ({"metric_name": "Latency", "value": 900}, (("Latency", 900.0, None),), ""),
        ({"Latency": 1200, "Tone": True}, (("Latency", 1200.0, None), ("Tone", None, True)), ""),
        ({"Latency": {"value": 5, "met": "true"}}, (("Latency", 5.0, True),), ""),
        (7, None, "performance_metrics has an unexpected type (int)"),
        ([1200], None, "performance_metrics entry 1200 has no recognisable metric name"),
    ],
)
def test_rubric_rules_in_every_shape(rubric_value, rules, error):
    parsed = parse(result(performance_metrics=rubric_value))
    found = parsed.performance_metrics
    shown = None if found is None else tuple((r.metric, r.value, r.met) for r in found)
    assert (shown, parsed.performance_metrics_error) == (rules, error)


def test_metric_explanations_are_joined():
    def explained(explanation):
        metric = {
            "name": "Tone",
            "eval_type": "binary",
            "passed": False,
            "explanation": explanation,
        }
        run = {
            "id": 1,
            "status": "completed",
            "success": False,
            "evaluation": {"metrics": [metric]},
        }
        run["expected_outcome"] = {"score": 50, "explanation": explanation}
        parsed = parse(result(runs=[run])).runs[0]
        return parsed.metrics[0].explanation, parsed.expected_outcome_explanation

    assert explained(["One."]) == ("One.", "One.")
    assert explained(["One.", "", None, "Two."]) == ("One. Two.", "One. Two.")
    assert explained("Plain.") == ("Plain.", "Plain.")
    assert explained(None) == ("", "")


# -- aggregate: percentiles, the summary fallback, scenario groups ------------------------------


def test_percentiles_of_an_uneven_spread():
    raw = result(runs=latency_runs(1, 2, 3, 4, 100))
    for aggregation, value in (("p50", "3"), ("p90", "61.6"), ("p95", "80.8")):
        name = f"metrics[Latency].{aggregation}"
        assert (
            actual(check(raw, METRIC % f"{aggregation}, max: 1000", name)[1]) == f"{value} (5 runs)"
        )


def summary_of(**entry):
    return {"metric_summary": {"1": {"name": "Latency"} | entry}}


def test_run_values_come_before_the_summary_and_the_summary_before_nothing():
    raw = result(runs=latency_runs(900), overall_evaluation=summary_of(type="numeric", score=5))
    assert (
        actual(check(raw, METRIC % "mean, max: 1000", "metrics[Latency].mean")[1]) == "900 (1 run)"
    )
    # the metric is in the runs, but with no number: the summary answers
    flagged = result(
        runs=[
            {
                "id": 1,
                "status": "completed",
                "success": True,
                "evaluation": {
                    "metrics": [{"name": "Latency", "eval_type": "binary", "passed": True}]
                },
            }
        ],
        overall_evaluation=summary_of(type="numeric", score=700),
    )
    _, found = check(flagged, METRIC % "mean, max: 1000", "metrics[Latency].mean")
    assert actual(found) == "700 (Cekura's metric summary)"


@pytest.mark.parametrize(("score", "rate"), [(4, "80%"), (5, "100%"), (0, "0%")])
def test_a_binary_summary_is_read_as_a_pass_rate_on_the_0_5_scale(score, rate):
    raw = result(runs=runs(1, 1), overall_evaluation=summary_of(type="binary", score=score))
    text = "thresholds:\n  metrics: [{metric: Latency, aggregation: pass_rate, min: 0}]\n"
    _, found = check(raw, text, "metrics[Latency].pass_rate")
    assert actual(found) == f"{rate} (Cekura's metric summary)"


@pytest.mark.parametrize("score", [5.01, 6, -0.01, -1])
def test_a_binary_summary_off_the_0_5_scale_is_missing_not_clamped(score):
    raw = result(runs=runs(1, 1), overall_evaluation=summary_of(type="binary", score=score))
    text = "thresholds:\n  metrics: [{metric: Latency, aggregation: pass_rate, min: 0}]\n"
    _, found = check(raw, text, "metrics[Latency].pass_rate")
    assert found.outcome is Outcome.MISSING
    assert "off the 0-5 scale" in detail(found)


def test_the_expected_outcome_passes_at_100_only():
    scored = [
        {"id": n, "status": "completed", "success": True, "expected_outcome": {"score": score}}
        for n, score in enumerate((100, 99.5, 100))
    ]
    text = "thresholds:\n  metrics: [{metric: expected_outcome, aggregation: pass_rate, min: 0}]\n"
    _, found = check(result(runs=scored), text, "metrics[expected_outcome].pass_rate")
    assert actual(found) == "66.67% (2 of 3 runs)"
    # an "Expected Outcome" metric with numbers only has no pass/fail value
    named = [
        {
            "id": 1,
            "status": "completed",
            "success": True,
            "evaluation": {
                "metrics": [{"name": "Expected Outcome", "eval_type": "numeric", "score": 90}]
            },
        }
    ]
    _, found = check(result(runs=named), text, "metrics[expected_outcome].pass_rate")
    assert (found.outcome, detail(found)) == (
        Outcome.MISSING,
        "no run has a pass/fail value for 'Expected Outcome'",
    )


def test_scenario_groups_and_pooling():
    from gate.judge.aggregate import ScenarioStats, find_scenario, scenario_stats

    runs_ = parse(
        result(
            runs=scenario_runs(
                [(1, "Book", True), (2, "Book", False), (None, "book", True), (3, "Cancel", True)]
            )
        )
    ).runs
    stats_ = scenario_stats(runs_)
    assert [(s.scenario_id, s.runs, s.passed) for s in stats_] == [
        (1, 1, 1),
        (2, 1, 0),
        (None, 1, 1),
        (3, 1, 1),
    ]
    pooled = find_scenario(stats_, name="BOOK")
    assert (pooled.scenario_id, pooled.runs, pooled.passed) == (None, 3, 2)
    assert find_scenario(stats_, name="cancel") is stats_[3]
    assert find_scenario(stats_, name="nowhere") is None
    assert find_scenario(stats_, scenario_id=2) is stats_[1]
    assert ScenarioStats("Empty", None).rate == 0.0


def test_aggregates_are_values():
    from gate.judge.aggregate import Aggregate, Sample, ScenarioStats

    with pytest.raises(AttributeError, match="immutable"):
        Aggregate(1.0).value = 2.0  # type: ignore[misc]
    for value in (Aggregate(1.0), Sample("x"), ScenarioStats("x", None)):
        assert not hasattr(value, "__dict__"), type(value)


def test_a_run_as_the_report_reads_it():
    failing = {
        "id": 1,
        "status": " Completed ",
        "success": False,
        "voice_recording": "https://rec.example/1.wav",
        "run_url": "https://dashboard.example/runs/1",
        "transcript_object": [{"role": "Agent", "content": "Hello"}],
    }
    passing = {
        "id": 2,
        "status": 7,
        "success": True,
        "transcript_object": failing["transcript_object"],
    }
    raw = result(runs=[failing, passing])
    first, second = parse(raw).runs
    assert (first.status, second.status) == ("completed", "7")
    assert first.recording_url == "https://rec.example/1.wav"
    assert first.run_url == "https://dashboard.example/runs/1"
    assert first.excerpt and not second.excerpt  # only a run that did not succeed keeps turns
    assert not parse(raw, evidence=False).runs[0].excerpt  # a baseline needs none
    assert parse(result(runs=[passing])).runs[0].run_url == ""


def test_a_check_missing_its_value_has_no_delta():
    text = (
        "baseline: {result_id: 9001}\n"
        "thresholds:\n"
        "  scenarios: [{id: 5, min_success_rate: 50, level: warn}]\n"
        "  performance_metrics:\n    rules: [{metric: Latency, max: 2000, level: warn}]\n"
        "  metrics: [{metric: Latency, aggregation: mean, max: 2000, level: warn}]\n"
    )
    before = result(
        id=9001,
        runs=scenario_runs([(5, "Triage", True)]),
        performance_metrics=rubric(1000),
    )
    before["runs"] += [run | {"id": 200} for run in latency_runs(900)]
    now = result(runs=runs(1, 1))  # no scenario 5, no rubric, no Latency values
    verdict = evaluate(parse(now), policy(text), baseline=Baseline(how="b", result=parse(before)))
    checks = {c.name: c for c in verdict.checks}
    for name in ("scenarios[5]", "performance_metrics.rules[Latency]", "metrics[Latency].mean"):
        assert (checks[name].outcome, display.was(checks[name]), display.delta(checks[name])) == (
            Outcome.MISSING,
            "",
            "",
        )
    assert verdict.kind is VerdictKind.PASS  # each at warn


def test_the_parsed_result_is_made_of_values():
    parsed = parse(
        result(
            runs=[
                {
                    "id": 1,
                    "status": "completed",
                    "success": True,
                    "evaluation": {"metrics": [{"name": "Tone", "type": "numeric", "score": 4}]},
                }
            ],
            performance_metrics=rubric(900),
            overall_evaluation=summary_of(type="numeric", score=900),
        )
    )
    parts = [
        parsed,
        parsed.runs[0],
        parsed.runs[0].metrics[0],
        parsed.performance_metrics[0],
        parsed.metric_summary[0],
    ]
    for part in parts:
        with pytest.raises(AttributeError, match="immutable"):  # frozen msgspec Structs
            setattr(part, _first_field(part), "changed")
        assert not hasattr(part, "__dict__"), type(part)
    assert parse({"status": "completed"}).url == ""  # no id: no link


@pytest.mark.parametrize(
    ("sent", "kind"),
    [
        ("binary", "binary"),
        ("binary_workflow_adherence", "binary"),
        ("Numeric", "numeric"),
        ("continuous_qualitative", "continuous_qualitative"),
        ("weird", ""),
    ],
)
def test_metric_kinds_are_read_as_the_canonical_ones(sent, kind):
    metric = {"name": "M", "type": sent, "score": 5}
    run = {"id": 1, "status": "completed", "success": False, "evaluation": {"metrics": [metric]}}
    assert parse(result(runs=[run])).runs[0].metrics[0].kind == kind


def test_notes_on_counts():
    assert parse({"status": "completed", "success_runs_count": 3}).notes == ()
    assert parse({"status": "completed", "total_runs_count": 3}).notes == ()
    assert parse({"status": "completed", "total_runs_count": 2, "success_runs_count": 3}).notes == (
        Note(Noted.SUCCESSES_OVER_TOTAL, count=3, total=2),
    )


def test_counts_that_cannot_be_are_no_counts():
    assert parse({"status": "completed", "total_runs_count": -1}).reported_total_runs is None
    assert parse({"status": "completed", "total_runs_count": 2.5}).reported_total_runs is None
    contradicting = {"status": "completed", "total_runs_count": 2, "success_runs_count": 3}
    assert parse(contradicting).success_rate is None
    unreadable = parse(result(runs=[{"id": 1, "status": "completed", "success": True}, None]))
    assert [(r.id, r.success) for r in unreadable.runs] == [("1", True), ("#2", None)]


@pytest.mark.parametrize(
    ("metric", "passed"),
    [
        ({"score": 5, "score_normalized": 1}, True),
        ({"score": 5, "score_normalized": 0}, False),
        ({"score": 0, "score_normalized": 0.5}, True),
        ({"score": 5}, True),
        ({"score": 0}, False),
        ({}, None),
    ],
)
def test_a_legacy_binary_metric_passes_on_its_normalised_score_else_its_score(metric, passed):
    entry = {"name": "Pickup", "type": "binary_workflow_adherence"} | metric
    run = {"id": 1, "status": "completed", "success": False, "evaluation": {"metrics": [entry]}}
    assert parse(result(runs=[run])).runs[0].metrics[0].passed is passed


def test_two_scenarios_of_one_name_are_pooled_under_the_first_name():
    from gate.judge.aggregate import find_scenario, scenario_stats

    stats_ = scenario_stats(
        parse(result(runs=scenario_runs([(1, "Book", True), (2, "book", False)]))).runs
    )
    pooled = find_scenario(stats_, name="book")
    assert (pooled.name, pooled.scenario_id, pooled.runs, pooled.passed) == ("Book", None, 2, 1)


def _first_field(part: object) -> str:
    """The name of the first field of a dataclass or a msgspec Struct."""
    names = getattr(part, "__struct_fields__", None)
    return names[0] if names else dataclasses.fields(part)[0].name  # type: ignore[arg-type]
