"""The settings of one command, read once from argv and the environment (gate/settings/read.py)
and checked there; the commands read them, and hand the stages below only the values they need.

Every setting has three spellings: a flag `--x-y`, a variable `CEKURA_X_Y` and an action
input `x-y` (which the action passes on as the same variable). A flag beats the variable,
the variable beats the default, and an empty value counts as unset.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from gate.command_line.defaults import DEFAULT_API_URL, DEFAULT_CONFIGS
from gate.errors import UsageError
from gate.publish.options import GitHubContext, PublishOptions, shown_without


class Settings(msgspec.Struct, frozen=True, gc=False):
    command: str
    result_id: str = ""
    result_file: str = ""
    agent_id: str = ""
    scenarios: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    frequency: int = 1
    run_as_text: bool = False
    config: str = ""  # "" = .cekura/gate.yml when it exists, else the default policy
    api_url: str = DEFAULT_API_URL
    api_key: str = ""  # never in repr()
    timeout: float = 1800.0
    poll_interval: float = 10.0
    summary_file: str = ""
    report_json: str = ""
    junit_xml: str = ""
    comment: str = "off"
    comment_key: str = ""
    #: the pull request to comment on; 0 = the one of the event (pull_request events)
    pr_number: int = 0
    end_calls_on_cancel: bool = True
    #: a run the gate started that can no longer pass: ask Cekura to end its remaining calls
    end_calls_on_fail: bool = True
    #: a re-run attempt: "unfinished" reattaches to the earlier attempt's run when it was
    #: not judged, "always" even when it was, "never" starts anew (gate/source/reuse.py)
    reuse: str = "unfinished"
    #: GITHUB_RUN_ATTEMPT: 1 for the first attempt of a workflow run, 2 for its first re-run
    run_attempt: int = 1
    #: "fail": no API key is a usage error; "skip": the gate ends with verdict "skipped"
    on_missing_api_key: str = "fail"
    demo_scenario: str = "pass"
    #: validate: the files to check (empty: config_path())
    paths: tuple[str, ...] = ()
    #: -1 quiet (no progress), 0 normal, 1 debug (-v or RUNNER_DEBUG=1)
    verbosity: int = 0
    #: the report on standard output: "" (by where it goes), markdown, text or json
    output_format: str = ""
    #: colour in the text report: auto (at a terminal), always (FORCE_COLOR), never (NO_COLOR)
    colour: str = "auto"
    github: GitHubContext = msgspec.field(default_factory=GitHubContext)
    #: starting runs: every execution mode, suites, the cost check, the share link
    #: (gate/settings/start.py reads them)
    execution_mode: str = "voice"
    suite_file: str = ""
    run_name: str = ""
    concurrency_limit: int | None = None
    phone_number: str = ""
    personality_ids: tuple[int, ...] = ()
    test_profile_ids: tuple[int, ...] = ()
    livekit_data: str = ""
    pipecat_data: str = ""
    dry_run: bool = False
    #: the most calls a start may place; None: no limit
    max_calls: int | None = None
    #: seconds a share link stays valid; 0: no link
    share_link: float = 0.0
    #: combine: the JSON reports to merge
    reports: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return shown_without(self, "api_key")

    @property
    def starts_run(self) -> bool:
        return bool(self.agent_id)

    @property
    def publishing(self) -> PublishOptions:
        """What the publishing step needs of these settings."""
        return PublishOptions(
            summary_file=self.summary_file,
            report_json=self.report_json,
            junit_xml=self.junit_xml,
            comment=self.comment,
            comment_key=self.comment_key,
            pr_number=self.pr_number,
            github=self.github,
        )

    def config_path(self) -> Path | None:
        """The config file to load, or None for the built-in default policy.

        Without --config: .cekura/gate.yml or .cekura/gate.yaml. Both at once is an error,
        not a silent choice: the one ignored might hold the stricter rules.
        """
        if self.config:
            return Path(self.config)
        found = [path for path in DEFAULT_CONFIGS if path.is_file()]
        if len(found) > 1:
            raise UsageError(
                f"found both {found[0]} and {found[1]}; the gate reads only one config. Merge "
                "them into one file and delete the other, or choose one with --config "
                "(CEKURA_CONFIG, the config input)."
            )
        return found[0] if found else None
