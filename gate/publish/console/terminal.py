"""Verdict + Result -> the report a person reads in a terminal: aligned plain-text tables.

What `check` and `demo` print to a terminal (and with `--format text`): the result in one line,
the blocking checks as a table, the warnings, the other checks in one line, the failing runs
grouped by cause, and the verdict on the last line, where the eye lands when the command ends.
No Markdown, no HTML. Colour is optional (`colour=True`: ANSI escapes), never the only carrier
of meaning: every row also says ✗, ! or ✓ in words a monochrome terminal shows.

This module lays the report out; the tables of checks are made in terminal_checks.py, the
failing runs in terminal_runs.py. Text from the API is untrusted: `plain` (terminal_text.py)
removes control characters (an escape sequence in a scenario name could rewrite the screen)
before it reaches the terminal.
"""

from __future__ import annotations

from gate.judge.verdict import Outcome, Verdict, VerdictKind
from gate.publish.console.terminal_checks import TABLE_ROWS, WARNING_ROWS, check_table, more, others
from gate.publish.console.terminal_runs import failing_runs
from gate.publish.console.terminal_text import Paint, plain
from gate.publish.words import wording
from gate.publish.words.notes import note_text
from gate.publish.words.times import utc
from gate.result.model import Result

COLUMNS = 100  # the terminal's width when it is not known


def render_text(
    verdict: Verdict,
    result: Result | None,
    *,
    policy_source: str = "default policy",
    result_id: str = "",
    colour: bool = False,
    columns: int = COLUMNS,
    notes: tuple[str, ...] = (),
) -> str:
    """The terminal report, ending with a newline; the verdict is its last line. Rows of
    failing runs are cut to `columns`, the terminal's width. `notes`: how the result was
    obtained ("Decided early: ..."), a line each under the heading, before what reading the
    result had to decide (runs counted but not listed...)."""
    paint = Paint(colour)
    lines: list[str] = [_heading(result, result_id, paint)]
    if result is not None and result.url:
        lines.append(paint(plain(result.url, 200), "dim"))
    lines.append(f"Policy: {plain(policy_source, 200)}")
    if verdict.baseline is not None:
        lines.append(f"Baseline: {_baseline(verdict)}")
    read = tuple(map(note_text, result.notes)) if result is not None else ()
    lines += [f"Note: {plain(note, 300)}" for note in (*notes, *read)]

    if verdict.kind is VerdictKind.ERROR:
        title = "What stopped the gate" if _stopped(verdict) else "What happened"
        lines += [
            "",
            paint(f"{title} ({plain(wording.error_kind(verdict) or 'error', 40)}):", "bold"),
        ]
        reason = wording.verdict_reason(verdict)
        lines += [f"  {plain(line, 500)}" for line in reason.splitlines() if line.strip()]
    blocking = verdict.failed_checks
    if blocking:
        lines += ["", paint(f"Blocking checks ({len(blocking)})", "bold")]
        lines += check_table(blocking[:TABLE_ROWS], "✗", "red", paint)
        lines += more(len(blocking), "blocking checks")
    warnings = [c for c in verdict.warnings if c.outcome is not Outcome.INCONCLUSIVE]
    if warnings:
        lines += ["", paint(f"Warnings ({len(warnings)}, do not fail the gate)", "bold")]
        lines += check_table(warnings[:WARNING_ROWS], "!", "yellow", paint)
        lines += more(len(warnings), "warnings", shown=WARNING_ROWS)
    rest = others(verdict, shown=(*blocking, *warnings))
    if rest:
        lines += ["", rest]
    if result is not None and result.failing_runs:
        lines += ["", *failing_runs(result, verdict, paint, max(columns, 60))]
    lines += ["", _verdict_line(verdict, paint)]
    return "\n".join(lines) + "\n"


def _heading(result: Result | None, result_id: str, paint: Paint) -> str:
    parts = [paint("Cekura gate", "bold")]
    if result is not None:
        name = f' "{plain(result.name, 60)}"' if result.name else ""
        parts.append(f"result {plain(result.id or result_id, 40)}{name}")
        if result.status:
            parts.append(plain(result.status, 30))
        runs = result.total_runs
        parts.append(f"{runs} run{'' if runs == 1 else 's'}")
    elif result_id:
        parts.append(f"result {plain(result_id, 40)}")
    return " · ".join(parts)


def _baseline(verdict: Verdict) -> str:
    ref = verdict.baseline
    assert ref is not None
    if not ref.found:
        return f"not found ({plain(ref.reason or ref.how, 160)})"
    named = f' "{plain(ref.name, 60)}"' if ref.name else ""
    when = utc(ref.created_at)
    return f"result {plain(ref.id, 40)}{named}" + (f", created {when}" if when else "")


def _stopped(verdict: Verdict) -> bool:
    return wording.error_kind(verdict) in wording.STOPPED_KINDS


def _verdict_line(verdict: Verdict, paint: Paint) -> str:
    if verdict.kind is VerdictKind.PASS:
        held = sum(1 for c in verdict.checks if c.held)
        text = f"✓ PASSED · {held} of {len(verdict.checks)} checks held"
        warned = len(verdict.warnings)
        if warned:
            text += (
                "; 1 warning, which does not block"
                if warned == 1
                else (f"; {warned} warnings, which do not block")
            )
        return paint(text, "bold green")
    if verdict.kind is VerdictKind.FAIL:
        failed = verdict.failed_checks
        names = ", ".join(plain(c.title, 40) for c in failed)
        word = "check" if len(failed) == 1 else "checks"
        return paint(f"✗ FAILED · {len(failed)} blocking {word}: {names}", "bold red")
    kind = plain(wording.error_kind(verdict) or "error", 40)
    if _stopped(verdict):
        return paint(f"! STOPPED · {kind}: nothing was evaluated", "bold yellow")
    return paint(f"! COULD NOT EVALUATE · {kind}: no verdict on the agent", "bold yellow")
