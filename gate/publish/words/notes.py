"""The sentence for each thing reading the result decided (gate/result/notes.py), as the
summary's footer and the JSON report's `notes` give it."""

from __future__ import annotations

from collections.abc import Callable

from gate.result.notes import Note, Noted

#: duplicated run ids a note names; the rest are "…"
SHOWN_IDS = 10


def note_text(note: Note) -> str:
    return NOTES[note.what](note)


def _duplicates(note: Note) -> str:
    ids = ", ".join(note.ids[:SHOWN_IDS]) + (" …" if len(note.ids) > SHOWN_IDS else "")
    many = note.count != 1
    return (
        f"{note.count} duplicate run{'s' if many else ''} dropped (run ids listed more than "
        f"once: {ids}); each run counts once"
    )


NOTES: dict[Noted, Callable[[Note], str]] = {
    Noted.DUPLICATE_RUNS: _duplicates,
    Noted.RUNS_UNREADABLE: lambda n: (
        f"runs is a {n.type_name}, not a list or an object: no run read"
    ),
    Noted.RUNS_NOT_LISTED: lambda n: (
        f"the result counts {n.total} runs but lists {n.count}: the {n.total - n.count} not "
        "listed count as not succeeded"
    ),
    Noted.SUCCESSES_OVER_TOTAL: lambda n: (
        f"success_runs_count {n.count} is more than total_runs_count {n.total}"
    ),
    Noted.RATE_AS_FRACTION: lambda n: (
        f"success_rate {n.rate:g} read as a 0-1 fraction (counts agree)"
    ),
}
