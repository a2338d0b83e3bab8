"""The command line: the only place that reads argv and the environment and decides the exit code.

`main(argv, environ)` builds Settings and hands them to the command; expected failures are
GateErrors that carry their exit code, so no traceback reaches a user for them.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from gate.errors import EXIT_CANNOT_EVALUATE, EXIT_USAGE, GateError


def main(
    argv: Sequence[str],
    environ: Mapping[str, str],
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    from gate.command_line.parser import build_parser

    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(list(argv))
        from gate.settings.read import from_arguments  # only now: --help and --version skip it

        settings = from_arguments(parser, args, unknown, environ)
    except SystemExit as exc:  # --help and --version print and exit through argparse
        return int(exc.code or 0)
    except GateError as exc:
        err.write(f"cekura-gate: {exc.kind}: {exc.message}\n")
        return exc.exit_code

    try:
        if settings.command == "validate":
            from gate.validate import run_validate

            return run_validate(settings, out=out, err=err)
        if settings.command == "combine":
            from gate.combine import run_combine

            return run_combine(settings, out=out, err=err)
        if settings.command == "demo":
            from gate.demo import run_demo

            return run_demo(settings, out=out, err=err)
        if settings.dry_run:
            from gate.dry_run import run_dry_run

            return run_dry_run(settings, out=out, err=err)
        from gate.check import run_check

        return run_check(settings, out=out, err=err)
    except GateError as exc:
        err.write(f"cekura-gate: {exc.kind}: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("cekura-gate: interrupted\n")
        return EXIT_CANNOT_EVALUATE
    except Exception as exc:  # an internal error: say so plainly, keep the verdict "error"
        if settings.verbosity > 0 or environ.get("CEKURA_DEBUG", "").lower() in {"1", "true"}:
            import traceback  # only here: it costs every start-up ~5 ms

            traceback.print_exc(file=err)
        from gate.publish.actions.github import safe_log_line
        from gate.source.redact import redact

        # The exception may quote the API's words, or worse, a secret.
        secrets = (environ.get("CEKURA_API_KEY", ""), environ.get("GITHUB_TOKEN", ""))
        text = safe_log_line(redact(str(exc), secrets))
        err.write(
            f"cekura-gate: internal error: {type(exc).__name__}: {text}. This is a bug in "
            "cekura-gate; set CEKURA_DEBUG=true to print the traceback and report it.\n"
        )
        return EXIT_CANNOT_EVALUATE


def run() -> None:
    """Console-script entry point."""
    code = main(sys.argv[1:], os.environ)
    sys.stdout.flush()
    # The check is over: what is left is the loaded modules (PyYAML, msgspec, the gate), which
    # the interpreter's shutdown would walk for reference cycles, about 15 ms of every run
    # (benchmarks/startup.py). Frozen, they are freed by reference counting alone.
    gc.freeze()
    sys.exit(code if code in (0, 1, 2, 3) else EXIT_USAGE)
