"""Pieces every Markdown page shares: the checks table, the identity line, a problem's call
links and a transcript excerpt.

Each piece returns its lines joined by newlines, without a blank line at either end; the page
that uses it puts the blank lines around it. Text from the API passes through escape.py
(md_cell, md_link_url) before it reaches a page.
"""

from __future__ import annotations

from collections.abc import Sequence

from gate.judge.verdict import Verdict
from gate.publish.findings import why
from gate.publish.findings.causes import Call
from gate.publish.findings.rows import Row, Standing
from gate.publish.pages.report_context import ReportContext
from gate.publish.words.escape import md_cell, md_link_url
from gate.result.excerpt import Turn
from gate.result.model import Result


def checks_table(rows: Sequence[Row], *, notes: bool = True) -> str:
    """The checks table; the Baseline column only when a row has a baseline to show."""
    compared = any(r.baseline for r in rows)
    if compared:
        lines = ["| | Check | This result | Baseline | Limit |", "|:-:|---|--:|--:|---|"]
    else:
        lines = ["| | Check | This result | Limit |", "|:-:|---|--:|---|"]
    for r in rows:
        title = md_cell(r.title)
        if notes and r.note and r.standing is not Standing.NOT_REACHED:
            title += f"<br><sub>{md_cell(r.note, 200)}</sub>"
        baseline = f" {r.baseline or '—'} |" if compared else ""
        lines.append(f"| {r.icon} | {title} | {r.value} |{baseline} {r.limit} |")
    return "\n".join(lines)


def identity(result: Result | None, verdict: Verdict, ctx: ReportContext) -> str:
    """'**Result name** vs baseline **…** · 12 calls · policy: gate.yml', and a line when the
    baseline was looked for and not found."""
    if result:
        line = f"**{_linked(_title(result.name, result.id), result.url)}**"
    else:
        line = f"**Result {md_cell(ctx.result_id, 40) or 'unknown'}**"
    baseline = verdict.baseline
    if baseline and baseline.found:
        line += f" vs baseline **{_linked(_title(baseline.name, baseline.id), baseline.url)}**"
        if baseline.created_at:
            line += f" ({md_cell(baseline.created_at[:10], 12)})"
    if result and result.status and result.status != "completed":
        line += f" · status `{md_cell(result.status, 40)}`"
    if result:
        line += f" · {why.calls(result.total_runs)}"
    source = md_cell(ctx.policy_source, 200)
    if ctx.policy_url:
        source = f"[`{source.replace(chr(92), '')}`]({md_link_url(ctx.policy_url)})"
    line += f" · policy: {source}"
    if baseline and not baseline.found:
        line += (
            f"\n\nBaseline **not found** ({md_cell(baseline.how, 300)}): "
            f"{md_cell(baseline.reason, 500)}"
        )
    return line.strip()


def _title(name: str, id_: object) -> str:
    return md_cell(name, 200) if name else f"Result {md_cell(id_, 40)}"


def _linked(title: str, url: str) -> str:
    return f"[{title}]({md_link_url(url)})" if url else title


def calls_of(calls: Sequence[Call], *, inline: int, limit: int) -> str:
    """A few calls on the line; more than that behind a fold, so a big group stays one screen."""
    if len(calls) <= inline:
        return f"Calls: {call_links(calls, inline)}".strip()
    return (
        f"Calls: {call_links(calls[:inline], inline)} · …\n\n"
        f"<details><summary>All {len(calls):,} calls of this problem</summary>\n\n"
        f"{call_links(calls, limit)}\n\n</details>"
    )


def call_links(calls: Sequence[Call], limit: int) -> str:
    """'[run 7](…) ([▶ audio](…)) · 8 · _and 3 more in the JSON report_'."""
    links = []
    for call in calls[:limit]:
        run_link = md_link_url(call.run_url)
        recording = md_link_url(call.recording_url)
        name = md_cell(call.id, 40)
        link = f"[{name}]({run_link})" if run_link else name
        links.append(link + (f" ([▶ audio]({recording}))" if recording else ""))
    text = " · ".join(links)
    if len(calls) > limit:
        text += f" · _and {len(calls) - limit:,} more in the JSON report_"
    return text.strip()


def excerpt(turns: Sequence[Turn]) -> str:
    """A transcript excerpt as a quote, '…' where turns were left out, the turns Cekura's
    explanation names pointed at."""
    lines = []
    for place, turn in enumerate(turns):
        if place and turn.index > turns[place - 1].index + 1:
            lines.append("> …<br>")
        pointer = "👉 " if turn.named else ""
        time = f" {md_cell(turn.time, 12)}" if turn.time else ""
        end = "<br>" if place < len(turns) - 1 else ""
        lines.append(
            f"> {pointer}**{md_cell(turn.role, 40) or '?'}**{time} · "
            f"{md_cell(turn.content, 400)}{end}"
        )
    return "\n".join(lines).strip()
