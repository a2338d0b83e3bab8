"""The steps of `cekura-gate check` that wire several stages: what the command line asks
for (wanted), judging a result under the policy, the baseline, deciding early, retrying the
failed scenarios, the share link. gate/check.py runs them in order."""
