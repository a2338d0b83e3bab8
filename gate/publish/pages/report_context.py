"""What a report says about the run beyond the verdict and the result: the policy's source,
links to the commit and the workflow run, when it was written, notes on how the result was
obtained."""

from __future__ import annotations

from datetime import datetime

import msgspec


class ReportContext(msgspec.Struct, frozen=True, gc=False):
    """Facts about the run that are not in the verdict or the result."""

    policy_source: str = "default policy"
    result_id: str = ""
    summary_url: str = ""  # where the full job summary lives (for a shortened comment)
    policy_url: str = ""  # the policy file at this commit, when it is a file in the repository
    commit: str = ""  # the commit the workflow ran on (GITHUB_SHA)
    run_url: str = ""  # the workflow run
    run_number: str = ""  # GITHUB_RUN_NUMBER: "workflow run #777"
    updated_at: datetime | None = None  # when this report was written
    notice: str = ""  # said above the footer (the default policy applied: how to set one)
    #: how the result was obtained, when it matters to the verdict ("Decided early: 5 calls
    #: not needed", "Reattached to the run of attempt 1"): one line each under the identity
    notes: tuple[str, ...] = ()
