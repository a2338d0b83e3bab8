"""The config keys for infrastructure failures: count_infrastructure and the infrastructure
check, what they load as, what `validate` says of them, and every mistake named."""

from __future__ import annotations

import pytest

from gate.errors import ConfigError
from gate.policy import config
from gate.policy.level import Level
from gate.policy.model import InfrastructureBound
from gate.policy.summary import checks_in_words


def parse(thresholds: str):
    return config.parse("version: 1\nthresholds:\n" + thresholds, name="gate.yml")


def problems(thresholds: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(thresholds)
    return caught.value.problems


def test_count_infrastructure_defaults_to_as_failure():
    assert parse("  success_rate: {min: 90}\n").success_rate.count_infrastructure == "as_failure"
    rate = parse("  success_rate: {min: 90, count_infrastructure: exclude}\n").success_rate
    assert rate.count_infrastructure == "exclude"


@pytest.mark.parametrize(
    "text, bound",
    [
        ("{max_rate: 10}", InfrastructureBound(max_rate=10)),
        ("{max: 2, level: error}", InfrastructureBound(max=2, level=Level.ERROR)),
        ("{max: 0, level: warn}", InfrastructureBound(max=0, level=Level.WARN)),
        ("{max_rate: 0, level: could_not_evaluate}", InfrastructureBound(max_rate=0)),
    ],
)
def test_the_infrastructure_check_loads(text, bound):
    assert parse(f"  infrastructure: {text}\n").infrastructure == bound


def test_no_infrastructure_check_unless_configured():
    assert parse("  min_runs: 1\n").infrastructure is None


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "  infrastructure: {max_rate: 10, max: 2}\n",
            "gate.yml:3: thresholds.infrastructure: give max_rate (a percent of the runs) or max "
            "(a number of runs), not both",
        ),
        (
            "  infrastructure: {level: warn}\n",
            "gate.yml:3: thresholds.infrastructure: give max_rate (a percent of the runs, e.g. "
            "max_rate: 10) or max (a number of runs), got neither",
        ),
        (
            "  infrastructure: {max_rate: 100.5}\n",
            "gate.yml:3: thresholds.infrastructure.max_rate: expected a number from 0 to 100, "
            "got 100.5",
        ),
        (
            "  infrastructure: {max: -1}\n",
            "gate.yml:3: thresholds.infrastructure.max: expected a whole number of at least 0, "
            "got -1",
        ),
        (
            "  infrastructure: {max: 1, level: fail}\n",
            "gate.yml:3: thresholds.infrastructure.level: expected one of could_not_evaluate, "
            "error, warn, got 'fail'",
        ),
        (
            "  success_rate: {min: 90, count_infrastructure: drop}\n",
            "gate.yml:3: thresholds.success_rate.count_infrastructure: expected one of "
            "as_failure, exclude, got 'drop'",
        ),
        (
            "  infrastructure: {max_rate: 10, max_rte: 3}\n",
            "gate.yml:3: thresholds.infrastructure.max_rte: unknown key; did you mean 'max_rate'?",
        ),
    ],
)
def test_each_mistake_is_named_with_its_fix(text, message):
    assert problems(text) == [message]


def test_validate_says_what_it_will_check():
    words = checks_in_words(
        parse(
            "  success_rate: {min: 90, count_infrastructure: exclude}\n"
            "  infrastructure: {max_rate: 10}\n"
        )
    )
    assert "success rate ≥ 90% over connected runs (infrastructure failures left out)" in words
    assert "infrastructure failures ≤ 10% of runs (above it: could not evaluate)" in words
    words = checks_in_words(parse("  infrastructure: {max: 3, level: warn}\n"))
    assert "infrastructure failures ≤ 3 (above it: warn)" in words
