"""When to poll next: sparsely while the end is far, densely just before it.

Fixed polling learns of the end, on average, half an interval late, and spends most of its
requests while nothing can have changed. This strategy reads the progress the API reports
(`completed_runs_count` of `total_runs_count`, and the `evaluating` status Cekura shows once
every run is done) and plans each wait from the expected end:

- queued (`pending`, `in_queue`, `scaling_up`), or no run counts: nothing to plan with
  yet, so it waits the interval, as fixed polling does;
- running: the rate at which runs complete gives the expected time of the last one; the
  next poll comes half-way there (at most three intervals away, 30 s by default: the
  official Cekura action's fixed interval), so polls close in on it;
- every run done, or `evaluating`: the end is near; it polls every 2 s.

Two rules bound any plan. It never polls more often than every 2 s (or than
--poll-interval, when that is shorter). And it never sends more requests than fixed polling
at --poll-interval would have by the same moment: request n+1 waits until n intervals have
passed, so the dense end is paid for with the requests saved early on. A server's
Retry-After is not planned here: the wait loop (gate/source/wait.py) uses it instead of any plan.
benchmarks/polling.py measures the result against fixed polling on simulated timelines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gate.source.wait import Progress

#: never poll more often than this (unless --poll-interval itself is shorter)
MIN_INTERVAL = 2.0
#: the longest planned wait, in --poll-interval units
MAX_INTERVALS = 3.0
#: a plan waits this share of the time left until the expected end
APPROACH = 0.5
WAITING_STATUSES = frozenset({"pending", "in_queue", "scaling_up", "queued"})


@dataclass
class AdaptivePolling:
    """`next_interval` for gate.source.wait.wait_for_result; one instance per wait."""

    interval: float  # --poll-interval: fixed polling's interval, and the request budget
    #: (elapsed, completed runs) of the successful polls that saw more runs complete
    _seen: list[tuple[float, int]] = field(default_factory=list, repr=False)
    _running_since: float | None = field(default=None, repr=False)
    _woke_at: float | None = field(default=None, repr=False)  # when the last planned wait ends
    _asked_at: int = field(default=0, repr=False)  # the attempt that planned it
    _latency: float = field(default=0.0, repr=False)  # the longest answer time seen

    @property
    def floor(self) -> float:
        return min(MIN_INTERVAL, self.interval)

    @property
    def ceiling(self) -> float:
        return MAX_INTERVALS * self.interval

    def __call__(self, progress: Progress) -> float:
        now = progress.elapsed
        if self._woke_at is not None and progress.attempt == self._asked_at + 1:
            # The request right after a planned wait (no failed one between): its answer time,
            # believed up to one interval (a stalled clock or a slow hook is not the API).
            self._latency = max(self._latency, min(now - self._woke_at, self.interval))
        planned = min(max(self._plan(progress), self.floor), self.ceiling)
        # Fixed polling sends request n+1 an interval (plus an answer time) after request n:
        # request `attempt + 1` here never comes before that one would have.
        budget = progress.attempt * (self.interval + self._latency) - now
        wait = max(planned, budget, self.floor)
        self._woke_at, self._asked_at = now + wait, progress.attempt
        return wait

    def _plan(self, progress: Progress) -> float:
        now = progress.elapsed
        status = progress.status
        done, total = progress.completed_runs, progress.total_runs
        if status == "evaluating" or (total and done is not None and done >= total):
            return self.floor  # every run is done: the end is near
        if (status in WAITING_STATUSES and not done) or not total or done is None:
            return self.interval  # queued, or no counts: nothing to plan with yet
        if self._running_since is None:
            self._running_since = now
        if done and (not self._seen or done > self._seen[-1][1]):
            self._seen.append((now, done))
        rate = self._rate(now, done)
        if rate <= 0:
            return self.interval
        # Half-way to the expected last completion; once that is due, the floor (the
        # budget, not this plan, keeps a straggler from using up every saved request).
        return APPROACH * (total - done) / rate

    def _rate(self, now: float, done: int) -> float:
        """Runs completed per second, from the first completion seen to now."""
        if len(self._seen) >= 2:
            first_at, first_done = self._seen[0]
            if now > first_at:
                return (done - first_done) / (now - first_at)
        if done and self._running_since is not None and now > self._running_since:
            # One sighting only: count from when the runs started (a cautious, low rate).
            return done / (now - self._running_since)
        return 0.0
