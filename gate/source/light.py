"""Poll light, fetch once: while a result runs, ask the results list for its summary (status
and run counts, a few hundred bytes) instead of the whole detail (every run with its
transcript and metrics: megabytes for a large result); fetch the detail when the summary
says the result has ended, or when the gate must look at its runs (deciding early).

The summary is never trusted for a verdict: the verdict is judged on the detail only, and a
detail that is not final after a final summary means the wait goes on.

The light view is the results list (GET /test_framework/v2/results/) filtered by the
result's agent and searched by its name; the result is the entry with its id. It is given
up for the rest of the wait, in favour of the detail, when it cannot answer:
- the list endpoint answers 404 or another 4xx that is not about the key (an older API, a
  key that may read results but not list them);
- the result is not on the first page (a name shared by many results, a search the API
  ignores, a list that lags behind);
- the answer is not a DRF page or the entry has no status (a shape the gate cannot read);
- it failed LIGHT_FAILURES times in a row with errors that are retried (so a broken list
  endpoint cannot cost the whole timeout while the detail would answer).
Refused keys (401/403) are not a reason to fall back: the detail would be refused too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from gate.errors import ApiError, AuthError, PayloadError, TransientApiError
from gate.result.status import TERMINAL_STATUSES

#: entries per page asked of the list: the result is among the newest of its name
PAGE_SIZE = 10
#: consecutive retried failures of the list after which the detail is polled instead
LIGHT_FAILURES = 3


class Lister(Protocol):
    def list_results(
        self,
        *,
        agent_id: int | str,
        page: int,
        page_size: int,
        timeout: float,
        search: str = "",
    ) -> dict[str, Any]: ...


@dataclass
class LightView:
    """One result's entry in the results list; `reason` says why it was given up ("" while
    it is in use)."""

    client: Lister
    result_id: str
    agent_id: str
    name: str = ""
    reason: str = ""
    _failures: int = field(default=0, repr=False)

    @property
    def available(self) -> bool:
        return not self.reason

    def fetch(self, timeout: float) -> dict[str, Any] | None:
        """The result's summary, or None once the light view is given up (see `reason`)."""
        if self.reason:
            return None
        try:
            page = self.client.list_results(
                agent_id=self.agent_id,
                page=1,
                page_size=PAGE_SIZE,
                timeout=timeout,
                search=self.name,
            )
        except AuthError:
            raise
        except TransientApiError as exc:
            self._failures += 1
            if self._failures < LIGHT_FAILURES:
                raise
            return self._give_up(f"the results list failed {self._failures} times: {exc}")
        except (ApiError, PayloadError) as exc:
            return self._give_up(f"the results list is not available: {exc}")
        self._failures = 0
        rows = page.get("results") if isinstance(page, Mapping) else None
        if not isinstance(rows, list):
            return self._give_up("the results list answered without a 'results' list")
        entry = next(
            (r for r in rows if isinstance(r, Mapping) and str(r.get("id")) == self.result_id),
            None,
        )
        if entry is None:
            return self._give_up(
                f"result {self.result_id} is not on the first page of agent {self.agent_id}'s "
                f"results named {self.name!r}"
            )
        if not isinstance(entry.get("status"), str) or not entry["status"].strip():
            return self._give_up(f"the list shows result {self.result_id} without a status")
        return dict(entry)

    def _give_up(self, reason: str) -> None:
        self.reason = reason
        return None


class DecidedEarly(Exception):
    """The detail of a result that can no longer pass: the wait stops here. Not an error:
    the flow catches it and judges `detail`."""

    def __init__(self, detail: dict[str, Any]) -> None:
        super().__init__("decided early")
        self.detail = detail


#: looks at a payload (a summary when `light`, else the detail): True when the verdict can
#: no longer become a pass
CannotPass = Callable[[Mapping[str, Any], bool], bool]


@dataclass
class Poller:
    """`fetch(timeout)` for gate.source.wait.wait_for_result: the light view while the result
    is not final, the detail when it is (or when `cannot_pass` wants to look closer).

    `light` is built from the first detail when it is None and `make_light` is given (a
    result named by id: its agent and name are in its detail). `on_fallback(reason)` is
    told once when the light view is given up.
    """

    detail: Callable[[float], dict[str, Any]]
    light: LightView | None = None
    make_light: Callable[[Mapping[str, Any]], LightView | None] | None = None
    cannot_pass: CannotPass | None = None
    on_fallback: Callable[[str], None] | None = None
    light_polls: int = 0
    detail_fetches: int = 0
    _told: bool = field(default=False, repr=False)

    def __call__(self, timeout: float) -> dict[str, Any]:
        if self.light is not None:
            summary = self.light.fetch(timeout)
            if summary is not None:
                self.light_polls += 1
                ended = _status(summary) in TERMINAL_STATUSES
                if not ended and not (self.cannot_pass and self.cannot_pass(summary, True)):
                    return summary
                # Ended, or lost by the summary's account: the detail decides.
            elif not self._told:
                self._told = True
                if self.on_fallback is not None:
                    self.on_fallback(self.light.reason)
        raw = self.detail(timeout)
        self.detail_fetches += 1
        if _status(raw) in TERMINAL_STATUSES:
            return raw
        if self.cannot_pass is not None and self.cannot_pass(raw, False):
            raise DecidedEarly(raw)
        if self.light is None and self.make_light is not None:
            self.light = self.make_light(raw)
            self.make_light = None
        return raw


def _status(payload: Any) -> str:
    if not isinstance(payload, Mapping):
        return ""
    value = payload.get("status")
    return "" if value is None else str(value).strip().lower()
