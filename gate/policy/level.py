"""A check's level: whether a miss fails the gate (error) or is only reported (warn).

Its own module, so that reading a config (gate.policy.config) does not build the verdict's classes.
gate.judge.verdict re-exports it.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARN = "warn"
