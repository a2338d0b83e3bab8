"""The job summary's block on repeated scenarios and the quarantine list. Quarantine is never
silent: every entry of the config is listed, matched or not."""

from __future__ import annotations

from gate.judge.verdict import QuarantineState, Stability, Verdict
from gate.publish.words.escape import md_cell, md_text
from gate.publish.words.wording import STABILITY

FLAKY_NAMED = 10  # flaky scenarios named on the line; the rest are counted


def repeats(verdict: Verdict) -> list[str]:
    """The blocks (each without blank lines of its own), or none."""
    blocks = []
    repeated = [s for s in verdict.scenarios if s.stability]
    if repeated:
        labels = sorted({s.stability for s in repeated})
        counts = ", ".join(
            f"{sum(1 for s in repeated if s.stability is label)} {STABILITY[label]}"
            for label in labels
        )
        flaky = [s for s in repeated if s.stability is Stability.FLAKY]
        named = ", ".join(
            f"{md_text(s.name, 120)} ({s.passed}/{s.agent_runs})" for s in flaky[:FLAKY_NAMED]
        )
        line = f"**Repeated scenarios:** {counts}."
        if flaky:
            more = f" and {len(flaky) - FLAKY_NAMED} more" if len(flaky) > FLAKY_NAMED else ""
            line += f" Flaky: {named}{more}."
        blocks.append(line)
    if verdict.quarantine:
        blocks.append(f"### Quarantined scenarios ({len(verdict.quarantine)})")
        table = ["| Scenario | Reason | Until (UTC) | State |", "|---|---|---|---|"]
        table += [_quarantine_row(entry) for entry in verdict.quarantine]
        blocks.append("\n".join(table))
        blocks.append(
            "Quarantine excuses a scenario's own checks; its runs still count in the overall "
            "success rate."
        )
    return blocks


def _quarantine_row(entry: QuarantineState) -> str:
    label = md_cell(entry.label)
    matched = ", ".join(entry.scenarios)
    if entry.scenarios and matched != entry.label:
        label += f" ({md_cell(matched, 200)})"
    if not entry.scenarios:
        state = "⚠️ matched no scenario of the result"
    elif entry.active:
        state = "🧊 reported, does not gate"
    else:
        state = "⚠️ expired: gates again"
    return f"| {label} | {md_cell(entry.reason)} | {entry.until} | {state} |"
