"""End-to-end harness for the fault, secrets, injection, cancel and parallel suites.

Every gate started here is the real command in its own process, with a sentinel API key and
a sentinel GitHub token, GitHub Actions' environment (outputs, step summary, a pull-request
event), a JSON report, a JUnit file and a pull-request comment sent to a fake GitHub API.
`GateRun.check_no_leak` then looks for either sentinel everywhere the gate writes or sends.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gate.publish.actions.github import OUTPUT_NAMES
from gate.simulator.server import Simulator
from tests.cli_runner import ROOT, clean_env, read_outputs

API_KEY = "ck_live_SENTINEL_KEY_5f0c2b9e71"
GITHUB_TOKEN = "ghs_SENTINELtoken_4d8a1e6b3c"
PR_NUMBER = 42
CONFIG = """\
version: 1
thresholds:
  min_runs: 1
  success_rate: {min: 90}
  performance_metrics:
    require_all_met: true
"""


# -- a fake GitHub API for the pull-request comment ------------------------------------------


@dataclass
class GitHubRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeGitHub:
    """Issue comments in memory: list (GET), create (POST), edit (PATCH). Thread-safe."""

    def __init__(self, *, refuse: str = "") -> None:
        self.requests: list[GitHubRequest] = []
        self.comments: dict[int, dict[str, Any]] = {}
        #: answer every request 403 with this message (a fork's read-only token, say)
        self.refuse = refuse
        #: the token is the workflow's GITHUB_TOKEN: it writes as this bot, and GitHub
        #: refuses it GET /user, as it refuses every installation token
        self._lock = threading.Lock()
        self._next = 1000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_PATCH = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    bot = "github-actions[bot]"

    def add(self, body: str, *, login: str, kind: str = "User") -> int:
        """A comment somebody else wrote (a person by default)."""
        with self._lock:
            self._next += 1
            self.comments[self._next] = {
                "id": self._next,
                "body": body,
                "user": {"login": login, "type": kind},
                "html_url": f"{self.url}/c/{self._next}",
            }
            return self._next

    def bodies(self) -> list[str]:
        with self._lock:
            return [c["body"] for c in self.comments.values()]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        body = json.loads(raw) if raw else None
        path = h.path.split("?")[0]
        with self._lock:
            self.requests.append(GitHubRequest(h.command, h.path, dict(h.headers), body))
            if self.refuse:
                code, answer = 403, {"message": self.refuse}
            elif h.command == "GET" and path == "/user":
                code, answer = 403, {"message": "Resource not accessible by integration"}
            elif h.command == "GET" and path.endswith("/comments"):
                code, answer = 200, list(self.comments.values())
            elif h.command == "POST" and path.endswith("/comments"):
                self._next += 1
                comment = {
                    "id": self._next,
                    "body": body["body"],
                    "user": {"login": self.bot, "type": "Bot"},
                    "html_url": f"{self.url}/c/{self._next}",
                }
                self.comments[self._next] = comment
                code, answer = 201, comment
            elif h.command == "PATCH" and "/issues/comments/" in path:
                number = int(path.rsplit("/", 1)[1])
                self.comments[number]["body"] = body["body"]
                code, answer = 200, self.comments[number]
            else:
                code, answer = 404, {"message": "Not Found"}
        data = json.dumps(answer).encode()
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


class Capture:
    """Any HTTP server at all, recording what reaches it: the 'other host' of a redirect."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                capture.requests.append((self.command, self.path, dict(self.headers)))
                data = b'{"id": 1, "status": "completed", "runs": {}}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def __enter__(self) -> Capture:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- one gate ------------------------------------------------------------------------------


@dataclass
class GateRun:
    """One `cekura-gate check` process and everything it left behind."""

    workspace: Path
    args: tuple[str, ...]
    proc: subprocess.Popen[str]
    started: float
    ended: float = 0.0
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def returncode(self) -> int:
        return self.proc.returncode

    @property
    def elapsed(self) -> float:
        return self.ended - self.started

    def wait(self, timeout: float = 60) -> GateRun:
        self.stdout, self.stderr = self.proc.communicate(timeout=timeout)
        self.ended = time.monotonic()
        return self

    def file(self, name: str) -> str:
        path = self.workspace / name
        return path.read_text(encoding="utf-8") if path.exists() else ""

    @property
    def summary(self) -> str:
        return self.file("summary.md")

    @property
    def outputs(self) -> dict[str, str]:
        path = self.workspace / "outputs.txt"
        return read_outputs(path) if path.exists() else {}

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def everything(self) -> dict[str, str]:
        """Every text the gate produced, by where it went."""
        return {
            "stdout": self.stdout.replace(f"::add-mask::{API_KEY}\n", ""),
            "stderr": self.stderr,
            "summary": self.summary,
            "outputs": self.file("outputs.txt"),
            "report.json": self.file("report.json"),
            "junit.xml": self.file("junit.xml"),
        }

    def check_no_leak(self, *, github: FakeGitHub | None = None, sims: Sequence[Any] = ()) -> int:
        """Assert neither sentinel is anywhere; returns how many places were searched."""
        places = self.everything()
        if github is not None:
            for n, body in enumerate(github.bodies()):
                places[f"comment {n}"] = body
        for where, text in places.items():
            for secret in (API_KEY, GITHUB_TOKEN):
                assert secret not in text, f"{secret[:12]}... leaked into {where}"
        assert "Traceback" not in self.log, self.log
        if github is not None:  # the key never goes to GitHub
            for request in github.requests:
                assert API_KEY not in json.dumps(request.headers) + json.dumps(request.body)
        for sim in sims:  # the token never goes to Cekura
            for request in sim.requests:
                assert GITHUB_TOKEN not in json.dumps(request.headers) + json.dumps(request.body)
        return len(places)


def make_workspace(path: Path, *, config: str | None = CONFIG) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (path / ".cekura").mkdir(exist_ok=True)
        (path / ".cekura" / "gate.yml").write_text(config, encoding="utf-8")
    event = {"pull_request": {"number": PR_NUMBER}, "number": PR_NUMBER}
    (path / "event.json").write_text(json.dumps(event), encoding="utf-8")
    return path


def gate_env(
    workspace: Path,
    *,
    api_url: str,
    github: FakeGitHub | None = None,
    comment_key: str = "",
    **extra: str,
) -> dict[str, str]:
    env = {
        "CEKURA_API_KEY": API_KEY,
        "CEKURA_API_URL": api_url,
        "CEKURA_POLL_INTERVAL": "0.2",
        "CEKURA_TIMEOUT": "20",
        "CEKURA_REPORT_JSON": str(workspace / "report.json"),
        "CEKURA_JUNIT_XML": str(workspace / "junit.xml"),
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(workspace / "outputs.txt"),
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "GITHUB_TOKEN": GITHUB_TOKEN,
        "GITHUB_REPOSITORY": "acme/voice-agent",
        "GITHUB_WORKFLOW": "ci",
        "GITHUB_JOB": "gate",
        "GITHUB_RUN_ID": "777",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(workspace / "event.json"),
    }
    if github is not None:
        env |= {"CEKURA_COMMENT": "always", "GITHUB_API_URL": github.url}
    if comment_key:
        env["CEKURA_COMMENT_KEY"] = comment_key
    return env | extra


def launch(workspace: Path, *args: str, env: Mapping[str, str]) -> GateRun:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gate", "check", *args],
        cwd=workspace,
        env=clean_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return GateRun(workspace=workspace, args=args, proc=proc, started=time.monotonic())


def run_all(
    runs: Sequence[tuple[Path, Sequence[str], Mapping[str, str]]],
    *,
    at_once: int = 8,
    timeout: float = 90,
) -> list[GateRun]:
    """Run many gates, at most `at_once` at a time; returns them in order, finished."""
    results: list[GateRun | None] = [None] * len(runs)
    gate = threading.Semaphore(at_once)

    def one(index: int) -> None:
        workspace, args, env = runs[index]
        with gate:
            results[index] = launch(workspace, *args, env=env).wait(timeout)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None]


@contextmanager
def simulator(**kwargs: Any) -> Iterator[Simulator]:
    with Simulator(api_key=API_KEY, **kwargs) as sim:
        yield sim


def gets(sim: Simulator, rid: str) -> list[Any]:
    return [r for r in sim.requests if r.method == "GET" and f"/results/{rid}/" in r.path]


# -- how the runner reads a log ----------------------------------------------------------------

# actions/runner ActionCommand.TryParseV2: "::" after leading whitespace, then the command name
_V2 = re.compile(r"^\s*::([A-Za-z0-9_-]+)(?: ([^:]*))?::(.*)$")
_V2_START = re.compile(r"^\s*::")


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str]
    data: str


def _unescape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%25", "%")


def workflow_commands(log: str) -> list[Command]:
    """The commands the runner would execute in `log`, and any line it might treat as one.

    A line that starts like a command but does not parse is returned with name "?" so
    tests notice it; a legacy `##[` anywhere is returned as name "##[".
    """
    found = []
    for line in log.split("\n"):
        for part in line.split("\r"):  # the runner ends a line at a lone \r too
            match = _V2.match(part)
            if match:
                props = {}
                for item in (match.group(2) or "").split(","):
                    if "=" in item:
                        key, value = item.split("=", 1)
                        props[key] = _unescape(value, prop=True)
                found.append(Command(match.group(1), props, _unescape(match.group(3))))
            elif _V2_START.match(part):
                found.append(Command("?", {}, part))
            if "##[" in part:
                found.append(Command("##[", {}, part))
    return found


GATE_COMMANDS = {"add-mask", "group", "endgroup", "error", "warning", "notice", "debug"}


def check_commands(log: str) -> list[Command]:
    """Assert every workflow command in `log` is one the gate means to send."""
    commands = workflow_commands(log)
    for command in commands:
        assert command.name in GATE_COMMANDS, f"injected workflow command: {command}"
        if command.name == "add-mask":
            assert command.data == API_KEY, f"unexpected mask: {command}"
        if command.name in ("error", "warning"):
            assert set(command.properties) == {"title"}, command
            assert command.properties["title"].startswith("cekura-gate"), command
    for name in ("error", "warning"):
        assert sum(c.name == name for c in commands) <= 10, f"more than 10 {name} annotations"
    return commands


def check_outputs(run: GateRun) -> dict[str, str]:
    """The outputs file holds exactly the contract's names (nothing injected) and parses."""
    values = run.outputs
    assert set(values) <= set(OUTPUT_NAMES), sorted(set(values) - set(OUTPUT_NAMES))
    assert values.get("verdict") in {"pass", "fail", "error"}, f"no verdict output: {values}"
    return values


__all__ = ["ROOT"]
