"""The summary's block on repeated and quarantined scenarios (page_repeats.py)."""

from __future__ import annotations

from gate.judge.verdict import QuarantineState, ScenarioRow, Stability, Verdict
from gate.publish.pages.markdown import render


def row(name: str, passed: int, runs: int) -> ScenarioRow:
    return ScenarioRow(
        name=name, scenario_id=None, runs=runs, passed=passed, stability=Stability.of(passed, runs)
    )


def test_labels_are_counted_and_flaky_ones_named_at_most_ten():
    flaky = [row(f"Flaky {n:02}", 1, 3) for n in range(12)]
    rows = (*flaky, row("Steady", 3, 3), row("Broken", 0, 3), row("Once", 1, 1))
    text = render(Verdict.from_checks((), scenarios=rows), None)
    assert "**Repeated scenarios:** 12 flaky, 1 stable fail, 1 stable pass." in text
    named = ", ".join(f"Flaky {n:02} (1/3)" for n in range(10))
    assert f" Flaky: {named} and 2 more." in text
    assert "Flaky 10 (1/3)" not in text  # (the scenario table lists them all)


def test_no_block_without_repeats_or_quarantine():
    text = render(Verdict.from_checks((), scenarios=(row("Once", 1, 1),)), None)
    assert "Repeated scenarios" not in text and "Quarantined" not in text


def test_every_quarantine_entry_is_listed_with_its_state_and_inert_text():
    states = (
        QuarantineState("Triage", "ticket | @team <b>x</b>", "2026-12-31", True, ("Triage",)),
        QuarantineState("11544", "vendor", "2026-01-01", False, ("Insurance question",)),
        QuarantineState("Nope", "typo", "2026-12-31", True, ()),
    )
    text = render(Verdict.from_checks((), quarantine=states), None)
    assert "### Quarantined scenarios (3)" in text
    assert "| Triage | ticket \\| @\u200dteam x | 2026-12-31 | 🧊 reported, does not gate |" in text
    assert "| 11544 (Insurance question) | vendor | 2026-01-01 | ⚠️ expired: gates again |" in text
    assert "| Nope | typo | 2026-12-31 | ⚠️ matched no scenario of the result |" in text
    assert "its runs still count in the overall success rate" in text


def test_a_flaky_scenario_is_counted_over_the_calls_that_connected():
    """A call that never connected is left out of the label and of its counts."""
    line = ScenarioRow(
        name="Line",
        scenario_id=None,
        runs=4,
        passed=1,
        infrastructure=2,
        stability=Stability.of(1, 2),
    )
    text = render(Verdict.from_checks((), scenarios=(line, row("Steady", 3, 3))), None)
    assert " Flaky: Line (1/2)." in text
