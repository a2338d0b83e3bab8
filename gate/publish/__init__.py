"""The verdict for people and tools: Markdown, JSON, JUnit, GitHub outputs and annotations, the
pull-request comment.

`step.py` writes every surface of a check. `words/` says how the verdict reads (numbers,
sentences, untrusted text made inert) and imports no other folder here; `findings/` (the checks
table's rows, failures grouped by cause, each failing run's evidence) builds on it; the
surfaces build on both: `pages/` (Markdown), `console/` (the terminal), `report_json.py` and
`junit.py` (files), and `actions/` (GitHub Actions and the pull-request comment, which also
reads the JSON report's identity of the result).
"""
