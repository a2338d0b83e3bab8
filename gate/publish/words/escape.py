"""Untrusted text (anything from the API or the config) made inert for the Markdown report:
HTML stripped, Markdown escaped, control and bidirectional characters blanked, @mentions
defused, lengths capped, and links limited to http(s)."""

from __future__ import annotations

import re

CELL_LIMIT = 300
TEXT_LIMIT = 2_000

_TAG = re.compile(r"<[^>]*>")
# Control characters, and bidirectional overrides that could make text read other than it is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MENTION = re.compile(r"@(?=\w)")


def md_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """Untrusted text made inert for Markdown, still readable."""
    text = _TAG.sub("", str(value or ""))
    text = _CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text.startswith(":"):
        # At the start of a line, '::' would read as a workflow command in a log.
        text = "\\" + text
    # A zero-width joiner after '@' stops GitHub from notifying someone named in the API's text.
    return _MENTION.sub("@\u200d", text)


def md_lines(value: object, limit: int = TEXT_LIMIT) -> str:
    """Untrusted multi-line text kept on separate lines within one paragraph."""
    lines = str(value or "").splitlines() or [""]
    return "<br>\n".join(md_text(line.strip(), limit) for line in lines)


def md_cell(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text for a table cell: one line, pipes escaped."""
    return md_text(" ".join(str(value or "").split()), limit)


def html_text(value: object, limit: int = CELL_LIMIT) -> str:
    """Untrusted text inside an HTML element (a <summary>): one line, tags stripped, escaped."""
    text = _TAG.sub("", " ".join(str(value or "").split()))
    text = _CONTROL.sub(" ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # html.escape(text, quote=False), without importing html (and its entity table)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@\u200d", text)


def md_link_url(value: object) -> str:
    """A URL we may put inside (...): http(s) only, no spaces or parentheses."""
    url = str(value or "").strip()
    if not re.match(r"^https?://[^\s()<>]+$", url):
        return ""
    return url
