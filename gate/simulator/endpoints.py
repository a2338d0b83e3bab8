"""What the stand-in Cekura API answers: each endpoint over the results and agents the
simulator holds, and a result's status as it progresses. How it is served (HTTP, faults) is
server.py's job."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gate.simulator import catalogue, modes, run_detail, views
from gate.simulator.faults import NO_RESULT

DEFAULT_STATUSES = ("pending", "in_queue", "running", "evaluating")


@dataclass(slots=True)
class Entry:
    payload: dict
    added_at: float
    progress_seconds: float
    statuses: tuple[str, ...]
    final_status: str | None
    seq: int = 0
    agent: str = ""


class Endpoints:
    """The endpoints of Simulator (server.py), which holds the state they read."""

    clock: Callable[[], float]
    url: str
    _lock: threading.Lock
    _results: dict[str, Entry]
    _agents: dict[int, catalogue.AgentProfile]
    _next_result: int
    _next_run: int
    add_result: Callable[..., str]

    # -- what the API shows ----------------------------------------------------------------

    def _progress(self, entry: Entry) -> tuple[str, float] | None:
        """(status, fraction of runs finished) while in progress, None once it has ended."""
        elapsed = self.clock() - entry.added_at
        if not entry.statuses or not 0 <= elapsed < entry.progress_seconds:
            return None
        return views.progress_at(entry.statuses, elapsed / entry.progress_seconds)

    def _view(self, entry: Entry) -> dict:
        progress = self._progress(entry)
        if progress is None:
            final = entry.final_status or entry.payload.get("status")
            return entry.payload | {"status": final}
        return views.progress_view(entry.payload, status=progress[0], fraction=progress[1])

    def _route(self, method: str, path: str, query: dict, body: Any, raw: bytes) -> tuple:
        known = False  # the path exists, for another method
        for verb, pattern, name in (*_ROUTES, *modes.ROUTES):  # modes.py: other starts
            match = pattern.fullmatch(path)
            if match and verb == method:
                return getattr(self, name)(*match.groups(), query=query, body=body, raw=raw)
            known = known or match is not None
        if known:
            return 405, {"detail": f'Method "{method}" not allowed.'}
        return 404, {"detail": "Not found."}

    def _detail(self, rid: str, **_: Any) -> tuple:
        with self._lock:
            entry = self._results.get(rid)
            return (404, NO_RESULT) if entry is None else (200, self._view(entry))

    def _rename(self, rid: str, *, body: Any, **_: Any) -> tuple:
        """PATCH a result: only its name (what the gate changes) is taken."""
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return 400, {"name": ["This field must be a string."]}
        with self._lock:
            entry = self._results.get(rid)
            if entry is None:
                return 404, NO_RESULT
            entry.payload["name"] = body["name"]
            return 200, self._view(entry)

    def _end_calls(self, rid: str, **_: Any) -> tuple:
        with self._lock:
            entry = self._results.get(rid)
            if entry is None:
                return 404, NO_RESULT
            progress = self._progress(entry)
            if progress is not None:
                entry.payload = views.progress_view(
                    entry.payload, status="cancelled", fraction=progress[1]
                )
                entry.progress_seconds, entry.final_status = 0, None
        return 200, None

    def _list(self, *, query: dict, **_: Any) -> tuple:
        if not getattr(self, "serves_list", True):
            return 404, {"detail": "Not found."}
        with self._lock:
            entries = sorted(self._results.values(), key=lambda e: -e.seq)
            agent = query.get("agent_id")
            search = query.get("search", "").casefold()  # Cekura's `search`: in the name
            rows = [
                self._view(e)
                for e in entries
                if agent in (None, e.agent)
                and search in str(e.payload.get("name") or "").casefold()
            ]
        page = views.results_page(rows, f"{self.url}/test_framework/v2/results/", query)
        return (404, {"detail": "Invalid page."}) if page is None else (200, page)

    def _start(self, text: str | None, *, body: Any, raw: bytes, **_: Any) -> tuple:
        if raw and body is None:
            return 400, {"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"}
        errors, plan = views.plan_run(body, self._agents)
        if errors:
            return 400, errors
        profile, scenario_ids, frequency = plan
        with self._lock:
            rid, first_run = self._next_result, self._next_run
            self._next_result, self._next_run = rid + 1, first_run + len(scenario_ids) * frequency
        result = catalogue.build_result(
            rid,
            profile,
            scenario_ids,
            frequency=frequency,
            first_run_id=first_run,
            name=str(body.get("name") or ""),
            run_as_text=bool(text),
            created_at=run_detail.iso(datetime.now(UTC)),
        )
        self.add_result(result)
        return 201, views.make_trigger_response(result)


_ROUTES = (
    ("GET", re.compile(r"/test_framework/v[12]/results/"), "_list"),
    ("GET", re.compile(r"/test_framework/v[12]/results/([^/]+)/"), "_detail"),
    ("PATCH", re.compile(r"/test_framework/v[12]/results/([^/]+)/"), "_rename"),
    ("POST", re.compile(r"/test_framework/v1/results/([^/]+)/end_calls/"), "_end_calls"),
    ("POST", re.compile(r"/test_framework/v[12]/scenarios/run_scenarios(_text)?/"), "_start"),
)
