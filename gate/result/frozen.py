"""Building many frozen dataclass objects fast: the parser makes one per run and per metric."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any


def positional(cls: type) -> Callable[..., Any]:
    """A fast constructor for the frozen slots dataclass `cls`, taking every field in order.

    A frozen dataclass's __init__ sets each field through object.__setattr__, by name; for
    10,000 runs and their metrics that was about a third of parsing them. This fills the
    slots of a plain twin class (same slots, same order, so the same memory layout; plain
    attribute stores, which Python does fastest) and then makes the object a `cls`, about a
    fifth of the work. It is kept for what is built per run (Run, MetricValue) because it
    still earns its place: without it, a whole check of the realistic 10,000-run result costs
    11% more CPU (benchmarks/evaluation.py). Objects built only for failing runs use the
    class itself. The objects are ordinary instances of `cls`: equal to and hashing like
    ones built by `cls(...)`, and as frozen (tests/result/test_result.py checks both).
    """
    names = [f.name for f in fields(cls)]
    assert tuple(names) == cls.__slots__, cls  # the layout the twin copies
    twin = type(f"_{cls.__name__}Slots", (), {"__slots__": cls.__slots__})
    source = (
        f"def make({', '.join(names)}):\n    obj = _new(_twin)\n"
        + "".join(f"    obj.{name} = {name}\n" for name in names)
        + "    obj.__class__ = _cls\n    return obj\n"
    )
    namespace: dict[str, Any] = {"_new": object.__new__, "_twin": twin, "_cls": cls}
    exec(source, namespace)  # as dataclasses builds __init__
    make = namespace["make"]
    make.__qualname__ = f"{cls.__name__}.positional"
    return make
