"""Run the shipped JSON Schema over a config: every error, with what a message is built from.

`gate/schema/gate.schema.json` stays the one source of truth: this module interprets it. It
is a small Draft 2020-12 validator for the keywords a config schema uses, written here
because start-up is paid on every CI run: importing the pure-Python jsonschema (with
`referencing` and its format checkers) took ~90 ms, and jsonschema-rs ~30 ms in a fresh
process (a 15 MB extension that also imports email, socket, datetime and decimal), against
~1 ms for this module (benchmarks/startup.py). It also keeps the install pure Python, so the
composite action runs on any runner.

Fidelity is held by tests/test_schema_check.py: jsonschema (a test dependency) validates the
same configs, hand-written and generated, and every message and its order must agree. The
errors mirror jsonschema's ValidationError (`validator`, `absolute_path`, `schema`,
`instance`, `message`, in the order of a walk of the schema document), so config.py words
its messages as it did with jsonschema. A keyword outside that set makes `iter_errors` raise
SchemaUnsupported, so a schema change cannot silently stop being enforced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SchemaError:
    #: the failing keyword, e.g. "type", "minimum", "additionalProperties", "anyOf"
    validator: str
    #: where in the instance: keys and list indexes from the top
    absolute_path: Path
    #: the (sub)schema that holds the failing keyword, with $refs followed
    schema: Mapping[str, Any]
    #: the value that failed
    instance: Any
    #: jsonschema's wording, which config.py shows for keywords it has no words of its own for
    message: str


class SchemaUnsupported(ValueError):
    """The schema uses something this validator does not implement (a bug to fix here)."""


def iter_errors(schema: Mapping[str, Any], instance: Any) -> Iterator[SchemaError]:
    """Every error of `instance` against the Draft 2020-12 `schema`, in jsonschema's order."""
    _check_supported(schema)
    yield from _Walk(schema).errors(instance, schema, ())


def is_valid(schema: Mapping[str, Any], instance: Any) -> bool:
    return next(iter_errors(schema, instance), None) is None


# -- what is implemented -----------------------------------------------------------------

#: keywords that only annotate: they never produce an error (format too, as in jsonschema
#: without a format checker)
_ANNOTATIONS = frozenset(
    {
        "$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "format",
        "contentEncoding", "contentMediaType", "contentSchema",
        # read by the keyword they belong to
        "then", "else", "minContains", "maxContains",
    }
)  # fmt: skip
_SUBSCHEMA = ("items", "contains", "additionalProperties", "propertyNames", "not", "if")
_SUBSCHEMA += ("then", "else")
_SUBSCHEMA_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")

_CHECKED: set[int] = set()


def _check_supported(schema: Mapping[str, Any]) -> None:
    """Raise SchemaUnsupported for any keyword the walk below does not implement."""
    if id(schema) in _CHECKED:
        return

    def visit(node: Any, where: str) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, Mapping):
            raise SchemaUnsupported(f"{where}: a schema must be an object or a boolean")
        for key, value in node.items():
            if key not in _KEYWORDS and key not in _ANNOTATIONS:
                raise SchemaUnsupported(
                    f"{where}: keyword {key!r} is not implemented by gate/schema_check.py; "
                    "add it there (tests/test_schema_check.py compares with jsonschema)"
                )
            if key == "$ref" and not str(value).startswith("#"):
                raise SchemaUnsupported(f"{where}: only local $refs (#/...) are supported")
            if key == "type" and not set(value if isinstance(value, list) else [value]) <= set(
                _TYPES
            ):
                raise SchemaUnsupported(f"{where}: unknown type {value!r}")
            if key in _SUBSCHEMA:
                visit(value, f"{where}/{key}")
            elif key in _SUBSCHEMA_LISTS:
                for index, item in enumerate(value):
                    visit(item, f"{where}/{key}/{index}")
            elif key in _SUBSCHEMA_MAPS:
                for name, item in value.items():
                    visit(item, f"{where}/{key}/{name}")

    visit(schema, "#")
    _CHECKED.add(id(schema))


# -- the walk ----------------------------------------------------------------------------

Keyword = Callable[["_Walk", Any, Any, Mapping[str, Any], Path], Iterator[SchemaError]]
_KEYWORDS: dict[str, Keyword] = {}


def _keyword(name: str) -> Callable[[Keyword], Keyword]:
    def register(function: Keyword) -> Keyword:
        _KEYWORDS[name] = function
        return function

    return register


class _Walk:
    """One validation: the root (for $refs) and the recursive descent, like jsonschema's."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def errors(self, instance: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            message = f"False schema does not allow {instance!r}"
            yield SchemaError("false", path, {}, instance, message)
            return
        for key, value in schema.items():
            check = _KEYWORDS.get(key)
            if check is not None:
                yield from check(self, value, instance, schema, path)

    def valid(self, instance: Any, schema: Any) -> bool:
        return next(self.errors(instance, schema, ()), None) is None

    def resolve(self, ref: str) -> Any:
        node: Any = self.root
        for part in ref[1:].strip("/").split("/") if ref.strip("#/") else ():
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node


def _error(
    keyword: str, schema: Mapping[str, Any], instance: Any, path: Path, message: str
) -> SchemaError:
    return SchemaError(keyword, path, schema, instance, message)


# -- types and equality (jsonschema's rules: bool is not a number, 1.0 is an integer) --------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


# -- keywords: each yields jsonschema's error (message and all) ------------------------------


@_keyword("$ref")
def _ref(walk: _Walk, ref: str, instance: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    yield from walk.errors(instance, walk.resolve(ref), path)


@_keyword("type")
def _type(walk: _Walk, types: Any, instance: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    names = types if isinstance(types, list) else [types]
    if not any(_TYPES[name](instance) for name in names):
        reprs = ", ".join(repr(name) for name in names)
        yield _error("type", schema, instance, path, f"{instance!r} is not of type {reprs}")


@_keyword("enum")
def _enum(walk: _Walk, enums: Any, instance: Any, schema: Any, path: Path) -> Iterator[SchemaError]:
    if all(not _equal(each, instance) for each in enums):
        yield _error("enum", schema, instance, path, f"{instance!r} is not one of {enums!r}")


@_keyword("const")
def _const(
    walk: _Walk, const: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not _equal(instance, const):
        yield _error("const", schema, instance, path, f"{const!r} was expected")


def _bound(
    name: str, fails: Callable[[Any, Any], bool], words: str
) -> Callable[..., Iterator[SchemaError]]:
    def check(
        walk: _Walk, limit: Any, instance: Any, schema: Any, path: Path
    ) -> Iterator[SchemaError]:
        if _is_number(instance) and fails(instance, limit):
            yield _error(name, schema, instance, path, f"{instance!r} {words} {limit!r}")

    _KEYWORDS[name] = check
    return check


_bound("minimum", lambda v, m: v < m, "is less than the minimum of")
_bound("maximum", lambda v, m: v > m, "is greater than the maximum of")
_bound("exclusiveMinimum", lambda v, m: v <= m, "is less than or equal to the minimum of")
_bound("exclusiveMaximum", lambda v, m: v >= m, "is greater than or equal to the maximum of")


@_keyword("multipleOf")
def _multiple_of(
    walk: _Walk, factor: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not _is_number(instance):
        return
    if isinstance(factor, float):
        quotient = instance / factor
        try:
            failed = int(quotient) != quotient
        except OverflowError:  # a huge instance over a small float: exact arithmetic
            from fractions import Fraction

            failed = (Fraction(instance) / Fraction(factor)).denominator != 1
    else:
        failed = bool(instance % factor)
    if failed:
        yield _error(
            "multipleOf", schema, instance, path, f"{instance!r} is not a multiple of {factor}"
        )


def _size(
    name: str, kind: str, low: bool, words: tuple[str, str]
) -> Callable[..., Iterator[SchemaError]]:
    """minLength/maxLength/minItems/maxItems/minProperties/maxProperties."""

    def check(
        walk: _Walk, limit: Any, instance: Any, schema: Any, path: Path
    ) -> Iterator[SchemaError]:
        if not _TYPES[kind](instance):
            return
        if (len(instance) < limit) if low else (len(instance) > limit):
            edge = (limit == 1) if low else (limit == 0)
            text = words[0] if edge else words[1]
            yield _error(name, schema, instance, path, f"{instance!r} {text}")

    _KEYWORDS[name] = check
    return check


_size("minLength", "string", True, ("should be non-empty", "is too short"))
_size("maxLength", "string", False, ("is expected to be empty", "is too long"))
_size("minItems", "array", True, ("should be non-empty", "is too short"))
_size("maxItems", "array", False, ("is expected to be empty", "is too long"))
_size("minProperties", "object", True, ("should be non-empty", "does not have enough properties"))
_size("maxProperties", "object", False, ("is expected to be empty", "has too many properties"))


@_keyword("pattern")
def _pattern(
    walk: _Walk, pattern: str, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, str) and not re.search(pattern, instance):
        yield _error("pattern", schema, instance, path, f"{instance!r} does not match {pattern!r}")


@_keyword("uniqueItems")
def _unique(
    walk: _Walk, unique: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not (unique and isinstance(instance, list)):
        return
    if any(_equal(a, b) for i, a in enumerate(instance) for b in instance[i + 1 :]):
        yield _error("uniqueItems", schema, instance, path, f"{instance!r} has non-unique elements")


@_keyword("prefixItems")
def _prefix_items(
    walk: _Walk, prefix: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, list):
        for index, (item, subschema) in enumerate(zip(instance, prefix, strict=False)):
            yield from walk.errors(item, subschema, (*path, index))


@_keyword("items")
def _items(
    walk: _Walk, items: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not isinstance(instance, list):
        return
    prefix = len(schema.get("prefixItems", []))
    extra = len(instance) - prefix
    if extra <= 0:
        return
    if items is False:
        rest = instance[prefix:] if extra != 1 else instance[prefix]
        item = "items" if prefix != 1 else "item"
        message = f"Expected at most {prefix} {item} but found {extra} extra: {rest!r}"
        yield _error("items", schema, instance, path, message)
        return
    for index in range(prefix, len(instance)):
        yield from walk.errors(instance[index], items, (*path, index))


@_keyword("contains")
def _contains(
    walk: _Walk, contains: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not isinstance(instance, list):
        return
    least = schema.get("minContains", 1)
    most = schema.get("maxContains", len(instance))
    matches = 0
    for each in instance:
        if walk.valid(each, contains):
            matches += 1
            if matches > most:
                message = f"Too many items match the given schema (expected at most {most})"
                yield _error("maxContains", schema, instance, path, message)
                return
    if matches < least:
        if not matches:
            message = f"{instance!r} does not contain items matching the given schema"
            yield _error("contains", schema, instance, path, message)
        else:
            message = (
                "Too few items match the given schema (expected at least "
                f"{least} but only {matches} matched)"
            )
            yield _error("minContains", schema, instance, path, message)


@_keyword("required")
def _required(
    walk: _Walk, required: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name in required:
            if name not in instance:
                yield _error("required", schema, instance, path, f"{name!r} is a required property")


@_keyword("dependentRequired")
def _dependent_required(
    walk: _Walk, dependencies: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    for name, needs in dependencies.items():
        if name in instance:
            for each in needs:
                if each not in instance:
                    message = f"{each!r} is a dependency of {name!r}"
                    yield _error("dependentRequired", schema, instance, path, message)


@_keyword("dependentSchemas")
def _dependent_schemas(
    walk: _Walk, dependencies: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name, subschema in dependencies.items():
            if name in instance:
                yield from walk.errors(instance, subschema, path)


@_keyword("properties")
def _properties(
    walk: _Walk, properties: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name, subschema in properties.items():
            if name in instance:
                yield from walk.errors(instance[name], subschema, (*path, name))


@_keyword("patternProperties")
def _pattern_properties(
    walk: _Walk, patterns: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for pattern, subschema in patterns.items():
            for name, value in instance.items():
                if re.search(pattern, name):
                    yield from walk.errors(value, subschema, (*path, name))


@_keyword("additionalProperties")
def _additional(
    walk: _Walk, additional: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    known = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    extras = [
        name
        for name in instance
        if name not in known and not (patterns and re.search(patterns, name))
    ]
    if isinstance(additional, dict):
        for name in extras:
            yield from walk.errors(instance[name], additional, (*path, name))
    elif not additional and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            listed = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            message = f"{joined} {verb} not match any of the regexes: {listed}"
        else:
            names = sorted(extras, key=str)
            verb = "was" if len(names) == 1 else "were"
            listed = ", ".join(repr(each) for each in names)
            message = f"Additional properties are not allowed ({listed} {verb} unexpected)"
        yield _error("additionalProperties", schema, instance, path, message)


@_keyword("propertyNames")
def _property_names(
    walk: _Walk, names: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name in instance:
            yield from walk.errors(name, names, path)


@_keyword("allOf")
def _all_of(
    walk: _Walk, schemas: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    for subschema in schemas:
        yield from walk.errors(instance, subschema, path)


@_keyword("anyOf")
def _any_of(
    walk: _Walk, schemas: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if not any(walk.valid(instance, subschema) for subschema in schemas):
        message = f"{instance!r} is not valid under any of the given schemas"
        yield _error("anyOf", schema, instance, path, message)


@_keyword("oneOf")
def _one_of(
    walk: _Walk, schemas: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    valid = [subschema for subschema in schemas if walk.valid(instance, subschema)]
    if not valid:
        message = f"{instance!r} is not valid under any of the given schemas"
        yield _error("oneOf", schema, instance, path, message)
    elif len(valid) > 1:
        more = [*valid[1:], valid[0]]  # jsonschema lists the first match last
        reprs = ", ".join(repr(each) for each in more)
        yield _error(
            "oneOf", schema, instance, path, f"{instance!r} is valid under each of {reprs}"
        )


@_keyword("not")
def _not(
    walk: _Walk, negated: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if walk.valid(instance, negated):
        message = f"{instance!r} should not be valid under {negated!r}"
        yield _error("not", schema, instance, path, message)


@_keyword("if")
def _if(
    walk: _Walk, condition: Any, instance: Any, schema: Any, path: Path
) -> Iterator[SchemaError]:
    if walk.valid(instance, condition):
        if "then" in schema:
            yield from walk.errors(instance, schema["then"], path)
    elif "else" in schema:
        yield from walk.errors(instance, schema["else"], path)
