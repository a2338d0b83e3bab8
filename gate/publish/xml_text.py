"""XML text written directly, byte for byte as ElementTree writes it (after ET.indent): what
XML 1.0 forbids dropped, escapes, one element at a level of indentation. The JUnit report is
written as text because a 10,000-run result is 10,000 test cases, and building and
serialising them as elements took about 80 ms (gate/publish/junit.py)."""

from __future__ import annotations

import re

# Everything XML 1.0 does not allow in a document, even escaped.
# Written as the forbidden characters themselves: the same set as "not Char" in XML 1.0
# (tests/publish/test_junit.py checks every code point), compiled in 1 ms instead of 9.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: what XML escapes in character data; in an attribute value also the quote, and the line
#: breaks and tab as character references (so a reader gets them back): what ElementTree
#: writes (tests/publish/test_junit.py compares the documents). Replaced one by one, and only
#: when present: most texts hold none, and a test for one is cheaper than a replace.
_CDATA = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE = (*_CDATA, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, reference in escapes:
        if char in text:
            text = text.replace(char, reference)
    return text


def escape_cdata(text: str) -> str:
    return _escaped(text, _CDATA)


def escape_attrib(text: str) -> str:
    return _escaped(text, _ATTRIBUTE)


def clean(text: str) -> str:
    """Drop characters XML 1.0 forbids (escaping does the rest)."""
    return _NOT_XML.sub("", text)


def attribute(value: str) -> str:
    return escape_attrib(clean(value))


def element(
    tag: str, level: int, *, text: str = "", children: list[str] | None = None, **attrs: str
) -> str:
    """One element at `level` of indentation, as ElementTree writes it after ET.indent."""
    indent = "  " * level
    opening = indent + "<" + tag + "".join(f' {k}="{attribute(v)}"' for k, v in attrs.items())
    if children:
        inner = "\n".join(children)
        return f"{opening}>\n{inner}\n{indent}</{tag}>"
    text = clean(text)
    if not text:
        return opening + " />"
    return f"{opening}>{escape_cdata(text)}</{tag}>"
