"""A dry run's plan in words: what would be started, how many calls, Cekura's estimated cost,
and whether `max-calls` allows it; as log lines and as a job-summary section."""

from __future__ import annotations

from typing import Any

from gate.publish.words.fmt import number
from gate.source.cost import Plan


def plan_lines(plan: Plan, *, max_calls: int | None, endpoint_url: str) -> list[str]:
    """The plan, one fact a line, for the log (and the summary's list)."""
    request = plan.request
    lines = [f"Would start {request.describe()}: POST {endpoint_url}"]
    lines.append(f"Calls: {_calls(plan)}")
    lines.append(f"Estimated cost: {_cost(plan.estimated_cost, suite=request.suite is not None)}")
    if max_calls is not None:
        lines.append(f"Max calls: {max_calls} ({_within(plan, max_calls)})")
    return lines


def plan_markdown(plan: Plan, *, max_calls: int | None, endpoint_url: str, ok: bool) -> str:
    head = (
        "## 🧪 Cekura gate dry run: valid, no call placed"
        if ok
        else "## ❌ Cekura gate dry run: not valid, no call placed"
    )
    body = "\n".join(
        f"- {line}" for line in plan_lines(plan, max_calls=max_calls, endpoint_url=endpoint_url)
    )
    problems = "\n".join(f"- {p}" for p in plan.problems)
    return f"{head}\n\n{body}\n" + (f"\nCekura's words:\n\n{problems}\n" if problems else "")


def _calls(plan: Plan) -> str:
    request = plan.request
    if plan.calls is None:
        return (
            "not known before the run starts (Cekura resolves tags when it starts)"
            if request.suite is None
            else "not given by Cekura"
        )
    if plan.counted_by == "Cekura":
        cases = f" for {plan.scenario_count} scenario(s)" if plan.scenario_count else ""
        return f"{plan.calls} (counted by Cekura{cases})"
    factors = [f"{len(request.scenarios)} scenario(s)", f"frequency {request.frequency}"]
    if request.personality_ids:
        factors.append(f"{len(request.personality_ids)} personalities")
    if request.test_profile_ids:
        factors.append(f"{len(request.test_profile_ids)} test profiles")
    return f"{plan.calls} ({' × '.join(factors)})"


def _cost(value: Any, *, suite: bool) -> str:
    if value is None or value == "":
        return (
            "Cekura gave none"
            if suite
            else "Cekura estimates the cost of suites only (suite-file); see the call count"
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{number(value)} credits (Cekura's estimate)"
    return f"{value} (Cekura's estimate)"


def _within(plan: Plan, max_calls: int) -> str:
    if plan.calls is None:
        return "cannot be checked: the calls are not known before the run starts"
    if plan.calls > max_calls:
        return f"exceeded: {plan.calls} calls"
    return "within the limit"
