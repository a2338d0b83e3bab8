"""What the pull-request comment says around the report: which run it is, and what changed.

The report itself (verdict, why, blocking checks) comes from `gate.publish.pages.markdown`; this
module adds, around it:

- a hidden state line that remembers the verdict and the blocking checks of the run that wrote
  the comment, so the next run can say what changed;
- when a run passes where the comment showed a failure: "✅ Passing now", naming this commit and
  run, the failing run it replaces, and each blocking check that holds now (a red comment is
  never left behind on a pull request that passes);
- a footer naming the commit, the run and when the comment was updated (UTC, whole seconds).

The state line is read back from a comment the gate's own token wrote
(gate/publish/actions/comment.py checks the author), but it is still read as untrusted text:
anything unreadable is no state.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gate.judge.verdict import Verdict, VerdictKind
from gate.publish.words import wording
from gate.publish.words.escape import md_cell, md_link_url

_STATE_START = "<!-- cekura-gate-state "
_STATE_END = " -->"
_STATE_VERSION = 1
_SHA = re.compile(r"^[0-9a-fA-F]{7,64}$")
_RUN_NUMBER = re.compile(r"^[0-9]{1,20}$")
#: what run_info writes, and all a state line may bring back
_RUN_LABEL = re.compile(r"^run #?[0-9]{1,20}(, attempt [0-9]{1,20})?$")
#: blocking checks remembered in the state line, and named in a passing update
MAX_REMEMBERED = 20


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The workflow run that writes the comment (all optional: outside Actions, none known)."""

    commit: str = ""  # the pull request's head commit, else GITHUB_SHA
    commit_url: str = ""
    run_label: str = ""  # "run #42" / "run #42, attempt 2"
    run_url: str = ""


@dataclass(frozen=True, slots=True)
class State:
    """What one run wrote on the comment, as the next run reads it back."""

    verdict: str  # pass, fail or error
    commit: str = ""
    run_label: str = ""
    run_url: str = ""
    #: (name, title) of each blocking check, at most MAX_REMEMBERED
    blocking: tuple[tuple[str, str], ...] = ()
    error_kind: str = ""
    #: on a passing comment: the failing run it replaced (kept through later passes)
    replaced: State | None = field(default=None)


def run_info(
    *, server_url: str, repository: str, sha: str, run_id: str, run_number: str, run_attempt: str
) -> RunInfo:
    """The commit and run as links; a value that is not what GitHub sends is left out."""
    commit = sha.strip() if _SHA.match(sha.strip()) else ""
    base = f"{server_url.rstrip('/')}/{repository}" if server_url and repository else ""
    run = run_id.strip() if _RUN_NUMBER.match(run_id.strip()) else ""
    number = run_number.strip() if _RUN_NUMBER.match(run_number.strip()) else ""
    attempt = run_attempt.strip() if _RUN_NUMBER.match(run_attempt.strip()) else ""
    label = f"run #{number}" if number else (f"run {run}" if run else "")
    if label and attempt and attempt != "1":
        label += f", attempt {attempt}"
    run_url = ""
    if base and run:
        run_url = f"{base}/actions/runs/{run}"
        if attempt and attempt != "1":
            run_url += f"/attempts/{attempt}"
    return RunInfo(
        commit=commit,
        commit_url=f"{base}/commit/{commit}" if base and commit else "",
        run_label=label,
        run_url=run_url,
    )


def state_of(verdict: Verdict, run: RunInfo, previous: State | None) -> State:
    blocking = tuple((c.name, c.title) for c in verdict.failed_checks[:MAX_REMEMBERED])
    replaced = None
    if verdict.kind is VerdictKind.PASS and previous is not None:
        # the failure this pass fixed: the previous run's, or the one it had already replaced
        replaced = previous if previous.verdict != VerdictKind.PASS else previous.replaced
    return State(
        verdict=verdict.kind.value,
        commit=run.commit,
        run_label=run.run_label,
        run_url=run.run_url,
        blocking=blocking,
        error_kind=wording.error_kind(verdict) if verdict.kind is VerdictKind.ERROR else "",
        replaced=replaced,
    )


def compose(
    report: str,
    *,
    verdict: Verdict,
    run: RunInfo,
    previous_body: str | None,
    now: datetime,
) -> str:
    """The comment's text (without the marker line): state, passing update, report, footer."""
    previous = read_state(previous_body or "")
    state = state_of(verdict, run, previous)
    parts = [state_line(state)]
    if state.replaced is not None:
        parts.append(passing_update(verdict, run, state.replaced))
    parts.append(report.rstrip("\n"))
    parts.append(footer(run, now))
    return "\n\n".join(parts) + "\n"


def passing_update(verdict: Verdict, run: RunInfo, replaced: State) -> str:
    """'✅ Passing now': this commit and run, the failing run it replaces, what holds now."""
    here = _where(run.commit, run.commit_url, run.run_label, run.run_url)
    before = _where(
        replaced.commit, _commit_url(run, replaced.commit), replaced.run_label, replaced.run_url
    )
    lines = [f"### ✅ Passing now{f' at {here}' if here else ''}", ""]
    earlier = f"The earlier run{f' ({before})' if before else ''}"
    if replaced.verdict == VerdictKind.ERROR:
        kind = md_cell(replaced.error_kind or "could not evaluate")
        lines.append(f"{earlier} could not evaluate the result ({kind}); this one did, and passed.")
        return "\n".join(lines)
    if not replaced.blocking:
        lines.append(f"{earlier} failed; every blocking check holds now.")
        return "\n".join(lines)
    lines.append(f"{earlier} failed on these checks; they no longer block:")
    lines.append("")
    now = {c.name: c for c in verdict.checks}
    for name, title in replaced.blocking:
        check = now.get(name)
        if check is None:
            lines.append(f"- ➖ **{md_cell(title)}**: no longer checked")
        elif check.held:
            lines.append(
                f"- ✅ **{md_cell(check.title)}**: {md_cell(wording.actual(check))}, "
                f"needs {md_cell(wording.threshold(check))}"
            )
        else:  # not held, yet not blocking: its level is warn now
            lines.append(
                f"- ⚠️ **{md_cell(check.title)}**: {md_cell(wording.actual(check))}, a warning now"
            )
    return "\n".join(lines)


def footer(run: RunInfo, now: datetime) -> str:
    """'Updated 2026-11-30 14:03:12 UTC · commit abc1234 · run #42' (whole seconds, UTC)."""
    when = now.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S UTC")
    where = _where(run.commit, run.commit_url, run.run_label, run.run_url, joined=" · ")
    return f"<sub>Updated {when}{f' · {where}' if where else ''}</sub>"


# -- the hidden state line ---------------------------------------------------------------------


def state_line(state: State) -> str:
    text = json.dumps(_to_json(state), separators=(",", ":"), ensure_ascii=True)
    # "-" and ">" as JSON escapes: no value can close the HTML comment (-->) it lives in.
    text = text.replace("-", "\\u002d").replace(">", "\\u003e")
    return f"{_STATE_START}{text}{_STATE_END}"


def read_state(body: str) -> State | None:
    """The state line of a comment's text, or None when there is none or it is unreadable."""
    for line in body.splitlines()[:5]:
        line = line.strip()
        if line.startswith(_STATE_START) and line.endswith(_STATE_END):
            try:
                data = json.loads(line[len(_STATE_START) : -len(_STATE_END)])
            except (ValueError, RecursionError):
                return None
            return _from_json(data, depth=0)
    return None


def _to_json(state: State) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": _STATE_VERSION,
        "verdict": state.verdict,
        "commit": state.commit,
        "run": state.run_label,
        "run_url": state.run_url,
        "blocking": [list(pair) for pair in state.blocking],
        "error_kind": state.error_kind,
    }
    if state.replaced is not None:
        data["replaced"] = _to_json(state.replaced)
    return data


def _from_json(data: Any, depth: int) -> State | None:
    if not isinstance(data, dict) or data.get("v") != _STATE_VERSION or depth > 1:
        return None
    verdict = data.get("verdict")
    if verdict not in {kind.value for kind in VerdictKind}:
        return None
    blocking = data.get("blocking")
    pairs = tuple(
        (pair[0], pair[1])
        for pair in (blocking if isinstance(blocking, list) else [])[:MAX_REMEMBERED]
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
    )
    replaced = data.get("replaced")
    return State(
        verdict=verdict,
        commit=_text(data.get("commit"), _SHA),
        run_label=_text(data.get("run"), _RUN_LABEL),
        run_url=md_link_url(_text(data.get("run_url"))),
        blocking=pairs,
        error_kind=_text(data.get("error_kind")),
        replaced=_from_json(replaced, depth + 1) if replaced is not None else None,
    )


def _text(value: Any, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str) or len(value) > 200:
        return ""
    return value if pattern is None or pattern.match(value) else ""


def _commit_url(run: RunInfo, commit: str) -> str:
    """Another commit of the same repository, linked like this run's."""
    if not (commit and run.commit_url and run.commit):
        return ""
    return run.commit_url[: -len(run.commit)] + commit


def _where(
    commit: str, commit_url: str, run_label: str, run_url: str, *, joined: str = ", "
) -> str:
    parts = []
    if commit:
        parts.append(f"commit {_link(f'`{commit[:7]}`', commit_url)}")
    if run_label:
        parts.append(_link(run_label, run_url))
    return joined.join(parts)


def _link(text: str, url: str) -> str:
    url = md_link_url(url)
    return f"[{text}]({url})" if url else text
