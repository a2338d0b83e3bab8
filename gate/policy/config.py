"""YAML config -> Policy, validated against the shipped JSON Schema.

Errors name the file, the line, the key path, the bad value and what was expected, e.g.
`gate.yml:4: thresholds.success_rate.min: expected a number from 0 to 100, got 'ninety'`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from gate.errors import ConfigError

# not gate.judge.verdict, whose classes validating a config does not need
from gate.policy.level import Level

#: A config is a few dozen lines. A pull request from a fork supplies its own, so one that
#: would make the gate work for minutes (a huge file, an alias bomb) is refused up front.
MAX_CONFIG_BYTES = 256 * 2**10
#: values in the config once YAML aliases are expanded (anchors may be used; a "billion
#: laughs" document expands nine aliases nine times over to 387 million values)
MAX_CONFIG_VALUES = 100_000
#: levels of nesting (a gate config has about five); PyYAML slows down quadratically with
#: depth and then overflows the stack, so deeper is refused as soon as it is seen
MAX_CONFIG_DEPTH = 100

# The policy's parts are NamedTuples: immutable and compared by value like frozen
# dataclasses, and the ten classes take ~2 ms to build at import instead of ~10 ms, which
# `cekura-gate validate` pays on every start (benchmarks/startup.py).


class MinCheck(NamedTuple):
    min: float
    level: Level = Level.ERROR
    #: judge the rate by its Wilson score interval at this confidence (None: the rate itself)
    confidence: float | None = None
    #: the level of an inconclusive verdict (the interval straddles the threshold)
    inconclusive_level: Level = Level.WARN


class MaxCheck(NamedTuple):
    max: int
    level: Level = Level.ERROR


class RuleBound(NamedTuple):
    metric: str
    min: float | None = None
    max: float | None = None
    level: Level = Level.ERROR


class RubricPolicy(NamedTuple):
    require_all_met: bool = False
    level: Level = Level.ERROR
    rules: tuple[RuleBound, ...] = ()
    #: the default policy checks the rubric only where the result has one
    only_if_present: bool = False


class BaselinePolicy(NamedTuple):
    """Which earlier result the checks compare with; exactly one way of finding it is set."""

    result_id: str = ""
    result_file: str = ""
    latest_completed: bool = False
    agent_id: str = ""  # latest_completed: whose results (default: the result's own agent)
    name_pattern: str = ""  # latest_completed: a glob on the result name, case-insensitive
    when_missing: Level = Level.ERROR
    max_results: int = 200  # latest_completed: how many list entries to look through


class ChangeBound(NamedTuple):
    """A regression bound: how far a value may move from the baseline's."""

    metric: str  # "success_rate", a rubric metric, or a metric name
    aggregation: str = ""  # for regression.metrics only
    max_increase: float | None = None
    max_drop: float | None = None
    level: Level = Level.ERROR


class RegressionPolicy(NamedTuple):
    success_rate: ChangeBound | None = None
    rules: tuple[ChangeBound, ...] = ()
    metrics: tuple[ChangeBound, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.success_rate or self.rules or self.metrics)


class ScenarioBound(NamedTuple):
    """A success-rate floor for one scenario, by name or by id."""

    min_success_rate: float
    name: str = ""
    scenario_id: int | None = None
    level: Level = Level.ERROR
    confidence: float | None = None
    inconclusive_level: Level = Level.WARN

    @property
    def label(self) -> str:
        return str(self.scenario_id) if self.scenario_id is not None else self.name


class MetricBound(NamedTuple):
    """Bounds on an aggregation of a metric's per-run values."""

    metric: str
    aggregation: str  # mean | min | max | p50 | p90 | p95 | pass_rate
    min: float | None = None
    max: float | None = None
    level: Level = Level.ERROR
    confidence: float | None = None  # pass_rate only
    inconclusive_level: Level = Level.WARN


class Policy(NamedTuple):
    source: str  # the file it came from, or "default policy"
    min_runs: int = 1
    evaluate_statuses: frozenset[str] = frozenset({"completed"})
    success_rate: MinCheck | None = None
    failed_workflow_runs: MaxCheck | None = None
    failed_infrastructure_runs: MaxCheck | None = None
    performance_metrics: RubricPolicy = RubricPolicy()
    baseline: BaselinePolicy | None = None
    regression: RegressionPolicy = RegressionPolicy()
    scenarios: tuple[ScenarioBound, ...] = ()
    metrics: tuple[MetricBound, ...] = ()


DEFAULT_POLICY = Policy(
    source="default policy",
    success_rate=MinCheck(min=100),
    performance_metrics=RubricPolicy(require_all_met=True, only_if_present=True),
)


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


def load(path: Path | None) -> Policy:
    """The policy in `path`, or the default policy when path is None."""
    if path is None:
        return DEFAULT_POLICY
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} does not exist. Create it (see examples/) or leave --config "
            "unset to use the default policy."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"config file {path} is {len(text):,} characters long; the gate reads configs of "
            f"at most {MAX_CONFIG_BYTES:,} (256 KiB). A gate config is a few dozen lines: check "
            "--config points at it."
        )
    return parse(text, name=str(path))


def parse(text: str, *, name: str) -> Policy:
    node, data = _load_yaml(text, name)
    problems = _validate(data, node, name) or _cross_check(data, node, name)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(f"{name}: {count}:\n  " + "\n  ".join(problems), problems=problems)
    return _to_policy(data, name)


# -- YAML with positions -----------------------------------------------------------------


class _TooDeep(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """yaml.SafeLoader that stops composing beyond MAX_CONFIG_DEPTH levels."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_CONFIG_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load_yaml(text: str, name: str) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_alias_bombs(node, name)
        # What yaml.safe_load returns, built from the same nodes (the text is parsed once).
        data = loader.construct_document(node) if node is not None else None
    except (_TooDeep, RecursionError) as exc:
        where = f"{name}:{exc.args[0]}" if isinstance(exc, _TooDeep) else name
        raise ConfigError(
            f"{where}: the YAML is nested more than {MAX_CONFIG_DEPTH} levels deep, which the "
            "gate does not read (a gate config has about five). Check --config points at the "
            "gate config."
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise ConfigError(
            f"{where}: not valid YAML: {exc.problem or exc.context}. Check the indentation "
            "and quoting around that line."
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise ConfigError(f"{name}: the file is empty. Start it with 'version: 1'.")
    duplicate = _first_duplicate_key(node)
    if duplicate:
        key, line = duplicate
        raise ConfigError(
            f"{name}:{line}: key '{key}' appears twice in the same section; keep one of them."
        )
    return node, data


def _refuse_alias_bombs(root: yaml.Node, name: str) -> None:
    """ConfigError when the document, with its aliases expanded, holds more than
    MAX_CONFIG_VALUES values, or refers to itself (`a: &x [*x]`).

    Aliases are shared nodes, so the document itself is small; everything that walks the
    data (the schema check, the duplicate-key check) would walk every expansion. Sizes are
    counted once per node, iteratively: the check is linear in the text.
    """
    size: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose size is being counted: meeting one again is a loop
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_.discard(id(node))
            size[id(node)] = total = 1 + sum(size[id(child)] for child in children)
            if total > MAX_CONFIG_VALUES:
                raise ConfigError(
                    f"{name}:{node.start_mark.line + 1}: the YAML holds more than "
                    f"{MAX_CONFIG_VALUES:,} values once its aliases (*name) are expanded, far "
                    "more than any gate config: an alias bomb? Write the values out, or use "
                    "fewer aliases."
                )
            continue
        if id(node) in size:
            continue
        if id(node) in open_:
            raise ConfigError(
                f"{name}:{node.start_mark.line + 1}: an alias (*name) refers to a value that "
                "contains it, so the config never ends. Write the value out instead."
            )
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _first_duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                return key.value, key.start_mark.line + 1
            seen.add(key.value)
            found = _first_duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _first_duplicate_key(item)
            if found:
                return found
    return None


def _line_of(node: yaml.Node | None, path: list[str | int], *, key: bool = False) -> int:
    """The line of the value at `path` (or of its last key), else of the nearest ancestor."""
    line = node.start_mark.line + 1 if node is not None else 1
    for index, step in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if match is None:
                break
            if key and index == len(path) - 1:
                return match[0].start_mark.line + 1
            node = match[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            break
        line = node.start_mark.line + 1
    return line


# -- validation --------------------------------------------------------------------------


def _validate(data: Any, node: yaml.Node | None, name: str) -> list[str]:
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
    line = _line_of(node, path)
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
                (_line_of(node, key_path, key=True), f"{_dotted(key_path)}: unknown key; {fix}")
            )
        return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return [(line, f"{where}: missing required key '{missing}'")]
    if kind == "anyOf" and path and "metric" in (error.instance or {}):
        needs = [n for option in error.schema["anyOf"] for n in option.get("required", [])]
        return [(line, f"{where}: a rule needs {', '.join(needs)} or both, got neither")]
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


# -- policy ------------------------------------------------------------------------------


def _cross_check(data: dict[str, Any], node: yaml.Node | None, name: str) -> list[str]:
    """Rules the schema cannot say well (run once the file matches the schema)."""
    found: list[tuple[int, str]] = []

    def problem(path: list[str | int], text: str) -> None:
        line = _line_of(node, path, key=True)
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
    if thresholds.get("regression") and baseline is None:
        problem(
            ["thresholds", "regression"],
            "regression checks compare with a baseline: add a baseline section "
            "(result_id, result_file or latest_completed: true)",
        )
    rate = thresholds.get("success_rate") or {}
    _confidence_bounds(problem, ["thresholds", "success_rate"], rate, rate.get("min"), None)
    for index, item in enumerate(thresholds.get("scenarios") or []):
        path: list[str | int] = ["thresholds", "scenarios", index]
        if ("name" in item) == ("id" in item):
            problem(path, "name the scenario by exactly one of name or id")
        _confidence_bounds(problem, path, item, item.get("min_success_rate"), None)
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


def _to_policy(data: dict[str, Any], name: str) -> Policy:
    thresholds = data.get("thresholds") or {}
    rate = thresholds.get("success_rate")
    metrics = thresholds.get("performance_metrics") or {}
    regression = thresholds.get("regression") or {}
    return Policy(
        source=name,
        min_runs=thresholds.get("min_runs", 1),
        evaluate_statuses=frozenset(data.get("evaluate_statuses", ["completed"])),
        success_rate=MinCheck(min=rate["min"], level=_level(rate), **_confidence(rate))
        if rate
        else None,
        failed_workflow_runs=_max_check(thresholds.get("failed_workflow_runs")),
        failed_infrastructure_runs=_max_check(thresholds.get("failed_infrastructure_runs")),
        performance_metrics=RubricPolicy(
            require_all_met=metrics.get("require_all_met", False),
            level=_level(metrics),
            rules=tuple(
                RuleBound(metric=r["metric"], min=r.get("min"), max=r.get("max"), level=_level(r))
                for r in metrics.get("rules", [])
            ),
        ),
        baseline=_baseline(data.get("baseline")),
        regression=RegressionPolicy(
            success_rate=_change("success_rate", regression.get("success_rate")),
            rules=tuple(_change(r["metric"], r) for r in regression.get("rules", [])),
            metrics=tuple(_change(r["metric"], r) for r in regression.get("metrics", [])),
        ),
        scenarios=tuple(
            ScenarioBound(
                min_success_rate=s["min_success_rate"],
                name=s.get("name", ""),
                scenario_id=s.get("id"),
                level=_level(s),
                **_confidence(s),
            )
            for s in thresholds.get("scenarios", [])
        ),
        metrics=tuple(
            MetricBound(
                metric=m["metric"],
                aggregation=m["aggregation"],
                min=m.get("min"),
                max=m.get("max"),
                level=_level(m),
                **_confidence(m),
            )
            for m in thresholds.get("metrics", [])
        ),
    )


def _baseline(raw: dict[str, Any] | None) -> BaselinePolicy | None:
    if raw is None:
        return None
    return BaselinePolicy(
        result_id=str(raw.get("result_id", "")),
        result_file=raw.get("result_file", ""),
        latest_completed=bool(raw.get("latest_completed", False)),
        agent_id=str(raw.get("agent_id", "")),
        name_pattern=raw.get("name_pattern", ""),
        when_missing=Level(raw.get("when_missing", "error")),
        max_results=raw.get("max_results", 200),
    )


def _change(metric: str, raw: dict[str, Any] | None) -> Any:
    if raw is None:
        return None
    return ChangeBound(
        metric=metric,
        aggregation=raw.get("aggregation", ""),
        max_increase=raw.get("max_increase"),
        max_drop=raw.get("max_drop"),
        level=_level(raw),
    )


def _confidence(raw: dict[str, Any]) -> dict[str, Any]:
    if "confidence" not in raw:
        return {}
    return {
        "confidence": raw["confidence"],
        "inconclusive_level": Level(raw.get("inconclusive_level", "warn")),
    }


def _max_check(raw: dict[str, Any] | None) -> MaxCheck | None:
    return MaxCheck(max=raw["max"], level=_level(raw)) if raw else None


def _level(raw: dict[str, Any]) -> Level:
    return Level(raw.get("level", "error"))
