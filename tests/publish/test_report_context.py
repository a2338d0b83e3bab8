"""Where the report says it comes from: the policy file at the commit, the commit, the run,
the time in UTC without microseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gate import __version__
from gate.judge.verdict import Verdict
from gate.publish.options import GitHubContext, PublishOptions
from gate.publish.pages import markdown as report
from gate.publish.step import report_context
from gate.settings.read import from_sources

GITHUB = GitHubContext(repository="acme/agent", run_id="777", sha="a1b2c3d4e5f6", run_number="9")


def context(source: str, github: GitHubContext = GITHUB) -> report.ReportContext:
    when = datetime(2026, 7, 17, 10, 4, 59, 999999, tzinfo=UTC)
    return report_context(
        PublishOptions(github=github), policy_source=source, result_id="1", now=when
    )


def test_the_policy_file_links_to_the_commit_that_ran():
    ctx = context(".cekura/gate.yml")
    assert ctx.policy_url == "https://github.com/acme/agent/blob/a1b2c3d4e5f6/.cekura/gate.yml"
    assert ctx.run_url == "https://github.com/acme/agent/actions/runs/777"
    assert (ctx.commit, ctx.run_number) == ("a1b2c3d4e5f6", "9")


@pytest.mark.parametrize(
    "source", ["default policy", "/etc/gate.yml", "../other/gate.yml", "not loaded", "a b.yml"]
)
def test_no_link_for_what_is_not_a_file_in_the_repository(source):
    assert context(source).policy_url == ""


def test_no_link_outside_github_actions():
    assert context(".cekura/gate.yml", GitHubContext()).policy_url == ""


def test_the_footer_names_version_commit_run_and_minute_in_utc():
    eastern = timezone(timedelta(hours=-4))
    ctx = report.ReportContext(
        commit="a1b2c3d4e5f6",
        run_url="https://github.com/acme/agent/actions/runs/777",
        run_number="9",
        updated_at=datetime(2026, 7, 17, 6, 4, 59, 999999, tzinfo=eastern),
    )
    text = report.render(Verdict.from_checks(()), None, context=ctx)
    assert text.endswith(
        f"<sub>cekura-gate {__version__} · commit `a1b2c3d` · "
        "[workflow run #9](https://github.com/acme/agent/actions/runs/777) · "
        "updated 2026-07-17 10:04 UTC</sub>\n"
    )


def test_the_runner_tells_the_commit_and_run_number():
    settings = from_sources(
        ["check", "--result-id", "1"],
        {"GITHUB_SHA": "a1b2c3d4e5f6", "GITHUB_RUN_NUMBER": "9", "CEKURA_API_KEY": "k"},
    )
    assert (settings.publishing.github.sha, settings.publishing.github.run_number) == (
        "a1b2c3d4e5f6",
        "9",
    )
