"""jsonschema-rs's errors with what config.py words its messages from (jsonschema's fields).

`order` places each error in a depth-first walk of the schema document (keywords and
properties in the order the schema lists them, list items by index), the order jsonschema
reported errors in; the messages config.py shows as they are get jsonschema's wording.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple


class SchemaError(NamedTuple):
    validator: str  # the failing keyword: "type", "required", "anyOf", ...
    absolute_path: tuple[str | int, ...]  # where in the instance
    schema: Mapping[str, Any]  # the subschema holding the keyword, $refs followed
    instance: Any  # the failing value, as the caller passed it
    message: str
    order: tuple[int, ...]


def iter_errors(validator: Any, root: Mapping[str, Any], data: Any) -> Iterator[SchemaError]:
    """The errors of `data` under `validator`, jsonschema-rs's compiled from schema `root`."""
    for error in validator.iter_errors(_plain(data)):
        path = tuple(error.instance_path)
        steps = iter(path)  # the instance path, consumed as the walk goes down
        node: Any = root
        order: list[int] = []
        *route, keyword = error.evaluation_path
        naming = False  # the step names a property: it follows the keyword "properties"
        for step in route:
            order.append(step if isinstance(node, list) else list(node).index(step))
            if naming:
                next(steps, None)
                node = node[step]
            else:
                node = _resolve(root, node[step]) if step == "$ref" else node[step]
                if step == "items":
                    order.append(next(steps, 0))
            naming = step == "properties" and not naming
        order.append(list(node).index(keyword))
        instance = _at(data, path)
        yield SchemaError(keyword, path, node, instance, _message(error, instance), tuple(order))


def _message(error: Any, instance: Any) -> str:
    kind = error.evaluation_path[-1]
    if kind == "required":
        return f"{error.kind.property!r} is a required property"
    if kind == "minItems":
        return f"{instance!r} {'should be non-empty' if error.kind.limit == 1 else 'is too short'}"
    if kind == "uniqueItems":
        return f"{instance!r} has non-unique elements"
    if kind == "anyOf":
        return f"{instance!r} is not valid under any of the given schemas"
    return str(error.message)  # jsonschema-rs's wording (no keyword of gate.schema.json)


def _plain(value: Any) -> Any:
    """`value` as JSON: text keys, null for what JSON has no value for (YAML dates, NaN)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value if isinstance(value, str | int | None) else None


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        if isinstance(data, dict) and step not in data:  # a key that is not a text
            step = next(key for key in data if str(key) == step)
        data = data[step]
    return data


def _resolve(root: Mapping[str, Any], ref: str) -> Any:
    node: Any = root
    for part in ref.split("/")[1:]:  # local references only: "#/$defs/name"
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
