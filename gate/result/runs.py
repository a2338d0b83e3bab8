"""The runs of a result detail, each a Run: `runs` as a list or as a dict keyed by id strings,
a run listed twice counted once, and the transcript of a failing run cut to its excerpt."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from gate.result.excerpt import Turn, excerpt, explanations_of
from gate.result.metrics import Kept, parse_metric
from gate.result.model import MetricValue, Run
from gate.result.notes import Note, Noted
from gate.result.scalars import EXACT, read_bool, read_count, read_joined, read_number, read_text
from gate.result.status import KNOWN_STATUSES
from gate.result.typed_object import TypedObject

#: the scenario an unreadable run is listed under (as "Unknown scenario" is for a run that
#: names none)
UNREADABLE_RUN = "Unreadable run"
# Where a run may carry a link to itself (undocumented; used only when present).
_RUN_URL_KEYS = ("run_url", "dashboard_url", "url", "shareable_link", "public_url")


def parse_runs(
    raw: Any,
    notes: list[Note],
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
    keep = None if passing_metrics is None else Kept(passing_metrics)
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
                scenario_name=UNREADABLE_RUN,
                status="",
                success=None,
                unreadable=what,
            )
        )
    if len({run.id for run in runs}) < len(runs):
        return _drop_duplicates(runs, notes)
    return tuple(runs)


def _drop_duplicates(runs: list[Run], notes: list[Note]) -> tuple[Run, ...]:
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
        notes.append(
            Note(Noted.DUPLICATE_RUNS, count=len(dropped), ids=tuple(dict.fromkeys(dropped)))
        )
    return tuple(kept)


def _parse_run(
    key: str | None,
    raw: Mapping[str, Any] | TypedObject,
    evidence: bool = True,
    keep: Kept | None = None,
) -> Run:
    # This runs once per run (10,000 times for a large result, benchmarks/evaluation.py): the
    # types the API sends are tested inline first, and the general readers (read_text, read_count,
    # read_number, read_bool, read_joined) get whatever else arrives, with the same results.
    # A run read by gate.result.typed has every field read here as an attribute (a C call,
    # not the Python get(), which is for the transcripts it keeps undecoded).
    get = raw.__getattribute__ if isinstance(raw, TypedObject) else raw.get
    scenario = get("scenario")
    if scenario.__class__ is dict or isinstance(scenario, TypedObject | Mapping):
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
    if success is True and keep is not None:
        return _succeeded(get, run_id, scenario_id, scenario_name, status, keep)
    expected_score, expected_explanation = _expected_outcome(get("expected_outcome"))
    metrics = _metrics(get("evaluation"), None)
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
    return Run(
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


def _succeeded(
    get: Any, run_id: str, scenario_id: int | None, scenario_name: str, status: str, keep: Kept
) -> Run:
    """A run that succeeded, read for what the checks and reports read of it: its duration
    (the JUnit case's time), the metrics `keep` wants and, when wanted, its expected outcome
    score. The reports detail failing runs only."""
    value = get("duration")
    duration = value if value.__class__ is str else read_text(value)
    if not keep.wanted:
        return Run(run_id, scenario_id, scenario_name, status, True, duration=duration)
    score = _expected_score(get("expected_outcome")) if keep.outcome else None
    return Run(
        run_id,
        scenario_id,
        scenario_name,
        status,
        True,
        expected_outcome_score=score,
        duration=duration,
        metrics=_metrics(get("evaluation"), keep),
    )


def _expected_score(expected: Any) -> float | None:
    """`expected_outcome.score`."""
    if expected.__class__ is dict or isinstance(expected, TypedObject | Mapping):
        value = expected.get("score")
        small = value.__class__ is int and -EXACT <= value <= EXACT
        return float(value) if small else read_number(value)
    return None


def _expected_outcome(expected: Any) -> tuple[float | None, str]:
    """`expected_outcome`: its score and its explanation."""
    if expected.__class__ is dict or isinstance(expected, TypedObject | Mapping):
        score = _expected_score(expected)
        value = expected.get("explanation")
        explanation = (
            value[0]  # the usual one-sentence explanation, as read_joined reads it
            if value.__class__ is list and len(value) == 1 and value[0].__class__ is str
            else read_joined(value)
        )
        return score, explanation
    return None, ""


def _metrics(evaluation: Any, keep: Kept | None) -> tuple[MetricValue, ...]:
    """`evaluation.metrics`: every entry that is an object, or those `keep` wants."""
    if evaluation.__class__ is dict or isinstance(evaluation, TypedObject | Mapping):
        entries = evaluation.get("metrics")
        if entries.__class__ is list or isinstance(entries, list):
            parsed = []
            for entry in entries:
                readable = entry.__class__ is dict or isinstance(entry, TypedObject | Mapping)
                if readable and (keep is None or keep(entry)):
                    parsed.append(parse_metric(entry))
            return tuple(parsed)
    return ()
