"""The stand-in API's other ways to start a run, and what it says before and after one:

- POST .../run_scenarios_livekit_v2/ (under scenarios-external/ too) and
  .../run_scenarios_pipecat_v2/: body `{"agent": id, "scenarios": [{"scenario": id}, ...]}`;
- POST .../run_scenarios_json/ (tests-as-code): `{agent_id, channel, spec, ...}`; with
  `?dry_run=true` it validates and prices the suite and creates nothing;
- POST .../validate_scenarios_json/: the same check, free;
- POST .../results/{id}/create_shareable_link_token/: `{"expire_at"}` -> `{token, shareable_link}`.

A suite's scenario i runs as the catalogue's scenario i (cycled), so a started suite produces a
result like any other run. Every start body is kept as it came in `starts` (tests read it)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from gate.simulator.catalogue import SCENARIOS
from gate.simulator.faults import NO_RESULT

#: the channels run_scenarios_json takes (Cekura's run-suite action)
SUITE_CHANNELS = ("voice", "text", "elevenlabs", "pipecat_v2", "livekit_v2")
#: simulated credits per call: about two minutes of voice, about six chat messages
CREDITS_PER_CALL = {"text": 3.0}
VOICE_CREDITS_PER_CALL = 10.0
SHARE_BASE = "https://dashboard.cekura.ai/shared/results/"


class Modes:
    """Endpoints of Simulator (server.py) beyond voice and text runs."""

    _lock: Any
    _results: dict
    _start: Callable[..., tuple]
    #: every share link created: (result id, expire_at)
    share_links: list[tuple[str, Any]]

    def _start_v2(self, mode: str, *, body: Any, raw: bytes, **_: Any) -> tuple:
        """livekit_v2 / pipecat_v2: their own body shape, then a run like any other."""
        if not isinstance(body, dict):
            return 400, {"non_field_errors": ["Invalid data. Expected a dictionary."]}
        if "agent_id" in body or "agent" not in body:
            return 400, {"agent": ["This field is required."]}
        given = body.get("scenarios")
        if not isinstance(given, list) or not all(
            isinstance(s, dict) and "scenario" in s for s in given
        ):
            return 400, {"scenarios": ['Expected a list of {"scenario": id} objects.']}
        field = f"{mode}_data"
        if field in body and not isinstance(body[field], dict):
            return 400, {field: ["Expected a JSON object."]}
        plain = {k: v for k, v in body.items() if k not in ("agent", "scenarios", field)}
        plain |= {"agent_id": body["agent"], "scenarios": [s["scenario"] for s in given]}
        return self._start(None, body=plain, raw=raw)

    def _suite(self, *, query: dict, body: Any, raw: bytes, **_: Any) -> tuple:
        """run_scenarios_json: start the suite, or (dry_run=true) only check and price it."""
        errors, plan = _check_suite(body)
        if errors:
            return 400, {"errors": errors}
        if query.get("dry_run", "").lower() == "true":
            return 200, plan
        ids = [SCENARIOS[i % len(SCENARIOS)].id for i in range(plan["plan"]["scenario_count"])]
        plain = {
            "agent_id": body["agent_id"],
            "scenarios": ids,
            "frequency": body.get("frequency", 1),
            "name": body.get("name") or "",
        }
        return self._start("_text" if body["channel"] == "text" else None, body=plain, raw=raw)

    def _validate_suite(self, *, body: Any, **_: Any) -> tuple:
        errors, plan = _check_suite(body)
        return (400, {"errors": errors}) if errors else (200, plan)

    def _share(self, rid: str, *, body: Any, **_: Any) -> tuple:
        with self._lock:
            if rid not in self._results:
                return 404, NO_RESULT
            expire_at = body.get("expire_at") if isinstance(body, dict) else None
            self.share_links.append((rid, expire_at))
        token = secrets.token_urlsafe(16)
        return 200, {"token": token, "shareable_link": SHARE_BASE + token}


def _check_suite(body: Any) -> tuple[dict, dict]:
    """({where: [messages]}, {}) for a bad suite, every problem at once; else ({}, the
    validation answer {dry_run, valid, plan})."""
    if not isinstance(body, dict):
        return {"non_field_errors": ["Invalid data. Expected a dictionary."]}, {}
    errors: dict[str, list[str]] = {}
    agent = body.get("agent_id")
    if isinstance(agent, bool) or not isinstance(agent, int) or agent < 1:
        errors["agent_id"] = ["A valid integer is required."]
    channel = body.get("channel")
    if channel not in SUITE_CHANNELS:
        errors["channel"] = [f'"{channel}" is not a valid choice.']
    spec = body.get("spec")
    scenarios = spec.get("scenarios") if isinstance(spec, dict) else None
    if not isinstance(scenarios, list) or not scenarios:
        errors["spec.scenarios"] = ["A suite needs at least one scenario."]
        scenarios = []
    for n, scenario in enumerate(scenarios):
        if not isinstance(scenario, dict) or not str(scenario.get("instructions") or "").strip():
            errors[f"scenarios[{n}].instructions"] = ["Instructions are required."]
    frequency = body.get("frequency", 1)
    if isinstance(frequency, bool) or not isinstance(frequency, int) or frequency < 1:
        errors["frequency"] = ["Ensure this value is greater than or equal to 1."]
    if errors:
        return errors, {}
    total = len(scenarios) * frequency
    rate = CREDITS_PER_CALL.get(channel, VOICE_CREDITS_PER_CALL)
    return {}, {
        "dry_run": True,
        "valid": True,
        "plan": {
            "channel": channel,
            "scenario_count": len(scenarios),
            "total_runs": total,
            "estimated_cost": round(total * rate, 2),
        },
    }


ROUTES = (
    (
        "POST",
        re.compile(
            r"/test_framework/v1/scenarios(?:-external)?/run_scenarios_(livekit|pipecat)_v2/"
        ),
        "_start_v2",
    ),
    ("POST", re.compile(r"/test_framework/v1/scenarios/run_scenarios_json/"), "_suite"),
    (
        "POST",
        re.compile(r"/test_framework/v1/scenarios/validate_scenarios_json/"),
        "_validate_suite",
    ),
    (
        "POST",
        re.compile(r"/test_framework/v1/results/([^/]+)/create_shareable_link_token/"),
        "_share",
    ),
)
