"""gate.xmlwrite writes exactly what ET.indent + ElementTree.write would."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gate import junit
from gate.config import DEFAULT_POLICY
from gate.evaluate import evaluate
from gate.result import parse
from gate.sample_payloads import demo_result
from gate.xmlwrite import DECLARATION, indented, write_indented


def reference(root: ET.Element) -> str:
    tree = ET.ElementTree(copy.deepcopy(root))
    ET.indent(tree)
    return DECLARATION + ET.tostring(tree.getroot(), encoding="unicode")


def ours(root: ET.Element) -> str | None:
    before = ET.tostring(root)
    text = indented(root)
    assert ET.tostring(root) == before, "the tree must not be modified"
    return text


_value = st.one_of(
    st.sampled_from(["", " ", "\n  ", "x", "a & b", "<tag>", 'say "hi"', "tab\there", "r\rn\n"]),
    st.text(alphabet="ab <>&\"'\t\n\r\x85é€\U0001f600", max_size=6),
)
_text = st.one_of(st.none(), _value)
_names = st.sampled_from(["testsuite", "testcase", "failure", "property", "system-out", "a"])


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> ET.Element:
    element = ET.Element(draw(_names))
    for key in draw(st.lists(st.sampled_from(["name", "message", "type", "value"]), unique=True)):
        element.set(key, draw(_value))
    element.text = draw(_text)
    element.tail = draw(_text) if depth else None
    if depth < 2:
        for child in draw(st.lists(trees(depth + 1), max_size=3)):
            element.append(child)
    return element


@settings(max_examples=150, deadline=None)
@given(root=trees())
def test_same_text_as_elementtree(root: ET.Element) -> None:
    assert ours(root) == reference(root)


def test_the_junit_file_is_byte_for_byte_elementtrees(tmp_path: Path) -> None:
    result = parse(demo_result(2, frequency=3))
    root = junit.build_junit(verdict=evaluate(result, DEFAULT_POLICY), result=result)
    write_indented(root, tmp_path / "ours.xml")
    tree = ET.ElementTree(copy.deepcopy(root))
    ET.indent(tree)
    tree.write(tmp_path / "reference.xml", encoding="utf-8", xml_declaration=True)
    assert (tmp_path / "ours.xml").read_bytes() == (tmp_path / "reference.xml").read_bytes()


def test_unusual_trees_go_to_elementtree(tmp_path: Path) -> None:
    root = ET.Element("{urn:x}suite")
    ET.SubElement(root, "case").append(ET.Comment("note"))
    assert ours(root) is None
    before = ET.tostring(root)
    write_indented(root, tmp_path / "ours.xml")
    assert ET.tostring(root) == before
    assert ET.parse(tmp_path / "ours.xml").getroot().tag == "{urn:x}suite"


def test_junit_drops_exactly_what_xml_forbids() -> None:
    # XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    def allowed(code: int) -> bool:
        return (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        )

    text = "".join(map(chr, range(0x110000)))
    assert junit.clean(text) == "".join(chr(c) for c in range(0x110000) if allowed(c))
