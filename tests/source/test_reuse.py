"""Reuse on re-run: run names, finding the earlier attempt's run, and when to reattach."""

from __future__ import annotations

import pytest

from gate.source.reuse import Earlier, RunName, earlier_run, reattaches, run_name

JOB = {"repository": "acme/app", "run_id": "77", "job": "gate"}
WHAT = {"agent_id": "1", "scenarios": (1, 2), "tags": (), "frequency": 1, "run_as_text": False}


def name(attempt: int = 3, **changes: object) -> RunName:
    made = run_name(**(JOB | WHAT | {"attempt": attempt} | changes))  # type: ignore[arg-type]
    assert made is not None
    return made


def test_a_run_name_says_repository_run_job_key_and_attempt() -> None:
    made = name(2)
    assert made.name == f"{made.prefix} attempt 2"
    assert made.prefix.startswith("cekura-gate acme/app run 77 job gate key ")
    assert len(made.prefix.rsplit(" ", 1)[1]) == 8
    assert name(5).prefix == made.prefix  # every attempt shares it


@pytest.mark.parametrize(
    "change",
    [
        {"agent_id": "2"},
        {"scenarios": (1,)},
        {"tags": ("a",)},
        {"frequency": 2},
        {"run_as_text": True},
    ],
)
def test_matrix_legs_starting_something_else_have_another_key(change: dict) -> None:
    assert name(**change).prefix != name().prefix


def test_outside_a_workflow_run_there_is_no_name() -> None:
    for missing in ("repository", "run_id", "job"):
        assert run_name(**(JOB | {missing: ""} | WHAT | {"attempt": 1})) is None  # type: ignore[arg-type]


def row(
    attempt: int, rid: int, *, judged: bool = False, prefix: str = "", status: str = ""
) -> dict:
    text = f"{prefix or name().prefix} attempt {attempt}" + (" judged" if judged else "")
    return {"id": rid, "name": text, "status": status}


def test_the_newest_earlier_attempt_is_found() -> None:
    rows = [row(1, 10), row(2, 20, judged=True, status="completed"), row(3, 30), row(4, 40)]
    assert earlier_run(rows, name(3)) == Earlier("20", 2, True, "completed")
    assert earlier_run(rows, name(2)) == Earlier("10", 1, False, "")
    assert earlier_run(rows, name(1)) is None  # a first attempt has no earlier one


@pytest.mark.parametrize(
    "rows",
    [
        None,
        {"results": []},
        [None, 3, {"id": 1}, {"id": 2, "name": 5}],
        [row(1, 10, prefix="cekura-gate acme/app run 78 job gate key 00000000")],
        [{"id": None, "name": f"{name().prefix} attempt 1"}],
        [{"id": 5, "name": f"{name().prefix} attempt one"}],
        [{"id": 5, "name": f"{name().prefix} attempt 1 judged later"}],
    ],
)
def test_anything_else_is_no_earlier_run(rows: object) -> None:
    assert earlier_run(rows, name(3)) is None


@pytest.mark.parametrize(
    ("mode", "judged", "expected"),
    [
        ("unfinished", False, True),
        ("unfinished", True, False),
        ("always", True, True),
        ("always", False, True),
        ("never", False, False),
        ("never", True, False),
    ],
)
def test_when_to_reattach(mode: str, judged: bool, expected: bool) -> None:
    assert reattaches(mode, Earlier("1", 1, judged, "running")) is expected
    assert reattaches(mode, None) is False
