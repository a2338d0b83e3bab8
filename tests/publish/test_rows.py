"""The checks table: numbers with units, one row per measure, worst first; the chart; the
'Why it failed' sentence."""

from __future__ import annotations

import json

import pytest

from gate.judge.verdict import Check, Kind, Level, Outcome, ScenarioRow, Unit, Verdict
from gate.publish.findings import rows, why
from gate.publish.findings.causes import Call, Cause
from gate.publish.pages import chart
from gate.publish.words import fmt
from gate.publish.words.escape import md_cell
from gate.result.failure import FailureKind

NB = "\u00a0"


def plain(text: str) -> str:
    return text.replace(NB, " ")


def latency(outcome: Outcome = Outcome.FAIL, level: Level = Level.ERROR, **more) -> Check:
    fields = {
        "name": "metrics[Latency].p90",
        "title": "Latency: p90",
        "level": level,
        "outcome": outcome,
        "kind": Kind.METRIC,
        "subject": "Latency",
        "aggregation": "p90",
        "value": 2453.2,
        "unit": Unit.NUMBER,
        "maximum": 1800.0,
        "baseline_value": 909.0,
        "change": 1544.2,
    }
    return Check(**(fields | more))


def rise(outcome: Outcome) -> Check:
    return Check(
        name="baseline.metrics[Latency].p90",
        title="Latency: p90 vs baseline",
        level=Level.ERROR,
        outcome=outcome,
        kind=Kind.REGRESSION,
        measures=Kind.METRIC,
        subject="Latency",
        aggregation="p90",
        value=2453.2,
        unit=Unit.NUMBER,
        maximum=300.0,
        baseline_value=909.0,
        change=1544.2,
    )


def rate(outcome: Outcome, level: Level = Level.ERROR, **more) -> Check:
    fields = {
        "name": "success_rate",
        "title": "Success rate",
        "level": level,
        "outcome": outcome,
        "kind": Kind.SUCCESS_RATE,
        "value": 7 / 12 * 100,
        "unit": Unit.PERCENT,
        "minimum": 90.0,
        "successes": 7,
        "runs": 12,
        "baseline_value": 100.0,
        "change": 7 / 12 * 100 - 100,
    }
    return Check(**(fields | more))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2453.2, "2,453"),
        (81.84, "81.84"),
        (181.84, "181.8"),
        (0.333, "0.33"),
        (-1544.6, "−1,545"),
        (100.0, "100"),
    ],
)
def test_grouped_numbers(value, text):
    assert fmt.grouped(value) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [(909.4, "909 ms"), (9_999.0, "9,999 ms"), (10_000.0, "10 s"), (12_345.0, "12.35 s")],
)
def test_milliseconds_turn_to_seconds_from_ten_seconds(ms, text):
    assert fmt.duration_ms(ms) == text


def test_changes_carry_a_sign_and_a_real_minus():
    assert fmt.signed(-41.67, " pp") == "−41.67 pp"
    assert fmt.signed(1544.2) == "+1,544"
    assert fmt.signed(0.004, " pp") == "±0 pp"


def test_a_latency_reads_in_ms_with_its_baseline_and_change():
    (row,) = rows.rows(Verdict.from_checks((latency(),)))
    assert (row.icon, plain(row.value), plain(row.baseline), plain(row.limit)) == (
        "❌",
        "**2,453 ms**",
        "909 ms (+1,544 ms)",
        "≤ 1,800 ms",
    )


def test_a_rate_reads_as_percent_with_counts_and_the_drop_in_pp():
    (row,) = rows.rows(Verdict.from_checks((rate(Outcome.FAIL),)))
    assert (plain(row.value), plain(row.baseline), plain(row.limit)) == (
        "**58.33%** (7/12)",
        "100% (−41.67 pp)",
        "≥ 90%",
    )


def test_a_regression_shares_the_row_of_its_measure_and_both_limits_show():
    (row,) = rows.rows(Verdict.from_checks((latency(), rise(Outcome.FAIL))))
    assert plain(row.limit) == "≤ 1,800 ms, rise ≤ 300 ms"
    assert row.title == "Latency: p90"
    assert len(row.checks) == 2


def test_when_only_the_regression_fails_the_row_says_which_limit():
    (row,) = rows.rows(Verdict.from_checks((latency(Outcome.PASS), rise(Outcome.FAIL))))
    assert row.standing is rows.Standing.BLOCKS
    assert plain(row.limit) == "≤ 1,800 ms ✅, rise ≤ 300 ms ❌"


def test_a_regression_alone_keeps_its_own_row():
    (row,) = rows.rows(Verdict.from_checks((rise(Outcome.FAIL),)))
    assert (row.title, plain(row.limit)) == ("Latency: p90", "rise ≤ 300 ms")


def test_a_warning_wears_a_warning_sign_never_a_red_cross():
    verdict = Verdict.from_checks((latency(level=Level.WARN),))
    (row,) = rows.rows(verdict)
    assert (row.icon, plain(row.limit)) == ("⚠️", "≤ 1,800 ms · warn only")
    assert verdict.kind == "pass"


def test_inconclusive_says_what_would_decide_it():
    check = rate(
        Outcome.INCONCLUSIVE,
        level=Level.WARN,
        detail="about 62 runs at this rate would decide it",
        confidence=0.95,
    )
    (row,) = rows.rows(Verdict.from_checks((check,)))
    assert row.icon == "⚖️"
    assert "about 62 runs at this rate would decide it" in row.note


def test_rows_are_worst_first():
    checks = (
        rate(Outcome.PASS),
        latency(level=Level.WARN),
        Check(name="min_runs", title="Runs", level=Level.ERROR, outcome=Outcome.FAIL),
    )
    assert [r.icon for r in rows.rows(Verdict.from_checks(checks))] == ["❌", "⚠️", "✅"]


def row_of(name: str, runs: int, passed: int, baseline: float | None = None) -> ScenarioRow:
    return ScenarioRow(name, None, runs, passed, baseline_rate=baseline)


def test_the_chart_draws_bars_and_the_baseline_line():
    verdict = Verdict(
        kind="fail",
        scenarios=(row_of("Emergency triage", 2, 0, 100.0), row_of("Book", 4, 4, 100.0)),
    )
    text = chart.success_by_scenario(verdict)
    assert text.startswith("```mermaid\n") and text.endswith("\n```")
    assert "xychart-beta horizontal" in text
    assert '  x-axis ["Emergency triage", "Book"]' in text
    assert "  bar [0, 100]" in text and "  line [100, 100]" in text


def test_the_chart_colours_its_bars_and_its_line_so_they_can_be_seen():
    """Mermaid's default palette draws bars almost white: the chart sets its own, the bars'
    colour first (the series are coloured in the order they are drawn)."""
    verdict = Verdict(
        kind="fail",
        scenarios=(row_of("Emergency triage", 2, 0, 100.0), row_of("Book", 4, 4, 100.0)),
    )
    init_line = chart.success_by_scenario(verdict).splitlines()[1]
    assert init_line.startswith("%%{init: ") and init_line.endswith("}%%")
    init = json.loads(init_line.removeprefix("%%{init: ").removesuffix("}%%"))
    assert init["xyChart"] == {"width": 720, "height": 90 + 2 * 34}
    bars, line = init["themeVariables"]["xyChart"]["plotColorPalette"].split(", ")
    assert bars == "#0969da" and line == "#bc4c00"


def test_no_chart_for_one_scenario_or_when_every_call_succeeded():
    assert chart.success_by_scenario(Verdict(kind="fail", scenarios=(row_of("A", 2, 0),))) == ""
    perfect = (row_of("A", 2, 2), row_of("B", 1, 1, 100.0))
    assert chart.success_by_scenario(Verdict(kind="pass", scenarios=perfect)) == ""


def test_the_chart_keeps_the_worst_scenarios_and_safe_labels():
    many = tuple(row_of(f'S "{i}"] %%', 1, 0) for i in range(30))
    text = chart.success_by_scenario(Verdict(kind="fail", scenarios=many))
    assert "the 12 worst of 30" in text
    assert text.count('"S ') == 12 and "%%" not in text.split("\n", 2)[2]
    assert len(text) < 2_000


def cause(scenario: str, calls: int, of: int, explanation: str, agent: bool = True) -> Cause:
    return Cause(
        kind=FailureKind.AGENT if agent else FailureKind.INFRASTRUCTURE,
        scenarios=(scenario,),
        failed="expected outcome" if agent else "never connected",
        score=0.0 if agent else None,
        explanation=explanation,
        calls=tuple(Call(str(i), scenario, "", "") for i in range(calls)),
        scenario_runs=of,
        excerpt=(),
        blocks=False,
    )


def test_why_names_the_top_causes_in_words():
    verdict = Verdict.from_checks((latency(),))
    groups = (
        cause("Emergency triage", 2, 2, "The agent booked an appointment. It never said 911."),
        cause("Cancel", 1, 3, "SIP 503", agent=False),
    )
    assert why.sentence(verdict, groups, md_cell) == (
        "*Emergency triage* failed 2 of 2 calls (the agent booked an appointment), "
        "Latency: p90 is **2,453 ms** (was 909 ms; limit ≤ 1,800 ms), "
        "and 1 call never connected (not the agent's fault)."
    )


def test_why_without_groups_names_the_blocking_checks():
    verdict = Verdict.from_checks((rate(Outcome.FAIL),))
    assert why.sentence(verdict, (), md_cell) == (
        "Success rate is **58.33% (7/12)** (was 100%; limit ≥ 90%)."
    )


def test_two_scenarios_cut_to_the_same_label_stay_two_bars():
    scenarios = (
        row_of("Reschedule appointment morning", 1, 0),
        row_of("Reschedule appointment evening", 1, 1),
    )
    text = chart.success_by_scenario(Verdict(kind="fail", scenarios=scenarios))
    assert '["Reschedule appointment…", "Reschedule appointment… (2)"]' in text


def test_why_says_the_baseline_was_not_found_in_words():
    missing = Check(
        name="baseline",
        title="Baseline",
        level=Level.ERROR,
        outcome=Outcome.MISSING,
        kind=Kind.BASELINE,
    )
    assert why.sentence(Verdict.from_checks((missing,)), (), md_cell) == (
        "the baseline to compare with was not found."
    )
