"""Raw result-detail JSON -> a typed, normalised Result.

All tolerance for the Cekura API's quirks lives in this stage and only here (see the README's
"How the gate reads a Cekura result"): counts typed as strings, `success_rate` on two
scales, `runs` as a dict keyed by id strings (or a list), `null` versus `[]`, and
`performance_metrics` whose key names are not documented (the runs: runs.py; single values:
scalars.py). Everything after this stage sees clean types, and "could not read" is kept
distinct from "absent" and from "empty".

Nothing here may be invented or counted twice: a run listed twice is one run, runs the
counts promise but the payload does not list count as not succeeded, counts that contradict
each other are no rate, and a number too large for a float is no value (never an error).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from gate.errors import (
    PayloadError,
)
from gate.result.metrics import metric_kind
from gate.result.model import DASHBOARD_URL, MetricSummary, Result, RubricRule
from gate.result.notes import Note, Noted
from gate.result.runs import parse_runs
from gate.result.scalars import read_bool, read_count, read_number, read_text

# Spellings seen or plausible for a rubric rule entry; the API does not document them.
_RULE_NAME_KEYS = ("metric_name", "name", "metric", "rule", "title")
_RULE_VALUE_KEYS = ("value", "aggregate", "aggregated_value", "score", "actual")
_RULE_MET_KEYS = ("passed", "met", "meets", "meets_conditions", "is_met", "success")


def parse(
    raw: Any, *, evidence: bool = True, passing_metrics: Collection[str] | None = None
) -> Result:
    """Read a result-detail payload. Raises PayloadError only when nothing usable is there.

    `evidence=False` skips the transcript excerpts of failing runs (a baseline needs none).
    `passing_metrics` (names compared by gate.result.names.key) says which metrics of a run
    whose success is true are read: the reports detail failing runs only, and of a run that
    succeeded only metric aggregates read more than its id, scenario, status and success.
    None reads them all; an empty collection reads none, nor the run's expected outcome,
    error message and links. Reading what no check reads was most of the parsing
    (benchmarks/evaluation.py).
    """
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except RecursionError:
            raise PayloadError(
                "the result is JSON nested more deeply than the gate reads (about 1,000 "
                "levels; a Cekura result is about 10 deep)"
            ) from None
        except ValueError as exc:
            raise PayloadError(f"the result is not valid JSON ({exc})") from exc
    if not isinstance(raw, Mapping):
        raise PayloadError(
            f"the result must be a JSON object (a result detail), got {type(raw).__name__}"
        )
    notes: list[Note] = []
    status = read_text(raw.get("status")).strip().lower()
    listed = raw.get("runs")
    runs = parse_runs(listed, notes, evidence, passing_metrics)
    if listed is not None and not isinstance(listed, Mapping | list):
        notes.append(Note(Noted.RUNS_UNREADABLE, type_name=type(listed).__name__))
    total = read_count(raw.get("total_runs_count"))
    success = read_count(raw.get("success_runs_count"))
    if listed is not None and total is not None and total > len(runs):
        notes.append(Note(Noted.RUNS_NOT_LISTED, count=len(runs), total=total))
    if total is not None and success is not None and success > total:
        notes.append(Note(Noted.SUCCESSES_OVER_TOTAL, count=success, total=total))
    perf, perf_error = _parse_performance_metrics(raw.get("performance_metrics"))
    return Result(
        id=read_text(raw.get("id")),
        name=read_text(raw.get("name")),
        status=status,
        agent=read_text(raw.get("agent")),
        project=read_text(raw.get("project") or raw.get("project_id")),
        created_at=read_text(raw.get("created_at")),
        runs=runs,
        reported_total_runs=total,
        reported_success_runs=success,
        completed_runs=read_count(raw.get("completed_runs_count")),
        reported_success_rate=_success_rate_percent(raw.get("success_rate"), total, success, notes),
        failed_workflow_runs=_id_list(raw.get("failed_workflow_runs")),
        failed_infrastructure_runs=_id_list(raw.get("failed_infrastructure_runs")),
        performance_metrics=perf,
        performance_metrics_error=perf_error,
        failed_reasons=_failed_reasons(raw.get("failed_reasons")),
        ai_summary=_ai_summary(raw.get("ai_summary")),
        notes=tuple(notes),
        metric_summary=_parse_metric_summary(raw.get("overall_evaluation")),
        runs_listed=listed is not None,
    )


# -- scalars -----------------------------------------------------------------------------


# -- runs --------------------------------------------------------------------------------


# -- result-level fields -------------------------------------------------------------------


def _success_rate_percent(
    value: Any, total: int | None, success: int | None, notes: list[Note]
) -> float | None:
    """The reported rate in percent. Cekura documents both 0-100 and 0-1; the counts decide."""
    rate = read_number(value)
    if rate is None or rate < 0:
        return None
    if rate <= 1.0 and total:
        expected = 100.0 * (success or 0) / total
        if abs(rate * 100 - expected) < abs(rate - expected):
            notes.append(Note(Noted.RATE_AS_FRACTION, rate=rate))
            return rate * 100
    return min(rate, 100.0) if rate <= 100 else None


def _id_list(value: Any) -> tuple[str, ...] | None:
    """None stays None ("not measured"); a list (or JSON-encoded list) becomes ids."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    if isinstance(value, list):
        return tuple(read_text(v.get("id") if isinstance(v, Mapping) else v) for v in value)
    return None


def _failed_reasons(value: Any) -> tuple[str, ...]:
    if isinstance(value, Mapping):
        issues = value.get("issues")
        if isinstance(issues, list):
            return tuple(
                read_text(i.get("description"))
                for i in issues
                if isinstance(i, Mapping) and read_text(i.get("description"))
            )
    if isinstance(value, list):
        return tuple(read_text(v) for v in value if read_text(v))
    return ()


def _ai_summary(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = [
            read_text(value.get(k)) for k in ("what_happened", "why_it_happened", "how_to_fix")
        ]
        return "\n".join(p for p in parts if p)
    return read_text(value)


def _parse_metric_summary(value: Any) -> tuple[MetricSummary, ...]:
    """`overall_evaluation`: metric_summary (keyed by metric id, or a list), numeric_metrics
    and extra_metrics ("Expected Outcome" lives there). Unreadable entries are skipped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return ()
    if not isinstance(value, Mapping):
        return ()
    entries: list[Any] = []
    summary = value.get("metric_summary")
    if isinstance(summary, Mapping):
        entries.extend(summary.values())
    elif isinstance(summary, list):
        entries.extend(summary)
    for key in ("numeric_metrics", "extra_metrics"):
        if isinstance(value.get(key), list):
            entries.extend(value[key])
    out = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not read_text(entry.get("name")):
            continue
        score = read_number(entry.get("score"))
        if score is None:
            score = read_number(entry.get("value"))
        found: dict[str, float] = {}
        percentiles = entry.get("percentiles")
        for source in (percentiles if isinstance(percentiles, Mapping) else {}, entry):
            for name in ("p50", "p90", "p95"):
                number = read_number(source.get(name))
                if number is not None:
                    found.setdefault(name, number)
        kind = read_text(entry.get("eval_type") or entry.get("type")).lower()
        out.append(
            MetricSummary(
                name=read_text(entry.get("name")),
                kind=metric_kind(kind, None),
                score=score,
                percentiles=tuple(sorted(found.items())),
            )
        )
    return tuple(out)


def _parse_performance_metrics(value: Any) -> tuple[tuple[RubricRule, ...] | None, str]:
    """Returns (rules, error). (None, "") = no rubric; (None, why) = present but unreadable."""
    if value is None:
        return None, ""
    if isinstance(value, str):
        if not value.strip():
            return None, ""
        try:
            value = json.loads(value)
        except RecursionError:
            return None, "performance_metrics is a string of JSON nested too deeply to read"
        except ValueError:
            return None, "performance_metrics is a string that is not JSON"
    if isinstance(value, Mapping):
        if not value:
            return (), ""
        if any(k in value for k in _RULE_NAME_KEYS) and not any(
            isinstance(v, Mapping) for v in value.values()
        ):
            entries = [(None, value)]  # a single rule object
        else:
            entries = list(value.items())
    elif isinstance(value, list):
        entries = [(None, entry) for entry in value]
    else:
        return None, f"performance_metrics has an unexpected type ({type(value).__name__})"
    rules = []
    for key, entry in entries:
        rule = _parse_rule(key, entry)
        if rule is None:
            try:
                shown = json.dumps(entry, default=str)[:80]
            except (ValueError, RecursionError):  # nested too deeply to show
                shown = f"({type(entry).__name__})"
            return None, f"performance_metrics entry {shown} has no recognisable metric name"
        rules.append(rule)
    return tuple(rules), ""


def _parse_rule(key: str | None, entry: Any) -> RubricRule | None:
    if not isinstance(entry, Mapping):
        # {"Latency": 1200} style: a bare value keyed by metric name
        if key is None:
            return None
        return RubricRule(metric=str(key), value=read_number(entry), met=read_bool(entry))
    name = next((read_text(entry[k]) for k in _RULE_NAME_KEYS if read_text(entry.get(k))), "")
    name = name or (str(key) if key is not None else "")
    if not name:
        return None
    value = next(
        (read_number(entry[k]) for k in _RULE_VALUE_KEYS if read_number(entry.get(k)) is not None),
        None,
    )
    met = next(
        (read_bool(entry[k]) for k in _RULE_MET_KEYS if read_bool(entry.get(k)) is not None), None
    )
    conditions = entry.get("conditions")
    return RubricRule(
        metric=name,
        value=value,
        met=met,
        conditions=conditions if isinstance(conditions, str) else "",
    )


def dashboard_url(raw: Any, result_id: str) -> str:
    """The result's page on the Cekura dashboard, from the payload's project."""
    if not isinstance(raw, dict):
        return DASHBOARD_URL
    project = raw.get("project") or raw.get("project_id")
    # Result.url quotes both values: the API's text never bends the link.
    link = Result(
        id=result_id,
        name="",
        status="",
        project=str(project) if isinstance(project, str | int) else "",
    ).url
    return link or DASHBOARD_URL
