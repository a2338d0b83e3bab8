"""The exit codes as `cekura-gate --help` (and `check --help`, `demo --help`) lists them."""

from __future__ import annotations

EXIT_CODES = """\
exit codes:
  0  passed: every error-level check held (warnings allowed)
  1  failed: at least one error-level check did not hold
  2  usage or config error: bad flag, missing setting, invalid config file
  3  could not evaluate: API key refused, result not found, API unreachable,
     timed out waiting, result ended failed/timeout/cancelled, too few runs"""
