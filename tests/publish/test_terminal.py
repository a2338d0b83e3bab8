"""The terminal report: aligned plain text, blocking checks first, failing runs grouped by cause,
the verdict on the last line; no Markdown or HTML; colour only when asked."""

from __future__ import annotations

import re

import pytest

from gate.judge.evaluate import evaluate
from gate.judge.verdict import Verdict
from gate.publish.console import terminal_runs
from gate.publish.console.terminal import render_text
from gate.publish.console.terminal_runs import group_failing_runs
from gate.publish.console.terminal_text import plain, width
from gate.result.failure import FailureKind
from gate.result.model import Result, Run
from gate.result.parsing import parse
from tests.conftest import load_fixture
from tests.golden import GOLDEN, assert_golden
from tests.publish.test_report import POLICY
from tests.publish.test_report_beyond import regressed

FOLDER = GOLDEN / "terminal"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
API_KEY_REFUSED = Verdict.could_not_evaluate(
    "the Cekura API refused the API key (HTTP 401). Check CEKURA_API_KEY.",
    error_kind="API key refused",
)


def _render(case: str, *, colour: bool = False) -> str:
    if case == "rich_fail":
        verdict, result = regressed()
        return render_text(verdict, result, policy_source=".cekura/gate.yml", colour=colour)
    if case == "could_not_evaluate":
        return render_text(
            API_KEY_REFUSED, None, policy_source=".cekura/gate.yml", result_id="4102", colour=colour
        )
    result = parse(load_fixture(f"{case}.json"))
    return render_text(
        evaluate(result, POLICY), result, policy_source=".cekura/gate.yml", colour=colour
    )


CASES = ("passing", "failing", "rich_fail", "could_not_evaluate")


@pytest.mark.parametrize("case", CASES)
def test_golden_terminal_reports(case):
    assert_golden(f"{case}.txt", _render(case), folder=FOLDER)


@pytest.mark.parametrize(
    ("case", "last"),
    [
        ("passing", "✓ PASSED · 6 of 6 checks held"),
        ("failing", "✗ FAILED · 4 blocking checks: Success rate, Failed workflow runs, "),
        ("rich_fail", "✗ FAILED · 3 blocking checks: Scenario: Emergency triage, "),
        ("could_not_evaluate", "! COULD NOT EVALUATE · API key refused: no verdict on the agent"),
    ],
)
def test_the_verdict_is_the_last_line(case, last):
    assert _render(case).splitlines()[-1].startswith(last)


@pytest.mark.parametrize("case", CASES)
def test_no_markdown_no_html(case):
    text = _render(case)
    for token in ("<", ">", "\\", "**", "|---", "<br>", "<details>", "```"):
        assert token not in text, token


def test_blocking_checks_come_before_warnings_and_the_rest():
    text = _render("failing")
    assert (
        text.index("Blocking checks (4)")
        < text.index("Warnings (1, do not fail the gate)")
        < text.index("Other checks: ✓ 1 held (Runs in the result)")
        < text.index("Failing runs (2 of 4, 2 causes)")
    )


def test_columns_line_up():
    rows = [line for line in _render("rich_fail").splitlines() if line.startswith("  ✗ ")]
    header = next(line for line in _render("rich_fail").splitlines() if "CHECK" in line)
    # VALUE starts in the same column on the header and on every row
    column = width(header[: header.index("VALUE")])
    assert len(rows) == 3
    for row in rows:
        assert width(row[:column]).__eq__(column)
        assert row[column - 1] == " " and row[column] != " "


def test_the_baseline_columns_appear_only_when_a_row_has_them():
    assert "BASELINE   CHANGE" in _render("rich_fail")
    assert "BASELINE" not in _render("failing")


def test_colour_only_when_asked():
    plain_text = _render("failing")
    coloured = _render("failing", colour=True)
    assert "\x1b[" not in plain_text
    assert "\x1b[1;31m✗ FAILED" in coloured
    assert "\x1b[31m✗\x1b[0m Success rate" in coloured
    assert _ANSI.sub("", coloured) == plain_text  # colour adds nothing a monochrome screen lacks


def test_a_pass_with_a_warning_says_the_warning_does_not_block():
    result = parse(load_fixture("passing.json"))
    from gate.policy import config

    policy = config.parse(
        "version: 1\nthresholds:\n  success_rate: {min: 100, level: warn}\n", name="t.yml"
    )
    bad = Result(
        id=result.id,
        name=result.name,
        status="completed",
        runs=(Run("1", 1, "A", "completed", True), Run("2", 1, "A", "completed", False)),
    )
    text = render_text(evaluate(bad, policy), bad)
    # scenario A ran twice, once passing: flaky, a second warning (thresholds.flaky: warn)
    assert text.splitlines()[-1] == "✓ PASSED · 1 of 3 checks held; 2 warnings, which do not block"
    assert "  ! Success rate   50% (1 of 2 runs)   ≥ 100%" in text


def test_a_usage_error_is_not_called_could_not_evaluate():
    verdict = Verdict.could_not_evaluate("bad.yml:3: unknown key", error_kind="config error")
    text = render_text(verdict, None)
    assert "COULD NOT EVALUATE" not in text and "could not evaluate" not in text
    assert text.splitlines()[-1] == "! STOPPED · config error: nothing was evaluated"
    assert "What stopped the gate (config error):\n  bad.yml:3: unknown key" in text


def test_hostile_text_from_the_api_cannot_drive_the_terminal():
    name = "Evil\x1b[2J\x1b]0;title\x07 <b>scenario</b>\u202e"
    result = Result(
        id="9",
        name="\x1b[31mred",
        status="completed",
        runs=(Run("1", 1, name, "completed", False, error_message="x\rY\x9b2J"),),
    )
    text = render_text(evaluate(result, POLICY), result)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text and "\x9b" not in text
    assert "\u202e" not in text
    assert "Evil [2J ]0;title scenario" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a\n\tb", "a b"), ("<i>x</i>", "x"), ("x" * 70, "x" * 59 + "…"), ("", "")],
)
def test_plain(raw, expected):
    assert plain(raw) == expected


def test_wide_characters_take_two_columns():
    assert width("予約") == 4
    assert width("e\u0301") == 1
    assert width("✗ ok") == 4


def _runs(*specs: tuple[str, str, str, str]) -> Result:
    runs = tuple(
        Run(run_id, 1, scenario, status, False, error_message=reason)
        for run_id, scenario, status, reason in specs
    )
    return Result(id="1", name="r", status="completed", runs=runs)


def test_failing_runs_are_grouped_agent_first_largest_first():
    result = _runs(
        ("1", "Billing", "failed", "SIP 503"),
        ("2", "Booking", "failed", "SIP 503"),
        ("3", "Triage", "completed", "did not say 911"),
        ("4", "Booking", "completed", "wrong date"),
        ("5", "Booking", "completed", "wrong date"),
    )
    groups = group_failing_runs(result)
    # the same groups as the job summary's "What went wrong" (gate/publish/findings/causes.py)
    assert [(g.kind, g.scenarios, g.cause, g.example, g.run_ids) for g in groups] == [
        (
            FailureKind.AGENT,
            ("Booking",),
            "not successful",
            "Not successful: wrong date",
            ("4", "5"),
        ),
        (
            FailureKind.AGENT,
            ("Triage",),
            "not successful",
            "Not successful: did not say 911",
            ("3",),
        ),
        # one outage, whatever the scenario
        (
            FailureKind.INFRASTRUCTURE,
            ("Billing", "Booking"),
            "never connected",
            "Never connected: SIP 503",
            ("1", "2"),
        ),
    ]
    assert "    2 scenarios   2 runs (#1, #2)   Never connected: SIP 503" in render_text(
        evaluate(result, POLICY), result
    )


def test_runs_that_missed_the_expected_outcome_are_one_cause_whatever_the_explanation():
    runs = tuple(
        Run(
            str(n),
            1,
            "Triage",
            "completed",
            False,
            expected_outcome_score=float(score),
            expected_outcome_explanation=text,
        )
        for n, (score, text) in enumerate([(0, "no 911"), (20, "late transfer"), (0, "rude")])
    )
    result = Result(id="1", name="r", status="completed", runs=runs)
    [group] = group_failing_runs(result)
    assert group.cause == "expected outcome"
    assert group.example == "Expected outcome 0/100: no 911"  # the lowest score, once
    assert group.run_ids == ("0", "1", "2")


def test_many_causes_are_cut_and_counted():
    specs = [(str(i), f"S{i:02}", "completed", f"reason {i}") for i in range(13)]
    text = render_text(evaluate(_runs(*specs), POLICY), _runs(*specs))
    assert "    … 5 more causes (5 runs)" in text
    assert text.count("1 run (#") == terminal_runs.GROUP_ROWS


def test_a_long_reason_is_cut_to_the_terminal_width():
    result = _runs(("1", "Triage", "completed", "word " * 60))
    for columns in (80, 120):
        text = render_text(evaluate(result, POLICY), result, columns=columns)
        row = next(line for line in text.splitlines() if line.startswith("    Triage"))
        assert width(row) <= columns
        assert row.endswith("…")


def _many_failing() -> Result:
    """2,000 failing runs (and 500 that passed) over 12 scenarios and 6 causes."""
    causes = [
        ("completed", "Expected outcome scored 0/100: the agent never confirmed the booking"),
        ("completed", "Workflow Adherence failed: skipped the identity check"),
        ("completed", "Expected outcome scored 20/100: transferred to a human too early"),
        ("failed", "Call failed to connect: SIP 503 Service Unavailable"),
        ("failed", "Failed to create Pipecat session"),
        ("completed", "marked unsuccessful by Cekura (no reason given)"),
    ]
    runs = []
    for n in range(2500):
        scenario = f"Scenario {n % 12 + 1:02}"
        if n % 5 == 4:
            runs.append(Run(str(100000 + n), n % 12, scenario, "completed", True))
            continue
        status, reason = causes[(n // 12) % len(causes)]
        runs.append(Run(str(100000 + n), n % 12, scenario, status, False, error_message=reason))
    return Result(id="9000", name="Nightly full", status="completed", runs=tuple(runs))


def test_golden_terminal_report_of_2000_failing_runs():
    result = _many_failing()
    assert len(result.failing_runs) == 2000
    text = render_text(evaluate(result, POLICY), result, policy_source=".cekura/gate.yml")
    assert_golden("many_failing.txt", text, folder=FOLDER)
    # one screen, however many runs failed: the causes are cut, then counted
    assert len(text.splitlines()) < 45
    assert "Failing runs (2000 of 2500, 14 causes)" in text
    assert "    … 4 more causes (444 runs)" in text
    assert (
        "    12 scenarios   336 runs (#100036, #100037, #100038, …)   Never connected: Call" in text
    )
    assert text.splitlines()[-1].startswith("✗ FAILED · ")


def test_a_run_named_by_its_place_is_not_hashed_twice():
    parsed = parse({"id": 9, "status": "completed", "runs": [{"id": 7, "success": False}, None]})
    text = render_text(evaluate(parsed, POLICY), parsed, columns=200)
    assert "1 run (#2)" in text and "##" not in text
    assert "1 run (#7)" in text
