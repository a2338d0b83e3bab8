"""The significance tests against published values: Fisher's exact test and Mann-Whitney U."""

from __future__ import annotations

import math

import pytest

from gate.judge.significance import (
    EXACT_MAX,
    fisher_less,
    mann_whitney_greater,
    mann_whitney_less,
)

# -- Fisher's exact test ---------------------------------------------------------------------


def test_the_lady_tasting_tea():
    # Fisher (1935): 3 of 4 milk-first cups named right, 1 wrong; one-sided p = 17/70 = 0.2429
    assert fisher_less(1, 4, 3, 4) == pytest.approx(17 / 70, abs=1e-12)
    assert round(fisher_less(1, 4, 3, 4), 4) == 0.2429


def test_the_dieting_table():
    # men 1 dieting of 12, women 9 of 12: one-sided p = 0.001380 (the observed table alone,
    # 0.001346, plus the more extreme one, 0.0000337)
    assert round(fisher_less(1, 12, 9, 12), 6) == 0.001380
    assert fisher_less(1, 12, 9, 12) == pytest.approx((10 * 364 + 91) / math.comb(24, 12))


def test_the_most_extreme_table_is_one_over_the_number_of_tables():
    assert fisher_less(0, 5, 5, 5) == pytest.approx(1 / 252)


@pytest.mark.parametrize(
    ("counts", "p"),
    [
        ((10, 10, 10, 10), 1.0),  # no drop at all
        ((4, 4, 0, 4), 1.0),  # a rise is never significant as a drop
        ((0, 0, 3, 4), 1.0),  # no runs on one side: no evidence
        ((0, 10, 0, 10), 1.0),  # nothing passed on either side
    ],
)
def test_no_evidence_of_a_drop(counts, p):
    assert fisher_less(*counts) == pytest.approx(p)


def test_more_runs_make_the_same_drop_significant():
    # 90% -> 70%: not significant on 10 runs each, significant on 100 each
    assert fisher_less(7, 10, 9, 10) > 0.05
    assert fisher_less(70, 100, 90, 100) < 0.001


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        fisher_less(5, 4, 3, 4)


# -- Mann-Whitney U: exact ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("u", "table"),
    # Mann & Whitney (1947), Table I, n = 3, m = 4: P(U <= u)
    [(0, 0.029), (1, 0.057), (2, 0.114), (3, 0.200), (4, 0.314), (5, 0.429)],
)
def test_exact_table_three_against_four(u, table):
    # this result's 3 values above all but `u` pairs of the baseline's 4: U' = 12 - u
    base = [10.0, 20.0, 30.0, 40.0]
    values = _with_u(3, base, u)
    result = mann_whitney_greater(values, base)
    assert result.exact
    assert result.u == 12 - u
    assert round(result.p_value, 3) == table


@pytest.mark.parametrize(("u", "table"), [(0, 0.004), (1, 0.008), (2, 0.016), (3, 0.028)])
def test_exact_table_five_against_five(u, table):
    base = [10.0, 20.0, 30.0, 40.0, 50.0]
    result = mann_whitney_less(_with_u(5, base, 25 - u), base)  # smaller: p = P(U <= u)
    assert result.exact
    assert result.u == u
    assert round(result.p_value, 3) == table


def test_exact_one_sided_both_ways_add_up_to_one_plus_the_point():
    x, y = [1.5, 3.5, 8.0], [1.0, 2.0, 4.0, 9.0]
    greater, less = mann_whitney_greater(x, y), mann_whitney_less(x, y)
    assert greater.u == 6 and less.u == 6  # 1.5 > 1; 3.5 > 1, 2; 8 > 1, 2, 4
    # P(U >= 6) + P(U <= 6) = 1 + P(U = 6) = 1 + 5/35
    assert greater.p_value + less.p_value == pytest.approx(1 + 5 / 35)


def test_latency_that_rose_on_every_run_is_significant():
    before = [800.0 + i for i in range(8)]
    after = [1200.0 + i for i in range(8)]
    result = mann_whitney_greater(after, before)
    assert result.exact and result.u == 64
    assert result.p_value == pytest.approx(1 / math.comb(16, 8))


# -- Mann-Whitney U: normal approximation with ties ----------------------------------------


def test_tie_corrected_normal_approximation():
    # n = m = 10, ties of 2, 3, 4, 4, 3 and 2 values: sum(t^3 - t) = 180, U = 77.5, mean 50,
    # sigma^2 = 100/12 * (21 - 180/380) = 171.0526, z = (77.5 - 50 - 0.5) / 13.0787 = 2.0644,
    # p = 1 - Phi(2.0644) = 0.01949
    x = [3, 4, 4, 5, 5, 5, 6, 7, 7, 8]
    y = [1, 2, 2, 3, 3, 4, 4, 5, 6, 6]
    result = mann_whitney_greater(x, y)
    assert not result.exact
    assert result.u == 77.5
    assert result.p_value == pytest.approx(0.019488769860699, abs=1e-12)
    assert round(result.p_value, 4) == 0.0195


def test_large_samples_use_the_normal_approximation():
    x = [float(i) for i in range(EXACT_MAX + 1)]
    result = mann_whitney_greater(x, [v + 0.5 for v in x])
    assert not result.exact
    assert 0.5 < result.p_value < 1


def test_all_values_tied_is_no_evidence():
    assert mann_whitney_greater([5.0] * 60, [5.0] * 60).p_value == 1.0
    assert mann_whitney_greater([5.0, 5.0], [5.0]).p_value == 1.0


def test_an_empty_side_is_refused():
    with pytest.raises(ValueError):
        mann_whitney_greater([], [1.0])


def _with_u(n: int, base: list[float], u: int) -> list[float]:
    """n values whose U against `base` (sorted, spaced 10 apart) is `n * len(base) - u`:
    the values sit at the top, then the lowest ones are moved down past `u` baseline values."""
    m = len(base)
    positions = [m] * n  # how many baseline values each value is above
    for step in range(u):
        positions[step % n] -= 1
    # distinct values: ties would switch to the normal approximation
    return [(base[p - 1] + 5 if p > 0 else base[0] - 5) + i / 100 for i, p in enumerate(positions)]
