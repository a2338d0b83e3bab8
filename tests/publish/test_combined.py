"""The combined summary's words: verdict precedence, pooled rate, hostile text made inert,
long lists capped, labels that repeat."""

from __future__ import annotations

import json

from gate.combine import Combined, FailedCheck, JobReport, _labels
from gate.publish import combined


def job(label: str, verdict: str, **kwargs) -> JobReport:
    return JobReport(label, f"{label}/r.json", verdict, **kwargs)


def test_error_beats_fail_beats_pass_and_exit_codes_follow():
    assert Combined((job("a", "pass"), job("b", "fail"))).exit_code == 1
    assert Combined((job("a", "fail"), job("b", "error"))).verdict == "error"
    assert Combined((job("a", "pass"), job("b", "error"))).exit_code == 3
    assert Combined((job("a", "pass"),)).exit_code == 0
    refused = job("b", "error", refused=True)
    assert Combined((job("a", "fail"), refused)).exit_code == 2


def test_success_rate_is_pooled_over_runs_not_averaged():
    jobs = (
        job("a", "pass", total_runs=90, success_rate=100.0),
        job("b", "fail", total_runs=10, success_rate=0.0),
        job("c", "error"),  # no runs known: left out, not counted as 0
    )
    assert Combined(jobs).success_rate == 90.0
    assert combined.outputs(Combined(jobs))["success-rate"] == "90"
    assert Combined((job("a", "error"),)).success_rate is None


def test_hostile_text_from_a_report_is_inert():
    check = FailedCheck("Success <b>rate</b> @team", "x|y", "50% | [link](javascript:x)", "", "")
    bad = job("a|b", "fail", failed_checks=(check,), result_id="1", result_url="javascript:x")
    text = combined.render(Combined((bad,)))
    assert "<b>" not in text and "@\u200dteam" in text
    assert "javascript:x)" not in text.replace("\\[link\\](javascript:x)", "")
    assert "| a\\|b |" in text


def test_failed_checks_are_capped_per_job():
    checks = tuple(FailedCheck(f"C{n}", f"c{n}", "0", "≥ 1", "") for n in range(13))
    text = combined.render(Combined((job("a", "fail", failed_checks=checks),)))
    assert "C9" in text.split("### What went wrong")[1]
    assert "C10" not in text.split("### What went wrong")[1]
    assert "and 3 more checks" in text
    assert (
        len(
            json.loads(
                combined.outputs(Combined((job("a", "fail", failed_checks=checks),)))[
                    "failed-checks"
                ]
            )
        )
        == 13
    )


def test_labels_are_the_folder_else_the_whole_path_when_they_repeat():
    assert _labels(("r/a/x.json", "r/b/x.json", "y.json")) == ["a", "b", "y.json"]
    assert _labels(("one/a/x.json", "two/a/x.json")) == ["one/a/x.json", "two/a/x.json"]


def test_an_annotation_per_job_that_did_not_pass_capped_at_ten():
    check = FailedCheck("Success rate", "success_rate", "50%", "≥ 90%", "")
    jobs = (job("ok", "pass"), job("b", "fail", failed_checks=(check,)), job("c", "error"))
    lines = combined.annotations(Combined(jobs))
    assert lines == [
        "::error title=cekura-gate%3A b::failed: Success rate: 50%25",  # % escaped
        "::error title=cekura-gate%3A c::could not evaluate: no reason given",
    ]
    many = combined.annotations(Combined(tuple(job(f"j{n}", "error") for n in range(12))))
    assert len(many) == 10 and many[-1].endswith("and 3 more jobs, see the summary")
