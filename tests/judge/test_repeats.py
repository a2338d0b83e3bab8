"""Repeated scenarios: stable pass / flaky / stable fail labels, min_passes on its boundary,
the flaky level, and the quarantine list against a fixed date."""

from __future__ import annotations

import datetime

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Kind, Level, Outcome, Stability, VerdictKind
from gate.policy import config
from gate.publish.words import wording
from gate.result.parsing import parse
from gate.simulator import catalogue

BOOK, RESCHEDULE, TRIAGE = 11541, 11542, 11543
UNTIL = datetime.date(2026, 12, 31)


def result(outcomes: dict[int, tuple[str, ...]], frequency: int):
    """A result of `frequency` runs of each scenario, cycling through its outcomes."""
    profile = catalogue.AgentProfile(9, "Agent 9", outcomes)
    return parse(catalogue.build_result(777, profile, list(outcomes), frequency=frequency))


def policy(text: str):
    return config.parse("version: 1\n" + text, name="gate.yml")


def checks(verdict):
    return {c.name: c for c in verdict.checks}


# -- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("passed", "runs", "label"),
    [
        (5, 5, Stability.STABLE_PASS),
        (3, 5, Stability.FLAKY),
        (1, 2, Stability.FLAKY),
        (0, 5, Stability.STABLE_FAIL),
        (1, 1, None),
        (0, 1, None),
        (0, 0, None),
    ],
)
def test_stability_from_the_counts(passed, runs, label):
    assert Stability.of(passed, runs) is label


def test_rows_carry_the_label_and_the_pass_count():
    got = evaluate(
        result(
            {
                BOOK: ("pass",),
                RESCHEDULE: ("pass", "pass", "outcome_fail", "pass", "metric_fail"),
                TRIAGE: ("outcome_fail",),
            },
            5,
        ),
        policy("thresholds: {success_rate: {min: 0}}\n"),
    )
    rows = {r.scenario_id: r for r in got.scenarios}
    assert [
        (rows[i].stability, rows[i].passed, rows[i].runs) for i in (BOOK, RESCHEDULE, TRIAGE)
    ] == [
        (Stability.STABLE_PASS, 5, 5),
        (Stability.FLAKY, 3, 5),
        (Stability.STABLE_FAIL, 0, 5),
    ]
    assert [wording.stability(r.stability, r.passed, r.runs) for r in got.scenarios] == [
        "stable fail (0/5)",
        "flaky (3/5)",
        "stable pass (5/5)",
    ]


def test_one_run_per_scenario_has_no_label_and_no_flaky_check():
    got = evaluate(result({BOOK: ("pass",), TRIAGE: ("outcome_fail",)}, 1), policy(""))
    assert {r.stability for r in got.scenarios} == {None}
    assert not [c for c in got.checks if c.kind is Kind.FLAKY]


# -- min_passes -----------------------------------------------------------------------------

FOUR_OF_FIVE = "thresholds:\n  scenarios: [{name: Book appointment, min_passes: 4}]\n"


@pytest.mark.parametrize(
    ("outcomes", "held"),
    [
        (("pass", "pass", "pass", "pass", "outcome_fail"), True),  # 4 of 5: on the bound
        (("pass", "pass", "pass", "outcome_fail", "outcome_fail"), False),  # 3 of 5
        (("pass",), True),  # 5 of 5
    ],
)
def test_min_passes_on_the_boundary(outcomes, held):
    got = evaluate(result({BOOK: outcomes}, 5), policy(FOUR_OF_FIVE))
    check = checks(got)["scenarios[Book appointment].min_passes"]
    assert (check.kind, check.held, check.level) == (Kind.SCENARIO_PASSES, held, Level.ERROR)
    assert (check.minimum, check.runs) == (4, 5)
    assert got.kind is (VerdictKind.PASS if held else VerdictKind.FAIL)
    assert wording.threshold(check) == "≥ 4 passing runs"


def test_fewer_runs_than_min_passes_fails_even_when_every_run_passed():
    got = evaluate(result({BOOK: ("pass",)}, 3), policy(FOUR_OF_FIVE))
    check = checks(got)["scenarios[Book appointment].min_passes"]
    assert (check.outcome, check.successes, check.runs) == (Outcome.FAIL, 3, 3)
    assert check.stability is Stability.STABLE_PASS
    assert "only 3 run(s)" in wording.detail(check) and "at least 4 times" in wording.detail(check)
    assert got.kind is VerdictKind.FAIL
    assert wording.actual(check) == "3 of 3 runs passed; stable pass (3/3)"


def test_min_passes_of_a_scenario_not_in_the_result_is_missing():
    got = evaluate(
        result({BOOK: ("pass",)}, 2), policy("thresholds:\n  scenarios: [{id: 1, min_passes: 1}]\n")
    )
    check = checks(got)["scenarios[1].min_passes"]
    assert (check.outcome, check.blocking) == (Outcome.MISSING, True)


def test_min_passes_and_min_success_rate_are_two_checks_and_both_must_hold():
    text = (
        "thresholds:\n  scenarios:\n"
        "    - {name: Book appointment, min_passes: 4, min_success_rate: 90}\n"
    )
    got = evaluate(
        result({BOOK: ("pass", "pass", "pass", "pass", "outcome_fail")}, 5), policy(text)
    )
    both = checks(got)
    assert both["scenarios[Book appointment].min_passes"].held  # 4 of 5
    assert not both["scenarios[Book appointment]"].held  # 80% < 90%
    assert got.kind is VerdictKind.FAIL
    row = got.scenarios[0]
    assert (row.check, row.outcome) == ("scenarios[Book appointment]", Outcome.FAIL)


# -- flaky ---------------------------------------------------------------------------------

FLAKY_BOOK = {BOOK: ("pass", "outcome_fail", "pass"), RESCHEDULE: ("pass",)}


def test_a_flaky_scenario_is_a_warning_by_default_never_silent():
    got = evaluate(result(FLAKY_BOOK, 3), policy("thresholds: {success_rate: {min: 50}}\n"))
    flaky = checks(got)[f"flaky[{BOOK}]"]
    assert (flaky.outcome, flaky.level, flaky.stability) == (
        Outcome.FAIL,
        Level.WARN,
        Stability.FLAKY,
    )
    assert (flaky.successes, flaky.runs) == (2, 3)
    assert got.kind is VerdictKind.PASS and flaky in got.warnings
    assert wording.actual(flaky) == "flaky (2/3)"
    assert f"flaky[{RESCHEDULE}]" not in checks(got)  # stable: no check


def test_the_default_policy_also_warns_of_a_flaky_scenario():
    from gate.policy.model import DEFAULT_POLICY

    got = evaluate(result(FLAKY_BOOK, 3), DEFAULT_POLICY)
    assert checks(got)[f"flaky[{BOOK}]"].warning


def test_flaky_at_error_fails_the_gate():
    got = evaluate(
        result(FLAKY_BOOK, 3),
        policy("thresholds: {success_rate: {min: 50}, flaky: {level: error}}\n"),
    )
    assert got.kind is VerdictKind.FAIL
    assert [c.name for c in got.failed_checks] == [f"flaky[{BOOK}]"]


def test_a_scenario_level_overrides_the_global_one():
    text = (
        "thresholds:\n  success_rate: {min: 0}\n  flaky: {level: error}\n"
        "  scenarios: [{name: Book appointment, flaky: {level: warn}}, {id: 11542, flaky: {}}]\n"
    )
    got = evaluate(result(FLAKY_BOOK, 3), policy(text))
    found = checks(got)
    assert found["flaky[Book appointment]"].warning  # its own warn beats the global error
    assert f"flaky[{BOOK}]" not in found  # one check per scenario
    steady = found["flaky[11542]"]  # listed with flaky: always checked, held when stable
    assert (steady.outcome, steady.stability) == (Outcome.PASS, Stability.STABLE_PASS)
    assert got.kind is VerdictKind.PASS


def test_a_listed_flaky_check_with_one_run_is_inconclusive_at_warn():
    text = "thresholds:\n  scenarios: [{name: Book appointment, flaky: {level: error}}]\n"
    got = evaluate(result(FLAKY_BOOK, 1), policy(text))
    check = checks(got)["flaky[Book appointment]"]
    assert (check.outcome, check.level) == (Outcome.INCONCLUSIVE, Level.WARN)


def test_a_configured_flaky_level_without_repeats_says_it_could_not_tell():
    got = evaluate(result(FLAKY_BOOK, 1), policy("thresholds: {flaky: {level: error}}\n"))
    check = checks(got)["flaky"]
    assert (check.outcome, check.level) == (Outcome.INCONCLUSIVE, Level.WARN)
    assert "frequency 2" in wording.detail(check)


# -- calls that never connected say nothing of the agent's consistency ---------------------

FLAKY_AT_ERROR = "thresholds: {success_rate: {min: 0}, flaky: {level: error}}\n"


@pytest.mark.parametrize("failure", ["error", "not_connected", "run_error"])
def test_a_good_agent_on_a_failing_line_is_not_flaky(failure):
    """Every call that connected passed: a stable pass of the connected runs, whatever the
    line did; the failed calls still count against the scenario's pass count and rate."""
    got = evaluate(result({BOOK: (failure, "pass", "pass")}, 3), policy(FLAKY_AT_ERROR))
    assert not [c for c in got.checks if c.kind is Kind.FLAKY]
    assert got.kind is VerdictKind.PASS
    row = next(r for r in got.scenarios if r.scenario_id == BOOK)
    assert (row.passed, row.runs, row.infrastructure, row.agent_runs) == (2, 3, 1, 2)
    assert row.stability is Stability.STABLE_PASS


def test_one_connected_call_cannot_tell_and_says_what_was_left_out():
    text = "thresholds:\n  scenarios: [{name: Book appointment, flaky: {level: error}}]\n"
    got = evaluate(result({BOOK: ("error", "pass")}, 2), policy(text))
    check = checks(got)["flaky[Book appointment]"]
    assert (check.outcome, check.level, check.stability) == (
        Outcome.INCONCLUSIVE,
        Level.WARN,
        None,
    )
    assert (check.successes, check.runs, check.excluded_runs) == (1, 1, 1)
    assert wording.actual(check) == (
        "1 of 1 run passed: cannot tell; 1 infrastructure failure left out"
    )


def test_a_flaky_agent_is_still_flaky_beside_a_call_that_never_connected():
    got = evaluate(result({BOOK: ("pass", "outcome_fail", "error")}, 3), policy(FLAKY_AT_ERROR))
    check = checks(got)[f"flaky[{BOOK}]"]
    assert (check.outcome, check.stability) == (Outcome.FAIL, Stability.FLAKY)
    assert (check.successes, check.runs, check.excluded_runs) == (1, 2, 1)
    assert wording.actual(check) == "flaky (1/2); 1 infrastructure failure left out"
    assert got.kind is VerdictKind.FAIL


def test_no_connected_call_at_all_cannot_tell_and_says_why():
    text = "thresholds:\n  scenarios: [{name: Book appointment, flaky: {level: error}}]\n"
    got = evaluate(result({BOOK: ("error",)}, 2), policy(text))
    check = checks(got)["flaky[Book appointment]"]
    assert (check.outcome, check.level, check.runs, check.excluded_runs) == (
        Outcome.INCONCLUSIVE,
        Level.WARN,
        0,
        2,
    )
    assert wording.detail(check) == (
        "all 2 run(s) failed for infrastructure reasons: no run tested the agent, so whether "
        "it is flaky cannot be told; re-run the result"
    )


def test_min_passes_still_counts_a_call_that_never_connected_as_not_passed():
    text = "thresholds:\n  scenarios: [{name: Book appointment, min_passes: 3}]\n"
    got = evaluate(result({BOOK: ("error", "pass", "pass")}, 3), policy(text))
    check = checks(got)["scenarios[Book appointment].min_passes"]
    assert (check.outcome, check.successes, check.runs) == (Outcome.FAIL, 2, 3)
    # the label would be decided on other counts than this check's: the flaky check says it
    assert check.stability is None
    assert wording.actual(check) == "2 of 3 runs passed"


# -- quarantine ------------------------------------------------------------------------------

QUARANTINE = (
    "thresholds:\n  success_rate: {min: 50}\n"
    "  scenarios: [{id: 11543, min_success_rate: 100, min_passes: 1}]\n"
    "quarantine:\n  - {name: Emergency triage, reason: ticket 412, until: 2026-12-31}\n"
)
TRIAGE_FAILS = {BOOK: ("pass",), RESCHEDULE: ("pass",), TRIAGE: ("outcome_fail",)}


@pytest.mark.parametrize(
    ("today", "active"),
    [
        (UNTIL - datetime.timedelta(days=1), True),
        (UNTIL, True),  # the last day is inclusive
        (UNTIL + datetime.timedelta(days=1), False),
        (None, False),  # no clock: nothing is excused
    ],
)
def test_quarantine_before_on_and_after_its_date(today, active):
    got = evaluate(result(TRIAGE_FAILS, 2), policy(QUARANTINE), today=today)
    found = checks(got)
    own = [found["scenarios[11543]"], found["scenarios[11543].min_passes"]]
    assert all(not c.held for c in own)
    (state,) = got.quarantine
    assert (state.label, state.reason, state.until, state.active) == (
        "Emergency triage",
        "ticket 412",
        "2026-12-31",
        active,
    )
    assert state.scenarios == ("Emergency triage",)
    if active:
        assert got.kind is VerdictKind.PASS
        assert all(c.level is Level.WARN and c.until == "2026-12-31" for c in own)
        assert "quarantine[Emergency triage]" not in found
        assert wording.detail(own[1]).startswith("quarantined until 2026-12-31")
        row = next(r for r in got.scenarios if r.scenario_id == TRIAGE)
        assert row.quarantined_until == "2026-12-31"
    else:
        assert got.kind is VerdictKind.FAIL
        assert {c.name for c in got.failed_checks} == {c.name for c in own}
        expired = found["quarantine[Emergency triage]"]
        assert (expired.outcome, expired.level) == (Outcome.FAIL, Level.WARN)
        assert wording.actual(expired) == "expired after 2026-12-31"


def test_quarantined_runs_still_count_in_the_overall_success_rate():
    text = QUARANTINE.replace("min: 50", "min: 70")  # 4 of 6 runs: 66.67%
    got = evaluate(result(TRIAGE_FAILS, 2), policy(text), today=UNTIL)
    assert [c.name for c in got.failed_checks] == ["success_rate"]
    assert checks(got)["success_rate"].successes == 4


def test_a_quarantine_excuses_the_flaky_check_of_its_scenario():
    text = (
        "thresholds: {success_rate: {min: 0}, flaky: {level: error}}\n"
        "quarantine: [{id: 11541, reason: r, until: 2026-12-31}]\n"
    )
    got = evaluate(result(FLAKY_BOOK, 3), policy(text), today=UNTIL)
    check = checks(got)[f"flaky[{BOOK}]"]
    assert (check.level, check.until, got.kind) == (Level.WARN, "2026-12-31", VerdictKind.PASS)


def test_a_quarantine_that_matches_nothing_is_a_warning():
    text = "quarantine: [{name: Emergncy triage, reason: typo, until: 2026-12-31}]\n"
    got = evaluate(
        result(TRIAGE_FAILS, 1),
        policy(text + "thresholds: {success_rate: {min: 0}}\n"),
        today=UNTIL,
    )
    check = checks(got)["quarantine[Emergncy triage]"]
    assert (check.outcome, check.level) == (Outcome.MISSING, Level.WARN)
    assert "matched no scenario" in wording.detail(check)
    assert got.quarantine[0].scenarios == ()
    assert got.kind is VerdictKind.PASS


# -- the README's worked example -------------------------------------------------------------


def test_the_readme_worked_example_reads_as_documented():
    from tests.cli_runner import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Worked example: the agent's result has", 1)[1]
    text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    worked = result(
        {
            BOOK: ("pass", "pass", "outcome_fail", "pass", "pass"),
            RESCHEDULE: ("pass",),
            TRIAGE: ("outcome_fail",),
        },
        5,
    )
    got = evaluate(worked, policy(text), today=datetime.date(2026, 11, 30))
    table = {c.name: (wording.actual(c), c.outcome, c.level) for c in got.checks}
    assert table["success_rate"] == ("60% (9 of 15 runs)", Outcome.PASS, Level.ERROR)
    assert table["scenarios[Book appointment].min_passes"] == (
        "4 of 5 runs passed; flaky (4/5)",
        Outcome.PASS,
        Level.ERROR,
    )
    assert table["scenarios[11543]"] == ("0% (0 of 5 runs)", Outcome.FAIL, Level.WARN)
    assert table[f"flaky[{BOOK}]"] == ("flaky (4/5)", Outcome.FAIL, Level.WARN)
    assert (got.kind, len(got.warnings)) == (VerdictKind.PASS, 2)
    for row in "| `success_rate` | 60% (9 of 15 runs) | pass |", "| `flaky[11541]` | flaky (4/5) |":
        assert row in readme
    later = evaluate(worked, policy(text), today=datetime.date(2027, 1, 1))
    assert later.kind is VerdictKind.FAIL
    assert [c.name for c in later.failed_checks] == ["scenarios[11543]"]
    assert "quarantine[11543]" in {c.name for c in later.warnings}


def test_the_junit_label_counts_the_calls_that_connected():
    from gate.publish.junit import junit_text

    parsed = result({BOOK: ("error", "pass", "outcome_fail")}, 3)
    got = evaluate(parsed, policy(FLAKY_AT_ERROR))
    text = junit_text(verdict=got, result=parsed)
    assert f'name="stability[Book appointment ({BOOK})]" value="flaky (1/2)"' in text
