"""YAML text -> nodes and data, refusing what would make the gate work for minutes.

A config is a few dozen lines. A pull request from a fork supplies its own, so one that
would make the gate work for minutes (a huge file, an alias bomb, deep nesting) is refused
up front; duplicate keys are refused too, and every node keeps its line for messages."""

from __future__ import annotations

from typing import Any

import yaml

from gate.errors import ConfigError

#: A config is a few dozen lines. A pull request from a fork supplies its own, so one that
#: would make the gate work for minutes (a huge file, an alias bomb) is refused up front.
MAX_CONFIG_BYTES = 256 * 2**10
#: values in the config once YAML aliases are expanded (anchors may be used; a "billion
#: laughs" document expands nine aliases nine times over to 387 million values)
MAX_CONFIG_VALUES = 100_000
#: levels of nesting (a gate config has about five); PyYAML slows down quadratically with
#: depth and then overflows the stack, so deeper is refused as soon as it is seen
MAX_CONFIG_DEPTH = 100


class _TooDeep(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """yaml.SafeLoader that stops composing beyond MAX_CONFIG_DEPTH levels."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_CONFIG_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: Any) -> Any:
        # A date-shaped value that is no calendar date (2026-02-30) stays text, so that the
        # key's own check names it, instead of PyYAML's bare ValueError.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str, name: str) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_alias_bombs(node, name)
        # What yaml.safe_load returns, built from the same nodes (the text is parsed once).
        data = loader.construct_document(node) if node is not None else None
    except (_TooDeep, RecursionError) as exc:
        where = f"{name}:{exc.args[0]}" if isinstance(exc, _TooDeep) else name
        raise ConfigError(
            f"{where}: the YAML is nested more than {MAX_CONFIG_DEPTH} levels deep, which the "
            "gate does not read (a gate config has about five). Check --config points at the "
            "gate config."
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise ConfigError(
            f"{where}: not valid YAML: {exc.problem or exc.context}. Check the indentation "
            "and quoting around that line."
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise ConfigError(f"{name}: the file is empty. Start it with 'version: 1'.")
    duplicate = _first_duplicate_key(node)
    if duplicate:
        key, line = duplicate
        raise ConfigError(
            f"{name}:{line}: key '{key}' appears twice in the same section; keep one of them."
        )
    return node, data


def _refuse_alias_bombs(root: yaml.Node, name: str) -> None:
    """ConfigError when the document, with its aliases expanded, holds more than
    MAX_CONFIG_VALUES values, or refers to itself (`a: &x [*x]`).

    Aliases are shared nodes, so the document itself is small; everything that walks the
    data (the schema check, the duplicate-key check) would walk every expansion. Sizes are
    counted once per node, iteratively: the check is linear in the text.
    """
    size: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose size is being counted: meeting one again is a loop
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_.discard(id(node))
            size[id(node)] = total = 1 + sum(size[id(child)] for child in children)
            if total > MAX_CONFIG_VALUES:
                raise ConfigError(
                    f"{name}:{node.start_mark.line + 1}: the YAML holds more than "
                    f"{MAX_CONFIG_VALUES:,} values once its aliases (*name) are expanded, far "
                    "more than any gate config: an alias bomb? Write the values out, or use "
                    "fewer aliases."
                )
            continue
        if id(node) in size:
            continue
        if id(node) in open_:
            raise ConfigError(
                f"{name}:{node.start_mark.line + 1}: an alias (*name) refers to a value that "
                "contains it, so the config never ends. Write the value out instead."
            )
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _first_duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                return key.value, key.start_mark.line + 1
            seen.add(key.value)
            found = _first_duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _first_duplicate_key(item)
            if found:
                return found
    return None


def line_of(node: yaml.Node | None, path: list[str | int], *, key: bool = False) -> int:
    """The line of the value at `path` (or of its last key), else of the nearest ancestor."""
    line = node.start_mark.line + 1 if node is not None else 1
    for index, step in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if match is None:
                break
            if key and index == len(path) - 1:
                return match[0].start_mark.line + 1
            node = match[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            break
        line = node.start_mark.line + 1
    return line
