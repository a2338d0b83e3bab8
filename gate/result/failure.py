"""Why a run did not succeed: the infrastructure (the call never happened as a test) or the
agent (a connected call that missed an expected outcome or a metric). Defined here only.

The rules, in order; the first that holds decides:

1. Cekura listed the run in `failed_infrastructure_runs` (its Infrastructure Issues metric
   scored 0), or the run carries that metric as failed: infrastructure.
2. The run's status is `error`, `failed` or `timeout` (Cekura marks infrastructure failures
   `failed`, and an outbound call never dialled `timeout`): infrastructure.
3. The run's `error_message` or its ended reason (`metadata.ended_reason`, or
   `call_ended_reason`) speaks of the connection, in whole words of any case: SIP,
   websocket, provider, connect/connection, dial/dialled/dialing (not "dialogue"),
   telephony, network, handshake, session, timeout/timed out, no answer, busy,
   unreachable, Twilio, LiveKit, Pipecat: infrastructure.
4. Otherwise (a connected call that did not succeed, or no reason at all): the agent.

Rule 4 errs towards the agent on purpose: a failure the gate cannot explain is never excused
as somebody else's fault.
"""

from __future__ import annotations

import re
from enum import StrEnum

from gate.result.model import Run

#: the run statuses that mean the test call itself did not take place
INFRASTRUCTURE_STATUSES = frozenset({"error", "failed", "timeout"})
#: the metric Cekura attaches to tell infrastructure trouble apart (binary, True = no issue)
INFRASTRUCTURE_METRIC = "infrastructure issues"
#: words in an error message or ended reason that say the call never properly connected
_CONNECTION_WORDS = re.compile(
    r"\b(sip|websocket|web socket|provider|connect\w*|dial(?:s|ed|led|ing|ling)?|telephony"
    r"|network|handshake|session|timed? ?out|not?[- ]answer|busy|unreachable|twilio|livekit"
    r"|pipecat)\b",
    re.IGNORECASE,
)


class FailureKind(StrEnum):
    INFRASTRUCTURE = "infrastructure"
    AGENT = "agent"


def classify(run: Run, infrastructure_ids: frozenset[str] = frozenset()) -> FailureKind | None:
    """The kind of failure of `run`, or None when the run succeeded.

    `infrastructure_ids` are the run ids of the result's `failed_infrastructure_runs`."""
    if run.success is True:
        return None
    if run.id in infrastructure_ids:
        return FailureKind.INFRASTRUCTURE
    for metric in run.metrics:
        if metric.passed is False and metric.name.strip().lower() == INFRASTRUCTURE_METRIC:
            return FailureKind.INFRASTRUCTURE
    if run.status in INFRASTRUCTURE_STATUSES:
        return FailureKind.INFRASTRUCTURE
    for text in (run.error_message, run.ended_reason):
        if text and _CONNECTION_WORDS.search(text):
            return FailureKind.INFRASTRUCTURE
    return FailureKind.AGENT


def infrastructure_ids(failed_infrastructure_runs: tuple[str, ...] | None) -> frozenset[str]:
    """The run ids Cekura itself counted as infrastructure failures (None: not measured)."""
    return frozenset(failed_infrastructure_runs or ())
