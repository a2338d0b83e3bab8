"""GitHub Actions workflow commands and files: escaping, masking, outputs, annotations.

Pure functions plus small writers that take explicit paths and streams; the CLI decides
when each is called (see `gate/cli.py`). The runner's own parser (actions/runner
`ActionCommand.TryParseV2`/`TryParse`, `FileCommandManager`) is the reference for every rule
here: a `::command::` is recognised at the start of a line after leading whitespace, a
legacy `##[command]` anywhere in a line, and file commands are read line by line.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gate.publish.words.fmt import number

if TYPE_CHECKING:  # the verdict's outputs and annotations only: `validate` needs none of it
    from gate.judge.verdict import Check, Verdict
    from gate.result.model import Result

#: GitHub shows at most this many error and this many warning annotations per step.
MAX_ANNOTATIONS = 10
#: an annotation is a pointer to the summary, not a copy of it: longer messages are cut
ANNOTATION_LIMIT = 2_000
TITLE_PREFIX = "cekura-gate"
#: the outputs every verdict writes
VERDICT_OUTPUTS = (
    "verdict",
    "result-id",
    "status",
    "success-rate",
    "failed-checks",
    "result-url",
    # for a later step to act on without reading the JSON report
    "blocking-checks",
    "warning-checks",
    "total-runs",
    "failed-runs",
    "comment-url",
)
#: every output, with those written only when asked for (share-link: the `share-link` input)
OUTPUT_NAMES = (*VERDICT_OUTPUTS, "share-link")

# Legacy `##[command]` syntax is matched anywhere in a line, so it is broken wherever it is.
_LEGACY_COMMAND = "##["
# Bidirectional overrides and isolates can make a log line read differently from its bytes.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_OUTPUT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the second `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def annotation_data(text: str, limit: int = ANNOTATION_LIMIT) -> str:
    """API text made fit for an annotation's message: what safe_log_line drops (control
    characters, bidirectional overrides, `##[`) dropped here too, at most `limit`
    characters, then escaped. Line breaks stay (as %0A): an annotation may span lines."""
    return escape_data(_annotation_text(text, limit))


def _annotation_text(text: str, limit: int) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or not _unprintable(ch))
    text = text.replace(_LEGACY_COMMAND, "## [")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_property(text: str) -> str:
    """Escape a property value (`title=...`): data rules plus `:` and `,`, which end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def safe_log_line(text: str) -> str:
    """Text from the API made safe to print to the log, and still readable.

    Control characters (other than newline and tab) and bidirectional overrides are
    dropped: they could hide or reorder what follows. `\\r` and `\\r\\n` become `\\n`,
    since the runner ends a line at a lone `\\r` too. A line that would start a workflow
    command (`::` after optional whitespace) gets a space between the colons, and `##[`
    anywhere becomes `## [`, so the runner sees plain text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or not _unprintable(ch))
    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("::"):
            indent = line[: len(line) - len(stripped)]
            line = f"{indent}: :{stripped[2:]}"
        lines.append(line.replace(_LEGACY_COMMAND, "## ["))
    return "\n".join(lines)


def _unprintable(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cs"} or ch in _BIDI_CONTROLS


def mask(secret: str, stream: TextIO) -> None:
    """Ask the runner to mask `secret` in the log. Call it before anything else is printed.

    Each line of a multi-line secret is masked on its own too, because the runner masks
    line by line when it prints.
    """
    if not secret or not secret.strip():
        return
    values = [secret, *(line for line in secret.splitlines() if line.strip())]
    for value in dict.fromkeys(values):
        stream.write(f"::add-mask::{escape_data(value)}\n")
    stream.flush()


def write_outputs(
    path: str | Path,
    outputs: Mapping[str, str],
    *,
    make_delimiter: Callable[[], str] | None = None,
) -> None:
    """Append step outputs to the `$GITHUB_OUTPUT` file.

    Single-line values are written as `name=value`; a value with a line break uses the
    heredoc form with a random delimiter that is drawn again while the value contains it.
    """
    new_delimiter = make_delimiter or _random_delimiter
    chunks = []
    for name, value in outputs.items():
        if not _OUTPUT_NAME.match(name):
            raise ValueError(f"invalid step output name {name!r}")
        if "\n" in value or "\r" in value:
            delimiter = new_delimiter()
            while delimiter in value:
                delimiter = new_delimiter()
            chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            chunks.append(f"{name}={value}\n")
    # newline="" keeps `\n` as written: the runner splits on LF only (on Linux).
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("".join(chunks))


def _random_delimiter() -> str:
    import uuid  # here: with platform, it costs every start-up ~3 ms

    return f"ghadelimiter_{uuid.uuid4()}"


def step_outputs(
    *, verdict: Verdict, result: Result | None, result_id: str = "", status: str = ""
) -> dict[str, str]:
    """The contract's step outputs, all as strings (empty when unknown).

    `result_id` and `status` are what the caller knows even without a Result (a run it
    started, then timed out waiting for); the Result's own values win when both exist.
    """
    from gate.publish.report_json import identity

    who = identity(result, result_id=result_id, status=status)
    # the same counts the success rate is computed from: a run counted but not listed failed
    counts = result.success_counts if result is not None else None
    return {
        "verdict": verdict.kind.value,
        "result-id": who["id"] or "",
        "status": who["status"] or "",
        "success-rate": format_percent(who["success_rate"]),
        "failed-checks": json.dumps([c.name for c in verdict.failed_checks]),
        "result-url": who["url"] or "",
        "blocking-checks": str(len(verdict.failed_checks)),
        "warning-checks": str(len(verdict.warnings)),
        "total-runs": "" if who["total_runs"] is None else str(who["total_runs"]),
        "failed-runs": str(counts[1] - counts[0]) if counts else _none_of(who["total_runs"]),
        # written again once the comment is posted (gate/publish/step.py)
        "comment-url": "",
    }


def _none_of(total: int | None) -> str:
    """No runs at all: none of them failed ('0'); otherwise unknown ('')."""
    return "0" if total == 0 else ""


def format_percent(value: float | None) -> str:
    """85.0 -> '85', 87.5 -> '87.5', 2/3 -> '66.67'; '' when unknown."""
    return "" if value is None else number(value)


def annotations(verdict: Verdict) -> list[str]:
    """`::error` lines for failed error-level checks, `::warning` for warn-level ones.

    GitHub shows only ten of each per step, so when there are more, nine are printed and
    the tenth line says how many more there are: nothing the user needs is cut silently.
    A could-not-evaluate verdict leads with an `::error` carrying its reason.
    """
    from gate.judge.verdict import VerdictKind
    from gate.publish.words.wording import error_kind, verdict_reason

    errors: list[tuple[str, str]] = []
    if verdict.kind is VerdictKind.ERROR:
        kind = error_kind(verdict) or "could not evaluate"
        reason = verdict_reason(verdict) or "no verdict was reached"
        errors.append((f"{TITLE_PREFIX}: {kind}", reason))
    errors.extend(_check_annotation(c) for c in verdict.failed_checks)
    warnings = [_check_annotation(c) for c in verdict.warnings]
    return [
        *_capped("error", errors, "failed checks"),
        *_capped("warning", warnings, "warnings"),
    ]


def _check_annotation(check: Check) -> tuple[str, str]:
    from gate.publish.words import wording

    message = f"{check.title}: {wording.actual(check)} (threshold {wording.threshold(check)})"
    if wording.detail(check):
        message += f". {wording.detail(check)}"
    return f"{TITLE_PREFIX}: {check.title}", message


def _capped(command: str, items: list[tuple[str, str]], what: str) -> list[str]:
    if len(items) > MAX_ANNOTATIONS:
        shown = items[: MAX_ANNOTATIONS - 1]
        more = len(items) - len(shown)
        summary = (f"{TITLE_PREFIX}: {more} more", f"and {more} more {what}, see the job summary")
        items = [*shown, summary]
    return [
        f"::{command} title={escape_property(_annotation_text(t, 200))}::{annotation_data(m)}"
        for t, m in items
    ]


@contextmanager
def group(title: str, stream: TextIO, *, actions: bool) -> Iterator[None]:
    """A collapsible log group in Actions; a plain heading line elsewhere."""
    if actions:
        stream.write(f"::group::{escape_data(title)}\n")
    else:
        stream.write(f"{title}\n")
    try:
        yield
    finally:
        if actions:
            stream.write("::endgroup::\n")
        stream.flush()


# -- annotations at a file and line (config problems) ------------------------------------------

# "gate.yml:4: text" or "gate.yml:4:7: text" after the file's name (which may hold colons).
_AT_LINE = re.compile(r"^(\d+)(?::(\d+))?: (.*)$", re.DOTALL)


def file_annotations(file: str, problems: list[str], *, command: str = "error") -> list[str]:
    """One `::error file=…,line=…::` per config problem, so GitHub shows it on the file's line.

    Problems are the config loader's "FILE:LINE[:COL]: text" lines; one without a line (a
    missing file, say) is annotated at the file alone. At most MAX_ANNOTATIONS, like checks.
    """
    items = []
    for problem in problems:
        properties = {"file": file}
        text = problem
        if problem.startswith(f"{file}:"):
            match = _AT_LINE.match(problem[len(file) + 1 :])
            if match:
                properties["line"] = match.group(1)
                if match.group(2):
                    properties["col"] = match.group(2)
                text = match.group(3)
        properties["title"] = f"{TITLE_PREFIX}: config"
        items.append((properties, text))
    if len(items) > MAX_ANNOTATIONS:
        more = len(items) - (MAX_ANNOTATIONS - 1)
        summary = ({"file": file, "title": f"{TITLE_PREFIX}: config"}, f"and {more} more problems")
        items = [*items[: MAX_ANNOTATIONS - 1], summary]
    return [
        f"::{command} "
        + ",".join(f"{k}={escape_property(_annotation_text(v, 500))}" for k, v in props.items())
        + f"::{annotation_data(text)}"
        for props, text in items
    ]


def notice(text: str, *, title: str = TITLE_PREFIX) -> str:
    """A `::notice` line: shown on the run's page, neither a warning nor an error."""
    return f"::notice title={escape_property(title)}::{annotation_data(text)}"
