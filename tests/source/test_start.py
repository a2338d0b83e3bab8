"""Starting a run: each execution mode's endpoint and body, the call count, suite files, and the
settings that choose them (checked together, each mistake a usage error that names the fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import UsageError
from gate.settings.read import from_sources
from gate.settings.start import share_link, start_request
from gate.source.cost import Plan, require_within
from gate.source.start import ENDPOINTS, SUITE_ENDPOINT, StartRequest, read_suite


def test_voice_body_carries_the_options_cekura_takes():
    request = StartRequest(
        agent_id=5,
        scenarios=(1, 2),
        frequency=2,
        concurrency_limit=3,
        phone_number="+14155550100",
        run_name="pr-7",
        personality_ids=(8,),
        test_profile_ids=(20, 21),
    )
    assert request.endpoint == "/test_framework/v1/scenarios/run_scenarios/"
    assert request.body() == {
        "agent_id": 5,
        "scenarios": [1, 2],
        "frequency": 2,
        "personality_ids": [8],
        "test_profile_ids": [20, 21],
        "outbound_phone_number": "+14155550100",
        "name": "pr-7",
        "concurrency_limit": 3,
    }
    # Cekura's formula: scenarios × frequency × personalities × profiles
    assert request.calls() == 2 * 2 * 1 * 2


def test_text_run_by_tags_goes_to_the_text_endpoint_and_cannot_be_counted():
    request = StartRequest(agent_id=5, mode="text", tags=("smoke",))
    assert request.endpoint == ENDPOINTS["text"]
    assert request.body() == {"agent_id": 5, "tags": ["smoke"], "frequency": 1}
    assert request.calls() is None


@pytest.mark.parametrize(
    ("mode", "path", "field"),
    [
        ("livekit_v2", "/scenarios-external/run_scenarios_livekit_v2/", "livekit_data"),
        ("pipecat_v2", "/scenarios/run_scenarios_pipecat_v2/", "pipecat_data"),
    ],
)
def test_v2_modes_use_agent_and_scenario_objects(mode, path, field):
    request = StartRequest(
        agent_id=5, mode=mode, scenarios=(11, 12), provider_data={"url": "wss://x"}
    )
    assert request.endpoint.endswith(path)
    assert request.body() == {
        "agent": 5,
        "scenarios": [{"scenario": 11}, {"scenario": 12}],
        "frequency": 1,
        field: {"url": "wss://x"},
    }


def test_suite_body_is_the_tests_as_code_shape():
    spec = {"scenarios": [{"name": "a", "instructions": "call"}]}
    request = StartRequest(
        agent_id=5, mode="livekit_v2", suite=spec, suite_file="s.json", frequency=3,
        concurrency_limit=2, run_name="n", provider_data={"agent_name": "kit"},
    )  # fmt: skip
    assert request.endpoint == SUITE_ENDPOINT
    assert request.body() == {
        "agent_id": 5,
        "channel": "livekit_v2",
        "spec": spec,
        "frequency": 3,
        "name": "n",
        "concurrency_limit": 2,
        "livekit_data": {"agent_name": "kit"},
    }
    assert request.calls() is None  # Cekura counts a suite


def test_max_calls_on_the_bound_and_one_over():
    at = Plan(StartRequest(agent_id=1, scenarios=(1, 2), frequency=2), calls=4)
    require_within(at, 4)  # exactly on the limit is allowed
    with pytest.raises(UsageError) as caught:
        require_within(at, 3)
    assert "would place 4 calls, more than max-calls 3" in caught.value.message
    assert "raise max-calls to 4" in caught.value.message
    require_within(at, None)


def test_max_calls_with_tags_is_refused_before_anything_starts():
    plan = Plan(StartRequest(agent_id=1, tags=("smoke",)), calls=None)
    with pytest.raises(UsageError, match="cannot be counted before it starts"):
        require_within(plan, 10)


def test_read_suite_json_and_yaml(tmp_path: Path):
    (tmp_path / "s.json").write_text('{"scenarios": [{"instructions": "x"}]}', encoding="utf-8")
    (tmp_path / "s.yml").write_text("scenarios:\n  - instructions: x\n", encoding="utf-8")
    assert read_suite(str(tmp_path / "s.json")) == {"scenarios": [{"instructions": "x"}]}
    assert read_suite(str(tmp_path / "s.yml")) == {"scenarios": [{"instructions": "x"}]}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.json", None, "does not exist"),
        ("broken.json", "{", "is not valid JSON"),
        ("empty.json", '{"scenarios": []}', "has no scenarios"),
        ("list.json", "[1]", "has no scenarios"),
        (
            "twice.yml",
            "scenarios: [1]\nscenarios: [2]\n",
            "twice.yml:2: key 'scenarios' appears twice",
        ),
    ],
)
def test_read_suite_refuses_what_is_not_a_suite(tmp_path: Path, name, text, message):
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_suite(str(path))
    assert caught.value.message.startswith("--suite-file: ")
    assert message in caught.value.message


def check(*args: str, **environ: str):
    return from_sources(["check", *args], environ)


def test_settings_build_the_request():
    settings = check(
        "--agent-id", "5", "--scenarios", "1,2", "--execution-mode", "pipecat_v2",
        "--pipecat-data", '{"url": "wss://p"}', "--concurrency-limit", "2", "--run-name", "x",
    )  # fmt: skip
    request = start_request(settings)
    assert request is not None
    assert request.body() == {
        "agent": 5,
        "scenarios": [{"scenario": 1}, {"scenario": 2}],
        "frequency": 1,
        "name": "x",
        "concurrency_limit": 2,
        "pipecat_data": {"url": "wss://p"},
    }


def test_run_as_text_is_the_text_mode():
    assert check("--agent-id", "5", "--tags", "a", "--run-as-text").execution_mode == "text"
    settings = check("--agent-id", "5", "--tags", "a", CEKURA_EXECUTION_MODE="text")
    assert settings.run_as_text and settings.execution_mode == "text"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--result-id", "9", "--max-calls", "3"), "--max-calls is about starting a run"),
        (("--result-id", "9", "--dry-run"), "--dry-run is about starting a run"),
        (("--agent-id", "5", "--tags", "a", "--execution-mode", "sip"),
         "--execution-mode: expected"),
        (("--agent-id", "5", "--tags", "a", "--execution-mode", "voice", "--run-as-text"),
         "--run-as-text asks for a text run"),
        (("--agent-id", "5", "--tags", "a", "--execution-mode", "livekit_v2"), "takes no tags"),
        (("--agent-id", "5", "--tags", "a", "--run-as-text", "--phone-number", "+1"),
         "--phone-number is for voice runs"),
        (("--agent-id", "5", "--scenarios", "1", "--livekit-data", "{}"),
         "--livekit-data is only for --execution-mode livekit_v2"),
        (("--agent-id", "5", "--scenarios", "1", "--execution-mode", "livekit_v2",
          "--livekit-data", "[1]"), "expected a JSON object"),
        (("--agent-id", "5", "--scenarios", "1", "--execution-mode", "livekit_v2",
          "--livekit-data", "{"), "not valid JSON"),
        (("--agent-id", "5", "--scenarios", "1", "--suite-file", "s.json"),
         "give it without --scenarios"),
        (("--agent-id", "5", "--scenarios", "1", "--max-calls", "0"), "at least 1, got '0'"),
        (("--agent-id", "5", "--scenarios", "1", "--concurrency-limit", "x"), "at least 1"),
        (("--agent-id", "5", "--scenarios", "1", "--share-link", "soon"), "such as 7d"),
        (("--agent-id", "5", "--scenarios", "1", "--share-link", "400d"), "more than a year"),
        (("--result-file", "r.json", "--share-link", "7d"), "a --result-file is read offline"),
    ],
)  # fmt: skip
def test_start_settings_that_do_not_fit_are_usage_errors(args, message):
    with pytest.raises(UsageError) as caught:
        check(*args)
    assert message in caught.value.message


def test_suite_file_alone_chooses_the_scenarios():
    settings = check("--agent-id", "5", "--suite-file", "suite.json")
    assert settings.suite_file == "suite.json" and not settings.scenarios


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("7d", 7 * 86400), ("12h", 43200), ("90m", 5400), ("off", 0.0), ("false", 0.0)],
)
def test_share_link_durations(text, seconds):
    assert share_link(text) == seconds
