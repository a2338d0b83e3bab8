"""What publishing needs to know, and nothing else: where the reports go, whether to comment,
and what the GitHub Actions runner said about the job. The flow (gate/check.py) builds these
from the settings; nothing below it sees the settings themselves."""

from __future__ import annotations

import msgspec


class GitHubContext(msgspec.Struct, frozen=True, gc=False):
    """What the GitHub Actions runner tells us through its variables."""

    actions: bool = False
    output_file: str = ""
    summary_file: str = ""
    event_name: str = ""
    event_path: str = ""
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    repository: str = ""
    workflow: str = ""
    job: str = ""
    run_id: str = ""
    token: str = ""  # never in repr()
    # -- which run this is, for the footers of the report and the pull-request comment ----------
    sha: str = ""  # GITHUB_SHA
    run_number: str = ""  # GITHUB_RUN_NUMBER
    run_attempt: str = ""  # GITHUB_RUN_ATTEMPT

    def __repr__(self) -> str:
        return shown_without(self, "token")

    @property
    def job_summary_url(self) -> str:
        if not (self.repository and self.run_id):
            return ""
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


class PublishOptions(msgspec.Struct, frozen=True, gc=False):
    """Where the verdict goes: files ("" = not written, "-" = standard output) and the comment."""

    summary_file: str = ""
    report_json: str = ""
    junit_xml: str = ""
    #: "off", "always" or "on-failure"
    comment: str = "off"
    comment_key: str = ""
    #: the pull request to comment on; 0 = the one of the event (pull_request events)
    pr_number: int = 0
    github: GitHubContext = msgspec.field(default_factory=GitHubContext)
    #: the report on standard output (gate/publish/formats.py): markdown, text or json
    output_format: str = "markdown"
    #: ANSI colour in the text report
    colour: bool = False
    #: the terminal's width, for the text report
    columns: int = 100


def shown_without(value: msgspec.Struct, secret: str) -> str:
    """`repr(value)` with every field but `secret`: a key or token must not reach a log or a
    traceback through the object that holds it."""
    fields = ", ".join(
        f"{name}={getattr(value, name)!r}" for name in value.__struct_fields__ if name != secret
    )
    return f"{type(value).__name__}({fields})"
