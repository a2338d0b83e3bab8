"""Every note reading a result can leave has its exact sentence (gate/publish/words/notes.py)."""

from __future__ import annotations

import pytest

from gate.publish.words.notes import NOTES, note_text
from gate.result.notes import Note, Noted
from gate.result.parsing import parse
from tests.payloads import raw_result, raw_run

SENTENCES = [
    (
        Note(Noted.DUPLICATE_RUNS, count=1, ids=("7",)),
        "1 duplicate run dropped (run ids listed more than once: 7); each run counts once",
    ),
    (  # exactly as many ids as are shown: no ellipsis
        Note(Noted.DUPLICATE_RUNS, count=10, ids=tuple(str(i) for i in range(10))),
        "10 duplicate runs dropped (run ids listed more than once: 0, 1, 2, 3, 4, 5, 6, 7, 8, "
        "9); each run counts once",
    ),
    (
        Note(Noted.DUPLICATE_RUNS, count=24, ids=tuple(str(i) for i in range(11))),
        "24 duplicate runs dropped (run ids listed more than once: 0, 1, 2, 3, 4, 5, 6, 7, 8, "
        "9 …); each run counts once",
    ),
    (
        Note(Noted.RUNS_UNREADABLE, type_name="str"),
        "runs is a str, not a list or an object: no run read",
    ),
    (
        Note(Noted.RUNS_NOT_LISTED, count=2, total=5),
        "the result counts 5 runs but lists 2: the 3 not listed count as not succeeded",
    ),
    (
        Note(Noted.SUCCESSES_OVER_TOTAL, count=150, total=100),
        "success_runs_count 150 is more than total_runs_count 100",
    ),
    (
        Note(Noted.RATE_AS_FRACTION, rate=0.75),
        "success_rate 0.75 read as a 0-1 fraction (counts agree)",
    ),
]


@pytest.mark.parametrize(("note", "sentence"), SENTENCES, ids=lambda v: getattr(v, "what", ""))
def test_each_note_has_its_sentence(note, sentence):
    assert note_text(note) == sentence


def test_every_code_is_worded_and_covered():
    assert set(NOTES) == set(Noted)
    assert {note.what for note, _ in SENTENCES} == set(Noted)


def test_a_parsed_note_reads_as_before():
    parsed = parse(raw_result([raw_run(i) for i in range(12)] * 2))
    assert [note_text(n) for n in parsed.notes] == [
        "12 duplicate runs dropped (run ids listed more than once: 0, 1, 2, 3, 4, 5, 6, 7, 8, "
        "9 …); each run counts once"
    ]


def test_notes_that_move_the_rate_are_shown_under_the_identity_line_not_in_the_footer():
    from gate.judge.evaluate import evaluate
    from gate.policy import config
    from gate.publish.pages import markdown

    parsed = parse(raw_result({}, total_runs_count=5, success_runs_count=5))
    policy = config.parse("version: 1\nthresholds: {success_rate: {min: 90}}\n", name="t.yml")
    verdict = evaluate(parsed, policy)
    said = "> ℹ️ the result counts 5 runs but lists 0: the 5 not listed count as not succeeded"
    summary = markdown.render(verdict, parsed)
    assert said in summary
    assert summary.index(said) < summary.index("| Success rate |")
    assert "not listed" not in summary.split("<sub>")[-1]  # the footer
    assert said in markdown.comment_body(verdict, parsed)


def test_the_terminal_report_says_the_notes_under_its_heading():
    from gate.judge.evaluate import evaluate
    from gate.policy import config
    from gate.publish.console.terminal import render_text

    parsed = parse(raw_result({}, total_runs_count=5, success_runs_count=5))
    policy = config.parse("version: 1\nthresholds: {success_rate: {min: 90}}\n", name="t.yml")
    lines = render_text(evaluate(parsed, policy), parsed, notes=("Decided early: ...",))
    notes = [line for line in lines.splitlines() if line.startswith("Note: ")]
    assert notes == [
        "Note: Decided early: ...",
        "Note: the result counts 5 runs but lists 0: the 5 not listed count as not succeeded",
    ]
    assert "5 run(s) did not succeed, counted by the result but not listed" in lines
