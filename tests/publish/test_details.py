"""A check's own sentence is worded in one place from its reason code and its numbers
(gate/publish/words/details.py); every surface reads it through wording.detail."""

from __future__ import annotations

from typing import Any

import pytest

from gate.judge.reasons import Absence, Absent, Reason, Side
from gate.judge.verdict import Check, Interval, Kind, Level, Outcome, Unit
from gate.publish.words import details, wording
from gate.result.model import BaselineRef


def check(reason: Reason | None, outcome: Outcome = Outcome.FAIL, **numbers: Any) -> Check:
    return Check(name="x", title="X", level=Level.ERROR, outcome=outcome, reason=reason, **numbers)


RATE = {"kind": Kind.SUCCESS_RATE, "unit": Unit.PERCENT, "minimum": 90.0}


def test_every_reason_has_its_sentence():
    assert set(details.SENTENCES) == set(Reason)
    assert set(details.ABSENCES) == set(Absent)


@pytest.mark.parametrize(
    ("made", "said"),
    [
        # a rate: the runs that did not succeed, after the interval's side when there is one
        (
            check(Reason.RUNS_FAILED, successes=17, runs=20, **RATE),
            "3 run(s) did not succeed; see What went wrong",
        ),
        (
            check(Reason.RUNS_FAILED, successes=17, runs=20, failing_listed=3, **RATE),
            "3 run(s) did not succeed; see What went wrong",
        ),
        # the result counts more runs than it lists: those it does not list are said apart
        (
            check(Reason.RUNS_FAILED, successes=17, runs=20, failing_listed=2, **RATE),
            "3 run(s) did not succeed: 2 listed (see What went wrong) and 1 counted by the "
            "result but not listed",
        ),
        (
            check(Reason.RUNS_FAILED, successes=3, runs=5, failing_listed=0, **RATE),
            "2 run(s) did not succeed, counted by the result but not listed",
        ),
        # the rate as reported, with no counts
        (
            check(Reason.RUNS_FAILED, failing_listed=2, **RATE),
            "2 run(s) did not succeed; see What went wrong",
        ),
        (
            check(Reason.RUNS_FAILED, failing_listed=0, **RATE),
            "the result reports this rate without listing or counting its runs",
        ),
        (
            check(
                Reason.SCENARIO_RUNS_FAILED,
                successes=1,
                runs=4,
                interval=Interval(0.95, 4.56, 69.94),
                **RATE,
            ),
            "the whole interval lies below the minimum; 3 of its runs did not succeed",
        ),
        (
            check(Reason.INTERVAL_BEYOND, maximum=10.0, interval=Interval(0.95, 10.0, 20.0)),
            "the whole interval lies above the maximum",
        ),
        (
            check(Reason.INTERVAL_BEYOND, minimum=90.0, interval=Interval(0.95, 80.0, 89.99)),
            "the whole interval lies below the minimum",
        ),
        (
            check(Reason.TOO_FEW_RUNS, Outcome.INCONCLUSIVE, runs=10, runs_needed=62),
            "the interval contains the threshold: too few runs to tell; about 62 runs at this "
            "rate would decide it (this result has 10)",
        ),
        (
            check(Reason.TOO_FEW_RUNS, Outcome.INCONCLUSIVE, runs=10),
            "the interval contains the threshold: too few runs to tell; more runs at this rate "
            "would not decide it (the rate sits on the threshold)",
        ),
        (
            check(Reason.AT_BEST, successes=8, runs=10),
            "at best 8 of 10 runs can succeed: 2 already did not, whatever the open runs do",
        ),
        (
            check(Reason.ALREADY_TOO_MANY, value=4, maximum=3),
            "already 4 while the result runs: more than the 3 allowed",
        ),
        (
            check(Reason.METRIC_NOT_ATTACHED, Outcome.MISSING, subject="infrastructure"),
            "the result reports null: the Infrastructure Issues metric is not attached to this "
            "project's runs",
        ),
        (
            check(Reason.RULES_NOT_MET, unmet=(("Latency", True), ("Tone", False))),
            "not met: Latency, Tone (not reported)",
        ),
        (
            check(Reason.NO_RUNS_OF_SCENARIO, Outcome.MISSING, subject="11", scenario_id=11),
            "no run of the scenario id 11 in the result: was it left out of the run?",
        ),
        (
            check(
                Reason.NO_RUNS_OF_SCENARIO,
                Outcome.MISSING,
                kind=Kind.REGRESSION,
                subject="Book",
                side=Side.BASELINE,
            ),
            "no run of the scenario 'Book' in the baseline",
        ),
        (
            check(Reason.TOO_FEW_REPEATS, successes=3, runs=3, minimum=4),
            "the result has only 3 run(s) of it, fewer than min_passes: run it at least 4 times "
            "(frequency)",
        ),
        (
            check(Reason.ALL_INFRASTRUCTURE, Outcome.MISSING, excluded_runs=3),
            "all 3 run(s) failed for infrastructure reasons: no run tested the agent, so there "
            "is no rate to judge",
        ),
        (
            check(
                Reason.ALL_INFRASTRUCTURE, Outcome.MISSING, kind=Kind.REGRESSION, side=Side.BASELINE
            ),
            "every run of the baseline failed for infrastructure reasons: no run tested the agent "
            "there, so there is no rate to compare",
        ),
        (
            check(
                Reason.QUARANTINE_EXPIRED,
                kind=Kind.QUARANTINE,
                config="gate.yml",
                until="2026-01-01",
            ),
            "the quarantine expired: the scenario gates again; fix it, or remove or extend the "
            "entry in gate.yml",
        ),
        (
            check(
                Reason.BASELINE_NOT_FOUND,
                Outcome.MISSING,
                baseline=BaselineRef(found=False, how="result 7", reason="HTTP 404"),
            ),
            "result 7: HTTP 404; the regression checks were skipped",
        ),
        (
            check(
                Reason.BASELINE_UNDATED,
                Outcome.MISSING,
                baseline=BaselineRef(found=True, how="result 7", id="7", created_at="tuesday"),
            ),
            "the baseline result 7 has no readable created_at ('tuesday', not a date), so its age "
            "is unknown",
        ),
        (
            check(
                Reason.METRIC_NOT_COMPARABLE,
                Outcome.MISSING,
                side=Side.BASELINE,
                absent=Absence(Absent.BLOCKED, "Transfer", runs=4),
            ),
            "not in the baseline: 'Transfer' applied to no run: Cekura reported it blocked (its "
            "trigger never fired) in all 4 run(s) that list it",
        ),
        # why a value is absent, without a reason code of its own
        (
            check(
                None, Outcome.MISSING, absent=Absence(Absent.SUMMARY_OFF_SCALE, "Tone", score=7.5)
            ),
            "Cekura's metric summary for 'Tone' averages 7.5, off the 0-5 scale of a pass/fail "
            "metric",
        ),
        (
            check(
                None, Outcome.MISSING, absent=Absence(Absent.NO_NUMERIC_VALUE, "Tone", binary=True)
            ),
            "no run has a numeric value for 'Tone' (a pass/fail metric: use pass_rate)",
        ),
        (
            check(None, Outcome.MISSING, absent=Absence(Absent.NO_NUMERIC_VALUE, "Tone")),
            "no run has a numeric value for 'Tone'",
        ),
        (
            check(Reason.RUNS_NOT_LISTED, Outcome.MISSING, side=Side.BOTH),
            "the baseline and the result lists no runs, so which scenarios ran is unknown",
        ),
        # no reason: the text from outside the gate, as the judge passed it on
        (check(None, Outcome.MISSING, detail="the API says no"), "the API says no"),
        (check(None, Outcome.PASS), ""),
    ],
)
def test_the_sentence_is_worded_from_the_numbers(made: Check, said: str):
    assert details.sentence(made) == said
    assert wording.detail(made) == said


def test_a_quarantine_that_excuses_a_check_comes_before_its_sentence():
    made = check(Reason.FLAKY, kind=Kind.FLAKY, until="2026-12-31")
    assert wording.detail(made) == (
        "quarantined until 2026-12-31: reported, does not gate; some of its runs passed and "
        "some failed: the same agent gave different results"
    )
