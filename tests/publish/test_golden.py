"""The golden-file comparison itself can fail: on a difference, after a rewrite, and in CI."""

from __future__ import annotations

import pytest

from tests.golden import UPDATE, assert_golden


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE, raising=False)
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "report.md").write_text("kept\n", encoding="utf-8")
    return tmp_path


def test_equal_text_passes(folder):
    assert_golden("report.md", "kept\n", folder=folder)


def test_a_difference_fails_and_leaves_the_file_alone(folder):
    with pytest.raises(AssertionError, match="differs from"):
        assert_golden("report.md", "changed\n", folder=folder)
    assert (folder / "report.md").read_text(encoding="utf-8") == "kept\n"


def test_a_missing_golden_file_fails(folder):
    with pytest.raises(pytest.fail.Exception, match="does not exist"):
        assert_golden("absent.md", "text\n", folder=folder)
    assert not (folder / "absent.md").exists()


def test_the_update_path_writes_the_file_and_then_fails(folder, monkeypatch):
    monkeypatch.setenv(UPDATE, "1")
    with pytest.raises(pytest.fail.Exception, match="golden files rewritten: review the diff"):
        assert_golden("report.md", "changed\n", folder=folder)
    assert (folder / "report.md").read_text(encoding="utf-8") == "changed\n"


def test_the_update_path_passes_only_when_nothing_changed(folder, monkeypatch):
    monkeypatch.setenv(UPDATE, "1")
    assert_golden("report.md", "kept\n", folder=folder)
    assert (folder / "report.md").read_text(encoding="utf-8") == "kept\n"


def test_the_update_path_is_refused_in_ci(folder, monkeypatch):
    monkeypatch.setenv(UPDATE, "1")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="refused when CI is set"):
        assert_golden("report.md", "changed\n", folder=folder)
    assert (folder / "report.md").read_text(encoding="utf-8") == "kept\n"
