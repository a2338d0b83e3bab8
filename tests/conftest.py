from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from gate.simulator.server import Simulator
from tests.gate_harness import API_KEY
from tests.report_schema import check_reports_in

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def load_fixture(name: str) -> dict:
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _reports_follow_the_schema(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test, every JSON report it wrote under its tmp_path must follow the schema
    the package ships (gate/publish/report.schema.json)."""
    folder = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if folder is not None:
        check_reports_in(folder)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """The stand-in Cekura API on 127.0.0.1, fresh for each test. A test module sets its
    options in a `SIMULATOR` dict: Simulator's keyword arguments (the API key defaults to
    tests.gate_harness.API_KEY), and `fake_clock: True` to run it on the module's `clock`
    fixture."""
    options = {"api_key": API_KEY, **getattr(request.module, "SIMULATOR", {})}
    if options.pop("fake_clock", False):
        options["clock"] = request.getfixturevalue("clock")
    with Simulator(**options) as simulator:
        yield simulator
