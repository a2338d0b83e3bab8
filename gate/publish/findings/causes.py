"""What went wrong, grouped by cause: the failing runs of a result as a few problems.

Forty-six failing runs usually come from a handful of causes. A run's cause is its scenario
and the first thing it failed: the expected outcome, else its first failed metric, else
"not successful". Runs that failed for the infrastructure (gate/result/failure.py decides
which: never connected, SIP or websocket errors, the Infrastructure Issues metric) are
grouped by their error instead, apart from the agent's, because no change to the agent
fixes them.

Agent problems come first: those on a scenario a blocking check names, then the ones with
the most calls, then the lowest expected-outcome score. Plain data: the job summary, the PR
comment, the terminal report and the JSON report (`what_went_wrong`) all read the same groups.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from gate.judge.verdict import Kind, Verdict
from gate.publish.findings import evidence
from gate.result.excerpt import Turn, shorten
from gate.result.failure import FailureKind, classify, infrastructure_ids
from gate.result.model import Result, Run

EXPECTED_OUTCOME = "expected outcome"
NOT_SUCCESSFUL = "not successful"
NEVER_CONNECTED = "never connected"
EXPLANATION_LIMIT = 600
EXCERPT_TURNS = 3  # the last turns of a call, when the explanation names none


class Call(msgspec.Struct, frozen=True, gc=False):
    """One failing run of a group, with its links."""

    id: str
    scenario: str
    run_url: str
    recording_url: str


class Cause(msgspec.Struct, frozen=True, gc=False):
    kind: FailureKind
    #: the scenario (agent problems), or the scenarios the error hit (infrastructure)
    scenarios: tuple[str, ...]
    #: what failed: EXPECTED_OUTCOME, a metric's name, NOT_SUCCESSFUL or NEVER_CONNECTED
    failed: str
    #: the lowest expected-outcome score of the group's runs (agent, expected outcome only)
    score: float | None
    #: Cekura's explanation (or the error), once for the group
    explanation: str
    calls: tuple[Call, ...]
    #: the runs of these scenarios in the result: "2 of 2 calls"
    scenario_runs: int
    #: a transcript excerpt from one call of the group; turns the explanation names marked
    excerpt: tuple[Turn, ...]
    #: a blocking scenario check names this scenario
    blocks: bool

    @property
    def scenario(self) -> str:
        return ", ".join(self.scenarios)

    @property
    def agent(self) -> bool:
        return self.kind is FailureKind.AGENT


def group(result: Result | None, verdict: Verdict | None = None) -> tuple[Cause, ...]:
    """The failing runs of `result` grouped by cause, agent problems first."""
    if result is None:
        return ()
    infra = infrastructure_ids(result.failed_infrastructure_runs)
    blocked = _blocked_scenarios(verdict)
    per_scenario: dict[str, int] = {}
    for run in result.runs:
        per_scenario[run.scenario_name] = per_scenario.get(run.scenario_name, 0) + 1
    buckets: dict[tuple[str, str, str], list[Run]] = {}
    for run in result.failing_runs:
        kind = classify(run, infra) or FailureKind.AGENT
        if kind is FailureKind.INFRASTRUCTURE:
            key = (kind.value, "", _error(run))
        else:
            key = (kind.value, run.scenario_name, _failed(run))
        buckets.setdefault(key, []).append(run)
    causes = [_cause(key, runs, per_scenario, blocked) for key, runs in buckets.items()]
    return tuple(sorted(causes, key=_order))


def _order(cause: Cause) -> tuple[int, int, int, float, str]:
    score = cause.score if cause.score is not None else 101.0
    agent_first = 0 if cause.agent else 1
    return (agent_first, 0 if cause.blocks else 1, -len(cause.calls), score, cause.scenario)


def _blocked_scenarios(verdict: Verdict | None) -> frozenset[str]:
    if verdict is None:
        return frozenset()
    labels = {c.subject for c in verdict.failed_checks if c.kind is Kind.SCENARIO}
    return frozenset(
        row.name
        for row in verdict.scenarios
        if row.name in labels or str(row.scenario_id) in labels
    )


def _failed(run: Run) -> str:
    """What the run failed first: the expected outcome, a metric, or nothing named."""
    if run.expected_outcome_score is not None and run.expected_outcome_score < 100:
        return EXPECTED_OUTCOME
    for metric in run.metrics:
        if metric.passed is False:
            return metric.name
    return NOT_SUCCESSFUL


def _error(run: Run) -> str:
    """What an infrastructure failure said: its error, its ended reason, or its status."""
    text = evidence.error_text(run) or run.ended_reason
    if text:
        return " ".join(text.split())
    if run.status:
        return f"the run ended with status {run.status}"
    return "the call did not take place"


def _explanation(run: Run, failed: str) -> str:
    if failed == EXPECTED_OUTCOME:
        return run.expected_outcome_explanation
    for metric in run.metrics:
        if metric.passed is False and metric.name == failed:
            return metric.explanation
    return evidence.reason(run)


def _cause(
    key: tuple[str, str, str],
    runs: list[Run],
    per_scenario: dict[str, int],
    blocked: frozenset[str],
) -> Cause:
    kind, scenario, what = key
    infrastructure = kind == FailureKind.INFRASTRUCTURE.value
    scenarios = _unique(r.scenario_name for r in runs) if infrastructure else (scenario,)
    failed = NEVER_CONNECTED if infrastructure else what
    scores = [r.expected_outcome_score for r in runs if r.expected_outcome_score is not None]
    score = min(scores) if scores and failed == EXPECTED_OUTCOME else None
    explanations = [what] if infrastructure else [_explanation(r, what) for r in runs]
    explanation = next((e for e in explanations if e.strip()), "")
    with_turns = [r for r in runs if r.excerpt]
    named = [r for r in with_turns if any(t.named for t in r.excerpt)]
    shown = (named or with_turns or [None])[0]
    return Cause(
        kind=FailureKind(kind),
        scenarios=scenarios,
        failed=failed,
        score=score,
        explanation=shorten(explanation, EXPLANATION_LIMIT) if explanation else "",
        calls=tuple(Call(r.id, r.scenario_name, r.run_url, r.recording_url) for r in runs),
        scenario_runs=sum(per_scenario.get(name, 0) for name in scenarios),
        excerpt=() if infrastructure or shown is None else _turns(shown.excerpt),
        blocks=not infrastructure and scenario in blocked,
    )


def _turns(turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
    """The turns the explanation names with the one before each; else the last few."""
    if any(t.named for t in turns):
        return turns
    return turns[-EXCERPT_TURNS:]


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
