"""`cekura-gate validate`: check config files and say what is wrong, with file:line.

In GitHub Actions each problem is also an `::error` annotation at its file and line, so a
pull request that breaks the config shows the problem on the line that broke it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from gate.errors import EXIT_PASS, EXIT_USAGE, ConfigError
from gate.policy import config
from gate.policy.feasible import unreachable_passes, unreachable_retry
from gate.policy.summary import checks_in_words, default_policy_notice, retry_in_words
from gate.publish.words.config_advice import RunCount
from gate.settings import Settings


def run_validate(settings: Settings, *, out: TextIO, err: TextIO) -> int:
    if settings.paths:
        paths = [Path(p) for p in settings.paths]
    else:
        found = settings.config_path()  # raises UsageError when both defaults exist
        if found is None:
            out.write(default_policy_notice() + "\n")
            return EXIT_PASS
        paths = [found]
    code = EXIT_PASS
    for path in paths:
        try:
            policy = config.load(path)
        except ConfigError as exc:
            from gate.publish.actions import github

            code = EXIT_USAGE
            # stderr, like every other error of the gate: the problems, one FILE:LINE each
            err.write(f"cekura-gate: {exc.kind}: {github.safe_log_line(exc.message)}\n")
            if settings.github.actions:
                for line in github.file_annotations(str(path), exc.problems):
                    out.write(line + "\n")
            continue
        out.write(f"{path}: valid. The gate will check: {', '.join(checks_in_words(policy))}.\n")
        if policy.retry_failed is not None:
            out.write(f"{path}: {retry_in_words(policy.retry_failed)}\n")
        _warn(path, policy, settings, out=out, err=err)
        for warning in (
            *unreachable_passes(policy, settings.frequency),
            *unreachable_retry(policy, settings.frequency),
        ):
            err.write(f"cekura-gate: warning: {path}: {warning}\n")
    if len(paths) > 1 and code != EXIT_PASS:
        err.write("cekura-gate: config error: not every file is valid; see above.\n")
    return code


def _warn(
    path: Path, policy: config.model.Policy, settings: Settings, *, out: TextIO, err: TextIO
) -> None:
    """Warnings about a valid config (gate/publish/words/config_advice.py): printed, never fatal."""
    from gate.policy.yaml_reader import line_of, load_yaml
    from gate.publish.actions import github
    from gate.publish.words import config_advice

    node, data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    advice = config_advice.config_advice(policy, _run_count(settings, policy, data))
    problems = [
        f"{path}:{line_of(node, list(a.path))}: {_dotted(a.path)}: {a.text}" for a in advice
    ]
    for problem in problems:
        err.write(f"cekura-gate: warning: {github.safe_log_line(problem)}\n")
    if settings.github.actions and problems:
        for line in github.file_annotations(str(path), problems, command="warning"):
            out.write(line + "\n")


def _run_count(settings: Settings, policy: config.model.Policy, data: object) -> RunCount | None:
    """The runs the gated result will have: the start's scenarios × frequency (--scenarios,
    --frequency, or their CEKURA_* variables), else min_runs when the config sets it."""
    if settings.scenarios:
        count = len(settings.scenarios)
        return RunCount(
            total=count * settings.frequency,
            per_scenario=settings.frequency,
            source=f"{count} scenario{'s' if count > 1 else ''} × frequency {settings.frequency}",
        )
    thresholds = data.get("thresholds") if isinstance(data, dict) else None
    if isinstance(thresholds, dict) and "min_runs" in thresholds:
        return RunCount(
            total=policy.min_runs, per_scenario=None, source=f"min_runs: {policy.min_runs}"
        )
    return None


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text
