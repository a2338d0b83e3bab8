"""The execution modes a run can be started in, and the provider data the v2 modes take:
what the command line is checked against before anything is started (gate/source/start.py
starts it)."""

from __future__ import annotations

import json
from typing import Any

from gate.errors import UsageError

MODES = ("voice", "text", "livekit_v2", "pipecat_v2")
#: the provider data each v2 mode takes, by mode
PROVIDER_DATA = {"livekit_v2": "livekit_data", "pipecat_v2": "pipecat_data"}


def provider_data(name: str, text: str) -> dict[str, Any] | None:
    """--livekit-data / --pipecat-data: a JSON object, or None when unset."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--{name}: not valid JSON ({exc}); give a JSON object.") from None
    if not isinstance(value, dict):
        raise UsageError(
            f'--{name}: expected a JSON object such as {{"agent_name": "kit"}}, '
            f"got a JSON {type(value).__name__}."
        )
    return value
