"""What starting a run asks of Cekura: the endpoint and body of each execution mode, the suite
file of a tests-as-code run, and how many calls the start would place.

Each mode has its own endpoint and body shape (Cekura's API notes, §1.1):

- voice and text: `{"agent_id": 5, "scenarios": [1, 2]}` (or `"tags"`), to run_scenarios and
  run_scenarios_text;
- livekit_v2 and pipecat_v2: `{"agent": 5, "scenarios": [{"scenario": 1}, ...]}`, scenario ids
  only (these endpoints take no tags);
- a suite file (tests-as-code): `{"agent_id", "channel", "spec", ...}` to run_scenarios_json,
  whichever the mode (it is the `channel`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from gate.errors import ConfigError, UsageError
from gate.source.modes import PROVIDER_DATA

ENDPOINTS = {
    "voice": "/test_framework/v1/scenarios/run_scenarios/",
    "text": "/test_framework/v1/scenarios/run_scenarios_text/",
    "livekit_v2": "/test_framework/v1/scenarios-external/run_scenarios_livekit_v2/",
    "pipecat_v2": "/test_framework/v1/scenarios/run_scenarios_pipecat_v2/",
}
SUITE_ENDPOINT = "/test_framework/v1/scenarios/run_scenarios_json/"
#: free: checks and prices a suite without creating anything (not in Cekura's OpenAPI file)
VALIDATE_ENDPOINT = "/test_framework/v1/scenarios/validate_scenarios_json/"
#: the longest single request to start a run, or to look for the one an earlier attempt
#: started; the wait loop shortens its polls near the deadline
START_REQUEST_TIMEOUT = 60.0
#: a suite file larger than this is not a suite (Cekura's own examples are a few KiB)
MAX_SUITE_BYTES = 4 * 2**20


class StartRequest(msgspec.Struct, frozen=True):
    """One run to start: which agent, what to run, in which mode, with which options."""

    agent_id: int
    mode: str = "voice"
    scenarios: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    frequency: int = 1
    concurrency_limit: int | None = None
    #: voice only: the number the testing agent calls from (outbound_phone_number)
    phone_number: str = ""
    run_name: str = ""
    personality_ids: tuple[int, ...] = ()
    test_profile_ids: tuple[int, ...] = ()
    #: livekit_v2 / pipecat_v2 only: the provider's connection data, a JSON object
    provider_data: dict[str, Any] | None = None
    #: a tests-as-code suite (its parsed spec) and the file it came from
    suite: dict[str, Any] | None = None
    suite_file: str = ""

    @property
    def endpoint(self) -> str:
        return SUITE_ENDPOINT if self.suite is not None else ENDPOINTS[self.mode]

    @property
    def run_as_text(self) -> bool:
        return self.mode == "text"

    def body(self) -> dict[str, Any]:
        """The request body, in the shape the endpoint takes."""
        if self.suite is not None:
            body: dict[str, Any] = {"agent_id": self.agent_id, "channel": self.mode}
            body["spec"] = self.suite
            if self.frequency != 1:
                body["frequency"] = self.frequency
        elif self.mode in PROVIDER_DATA:
            body = {"agent": self.agent_id, "scenarios": [{"scenario": s} for s in self.scenarios]}
            body["frequency"] = self.frequency
        else:
            body = {"agent_id": self.agent_id}
            if self.scenarios:
                body["scenarios"] = list(self.scenarios)
            else:
                body["tags"] = list(self.tags)
            body["frequency"] = self.frequency
            if self.personality_ids:
                body["personality_ids"] = list(self.personality_ids)
            if self.test_profile_ids:
                body["test_profile_ids"] = list(self.test_profile_ids)
            if self.phone_number:
                body["outbound_phone_number"] = self.phone_number
        if self.run_name:
            body["name"] = self.run_name
        if self.concurrency_limit is not None:
            body["concurrency_limit"] = self.concurrency_limit
        if self.provider_data is not None:
            body[PROVIDER_DATA[self.mode]] = self.provider_data
        return body

    def calls(self) -> int | None:
        """Calls the start places: scenarios × frequency × personalities × profiles (Cekura's
        formula); None when only Cekura knows (tags, a suite: it says in a validation)."""
        if self.suite is not None or not self.scenarios:
            return None
        return (
            len(self.scenarios)
            * self.frequency
            * max(1, len(self.personality_ids))
            * max(1, len(self.test_profile_ids))
        )

    def describe(self) -> str:
        """'a voice run of scenarios 1,2 for agent 5', for the log."""
        if self.suite is not None:
            what = f"suite {self.suite_file}"
        elif self.scenarios:
            what = "scenarios " + ",".join(str(s) for s in self.scenarios)
        else:
            what = "tags " + ",".join(self.tags)
        return f"a {self.mode} run of {what} for agent {self.agent_id}"


def read_suite(path: str) -> dict[str, Any]:
    """A tests-as-code suite file (JSON, or YAML for a .yml/.yaml file) as the object Cekura
    takes in `spec`; a UsageError that names the file and the fix otherwise."""
    target = Path(path)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"--suite-file: {path} does not exist. Give the path of your tests-as-code suite "
            "(relative to the repository root in GitHub Actions)."
        ) from None
    except OSError as exc:
        raise UsageError(f"--suite-file: cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_SUITE_BYTES:
        raise UsageError(
            f"--suite-file: {path} is {len(data):,} bytes; a suite is at most "
            f"{MAX_SUITE_BYTES // 2**20} MiB. Check the path points at the suite."
        )
    yaml = target.suffix.lower() in (".yml", ".yaml")
    try:
        text = data.decode("utf-8")
        if yaml:
            from gate.policy.yaml_reader import load_yaml

            spec = load_yaml(text, path)[1]  # bounded: no alias bombs, no deep nesting
        else:
            spec = json.loads(text)
    except ConfigError as exc:
        raise UsageError(f"--suite-file: {exc.message}") from None
    except (ValueError, RecursionError) as exc:  # JSON or UTF-8: the message names the problem
        raise UsageError(
            f"--suite-file: {path} is not valid {'YAML' if yaml else 'JSON'} "
            f"({_first_line(exc)}). Fix the file; Cekura's tests-as-code docs show the format."
        ) from None
    if not isinstance(spec, dict) or not spec.get("scenarios"):
        raise UsageError(
            f"--suite-file: {path} has no scenarios: a suite is an object with a non-empty "
            "'scenarios' list."
        )
    return spec


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
