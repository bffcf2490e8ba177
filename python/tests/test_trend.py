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


# Issue 17: the trend conventions as keywords, the names of [evaluate] and of the command line.
# Eight years with two tie groups; the expected values from scipy 1.17.1 and pymannkendall 1.4.3
# (tests/it/conventions_options.rs quotes the calls):
#   scipy.stats.kendalltau(t, y, method="asymptotic", alternative="greater")
#       -> tau_b 0.8894991799933215, p 0.0012817304619346585
#   pymannkendall.original_test(y) -> tau 0.8571428571428571, p 0.0038512913785901937
#   scipy.stats.theilslopes(Y6, T6, method="joint") -> intercept -2549.4000000000015
T8 = list(range(2008, 2016))
Y8 = [3.1, 3.4, 3.4, 3.9, 3.7, 4.2, 4.2, 4.5]
T6 = [2008, 2009, 2010, 2012, 2013, 2015]
Y6 = [61.0, 63.5, 62.0, 66.2, 70.1, 69.0]


def test_mann_kendall_p_value_alternative_and_tau_keywords() -> None:
    default = cc.trend.mann_kendall(Y8, T8)
    assert default.method == "exact_ties"
    assert default.tau == pytest.approx(0.8571428571428571, abs=1e-15)
    r = cc.trend.mann_kendall(Y8, T8, p_value="normal", alternative="greater", tau="b")
    assert (r.method, r.alternative) == ("normal_uncorrected", "increasing")
    assert r.tau == pytest.approx(0.8894991799933215, abs=1e-15)
    assert r.p_value == pytest.approx(0.0012817304619346585, abs=1e-12)
    cc_ = cc.trend.mann_kendall(Y8, T8, p_value="normal_cc")
    assert cc_.p_value == pytest.approx(0.0038512913785901937, abs=1e-12)
    with pytest.raises(cc.SpecError, match="p_value"):
        cc.trend.mann_kendall(Y8, T8, p_value="asymptotic")
    with pytest.raises(cc.SpecError, match="exact"):
        cc.trend.mann_kendall(list(range(12)), p_value="exact")


def test_sen_intercept_keyword() -> None:
    medians = cc.trend.sen_slope(Y6, T6)
    residuals = cc.trend.sen_slope(Y6, T6, sen_intercept="residuals")
    assert medians.intercept == pytest.approx(-2549.4500000000016, abs=1e-8)
    assert residuals.intercept == pytest.approx(-2549.4000000000015, abs=1e-8)
    assert medians.slope == residuals.slope
    with pytest.raises(cc.SpecError, match="sen_intercept"):
        cc.trend.sen_slope(Y6, T6, sen_intercept="joint")
