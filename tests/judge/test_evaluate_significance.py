"""Regressions judged with significance, per-scenario regressions, coverage and the baseline's
age: exact p-values, counts and outcomes through `evaluate`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gate.errors import ConfigError
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Kind, Level, Outcome, Unit, VerdictKind
from gate.policy import config, model
from gate.publish.words.wording import actual, detail, threshold
from gate.result.model import Baseline
from gate.result.parsing import parse

BASELINE = "baseline: {result_id: 1}\n"


def policy(text: str) -> model.Policy:
    return config.parse("version: 1\n" + BASELINE + text, name="gate.yml")


def payload(
    outcomes: list[tuple[int, str, bool]],
    *,
    rid: int = 2,
    latency: float = 800,
    created_at: str | None = "2026-07-14T12:00:00Z",
    summary_only: bool = False,
) -> dict:
    """Runs from (scenario id, scenario name, success); run n's latency is latency + 10 n."""
    runs = {}
    for n, (sid, name, ok) in enumerate(outcomes, start=1):
        metrics = [{"name": "Workflow Adherence", "eval_type": "binary", "passed": ok}]
        if not summary_only:
            metrics.append({"name": "Latency", "eval_type": "numeric", "score": latency + 10 * n})
        runs[str(n)] = {
            "id": n,
            "scenario": {"id": sid, "name": name},
            "status": "completed",
            "success": ok,
            "evaluation": {"metrics": metrics},
        }
    raw = {"id": rid, "name": f"run {rid}", "agent": 7, "status": "completed", "runs": runs}
    if created_at is not None:
        raw["created_at"] = created_at
    if summary_only:
        raw["overall_evaluation"] = {
            "metric_summary": {
                "9": {"id": 9, "name": "Latency", "type": "numeric", "score": latency}
            }
        }
    return raw


def judged(text: str, now: list, before: list, **kw):
    found = Baseline(how="result 1", result=parse(payload(before, rid=1, **kw.pop("base", {}))))
    verdict = evaluate(parse(payload(now, **kw)), policy(text), baseline=found, now=kw.get("at"))
    return verdict, {c.name: c for c in verdict.checks}


def runs(passed: int, total: int, sid: int = 1, name: str = "Book") -> list:
    return [(sid, name, n < passed) for n in range(total)]


# -- success rate: Fisher's exact test ------------------------------------------------------


def test_a_drop_beyond_max_drop_that_is_not_significant_passes():
    # 9 of 10 -> 7 of 10: 20 pp, more than 5; Fisher one-sided p = 0.2910
    text = "thresholds:\n  regression:\n    success_rate: {max_drop: 5, significance: 0.05}\n"
    verdict, checks = judged(text, runs(7, 10), runs(9, 10))
    check = checks["baseline.success_rate"]
    assert verdict.kind is VerdictKind.PASS
    assert check.outcome is Outcome.PASS
    assert check.p_value == pytest.approx(0.29102167182662536)
    assert (check.successes, check.runs, check.baseline_successes, check.baseline_runs) == (
        7,
        10,
        9,
        10,
    )
    assert check.significance == 0.05
    assert threshold(check) == "drop ≤ 5 pp, if significant (p ≤ 0.05)"
    assert actual(check) == "↓ 20 pp (90% → 70%); p = 0.29, not significant with 10 and 10 runs"
    assert detail(check) == (
        "fell 20 pp, more than the 5 pp allowed, but not significant with 10 and 10 runs "
        "(p = 0.29, more than 0.05)"
    )


def test_a_significant_drop_beyond_max_drop_fails():
    # 9 of 10 -> 2 of 10: Fisher one-sided p = 0.002739
    text = "thresholds:\n  regression:\n    success_rate: {max_drop: 5, significance: 0.05}\n"
    verdict, checks = judged(text, runs(2, 10), runs(9, 10))
    check = checks["baseline.success_rate"]
    assert verdict.kind is VerdictKind.FAIL
    assert check.outcome is Outcome.FAIL
    assert check.p_value == pytest.approx(0.002738747320790664)
    assert detail(check) == "fell 70 pp, more than the 5 pp allowed; significant (p = 0.0027)"


def test_a_significant_drop_within_max_drop_passes():
    text = "thresholds:\n  regression:\n    success_rate: {max_drop: 80, significance: 0.05}\n"
    _, checks = judged(text, runs(2, 10), runs(9, 10))
    assert checks["baseline.success_rate"].outcome is Outcome.PASS


def test_significance_alone_fails_any_significant_drop():
    text = "thresholds:\n  regression:\n    success_rate: {significance: 0.05}\n"
    _, checks = judged(text, runs(2, 10), runs(9, 10))
    check = checks["baseline.success_rate"]
    assert check.outcome is Outcome.FAIL
    assert check.minimum == 0
    assert threshold(check) == "no significant drop (p ≤ 0.05)"
    assert detail(check) == "fell 70 pp; significant (p = 0.0027)"
    _, checks = judged(text, runs(7, 10), runs(9, 10))
    assert checks["baseline.success_rate"].outcome is Outcome.PASS


def test_the_p_value_on_the_bound_is_significant():
    # 1 of 4 against 3 of 4: the tea-tasting table, p = 17/70 = 0.242857...
    text = "thresholds:\n  regression:\n    success_rate: {significance: 0.2428572}\n"
    _, checks = judged(text, runs(1, 4), runs(3, 4))
    assert checks["baseline.success_rate"].outcome is Outcome.FAIL
    text = "thresholds:\n  regression:\n    success_rate: {significance: 0.2428571}\n"
    _, checks = judged(text, runs(1, 4), runs(3, 4))
    assert checks["baseline.success_rate"].outcome is Outcome.PASS


def test_without_significance_the_check_has_no_p_value():
    text = "thresholds:\n  regression:\n    success_rate: {max_drop: 5}\n"
    _, checks = judged(text, runs(7, 10), runs(9, 10))
    check = checks["baseline.success_rate"]
    assert check.outcome is Outcome.FAIL and check.p_value is None
    # the counts both rates rest on, for the report ("70% (7/10)")
    counts = (check.successes, check.runs, check.baseline_successes, check.baseline_runs)
    assert counts == (7, 10, 9, 10)


# -- per scenario ---------------------------------------------------------------------------


def test_each_scenario_against_the_same_scenario_of_the_baseline():
    text = (
        "thresholds:\n  regression:\n    scenarios:\n"
        "      - {name: Book, max_drop: 10, significance: 0.05}\n"
        "      - {id: 2, max_drop: 10}\n"
        "      - {name: Cancel, max_drop: 10}\n"
    )
    now = runs(2, 10, 1, "Book") + runs(5, 5, 2, "Triage")
    before = runs(9, 10, 1, "Book") + runs(5, 5, 2, "Triage (old name)")
    verdict, checks = judged(text, now, before)
    book = checks["baseline.scenarios[Book]"]
    assert (book.outcome, book.kind, book.measures) == (
        Outcome.FAIL,
        Kind.REGRESSION,
        Kind.SCENARIO,
    )
    assert book.p_value == pytest.approx(0.002738747320790664)
    assert (book.value, book.baseline_value, book.change) == (20.0, 90.0, -70.0)
    assert book.title == "Scenario: Book vs baseline"
    triage = checks["baseline.scenarios[2]"]  # matched by id although renamed
    assert (triage.outcome, triage.change, triage.unit) == (Outcome.PASS, 0.0, Unit.PERCENT)
    cancel = checks["baseline.scenarios[Cancel]"]
    assert cancel.outcome is Outcome.MISSING
    assert detail(cancel) == "no run of the scenario 'Cancel' in the result"
    assert verdict.kind is VerdictKind.FAIL


def test_a_scenario_named_in_the_result_is_matched_by_its_id_in_the_baseline():
    text = "thresholds:\n  regression:\n    scenarios: [{name: Book now, max_drop: 10}]\n"
    _, checks = judged(text, runs(5, 10, 1, "Book now"), runs(10, 10, 1, "Book"))
    check = checks["baseline.scenarios[Book now]"]
    assert (check.outcome, check.baseline_value) == (Outcome.FAIL, 100.0)


def test_a_scenario_missing_from_the_baseline_is_not_comparable():
    text = "thresholds:\n  regression:\n    scenarios: [{name: Book, significance: 0.05}]\n"
    _, checks = judged(text, runs(5, 10, 1, "Book"), runs(10, 10, 3, "Other"))
    check = checks["baseline.scenarios[Book]"]
    assert check.outcome is Outcome.MISSING
    assert detail(check) == "no run of the scenario 'Book' in the baseline"
    assert actual(check) == "not comparable"


# -- metrics: Mann-Whitney U ----------------------------------------------------------------


LATENCY = (
    "thresholds:\n  regression:\n    metrics:\n"
    "      - {metric: Latency, aggregation: mean, max_increase: 50, significance: 0.05}\n"
)


def test_latency_that_rose_on_every_run_is_a_significant_regression():
    # 8 runs each, every value of the result above every one of the baseline: U = 64,
    # exact p = 1 / C(16, 8) = 1/12870
    verdict, checks = judged(LATENCY, runs(8, 8), runs(8, 8), latency=900, base={"latency": 800})
    check = checks["baseline.metrics[Latency].mean"]
    assert check.outcome is Outcome.FAIL and verdict.kind is VerdictKind.FAIL
    assert check.p_value == pytest.approx(1 / 12870)
    assert (check.runs, check.baseline_runs, check.successes) == (8, 8, None)
    assert actual(check) == "↑ 100 (845 → 945); p < 0.001"


def test_a_rise_beyond_the_bound_that_is_not_significant_passes():
    # 805 + 10n against 800 + 10n: mean up 5; with max_increase 0 it is beyond the bound,
    # but U = 36 of 64, exact p = 0.3605
    text = LATENCY.replace("max_increase: 50", "max_increase: 0")
    _, checks = judged(text, runs(8, 8), runs(8, 8), latency=805, base={"latency": 800})
    check = checks["baseline.metrics[Latency].mean"]
    assert check.outcome is Outcome.PASS
    assert check.p_value == pytest.approx(0.36045066045066043)
    assert (
        detail(check) == "rose 5, but not significant with 8 and 8 runs (p = 0.36, more than 0.05)"
    )


def test_a_drop_of_a_lower_bounded_metric_is_tested_downwards():
    text = LATENCY.replace("max_increase: 50", "max_drop: 50")
    _, checks = judged(text, runs(8, 8), runs(8, 8), latency=700, base={"latency": 800})
    check = checks["baseline.metrics[Latency].mean"]
    assert check.outcome is Outcome.FAIL
    assert check.p_value == pytest.approx(1 / 12870)


def test_a_pass_rate_metric_is_tested_with_fisher():
    text = (
        "thresholds:\n  regression:\n    metrics:\n"
        "      - {metric: Workflow Adherence, aggregation: pass_rate, max_drop: 5, "
        "significance: 0.05}\n"
    )
    _, checks = judged(text, runs(7, 10), runs(9, 10))
    check = checks["baseline.metrics[Workflow Adherence].pass_rate"]
    assert check.outcome is Outcome.PASS
    assert check.p_value == pytest.approx(0.29102167182662536)
    assert (check.successes, check.runs) == (7, 10)


def test_a_move_beyond_the_bound_without_per_run_values_is_never_passed():
    _, checks = judged(
        LATENCY, runs(8, 8), runs(8, 8), latency=900, base={"latency": 800, "summary_only": True}
    )
    check = checks["baseline.metrics[Latency].mean"]
    assert check.outcome is Outcome.MISSING
    assert "its significance cannot be tested" in detail(check)


# -- coverage -------------------------------------------------------------------------------


def test_scenarios_the_baseline_ran_and_this_result_did_not_are_listed_by_name():
    text = "thresholds:\n  coverage: {missing_scenarios: warn, max_run_drop: 20}\n"
    now = runs(4, 4, 1, "Book") + runs(4, 4, 9, "Renamed")  # id 9, was "Triage" with id 2
    before = runs(4, 4, 1, "Book") + runs(1, 1, 2, "Triage") + runs(1, 1, 3, "Cancel")
    verdict, checks = judged(text, now, before)
    scenarios = checks["coverage.scenarios"]
    assert (scenarios.outcome, scenarios.level) == (Outcome.FAIL, Level.WARN)
    assert scenarios.names == ("Triage", "Cancel")
    assert (scenarios.value, scenarios.baseline_value) == (2, 3)
    assert actual(scenarios) == "2 missing: Triage, Cancel"
    assert threshold(scenarios) == "every scenario of the baseline"
    assert detail(scenarios) == "the baseline ran them, this result did not: Triage, Cancel"
    assert checks["coverage.runs"].outcome is Outcome.PASS  # 8 of 6 runs
    assert verdict.kind is VerdictKind.PASS  # a warning


@pytest.mark.parametrize(("now", "outcome"), [(8, Outcome.PASS), (7, Outcome.FAIL)])
def test_the_run_count_may_fall_by_max_run_drop_percent(now, outcome):
    text = "thresholds:\n  coverage: {max_run_drop: 20}\n"
    verdict, checks = judged(text, runs(now, now), runs(10, 10))
    check = checks["coverage.runs"]
    assert (check.outcome, check.minimum, check.value, check.baseline_value) == (
        outcome,
        8,
        now,
        10,
    )
    assert threshold(check) == "≥ 8 runs"
    assert actual(check) == f"{now} (was 10)"
    assert checks["coverage.scenarios"].outcome is Outcome.PASS
    assert actual(checks["coverage.scenarios"]) == "none missing (1 in the baseline)"
    if outcome is Outcome.FAIL:
        assert detail(check) == "7 runs, fewer than the 8 allowed (the baseline had 10)"
        assert verdict.kind is VerdictKind.FAIL


def test_coverage_needs_a_baseline():
    with pytest.raises(ConfigError, match="coverage compares with a baseline"):
        config.parse("version: 1\nthresholds:\n  coverage: {}\n", name="gate.yml")


# -- the baseline's age ---------------------------------------------------------------------

WEEK = "baseline: {result_id: 1, max_age: 7d}\n"


def aged(base_created: str | None, *, created: str | None = "2026-07-14T12:00:00Z", at=None):
    found = Baseline(how="r", result=parse(payload(runs(1, 1), rid=1, created_at=base_created)))
    text = "version: 1\n" + WEEK
    verdict = evaluate(
        parse(payload(runs(1, 1), created_at=created)),
        config.parse(text, name="gate.yml"),
        baseline=found,
        now=at,
    )
    return next(c for c in verdict.checks if c.name == "baseline.age"), verdict


def test_a_baseline_exactly_max_age_old_passes():
    check, verdict = aged("2026-07-07T12:00:00Z")
    assert (check.outcome, check.value, check.maximum) == (Outcome.PASS, 168.0, 168.0)
    assert actual(check) == "7 days (created 2026-07-07)"
    assert threshold(check) == "≤ 7 days old"
    assert verdict.kind is VerdictKind.PASS


def test_an_older_baseline_is_a_warning_naming_its_date():
    check, verdict = aged("2026-07-07T11:59:59Z")
    assert (check.outcome, check.level) == (Outcome.FAIL, Level.WARN)
    assert verdict.kind is VerdictKind.PASS and verdict.warnings == (check,)
    assert detail(check).startswith("the baseline was created 2026-07-07, 7 days before;")


def test_the_age_is_measured_to_now_when_the_result_has_no_date():
    at = datetime(2026, 8, 1, tzinfo=UTC)
    check, _ = aged("2026-07-07T12:00:00Z", created=None, at=at)
    assert check.outcome is Outcome.FAIL
    assert check.value == pytest.approx(24 * 24.5)


@pytest.mark.parametrize("stamp", [None, "last tuesday"])
def test_a_baseline_without_a_date_is_reported_never_passed(stamp):
    check, _ = aged(stamp)
    assert check.outcome is Outcome.MISSING
    assert "no readable created_at" in detail(check)
    assert actual(check).startswith("unknown age")


def test_the_level_of_an_old_baseline_is_configurable():
    text = "version: 1\nbaseline: {result_id: 1, max_age: 12h, when_older: error}\n"
    bound = config.parse(text, name="gate.yml").baseline
    assert (bound.max_age_hours, bound.when_older, bound.max_age) == (12.0, Level.ERROR, "12h")
    assert (
        config.parse(
            "version: 1\nbaseline: {result_id: 1, max_age: 2w}\n", name="g"
        ).baseline.max_age_hours
        == 336
    )


@pytest.mark.parametrize("value", ["7 days", "7", "0d", "-1d", "1y"])
def test_a_bad_max_age_names_the_value_and_the_fix(value):
    with pytest.raises(ConfigError) as caught:
        config.parse(f"version: 1\nbaseline: {{result_id: 1, max_age: '{value}'}}\n", name="g.yml")
    assert caught.value.problems == [
        f"g.yml:2: baseline.max_age: expected a duration such as 12h, 7d or 2w (a number, then "
        f"h for hours, d days or w weeks), got '{value}'"
    ]


def test_a_quarantined_scenario_does_not_gate_on_its_regression_either():
    text = (
        "thresholds:\n  regression:\n    scenarios: [{name: Book, max_drop: 10}]\n"
        "quarantine: [{name: Book, reason: ticket 7, until: 2026-12-31}]\n"
    )
    found = Baseline(how="result 1", result=parse(payload(runs(10, 10), rid=1)))
    now = parse(payload(runs(5, 10)))
    for today, held_back in (
        (datetime(2026, 12, 31).date(), True),
        (datetime(2027, 1, 1).date(), False),
    ):
        verdict = evaluate(now, policy(text), baseline=found, today=today)
        check = {c.name: c for c in verdict.checks}["baseline.scenarios[Book]"]
        assert check.outcome is Outcome.FAIL  # measured and reported either way
        if held_back:  # the last day of the quarantine: reported, does not gate
            assert (check.level, check.until, verdict.kind) == (
                Level.WARN,
                "2026-12-31",
                VerdictKind.PASS,
            )
        else:
            assert (check.level, verdict.kind) == (Level.ERROR, VerdictKind.FAIL)
