"""What reading a result had to decide for itself (`Result.notes`), as codes with the numbers
their sentences quote; gate/publish/words/notes.py words them for the reports."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Noted(StrEnum):
    #: runs listed more than once were counted once: `count` copies dropped, `ids` the
    #: distinct run ids, in the result's order
    DUPLICATE_RUNS = "duplicate_runs"
    #: `runs` was neither a list nor an object (`type_name`): no run was read
    RUNS_UNREADABLE = "runs_unreadable"
    #: the result counts `total` runs but lists `count`: the rest count as not succeeded
    RUNS_NOT_LISTED = "runs_not_listed"
    #: success_runs_count (`count`) is more than total_runs_count (`total`)
    SUCCESSES_OVER_TOTAL = "successes_over_total"
    #: success_rate (`rate`) was read as a 0-1 fraction, since the counts agree
    RATE_AS_FRACTION = "rate_as_fraction"


class Note(msgspec.Struct, frozen=True, gc=False):
    """One thing reading the result decided; the fields its code uses are set."""

    what: Noted
    count: int = 0
    total: int = 0
    rate: float = 0.0
    ids: tuple[str, ...] = ()
    type_name: str = ""
