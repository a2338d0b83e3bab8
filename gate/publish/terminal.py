"""Verdict + Result -> the report a person reads in a terminal: aligned plain-text tables.

What `check` and `demo` print to a terminal (and with `--format text`): the result in one line,
the blocking checks as a table, the warnings, the other checks in one line, the failing runs
grouped by cause, and the verdict on the last line, where the eye lands when the command ends.
No Markdown, no HTML. Colour is optional (`colour=True`: ANSI escapes), never the only carrier
of meaning: every row also says ✗, ! or ✓ in words a monochrome terminal shows.

Text from the API is untrusted: `plain` removes control characters (an escape sequence in a
scenario name could rewrite the screen) before it reaches the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from gate.judge.verdict import Check, Outcome, Verdict, VerdictKind
from gate.publish import causes, display, wording
from gate.publish.fmt import number
from gate.publish.times import utc
from gate.result.failure import FailureKind
from gate.result.model import Result

CELL_LIMIT = 60  # characters of a table cell
COLUMNS = 100  # the terminal's width when it is not known
REASON_LIMIT = 100  # characters of a failing run's reason
GROUP_ROWS = 8  # groups of failing runs shown per cause; the rest are counted
SHOWN_RUN_IDS = 3  # run ids named per group; the rest are "…"

_TAG = re.compile(r"<[^>]*>")  # HTML the API's text may carry: a terminal shows no HTML
# C0/C1 control characters (ESC among them) and bidirectional overrides.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_RESET = "\x1b[0m"
_STYLES = {
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "bold red": "\x1b[1;31m",
    "bold green": "\x1b[1;32m",
    "bold yellow": "\x1b[1;33m",
}


#: one screen: the rows each table shows before it counts the rest
TABLE_ROWS = 15
WARNING_ROWS = 3


def plain(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text for one line of a terminal: no control characters, at most `limit`."""
    text = " ".join(_CONTROL.sub(" ", _TAG.sub("", str(value or ""))).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two, combining none."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


@dataclass(frozen=True, slots=True)
class _Paint:
    """ANSI colour, or nothing."""

    on: bool

    def __call__(self, text: str, style: str) -> str:
        if not self.on or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


@dataclass(frozen=True, slots=True)
class RunGroup:
    """Failing runs that failed the same way: the agent's by scenario and cause, the
    infrastructure's by cause alone (a SIP 503 is the same outage in every scenario)."""

    kind: FailureKind
    scenarios: tuple[str, ...]  # in the order first seen
    cause: str  # "Expected outcome not met", "Workflow Adherence failed", the error message
    example: str  # the first run's full reason, explanation included
    run_ids: tuple[str, ...]


def group_failing_runs(result: Result, verdict: Verdict | None = None) -> list[RunGroup]:
    """The failing runs grouped by cause: the same groups, in the same order, as the job
    summary's "What went wrong" (gate/publish/causes.py), agent problems first."""
    return [
        RunGroup(
            kind=cause.kind,
            scenarios=cause.scenarios,
            cause=cause.failed,
            example=_example(cause),
            run_ids=tuple(call.id for call in cause.calls),
        )
        for cause in causes.group(result, verdict)
    ]


def _example(cause: causes.Cause) -> str:
    """'Expected outcome 0/100: the agent…', 'Workflow Adherence failed: …', the error."""
    if cause.failed == causes.EXPECTED_OUTCOME:
        score = f" {number(cause.score)}/100" if cause.score is not None else ""
        head = f"Expected outcome{score}"
    elif cause.failed in (causes.NOT_SUCCESSFUL, causes.NEVER_CONNECTED):
        head = cause.failed.capitalize()
    else:
        head = f"{cause.failed} failed"
    return f"{head}: {cause.explanation}" if cause.explanation else head


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
    obtained ("Decided early: ..."), a line each under the heading."""
    paint = _Paint(colour)
    lines: list[str] = [_heading(result, result_id, paint)]
    if result is not None and result.url:
        lines.append(paint(plain(result.url, 200), "dim"))
    lines.append(f"Policy: {plain(policy_source, 200)}")
    if verdict.baseline is not None:
        lines.append(f"Baseline: {_baseline(verdict)}")
    lines += [f"Note: {plain(note, 300)}" for note in notes]

    if verdict.kind is VerdictKind.ERROR:
        title = "What stopped the gate" if _stopped(verdict) else "What happened"
        lines += ["", paint(f"{title} ({plain(verdict.error_kind or 'error', 40)}):", "bold")]
        lines += [f"  {plain(line, 500)}" for line in verdict.reason.splitlines() if line.strip()]
    blocking = verdict.failed_checks
    if blocking:
        lines += ["", paint(f"Blocking checks ({len(blocking)})", "bold")]
        lines += _check_table(blocking[:TABLE_ROWS], "✗", "red", paint)
        lines += _more(len(blocking), "blocking checks")
    warnings = [c for c in verdict.warnings if c.outcome is not Outcome.INCONCLUSIVE]
    if warnings:
        lines += ["", paint(f"Warnings ({len(warnings)}, do not fail the gate)", "bold")]
        lines += _check_table(warnings[:WARNING_ROWS], "!", "yellow", paint)
        lines += _more(len(warnings), "warnings", shown=WARNING_ROWS)
    rest = _others(verdict, shown=(*blocking, *warnings))
    if rest:
        lines += ["", rest]
    if result is not None and result.failing_runs:
        lines += ["", *_failing_runs(result, verdict, paint, max(columns, 60))]
    lines += ["", _verdict_line(verdict, paint)]
    return "\n".join(lines) + "\n"


def _heading(result: Result | None, result_id: str, paint: _Paint) -> str:
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
    return verdict.error_kind in wording.STOPPED_KINDS


def _check_table(checks: Sequence[Check], mark: str, style: str, paint: _Paint) -> list[str]:
    """One aligned row per check; the baseline's columns only when a row has them; the reason
    on the line below, indented."""
    compared = any(display.compared(c) for c in checks)
    header = ["CHECK", "VALUE", "LIMIT"] + (["BASELINE", "CHANGE"] if compared else [])
    rows = []
    for check in checks:
        row = [
            plain(check.title),
            plain(wording.actual(check)),
            plain(wording.threshold(check), 40),
        ]
        if compared:
            row += [plain(display.was(check), 20), plain(display.delta(check), 20)]
        rows.append(row)
    widths = [max(width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    out = [paint("    " + _join(header, widths), "dim")]
    for check, row in zip(checks, rows, strict=True):
        out.append(f"  {paint(mark, style)} {_join(row, widths)}")
        why = wording.detail(check)
        if why:
            out.append(paint(f"      {plain(why, 200)}", "dim"))
    return out


def _join(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [cell + " " * (size - width(cell)) for cell, size in zip(cells, widths, strict=True)]
    return "   ".join(padded).rstrip()


def _more(total: int, what: str, shown: int = 0) -> list[str]:
    """'  … and 7 more warnings (--format json lists every check)' past a table's rows."""
    hidden = total - (shown or TABLE_ROWS)
    return [f"  … and {hidden} more {what} (--format json lists every check)"] if hidden > 0 else []


def _others(verdict: Verdict, *, shown: Sequence[Check]) -> str:
    """The checks not in a table, in one line: how many held, which were inconclusive."""
    names = {c.name for c in shown}
    held = [c for c in verdict.checks if c.held and c.name not in names]
    unsure = [
        c for c in verdict.checks if c.outcome is Outcome.INCONCLUSIVE and c.name not in names
    ]
    parts = []
    if held:
        parts.append(f"✓ {len(held)} held ({', '.join(plain(c.title, 40) for c in held)})")
    if unsure:
        words = ", ".join(f"{plain(c.title, 40)} {plain(wording.actual(c), 80)}" for c in unsure)
        parts.append(f"? {len(unsure)} inconclusive, too few runs to tell: {words}")
    label = "Other checks" if shown else "Checks"
    return f"{label}: " + "; ".join(parts) if parts else ""


def _failing_runs(result: Result, verdict: Verdict, paint: _Paint, columns: int) -> list[str]:
    failing = len(result.failing_runs)
    groups = group_failing_runs(result, verdict)
    lines = [
        paint(
            f"Failing runs ({failing} of {result.total_runs}, {len(groups)} "
            f"cause{'' if len(groups) == 1 else 's'})",
            "bold",
        )
    ]
    titles = {
        FailureKind.AGENT: "Agent",
        FailureKind.INFRASTRUCTURE: "Infrastructure (the call failed: not the agent's fault)",
    }
    for kind in (FailureKind.AGENT, FailureKind.INFRASTRUCTURE):
        mine = [g for g in groups if g.kind is kind]
        if not mine:
            continue
        runs = sum(len(g.run_ids) for g in mine)
        lines.append(f"  {titles[kind]}: {runs} run{'' if runs == 1 else 's'}")
        rows = [[_where(g), _ids(g.run_ids)] for g in mine[:GROUP_ROWS]]
        widths = [max(width(r[i]) for r in rows) for i in range(2)]
        # the reason takes what is left of the line, and at least 30 columns
        room = max(30, columns - 4 - sum(widths) - 6)
        for row, group in zip(rows, mine, strict=False):
            reason = plain(group.example, min(room, REASON_LIMIT))
            lines.append(f"    {_join([*row, reason], [*widths, 0])}")
        if len(mine) > GROUP_ROWS:
            hidden = mine[GROUP_ROWS:]
            more = sum(len(g.run_ids) for g in hidden)
            lines.append(f"    … {len(hidden)} more causes ({more} runs)")
    return lines


def _where(group: RunGroup) -> str:
    if len(group.scenarios) == 1:
        return plain(group.scenarios[0], 40)
    return f"{len(group.scenarios)} scenarios"


def _ids(run_ids: Sequence[str]) -> str:
    shown = ", ".join(f"#{plain(i, 20)}" for i in run_ids[:SHOWN_RUN_IDS])
    more = ", …" if len(run_ids) > SHOWN_RUN_IDS else ""
    count = len(run_ids)
    return f"{count} run{'' if count == 1 else 's'} ({shown}{more})"


def _verdict_line(verdict: Verdict, paint: _Paint) -> str:
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
    kind = plain(verdict.error_kind or "error", 40)
    if _stopped(verdict):
        return paint(f"! STOPPED · {kind}: nothing was evaluated", "bold yellow")
    return paint(f"! COULD NOT EVALUATE · {kind}: no verdict on the agent", "bold yellow")
