"""The cost of the significance tests (gate/judge/significance.py) as the samples grow.

Fisher's exact test sums a hypergeometric tail in exact integers; Mann-Whitney U ranks the
pooled values (and counts the exact distribution up to 50 values a side). Each is timed
in-process against a floor every test must pay anyway: sorting the pooled values once. Sizes
are runs per side; the result loses 5 points of success rate and every run is 3% slower.
Exit 0 whatever the figures: this measures, it does not gate.

Usage: python benchmarks/significance.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gate.judge.significance import fisher_less, mann_whitney_greater


def best(repeat: int, work: Callable[..., object], *args: object) -> float:
    """The fastest of `repeat` runs, in milliseconds (the least disturbed by other jobs)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work(*args)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = (10, 100) if args.quick else (10, 50, 100, 1_000, 10_000, 50_000)
    repeat = 1 if args.quick else args.repeat
    rng = random.Random(7)
    print(
        f"{'runs a side':>12} {'floor ms':>9} {'Fisher ms':>10} {'x floor':>8} "
        f"{'Mann-Whitney ms':>16} {'x floor':>8}"
    )
    for n in sizes:
        before = [rng.gauss(800, 120) for _ in range(n)]
        after = [v * 1.03 for v in (rng.gauss(800, 120) for _ in range(n))]
        floor = best(repeat, sorted, before + after)
        passed = round(n * 0.90)
        fisher = best(repeat, fisher_less, passed - n // 20, n, passed, n)
        mann = best(repeat, mann_whitney_greater, after, before)
        print(
            f"{n:>12,} {floor:>9.3f} {fisher:>10.3f} {fisher / floor:>8.1f} "
            f"{mann:>16.3f} {mann / floor:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
