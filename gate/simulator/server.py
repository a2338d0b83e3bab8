"""A stand-in for the Cekura API: a real HTTP server on 127.0.0.1, for the demo and e2e tests.

    with Simulator(api_key="demo-key", clock=time.monotonic) as sim:
        sim.url                     # "http://127.0.0.1:PORT"
        rid = sim.add_result(payload, progress_seconds=3.0,
                             statuses=("pending", "in_queue", "running", "evaluating"),
                             final_status=None)          # -> the result id, a string
        sim.script(rid, [Fault.status(429, retry_after="1"), Fault.drop()])
        sim.set_agent(7, {11543: "outcome_fail"})        # or a catalogue.AgentProfile
        sim.requests                # [Request(method, path, query, headers, body)]

- `api_key=None` accepts any key (or none); otherwise a missing or wrong `X-CEKURA-API-KEY`
  gets 401 `{"detail": ...}`.
- Progression: from `add_result` (or a run start) the status walks through `statuses` evenly
  over `progress_seconds` of the injected `clock`, then becomes `final_status` or the
  payload's own status. Runs finish one by one after the waiting statuses (pending,
  in_queue, scaling_up); unfinished runs show `running` with `success: null`; counts rise;
  the final payload appears only at the end. Any status string may be scripted.
- Faults (`Fault.*`) are consumed one per matching request, in order: `script(rid, ...)`
  matches requests whose path names that result, `script(None, ...)` any request (the
  result's own queue is used first). They act at the socket level: `drop` closes without
  a response, `truncated` promises more bytes than it sends, `slow(s)` waits s seconds
  (cut short by `stop`) and then answers normally, `slow_body(s)` sends the headers and then
  trickles the normal body over s seconds, `reset` sends part of a body and then resets the
  connection (TCP RST). `ok()` answers normally (to script "the third poll fails"), and
  `json(code, body)` answers with any JSON body (a status going backwards, an error detail).
  Misbehaving bodies: `result_of(id)` answers with another result's body (a proxy or cache
  mixing answers up), `gzip()` answers normally but gzip-encoded, and `raw(data, headers)`
  sends any bytes as they are (JSON nested 100,000 deep, a gzip bomb: see payloads.py).
- Endpoints: GET /test_framework/v{1,2}/results/{id}/ (404 for unknown ids);
  GET /test_framework/v{1,2}/results/?agent_id=&page=&page_size= (DRF page, newest first);
  POST /test_framework/v{1,2}/scenarios/run_scenarios[_text]/ (201 trigger response, or 400
  DRF field errors); POST /test_framework/v1/results/{id}/end_calls/ (200, empty body; an
  unfinished result becomes `cancelled`, a finished one is left as it is); the livekit_v2 and
  pipecat_v2 starts, tests-as-code suites (run, dry run, validation with an estimated cost) and
  share links: see modes.py.
- Agents 1 (all runs pass), 2 (regressed) and 3 (agent 1 on a line that drops two calls, with a
  metric blocked where it does not apply) exist by default; see catalogue.py. What each
  endpoint answers is in endpoints.py, the faults in faults.py.

Standalone: `python -m gate.simulator.server [--port N] [--progress-seconds S]
[--api-key K]` serves the two demo results (ids 4101 and 4102) until Ctrl-C.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from gate.simulator import catalogue
from gate.simulator.endpoints import DEFAULT_STATUSES, Endpoints, Entry
from gate.simulator.faults import Fault, misbehave, send_answer, trickle
from gate.simulator.modes import Modes

_RESULT_IN_PATH = re.compile(r"/results/([^/]+)/")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None (no body or not JSON)
    time: float = 0.0  # time.monotonic() when it arrived (real time, whatever the clock)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sim: Simulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer is not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.sim._handle(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET


class Simulator(Endpoints, Modes):
    def __init__(
        self,
        api_key: str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        port: int = 0,
        progress_seconds: float = 3.0,
        serves_list: bool = True,
    ) -> None:
        self.api_key, self.clock, self.progress_seconds = api_key, clock, progress_seconds
        #: False: the results list answers 404, as an API without it would (the gate then
        #: polls the result detail)
        self.serves_list = serves_list
        self.requests: list[Request] = []
        self.share_links: list[tuple[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._results: dict[str, Entry] = {}
        self._faults: dict[str | None, deque[Fault]] = {}
        self._agents: dict[int, catalogue.AgentProfile] = dict(catalogue.DEMO_AGENTS)
        self._next_result, self._next_run, self._seq = 5001, 500_001, itertools.count(1)
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sim = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Simulator:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow handlers, which then drop their connection
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def next_result_id(self) -> str:
        """The id the next started run (or result added without an id) will get."""
        with self._lock:
            return str(self._next_result)

    # -- scripting -----------------------------------------------------------------------

    def add_result(
        self,
        payload: Mapping[str, Any],
        *,
        progress_seconds: float | None = None,
        statuses: Sequence[str] = DEFAULT_STATUSES,
        final_status: str | None = None,
    ) -> str:
        """Serve `payload` (a result detail) from now on; returns its id as a string."""
        payload = json.loads(json.dumps(payload))  # a private deep copy
        with self._lock:
            if payload.get("id") is None:
                payload["id"], self._next_result = self._next_result, self._next_result + 1
            rid = str(payload["id"])
            seconds = self.progress_seconds if progress_seconds is None else progress_seconds
            entry = Entry(payload, self.clock(), seconds, tuple(statuses), final_status)
            entry.seq, entry.agent = next(self._seq), str(payload.get("agent", ""))
            self._results[rid] = entry
        return rid

    def script(self, result_id: str | int | None, faults: Iterable[Fault]) -> None:
        key = None if result_id is None else str(result_id)
        with self._lock:
            self._faults.setdefault(key, deque()).extend(faults)

    def set_agent(
        self, agent_id: int, runs_spec: catalogue.AgentProfile | Mapping[int, str | tuple[str, ...]]
    ) -> None:
        """What a started run for `agent_id` contains: scenario id -> outcome(s)."""
        if not isinstance(runs_spec, catalogue.AgentProfile):
            runs_spec = catalogue.AgentProfile(agent_id, f"Agent {agent_id}", dict(runs_spec))
        with self._lock:
            self._agents[int(agent_id)] = runs_spec

    # -- HTTP ----------------------------------------------------------------------------

    def _handle(self, h: _Handler) -> None:
        url = urlsplit(h.path)
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        query = dict(parse_qsl(url.query))
        with self._lock:
            arrived = time.monotonic()
            self.requests.append(
                Request(h.command, url.path, query, dict(h.headers), body, arrived)
            )
            fault = self._next_fault(url.path)
        if fault is not None and fault.kind == "slow" and self._stopping.wait(fault.seconds):
            return  # shutting down: drop the connection
        if fault is not None and fault.kind not in ("slow", "ok", "slow_body", "gzip"):
            return misbehave(h, fault, detail=self._detail)
        if self.api_key is not None and h.headers.get("X-CEKURA-API-KEY") != self.api_key:
            given = h.headers.get("X-CEKURA-API-KEY")
            msg = "Invalid API key." if given else "Authentication credentials were not provided."
            return send_answer(h, 401, {"detail": msg})
        try:
            code, answer = self._route(h.command, url.path, query, body, raw)
        except Exception:  # a bug here should show up in the test, not vanish
            code, answer = 500, {"detail": "simulator error", "trace": traceback.format_exc()}
        if fault is not None and fault.kind == "slow_body":
            return trickle(h, code, answer, fault.seconds, stopping=self._stopping)
        if fault is not None and fault.kind == "gzip":
            data = gzip.compress(json.dumps(answer).encode())
            return send_answer(h, code, data, {"Content-Encoding": "gzip"})
        send_answer(h, code, answer)

    def _next_fault(self, path: str) -> Fault | None:
        match = _RESULT_IN_PATH.search(path)
        for key in ([match.group(1)] if match else []) + [None]:
            if self._faults.get(key):
                return self._faults[key].popleft()
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gate.simulator.server", description="Fake Cekura API"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    parser.add_argument("--progress-seconds", type=float, default=3.0)
    parser.add_argument("--api-key", default=None, help="require this key (default: accept any)")
    args = parser.parse_args(argv)
    with Simulator(args.api_key, port=args.port, progress_seconds=args.progress_seconds) as sim:
        for agent in (1, 2):
            sim.add_result(catalogue.demo_result(agent))
        print(f"Cekura simulator listening on {sim.url}", flush=True)
        print(
            f"  demo results: {catalogue.DEMO_RESULT_IDS[1]} (agent 1, passes), "
            f"{catalogue.DEMO_RESULT_IDS[2]} (agent 2, regressed); agents 1, 2 and 3 "
            "(a failing line) can start runs "
            f"on scenarios {', '.join(str(s.id) for s in catalogue.SCENARIOS)}. Ctrl-C stops.",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
