"""Raw result-detail JSON -> a typed, normalised Result.

All tolerance for the Cekura API's quirks lives here and only here (see the README's
"How the gate reads a Cekura result"): counts typed as strings, `success_rate` on two
scales, `runs` as a dict keyed by id strings (or a list), `null` versus `[]`, and
`performance_metrics` whose key names are not documented. Everything after this module
sees clean types, and "could not read" is kept distinct from "absent" and from "empty".

Nothing here may be invented or counted twice: a run listed twice is one run, runs the
counts promise but the payload does not list count as not succeeded, counts that contradict
each other are no rate, and a number too large for a float is no value (never an error).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from gate.errors import PayloadError
from gate.result.evidence import Turn, excerpt, explanations_of
from gate.result.frozen import positional

TERMINAL_STATUSES = frozenset({"completed", "failed", "timeout", "cancelled"})
DASHBOARD_URL = "https://dashboard.cekura.ai"

# Spellings seen or plausible for a rubric rule entry; the API does not document them.
_RULE_NAME_KEYS = ("metric_name", "name", "metric", "rule", "title")
_RULE_VALUE_KEYS = ("value", "aggregate", "aggregated_value", "score", "actual")
_RULE_MET_KEYS = ("passed", "met", "meets", "meets_conditions", "is_met", "success")
# Where a run may carry a link to itself (undocumented; used only when present).
_RUN_URL_KEYS = ("run_url", "dashboard_url", "url", "shareable_link", "public_url")
# Metric kinds, canonical (legacy binary_* names map to "binary"); interned, one per kind.
_KINDS = {k: k for k in ("binary", "numeric", "continuous_qualitative", "enum")}
#: eval_type as the API spells the canonical kinds -> (the kind, whether it is pass/fail)
_KNOWN_KINDS = {k: (k, k == "binary") for k in _KINDS}


@dataclass(frozen=True, slots=True)
class MetricValue:
    """One metric's value on one run (from `evaluation.metrics[]`)."""

    name: str
    value: float | None  # numeric score/value; binary legacy 0/5 kept as given
    passed: bool | None  # binary metrics: canonical `passed` or legacy score 5/0
    explanation: str = ""
    kind: str = ""  # binary | numeric | continuous_qualitative | enum | "" (not said)


@dataclass(frozen=True, slots=True)
class Run:
    id: str
    scenario_id: int | None
    scenario_name: str
    status: str
    success: bool | None  # None: the API did not say (errored runs)
    error_message: str = ""
    expected_outcome_score: float | None = None
    expected_outcome_explanation: str = ""
    duration: str = ""
    recording_url: str = ""
    metrics: tuple[MetricValue, ...] = ()
    run_url: str = ""  # a link to the run, when the payload has one
    #: the transcript turns worth showing, for runs whose success is not true only
    excerpt: tuple[Turn, ...] = ()

    @property
    def reason(self) -> str:
        """Why this run failed, in the words the API gave, or a plain fallback."""
        if self.error_message:
            return self.error_message
        failed = [m for m in self.metrics if m.passed is False]
        if self.expected_outcome_score is not None and self.expected_outcome_score < 100:
            text = self.expected_outcome_explanation or "expected outcome not met"
            return f"Expected outcome scored {_fmt(self.expected_outcome_score)}/100: {text}"
        if failed:
            first = failed[0]
            return f"{first.name} failed" + (f": {first.explanation}" if first.explanation else "")
        if self.success is None:
            return f"run ended with status {self.status or 'unknown'} and no success flag"
        return "marked unsuccessful by Cekura (no reason given)"


_new_metric = positional(MetricValue)
_new_run = positional(Run)
#: the statuses seen in payloads, already stripped and lowercase (any other is normalised)
_STATUSES = {s: s for s in (*TERMINAL_STATUSES, "running", "pending", "in_progress", "evaluating")}
#: integers up to this survive the float that _count reads them through
_EXACT = 2**53


@dataclass(frozen=True, slots=True)
class RubricRule:
    """One entry of `performance_metrics`: a rubric rule's aggregate over the runs."""

    metric: str
    value: float | None
    met: bool | None
    conditions: str = ""


@dataclass(frozen=True, slots=True)
class MetricSummary:
    """One metric of `overall_evaluation` (metric_summary, numeric_metrics, extra_metrics)."""

    name: str
    kind: str  # as for MetricValue
    score: float | None  # the mean over the runs (binary and 0-5 metrics: a 0-5 average)
    percentiles: tuple[tuple[str, float], ...] = ()  # (("p50", 812.0), ...)


@dataclass(frozen=True, slots=True)
class Result:
    id: str
    name: str
    status: str
    agent: str = ""
    project: str = ""
    created_at: str = ""
    runs: tuple[Run, ...] = ()
    #: runs reported by the counts (used when the payload omits the runs themselves)
    reported_total_runs: int | None = None
    reported_success_runs: int | None = None
    completed_runs: int | None = None
    #: as reported by the API, converted to percent; None when absent
    reported_success_rate: float | None = None
    #: None = not measured (metric not attached); () = measured, no failures
    failed_workflow_runs: tuple[str, ...] | None = None
    failed_infrastructure_runs: tuple[str, ...] | None = None
    #: None = the result carries no rubric rules; see performance_metrics_error
    performance_metrics: tuple[RubricRule, ...] | None = None
    performance_metrics_error: str = ""
    failed_reasons: tuple[str, ...] = ()
    ai_summary: str = ""
    notes: tuple[str, ...] = field(default=())  # what the parser had to guess, for the report
    #: Cekura's own per-metric aggregates; used when the runs carry no values for a metric
    metric_summary: tuple[MetricSummary, ...] = ()
    #: the payload has a `runs` key (even an empty one): then the listed runs decide, and
    #: only the runs the counts promise beyond them are added, as runs that did not succeed
    runs_listed: bool = False

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def total_runs(self) -> int:
        """The runs listed, or the count reported when more runs were counted than listed."""
        if self.runs or self.runs_listed:
            return max(len(self.runs), self.reported_total_runs or 0)
        return self.reported_total_runs or 0

    @property
    def success_counts(self) -> tuple[int, int] | None:
        """(runs that succeeded, runs), the numbers every success-rate check judges.

        From the runs whenever the payload lists them (even an empty list): a run counted but
        not listed has not been seen to succeed, so it counts against the rate. From the
        counts only when there is no `runs` key at all, and never when they contradict each
        other (more successes than runs). None when there is nothing to count.
        """
        if self.runs or self.runs_listed:
            total = self.total_runs
            if not total:
                return None
            return sum(1 for r in self.runs if r.success is True), total
        total, success = self.reported_total_runs, self.reported_success_runs
        if total and success is not None and success <= total:
            return success, total
        return None

    @property
    def success_rate(self) -> float | None:
        """Percent of runs with success=true (see `success_counts`); the reported rate only
        when the payload has neither runs nor both counts."""
        counts = self.success_counts
        if counts is not None:
            return 100.0 * counts[0] / counts[1]
        if self.runs or self.runs_listed:
            return None  # listed runs decide; a rate reported beside none is not believed
        total, success = self.reported_total_runs, self.reported_success_runs
        if total and success is not None:
            return None  # counts that contradict each other: the reported rate is no better
        return self.reported_success_rate

    @property
    def failing_runs(self) -> tuple[Run, ...]:
        return tuple(r for r in self.runs if r.success is not True)

    @property
    def url(self) -> str:
        if not self.id:
            return ""
        # Both come from the API: quoted, so a hostile value cannot bend the link or output.
        result_id = quote(self.id.strip(), safe="")
        if self.project:
            return f"{DASHBOARD_URL}/{quote(self.project.strip(), safe='')}/results/{result_id}"
        return f"{DASHBOARD_URL}/results/{result_id}"


def parse(raw: Any, *, evidence: bool = True, passing_details: bool = True) -> Result:
    """Read a result-detail payload. Raises PayloadError only when nothing usable is there.

    `evidence=False` skips the transcript excerpts of failing runs (a baseline needs none).
    `passing_details=False` keeps of a run whose success is true only what the verdict and
    the reports read of it: id, scenario, status and success (its metrics, expected outcome,
    error message, duration and links are left empty). Only metric aggregates read more of
    such runs (thresholds.metrics, regression metrics); the reports detail failing runs only.
    Reading those details was most of the parsing (benchmarks/evaluation.py).
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
    notes: list[str] = []
    status = _text(raw.get("status")).strip().lower()
    listed = raw.get("runs")
    runs = _parse_runs(listed, notes, evidence, passing_details)
    if listed is not None and not isinstance(listed, Mapping | list):
        notes.append(f"runs is a {type(listed).__name__}, not a list or an object: no run read")
    total = _count(raw.get("total_runs_count"))
    success = _count(raw.get("success_runs_count"))
    if listed is not None and total is not None and total > len(runs):
        notes.append(
            f"the result counts {total} runs but lists {len(runs)}: the {total - len(runs)} "
            "not listed count as not succeeded"
        )
    if total is not None and success is not None and success > total:
        notes.append(f"success_runs_count {success} is more than total_runs_count {total}")
    perf, perf_error = _parse_performance_metrics(raw.get("performance_metrics"))
    return Result(
        id=_text(raw.get("id")),
        name=_text(raw.get("name")),
        status=status,
        agent=_text(raw.get("agent")),
        project=_text(raw.get("project") or raw.get("project_id")),
        created_at=_text(raw.get("created_at")),
        runs=runs,
        reported_total_runs=total,
        reported_success_runs=success,
        completed_runs=_count(raw.get("completed_runs_count")),
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


def _text(value: Any) -> str:
    if value.__class__ is str:  # first: this runs ~20 times per run (benchmarks/evaluation.py)
        return value
    if value is None or isinstance(value, Mapping | list):
        return ""
    return str(value)


def _number(value: Any) -> float | None:
    """A finite float from an int, float or numeric string; None otherwise."""
    if value.__class__ is int:  # the common cases first (bool is not int here)
        return float(value) if -_EXACT <= value <= _EXACT else _big(value)
    if value.__class__ is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return _big(value)
    if isinstance(value, float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _big(value: int) -> float | None:
    """An integer as a float, or None when it is too large for one (10**400 has no float)."""
    try:
        return float(value)
    except OverflowError:
        return None


def _count(value: Any) -> int | None:
    number = _number(value)
    if number is None or number < 0 or number != int(number):
        return None
    return int(number)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return None


def _fmt(number: float) -> str:
    return f"{number:g}"


# -- runs --------------------------------------------------------------------------------


def _parse_runs(
    raw: Any, notes: list[str], evidence: bool = True, passing_details: bool = True
) -> tuple[Run, ...]:
    if isinstance(raw, Mapping):
        items: Any = raw.items()
    elif isinstance(raw, list):
        items = ((None, value) for value in raw)
    else:
        return ()
    runs = []
    append = runs.append
    for n, (key, entry) in enumerate(items, start=1):
        if key is not None and key.__class__ is not str:
            key = str(key)
        if entry.__class__ is dict or isinstance(entry, Mapping):  # dict first: fast
            append(_parse_run(key, entry, evidence, passing_details))
            continue
        # Kept as a run that did not succeed: skipping it would raise the success rate
        # of the runs that could be read (a failing run sent garbled must not vanish).
        what = "null" if entry is None else type(entry).__name__
        append(
            Run(
                id=key or f"#{n}",
                scenario_id=None,
                scenario_name="Unreadable run",
                status="",
                success=None,
                error_message=f"the API sent this run as {what}, not an object; the gate "
                "cannot read it, so it counts as a run that did not succeed",
            )
        )
    if len({run.id for run in runs}) < len(runs):
        return _drop_duplicates(runs, notes)
    return tuple(runs)


def _drop_duplicates(runs: list[Run], notes: list[str]) -> tuple[Run, ...]:
    """One run per run id: a run listed twice is one run (and must not count twice).

    When the copies disagree, the one that did not succeed stands: a duplicate must not turn
    a failed run into a success. Runs without an id cannot be matched and are all kept.
    """
    kept: list[Run] = []
    at: dict[str, int] = {}
    dropped: list[str] = []
    for run in runs:
        index = at.get(run.id) if run.id else None
        if index is None:
            if run.id:
                at[run.id] = len(kept)
            kept.append(run)
            continue
        dropped.append(run.id)
        if kept[index].success is True and run.success is not True:
            kept[index] = run
    if dropped:
        unique = list(dict.fromkeys(dropped))
        ids = ", ".join(unique[:10]) + (" …" if len(unique) > 10 else "")
        many = len(dropped) != 1
        notes.append(
            f"{len(dropped)} duplicate run{'s' if many else ''} dropped (run ids listed more "
            f"than once: {ids}); each run counts once"
        )
    return tuple(kept)


def _parse_run(
    key: str | None, raw: Mapping[str, Any], evidence: bool = True, passing_details: bool = True
) -> Run:
    # This runs once per run (10,000 times for a large result, benchmarks/evaluation.py): the
    # types the API sends are tested inline first, and the general readers (_text, _count,
    # _number, _bool, _join) get whatever else arrives, with the same results.
    get = raw.get
    scenario = get("scenario")
    if scenario.__class__ is dict or isinstance(scenario, Mapping):
        value = scenario.get("id")
        scenario_id = value if value.__class__ is int and 0 <= value <= _EXACT else _count(value)
        value = scenario.get("name")
        scenario_name = value if value.__class__ is str else _text(value)
    else:
        scenario_id = _count(scenario)
        scenario_name = ""
    scenario_name = scenario_name or _text(get("scenario_name"))
    if not scenario_name:
        scenario_name = f"Scenario {scenario_id}" if scenario_id is not None else "Unknown scenario"
    value = get("success")
    success = value if value.__class__ is bool else _bool(value)
    value = get("id")
    if value.__class__ is int:
        run_id = str(value)
    else:
        run_id = (value if value.__class__ is str else _text(value)) or (key or "")
    value = get("status")
    status = _STATUSES.get(value) if value.__class__ is str else None
    if status is None:
        status = _text(value).strip().lower()
    if success is True and not passing_details:
        # All that the verdict and the reports read of a run that succeeded.
        return _new_run(
            run_id, scenario_id, scenario_name, status, success, "", None, "", "", "", (), "", ()
        )
    expected = get("expected_outcome")
    expected_score = None
    expected_explanation = ""
    if expected.__class__ is dict or isinstance(expected, Mapping):
        value = expected.get("score")
        small = value.__class__ is int and -_EXACT <= value <= _EXACT
        expected_score = float(value) if small else _number(value)
        value = expected.get("explanation")
        expected_explanation = (
            value[0]  # the usual one-sentence explanation, as _join reads it
            if value.__class__ is list and len(value) == 1 and value[0].__class__ is str
            else _join(value)
        )
    evaluation = get("evaluation")
    metrics: tuple[MetricValue, ...] = ()
    if evaluation.__class__ is dict or isinstance(evaluation, Mapping):
        entries = evaluation.get("metrics")
        if entries.__class__ is list or isinstance(entries, list):
            parsed = []
            for entry in entries:
                if entry.__class__ is dict or isinstance(entry, Mapping):
                    parsed.append(_parse_metric(entry))
            metrics = tuple(parsed)
    value = get("error_message")
    error_message = value.strip() if value.__class__ is str else _text(value).strip()
    turns: tuple[Turn, ...] = ()
    if evidence and success is not True:
        # Only failing runs keep a few turns; every other transcript is dropped right here.
        transcript = get("transcript_object") or get("transcript")
        turns = excerpt(
            transcript,
            explanations_of(error_message, expected_score, expected_explanation, metrics),
        )
    value = get("duration")
    duration = value if value.__class__ is str else _text(value)
    value = get("voice_recording_url") or get("voice_recording")
    recording_url = value if value.__class__ is str else _text(value)
    run_url = ""
    if not raw.keys().isdisjoint(_RUN_URL_KEYS):  # the usual case: none of them, no loop
        run_url = next((_text(raw[k]) for k in _RUN_URL_KEYS if _text(get(k))), "")
    return _new_run(
        run_id,
        scenario_id,
        scenario_name,
        status,
        success,
        error_message,
        expected_score,
        expected_explanation,
        duration,
        recording_url,
        metrics,
        run_url,
        turns,
    )


def _parse_metric(raw: Mapping[str, Any]) -> MetricValue:
    get = raw.get
    value = get("eval_type") or get("type")
    known = _KNOWN_KINDS.get(value) if value.__class__ is str else None
    if known is None:
        kind = _text(value).lower()
        binary = kind.startswith("binary")
    else:
        kind, binary = known
    value = get("score")
    if value.__class__ is int and -_EXACT <= value <= _EXACT:
        score: float | None = float(value)
    else:
        score = None if value is None else _number(value)
        if score is None:
            value = get("value")
            score = None if value is None else _number(value)
    value = get("passed")
    passed = value if value.__class__ is bool or value is None else _bool(value)
    if passed is None and binary:
        normalized = _number(get("score_normalized"))
        if normalized is not None:
            passed = normalized > 0
        elif score is not None:
            passed = score > 0  # legacy binary: 5 = pass, 0 = fail
    value = get("name")
    name = (value if value.__class__ is str else _text(value)) or f"metric {_text(get('id'))}"
    if known is None:
        kind = "binary" if binary or (not kind and passed is not None) else _KINDS.get(kind, "")
    value = get("explanation")
    if value.__class__ is not list or len(value) != 1 or value[0].__class__ is not str:
        value = _join(value)
    else:
        value = value[0]  # the usual one-sentence explanation
    return _new_metric(name, score, passed, value, kind)


def _kind(kind: str, passed: bool | None) -> str:
    if kind.startswith("binary") or (not kind and passed is not None):
        return "binary"
    return _KINDS.get(kind, "")


def _join(value: Any) -> str:
    if value.__class__ is list and len(value) == 1 and value[0].__class__ is str:
        return value[0]  # the usual one-sentence explanation
    if isinstance(value, list):
        return " ".join(_text(v) for v in value if _text(v))
    return _text(value)


# -- result-level fields -------------------------------------------------------------------


def _success_rate_percent(
    value: Any, total: int | None, success: int | None, notes: list[str]
) -> float | None:
    """The reported rate in percent. Cekura documents both 0-100 and 0-1; the counts decide."""
    rate = _number(value)
    if rate is None or rate < 0:
        return None
    if rate <= 1.0 and total:
        expected = 100.0 * (success or 0) / total
        if abs(rate * 100 - expected) < abs(rate - expected):
            notes.append(f"success_rate {_fmt(rate)} read as a 0-1 fraction (counts agree)")
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
        return tuple(_text(v.get("id") if isinstance(v, Mapping) else v) for v in value)
    return None


def _failed_reasons(value: Any) -> tuple[str, ...]:
    if isinstance(value, Mapping):
        issues = value.get("issues")
        if isinstance(issues, list):
            return tuple(
                _text(i.get("description"))
                for i in issues
                if isinstance(i, Mapping) and _text(i.get("description"))
            )
    if isinstance(value, list):
        return tuple(_text(v) for v in value if _text(v))
    return ()


def _ai_summary(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = [_text(value.get(k)) for k in ("what_happened", "why_it_happened", "how_to_fix")]
        return "\n".join(p for p in parts if p)
    return _text(value)


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
        if not isinstance(entry, Mapping) or not _text(entry.get("name")):
            continue
        score = _number(entry.get("score"))
        if score is None:
            score = _number(entry.get("value"))
        found: dict[str, float] = {}
        percentiles = entry.get("percentiles")
        for source in (percentiles if isinstance(percentiles, Mapping) else {}, entry):
            for name in ("p50", "p90", "p95"):
                number = _number(source.get(name))
                if number is not None:
                    found.setdefault(name, number)
        kind = _text(entry.get("eval_type") or entry.get("type")).lower()
        out.append(
            MetricSummary(
                name=_text(entry.get("name")),
                kind=_kind(kind, None),
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
        return RubricRule(metric=str(key), value=_number(entry), met=_bool(entry))
    name = next((_text(entry[k]) for k in _RULE_NAME_KEYS if _text(entry.get(k))), "")
    name = name or (str(key) if key is not None else "")
    if not name:
        return None
    value = next(
        (_number(entry[k]) for k in _RULE_VALUE_KEYS if _number(entry.get(k)) is not None), None
    )
    met = next((_bool(entry[k]) for k in _RULE_MET_KEYS if _bool(entry.get(k)) is not None), None)
    conditions = entry.get("conditions")
    return RubricRule(
        metric=name,
        value=value,
        met=met,
        conditions=conditions if isinstance(conditions, str) else "",
    )
