"""Every JSON report the tests write is checked against the schema the package ships.

`tests/conftest.py` runs `check_reports_in` on each test's tmp_path after the test; tests that
build a report in memory call `assert_valid` themselves.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from gate.publish.report_json import SCHEMA_PATH

#: how every report written by gate.publish.report_json.dumps begins
_REPORT_START = b'{\n  "schema_version":'


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def problems(report: Any) -> list[str]:
    """Where `report` breaks the schema: '<path>: <message>' each; empty when it is valid."""
    return [
        f"{'/'.join(str(p) for p in error.instance_path) or '(top)'}: {error.message}"
        for error in _validator().iter_errors(report)
    ]


def assert_valid(report: Any, where: str = "the report") -> None:
    found = problems(report)
    assert not found, f"{where} does not follow {SCHEMA_PATH.name}:\n  " + "\n  ".join(found)


def check_reports_in(folder: Path) -> int:
    """Validate every JSON report under `folder`; how many there were."""
    count = 0
    for path in folder.rglob("*.json"):
        with path.open("rb") as file:
            if file.read(len(_REPORT_START)) != _REPORT_START:
                continue  # a result payload, a config, anything but a report
        assert_valid(json.loads(path.read_bytes()), str(path))
        count += 1
    return count
