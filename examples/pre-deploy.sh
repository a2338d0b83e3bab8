#!/usr/bin/env bash
# Gate a deploy on Cekura from any CI system (GitLab CI, Jenkins, CircleCI, Buildkite...).
#
# Needs Python 3.11+ and, in the environment:
#   CEKURA_API_KEY                          your Cekura API key (a CI secret)
#   CEKURA_AGENT_ID + CEKURA_TAGS           start a run of these scenarios and gate it
#     (or CEKURA_SCENARIOS=1,2,3 instead of CEKURA_TAGS)
#   or CEKURA_RESULT_ID                     gate a result that already exists
# Optional: CEKURA_GATE_VERSION (pin the tool), CEKURA_CONFIG, CEKURA_TIMEOUT, ...
# Extra arguments are passed on to `cekura-gate check`.
#
# Usage in a pipeline:  ./pre-deploy.sh && ./deploy.sh
set -uo pipefail

if ! command -v cekura-gate >/dev/null 2>&1; then
  python3 -m pip install --quiet "cekura-gate${CEKURA_GATE_VERSION:+==$CEKURA_GATE_VERSION}" \
    || { echo "could not install cekura-gate with pip" >&2; exit 3; }
fi

reports=${CEKURA_REPORTS_DIR:-cekura-reports}
cekura-gate check --report-json "$reports/gate.json" --junit-xml "$reports/junit.xml" "$@"
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
