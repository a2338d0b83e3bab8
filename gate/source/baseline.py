"""Find the baseline result a config's `baseline` section asks for (the I/O half).

Three ways, exactly one per config:

- `result_id: N`: that result, from the API;
- `result_file: PATH`: a saved result-detail JSON, no API needed;
- `latest_completed: true`: the agent's results list (`GET /test_framework/v2/results/
  ?agent_id=`, newest first, paged), the first entry that is `completed`, is not the result
  under test, was created before it, and (with `name_pattern`) whose name matches the glob;
  then its detail.

Whatever goes wrong (no API key, a 404, the API down, nothing matching) becomes a Baseline
without a result and with the reason: the gate reports it through the `baseline` check at
the `when_missing` level and never fails with a crash or passes silently because of it.
The comparison itself is pure and lives in gate/judge/compare.py.
"""

from __future__ import annotations

import fnmatch
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from gate.errors import Cancelled, GateError, TransientApiError
from gate.policy.model import BaselinePolicy, Policy
from gate.policy.summary import baseline_how
from gate.result.model import Baseline, Result
from gate.result.parsing import parse
from gate.source.identity import require_same_result
from gate.source.retry import Backoff, RetryLater, retry

#: results asked for per list page
PAGE_SIZE = 50
#: seconds per request
REQUEST_TIMEOUT = 30.0
#: attempts per request when the API answers with a transient error
ATTEMPTS = 3
#: between them: the server's Retry-After, else 1 s then 2 s; never longer than MAX_WAIT
BACKOFF = Backoff(base=1.0)
MAX_WAIT = 10.0


class Client(Protocol):
    def get_result(self, result_id: str | int, *, timeout: float) -> dict[str, Any]: ...

    def list_results(
        self, *, agent_id: int | str, page: int, page_size: int, timeout: float
    ) -> dict[str, Any]: ...


class _NotFound(Exception):
    pass


def lookup(
    policy: Policy,
    result: Result,
    *,
    client: Client | None,
    agent_id: str,
    secrets: tuple[str, ...],
    log: Any,
    sleep: Callable[[float], None] = time.sleep,
) -> Baseline | None:
    """The check flow's entry: the baseline `policy` asks for, or None when it asks for none
    or the result will not be judged anyway (still running, or a status not evaluated).
    `client` is None without an API key; `secrets` are replaced by *** in what it reads."""
    if policy.baseline is None:
        return None
    if not result.is_terminal or result.status not in policy.evaluate_statuses:
        return None
    from gate.source.redact import redact

    found = resolve(
        policy.baseline,
        result=result,
        client=client,
        agent_id=agent_id,
        sleep=sleep,
        clean=lambda raw: redact(raw, secrets),
    )
    if found.result is not None:
        name = f" '{found.result.name}'" if found.result.name else ""
        log.info(f"Baseline: result {found.result.id}{name} ({found.how})")
    else:
        log.info(f"Baseline not found ({found.how}): {found.reason}")
    return found


def resolve(
    policy: BaselinePolicy,
    *,
    result: Result,
    client: Client | None,
    agent_id: str = "",
    sleep: Callable[[float], None] = time.sleep,
    clean: Callable[[Any], Any] = lambda raw: raw,
) -> Baseline:
    """The baseline for `result`. `client` is None when there is no API key; `clean` is
    applied to the raw payload before it is read (the check flow redacts secrets there)."""
    how = describe(policy, result=result, agent_id=agent_id)
    try:
        if policy.result_file:
            raw = _read_file(Path(policy.result_file))
        else:
            if client is None:
                raise _NotFound(
                    "it needs the Cekura API, but CEKURA_API_KEY is not set (fine for "
                    "--result-file alone). Set the key, or save the baseline result as JSON "
                    "and point baseline.result_file at it"
                )
            if policy.result_id:
                if policy.result_id == result.id:
                    raise _NotFound("that is the result under test itself")
                raw = _call(
                    lambda: client.get_result(policy.result_id, timeout=REQUEST_TIMEOUT), sleep
                )
                # another result's body is no baseline (WrongResult: then it is not found)
                require_same_result(raw, str(policy.result_id))
            else:
                agent = policy.agent_id or result.agent or agent_id
                if not agent:
                    raise _NotFound(
                        "the result does not say which agent it belongs to; set baseline.agent_id"
                    )
                found_id = _latest(client, policy, result=result, agent=agent, sleep=sleep)
                raw = _call(lambda: client.get_result(found_id, timeout=REQUEST_TIMEOUT), sleep)
                require_same_result(raw, str(found_id))
        baseline = parse(clean(raw), evidence=False)
    except _NotFound as exc:
        return Baseline(how=how, reason=str(exc))
    except Cancelled:
        raise  # the job was cancelled: not a missing baseline
    except GateError as exc:
        return Baseline(how=how, reason=exc.message.rstrip("."))
    if baseline.status != "completed":
        return Baseline(
            how=how,
            reason=f"result {baseline.id or '?'} has status '{baseline.status or 'missing'}', "
            "not completed, so it cannot serve as a baseline",
        )
    if baseline.id and baseline.id == result.id:
        return Baseline(how=how, reason="that is the result under test itself")
    return Baseline(how=how, result=baseline)


def describe(policy: BaselinePolicy, *, result: Result, agent_id: str = "") -> str:
    readable = _when(result.created_at) is not None
    return baseline_how(
        policy, agent=result.agent or agent_id, before=result.created_at if readable else ""
    )


def _latest(
    client: Client,
    policy: BaselinePolicy,
    *,
    result: Result,
    agent: str,
    sleep: Callable[[float], None],
) -> str:
    """The id of the newest matching result; raises _NotFound saying what was searched."""
    before = _when(result.created_at)
    pattern = policy.name_pattern.lower()
    size = min(PAGE_SIZE, policy.max_results)
    seen = 0
    page = 1
    while seen < policy.max_results:
        data = _call(
            lambda page=page: client.list_results(
                agent_id=agent, page=page, page_size=size, timeout=REQUEST_TIMEOUT
            ),
            sleep,
        )
        rows = data.get("results")
        if not isinstance(rows, list):
            raise _NotFound("the results list answered without a 'results' array")
        best: tuple[datetime | None, str] | None = None
        for row in rows[: policy.max_results - seen]:
            if not isinstance(row, Mapping):
                continue
            rid = str(row.get("id") or "")
            if not rid or rid == result.id:
                continue
            if str(row.get("status") or "").strip().lower() != "completed":
                continue
            if pattern and not fnmatch.fnmatchcase(str(row.get("name") or "").lower(), pattern):
                continue
            created = _when(str(row.get("created_at") or ""))
            if before is not None and (created is None or created >= before):
                continue
            # The list is newest first; the date still decides within a page, to be safe.
            if best is None or (created is not None and (best[0] is None or created > best[0])):
                best = (created, rid)
        seen += len(rows)
        if best is not None:
            return best[1]
        if not data.get("next") or not rows:
            break
        page += 1
    raise _NotFound(
        f"none of the {seen} most recent result(s) of agent {agent} matches"
        + (
            " (completed, not this result, created before it"
            if before
            else " (completed, not this result"
        )
        + (f", name like '{policy.name_pattern}')" if pattern else ")")
    )


def _call(request: Callable[[], dict[str, Any]], sleep: Callable[[float], None]) -> dict[str, Any]:
    def attempt(_number: int) -> dict[str, Any]:
        try:
            return request()
        except TransientApiError as exc:
            raise RetryLater(exc, retry_after=exc.retry_after) from exc

    return retry(
        attempt,
        attempts=ATTEMPTS,
        backoff=BACKOFF,
        max_wait=MAX_WAIT,
        clip=True,
        sleep=sleep,
        give_up=lambda stop: stop.last.cause,
    )


def _read_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _NotFound(f"{path} does not exist") from None
    except RecursionError:
        raise _NotFound(f"cannot read {path} as result JSON (nested too deeply)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _NotFound(f"cannot read {path} as result JSON ({exc})") from None


def _when(text: str) -> datetime | None:
    """An ISO 8601 time as an aware datetime (naive ones taken as UTC); None if unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
