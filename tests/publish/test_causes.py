"""What went wrong, grouped by cause: scenario × what failed for the agent, by error for the
infrastructure; agent problems first; each failing call in exactly one group."""

from __future__ import annotations

from gate.judge.evaluate import evaluate
from gate.policy import config
from gate.publish.findings import causes
from gate.publish.report_json import build_report
from gate.result.excerpt import Turn
from gate.result.failure import FailureKind
from gate.result.model import MetricValue, Result, Run
from tests.report_schema import assert_valid


def run(run_id: str, scenario: str, **fields) -> Run:
    base = {"scenario_id": None, "status": "completed", "success": False}
    return Run(id=run_id, scenario_name=scenario, **(base | fields))


def result(*runs: Run, infrastructure: tuple[str, ...] | None = None) -> Result:
    return Result(
        id="7", name="r", status="completed", runs=runs, failed_infrastructure_runs=infrastructure
    )


TRIAGE_MISS = {"expected_outcome_score": 0.0, "expected_outcome_explanation": "No 911."}
ADHERENCE = (MetricValue("Workflow Adherence", None, False, "Skipped the read-back."),)


def test_same_scenario_and_same_failure_is_one_group_with_every_call():
    groups = causes.group(
        result(
            run("1", "Triage", **TRIAGE_MISS),
            run("2", "Triage", **(TRIAGE_MISS | {"expected_outcome_score": 40.0})),
            run("3", "Triage", success=True),
        )
    )
    (triage,) = groups
    assert (triage.scenario, triage.failed, triage.kind) == (
        "Triage",
        causes.EXPECTED_OUTCOME,
        FailureKind.AGENT,
    )
    assert [c.id for c in triage.calls] == ["1", "2"]
    assert triage.scenario_runs == 3  # "2 of 3 calls"
    assert triage.score == 0.0  # the worst of the group
    assert triage.explanation == "No 911."


def test_a_different_failure_on_the_same_scenario_is_another_group():
    groups = causes.group(
        result(run("1", "Book", **TRIAGE_MISS), run("2", "Book", metrics=ADHERENCE))
    )
    assert [g.failed for g in groups] == [causes.EXPECTED_OUTCOME, "Workflow Adherence"]
    assert groups[1].explanation == "Skipped the read-back."


def test_an_expected_outcome_of_exactly_100_is_not_the_cause():
    (group,) = causes.group(
        result(run("1", "Book", expected_outcome_score=100.0, metrics=ADHERENCE))
    )
    assert group.failed == "Workflow Adherence"


def test_infrastructure_failures_are_grouped_by_error_across_scenarios_and_come_last():
    sip = "Call failed to connect: SIP 503"
    groups = causes.group(
        result(
            run("1", "Cancel", status="failed", success=None, error_message=sip),
            run("2", "Book", status="failed", success=None, error_message=sip),
            run("3", "Book", metrics=ADHERENCE),
            run("4", "Triage", **TRIAGE_MISS),
            infrastructure=("4",),  # Cekura itself counted this one as infrastructure
        )
    )
    assert [g.agent for g in groups] == [True, False, False]
    never = next(g for g in groups if g.explanation == sip)
    assert never.scenarios == ("Cancel", "Book")
    assert never.failed == causes.NEVER_CONNECTED
    assert never.excerpt == ()


def test_blocking_scenarios_first_then_the_most_calls():
    policy = config.parse(
        "version: 1\nthresholds:\n  scenarios:\n    - {name: Rare, min_success_rate: 100}\n",
        name="gate.yml",
    )
    res = result(
        run("1", "Common", metrics=ADHERENCE),
        run("2", "Common", metrics=ADHERENCE),
        run("3", "Rare", **TRIAGE_MISS),
        run("4", "Other", **TRIAGE_MISS),
    )
    groups = causes.group(res, evaluate(res, policy))
    assert [(g.scenario, g.blocks) for g in groups] == [
        ("Rare", True),
        ("Common", False),
        ("Other", False),
    ]


def test_the_excerpt_comes_from_a_call_whose_explanation_names_a_turn():
    plain = (Turn(1, "Agent", "00:01", "Hello"), Turn(2, "Caller", "00:03", "Hi"))
    named = (Turn(4, "Agent", "00:12", "Come tomorrow", named=True),)
    (group,) = causes.group(
        result(
            run("1", "Triage", excerpt=plain, **TRIAGE_MISS),
            run("2", "Triage", excerpt=named, **TRIAGE_MISS),
        )
    )
    assert group.excerpt == named


def test_without_a_named_turn_the_last_three_turns():
    turns = tuple(Turn(i, "Agent", "", f"turn {i}") for i in range(1, 7))
    (group,) = causes.group(result(run("1", "Triage", excerpt=turns, **TRIAGE_MISS)))
    assert [t.index for t in group.excerpt] == [4, 5, 6]


def test_nothing_failed_nothing_grouped():
    assert causes.group(result(run("1", "Book", success=True))) == ()
    assert causes.group(None) == ()


def test_the_json_report_carries_the_groups_under_what_went_wrong():
    res = result(
        run("1", "Triage", recording_url="https://x.example/1.wav", **TRIAGE_MISS),
        run("2", "Cancel", status="failed", success=None, error_message="SIP 503"),
    )
    report = build_report(verdict=evaluate(res, _policy()), result=res)
    assert_valid(report)
    first, second = report["what_went_wrong"]
    assert first == {
        "kind": "agent",
        "scenarios": ["Triage"],
        "failed": "expected outcome",
        "expected_outcome_score": 0.0,
        "explanation": "No 911.",
        "calls": 1,
        "scenario_runs": 1,
        "blocks": False,
        "runs": [
            {
                "id": "1",
                "scenario": "Triage",
                "run_url": None,
                "recording_url": "https://x.example/1.wav",
            }
        ],
        "transcript_excerpt": [],
    }
    assert (second["kind"], second["failed"], second["explanation"]) == (
        "infrastructure",
        "never connected",
        "SIP 503",
    )


def _policy():
    return config.parse("version: 1\nthresholds:\n  success_rate: {min: 90}\n", name="gate.yml")
