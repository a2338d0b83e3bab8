"""When to poll next: on fixed polling's own schedule, skipping requests while the result is
queued and spending them as extra requests where the end is expected.

Fixed polling at --poll-interval sends request k at (k-1)·(interval + answer time): call
those instants the grid. It learns of the end, on average, half an interval late, and spends
most of its requests while nothing can have changed. This strategy keeps to the grid and
changes two things, reading the progress the API reports (`completed_runs_count` of
`total_runs_count`, and the `evaluating` status Cekura shows once every run is done):

- queued (`pending`, `in_queue`, `scaling_up`) with no run done: it skips grid requests,
  waiting no longer than the result has already been queued (a queue that has lasted a
  minute is likely to last another; a short one is not skipped through) and at most three
  intervals, and lands back on the grid;
- otherwise it sends every grid request, and adds extra ones, paid for by those it skipped,
  where the end is expected: half-way to the expected last run (from the rate at which runs
  complete), and every 2 s once every run is done or the result is `evaluating`.

Why the grid: once the runs have started, every grid request is sent, so a result that ends
while it runs, evaluates or straggles (a cancel, a failure, `completed` without an
`evaluating` phase) is learned of no later than fixed polling learns of it: the extra
requests can only make it sooner. Only a result that ends while still queued can be learned
of later, by at most the time it had already been queued (and three intervals).

Two rules bound any plan. It never polls more often than every 2 s (or than
--poll-interval, when that is shorter): an extra request too close to the next grid one is
not sent. And it never sends more requests than fixed polling at --poll-interval would have
by the same moment: request n+1 waits until n grid steps have passed. A server's Retry-After
is not planned here: the wait loop (gate/source/wait.py) uses it instead of any plan.
benchmarks/polling.py measures the result against fixed polling on simulated timelines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gate.result.status import WAITING_STATUSES
from gate.source.wait import Progress

#: never poll more often than this (unless --poll-interval itself is shorter)
MIN_INTERVAL = 2.0
#: the longest wait, in --poll-interval units, allowed only while the result is queued
MAX_INTERVALS = 3.0
#: an extra request waits this share of the time left until the expected end
APPROACH = 0.5
# Float slack when placing a request on the grid.
_EPSILON = 1e-6


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
        """The longest wait it ever plans (only while the result is queued)."""
        return MAX_INTERVALS * self.interval

    @property
    def step(self) -> float:
        """Fixed polling's period: the interval plus the time an answer takes."""
        return self.interval + self._latency

    def __call__(self, progress: Progress) -> float:
        now = progress.elapsed
        if progress.attempt == 1:
            self._latency = max(self._latency, min(now, self.interval))  # sent at 0
        elif self._woke_at is not None and progress.attempt == self._asked_at + 1:
            # The request right after a planned wait (no failed one between): its answer time,
            # believed up to one interval (a stalled clock or a slow hook is not the API).
            self._latency = max(self._latency, min(now - self._woke_at, self.interval))
        step = self.step
        # Fixed polling's next request, and the earliest request `attempt + 1` may go so that
        # it never sends more than fixed polling by the same moment.
        next_grid = self._grid_after(now)
        budget_at = progress.attempt * step
        if _queued(progress):
            # Skip grid requests, but no longer than the result has been waiting already.
            wanted = min(self.ceiling, max(self.interval, now))
            at = self._grid_at_or_after(max(now + wanted, budget_at))
        else:
            extra = max(now + max(self._plan(progress), self.floor), budget_at)
            # An extra request only when it leaves room for the floor before the grid one.
            fits = extra + self._latency + self.floor <= next_grid + _EPSILON
            at = extra if fits else max(next_grid, budget_at)
        wait = max(at - now, self.floor)
        self._woke_at, self._asked_at = now + wait, progress.attempt
        return wait

    def _grid_after(self, now: float) -> float:
        """The first grid instant after `now`."""
        return (math.floor(now / self.step + _EPSILON) + 1) * self.step

    def _grid_at_or_after(self, moment: float) -> float:
        return math.ceil(moment / self.step - _EPSILON) * self.step

    def _plan(self, progress: Progress) -> float:
        """The wait until the moment the end is worth an extra request."""
        now = progress.elapsed
        status = progress.status
        done, total = progress.completed_runs, progress.total_runs
        if status == "evaluating" or (total and done is not None and done >= total):
            return self.floor  # every run is done: the end is near
        if not total or done is None:
            return math.inf  # no counts: nothing to plan with, the grid alone
        if self._running_since is None:
            self._running_since = now
        if done and (not self._seen or done > self._seen[-1][1]):
            self._seen.append((now, done))
        rate = self._rate(now, done)
        if rate <= 0:
            return math.inf
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


def _queued(progress: Progress) -> bool:
    """Queued with no run done: the only state in which grid requests are skipped."""
    return progress.status in WAITING_STATUSES and not progress.completed_runs
