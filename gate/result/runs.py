"""The runs of a result detail, each a Run: `runs` as a list or as a dict keyed by id strings,
a run listed twice counted once, and the transcript of a failing run cut to its excerpt."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any

from gate.result.excerpt import Turn, excerpt, explanations_of
from gate.result.frozen import positional
from gate.result.model import MetricValue, Run
from gate.result.names import key as name_key
from gate.result.scalars import EXACT, read_bool, read_count, read_joined, read_number, read_text
from gate.result.status import KNOWN_STATUSES

# Where a run may carry a link to itself (undocumented; used only when present).
_RUN_URL_KEYS = ("run_url", "dashboard_url", "url", "shareable_link", "public_url")
# Metric kinds, canonical (legacy binary_* names map to "binary"); interned, one per kind.
_KINDS = {k: k for k in ("binary", "numeric", "continuous_qualitative", "enum")}
#: eval_type as the API spells the canonical kinds -> (the kind, whether it is pass/fail)
_KNOWN_KINDS = {k: (k, k == "binary") for k in _KINDS}
#: what a metric entry is read for, in this order (gate.result.typed keeps these fields)
_METRIC_FIELDS = (
    "eval_type",
    "type",
    "score",
    "value",
    "passed",
    "score_normalized",
    "name",
    "id",
    "extra",
    "blocked",
    "status",
    "result",
)
#: what a metric's status, result, score or value says when it did not apply to the run
#: (Cekura: "blocked", its trigger never fired); compared lower-cased, spaces as "_"
_NOT_APPLICABLE = frozenset({"blocked", "not_applicable", "n/a", "na", "trigger_failed"})
_metric_fields = attrgetter(*_METRIC_FIELDS)
_new_metric = positional(MetricValue)
_new_run = positional(Run)


class TypedObject:
    """A JSON object decoded by gate.result.typed (a run, its evaluation, a metric): its
    fields are read with get(), which decodes what it keeps undecoded, or as attributes."""

    __slots__ = ()

    def get(self, name: str, default: Any = None) -> Any:
        raise NotImplementedError


def parse_runs(
    raw: Any,
    notes: list[str],
    evidence: bool = True,
    passing_metrics: Collection[str] | None = None,
) -> tuple[Run, ...]:
    """The runs listed in `raw`; `passing_metrics` as parse() takes it."""
    if isinstance(raw, Mapping):
        items: Any = raw.items()
    elif isinstance(raw, list):
        items = ((None, value) for value in raw)
    else:
        return ()
    runs = []
    append = runs.append
    keep = None if passing_metrics is None else _Kept(passing_metrics)
    for n, (key, entry) in enumerate(items, start=1):
        if key is not None and key.__class__ is not str:
            key = str(key)
        if entry.__class__ is dict or isinstance(entry, TypedObject | Mapping):  # dict first: fast
            append(_parse_run(key, entry, evidence, keep))
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
    key: str | None,
    raw: Mapping[str, Any] | TypedObject,
    evidence: bool = True,
    keep: _Kept | None = None,
) -> Run:
    # This runs once per run (10,000 times for a large result, benchmarks/evaluation.py): the
    # types the API sends are tested inline first, and the general readers (read_text, read_count,
    # read_number, read_bool, read_joined) get whatever else arrives, with the same results.
    # A run read by gate.result.typed has every field read here as an attribute (a C call,
    # not the Python get(), which is for the transcripts it keeps undecoded).
    get = raw.__getattribute__ if isinstance(raw, TypedObject) else raw.get
    scenario = get("scenario")
    if scenario.__class__ is dict or isinstance(scenario, Mapping):
        value = scenario.get("id")
        scenario_id = value if value.__class__ is int and 0 <= value <= EXACT else read_count(value)
        value = scenario.get("name")
        scenario_name = value if value.__class__ is str else read_text(value)
    else:
        scenario_id = read_count(scenario)
        scenario_name = ""
    scenario_name = scenario_name or read_text(get("scenario_name"))
    if not scenario_name:
        scenario_name = f"Scenario {scenario_id}" if scenario_id is not None else "Unknown scenario"
    value = get("success")
    success = value if value.__class__ is bool else read_bool(value)
    value = get("id")
    if value.__class__ is int:
        run_id = str(value)
    else:
        run_id = (value if value.__class__ is str else read_text(value)) or (key or "")
    value = get("status")
    status = KNOWN_STATUSES.get(value) if value.__class__ is str else None
    if status is None:
        status = read_text(value).strip().lower()
    if success is True and keep is not None and not keep.wanted:
        # All that the verdict and the reports read of a run that succeeded (the duration:
        # the JUnit case's time).
        value = get("duration")
        return _new_run(
            run_id,
            scenario_id,
            scenario_name,
            status,
            success,
            "",
            None,
            "",
            value if value.__class__ is str else read_text(value),
            "",
            (),
            "",
            (),
            "",
        )
    expected = get("expected_outcome")
    expected_score = None
    expected_explanation = ""
    if expected.__class__ is dict or isinstance(expected, Mapping):
        value = expected.get("score")
        small = value.__class__ is int and -EXACT <= value <= EXACT
        expected_score = float(value) if small else read_number(value)
        value = expected.get("explanation")
        expected_explanation = (
            value[0]  # the usual one-sentence explanation, as read_joined reads it
            if value.__class__ is list and len(value) == 1 and value[0].__class__ is str
            else read_joined(value)
        )
    evaluation = get("evaluation")
    metrics: tuple[MetricValue, ...] = ()
    if evaluation.__class__ is dict or isinstance(evaluation, TypedObject | Mapping):
        entries = evaluation.get("metrics")
        if entries.__class__ is list or isinstance(entries, list):
            parsed = []
            only = keep if success is True else None  # a failing run shows all its metrics
            for entry in entries:
                readable = entry.__class__ is dict or isinstance(entry, TypedObject | Mapping)
                if readable and (only is None or only(entry)):
                    parsed.append(_parse_metric(entry))
            metrics = tuple(parsed)
    value = get("error_message")
    error_message = value.strip() if value.__class__ is str else read_text(value).strip()
    turns: tuple[Turn, ...] = ()
    if evidence and success is not True:
        # Only failing runs keep a few turns; every other transcript is dropped right here.
        transcript = raw.get("transcript_object") or raw.get("transcript")
        turns = excerpt(
            transcript,
            explanations_of(error_message, expected_score, expected_explanation, metrics),
        )
    value = get("duration")
    duration = value if value.__class__ is str else read_text(value)
    value = get("voice_recording_url") or get("voice_recording")
    recording_url = value if value.__class__ is str else read_text(value)
    run_url = next((text for k in _RUN_URL_KEYS if (text := read_text(get(k)))), "")
    ended_reason = ""
    if success is not True:
        metadata = raw.get("metadata")  # decoded here only (gate.result.typed keeps it raw)
        if metadata.__class__ is dict or isinstance(metadata, Mapping):
            ended_reason = (
                read_text(metadata.get("ended_reason")).strip()
                or read_text(metadata.get("call_ended_reason")).strip()
            )
        ended_reason = (
            ended_reason
            or read_text(get("ended_reason")).strip()
            or read_text(get("call_ended_reason")).strip()
        )
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
        ended_reason,
    )


def _parse_metric(raw: Mapping[str, Any] | TypedObject) -> MetricValue:
    if isinstance(raw, TypedObject):  # a metric read by gate.result.typed: in one call
        fields = _metric_fields(raw)
    else:
        fields = tuple(map(raw.get, _METRIC_FIELDS))
    (
        eval_type,
        type_,
        score_value,
        value,
        passed_value,
        normalized,
        name_value,
        metric_id,
        extra,
        blocked_value,
        status_value,
        result_value,
    ) = fields
    value_type = eval_type or type_
    known = _KNOWN_KINDS.get(value_type) if value_type.__class__ is str else None
    if known is None:
        kind = read_text(value_type).lower()
        binary = kind.startswith("binary")
    else:
        kind, binary = known
    if score_value.__class__ is int and -EXACT <= score_value <= EXACT:
        score: float | None = float(score_value)
    else:
        score = None if score_value is None else read_number(score_value)
        if score is None:
            score = None if value is None else read_number(value)
    passed = (
        passed_value
        if passed_value.__class__ is bool or passed_value is None
        else read_bool(passed_value)
    )
    if passed is None and binary:
        normalized = read_number(normalized)
        if normalized is not None:
            passed = normalized > 0
        elif score is not None:
            passed = score > 0  # legacy binary: 5 = pass, 0 = fail
    name = _metric_name(name_value, metric_id)
    if known is None:
        kind = "binary" if binary or (not kind and passed is not None) else _KINDS.get(kind, "")
    # (the fields that can say "blocked" are tested for presence first: most metrics have none)
    says_something = extra is not None or blocked_value is not None or status_value is not None
    says_something = says_something or result_value is not None
    if (says_something or score_value.__class__ is str or value.__class__ is str) and _blocked(
        extra, blocked_value, (status_value, result_value, score_value, value)
    ):
        # It did not apply: no value and no pass/fail, whatever else the entry says (a
        # legacy score of 0 beside trigger_failed is no failure).
        return _new_metric(name, None, None, "", kind, True)
    explanation = ""
    if passed is False:  # only a failed metric's explanation is shown (evidence, a run's reason)
        value = raw.get("explanation")
        if value.__class__ is not list or len(value) != 1 or value[0].__class__ is not str:
            explanation = read_joined(value)
        else:
            explanation = value[0]  # the usual one-sentence explanation
    return _new_metric(name, score, passed, explanation, kind, False)


def _metric_name(name: Any, metric_id: Any) -> str:
    return (name if name.__class__ is str else read_text(name)) or f"metric {read_text(metric_id)}"


class _Kept:
    """Which metrics of a run that succeeded are read: those named in `wanted` (by
    gate.result.names.key); the answer for each name the API sends is remembered."""

    __slots__ = ("_known", "wanted")

    def __init__(self, wanted: Collection[str]) -> None:
        self.wanted = frozenset(wanted)
        self._known: dict[str, bool] = {}

    def __call__(self, entry: Mapping[str, Any] | TypedObject) -> bool:
        name = entry.name if isinstance(entry, TypedObject) else entry.get("name")  # type: ignore[attr-defined]
        if name.__class__ is str:
            known = self._known.get(name)
            if known is None:
                known = self._known[name] = name_key(name) in self.wanted
            return known
        return name_key(_metric_name(name, entry.get("id"))) in self.wanted


def _blocked(extra: Any, flag: Any, words: tuple[Any, ...]) -> bool:
    """Whether a metric entry says it did not apply to the run: `extra.trigger_failed`, a
    `blocked` flag, or "blocked" (or "not applicable") as its status, result, score or value."""
    if isinstance(extra, Mapping | TypedObject) and read_bool(extra.get("trigger_failed")):
        return True
    if read_bool(flag):
        return True
    for word in words:
        if word.__class__ is str and word.strip().lower().replace(" ", "_") in _NOT_APPLICABLE:
            return True
    return False


def metric_kind(kind: str, passed: bool | None) -> str:
    if kind.startswith("binary") or (not kind and passed is not None):
        return "binary"
    return _KINDS.get(kind, "")
