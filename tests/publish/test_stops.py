"""Why the judge could not evaluate a result is a code on the verdict (gate/judge/reasons.py
`Stop`); gate/publish/words/stops.py words it, and every surface reads it through
wording.verdict_reason. Each sentence below is the one the gate has always printed."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from gate.judge.early import early_verdict
from gate.judge.evaluate import evaluate
from gate.judge.reasons import Stop
from gate.judge.verdict import Check, Kind, Level, Outcome, Verdict, VerdictKind
from gate.policy import config, model
from gate.publish import junit, report_json
from gate.publish.actions import github
from gate.publish.console import terminal
from gate.publish.pages import markdown as report
from gate.publish.words import stops, wording
from gate.publish.words.escape import md_lines
from gate.publish.words.wording import verdict_reason
from gate.publish.xml_text import attribute
from gate.result.model import Result
from gate.result.parsing import parse

INFRA_HINT = (
    "failed for infrastructure reasons (the call never connected, a SIP, websocket or provider "
    "error, or the run errored), more than thresholds.infrastructure allows ({allowed}): the "
    "test did not really run, so the agent cannot be judged. Look at the failing runs' "
    "reasons, fix the telephony or the provider, and run the test again; to fail or only warn "
    "instead, set thresholds.infrastructure.level to error or warn."
)


def policy(text: str = "", name: str = "gate.yml") -> model.Policy:
    return config.parse("version: 1\n" + text, name=name)


def result(status: str = "completed", kinds: str = "", **extra: Any) -> Result:
    """A result with a run per letter of `kinds`: p passed, a the agent failed, s a SIP
    error (an infrastructure failure)."""
    runs = {}
    for n, kind in enumerate(kinds, 1):
        run = {"id": n, "status": "completed", "success": kind == "p"}
        if kind == "s":
            run |= {"status": "failed", "error_message": "SIP 503"}
        runs[str(n)] = run
    return parse({"status": status, "runs": runs} | extra)


def test_every_stop_has_its_sentence():
    assert set(stops.SENTENCES) == set(Stop)


def test_a_pass_or_a_fail_has_no_reason_and_an_outside_reason_is_kept_as_given():
    assert verdict_reason(evaluate(result(kinds="ppp", id=7), model.DEFAULT_POLICY)) == ""
    outside = Verdict.could_not_evaluate("GET /results/7/ answered 404: no such result")
    assert verdict_reason(outside) == "GET /results/7/ answered 404: no such result"
    assert stops.sentence(outside) == ""


CASES = {
    "still running": (
        lambda: evaluate(result("running", "pp", id=7), model.DEFAULT_POLICY),
        Stop.NOT_FINISHED,
        "result 7 has status 'running', which is not final: the gate evaluates only finished "
        "results. Wait for it with --result-id, or save the result again once it has completed.",
    ),
    "no id, no status": (
        lambda: evaluate(result("", "p"), model.DEFAULT_POLICY),
        Stop.NOT_FINISHED,
        "result (no id) has status 'missing', which is not final: the gate evaluates only "
        "finished results. Wait for it with --result-id, or save the result again once it has "
        "completed.",
    ),
    "timed out, default policy": (
        lambda: evaluate(result("timeout", "pp", id="abc"), model.DEFAULT_POLICY),
        Stop.STATUS_NOT_EVALUATED,
        "result abc ended with status 'timeout' (runs did not finish in time), so its runs "
        "cannot be trusted for a verdict. Look at the result in the Cekura dashboard and re-run "
        "it; to evaluate such results anyway, add 'timeout' to evaluate_statuses in your config.",
    ),
    "failed, a config file": (
        lambda: evaluate(
            result("failed", "pp", id="abc"), policy("thresholds:\n  min_runs: 1\n", "a/b.yml")
        ),
        Stop.STATUS_NOT_EVALUATED,
        "result abc ended with status 'failed' (an infrastructure failure at Cekura, not a "
        "metric failure), so its runs cannot be trusted for a verdict. Look at the result in "
        "the Cekura dashboard and re-run it; to evaluate such results anyway, add 'failed' to "
        "evaluate_statuses in a/b.yml.",
    ),
    "completed, not in evaluate_statuses": (
        lambda: evaluate(
            result("completed", "p", id=7),
            policy("evaluate_statuses: [failed]\n", ".cekura/gate.yml"),
        ),
        Stop.STATUS_NOT_EVALUATED,
        "result 7 ended with status 'completed' (not completed), so its runs cannot be trusted "
        "for a verdict. Look at the result in the Cekura dashboard and re-run it; to evaluate "
        "such results anyway, add 'completed' to evaluate_statuses in .cekura/gate.yml.",
    ),
    "no runs": (
        lambda: evaluate(result("completed", "", id=7), model.DEFAULT_POLICY),
        Stop.TOO_FEW_RUNS,
        "result 7 has 0 run(s) but at least 1 are required (thresholds.min_runs): nothing was "
        "tested, so the gate cannot pass it. Check the scenarios or tags the run was started "
        "with.",
    ),
    "one run below min_runs": (
        lambda: evaluate(result("completed", "pppp", id=7), policy("thresholds:\n  min_runs: 5\n")),
        Stop.TOO_FEW_RUNS,
        "result 7 has 4 run(s) but at least 5 are required (thresholds.min_runs): nothing was "
        "tested, so the gate cannot pass it. Check the scenarios or tags the run was started "
        "with.",
    ),
    "decided early with nothing lost": (
        lambda: _early(result("running", "pp", id="abc")),
        Stop.STILL_RUNNING,
        "result abc is still 'running' and could still pass: the gate judges only finished "
        "results.",
    ),
    "infrastructure over max_rate": (
        lambda: evaluate(
            result("completed", "pppppppp" + "ss", id=7),
            policy("thresholds:\n  infrastructure: {max_rate: 12.5}\n"),
        ),
        Stop.INFRASTRUCTURE,
        "2 of 10 runs (20%) " + INFRA_HINT.format(allowed="at most 12.5%"),
    ),
    "infrastructure over max_rate, the agent's failure not counted": (
        lambda: evaluate(
            result("completed", "pppasss", id=7),
            policy("thresholds:\n  infrastructure: {max_rate: 10}\n"),
        ),
        Stop.INFRASTRUCTURE,
        "3 of 7 runs (42.86%) " + INFRA_HINT.format(allowed="at most 10%"),
    ),
    "infrastructure over max": (
        lambda: evaluate(
            result("completed", "pppasss", id=7),
            policy("thresholds:\n  infrastructure: {max: 2}\n"),
        ),
        Stop.INFRASTRUCTURE,
        "3 of 7 runs " + INFRA_HINT.format(allowed="at most 2"),
    ),
    "infrastructure not counted": (
        lambda: evaluate(
            parse(
                {"id": 1, "status": "completed", "total_runs_count": 10, "success_runs_count": 10}
            ),
            policy("thresholds:\n  infrastructure: {max_rate: 10}\n"),
        ),
        Stop.INFRASTRUCTURE,
        "thresholds.infrastructure could not be judged: the result lists no runs and no "
        "failed_infrastructure_runs: the gate cannot tell how many runs failed for "
        "infrastructure reasons. Without it the gate cannot tell whether the test really ran; "
        "gate a result that lists its runs, or set thresholds.infrastructure.level to warn.",
    ),
}


def _early(running: Result) -> Verdict:
    full = evaluate(msgspec.structs.replace(running, status="completed"), model.DEFAULT_POLICY)
    return early_verdict(running, model.DEFAULT_POLICY, full)


@pytest.mark.parametrize("name", list(CASES))
def test_the_judge_gives_a_code_and_publish_words_it_as_before(name):
    judged, stop, said = CASES[name]
    verdict = judged()
    assert (verdict.kind, verdict.stop) == (VerdictKind.ERROR, stop)
    assert verdict.reason == ""  # the judge writes no words
    assert verdict_reason(verdict) == said


def test_the_infrastructure_count_is_boundary_exact():
    """Exactly on max holds (a pass); one over stops the gate."""
    on = evaluate(
        result("completed", "ppss", id=7), policy("thresholds:\n  infrastructure: {max: 2}\n")
    )
    assert (on.kind, on.stop, verdict_reason(on)) == (VerdictKind.PASS, None, "")
    over = evaluate(
        result("completed", "ppsss", id=7), policy("thresholds:\n  infrastructure: {max: 2}\n")
    )
    assert verdict_reason(over).startswith("3 of 5 runs failed for infrastructure reasons")


def test_the_not_counted_check_says_why_in_its_own_row():
    verdict = CASES["infrastructure not counted"][0]()
    check = next(c for c in verdict.checks if c.kind is Kind.INFRASTRUCTURE)
    assert check.outcome is Outcome.MISSING and check.detail == ""
    assert stops.details.sentence(check) == (
        "the result lists no runs and no failed_infrastructure_runs: the gate cannot tell how "
        "many runs failed for infrastructure reasons"
    )


def test_too_few_runs_reads_the_numbers_from_the_min_runs_check():
    runs = Check(
        name="min_runs",
        title="Runs in the result",
        level=Level.ERROR,
        outcome=Outcome.FAIL,
        kind=Kind.MIN_RUNS,
        value=2.0,
        minimum=3.0,
    )
    verdict = Verdict.stopped(Stop.TOO_FEW_RUNS, checks=(runs,))
    assert verdict_reason(verdict).startswith(
        "result (no id) has 2 run(s) but at least 3 are required (thresholds.min_runs)"
    )


def test_every_surface_prints_the_worded_reason():
    res = result("timeout", "pp", id="abc")
    verdict = evaluate(res, model.DEFAULT_POLICY)
    said = CASES["timed out, default policy"][2]
    assert report_json.build_report(verdict=verdict, result=res)["reason"] == said
    assert f'message="{attribute(said)}"' in junit.junit_text(verdict=verdict, result=res)
    assert any("evaluate_statuses in your config" in line for line in github.annotations(verdict))
    assert f"  {said}\n" in terminal.render_text(verdict, res, result_id="abc", colour=False)
    summary = report.render(verdict, res, context=report.ReportContext(result_id="abc"))
    assert f"**What happened (result timeout):** {md_lines(said)}\n" in summary


@pytest.mark.parametrize(
    ("stop", "status", "label"),
    [
        (Stop.NOT_FINISHED, "running", "result not finished"),
        (Stop.STILL_RUNNING, "running", "result not finished"),
        (Stop.STATUS_NOT_EVALUATED, "timeout", "result timeout"),
        (Stop.TOO_FEW_RUNS, "completed", "too few runs"),
        (Stop.INFRASTRUCTURE, "completed", "infrastructure failures"),
    ],
)
def test_each_stop_has_its_label(stop, status, label):
    assert set(stops.KINDS) == set(Stop)
    assert wording.error_kind(Verdict.stopped(stop, status=status)) == label


def test_an_error_from_outside_the_judge_keeps_its_own_label():
    verdict = Verdict.could_not_evaluate("bad.yml:3: unknown key", error_kind="config error")
    assert wording.error_kind(verdict) == "config error"
    assert wording.error_kind(Verdict.from_checks(())) == ""
