"""A config's data checked against the shipped JSON Schema and across keys, each problem worded
with its line: `gate.yml:4: thresholds.success_rate.min: expected a number from 0 to 100, got
'ninety'`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from gate.policy.yaml_reader import line_of


@cache
def schema() -> dict[str, Any]:
    # In the package root in any ordinary install (its path is part of its public $id, so it
    # stays there); importlib.resources (which also reads a zipped package) only when it is
    # not, as importing it costs every start-up ~5 ms.
    path = Path(__file__).parent.parent / "schema" / "gate.schema.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    from importlib import resources

    text = resources.files("gate").joinpath("schema/gate.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_problems(data: Any, node: yaml.Node | None, name: str) -> list[str]:
    from gate.policy.schema_errors import iter_errors  # jsonschema-rs is imported only to validate

    found: list[tuple[tuple[Any, ...], str]] = []
    for error in iter_errors(_validator(), schema(), data):
        for index, (line, text) in enumerate(_describe(error, node)):
            found.append(((line, error.order, index), f"{name}:{line}: {text}"))
    unique = dict.fromkeys(text for _, text in sorted(found, key=lambda f: f[0]))
    return list(unique)


@cache
def _validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema())


def _describe(error: Any, node: yaml.Node | None) -> list[tuple[int, str]]:
    path = list(error.absolute_path)
    where = _dotted(path) or "(top level)"
    line = line_of(node, path)
    kind = error.validator
    if kind == "additionalProperties":
        import difflib

        known = sorted(error.schema.get("properties", {}))
        extras = sorted({str(key) for key in error.instance} - set(known))
        out = []
        for extra in extras:
            key_path = [*path, extra]
            hint = difflib.get_close_matches(extra, known, n=1, cutoff=0.6)
            fix = f"did you mean '{hint[0]}'?" if hint else f"known keys: {', '.join(known)}"
            out.append(
                (line_of(node, key_path, key=True), f"{_dotted(key_path)}: unknown key; {fix}")
            )
        return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return [(line, f"{where}: missing required key '{missing}'")]
    if kind == "anyOf" and path and "metric" in (error.instance or {}):
        needs = [n for option in error.schema["anyOf"] for n in option.get("required", [])]
        return [(line, f"{where}: a rule needs {', '.join(needs)} or both, got neither")]
    if kind == "anyOf" and path == ["thresholds", "infrastructure"]:
        return [
            (
                line,
                f"{where}: give max_rate (a percent of the runs, e.g. max_rate: 10) or max (a "
                "number of runs), got neither",
            )
        ]
    needs = [n for option in error.schema.get("anyOf", ()) for n in option.get("required", [])]
    if kind == "anyOf" and "significance" in needs:
        return [(line, f"{where}: needs {' or '.join(needs)} (or both), got neither")]
    if kind == "const" and path == ["version"]:
        return [
            (line, f"version: expected 1 (the only config version), got {_show(error.instance)}")
        ]
    if kind in {"type", "minimum", "maximum", "enum", "const", "minLength"}:
        expected = _expected(error.schema)
        return [(line, f"{where}: expected {expected}, got {_show(error.instance)}")]
    if kind in {"minItems", "uniqueItems"}:
        return [(line, f"{where}: {error.message}")]
    return [(line, f"{where}: {error.message}")]


def _expected(schema_part: dict[str, Any]) -> str:
    if "enum" in schema_part:
        return "one of " + ", ".join(str(v) for v in schema_part["enum"])
    if "const" in schema_part:
        return _show(schema_part["const"])
    kind = schema_part.get("type")
    low, high = schema_part.get("minimum"), schema_part.get("maximum")
    noun = {"integer": "a whole number", "number": "a number"}.get(kind)
    if noun and low is not None and high is not None:
        return f"{noun} from {low:g} to {high:g}"
    if noun and low is not None:
        return f"{noun} of at least {low:g}"
    if noun:
        return noun
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        return "a non-empty text" if schema_part.get("minLength") else "a text"
    if kind == "object":
        return "a mapping of keys"
    if kind == "array":
        return "a list"
    return "a valid value"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    try:
        return json.dumps(value)
    except TypeError:  # YAML's dates, sets and bytes: JSON has no such type
        return f"{value} (a {type(value).__name__})"


def _dotted(path: list[str | int]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def cross_problems(data: dict[str, Any], node: yaml.Node | None, name: str) -> list[str]:
    """Rules the schema cannot say well (run once the file matches the schema)."""
    found: list[tuple[int, str]] = []

    def problem(path: list[str | int], text: str) -> None:
        line = line_of(node, path, key=True)
        found.append((line, f"{name}:{line}: {_dotted(path)}: {text}"))

    baseline = data.get("baseline")
    thresholds = data.get("thresholds") or {}
    if baseline is not None:
        ways = [k for k in ("result_id", "result_file") if k in baseline]
        ways += ["latest_completed"] if baseline.get("latest_completed") else []
        if len(ways) != 1:
            got = ", ".join(ways) if ways else "none"
            problem(
                ["baseline"],
                f"set exactly one of result_id, result_file or latest_completed: true (got {got})",
            )
        for only in ("agent_id", "name_pattern", "max_results"):
            if only in baseline and not baseline.get("latest_completed"):
                problem(["baseline", only], "applies only with latest_completed: true")
    if baseline is not None and "max_age" in baseline:
        _max_age(problem, baseline["max_age"])
    elif baseline is not None and "when_older" in baseline:
        problem(["baseline", "when_older"], "applies only together with max_age")
    for index, item in enumerate((thresholds.get("regression") or {}).get("scenarios") or []):
        if ("name" in item) == ("id" in item):
            problem(
                ["thresholds", "regression", "scenarios", index],
                "name the scenario by exactly one of name or id",
            )
    if thresholds.get("coverage") is not None and baseline is None:
        problem(
            ["thresholds", "coverage"],
            "coverage compares with a baseline: add a baseline section "
            "(result_id, result_file or latest_completed: true)",
        )
    if thresholds.get("regression") and baseline is None:
        problem(
            ["thresholds", "regression"],
            "regression checks compare with a baseline: add a baseline section "
            "(result_id, result_file or latest_completed: true)",
        )
    infrastructure = thresholds.get("infrastructure") or {}
    if "max_rate" in infrastructure and "max" in infrastructure:
        problem(
            ["thresholds", "infrastructure"],
            "give max_rate (a percent of the runs) or max (a number of runs), not both",
        )
    rate = thresholds.get("success_rate") or {}
    _confidence_bounds(problem, ["thresholds", "success_rate"], rate, rate.get("min"), None)
    for index, item in enumerate(thresholds.get("scenarios") or []):
        path: list[str | int] = ["thresholds", "scenarios", index]
        if ("name" in item) == ("id" in item):
            problem(path, "name the scenario by exactly one of name or id")
        if not {"min_success_rate", "min_passes", "flaky"} & set(item):
            problem(path, "give at least one of min_success_rate, min_passes or flaky")
        if "confidence" in item and "min_success_rate" not in item:
            problem(
                [*path, "confidence"],
                "confidence applies to a rate: use it with min_success_rate (min_passes is an "
                "exact count)",
            )
        _confidence_bounds(problem, path, item, item.get("min_success_rate"), None)
    for index, item in enumerate(data.get("quarantine") or []):
        path = ["quarantine", index]
        if ("name" in item) == ("id" in item):
            problem(path, "name the scenario by exactly one of name or id")
        if not _is_date(item["until"]):
            problem(
                [*path, "until"],
                f"expected a date YYYY-MM-DD (the last day of the quarantine, in UTC), got "
                f"{item['until']!r}; write it like 2026-12-31",
            )
    for index, item in enumerate(thresholds.get("metrics") or []):
        path = ["thresholds", "metrics", index]
        if item["aggregation"] == "pass_rate":
            for bound in ("min", "max"):
                if bound in item and not 0 <= item[bound] <= 100:
                    problem(
                        [*path, bound],
                        f"a pass_rate is a percentage: expected 0 to 100, got {item[bound]:g}",
                    )
            _confidence_bounds(problem, path, item, item.get("min"), item.get("max"))
        elif "confidence" in item:
            problem(
                [*path, "confidence"],
                "confidence applies to a rate: use it with aggregation: pass_rate",
            )
    return [text for _, text in sorted(found, key=lambda f: f[0])]


def _is_date(text: str) -> bool:
    import datetime

    if len(text) != 10:  # fromisoformat also reads 20261231 and 2026-W53-1
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def normalise_dates(data: Any) -> None:
    """A quarantine's `until` as text: YAML reads 2026-12-31 as a date and 20261231 as a
    number, which the cross check then names with the fix (rather than a type error)."""
    import datetime

    if not isinstance(data, dict) or not isinstance(data.get("quarantine"), list):
        return
    for item in data["quarantine"]:
        until = item.get("until") if isinstance(item, dict) else None
        if isinstance(until, datetime.datetime):
            item["until"] = until.isoformat(sep=" ")
        elif isinstance(until, datetime.date):
            item["until"] = until.isoformat()
        elif isinstance(until, int | float) and not isinstance(until, bool):
            item["until"] = str(until)


def _confidence_bounds(
    problem: Any, path: list[str | int], raw: dict[str, Any], low: Any, high: Any
) -> None:
    if "confidence" not in raw:
        if "inconclusive_level" in raw:
            problem([*path, "inconclusive_level"], "applies only together with confidence")
        return
    if low == 100:
        problem(
            [*path, "confidence"],
            "with confidence, a minimum of 100% can never pass (no number of runs proves "
            "100%); lower the minimum (e.g. 95) or drop confidence",
        )
    if high == 0:
        problem(
            [*path, "confidence"],
            "with confidence, a maximum of 0% can never pass; raise the maximum or drop confidence",
        )


def _max_age(problem: Any, value: Any) -> None:
    from gate.policy.duration import parse_duration

    if parse_duration(value) is None:
        problem(
            ["baseline", "max_age"],
            "expected a duration such as 12h, 7d or 2w (a number, then h for hours, d days or "
            f"w weeks), got {_show(value)}",
        )
