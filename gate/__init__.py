"""cekura-gate: a CI quality gate for voice agents tested on Cekura.

The package is read top to bottom: `check` obtains a result (`source/`), parses it
(`result/`), judges it against the config (`policy/`, `judge/`) and publishes the verdict
(`publish/`). Each stage imports only the stages listed before it in `LAYERS`; only the
commands (`check`, `validate`, `demo`, `cli`) wire them together. tests/packaging/
test_architecture.py holds every import, lazy ones included, to this order.
"""

__version__ = "0.1.0"

#: the import order, lowest first: a module may import its own layer and the ones before it
LAYERS = (
    "errors",  # every expected failure and its exit code
    "command_line",  # the command line's commands, flags and help
    "result",  # raw JSON -> Result; the status vocabulary
    "policy",  # YAML config -> Policy, the shipped JSON Schema
    "source",  # the Cekura API, the wait loop, saved files, the baseline
    "judge",  # Result + Policy -> Verdict
    "publish",  # the verdict for people and machines
    "simulator",  # the stand-in Cekura API (the demo and the tests)
    "settings",  # argv and the environment, read once into Settings: for the commands only
    "flow",  # the steps of `check` that wire several stages (baseline, early, retry, share)
    "check",  # the commands, which wire the stages
    "dry_run",  # check --dry-run: the plan of a start, no call placed
    "combine",  # one verdict over the JSON reports of a matrix's jobs
    "validate",
    "demo",
    "cli",  # argv + environ -> a command -> the exit code
    "__main__",
)
