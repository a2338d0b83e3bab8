"""Is a drop against the baseline more than chance? Two one-sided tests, standard library only.

A rate that fell from 9 of 10 to 7 of 10 runs may be the agent getting worse or the luck of
the draw; these tests say how likely a drop at least this large is when nothing changed.

- `fisher_less`: Fisher's exact test on the 2×2 table of successes and failures (this result
  against the baseline). The p-value is the hypergeometric probability, margins fixed, that this
  result has at most the successes it has: P(X ≤ a). Exact, from integer binomial coefficients.
- `mann_whitney_greater`: the Mann-Whitney U test on per-run values, one-sided: this result's
  values tend to be larger (latency got worse). U counts the pairs (x from this result, y from
  the baseline) with x > y, a tie counting ½; the p-value is P(U ≥ U observed).
  Exact when no value is tied and both samples have at most EXACT_MAX values: the null
  distribution of U is counted (its generating function is the Gaussian binomial coefficient).
  Otherwise the normal approximation with the tie correction of the variance and a continuity
  correction of ½:  z = (U − nm/2 − ½) / σ,  σ² = nm/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1))).

Both return the same numbers as scipy.stats (fisher_exact, mannwhitneyu with method "exact"
or "asymptotic"); the tests hold them to published tables. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import NormalDist

import msgspec

#: the largest sample, on either side, whose U distribution is counted exactly
EXACT_MAX = 50


class MannWhitney(msgspec.Struct, frozen=True, gc=False):
    u: float  # the U statistic of the first sample
    p_value: float
    exact: bool  # counted, not approximated


def fisher_less(successes: int, runs: int, base_successes: int, base_runs: int) -> float:
    """One-sided Fisher exact p-value that `successes`/`runs` is below the baseline's rate."""
    if not (0 <= successes <= runs and 0 <= base_successes <= base_runs):
        raise ValueError("successes must be between 0 and the number of runs")
    total = runs + base_runs
    wins = successes + base_successes
    if runs == 0 or base_runs == 0:
        return 1.0
    # X, this result's successes, is hypergeometric: `runs` drawn from `total`, `wins` marked.
    # The tail's terms C(wins, k)·C(total - wins, runs - k) come from one another downwards by
    # integer steps (exact: each term is a whole number), not from two binomials each: at
    # 10,000 runs a side that is ~20 ms instead of ~10 s.
    low = max(0, wins - base_runs)
    term = math.comb(wins, successes) * math.comb(total - wins, runs - successes)
    tail = term
    for k in range(successes, low, -1):
        term = term * k * (total - wins - runs + k) // ((wins - k + 1) * (runs - k + 1))
        tail += term
    return min(1.0, tail / math.comb(total, runs))  # int / int: exact, then rounded once


def mann_whitney_greater(values: Sequence[float], base: Sequence[float]) -> MannWhitney:
    """One-sided Mann-Whitney U test that `values` tend to be larger than `base`."""
    n, m = len(values), len(base)
    if n == 0 or m == 0:
        raise ValueError("the Mann-Whitney test needs a value on each side")
    ranks = _midranks([*values, *base])
    u = sum(ranks[:n]) - n * (n + 1) / 2
    ties = Counter([*values, *base])
    tied = any(count > 1 for count in ties.values())
    if not tied and n <= EXACT_MAX and m <= EXACT_MAX:
        counts = _u_counts(n, m)
        at_least = sum(counts[math.ceil(u) :])  # no ties: u is a whole number
        return MannWhitney(u, min(1.0, at_least / math.comb(n + m, n)), exact=True)
    total = n + m
    correction = sum(t**3 - t for t in ties.values()) / (total * (total - 1))
    variance = n * m / 12 * ((total + 1) - correction)
    if variance <= 0:  # every value the same: no evidence either way
        return MannWhitney(u, 1.0, exact=False)
    z = (u - n * m / 2 - 0.5) / math.sqrt(variance)
    return MannWhitney(u, min(1.0, 1 - NormalDist().cdf(z)), exact=False)


def mann_whitney_less(values: Sequence[float], base: Sequence[float]) -> MannWhitney:
    """One-sided Mann-Whitney U test that `values` tend to be smaller than `base`."""
    flipped = mann_whitney_greater([-v for v in values], [-v for v in base])
    return MannWhitney(len(values) * len(base) - flipped.u, flipped.p_value, flipped.exact)


def _midranks(values: list[float]) -> list[float]:
    """Each value's rank (1-based) in the sorted values; tied values share their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _u_counts(n: int, m: int) -> list[int]:
    """How many of the C(n+m, n) orderings give U = 0, 1, ..., nm: the coefficients of the
    Gaussian binomial [n+m choose n]_q = Π_{i=1..n} (1 − q^(m+i)) / (1 − q^i)."""
    poly = [1]
    for i in range(1, n + 1):
        # multiply by (1 - q^(m+i)) ...
        shift = m + i
        grown = poly + [0] * shift
        for k in range(len(poly)):
            grown[k + shift] -= poly[k]
        # ... and divide by (1 - q^i): running sums with stride i (the division is exact)
        for k in range(i, len(grown)):
            grown[k] += grown[k - i]
        poly = grown[: len(grown) - i]
    return poly
