"""The JSON objects gate.result.typed decodes (a run, its evaluation, a metric), as the
parsers recognise them without importing msgspec."""

from __future__ import annotations

from typing import Any


class TypedObject:
    """A JSON object decoded by gate.result.typed (a run, its evaluation, a metric): its
    fields are read with get(), which decodes what it keeps undecoded, or as attributes."""

    __slots__ = ()

    def get(self, name: str, default: Any = None) -> Any:
        raise NotImplementedError
