"""Workflow commands and files, read back the way the GitHub Actions runner reads them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.judge.verdict import Check, Kind, Level, Outcome, Unit, Verdict, VerdictKind
from gate.publish.actions import github
from gate.result.model import Result, Run

# -- a faithful enough model of the runner ------------------------------------------------


def runner_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """What actions/runner's ActionCommand.TryParseV2 / TryParse make of one log line."""
    trimmed = line.lstrip()
    if trimmed.startswith("::"):
        end = trimmed.find("::", 2)
        if end >= 0:
            info, data = trimmed[2:end], trimmed[end + 2 :]
            name, _, props = info.partition(" ")
            properties = {}
            for pair in filter(None, props.split(",")):
                key, _, value = pair.partition("=")
                properties[key] = _unescape(value, property_=True)
            return name, properties, _unescape(data)
    if "##[" in line and "]" in line[line.index("##[") :]:
        start = line.index("##[")
        return line[start + 3 : line.index("]", start)], {}, line[line.index("]", start) + 1 :]
    return None


def _unescape(text: str, *, property_: bool = False) -> str:
    text = text.replace("%0D", "\r").replace("%0A", "\n")
    if property_:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%25", "%")


def runner_lines(text: str) -> list[str]:
    """The runner reads the process output with .NET ReadLine: \\n, \\r and \\r\\n end lines."""
    return re.split(r"\r\n|\r|\n", text)


def read_outputs(path: Path) -> dict[str, str]:
    """actions/runner FileCommandManager: `name=value` or `name<<DELIM` ... `DELIM` (LF)."""
    with open(path, encoding="utf-8", newline="") as handle:  # keep a lone \r as it is
        text = handle.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    outputs: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line.split("=", 1)
            outputs[name] = value
            continue
        name, delimiter = line.split("<<", 1)
        assert name and delimiter
        body = []
        while lines[i] != delimiter:  # IndexError = "Matching delimiter not found"
            body.append(lines[i])
            i += 1
        i += 1
        outputs[name] = "\n".join(body)
    return outputs


def check(name: str, *, level: Level = Level.ERROR, outcome: Outcome = Outcome.FAIL) -> Check:
    return Check(
        name=name,
        title=f"Check {name}",
        level=level,
        outcome=outcome,
        detail="3 runs failed",
        kind=Kind.SUCCESS_RATE,
        unit=Unit.PERCENT,
        value=85.0,
        minimum=90.0,
        successes=17,
        runs=20,
    )


# -- escaping -----------------------------------------------------------------------------


def test_escape_data_and_property() -> None:
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_data("a: b, c") == "a: b, c"
    assert github.escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


@given(st.text())
def test_escaped_data_round_trips_and_stays_on_one_line(text: str) -> None:
    line = f"::warning title={github.escape_property(text)}::{github.escape_data(text)}"
    assert "\n" not in line and "\r" not in line
    assert runner_command(line) == ("warning", {"title": text}, text)


@pytest.mark.parametrize(
    "api_text",
    [
        "::error::injected",
        "   ::error title=x::injected",
        "\t::add-mask::something",
        "fine\n::warning::second line",
        "fine\r::error::after a lone carriage return",
        "fine\r\n::set-output name=verdict::pass",
        "%0A::warning::encoded newline",
        "::stop-commands::token",
        "prefix ##[error]legacy syntax anywhere in a line",
        "\u2003::error::after unicode whitespace",
        ":\x00:error::a NUL between the colons",
    ],
)
def test_safe_log_line_never_starts_a_command(api_text: str) -> None:
    printed = github.safe_log_line(api_text)
    for line in runner_lines(printed):
        assert runner_command(line) is None, line
    # still readable: the words survive
    assert api_text.split("::")[-1].split("]")[-1] in printed


def test_safe_log_line_strips_control_characters_keeps_layout() -> None:
    text = "Latency\x1b[31m too high\x07\ttab kept\nnext line \u202eevil\x85"
    assert github.safe_log_line(text) == "Latency[31m too high\ttab kept\nnext line evil"


@given(st.text())
def test_safe_log_line_property(text: str) -> None:
    for line in runner_lines(github.safe_log_line(text)):
        assert runner_command(line) is None


def test_annotation_with_hostile_api_text_is_one_command() -> None:
    evil = Check(
        name="rule:x",
        title="Latency::error::",
        level=Level.ERROR,
        kind=Kind.FAILED_RUNS,  # a run id is the API's text
        unit=Unit.COUNT,
        value=1,
        maximum=0,
        run_ids=("2000\n::error::fake",),
        outcome=Outcome.FAIL,
        detail="%0A::warning::encoded, and a comma: here",
    )
    [line] = github.annotations(Verdict.from_checks((evil,)))
    assert len(runner_lines(line)) == 1
    name, props, data = runner_command(line)
    assert name == "error"
    assert props == {"title": "cekura-gate: Latency::error::"}
    assert data == (
        "Latency::error::: 1 (#2000\n::error::fake) (threshold ≤ 0). "
        "%0A::warning::encoded, and a comma: here"
    )


# -- masking ------------------------------------------------------------------------------


def test_mask_prints_add_mask_first_and_only_when_set() -> None:
    stream = io.StringIO()
    github.mask("", stream)
    github.mask("   ", stream)
    assert stream.getvalue() == ""
    github.mask("sk_live_123%0A", stream)
    stream.write("later output\n")
    first, second = stream.getvalue().splitlines()
    assert runner_command(first) == ("add-mask", {}, "sk_live_123%0A")
    assert second == "later output"


def test_mask_multiline_secret_masks_each_line() -> None:
    stream = io.StringIO()
    github.mask("line-one\nline-two", stream)
    masked = [runner_command(line)[2] for line in stream.getvalue().splitlines()]
    assert masked == ["line-one\nline-two", "line-one", "line-two"]


# -- outputs ------------------------------------------------------------------------------


def test_write_outputs_single_and_multiline(tmp_path: Path) -> None:
    path = tmp_path / "github_output"
    path.write_text("earlier=kept\n", encoding="utf-8")
    values = {
        "verdict": "fail",
        "failed-checks": '["success_rate", "rule:Latency"]',
        "notes": "line one\nline two\n",
        "cr": "a\rb",
        "empty": "",
        "tricky": "x=y<<z",
    }
    github.write_outputs(path, values)
    assert read_outputs(path) == {"earlier": "kept", **values}


def test_write_outputs_draws_a_new_delimiter_when_the_value_contains_it(tmp_path: Path) -> None:
    candidates = iter(["ghadelimiter_1", "ghadelimiter_2"])
    value = "first\nghadelimiter_1\nlast"
    path = tmp_path / "out"
    github.write_outputs(path, {"report": value}, make_delimiter=lambda: next(candidates))
    assert path.read_text().startswith("report<<ghadelimiter_2\n")
    assert read_outputs(path) == {"report": value}


def test_write_outputs_random_delimiter_format(tmp_path: Path) -> None:
    path = tmp_path / "out"
    github.write_outputs(path, {"a": "1\n2"})
    assert re.match(r"a<<ghadelimiter_[0-9a-f-]{36}\n1\n2\nghadelimiter_", path.read_text())


def test_write_outputs_rejects_bad_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        github.write_outputs(tmp_path / "out", {"a=b": "x"})


# -- step outputs -------------------------------------------------------------------------


def result(**overrides: object) -> Result:
    runs = tuple(
        Run(id=str(i), scenario_id=i, scenario_name=f"S{i}", status="completed", success=i < 7)
        for i in range(8)
    )
    fields = {"id": "4242", "name": "nightly", "status": "completed", "project": "77", "runs": runs}
    return Result(**{**fields, **overrides})


def test_step_outputs_fail() -> None:
    verdict = Verdict.from_checks(
        (check("success_rate"), check("rule:Latency", level=Level.WARN), check("min_runs"))
    )
    outputs = github.step_outputs(verdict=verdict, result=result(), result_id="", status="")
    assert outputs == {
        "verdict": "fail",
        "result-id": "4242",
        "status": "completed",
        "success-rate": "87.5",
        "failed-checks": '["success_rate", "min_runs"]',
        "result-url": "https://dashboard.cekura.ai/77/results/4242",
        "blocking-checks": "2",
        "warning-checks": "1",
        "total-runs": "8",
        "failed-runs": "1",
        "comment-url": "",
    }
    assert set(outputs) == set(github.VERDICT_OUTPUTS)


def test_step_outputs_pass_whole_percent() -> None:
    runs = (Run(id="1", scenario_id=1, scenario_name="S", status="completed", success=True),)
    outputs = github.step_outputs(
        verdict=Verdict.from_checks(()), result=result(runs=runs), result_id="", status=""
    )
    assert outputs["verdict"] == "pass"
    assert outputs["success-rate"] == "100"
    assert json.loads(outputs["failed-checks"]) == []


def test_step_outputs_without_result() -> None:
    verdict = Verdict.could_not_evaluate("timed out", error_kind="timed out waiting")
    outputs = github.step_outputs(verdict=verdict, result=None, result_id="9", status="running")
    assert outputs == {
        "verdict": "error",
        "result-id": "9",
        "status": "running",
        "success-rate": "",
        "failed-checks": "[]",
        "result-url": "https://dashboard.cekura.ai/results/9",
        "blocking-checks": "0",
        "warning-checks": "0",
        "total-runs": "",
        "failed-runs": "",
        "comment-url": "",
    }
    empty = github.step_outputs(verdict=verdict, result=None)
    assert empty["result-id"] == empty["result-url"] == empty["success-rate"] == ""


@pytest.mark.parametrize(
    "overrides",
    [
        {"runs": (), "runs_listed": True, "reported_success_rate": 0.0},
        {"runs": (), "reported_total_runs": 0, "reported_success_rate": 0.0},
        {"runs": (), "reported_total_runs": 0, "reported_success_runs": 0},
    ],
    ids=["empty-runs-list", "zero-count-with-rate", "zero-counts"],
)
def test_a_result_with_no_runs_has_an_empty_success_rate_not_0(overrides: dict) -> None:
    verdict = Verdict.could_not_evaluate("no runs", error_kind="too few runs")
    outputs = github.step_outputs(verdict=verdict, result=result(**overrides))
    assert outputs["success-rate"] == ""
    assert (outputs["total-runs"], outputs["failed-runs"]) == ("0", "0")


def test_one_run_that_failed_is_a_rate_of_0_not_empty() -> None:
    """The boundary: one run counts, so 0% is a measured rate."""
    runs = (Run(id="1", scenario_id=1, scenario_name="S", status="completed", success=False),)
    outputs = github.step_outputs(verdict=Verdict.from_checks(()), result=result(runs=runs))
    assert (outputs["success-rate"], outputs["total-runs"], outputs["failed-runs"]) == (
        "0",
        "1",
        "1",
    )


def test_runs_counted_but_not_listed_count_as_failed_runs() -> None:
    runs = tuple(
        Run(id=str(i), scenario_id=1, scenario_name="S", status="completed", success=True)
        for i in range(3)
    )
    outputs = github.step_outputs(
        verdict=Verdict.from_checks(()), result=result(runs=runs, reported_total_runs=5)
    )
    assert (outputs["success-rate"], outputs["total-runs"], outputs["failed-runs"]) == (
        "60",
        "5",
        "2",
    )


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (85.0, "85"), (87.5, "87.5"), (200 / 3, "66.67"), (0.0, "0")]
)
def test_format_percent(value: float | None, text: str) -> None:
    assert github.format_percent(value) == text


# -- annotations --------------------------------------------------------------------------


def test_annotations_errors_and_warnings() -> None:
    verdict = Verdict.from_checks(
        (
            check("success_rate"),
            check("held", outcome=Outcome.PASS),
            check("rule:Latency", level=Level.WARN),
            check("workflow", level=Level.WARN, outcome=Outcome.MISSING),
            check("held-warn", level=Level.WARN, outcome=Outcome.PASS),
        )
    )
    lines = github.annotations(verdict)
    parsed = [runner_command(line) for line in lines]
    assert [(name, props["title"]) for name, props, _ in parsed] == [
        ("error", "cekura-gate: Check success_rate"),
        ("warning", "cekura-gate: Check rule:Latency"),
        ("warning", "cekura-gate: Check workflow"),
    ]
    assert parsed[0][2] == (
        "Check success_rate: 85% (17 of 20 runs) (threshold ≥ 90%). 3 runs failed"
    )


@pytest.mark.parametrize(("count", "shown"), [(10, 10), (11, 9), (25, 9)])
def test_annotations_capped_at_ten_of_each(count: int, shown: int) -> None:
    checks = [check(f"e{i}") for i in range(count)]
    checks += [check(f"w{i}", level=Level.WARN) for i in range(count)]
    lines = github.annotations(Verdict.from_checks(tuple(checks)))
    errors = [runner_command(line) for line in lines if line.startswith("::error")]
    warnings = [runner_command(line) for line in lines if line.startswith("::warning")]
    assert len(errors) == len(warnings) == 10
    if count > 10:
        assert errors[-1][2] == f"and {count - shown} more failed checks, see the job summary"
        assert warnings[-1][2] == f"and {count - shown} more warnings, see the job summary"
    assert [e[1]["title"] for e in errors[:shown]] == [
        f"cekura-gate: Check e{i}" for i in range(shown)
    ]


def test_annotation_for_could_not_evaluate() -> None:
    verdict = Verdict.could_not_evaluate(
        "The API refused the key (401).\nSet CEKURA_API_KEY.", error_kind="API key refused"
    )
    [line] = github.annotations(verdict)
    assert runner_command(line) == (
        "error",
        {"title": "cekura-gate: API key refused"},
        "The API refused the key (401).\nSet CEKURA_API_KEY.",
    )


def test_annotations_none_when_all_held() -> None:
    held = Verdict.from_checks((check("a", outcome=Outcome.PASS),))
    assert held.kind is VerdictKind.PASS
    assert github.annotations(held) == []


# -- groups -------------------------------------------------------------------------------


def test_group_in_actions_and_plain() -> None:
    stream = io.StringIO()
    with github.group("Result 42: polling", stream, actions=True):
        stream.write("inside\n")
    assert stream.getvalue() == "::group::Result 42: polling\ninside\n::endgroup::\n"

    plain = io.StringIO()
    with github.group("Polling", plain, actions=False):
        plain.write("inside\n")
    assert plain.getvalue() == "Polling\ninside\n"


def test_group_closes_on_error() -> None:
    stream = io.StringIO()
    with pytest.raises(RuntimeError), github.group("x", stream, actions=True):
        raise RuntimeError("boom")
    assert stream.getvalue().endswith("::endgroup::\n")
