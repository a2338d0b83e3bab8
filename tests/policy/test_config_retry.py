"""retry_failed in the config: defaults, bounds, and its absence (nothing is retried)."""

from __future__ import annotations

import pytest

from gate.errors import ConfigError
from gate.policy import config
from gate.policy.model import RetryPolicy


def test_absent_is_no_retry():
    assert config.parse("version: 1\n", name="g.yml").retry_failed is None


def test_defaults_are_one_retry_of_at_most_20_calls():
    policy = config.parse("version: 1\nretry_failed: {}\n", name="g.yml")
    assert policy.retry_failed == RetryPolicy(times=1, max_calls=20)
    policy = config.parse("version: 1\nretry_failed: {times: 2, max_calls: 1}\n", name="g.yml")
    assert policy.retry_failed == RetryPolicy(times=2, max_calls=1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("retry_failed: {max_calls: 0}", "retry_failed.max_calls: expected a whole number"),
        ("retry_failed: {times: 0}", "retry_failed.times"),
        ("retry_failed: {times: 6}", "retry_failed.times"),
        ("retry_failed: {tims: 1}", "did you mean 'times'"),
        ("retry_failed: true", "retry_failed"),
    ],
)
def test_bad_values_name_the_key_and_the_fix(text, words):
    with pytest.raises(ConfigError) as caught:
        config.parse(f"version: 1\n{text}\n", name="g.yml")
    assert "g.yml:2:" in caught.value.message and words in caught.value.message


def test_validate_says_what_is_retried_and_warns_when_no_retry_can_start():
    from gate.policy.feasible import unreachable_retry
    from gate.policy.summary import retry_in_words

    policy = config.parse("version: 1\nretry_failed: {max_calls: 3}\n", name="g.yml")
    assert retry_in_words(policy.retry_failed) == (
        "a failed run the gate starts is retried once, only its failed scenarios, within 3 "
        "calls; every run counts."
    )
    assert unreachable_retry(policy, 3) == []  # exactly max_calls: one scenario fits
    (warning,) = unreachable_retry(policy, 4)
    assert warning.startswith("retry_failed.max_calls: 3 is fewer than the 4 calls")
    assert unreachable_retry(config.parse("version: 1\n", name="g.yml"), 99) == []
