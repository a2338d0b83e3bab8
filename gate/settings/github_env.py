"""What the GitHub Actions runner tells the gate through its variables: the workflow run and
its event, where the outputs go, the token, the re-run attempt, debug logging."""

from __future__ import annotations

from collections.abc import Mapping

from gate.publish.options import GitHubContext


def github_context(environ: Mapping[str, str]) -> GitHubContext:
    return GitHubContext(
        actions=environ.get("GITHUB_ACTIONS", "") == "true",
        output_file=environ.get("GITHUB_OUTPUT", ""),
        summary_file=environ.get("GITHUB_STEP_SUMMARY", ""),
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        event_path=environ.get("GITHUB_EVENT_PATH", ""),
        api_url=environ.get("GITHUB_API_URL", "") or "https://api.github.com",
        server_url=environ.get("GITHUB_SERVER_URL", "") or "https://github.com",
        repository=environ.get("GITHUB_REPOSITORY", ""),
        workflow=environ.get("GITHUB_WORKFLOW", ""),
        job=environ.get("GITHUB_JOB", ""),
        run_id=environ.get("GITHUB_RUN_ID", ""),
        token=environ.get("GITHUB_TOKEN", "").strip(),
        sha=environ.get("GITHUB_SHA", "").strip(),
        run_number=environ.get("GITHUB_RUN_NUMBER", "").strip(),
        run_attempt=environ.get("GITHUB_RUN_ATTEMPT", "").strip(),
    )


def run_attempt(text: str) -> int:
    """GITHUB_RUN_ATTEMPT, set by the runner: a positive integer, else 1 (not a re-run)."""
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else 1


def verbosity_of(flag: int | None, environ: Mapping[str, str]) -> int:
    """-q (-1) or -v (1) as given, else 1 with GitHub's "Enable debug logging" on a re-run
    (RUNNER_DEBUG=1), else 0."""
    verbosity = flag or 0
    if not verbosity and environ.get("RUNNER_DEBUG", "").strip() == "1":
        verbosity = 1
    return verbosity
