"""Config for repeated scenarios: min_passes, flaky levels and the quarantine list, and what
`validate` says about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import ConfigError
from gate.policy import config
from gate.policy.feasible import unreachable_passes
from gate.policy.level import Level
from gate.policy.model import DEFAULT_POLICY, FlakyPolicy, QuarantineEntry, ScenarioBound
from tests.cli_runner import ROOT, run_gate

FULL = """\
version: 1
thresholds:
  flaky: {level: error}
  scenarios:
    - {name: Book appointment, min_passes: 4}
    - {id: 11543, min_success_rate: 100, flaky: {level: warn}}
    - {id: 11542, flaky: {}}
quarantine:
  - {id: 11543, reason: "ticket 412", until: 2026-12-31}
  - {name: Angry caller escalation, reason: "vendor outage", until: "2027-01-15"}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.parse(text, name="gate.yml")
    return caught.value.problems


def test_the_keys_become_the_policy():
    policy = config.parse(FULL, name="gate.yml")
    assert policy.flaky == FlakyPolicy(level=Level.ERROR, configured=True)
    assert policy.scenarios == (
        ScenarioBound(name="Book appointment", min_passes=4),
        ScenarioBound(min_success_rate=100, scenario_id=11543, flaky_level=Level.WARN),
        ScenarioBound(scenario_id=11542, flaky_level=Level.WARN),
    )
    assert policy.quarantine == (
        QuarantineEntry(reason="ticket 412", until="2026-12-31", scenario_id=11543),
        QuarantineEntry(reason="vendor outage", until="2027-01-15", name="Angry caller escalation"),
    )


def test_without_the_keys_a_flaky_scenario_is_a_warning():
    assert DEFAULT_POLICY.flaky == FlakyPolicy(level=Level.WARN, configured=False)
    assert config.parse("version: 1\n", name="gate.yml").flaky.level is Level.WARN


@pytest.mark.parametrize(
    "until",
    ["2026-02-30", "31-12-2026", "2026-12-31T10:00:00", "20261231", "next week", "2026-1-5"],
)
def test_a_bad_date_names_the_key_the_value_and_the_fix(until):
    text = f"version: 1\nquarantine:\n  - {{name: x, reason: r, until: {until}}}\n"
    (problem,) = problems(text)
    assert problem.startswith("gate.yml:3: quarantine[0].until: expected a date YYYY-MM-DD")
    assert "write it like 2026-12-31" in problem
    assert until.replace("T", " ") in problem


def test_a_quarantine_entry_needs_one_scenario_a_reason_and_a_date():
    assert problems(
        "version: 1\nquarantine:\n  - {name: x, id: 3, reason: r, until: 2026-12-31}\n"
    ) == ["gate.yml:3: quarantine[0]: name the scenario by exactly one of name or id"]
    assert problems("version: 1\nquarantine:\n  - {name: x, until: 2026-12-31}\n") == [
        "gate.yml:3: quarantine[0]: missing required key 'reason'"
    ]
    assert problems("version: 1\nquarantine:\n  - {name: x, reason: r}\n") == [
        "gate.yml:3: quarantine[0]: missing required key 'until'"
    ]


def test_a_scenario_needs_a_bound_and_min_passes_a_whole_number():
    assert problems("version: 1\nthresholds:\n  scenarios: [{name: x, level: warn}]\n") == [
        "gate.yml:3: thresholds.scenarios[0]: give at least one of min_success_rate, min_passes "
        "or flaky"
    ]
    assert problems("version: 1\nthresholds:\n  scenarios: [{name: x, min_passes: 0}]\n") == [
        "gate.yml:3: thresholds.scenarios[0].min_passes: expected a whole number of at least 1, "
        "got 0"
    ]
    assert problems(
        "version: 1\nthresholds:\n  scenarios: [{name: x, min_passes: 2, confidence: 0.9}]\n"
    ) == [
        "gate.yml:3: thresholds.scenarios[0].confidence: confidence applies to a rate: use it "
        "with min_success_rate (min_passes is an exact count)"
    ]
    assert problems("version: 1\nthresholds:\n  flaky: {level: loud}\n") == [
        "gate.yml:3: thresholds.flaky.level: expected one of warn, error, got 'loud'"
    ]


def test_a_date_shaped_value_that_is_no_date_is_a_config_error_not_a_crash():
    # PyYAML raises a bare ValueError on 2026-02-30 wherever it stands
    assert problems("version: 1\nbaseline: {name_pattern: 2026-02-30, result_id: 1}\n") == [
        "gate.yml:2: baseline.name_pattern: applies only with latest_completed: true"
    ]


def test_min_passes_beyond_the_frequency_is_unreachable():
    policy = config.parse(FULL, name="gate.yml")
    (warning,) = unreachable_passes(policy, 3)
    assert warning.startswith("thresholds.scenarios[0].min_passes: 4 passes of scenario ")
    assert "places 3 per scenario" in warning and "frequency 4 or more" in warning
    assert unreachable_passes(policy, 4) == []


def test_the_example_is_valid():
    policy = config.load(ROOT / "examples" / "flaky.yml")
    assert policy.quarantine and policy.flaky.configured
    assert any(s.min_passes for s in policy.scenarios)


# -- the command ------------------------------------------------------------------------------


def test_validate_a_bad_date_exits_2_naming_it(tmp_path: Path):
    path = tmp_path / "gate.yml"
    path.write_text(
        "version: 1\nquarantine:\n  - {id: 4, reason: r, until: 2026-13-01}\n", encoding="utf-8"
    )
    proc = run_gate("validate", str(path), cwd=tmp_path)
    assert proc.returncode == 2
    assert "gate.yml:3: quarantine[0].until: expected a date YYYY-MM-DD" in proc.stderr
    assert "'2026-13-01'; write it like 2026-12-31" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_warns_of_min_passes_the_frequency_cannot_reach(tmp_path: Path):
    path = tmp_path / "gate.yml"
    path.write_text(FULL, encoding="utf-8")
    default = run_gate("validate", str(path), cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert "valid." in default.stdout
    assert "warning:" in default.stderr and "places 1 per scenario" in default.stderr
    from_env = run_gate("validate", str(path), cwd=tmp_path, env={"CEKURA_FREQUENCY": "2"})
    assert "places 2 per scenario" in from_env.stderr
    enough = run_gate("validate", "--frequency", "4", str(path), cwd=tmp_path)
    assert (enough.returncode, enough.stderr) == (0, "")


def test_validate_says_what_it_will_check():
    from gate.policy.summary import checks_in_words

    words = checks_in_words(config.parse(FULL, name="gate.yml"))
    for said in (
        "scenario 'Book appointment' passes at least 4 run(s)",
        "scenario id 11543 not flaky (warn)",
        "repeated scenarios not flaky (error)",
        "quarantined until 2026-12-31: scenario id 11543",
        "quarantined until 2027-01-15: scenario 'Angry caller escalation'",
    ):
        assert said in words
    assert not any("flaky" in w for w in checks_in_words(DEFAULT_POLICY))
