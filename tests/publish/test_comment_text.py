"""The words around the comment's report: the state the next run reads, "Passing now", the
footer with commit, run and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict
from gate.publish.actions import comment_text
from gate.publish.actions.comment_text import RunInfo, State, compose, read_state, state_line

NOW = datetime(2026, 11, 30, 14, 3, 12, 987654, tzinfo=UTC)
SHA = "0123456789abcdef0123456789abcdef01234567"


def run(number: int = 42, sha: str = SHA, attempt: str = "1") -> RunInfo:
    return comment_text.run_info(
        server_url="https://github.com",
        repository="acme/voice-agent",
        sha=sha,
        run_id=str(9000 + number),
        run_number=str(number),
        run_attempt=attempt,
    )


def rate(value: float, *, level: Level = Level.ERROR, name: str = "success_rate") -> Check:
    held = value >= 90
    return Check(
        name=name,
        title="Success rate" if name == "success_rate" else f"Scenario {name}",
        level=level,
        outcome=Outcome.PASS if held else Outcome.FAIL,
        kind=Kind.SUCCESS_RATE,
        unit=Unit.PERCENT,
        value=value,
        minimum=90.0,
        successes=int(value / 10),
        runs=10,
    )


def text(verdict: Verdict, previous: str | None, *, number: int = 43) -> str:
    return compose("## report", verdict=verdict, run=run(number), previous_body=previous, now=NOW)


FAILED = Verdict.from_checks((rate(80),))
PASSED = Verdict.from_checks((rate(90),))


# -- the run ---------------------------------------------------------------------------------


def test_run_info_links_the_commit_and_the_run():
    info = run()
    assert info.commit == SHA
    assert info.commit_url == f"https://github.com/acme/voice-agent/commit/{SHA}"
    assert (info.run_label, info.run_url) == (
        "run #42",
        "https://github.com/acme/voice-agent/actions/runs/9042",
    )


def test_a_second_attempt_is_named_and_linked():
    info = run(attempt="2")
    assert info.run_label == "run #42, attempt 2"
    assert info.run_url.endswith("/actions/runs/9042/attempts/2")


@pytest.mark.parametrize("sha", ["", "abc123", "not-a-sha-at-all", f"{SHA})[x](https://evil"])
def test_a_commit_that_is_not_a_sha_is_left_out(sha: str):
    info = run(sha=sha)
    assert (info.commit, info.commit_url) == ("", "")


def test_outside_actions_nothing_is_known_and_the_footer_still_says_when():
    info = comment_text.run_info(
        server_url="", repository="", sha="", run_id="", run_number="", run_attempt=""
    )
    assert info == RunInfo()
    assert comment_text.footer(info, NOW) == "<sub>Updated 2026-11-30 14:03:12 UTC</sub>"


# -- the footer ------------------------------------------------------------------------------


def test_footer_names_commit_run_and_time_in_utc_without_microseconds():
    assert comment_text.footer(run(), NOW) == (
        "<sub>Updated 2026-11-30 14:03:12 UTC · commit "
        f"[`0123456`](https://github.com/acme/voice-agent/commit/{SHA}) · "
        "[run #42](https://github.com/acme/voice-agent/actions/runs/9042)</sub>"
    )


def test_footer_time_is_converted_to_utc():
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert "Updated 2026-11-30 14:03:12 UTC" in comment_text.footer(run(), paris)


# -- the state line --------------------------------------------------------------------------


def test_state_survives_the_round_trip_and_cannot_close_its_html_comment():
    hostile = Check(
        name="metrics[x --> <b>@team</b>].p90",
        title="x --> <script>",
        level=Level.ERROR,
        outcome=Outcome.FAIL,
    )
    state = comment_text.state_of(Verdict.from_checks((hostile,)), run(), None)
    line = state_line(state)
    inside = line.removeprefix("<!-- cekura-gate-state ").removesuffix(" -->")
    assert "-" not in inside and ">" not in inside
    assert read_state(f"{line}\n\nreport") == state


@pytest.mark.parametrize(
    "line",
    [
        "<!-- cekura-gate-state {not json -->",
        '<!-- cekura-gate-state {"v":2,"verdict":"fail"} -->',
        '<!-- cekura-gate-state {"v":1,"verdict":"green"} -->',
        '<!-- cekura-gate-state ["v",1] -->',
        "no state here",
    ],
)
def test_an_unreadable_state_is_no_state(line: str):
    assert read_state(f"{line}\n## report") is None


def test_a_state_line_keeps_only_what_it_may_hold():
    line = (
        '<!-- cekura-gate-state {"v":1,"verdict":"fail","commit":"javascript:alert(1)",'
        '"run":"run #1](https://evil)","run_url":"javascript:x","blocking":[["a","A"],'
        '["b"],[1,2],"c"],"error_kind":""} -->'
    )
    state = read_state(line)
    assert state == State(verdict="fail", blocking=(("a", "A"),))


def test_at_most_twenty_blocking_checks_are_remembered():
    checks = tuple(rate(50, name=f"scenarios[{n}]") for n in range(25))
    state = comment_text.state_of(Verdict.from_checks(checks), run(), None)
    assert len(state.blocking) == comment_text.MAX_REMEMBERED == 20


# -- what a run writes, after what ---------------------------------------------------------------


def test_a_first_failure_has_state_report_and_footer_and_no_passing_note():
    body = text(FAILED, None)
    state, report, footer = body.rstrip("\n").split("\n\n")
    assert read_state(state) == State(
        verdict="fail",
        commit=SHA,
        run_label="run #43",
        run_url="https://github.com/acme/voice-agent/actions/runs/9043",
        blocking=(("success_rate", "Success rate"),),
    )
    assert report == "## report"
    assert footer.startswith("<sub>Updated 2026-11-30 14:03:12 UTC")


def test_a_pass_after_a_failure_says_passing_now_and_what_holds():
    before = text(FAILED, None, number=41)
    body = text(PASSED, before, number=42)
    assert "### ✅ Passing now at commit [`0123456`](" in body
    assert "[run #42](https://github.com/acme/voice-agent/actions/runs/9042)" in body
    assert "The earlier run (commit [`0123456`](" in body
    assert "[run #41](https://github.com/acme/voice-agent/actions/runs/9041)) failed" in body
    assert "- ✅ **Success rate**: 90% (9 of 10 runs), needs ≥ 90%" in body
    assert body.index("Passing now") < body.index("## report") < body.index("<sub>Updated")


def test_a_check_now_at_warn_level_and_a_check_no_longer_configured_are_said_so():
    before = text(Verdict.from_checks((rate(80), rate(50, name="scenarios[3]"))), None)
    now = Verdict.from_checks((rate(80, level=Level.WARN),))
    body = text(now, before)
    assert "- ⚠️ **Success rate**: 80% (8 of 10 runs), a warning now" in body
    assert "- ➖ **Scenario scenarios\\[3\\]**: no longer checked" in body


def test_a_pass_after_could_not_evaluate_says_so():
    error = Verdict.could_not_evaluate("timed out", error_kind="timed out waiting")
    body = text(PASSED, text(error, None))
    assert "could not evaluate the result (timed out waiting); this one did, and passed." in body


def test_a_second_pass_still_names_the_failure_it_replaced():
    first_pass = text(PASSED, text(FAILED, None, number=41), number=42)
    second_pass = text(PASSED, first_pass, number=44)
    assert "[run #41](" in second_pass and "[run #44](" in second_pass
    assert "Passing now" in second_pass
    assert second_pass.count("[run #42](") == 0


def test_a_pass_with_nothing_before_and_a_failure_after_a_pass_have_no_note():
    assert "Passing now" not in text(PASSED, None)
    assert "Passing now" not in text(PASSED, "a comment from before the state line existed")
    again = text(FAILED, text(PASSED, text(FAILED, None)))
    assert "Passing now" not in again
    assert read_state(again).replaced is None
