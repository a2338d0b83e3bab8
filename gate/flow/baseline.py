"""The baseline the policy names, looked up with the API client the settings describe."""

from __future__ import annotations

from typing import Any

from gate.policy import model
from gate.result.model import Result
from gate.settings import Settings
from gate.source.baseline import lookup


def lookup_baseline(
    settings: Settings, policy: model.Policy, result: Result, *, log: Any, sleep: Any, cancel: Any
) -> Any:
    """The baseline the policy names, looked up with an API client unless it is a file."""
    client = None
    if settings.api_key and policy.baseline is not None and not policy.baseline.result_file:
        from gate.source.client import CekuraClient  # only now: requests costs ~50 ms to import

        client = CekuraClient(
            base_url=settings.api_url,
            api_key=settings.api_key,
            sleep=sleep,
            cancelled=cancel,
        )
    return lookup(
        policy,
        result,
        client=client,
        agent_id=settings.agent_id,
        secrets=(settings.api_key, settings.github.token),
        log=log,
        sleep=sleep,
    )
