"""The JSON report v2: every check's numbers next to its display strings, valid by the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.judge.evaluate import evaluate
from gate.policy import config
from gate.publish.report_json import SCHEMA_PATH, SCHEMA_VERSION, build_report, write_report_json
from gate.result.model import Baseline
from gate.result.parsing import parse
from tests.boundary_cases import latency_runs, result, rubric, runs
from tests.report_schema import assert_valid, check_reports_in, problems


def report(raw: dict, thresholds: str, *, baseline: dict | None = None) -> dict:
    policy = config.parse(f"version: 1\n{thresholds}", name="gate.yml")
    found = Baseline(how="the baseline", result=parse(baseline)) if baseline else None
    parsed = parse(raw)
    built = build_report(verdict=evaluate(parsed, policy, baseline=found), result=parsed)
    assert_valid(built)
    return built


def checks(built: dict) -> dict[str, dict]:
    return {c["name"]: c for c in built["checks"]}


def test_a_pass_carries_the_rate_and_its_counts():
    built = report(result(runs=runs(9, 10)), "thresholds: {success_rate: {min: 90}}")
    assert (built["schema_version"], built["verdict"]) == (2, "pass")
    rate = checks(built)["success_rate"]
    assert (rate["threshold"], rate["actual"]) == ("≥ 90%", "90% (9 of 10 runs)")
    assert (rate["kind"], rate["value"], rate["unit"]) == ("success_rate", 90.0, "percent")
    assert rate["bounds"] == {"min": 90, "max": None}
    assert (rate["successes"], rate["runs"], rate["missing"]) == (9, 10, None)
    runs_check = checks(built)["min_runs"]
    assert (runs_check["value"], runs_check["unit"], runs_check["bounds"]) == (
        10,
        "count",
        {"min": 1, "max": None},
    )


def test_a_fail_one_run_below_the_floor():
    built = report(result(runs=runs(8, 10)), "thresholds: {success_rate: {min: 90}}")
    rate = checks(built)["success_rate"]
    assert (built["verdict"], rate["outcome"], rate["blocking"]) == ("fail", "fail", True)
    assert (rate["value"], rate["successes"], rate["runs"]) == (80.0, 8, 10)


RICH = """\
baseline: {result_id: 1}
thresholds:
  success_rate: {min: 80, confidence: 0.95}
  scenarios: [{id: 1, min_success_rate: 95}]
  metrics: [{metric: Latency, aggregation: p90, max: 1500}]
  performance_metrics:
    rules: [{metric: Latency, max: 1500}]
  regression:
    success_rate: {max_drop: 5}
    rules: [{metric: Latency, max_increase: 100}]
"""


def test_a_rich_fail_carries_interval_baseline_and_change():
    before = result(id=1, runs=runs(10, 10), performance_metrics=rubric(1000))
    now = result(runs=runs(9, 10), performance_metrics=rubric(1400))
    built = report(now, RICH, baseline=before)
    found = checks(built)
    rate = found["success_rate"]
    assert rate["confidence"] == 0.95 and rate["interval"]["confidence"] == 0.95
    assert (
        round(rate["interval"]["low"], 2) == 59.58 and round(rate["interval"]["high"], 2) == 98.21
    )
    assert rate["outcome"] == "inconclusive"
    assert (rate["baseline_value"], rate["change"]) == (100.0, -10.0)
    assert (rate["baseline"], rate["delta"]) == ("100%", "↓ 10 pp")
    scenario = found["scenarios[1]"]
    assert (scenario["kind"], scenario["subject"], scenario["value"]) == ("scenario", "1", 90.0)
    assert scenario["bounds"] == {"min": 95, "max": None} and scenario["outcome"] == "fail"
    metric = found["metrics[Latency].p90"]
    assert (metric["kind"], metric["aggregation"], metric["value"], metric["missing"]) == (
        "metric",
        "p90",
        None,
        metric["detail"],
    )
    drop = found["baseline.success_rate"]
    assert (drop["kind"], drop["measures"], drop["value"], drop["baseline_value"]) == (
        "regression",
        "success_rate",
        90.0,
        100.0,
    )
    assert (drop["change"], drop["bounds"], drop["outcome"]) == (
        -10.0,
        {"min": -5, "max": None},
        "fail",
    )
    rise = found["baseline.rules[Latency]"]
    assert (rise["measures"], rise["subject"], rise["unit"], rise["change"]) == (
        "rubric_rule",
        "Latency",
        "score",
        400,
    )
    assert built["baseline"]["found"] is True
    assert [row["success_rate"] for row in built["scenarios"]] == [90.0]


def test_a_metric_aggregate_carries_its_value_and_run_count():
    raw = result(runs=latency_runs(1000, 1500))
    built = report(raw, "thresholds:\n  metrics: [{metric: Latency, aggregation: max, max: 1500}]")
    metric = checks(built)["metrics[Latency].max"]
    assert (metric["value"], metric["unit"], metric["runs"], metric["outcome"]) == (
        1500,
        "number",
        2,
        "pass",
    )


def test_could_not_evaluate_writes_a_valid_report_with_the_min_runs_numbers(tmp_path: Path):
    policy = config.parse("version: 1\nthresholds: {min_runs: 5}", name="gate.yml")
    parsed = parse(result(runs=runs(4, 4)))
    path = tmp_path / "gate.json"
    write_report_json(path, verdict=evaluate(parsed, policy), result=parsed)
    built = json.loads(path.read_text(encoding="utf-8"))
    assert (built["verdict"], built["exit_code"], built["error_kind"]) == (
        "error",
        3,
        "too few runs",
    )
    (only,) = built["checks"]
    assert (only["kind"], only["value"], only["bounds"], only["outcome"]) == (
        "min_runs",
        4,
        {"min": 5, "max": None},
        "fail",
    )
    assert check_reports_in(tmp_path) == 1


def test_the_schema_ships_in_the_package_at_this_version():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}
    assert SCHEMA_PATH.parent.name == "publish" and SCHEMA_PATH.is_file()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda r: r.pop("checks"), '(top): "checks" is a required property'),
        (lambda r: r["checks"][0].update(value="90%"), "checks/0/value"),
        (lambda r: r["checks"][0].update(unit="percents"), "checks/0/unit"),
        (lambda r: r.update(schema_version=1), "schema_version"),
    ],
)
def test_the_schema_refuses_a_report_that_breaks_it(change, complaint, tmp_path: Path):
    built = report(result(runs=runs(9, 10)), "thresholds: {success_rate: {min: 90}}")
    change(built)
    assert any(p.startswith(complaint) for p in problems(built)), problems(built)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(built, indent=2), encoding="utf-8")
    with pytest.raises(AssertionError, match=r"does not follow report\.schema\.json"):
        check_reports_in(tmp_path)
    broken.unlink()  # the autouse check after this test would refuse it too


# -- where numbers came from, which runs a count counted, why each run failed -----------------


def test_a_failed_runs_check_names_the_runs_it_counted_and_its_source():
    raw = result(runs=runs(8, 10), failed_workflow_runs=["108", "109"])
    built = report(raw, "thresholds: {failed_workflow_runs: {max: 1}}")
    counted = checks(built)["failed_workflow_runs"]
    assert (counted["value"], counted["bounds"], counted["outcome"]) == (
        2,
        {"min": None, "max": 1},
        "fail",
    )
    assert (counted["run_ids"], counted["source"]) == (["108", "109"], "runs")
    # every other check carries an empty list, never a missing key
    assert checks(built)["min_runs"]["run_ids"] == []


def test_a_rate_from_the_reported_counts_says_so():
    raw = result(total_runs_count=10, success_runs_count=9)  # no runs listed: the counts decide
    built = report(raw, "thresholds: {success_rate: {min: 90}}")
    rate = checks(built)["success_rate"]
    assert (rate["value"], rate["successes"], rate["runs"], rate["source"]) == (
        90.0,
        9,
        10,
        "counts",
    )


def test_every_failing_run_carries_its_failure_kind_and_links():
    raw = result(
        runs=[
            {
                "id": 1,
                "scenario": {"id": 1, "name": "Book"},
                "status": "completed",
                "success": True,
            },
            {
                "id": 2,
                "scenario": {"id": 1, "name": "Book"},
                "status": "completed",
                "success": False,
                "error_message": "SIP 503 from the provider",
                "voice_recording_url": "https://rec.example/2.wav",
            },
            {
                "id": 3,
                "scenario": {"id": 2, "name": "Cancel"},
                "status": "completed",
                "success": False,
                "evaluation": {
                    "metrics": [
                        {
                            "name": "Expected Outcome",
                            "eval_type": "binary",
                            "passed": False,
                            "explanation": "did not confirm the date",
                        }
                    ]
                },
            },
            {"id": 4, "scenario": {"id": 2, "name": "Cancel"}, "status": "completed"},
            {"id": 5, "scenario": {"id": 2, "name": "Cancel"}, "status": "completed", "success": 0},
        ],
        failed_infrastructure_runs=["5"],
    )
    built = report(raw, "thresholds: {success_rate: {min: 50}}")
    found = {run["id"]: run for run in built["failing_runs"]}
    assert list(found) == ["2", "3", "4", "5"]  # every run that did not succeed, in order
    assert {k: run["failure_kind"] for k, run in found.items()} == {
        "2": "infrastructure",  # a SIP error: the call never properly happened
        "3": "agent",  # a connected call that missed its expected outcome
        "4": "agent",  # no reason at all: never excused as somebody else's fault
        "5": "infrastructure",  # Cekura's Infrastructure Issues metric says so
    }
    assert found["2"]["recording_url"] == "https://rec.example/2.wav"
    assert found["2"]["reason"] == "SIP 503 from the provider"
    assert found["3"]["recording_url"] is None and found["3"]["ended_reason"] is None
    assert found["3"]["findings"][0]["explanation"] == "did not confirm the date"


def test_a_result_with_no_runs_has_a_null_success_rate_not_0():
    raw = result(total_runs_count=0, success_runs_count=0, success_rate=0)
    built = report(raw, "thresholds: {success_rate: {min: 90}}")
    assert (built["result"]["total_runs"], built["result"]["success_rate"]) == (0, None)


def test_the_readme_documents_every_key_of_the_schema():
    import re

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    readme = (SCHEMA_PATH.parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("- `report-json` / `--report-json PATH`")
    section = readme[start : readme.index("- `junit-xml` / `--junit-xml PATH`", start)]
    # a key is documented where the section names it in code: `key` or `{..., key, ...}`
    named = set(re.findall(r"[`{,]\s*([a-z_]+)", section))
    assert len(keys) > 60
    assert sorted(keys - named) == []


def test_scripts_get_the_reasons_as_codes():
    built = report(result(runs=runs(8, 10)), "thresholds: {success_rate: {min: 90}}")
    assert checks(built)["success_rate"]["reason_code"] == "runs_failed"
    assert checks(built)["min_runs"]["reason_code"] is None
    assert built["stop"] is None
    missing = report(
        result(runs=runs(10, 10)),
        "thresholds: {metrics: [{metric: Latency, aggregation: p90, max: 1500}]}",
    )
    latency = next(c for c in missing["checks"] if c["kind"] == "metric")
    assert (latency["outcome"], latency["missing_code"]) == ("missing", "not_reported")
    few = report(result(runs=runs(2, 2)), "thresholds: {min_runs: 3}")
    assert (few["verdict"], few["stop"], few["error_kind"]) == (
        "error",
        "too_few_runs",
        "too few runs",
    )


def test_the_schema_lists_every_code():
    from gate.judge.reasons import Absent, Reason, Stop

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    check = schema["properties"]["checks"]["items"]["properties"]
    assert check["reason_code"]["enum"] == [*(r.value for r in Reason), None]
    assert check["missing_code"]["enum"] == [*(a.value for a in Absent), None]
    assert schema["properties"]["stop"]["enum"] == [*(s.value for s in Stop), None]
