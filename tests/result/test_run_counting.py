"""Runs are counted once and never invented; the answer is the result asked for (unit level).

The end-to-end versions, over HTTP with the real command, are in tests/end_to_end/test_hostile.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gate.errors import WrongResult
from gate.judge.evaluate import evaluate
from gate.judge.verdict import Outcome, VerdictKind
from gate.policy import config, model
from gate.policy.model import BaselinePolicy
from gate.publish.words.wording import actual
from gate.result.notes import Note, Noted
from gate.result.parsing import parse
from gate.simulator import catalogue
from gate.simulator.faults import Fault
from gate.simulator.server import Simulator
from gate.source import baseline as bl
from gate.source.client import CekuraClient
from gate.source.identity import require_same_result
from tests.payloads import raw_result as result
from tests.payloads import raw_run as run

STRICT = config.parse("version: 1\nthresholds: {success_rate: {min: 100}}\n", name="t.yml")


def with_confidence(minimum: float) -> model.Policy:
    text = f"version: 1\nthresholds: {{success_rate: {{min: {minimum}, confidence: 0.95}}}}\n"
    return config.parse(text, name="t.yml")


def rate_check(payload: dict[str, Any], policy: model.Policy = STRICT):
    verdict = evaluate(parse(payload), policy)
    return verdict, next(c for c in verdict.checks if c.name == "success_rate")


# -- duplicates ----------------------------------------------------------------------------


def test_a_run_listed_twice_is_one_run_and_the_note_says_so():
    parsed = parse(result([run(1), run(1), run(2, False)]))
    assert [r.id for r in parsed.runs] == ["1", "2"]
    assert parsed.total_runs == 2
    assert parsed.success_rate == 50
    assert parsed.notes == (Note(Noted.DUPLICATE_RUNS, count=1, ids=("1",)),)


def test_duplicated_successes_cannot_lift_the_rate_over_the_bar():
    # 19 copies of one success beside one failure read as 95% before; it is 1 of 2.
    min_90 = config.parse("version: 1\nthresholds: {success_rate: {min: 90}}\n", name="t.yml")
    verdict, check = rate_check(result([run(1)] * 19 + [run(2, False)]), min_90)
    assert actual(check).startswith("50% (1 of 2 runs)")
    assert verdict.kind is VerdictKind.FAIL


def test_copies_that_disagree_keep_the_one_that_did_not_succeed():
    parsed = parse(result([run(1, True), run(1, False), run(2, True)]))
    assert [(r.id, r.success) for r in parsed.runs] == [("1", False), ("2", True)]
    parsed = parse(result([run(1, None), run(1, True)]))
    assert [(r.id, r.success) for r in parsed.runs] == [("1", None)]


def test_runs_without_an_id_are_never_merged():
    parsed = parse(result([{"success": True}, {"success": True}, {"success": False}]))
    assert len(parsed.runs) == 3
    assert parsed.notes == ()


def test_dict_shaped_runs_with_the_same_inner_id_are_one_run():
    parsed = parse(result({"1": run(5), "2": run(5, False)}))
    assert [(r.id, r.success) for r in parsed.runs] == [("5", False)]
    assert parsed.notes == (Note(Noted.DUPLICATE_RUNS, count=1, ids=("5",)),)


def test_more_than_ten_duplicated_ids_are_listed_with_an_ellipsis():
    parsed = parse(result([run(i) for i in range(12)] * 2))
    twelve = tuple(str(i) for i in range(12))
    assert parsed.notes == (Note(Noted.DUPLICATE_RUNS, count=12, ids=twelve),)


# -- runs the counts promise but the payload does not list ---------------------------------


@pytest.mark.parametrize("empty", [{}, []])
def test_runs_present_but_empty_with_counts_is_zero_of_n(empty):
    payload = result(empty, total_runs_count=5, success_runs_count=5, success_rate=100)
    parsed = parse(payload)
    assert parsed.total_runs == 5
    assert parsed.success_counts == (0, 5)
    assert parsed.success_rate == 0
    verdict, check = rate_check(payload)
    assert verdict.kind is VerdictKind.FAIL
    assert actual(check) == "0% (0 of 5 runs)"
    assert parsed.notes == (Note(Noted.RUNS_NOT_LISTED, count=0, total=5),)


def test_runs_present_but_empty_without_counts_has_no_rate():
    parsed = parse(result({}, success_rate=100))
    assert parsed.success_rate is None
    assert parsed.total_runs == 0


def test_only_a_payload_without_a_runs_key_falls_back_to_the_counts():
    parsed = parse(result(None, total_runs_count=5, success_runs_count=5))
    assert parsed.success_counts == (5, 5)
    assert rate_check(result(None, total_runs_count=5, success_runs_count=5))[0].kind is (
        VerdictKind.PASS
    )


def test_runs_of_an_unreadable_type_are_listed_runs_none_of_which_succeeded():
    parsed = parse(result("lots", total_runs_count=3, success_runs_count=3))
    assert parsed.success_counts == (0, 3)
    assert Note(Noted.RUNS_UNREADABLE, type_name="str") in parsed.notes


def test_partly_listed_runs_count_the_same_with_and_without_confidence():
    # 5 listed (all succeeded) of 10 counted: 50% whichever way the rate is judged.
    payload = result([run(i) for i in range(5)], total_runs_count=10, success_runs_count=10)
    _, plain = rate_check(payload, STRICT)
    _, sure = rate_check(payload, with_confidence(40))
    assert actual(plain).startswith("50% (5 of 10 runs)")
    assert actual(sure).startswith("50% (5 of 10 runs)")


# -- counts that contradict each other -------------------------------------------------------


def test_more_successes_than_runs_never_passes_with_confidence():
    # The case from issue 10: 150 of 100 with min 80 at 95% confidence used to pass.
    payload = result(None, total_runs_count=100, success_runs_count=150, success_rate=100)
    verdict, check = rate_check(payload, with_confidence(80))
    assert verdict.kind is VerdictKind.FAIL
    assert check.outcome is Outcome.MISSING


def test_more_successes_than_runs_never_passes_without_confidence():
    payload = result(None, total_runs_count=100, success_runs_count=150, success_rate=100)
    verdict, check = rate_check(payload, STRICT)
    assert verdict.kind is VerdictKind.FAIL
    assert check.outcome is Outcome.MISSING


def test_exactly_as_many_successes_as_runs_is_consistent():
    payload = result(None, total_runs_count=100, success_runs_count=100)
    assert rate_check(payload, with_confidence(80))[0].kind is VerdictKind.PASS


@pytest.mark.parametrize("rate", [150, 100.5, "101%"])
def test_a_reported_rate_above_100_is_no_rate(rate):
    payload = result(None, total_runs_count=5, success_rate=rate)
    assert parse(payload).success_rate is None
    assert rate_check(payload)[0].kind is VerdictKind.FAIL


# -- the answer is the result asked for -------------------------------------------------------


@pytest.mark.parametrize(("asked", "got"), [("123", 123), ("123", "123"), (" 123 ", "123 ")])
def test_the_same_result_passes(asked, got):
    require_same_result({"id": got}, asked)


@pytest.mark.parametrize(
    ("got", "shown"),
    [
        (124, "answered with result 124"),
        ("abc", "answered with result abc"),
        (None, "answered with a result that carries no id"),
        ([123], "answered with a result that carries no id"),
        ("", "answered with a result that carries no id"),
    ],
)
def test_another_result_is_refused_naming_both(got, shown):
    with pytest.raises(WrongResult) as caught:
        require_same_result({"id": got} if got is not None else {}, "123")
    assert "was asked for result 123 and " + shown in caught.value.message
    assert caught.value.exit_code == 3


def test_a_baseline_answered_with_another_result_is_no_baseline():
    """The baseline asked for by id must be that result, or the comparison means nothing."""
    with Simulator(api_key="k", progress_seconds=0) as sim:
        sim.add_result(catalogue.demo_result(1, result_id=301))
        sim.add_result(catalogue.demo_result(2, result_id=302))
        sim.script("301", [Fault.result_of("302")])
        found = bl.resolve(
            BaselinePolicy(result_id="301"),
            result=parse(catalogue.demo_result(1, result_id=500)),
            client=CekuraClient(base_url=sim.url, api_key="k"),
        )
    assert found.result is None
    assert "was asked for result 301 and answered with result 302" in found.reason
