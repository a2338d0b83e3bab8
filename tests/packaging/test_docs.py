"""The README stays true: its tables match action.yml, the CLI, the outputs and the schema."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from gate import errors
from gate.command_line.parser import build_parser
from gate.policy import validation
from gate.publish.actions import github

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def table_after(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after `heading`."""
    section = README.split(heading, 1)[1]
    rows = []
    started = False
    for line in section.splitlines():
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-| "):
                rows.append(cells)
        elif started:
            break
    return rows[1:]  # without the header


def code(cell: str) -> str:
    found = re.findall(r"`([^`]+)`", cell)
    return found[0] if found else ""


#: how much the command prints, not a setting: documented under "Command line"
OUTPUT_FLAGS = {"--help", "--quiet", "--verbose"}


def check_flags() -> set[str]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if a.choices and "check" in a.choices]
    return {
        option
        for action in commands.choices["check"]._actions
        for option in action.option_strings
        if option.startswith("--") and option not in OUTPUT_FLAGS
    }


def test_settings_table_matches_cli_variables_and_action_inputs():
    rows = table_after("## Settings")
    # a row may name a setting's negative spelling too: `--run-as-text`, `--no-run-as-text`
    flags = {flag for r in rows for flag in re.findall(r"`(--[a-z-]+)`", r[0])}
    inputs = {code(r[2]) for r in rows if code(r[2])}
    assert flags == check_flags()
    assert inputs == set(ACTION["inputs"])
    for flag_cell, variable_cell, input_cell, *_ in rows:
        flag, variable, name = code(flag_cell), code(variable_cell), code(input_cell)
        if flag:
            assert variable == "CEKURA_" + flag[2:].upper().replace("-", "_")
        if name:
            assert ACTION["runs"]["env"][variable] == f"${{{{ inputs.{name} }}}}"


def test_outputs_table_matches_action_and_code():
    names = [code(r[0]) for r in table_after("### Outputs")]
    assert tuple(names) == tuple(ACTION["outputs"]) == github.OUTPUT_NAMES


def test_exit_code_table():
    rows = table_after("## Exit codes")
    assert [r[0] for r in rows] == ["0", "1", "2", "3"]
    assert (errors.EXIT_PASS, errors.EXIT_FAIL, errors.EXIT_USAGE) == (0, 1, 2)
    assert errors.EXIT_CANNOT_EVALUATE == 3


def schema_keys(node: dict, prefix: str = "") -> set[str]:
    """Every key path in the schema, e.g. thresholds.success_rate.min."""
    defs = validation.schema()["$defs"]
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    keys = set()
    if node.get("type") == "array" and "items" in node:
        return schema_keys(node["items"], prefix + "[]")
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        keys.add(path)
        keys |= schema_keys(child, path)
    return keys


def test_config_reference_documents_every_schema_key():
    documented = " ".join(code(r[0]) + " " + r[0] for r in table_after("## Config file"))
    missing = []
    for key in sorted(schema_keys(validation.schema())):
        leaf = key.rsplit(".", 1)[-1]
        if leaf == "level":
            continue  # documented once for every check
        if key not in documented and not re.search(rf"[`.]{re.escape(leaf)}\b", documented):
            missing.append(key)
    assert missing == []


def test_every_example_file_is_linked_from_the_readme():
    for path in (ROOT / "examples").iterdir():
        assert f"examples/{path.name}" in README, path.name
