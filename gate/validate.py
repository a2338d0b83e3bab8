"""`cekura-gate validate`: check config files and say what is wrong, with file:line.

In GitHub Actions each problem is also an `::error` annotation at its file and line, so a
pull request that breaks the config shows the problem on the line that broke it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from gate.errors import EXIT_PASS, EXIT_USAGE, ConfigError
from gate.policy import config
from gate.policy.feasible import unreachable_passes
from gate.policy.summary import checks_in_words, default_policy_notice
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
            from gate.publish import github  # only now: it costs every start-up ~20 ms

            code = EXIT_USAGE
            # stderr, like every other error of the gate: the problems, one FILE:LINE each
            err.write(f"cekura-gate: {exc.kind}: {github.safe_log_line(exc.message)}\n")
            if settings.github.actions:
                for line in github.file_annotations(str(path), exc.problems):
                    out.write(line + "\n")
            continue
        out.write(f"{path}: valid. The gate will check: {', '.join(checks_in_words(policy))}.\n")
        for warning in unreachable_passes(policy, settings.frequency):
            err.write(f"cekura-gate: warning: {path}: {warning}\n")
    if len(paths) > 1 and code != EXIT_PASS:
        err.write("cekura-gate: config error: not every file is valid; see above.\n")
    return code
