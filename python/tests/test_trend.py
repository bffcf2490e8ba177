"""citycheck.trend against published examples."""

from __future__ import annotations

import math

import pytest

import citycheck as cc

# Little, College of the Holy Cross, "Mann-Kendall by hand" (n = 14):
# S = 54, Var(S) = 332.667, Z = (S - 1)/sqrt(Var) = 2.9058.
HOLY_CROSS = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7]


def test_mann_kendall_holy_cross() -> None:
    r = cc.trend.mann_kendall(HOLY_CROSS)
    assert (r.n, r.s, r.method) == (14, 54, "normal")
    assert r.var_s == pytest.approx(332.667, abs=5e-4)
    assert r.z == pytest.approx(2.9058, abs=5e-5)


def test_five_annual_check_ups_reach_p_one_in_120_at_best() -> None:
    # Exact null distribution, n = 5: P(S = 10) = 1/120 (published_examples.md).
    r = cc.trend.mann_kendall([3.0, 4.0, 6.0, 7.5, 9.0], [2021, 2022, 2023, 2024, 2025], alternative="increasing")
    assert r.method == "exact" and r.p_value == pytest.approx(1 / 120, abs=1e-15)
    assert r.min_attainable_p == pytest.approx(1 / 120, abs=1e-15)


def test_ols_and_sen_use_real_years_with_gaps() -> None:
    years = [2008, 2010, 2011, 2014]
    y = [1.0, 3.0, 4.0, 7.0]  # exactly y = 1 + (t - 2008): slope 1
    fit = cc.trend.ols(y, years)
    assert fit.slope == pytest.approx(1.0, abs=1e-12) and fit.r_squared == pytest.approx(1.0, abs=1e-12)
    assert cc.trend.sen_slope(y, years).slope == pytest.approx(1.0, abs=1e-12)


def test_cagr_by_hand_and_undefined_for_non_positive_values() -> None:
    # 100 → 121 over two years: 10% a year.
    assert cc.trend.cagr([100.0, None, 121.0], [2020, 2021, 2022]) == pytest.approx(0.1, abs=1e-12)
    with pytest.raises(cc.MethodError):
        cc.trend.cagr([-1.0, 2.0])
    assert math.isfinite(cc.trend.cagr([1.0, 2.0]))
