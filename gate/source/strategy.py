"""When to poll next: sparsely while the end is far, densely just before it.

Fixed polling learns of the end, on average, half an interval late, and spends most of its
requests while nothing can have changed. This strategy reads the progress the API reports
(`completed_runs_count` of `total_runs_count`, and the `evaluating` status Cekura shows once
every run is done) and plans each wait from the expected end:

- queued (`pending`, `in_queue`, `scaling_up`) with no run done: three intervals (30 s by
  default: the official Cekura action's fixed interval);
- running: the rate at which runs complete gives the expected time of the last one; the
  next poll comes half-way there, so polls close in on it; with no run done yet, or no
  counts at all, there is no rate, and it waits the interval;
- every run done, or `evaluating`: the end is near; it polls every 2 s.

The rule that keeps it no worse than fixed polling: a wait may be longer than the interval
(up to three) only while the end is far, that is while the result is queued or fewer than
two thirds of its runs are done; from then on no wait exceeds the interval. So a last run
that straggles, or a result that turns `completed` without an `evaluating` phase, is
learned of within one interval, as fixed polling would; the long waits early on pay for the
dense end. What they cost: a result that ends while its end still looked far (cancelled or
failed early; a third of its runs finishing at once, as a result of two or three runs on
parallel lines can; runs shorter than the queue wait) can be learned of up to three
intervals late.

Two rules bound any plan. It never polls more often than every 2 s (or than
--poll-interval, when that is shorter). And it never sends more requests than fixed polling
at --poll-interval would have by the same moment: request n+1 waits until n intervals have
passed, so the dense end is paid for with the requests saved early on. A server's
Retry-After is not planned here: the wait loop (gate/source/wait.py) uses it instead of any plan.
benchmarks/polling.py measures the result against fixed polling on simulated timelines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from gate.result.status import WAITING_STATUSES
from gate.source.wait import Progress

#: never poll more often than this (unless --poll-interval itself is shorter)
MIN_INTERVAL = 2.0
#: the longest planned wait, in --poll-interval units, allowed only while the end is far
MAX_INTERVALS = 3.0
#: the end is far while fewer than this share of the runs are done (or none has started)
FAR_SHARE = Fraction(2, 3)
#: a plan waits this share of the time left until the expected end
APPROACH = 0.5


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
        """The longest wait it ever plans (only while the end is far)."""
        return MAX_INTERVALS * self.interval

    def longest_wait(self, progress: Progress) -> float:
        """Three intervals while the end is far, else one: no wait beyond it once it is near."""
        return self.ceiling if _end_is_far(progress) else self.interval

    def __call__(self, progress: Progress) -> float:
        now = progress.elapsed
        if self._woke_at is not None and progress.attempt == self._asked_at + 1:
            # The request right after a planned wait (no failed one between): its answer time,
            # believed up to one interval (a stalled clock or a slow hook is not the API).
            self._latency = max(self._latency, min(now - self._woke_at, self.interval))
        planned = min(max(self._plan(progress), self.floor), self.longest_wait(progress))
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
        if status in WAITING_STATUSES and not done:
            return self.ceiling  # no run has even started: the end is far
        if not total or done is None:
            return self.interval  # no counts: nothing to plan with
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


def _end_is_far(progress: Progress) -> bool:
    """Queued with no run done, or fewer than two thirds of the runs done.

    Before that point the last run is still far off; after it, the end (or a cancellation)
    may come any time, so a wait longer than the interval could make the gate later than
    fixed polling.
    """
    done, total = progress.completed_runs, progress.total_runs
    if progress.status in WAITING_STATUSES and not done:
        return True
    return bool(total) and done is not None and done < FAR_SHARE * total
