"""What `obtain` is asked for (`Wanted`: which result, and how) and what it has learnt so far
(`Progress`), so that a gate stopped early (a cancel, a timeout) can still say which result it
was waiting for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from gate.source.reuse import Earlier, RunName
from gate.source.start import StartRequest

#: looks at a payload (a summary when `light`): True when the verdict can no longer pass
CannotPass = Callable[[Any, bool], bool]


class Wanted(msgspec.Struct, frozen=True, gc=False):
    """Which result to obtain and how: exactly one of `result_file`, `result_id` or a run to
    start for `agent_id` (with `scenarios` or `tags`)."""

    result_file: str = ""
    result_id: str = ""
    agent_id: str = ""
    scenarios: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    frequency: int = 1
    run_as_text: bool = False
    api_url: str = ""
    api_key: str = ""
    #: every secret a payload must not echo (the API key, the GitHub token)
    secrets: tuple[str, ...] = ()
    timeout: float = 1800.0
    poll_interval: float = 10.0
    #: the run to start in full (mode, suite, options); None: a voice or text run of the
    #: fields above
    start: StartRequest | None = None
    #: refuse a start that would place more calls than this (exit 2); None: no limit
    max_calls: int | None = None
    #: when a run started here is decided early, ask Cekura to end its remaining calls
    end_calls_on_fail: bool = True
    #: the name of the run to start (None outside a workflow run), and what a re-run attempt
    #: does with the earlier attempt's run (gate/source/reuse.py)
    run_name: RunName | None = None
    reuse: str = "unfinished"

    @property
    def starts_run(self) -> bool:
        return bool(self.agent_id)

    def start_request(self) -> StartRequest:
        return self.start or StartRequest(
            agent_id=int(self.agent_id),
            mode="text" if self.run_as_text else "voice",
            scenarios=self.scenarios,
            tags=self.tags,
            frequency=self.frequency,
        )


class Progress(msgspec.Struct):
    """What is known so far, for the report when the gate stops early."""

    result_id: str = ""
    status: str = ""
    policy_source: str = ""
    #: the wait loop's last wait.Progress (status and run counts), None before the first poll
    last: Any = None
    #: ends the calls of the run this gate started; None when it started none
    end_calls: Callable[[str], None] | None = None
    #: the result's dashboard link has been printed
    linked: bool = False
    #: the wait stopped early: the result could no longer pass (gate/judge/early.py)
    decided_early: bool = False
    #: ...and Cekura was asked to end its remaining calls (None: not asked; else whether it
    #: answered)
    calls_ended: bool | None = None
    #: the name of the run this gate started or reattached to ("" when unnamed): marked
    #: judged once a verdict is reached
    run_name: str = ""
    #: the earlier attempt's run this gate reattached to, instead of starting one
    reused: Earlier | None = None
    #: facts about how the result was obtained, for the report
    notes: list[str] = msgspec.field(default_factory=list)
    #: the retry of the failed scenarios (retry_failed) while it is started and waited for:
    #: a cancel then ends its calls
    retry: Progress | None = None
