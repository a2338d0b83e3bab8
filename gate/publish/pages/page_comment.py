"""The pull-request comment below its first screen (page_top.py): the top problems, a link to
the job summary, and who wrote it when. Short: it fits one screen."""

from __future__ import annotations

from collections.abc import Sequence

from gate.publish.findings.causes import Cause
from gate.publish.findings.why import failed_what, of_calls
from gate.publish.words.escape import md_cell, md_link_url


def rest(*, causes: Sequence[Cause], causes_total: int, summary_url: str, footer: str) -> str:
    """Everything after the first screen, starting with the blank line that separates them."""
    blocks = []
    if causes:
        shown = f" ({len(causes)} of {causes_total})" if causes_total > len(causes) else ""
        blocks.append(f"**Top problems**{shown}\n{_problems(causes)}")
    if summary_url:
        blocks.append(f"**[Full report: the job summary of this run]({md_link_url(summary_url)})**")
    else:
        blocks.append("The full report is in this run's job summary.")
    blocks.append(footer)
    return "\n" + "\n\n".join(blocks) + "\n"


def _problems(causes: Sequence[Cause]) -> str:
    """A numbered list, one line per problem."""
    lines = []
    for number, cause in enumerate(causes, 1):
        if cause.agent:
            said = f": {md_cell(cause.explanation, 240)}" if cause.explanation else ""
            lines.append(
                f"{number}. **{md_cell(cause.scenario, 60)} · {of_calls(cause)}** · "
                f"{md_cell(failed_what(cause), 120)}{said}"
            )
        else:
            lines.append(
                f"{number}. **Infrastructure, not the agent · {of_calls(cause)}** · "
                f"{md_cell(cause.explanation, 200)}"
            )
    return "\n".join(lines)
