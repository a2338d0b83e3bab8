"""GitHub Actions: workflow commands, outputs and annotations (github.py), the job log
(job_log.py), and the sticky pull-request comment (comment.py, through github_api.py)."""
