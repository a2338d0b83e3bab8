"""Evidence for failing runs: the transcript excerpt kept at parse time, and the findings."""

from __future__ import annotations

from gate.publish.findings import evidence
from gate.result import excerpt
from gate.result.parsing import parse


def turns(count: int) -> list[dict]:
    return [
        {
            "role": "Main Agent" if i % 2 else "Testing Agent",
            "time": f"00:{i * 5:02d}",
            "content": f"turn {i} text",
        }
        for i in range(1, count + 1)
    ]


def result_with(run: dict) -> object:
    return parse({"status": "completed", "runs": {"1": {"id": 1, **run}}})


def test_passing_runs_keep_no_transcript():
    run = result_with({"success": True, "transcript_object": turns(10)}).runs[0]
    assert run.excerpt == ()


def test_failing_run_keeps_the_last_six_turns_when_nothing_is_named():
    run = result_with({"success": False, "transcript_object": turns(10)}).runs[0]
    assert [t.index for t in run.excerpt] == [5, 6, 7, 8, 9, 10]
    assert not any(t.named for t in run.excerpt)
    assert run.excerpt[0] == excerpt.Turn(5, "Main Agent", "00:25", "turn 5 text")


def test_timestamp_in_the_explanation_names_the_turn_and_the_one_before():
    run = result_with(
        {
            "success": False,
            "transcript_object": turns(10),
            "expected_outcome": {
                "score": 0,
                "explanation": ["At 00:17 the agent offered tomorrow instead of 911."],
            },
        }
    ).runs[0]
    # 00:17 falls in turn 3 (started 00:15); turn 2 led to it
    assert [(t.index, t.named) for t in run.excerpt] == [(2, False), (3, True)]


def test_quoted_words_and_turn_numbers_name_turns():
    run = result_with(
        {
            "success": False,
            "transcript_object": turns(10),
            "evaluation": {
                "metrics": [
                    {
                        "name": "Workflow Adherence",
                        "eval_type": "binary",
                        "passed": False,
                        "explanation": ["The agent said 'turn 7 text' and in turn 9 hung up."],
                    }
                ]
            },
        }
    ).runs[0]
    assert [(t.index, t.named) for t in run.excerpt] == [
        (6, False),
        (7, True),
        (8, False),
        (9, True),
    ]


def test_time_of_day_is_not_a_turn_reference():
    run = result_with(
        {
            "success": False,
            "transcript_object": turns(4),
            "error_message": "booked for 10:30 instead of 09:00",
        }
    ).runs[0]
    assert not any(t.named for t in run.excerpt)
    assert len(run.excerpt) == 4


def test_long_turns_are_truncated_and_text_transcripts_accepted():
    long = [{"role": "Main Agent", "start_time": 75.4, "content": "x" * 1000}]
    run = result_with({"success": False, "transcript_object": long}).runs[0]
    assert len(run.excerpt[0].content) == excerpt.TURN_LIMIT
    assert run.excerpt[0].time == "01:15"
    text = result_with(
        {"success": None, "transcript": "Main Agent: Hello\nTesting Agent: Hi there"}
    ).runs[0]
    assert [(t.role, t.content) for t in text.excerpt] == [
        ("Main Agent", "Hello"),
        ("Testing Agent", "Hi there"),
    ]


def test_evidence_lists_every_failure_with_links():
    run = result_with(
        {
            "scenario": {"id": 3, "name": "Emergency triage"},
            "status": "completed",
            "success": False,
            "duration": "01:42",
            "voice_recording_url": "https://example.com/r.wav",
            "run_url": "https://dashboard.cekura.ai/1/runs/1",
            "expected_outcome": {"score": 40, "explanation": ["No 911 advice."]},
            "evaluation": {
                "metrics": [
                    {
                        "name": "Empathy",
                        "eval_type": "binary",
                        "passed": False,
                        "explanation": "Cold.",
                    },
                    {"name": "Latency", "eval_type": "numeric", "score": 900},
                ]
            },
            "transcript_object": turns(2),
        }
    ).runs[0]
    found = evidence.build(run)
    assert found.findings == (
        evidence.Finding("Expected outcome scored 40/100", "No 911 advice."),
        evidence.Finding("Empathy failed", "Cold."),
    )
    assert (found.scenario, found.duration) == ("Emergency triage", "01:42")
    assert (found.recording_url, found.run_url) == (
        "https://example.com/r.wav",
        "https://dashboard.cekura.ai/1/runs/1",
    )
    assert len(found.turns) == 2 and not any(t.named for t in found.turns)


def test_baseline_parse_skips_excerpts():
    raw = {
        "status": "completed",
        "runs": [{"id": 1, "success": False, "transcript_object": turns(3)}],
    }
    assert parse(raw, evidence=False).runs[0].excerpt == ()


def test_a_run_sent_as_no_object_is_an_unreadable_run_that_did_not_succeed():
    parsed = parse({"status": "completed", "runs": {"1": None, "2": "oops", "3": {"id": 3}}})
    null, text = parsed.runs[0], parsed.runs[1]
    assert (null.id, null.success, null.unreadable, null.error_message) == ("1", None, "null", "")
    assert (text.scenario_name, text.unreadable) == ("Unreadable run", "str")
    assert parsed.runs[2].unreadable == ""
    sentence = (
        "the API sent this run as str, not an object; the gate cannot read it, so it counts "
        "as a run that did not succeed"
    )
    assert evidence.reason(text) == sentence
    assert evidence.findings(text) == (evidence.Finding("Error", sentence),)
    assert parsed.success_counts == (0, 3)
