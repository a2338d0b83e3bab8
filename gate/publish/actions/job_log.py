"""The job log while the gate works: progress, notices, warnings and errors, as plain lines or as
GitHub workflow commands (annotations, groups, masks), and the step outputs."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, TextIO

import msgspec

from gate.errors import ConfigError
from gate.publish.actions import github


class Log(msgspec.Struct):
    """The job log: stdout for the report and progress, stderr for problems."""

    out: TextIO
    err: TextIO
    actions: bool = False
    #: where a report asked for on standard output ('-') goes; None: `out`
    data: TextIO | None = None
    #: -1 quiet (no progress lines), 0 normal, 1 debug
    verbosity: int = 0
    #: the GitHub step outputs file ("" = none)
    output_file: str = ""

    def mask(self, secret: str) -> None:
        github.mask(secret, self.out)

    def notice(self, text: str) -> None:
        """Something the user should know that is neither a warning nor an error."""
        if self.actions:
            self.out.write(github.notice(text) + "\n")
            self.out.flush()
        else:
            self.err.write(f"cekura-gate: notice: {github.safe_log_line(text)}\n")
            self.err.flush()

    def debug(self, text: str) -> None:
        if self.verbosity < 1:
            return
        if self.actions:
            self.out.write(f"::debug::{github.annotation_data(text)}\n")
            self.out.flush()
        else:
            self.err.write(f"cekura-gate: debug: {github.safe_log_line(text)}\n")
            self.err.flush()

    def config_problems(self, error: ConfigError, *, path: Path | None) -> None:
        """In GitHub Actions, each problem of the config as an annotation at its file and line."""
        if self.actions and path is not None:
            for line in github.file_annotations(str(path), error.problems):
                self.out.write(line + "\n")
            self.out.flush()

    def info(self, text: str) -> None:
        self.out.write(github.safe_log_line(text) + "\n")
        self.out.flush()

    def warn(self, text: str) -> None:
        line = github.safe_log_line(text)
        if self.actions:
            self.out.write(f"::warning title=cekura-gate::{github.annotation_data(text)}\n")
            self.out.flush()
        else:
            self.err.write(f"cekura-gate: warning: {line}\n")
            self.err.flush()

    def group(self, title: str) -> contextlib.AbstractContextManager[None]:
        return github.group(title, self.out, actions=self.actions)

    def progress(self, progress: Any) -> None:
        if self.verbosity < 0:
            return
        problem = f" (retrying: {progress.error})" if progress.error else ""
        self.info(
            f"[{progress.elapsed:6.0f}s] status {progress.status or '?'}{_runs(progress)}{problem}"
        )

    def heartbeat(self, progress: Any, seconds_left: float) -> None:
        """Nothing changed for a while: say the gate is still waiting, and on what."""
        if self.verbosity < 0:
            return
        from gate.source.wait import format_duration

        problem = f" (retrying: {progress.error})" if progress.error else ""
        self.info(
            f"[{progress.elapsed:6.0f}s] still waiting: status {progress.status or '?'}"
            f"{_runs(progress)}, {format_duration(round(seconds_left))} left{problem}"
        )

    def started_run(
        self,
        result_id: str,
        *,
        agent_id: str,
        scenarios: tuple[int, ...],
        tags: tuple[str, ...],
        run_as_text: bool,
    ) -> None:
        what = f"scenarios {_joined(scenarios)}" if scenarios else f"tags {_joined(tags)}"
        mode = "text" if run_as_text else "voice"
        self.info(f"Started a {mode} run for agent {agent_id} ({what}): result {result_id}")
        # The id is an output as soon as it is known, so a later step can find the run.
        self.outputs({"result-id": result_id})

    def outputs(self, values: dict[str, str]) -> None:
        """Write step outputs, when the runner gave a file for them."""
        if self.output_file:
            try:
                github.write_outputs(self.output_file, values)
            except OSError as exc:
                self.warn(f"could not write step outputs to {self.output_file}: {exc}")


def _runs(progress: Any) -> str:
    if not progress.total_runs:
        return ""
    return f", {progress.completed_runs or 0} of {progress.total_runs} runs done"


def _joined(items: tuple[Any, ...]) -> str:
    return ",".join(str(i) for i in items)
