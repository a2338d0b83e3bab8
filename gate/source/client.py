"""The Cekura API endpoints the gate uses: start a run, read a result, end calls, list results.

Failures come classified from the transport (transport.py); starting a run adds one class:
RunStartUncertain, a failure that may still have created the run (and its billable calls).
It is never retried.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from gate.errors import (
    ApiAddressError,
    ApiError,
    GateError,
    ResponseTooLarge,
    RunStartUncertain,
    TransientApiError,
)
from gate.result.model import DASHBOARD_URL
from gate.source.answers import (
    address_refused,
    nothing_sent,
    said,
    status_line,
    transport_reason,
)
from gate.source.classify import Subject
from gate.source.retry import Backoff, GaveUp, RetryLater, parse_retry_after, retry
from gate.source.start import SUITE_ENDPOINT, VALIDATE_ENDPOINT, StartRequest
from gate.source.transport import Transport

#: how many times start asks when the answer proves nothing was created (429, 503+Retry-After)
START_ATTEMPTS = 3
#: start waits 2 s, then 4 s between attempts when the server did not say
START_BACKOFF = Backoff(base=2.0)
#: a longer Retry-After on a start is not slept through: the job would look hung
START_MAX_WAIT = 60.0
#: after a cancel, how long start still waits for the POST's answer (to learn the id)
START_CANCEL_GRACE = 0.5


class CekuraClient(Transport):
    """A thin, classified client for the parts of the Cekura API the gate uses."""

    # -- public API ------------------------------------------------------------------------

    def get_result(self, result_id: str | int, *, timeout: float) -> dict[str, Any]:
        """The result detail (GET /test_framework/v2/results/{id}/)."""
        subject = Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v2/results/{_segment(result_id)}/"
        from gate.result.decode import loads

        return self._get_object(path, subject=subject, timeout=timeout, decode=loads)

    def list_results(
        self,
        *,
        agent_id: int | str,
        page: int,
        page_size: int,
        timeout: float,
        search: str = "",
    ) -> dict[str, Any]:
        """One DRF page {count, next, previous, results} of an agent's results, newest first;
        `search` narrows it to results whose name contains it."""
        subject = Subject(f"the results of agent {agent_id}", "--agent-id")
        params: dict[str, Any] = {"agent_id": int(agent_id), "page": page, "page_size": page_size}
        if search:
            params["search"] = search
        return self._get_object(
            "/test_framework/v2/results/", subject=subject, timeout=timeout, params=params
        )

    def end_calls(self, result_id: str | int, *, timeout: float) -> None:
        """Ask Cekura to hang up a result's calls. Best effort: raises ApiError, callers decide."""
        subject = Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v1/results/{_segment(result_id)}/end_calls/"
        try:
            # Called on the way out of a cancelled job: it must not itself be cancelled.
            response = self._send("POST", path, timeout=timeout, cancellable=False)
        except requests.RequestException as exc:
            raise self._transport_error(exc, "POST", path, timeout) from exc
        self._raise_for_status(response, "POST", subject)

    def rename_result(self, result_id: str | int, name: str, *, timeout: float) -> None:
        """Set a result's name (PATCH /test_framework/v2/results/{id}/): the gate's marker that
        it reached a verdict on a run it started (gate/source/reuse.py)."""
        subject = Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v2/results/{_segment(result_id)}/"
        try:
            response = self._send("PATCH", path, timeout=timeout, body={"name": name})
        except requests.RequestException as exc:
            raise self._transport_error(exc, "PATCH", path, timeout) from exc
        self._raise_for_status(response, "PATCH", subject)

    def start(self, request: StartRequest, *, timeout: float) -> dict[str, Any]:
        """Start a run; returns the new result (its `id` is the result id).

        The POST creates billable calls, so it is repeated only when the answer proves that
        nothing was created: 429, or 503 with Retry-After. Anything that leaves the outcome
        unknown (no answer, a timeout, another 5xx, a 2xx without an id) raises
        RunStartUncertain instead of risking every call being placed twice.
        """
        agent = request.agent_id
        body = request.body()
        path = request.endpoint
        subject = Subject(f"agent {agent}", "--agent-id")

        def attempt(_number: int) -> dict[str, Any]:
            try:
                response = self._send(
                    "POST", path, timeout=timeout, body=body, cancel_grace=START_CANCEL_GRACE
                )
            except ResponseTooLarge as exc:
                raise self._uncertain(agent, exc.message) from exc
            except requests.RequestException as exc:
                if address_refused(exc):
                    # Nothing listens there or the name does not resolve: the POST never left.
                    raise self._fail(
                        ApiAddressError,
                        f"could not start the run: the Cekura API at {self._base_url} "
                        f"cannot be reached ({transport_reason(exc, timeout)}); no run was "
                        "created. Check --api-url (CEKURA_API_URL, the api-url input).",
                    ) from exc
                if nothing_sent(exc):
                    raise self._transport_error(exc, "POST", path, timeout) from exc
                raise self._uncertain(agent, transport_reason(exc, timeout)) from exc
            code = response.status_code
            if code == 429 or (code == 503 and "Retry-After" in response.headers):
                # Refused: nothing was created, so asking again cannot place calls twice.
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                raise RetryLater(response, retry_after=retry_after)
            if 500 <= code < 600 or code == 408:
                reason = status_line(response) + said(self._detail(response))
                raise self._uncertain(agent, f"the API answered {reason}")
            if code == 400:
                raise self._fail(
                    ApiError,
                    f"Cekura refused to start the run (HTTP 400){said(self._detail(response))}. "
                    f"Check {_start_flags(request)}.",
                )
            self._raise_for_status(response, "POST", subject)
            try:
                result = self._decode_object(response, "POST", path)
            except ApiError as exc:
                # A 2xx means Cekura accepted the request: the run probably exists.
                raise self._uncertain(agent, exc.message) from exc
            run_id = result.get("id")
            if not _integer_like(run_id):
                raise self._uncertain(
                    agent,
                    f"the API answered HTTP {code} without a result id (id={run_id!r})",
                )
            return result

        def refused(stop: GaveUp) -> TransientApiError:
            response = stop.last.cause
            asked = f" (it asked to wait {stop.wait:g} s)" if stop.too_long else ""
            return self._fail(
                TransientApiError,
                f"the Cekura API at {self._base_url} refused to start the run "
                f"({status_line(response)}{said(self._detail(response))}) after "
                f"{stop.attempts} attempt(s){asked}; no run was created. Re-run the job later.",
                retry_after=stop.wait,
            )

        return retry(
            attempt,
            attempts=START_ATTEMPTS,
            backoff=START_BACKOFF,
            max_wait=START_MAX_WAIT,
            sleep=self._sleep,
            give_up=refused,
        )

    def validate_suite(self, request: StartRequest, *, timeout: float) -> dict[str, Any]:
        """Cekura's check of a suite, placing no call: {valid, plan: {total_runs,
        estimated_cost, ...}} from validate_scenarios_json (free), or from
        run_scenarios_json?dry_run=true where that endpoint is missing (404). A refusal (400)
        comes back as {"valid": False, "errors": Cekura's words}."""
        subject = Subject(f"agent {request.agent_id}", "--agent-id")
        body = request.body()
        asks = ((VALIDATE_ENDPOINT, None), (SUITE_ENDPOINT, {"dry_run": "true"}))
        for path, params in asks:
            try:
                response = self._send("POST", path, timeout=timeout, body=body, params=params)
            except requests.RequestException as exc:
                raise self._transport_error(exc, "POST", path, timeout) from exc
            if response.status_code == 404 and path == VALIDATE_ENDPOINT:
                continue  # not every deployment has it: the dry run prices the same way
            if response.status_code == 400:
                try:  # Cekura lists every problem of the spec at once, by where it is
                    errors = self._decode_object(response, "POST", path)
                except GateError:
                    errors = self._detail(response) or "HTTP 400 with no reason given"
                return {"valid": False, "errors": errors}
            self._raise_for_status(response, "POST", subject)
            answer = self._decode_object(response, "POST", path)
            if params and answer.get("dry_run") is not True and answer.get("id") is not None:
                # The dry-run flag was lost on the way: Cekura started a run.
                raise self._fail(
                    ApiError,
                    f"Cekura started result {answer.get('id')} when asked for a dry run of the "
                    "suite (POST run_scenarios_json?dry_run=true). End its calls in the Cekura "
                    f"dashboard ({DASHBOARD_URL}).",
                )
            return answer
        raise AssertionError("unreachable: the dry run answers or raises")

    def create_share_link(
        self, result_id: str | int, *, expire_at: str, timeout: float
    ) -> dict[str, Any]:
        """A link to the result that anyone may open until `expire_at` (ISO 8601):
        {"token", "shareable_link"}."""
        subject = Subject(f"result {result_id}", "--result-id")
        path = f"/test_framework/v1/results/{_segment(result_id)}/create_shareable_link_token/"
        try:
            response = self._send("POST", path, timeout=timeout, body={"expire_at": expire_at})
        except requests.RequestException as exc:
            raise self._transport_error(exc, "POST", path, timeout) from exc
        self._raise_for_status(response, "POST", subject)
        return self._decode_object(response, "POST", path)

    def _uncertain(self, agent: int, reason: str) -> RunStartUncertain:
        return self._fail(
            RunStartUncertain,
            f"starting the run for agent {agent} may or may not have worked ({reason}). A run "
            "(and its billable calls) may have been created: look at the agent's results in the "
            f"Cekura dashboard ({DASHBOARD_URL}) before re-running, and gate an existing result "
            "with --result-id N instead of starting another.",
        )


# -- helpers -----------------------------------------------------------------------------


def _start_flags(request: StartRequest) -> str:
    """The settings a refused start came from, for the message."""
    if request.suite is not None:
        return "--agent-id, --suite-file and --execution-mode"
    flags = ["--agent-id", "--scenarios/--tags", "--frequency"]
    if request.mode != "voice":
        flags.append("--execution-mode")
    if request.phone_number:
        flags.append("--phone-number")
    if request.provider_data is not None:
        flags.append(f"--{request.mode.split('_')[0]}-data")
    return ", ".join(flags[:-1]) + " and " + flags[-1]


def _integer_like(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def _segment(value: str | int) -> str:
    # An id never contains '/', but quoting keeps a bad one from reaching another endpoint.
    return quote(str(value).strip(), safe="")
