"""Which report goes to standard output, and when it is in colour."""

from __future__ import annotations

import io

import pytest

from gate.publish import formats


@pytest.mark.parametrize(
    ("requested", "actions", "terminal", "expected"),
    [
        ("", False, True, "text"),
        ("", False, False, "markdown"),
        ("", True, True, "markdown"),
        ("", True, False, "markdown"),
        ("markdown", False, True, "markdown"),
        ("json", False, True, "json"),
        ("text", True, False, "text"),
    ],
)
def test_choose(requested, actions, terminal, expected):
    assert formats.choose(requested, actions=actions, terminal=terminal) == expected


@pytest.mark.parametrize(
    ("environ", "mode"),
    [
        ({}, "auto"),
        ({"NO_COLOR": "1"}, "never"),
        ({"NO_COLOR": ""}, "auto"),  # no-color.org: set and not empty
        ({"FORCE_COLOR": "1"}, "always"),
        ({"FORCE_COLOR": "true", "NO_COLOR": "1"}, "always"),
        ({"FORCE_COLOR": "0"}, "never"),
        ({"FORCE_COLOR": "false"}, "never"),
        ({"TERM": "dumb"}, "never"),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, "always"),
    ],
)
def test_colour_mode(environ, mode):
    assert formats.colour_mode(environ) == mode


@pytest.mark.parametrize(
    ("mode", "terminal", "on"),
    [("auto", True, True), ("auto", False, False), ("always", False, True), ("never", True, False)],
)
def test_colour(mode, terminal, on):
    assert formats.colour(mode, terminal=terminal) is on


def test_a_report_on_stdout_keeps_it():
    assert formats.choose("", actions=False, terminal=True, stdout_taken=True) == "markdown"
    assert formats.choose("json", actions=False, terminal=True, stdout_taken=True) == "json"


def test_a_string_buffer_is_not_a_terminal():
    assert formats.is_terminal(io.StringIO()) is False
    closed = io.StringIO()
    closed.close()
    assert formats.is_terminal(closed) is False
