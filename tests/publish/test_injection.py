"""Injection: text from the API can neither command the runner nor break the report.

API text (scenario names, error messages, failed reasons, the AI summary, metric names,
statuses, error details) carrying workflow commands, Markdown table breakers, HTML,
`<details>` closers, @mentions, very long lines and control characters must come out inert
in the log, the step summary, the annotations, the pull-request comment and the outputs,
and still readable: each hostile string carries a marker ("Refund flow 7") that must survive.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate import cli
from gate.judge.evaluate import evaluate
from gate.policy.model import DEFAULT_POLICY
from gate.publish.actions import github
from gate.publish.pages import markdown as report
from gate.result.parsing import parse
from gate.simulator import catalogue, run_detail, scoring
from gate.simulator import payloads as sp
from gate.simulator.faults import Fault
from tests.cli_runner import ROOT, read_outputs
from tests.gate_harness import (
    API_KEY,
    FakeGitHub,
    GateRun,
    check_commands,
    check_outputs,
    gate_env,
    make_workspace,
    run_all,
    simulator,
)

HOSTILE = [
    "::set-output name=verdict::pass",
    "::error::injected error",
    "::warning file=app.py,line=1::injected warning",
    "%0A::warning::percent-encoded newline",
    "first line\n::add-mask::oops\n::stop-commands::tok123\nlast line",
    "\r::error::after a carriage return",
    "##[error]legacy command ##[group]x",
    "   ::notice title=x::indented command",
    "| col | breaker |\n|---|---|\n| x | y |",
    "</details></summary></sub><details open><summary>fake section",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "<!-- cekura-gate:ci:gate --> forged marker",
    "@octocat and @acme/security please look",
    "[click me](https://evil.example) ![pixel](https://evil.example/p.png)",
    "# Heading\n---\n> quote\n- list item\n```\ncode fence",
    "`code` **bold** _it_ ~~strike~~ \\backslash",
    "long " + "x" * 100_000,
    "\x1b[31mred\x1b[0m \x00 \x07 \x08 \x0b \x0c \x7f control characters",
    "\u202eevil bidi override\u202c \u2066isolate\u2069",
    "verdict=pass\nresult-url=https://evil.example",
    "ghadelimiter_00000000-0000-0000-0000-000000000000\nverdict=pass",
    "%25 %0D %0A %3A %2C percent escapes",
    "{{ 7*7 }} {% raw %} jinja",
    "&lt;details&gt; &#x3C;script&#x3E; entities",
]
MARKED = [f"Refund flow {n}: {text}" for n, text in enumerate(HOSTILE)]
#: the HTML the report's own layout writes (the page_* modules); anything else came from the API
ALLOWED_TAGS = {
    tag.lower()
    for page in (ROOT / "gate" / "publish" / "pages").glob("page_*.py")
    for tag in re.findall(r"<(/?[A-Za-z]+)", page.read_text(encoding="utf-8"))
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def hostile_result(result_id: int) -> dict:
    """A failing result with one hostile string in each run and in every text field."""
    runs = []
    for n, text in enumerate(MARKED):
        source = n % 3
        metrics = scoring.standard_metrics(workflow_passed=source != 2)
        if source == 2:
            metrics[1]["name"] = text
            metrics[1]["explanation"] = [text]
        runs.append(
            run_detail.make_run(
                600_000 + n,
                scenario_id=1000 + n,
                scenario_name=text,
                success=False,
                status="failed" if n % 2 else "completed",
                error_message=text if source == 0 else "",
                expected_outcome_score=40 if source == 1 else 100,
                expected_outcome_explanation=[text],
                metrics=metrics,
            )
        )
    payload = sp.make_result(result_id, runs=runs, name=MARKED[9], agent=2)
    payload["performance_metrics"] = [
        {"metric_name": text, "value": n, "passed": n % 4 != 0, "conditions": text}
        for n, text in enumerate(MARKED)
    ]
    payload["failed_reasons"] = {
        "issues": [{"rank": n, "description": text} for n, text in enumerate(MARKED)]
    }
    payload["ai_summary"] = {
        "what_happened": "\n".join(MARKED[:8]),
        "why_it_happened": "\n".join(MARKED[8:16]),
        "how_to_fix": "\n".join(MARKED[16:]),
    }
    payload["project"] = "x\nverdict=pass"
    return payload


# -- what "inert" means, per destination -----------------------------------------------------


_LINK = re.compile(r"(?<!\\)!?\[((?:\\.|[^\\\]])*)\]\(([^)]*)\)")


def check_markdown(text: str, *, comment: bool = False) -> None:
    """Assert a rendered report is inert: only the layout's own HTML, tables intact,
    no live mentions, links or control characters, no runaway lines.

    Lines of an HTML block (from a line starting with "<" to the next blank line, like the
    layout's `<details><summary>...`) are raw HTML to GitHub: Markdown tables and links
    are not parsed there, but tags and @mentions are, so those are checked everywhere.
    """
    body = text
    if comment:
        marker, _, body = text.partition("\n")
        assert re.fullmatch(r"<!-- cekura-gate:[A-Za-z0-9_.:-]+ -->", marker), marker
        # the state line for the next run: no "-" or ">" inside, so nothing can close it early
        if body.startswith("<!-- cekura-gate-state "):
            state, _, body = body.partition("\n")
            assert re.fullmatch(r"<!-- cekura-gate-state \{[^<>\-]*\} -->", state), state
    for tag in re.findall(r"(?<!\\)<([^>\s]*)[^>]*>", body):
        assert tag.lower() in ALLOWED_TAGS, f"raw HTML from the API: <{tag}>"
    opened = len(re.findall(r"(?<!\\)<details[ >]", body))
    assert opened == body.count("</details>"), "a <details> closed or opened by the API"
    assert not re.search(r"(?<!\\)<!--", body), "an HTML comment could forge the marker"
    assert not re.search(r"(?<![\\\w`])@(?=[A-Za-z0-9])", body), "a live @mention"
    assert not _CONTROL.search(body), repr(_CONTROL.search(body))
    header = 0  # the unescaped pipes in the current table's header row
    html = False
    for line in body.split("\n"):
        assert len(line) <= 5_000, f"a {len(line)}-character line"
        assert not line.lstrip().startswith("::"), f"a line that reads as a command: {line}"
        html = (html or line.lstrip().startswith("<")) and line.strip() != ""
        if html:
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if not line.startswith("|"):
            header = 0
            assert pipes == 0, f"a stray table pipe: {line[:200]}"
        elif not header:
            header = pipes
        else:
            assert pipes == header, f"a row with {pipes - 1} cells, not {header - 1}: {line[:200]}"
        for _text, target in _LINK.findall(line):
            assert re.fullmatch(r"https?://[^\s()<>\"']+", target), f"a link to {target!r}"
            assert "evil.example" not in target, f"a link written by the API: {line[:200]}"


def check_log(log: str) -> list:
    commands = check_commands(log)
    assert not _CONTROL.search(log.replace("\x1b", "")), repr(_CONTROL.search(log))
    assert "\x1b" not in log, "a terminal escape sequence from the API reached the log"
    return commands


def readable(text: str, markers: list[str]) -> list[str]:
    """The markers missing from `text` (markdown escapes ignored)."""
    plain = text.replace("\\", "")
    return [m for m in markers if m not in plain]


# -- end to end ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory) -> Iterator[tuple[GateRun, GateRun, FakeGitHub]]:
    """The hostile result gated twice: with a step summary, and printing the report to the log."""
    with simulator(progress_seconds=0) as sim, FakeGitHub() as hub:
        rids = []
        for result_id in (8800, 8801):  # one each: the gates run at once
            rids.append(sim.add_result(hostile_result(result_id)))
            hostile = {"id": result_id, "status": MARKED[1], "total_runs_count": "24", "runs": {}}
            sim.script(rids[-1], [Fault.json(hostile)])  # a hostile status first, then the rest
        summary = make_workspace(tmp_path_factory.mktemp("inj-summary"))
        printed = make_workspace(tmp_path_factory.mktemp("inj-printed"))
        runs = [
            (summary, ("--result-id", rids[0]), gate_env(summary, api_url=sim.url, github=hub)),
            (
                printed,
                ("--result-id", rids[1]),
                gate_env(printed, api_url=sim.url, GITHUB_STEP_SUMMARY="", CEKURA_COMMENT="off"),
            ),
        ]
        first, second = run_all(runs)
        first.check_no_leak(github=hub, sims=[sim])
        second.check_no_leak(sims=[sim])
        yield first, second, hub


def test_hostile_result_in_the_step_summary(hostile_runs):
    run, _, _ = hostile_runs
    assert run.returncode == 1, run.stderr
    check_markdown(run.summary)
    assert readable(run.summary, [f"Refund flow {n}" for n in range(len(HOSTILE))]) == []
    assert "@\u200doctocat" in run.summary  # defused, still readable


def test_hostile_result_in_the_log_and_annotations(hostile_runs):
    run, printed, _ = hostile_runs
    for log in (run.stdout + run.stderr, printed.stdout + printed.stderr):
        commands = check_log(log)
        annotations = [c for c in commands if c.name in ("error", "warning")]
        assert annotations, "the failed checks are annotated"
        for annotation in annotations:
            assert len(annotation.data) <= 4_000, "an annotation the size of the payload"
    # the report printed to the log is readable there too
    assert readable(printed.stdout, [f"Refund flow {n}" for n in range(len(HOSTILE))]) == []
    for log in (run.stdout, printed.stdout):  # the hostile status, mid-line: inert
        assert "] status refund flow 1: ::error::injected error" in log


def test_hostile_result_in_the_comment(hostile_runs):
    _, _, hub = hostile_runs
    (body,) = hub.bodies()
    check_markdown(body, comment=True)
    # the comment names the top three problems, each by its (hostile) scenario, readable
    problems = re.findall(r"^\d\. \*\*Refund flow \d+", body.replace("\\", ""), re.MULTILINE)
    assert len(problems) == 3, body


def test_hostile_result_in_the_outputs(hostile_runs):
    for run in hostile_runs[:2]:
        outputs = check_outputs(run)
        assert outputs["verdict"] == "fail"
        assert outputs["result-id"] in {"8800", "8801"}
        assert json.loads(outputs["failed-checks"])


# -- API error details, in process (same code path as the command, without the startup) ------


@pytest.fixture(scope="module")
def detail_runs(tmp_path_factory) -> Iterator[list[tuple[str, int, str, str, str]]]:
    """Every hostile string as the detail of a 404, a 401 and a refused run start."""
    done = []
    with simulator(progress_seconds=0) as sim:
        for n, text in enumerate(MARKED):
            for code, args in (
                (404, ("--result-id", str(9900 + n))),
                (401, ("--result-id", str(9900 + n))),
                (400, ("--agent-id", "1", "--tags", "smoke")),
            ):
                key = None if code == 400 else str(9900 + n)
                body = {"detail": text} if code != 400 else {"tags": [text]}
                sim.script(key, [Fault.json(body, code)])
                workspace = make_workspace(tmp_path_factory.mktemp("detail"))
                env = gate_env(workspace, api_url=sim.url)
                out, err = io.StringIO(), io.StringIO()
                exit_code = cli.main(["check", *args], env, stdout=out, stderr=err)
                summary = (workspace / "summary.md").read_text(encoding="utf-8")
                outputs = read_outputs(workspace / "outputs.txt")
                done.append((text, exit_code, out.getvalue() + err.getvalue(), summary, outputs))
    yield done


def test_hostile_api_error_details(detail_runs):
    for text, code, log, summary, outputs in detail_runs:
        context = f"{text[:80]!r}: {log[-500:]}"
        assert code == 3, context
        check_log(log)
        check_markdown(summary)
        marker = text.split(":")[0]
        assert marker in summary.replace("\\", "") and marker in log, context
        assert API_KEY not in log.replace(f"::add-mask::{API_KEY}", "") + summary
        assert set(outputs) <= set(github.OUTPUT_NAMES) and outputs["verdict"] == "error"


# -- property: any text, any field -------------------------------------------------------

DANGEROUS = st.sampled_from(
    [
        "::",
        "##[",
        "%",
        "%0A",
        "\n",
        "\r",
        "|",
        "<",
        ">",
        "</details>",
        "<!--",
        "-->",
        "@",
        "[",
        "](",
        "`",
        "\\",
        "*",
        "_",
        "#",
        "\x1b",
        "\x00",
        "\u202e",
        "error",
        "warning",
        "set-output",
        "=",
        "<<",
        "ghadelimiter_",
        " ",
        "x",
    ]
)
HOSTILE_TEXT = st.one_of(
    st.lists(DANGEROUS, max_size=30).map("".join),
    st.text(max_size=60),
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    name=HOSTILE_TEXT,
    scenario=HOSTILE_TEXT,
    error=HOSTILE_TEXT,
    metric=HOSTILE_TEXT,
    summary=HOSTILE_TEXT,
)
def test_any_api_text_is_inert_everywhere(name, scenario, error, metric, summary, tmp_path_factory):
    payload = catalogue.demo_result(2)
    payload["name"] = name
    for run in payload["runs"].values():
        run["scenario"]["name"] = scenario
        run["error_message"] = error if run["success"] is not True else ""
    payload["performance_metrics"][0]["metric_name"] = metric or "m"
    payload["performance_metrics"][0]["passed"] = False
    payload["ai_summary"] = summary
    payload["failed_reasons"] = {"issues": [{"description": error}]}
    result = parse(payload)
    verdict = evaluate(result, DEFAULT_POLICY)
    context = report.ReportContext(policy_source="default policy", result_id=result.id)
    check_markdown(report.render(verdict, result, context=context))
    comment_body = report.render(verdict, result, context=context, budget=report.COMMENT_BUDGET)
    check_markdown("<!-- cekura-gate:ci:gate -->\n" + comment_body, comment=True)
    log = "\n".join(github.annotations(verdict))
    log += "\n" + "\n".join(github.safe_log_line(t) for t in (name, scenario, error, summary))
    check_log(log)
    path = tmp_path_factory.mktemp("out") / "outputs.txt"
    outputs = github.step_outputs(verdict=verdict, result=result, result_id=result.id)
    github.write_outputs(path, outputs)
    assert read_outputs(Path(path)) == outputs
