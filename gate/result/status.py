"""The statuses a Cekura result goes through, as the gate reads them: defined here only."""

from __future__ import annotations

#: a result (or run) with one of these has finished: nothing about it will change
TERMINAL_STATUSES = frozenset({"completed", "failed", "timeout", "cancelled"})
#: a result with one of these has not started its runs yet: it waits for capacity
WAITING_STATUSES = frozenset({"pending", "in_queue", "scaling_up", "queued"})
#: the statuses seen in payloads, already stripped and lowercase (any other is normalised);
#: each maps to itself so that 10,000 runs share one string per status
KNOWN_STATUSES = {
    s: s for s in (*sorted(TERMINAL_STATUSES), "running", "pending", "in_progress", "evaluating")
}
