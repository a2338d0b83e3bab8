"""The package's layers: every import in gate/ (lazy ones in functions included) goes to the
module's own layer or one declared before it in `gate.LAYERS`, and no modules import each
other in a circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import gate

PACKAGE = Path(gate.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """`gate.judge.verdict` -> `judge`; the package itself has no layer."""
    return module.split(".")[1] if module.count(".") else ""


def imports(path: Path) -> set[str]:
    """The gate modules `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "gate"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "gate":
                continue
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                # `from gate.judge import verdict` imports a module; `from gate.x import f` a name
                found.add(whole if whole in KNOWN else node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: a relative import; write gate.x in full")
    return found


KNOWN = {module_name(p) for p in MODULES}
GRAPH = {module_name(p): imports(p) for p in MODULES}


def test_every_layer_is_declared_and_exists():
    layers = {layer(m) for m in KNOWN} - {""}
    assert layers == set(gate.LAYERS)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_its_layer_and_the_ones_before(module):
    mine = gate.LAYERS.index(layer(module)) if layer(module) else -1
    against = sorted(
        target
        for target in GRAPH[module]
        if layer(target) and gate.LAYERS.index(layer(target)) > mine
    )
    assert not against, f"{module} imports {against}, declared after it in gate.LAYERS"


#: publish/'s folders, lowest first: each imports only the folders before it (the modules
#: beside step.py may import any of them)
PUBLISH_FOLDERS = ("words", "findings", "pages", "console", "actions")


def publish_folder(module: str) -> str | None:
    """`gate.publish.words.fmt` -> `words`; None outside publish/'s folders."""
    parts = module.split(".")
    if parts[:2] != ["gate", "publish"] or len(parts) < 3:
        return None
    return parts[2] if parts[2] in PUBLISH_FOLDERS else None


def test_publish_folders_import_only_the_ones_before():
    assert {p.name for p in (PACKAGE / "publish").iterdir() if (p / "__init__.py").exists()} == set(
        PUBLISH_FOLDERS
    )
    backward = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if (mine := publish_folder(module))
        for target in targets
        if (theirs := publish_folder(target))
        and PUBLISH_FOLDERS.index(theirs) > PUBLISH_FOLDERS.index(mine)
    )
    assert not backward, backward


def test_no_import_cycles():
    # the graph over modules, lazy imports included: a cycle is one even when it works today
    seen: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        seen[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH or target == module:
                continue
            if seen.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in seen:
                visit(target)
        path.pop()
        seen[module] = 2

    for module in sorted(GRAPH):
        if module not in seen:
            visit(module)


#: the commands wire the stages; the settings stop there, and the stages get only what they need
READS_SETTINGS = {
    "gate.cli",
    "gate.check",
    "gate.validate",
    "gate.demo",
    "gate.dry_run",
    "gate.combine",
}


def test_only_the_commands_read_the_settings():
    # any module of gate/settings counts, the package's own modules and check's steps aside
    readers = {
        m
        for m, targets in GRAPH.items()
        if layer(m) not in ("settings", "flow") and any(layer(t) == "settings" for t in targets)
    }
    assert readers <= READS_SETTINGS, f"{sorted(readers - READS_SETTINGS)} import gate.settings"


def test_the_checker_sees_a_cycle_and_a_backward_import(tmp_path):
    """The two rules above fail when they should (they parse source text, so feed them some)."""
    global GRAPH
    saved = GRAPH
    try:
        GRAPH = {"gate.judge.stats": {"gate.judge.names"}, "gate.judge.names": {"gate.judge.stats"}}
        with pytest.raises(AssertionError, match="cycle"):
            test_no_import_cycles()
        GRAPH = {"gate.result.scalars": {"gate.publish.actions.github"}}
        with pytest.raises(AssertionError, match="declared after it"):
            test_imports_only_its_layer_and_the_ones_before("gate.result.scalars")
        GRAPH = {"gate.publish.step": {"gate.settings"}, "gate.check": {"gate.settings"}}
        with pytest.raises(AssertionError, match=r"\['gate.publish.step'\] import gate.settings"):
            test_only_the_commands_read_the_settings()
        GRAPH = {
            "gate.judge.decide": {"gate.settings.read"},
            "gate.settings.read": {"gate.settings"},
        }
        with pytest.raises(AssertionError, match=r"\['gate.judge.decide'\] import gate.settings"):
            test_only_the_commands_read_the_settings()
    finally:
        GRAPH = saved
    lazy = tmp_path / "lazy.py"
    lazy.write_text(
        "def f():\n    from gate.publish.actions import github\n    import gate.judge.stats\n"
    )
    assert imports(lazy) == {"gate.publish.actions.github", "gate.judge.stats"}


def test_the_readme_names_the_layers_in_their_order():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    rule = readme.split("**The import rule.**", 1)[1].split("\n\n", 1)[0]
    named = [n for n in re.findall(r"`(\w+)`", rule) if n in gate.LAYERS]
    assert named[: len(gate.LAYERS) - 1] == [n for n in gate.LAYERS if n != "__main__"]
