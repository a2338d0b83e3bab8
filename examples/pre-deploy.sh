#!/usr/bin/env bash
# Gate a deploy on Cekura from any CI system (GitLab CI, Jenkins, CircleCI, Buildkite...).
#
# Needs Python 3.11+ and, in the environment:
#   CEKURA_API_KEY                          your Cekura API key (a CI secret)
#   CEKURA_AGENT_ID + CEKURA_TAGS           start a run of these scenarios and gate it
#     (or CEKURA_SCENARIOS=1,2,3 instead of CEKURA_TAGS)
#   or CEKURA_RESULT_ID                     gate a result that already exists
# Optional: CEKURA_GATE_VERSION (pin the tool, e.g. 0.1.0), CEKURA_CONFIG, CEKURA_TIMEOUT, ...
#   CEKURA_GATE_VENV     where to install it (default .cekura-gate-venv; cache it between jobs)
#   CEKURA_GATE_PACKAGE  what to install instead of cekura-gate from PyPI (a wheel, a path)
# Extra arguments are passed on to `cekura-gate check`.
#
# A cekura-gate already on PATH is used as it is. Otherwise it is installed into its own
# virtual environment: current Debian and Ubuntu refuse `pip install` into the system Python.
#
# Usage in a pipeline:  ./pre-deploy.sh && ./deploy.sh
set -uo pipefail

gate=cekura-gate
if ! command -v cekura-gate >/dev/null 2>&1; then
  venv=${CEKURA_GATE_VENV:-.cekura-gate-venv}
  package=${CEKURA_GATE_PACKAGE:-cekura-gate${CEKURA_GATE_VERSION:+==$CEKURA_GATE_VERSION}}
  if [ ! -d "$venv" ] && ! python3 -m venv "$venv"; then
    echo "could not create a virtual environment in $venv: cekura-gate needs Python 3.11+" \
      "with venv (on Debian or Ubuntu: apt-get install python3-venv)" >&2
    exit 3
  fi
  bin="$venv/bin"
  [ -d "$venv/Scripts" ] && bin="$venv/Scripts" # Windows (Git Bash)
  # a no-op when the environment (kept between jobs) has it already
  if ! "$bin/python" -m pip install --quiet --disable-pip-version-check "$package"; then
    echo "could not install $package into $venv" >&2
    exit 3
  fi
  gate="$bin/cekura-gate"
fi

reports=${CEKURA_REPORTS_DIR:-cekura-reports}
"$gate" check --report-json "$reports/gate.json" --junit-xml "$reports/junit.xml" "$@"
code=$?

case $code in
  0) echo "Cekura gate passed: safe to deploy." ;;
  1) echo "Cekura gate FAILED: the agent missed its thresholds (see the report above" \
       "and $reports/gate.json). Not deploying." >&2 ;;
  2) echo "Cekura gate could not start: a setting or the config file is wrong (see the" \
       "message above). Fix it and re-run." >&2 ;;
  3) echo "Cekura gate could not evaluate the result (API key refused, result not found," \
       "API unreachable, timed out, or too few runs; see the message above). Not deploying:" \
       "no verdict is not a pass." >&2 ;;
  *) echo "cekura-gate exited with unexpected code $code. Not deploying." >&2 ;;
esac
exit "$code"
