"""A Mermaid bar chart of the success rate by scenario, with the baseline as a line.

Left out when it would say nothing: fewer than two scenarios, or every call of every
scenario succeeded (and did in the baseline).

GitHub draws Mermaid blocks in job summaries and comments; `xychart-beta` is the keyword
its Mermaid knows; the bars lie horizontally so that scenario names have room. At most
`MAX_BARS` scenarios, the worst first (verdict.scenarios is in that order), so the chart
stays readable and a few hundred bytes long whatever the result.
"""

from __future__ import annotations

import json
import re

from gate.judge.verdict import ScenarioRow, Verdict

MAX_BARS = 12
LABEL_LIMIT = 24
#: pixels: horizontal bars leave the scenario names room on the left, one bar per line
WIDTH = 720
BAR_HEIGHT = 34
FRAME_HEIGHT = 90
#: the bars in GitHub's blue, the baseline's line in its orange: Mermaid's default palette
#: draws the bars so pale that a short one is hard to see
PALETTE = "#0969da, #bc4c00"
_UNSAFE = re.compile(r"[^\w .,&+/()'-]+")


def success_by_scenario(verdict: Verdict) -> str:
    """The Mermaid block (fenced), or "" when there is nothing worth drawing."""
    scenarios = [row for row in verdict.scenarios if row.runs]
    if len(scenarios) < 2 or all(_perfect(row) for row in scenarios):
        return ""
    shown = scenarios[:MAX_BARS]
    with_baseline = any(row.baseline_rate is not None for row in shown)
    title = "Success rate by scenario"
    if len(scenarios) > len(shown):
        title += f", the {len(shown)} worst of {len(scenarios)}"
    title += ": this result (bars) vs baseline (line)" if with_baseline else ""
    init = {
        "xyChart": {"width": WIDTH, "height": FRAME_HEIGHT + BAR_HEIGHT * len(shown)},
        "themeVariables": {"xyChart": {"plotColorPalette": PALETTE}},
    }
    lines = [
        "```mermaid",
        f"%%{{init: {json.dumps(init)}}}%%",
        "xychart-beta horizontal",
        f'  title "{title}"',
        "  x-axis [" + ", ".join(f'"{label}"' for label in _labels(shown)) + "]",
        '  y-axis "% of calls" 0 --> 100',
        "  bar [" + ", ".join(_rate(row.rate) for row in shown) + "]",
    ]
    if with_baseline:
        # A scenario new since the baseline has no rate there: drawn at its own rate.
        baseline = [row.rate if row.baseline_rate is None else row.baseline_rate for row in shown]
        lines.append("  line [" + ", ".join(_rate(rate) for rate in baseline) + "]")
    lines.append("```")
    return "\n".join(lines)


def _perfect(row: ScenarioRow) -> bool:
    """Every call succeeded, as in the baseline: a bar that says nothing."""
    return row.passed == row.runs and row.baseline_rate in (None, 100.0)


def _rate(rate: float) -> str:
    return f"{round(rate):d}"


def _labels(rows: list[ScenarioRow]) -> list[str]:
    """One label per bar, never two alike (Mermaid would draw them on one band)."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        label = _label(row)
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _label(row: ScenarioRow) -> str:
    """A scenario's name made safe inside a quoted Mermaid label, and short."""
    name = " ".join(_UNSAFE.sub(" ", row.name).split()) or f"Scenario {row.scenario_id or '?'}"
    if len(name) > LABEL_LIMIT:
        name = name[: LABEL_LIMIT - 1].rstrip() + "…"
    return name
