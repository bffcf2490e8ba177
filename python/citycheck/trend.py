"""Trend statistics of one series (五年一评估): the Rust ``citycheck::trend`` kernels.

``t`` are real years (gaps allowed; default 0, 1, 2, …), ``y`` the values — lists, numpy arrays
of any numeric dtype, polars or pandas Series; pairs with a missing value (NaN, None, null,
``pd.NA``) are dropped. Short series are the normal case for five annual check-ups: read
``min_attainable_p`` before reading ``p_value``.

>>> r = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0], alternative="increasing")
>>> (r.s, r.method, round(r.p_value * 120, 6))  # exact: 1/120
(10, 'exact', 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _citycheck as _native
from ._convert import F64Array, to_float, to_vector

__all__ = ["ols", "mann_kendall", "sen_slope", "cagr", "Ols", "MannKendall", "SenSlope"]


@dataclass(frozen=True)
class Ols:
    """Least-squares line y = intercept + slope·t; inference (Student t) only for n ≥ 3.

    >>> fit = ols([1.0, 3.0, 4.0, 7.0], [2008, 2010, 2011, 2014])
    >>> round(fit.slope, 12), round(fit.r_squared, 12)
    (1.0, 1.0)
    """

    n: int
    slope: float
    intercept: float
    r_squared: float | None
    slope_se: float | None
    ci95: tuple[float, float] | None
    p_value: float | None


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall test: ``method`` says whether p is exact (n ≤ 10) or the normal
    approximation; ``min_attainable_p`` is the smallest p any series of this length can give.

    >>> r = mann_kendall([60, 62, 61, 65, 67])
    >>> r.s, round(r.p_value * 12, 12)  # exact two-sided p = 1/12
    (8, 1.0)
    """

    n: int
    s: int
    var_s: float
    z: float
    tau: float
    p_value: float
    method: str
    alternative: str
    min_attainable_p: float


@dataclass(frozen=True)
class SenSlope:
    """Sen's slope (median pairwise slope over real time differences) with Gilbert's interval
    at level 1 − ``alpha`` (None when the series is too short).

    >>> s = sen_slope([1.0, 3.0, 4.0, 7.0], [2008, 2010, 2011, 2014])
    >>> round(s.slope, 12), s.alpha
    (1.0, 0.05)
    """

    n: int
    slope: float
    intercept: float
    ci: tuple[float, float] | None
    alpha: float


def _series(y: Any, t: Any | None) -> tuple[F64Array, F64Array]:
    values = to_vector(y, "y")
    if t is None:
        times = np.arange(values.shape[0], dtype=np.float64)
    else:
        times = to_vector(t, "t", n=values.shape[0], missing=False)
    return times, values


def _pair(value: Any) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


def ols(y: Any, t: Any | None = None) -> Ols:
    """OLS slope, intercept, R², standard error, 95% CI and two-sided p of ``y`` on ``t``.

    >>> import numpy as np
    >>> fit = ols(np.array([2, 4, 6], dtype=np.int8), np.array([2019, 2020, 2021], dtype=np.uint16))
    >>> fit.n, round(fit.slope, 12)
    (3, 2.0)
    """
    times, values = _series(y, t)
    d = dict(_native.trend_ols(times, values))
    d["ci95"] = _pair(d.get("ci95"))
    return Ols(**d)


def mann_kendall(
    y: Any,
    t: Any | None = None,
    *,
    alternative: str = "two_sided",
    p_value: str = "auto",
    tau: str = "a",
) -> MannKendall:
    """Mann-Kendall trend test of ``y`` in the order of ``t``.

    ``alternative``: ``"two_sided"``, ``"increasing"`` (or ``"greater"``) or ``"decreasing"``
    (or ``"less"``). ``p_value``: ``"auto"`` (exact for n ≤ 10, else normal with continuity
    correction), ``"exact"``, ``"normal"`` (no continuity correction, as
    ``scipy.stats.kendalltau``) or ``"normal_cc"`` (pyMannKendall's ``original_test``).
    ``tau``: ``"a"`` (S over all pairs) or ``"b"`` (tie-corrected, as R's ``Kendall``).

    >>> r = mann_kendall([9.0, 3.0, 7.5, 4.0, 6.0], [2025, 2021, 2024, 2022, 2023], alternative="increasing")
    >>> r.s, r.method
    (10, 'exact')
    >>> r = mann_kendall([1.0, 2.0, 2.0, 3.0], p_value="normal_cc", tau="b")
    >>> r.method, round(r.tau * 30**0.5, 12)  # S = 5 over sqrt(6 * 5)
    ('normal', 5.0)
    """
    times, values = _series(y, t)
    order = np.argsort(times, kind="stable")
    ordered = np.ascontiguousarray(values[order])
    return MannKendall(**_native.trend_mann_kendall(ordered, alternative, p_value, tau))


def sen_slope(
    y: Any, t: Any | None = None, *, alpha: float = 0.05, sen_intercept: str = "medians"
) -> SenSlope:
    """Sen's slope of ``y`` on ``t`` with Gilbert's (1987) confidence interval; the intercept
    is ``median(y) − slope·median(t)`` (``sen_intercept="medians"``) or ``median(y − slope·t)``
    (``"residuals"``, R's ``zyp.sen``, scipy's ``theilslopes(method="joint")``).

    >>> sen_slope([1.0, 2.0, 10.0, 4.0, 5.0]).slope  # robust to the outlier
    1.0
    >>> sen_slope([5.0, 1.0, 2.0, 3.0, 10.0], sen_intercept="residuals").intercept
    0.0
    """
    times, values = _series(y, t)
    d = dict(_native.trend_sen_slope(times, values, to_float(alpha, "alpha"), sen_intercept))
    d["ci"] = _pair(d.get("ci"))
    return SenSlope(**d)


def cagr(y: Any, t: Any | None = None) -> float:
    """Compound annual growth rate from the first to the last present value; values must be
    > 0, and there must be two of them (:class:`citycheck.MethodError` otherwise).

    >>> round(cagr([100.0, None, 121.0], [2020, 2021, 2022]), 12)  # 10% a year
    0.1
    """
    times, values = _series(y, t)
    present = [(ti, v) for ti, v in zip(times.tolist(), values.tolist()) if not math.isnan(v)]
    if len(present) < 2:
        raise _native.MethodError(f"cagr needs two present values, got {len(present)}")
    (t0, y0), (t1, y1) = present[0], present[-1]
    return _native.trend_cagr(t0, y0, t1, y1)
