"""What a start would cost, known before it is paid: the calls it would place (counted here, or
by Cekura for a suite) and Cekura's estimated cost where the API gives one; and the refusal of
a start that would place more calls than `max-calls` allows, before any call is placed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gate.errors import UsageError
from gate.source.start import StartRequest


@dataclass(frozen=True, slots=True)
class Plan:
    """A start as Cekura would run it."""

    request: StartRequest
    #: calls the start places; None when nobody can say before it starts (tags)
    calls: int | None
    valid: bool = True
    #: Cekura's estimate, as it gave it (a number or a text); None when it gives none
    estimated_cost: Any = None
    scenario_count: int | None = None
    #: Cekura's words when it refused the start
    problems: tuple[str, ...] = field(default=())
    #: who counted the calls: "Cekura" (a suite validation) or "the gate" (the formula)
    counted_by: str = "the gate"


def plan_start(request: StartRequest, client: Any, *, timeout: float) -> Plan:
    """The plan of `request`: a suite is validated by Cekura (free, no call placed); any other
    start is counted with Cekura's formula, scenarios × frequency × personalities × profiles."""
    if request.suite is None:
        return Plan(request, calls=request.calls())
    answer = client.validate_suite(request, timeout=timeout)
    details = answer.get("plan") if isinstance(answer.get("plan"), dict) else {}
    problems = _problems(answer.get("errors"))
    valid = answer.get("valid") is True and not problems
    if answer.get("valid") is not True and not problems:
        problems = ("Cekura did not accept the suite as valid and gave no reason.",)
    return Plan(
        request,
        calls=_whole(details.get("total_runs")),
        valid=valid,
        estimated_cost=details.get("estimated_cost"),
        scenario_count=_whole(details.get("scenario_count")),
        problems=problems,
        counted_by="Cekura",
    )


def require_within(plan: Plan, max_calls: int | None) -> None:
    """A UsageError (exit 2) when the start would place more than `max_calls` calls, or when
    nobody can count them before it starts; nothing was started either way."""
    if max_calls is None:
        return
    if plan.calls is None:
        raise UsageError(
            f"max-calls is {max_calls} but the calls of {plan.request.describe()} cannot be "
            "counted before it starts (Cekura resolves tags when the run starts). Give "
            "--scenarios with the ids, or a --suite-file (Cekura counts its calls for free), "
            "or unset max-calls. No run was started."
        )
    if plan.calls > max_calls:
        raise UsageError(
            f"{plan.request.describe()} would place {plan.calls} calls, more than max-calls "
            f"{max_calls} allows; no run was started. Lower --frequency or run fewer scenarios "
            f"(or personalities, profiles), or raise max-calls to {plan.calls} if that is "
            "really intended."
        )


def refused(plan: Plan) -> UsageError:
    """Cekura refused the start in a validation: its words, and nothing started."""
    lines = "; ".join(p.rstrip(".") for p in plan.problems[:10]) + (
        f"; and {len(plan.problems) - 10} more" if len(plan.problems) > 10 else ""
    )
    return UsageError(
        f"Cekura refused {plan.request.describe()}: {lines}. No run was started; fix the "
        "suite (or the settings) as Cekura says. 'cekura-gate check --dry-run' checks it "
        "without placing calls."
    )


def _problems(errors: Any) -> tuple[str, ...]:
    """Cekura's refusal as lines: {"errors": {"scenarios[0].x": ["msg"]}} or a text."""
    if not errors:
        return ()
    if isinstance(errors, str):
        return (errors,)
    if isinstance(errors, dict):
        inner = errors.get("errors", errors)
        if isinstance(inner, dict):
            return tuple(
                f"{where}: {message}"
                for where, messages in inner.items()
                for message in (messages if isinstance(messages, list) else [messages])
            )
    return (str(errors),)


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
