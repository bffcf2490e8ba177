"""Trend statistics of one series (五年一评估): the Rust ``citycheck::trend`` kernels.

``t`` are real years (gaps allowed; default 0, 1, 2, …), ``y`` the values; pairs with a
missing value are dropped. Short series are the normal case for five annual check-ups: read
``min_attainable_p`` before reading ``p_value``.

>>> r = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0], alternative="increasing")
>>> (r.s, r.method, round(r.p_value * 120, 6))  # exact: 1/120
(10, 'exact', 1.0)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Tuple

from . import _citycheck as _native

__all__ = ["ols", "mann_kendall", "sen_slope", "cagr", "Ols", "MannKendall", "SenSlope"]


@dataclass(frozen=True)
class Ols:
    """Least-squares line y = intercept + slope·t; inference (Student t) only for n ≥ 3."""

    n: int
    slope: float
    intercept: float
    r_squared: Optional[float]
    slope_se: Optional[float]
    ci95: Optional[Tuple[float, float]]
    p_value: Optional[float]


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall test: ``method`` says whether p is exact (n ≤ 10) or the normal
    approximation; ``min_attainable_p`` is the smallest p any series of this length can give."""

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
    at level 1 − ``alpha`` (None when the series is too short)."""

    n: int
    slope: float
    intercept: float
    ci: Optional[Tuple[float, float]]
    alpha: float


def _series(y: Sequence[Any], t: Optional[Sequence[Any]]) -> Tuple[list, list]:
    values = [float("nan") if v is None else float(v) for v in y]
    times = list(range(len(values))) if t is None else [float(v) for v in t]
    return [float(v) for v in times], values


def _pair(value: Any) -> Any:
    return None if value is None else tuple(value)


def ols(y: Sequence[Any], t: Optional[Sequence[Any]] = None) -> Ols:
    """OLS slope, intercept, R², standard error, 95% CI and two-sided p of ``y`` on ``t``."""
    times, values = _series(y, t)
    d = json.loads(_native.trend_ols(times, values))
    d["ci95"] = _pair(d["ci95"])
    return Ols(**d)


def mann_kendall(y: Sequence[Any], t: Optional[Sequence[Any]] = None, *, alternative: str = "two_sided") -> MannKendall:
    """Mann-Kendall trend test of ``y`` in the order of ``t`` (``alternative``:
    ``"two_sided"``, ``"increasing"`` or ``"decreasing"``)."""
    times, values = _series(y, t)
    ordered = [v for _, v in sorted(zip(times, values))]
    return MannKendall(**json.loads(_native.trend_mann_kendall(ordered, alternative)))


def sen_slope(y: Sequence[Any], t: Optional[Sequence[Any]] = None, *, alpha: float = 0.05) -> SenSlope:
    """Sen's slope of ``y`` on ``t`` with Gilbert's (1987) confidence interval."""
    times, values = _series(y, t)
    d = json.loads(_native.trend_sen_slope(times, values, alpha))
    d["ci"] = _pair(d["ci"])
    return SenSlope(**d)


def cagr(y: Sequence[Any], t: Optional[Sequence[Any]] = None) -> float:
    """Compound annual growth rate from the first to the last present value; values must be
    > 0 (:class:`citycheck.MethodError` otherwise)."""
    times, values = _series(y, t)
    present = [(ti, v) for ti, v in zip(times, values) if v == v]
    if len(present) < 2:
        raise ValueError("cagr needs two present values")
    (t0, y0), (t1, y1) = present[0], present[-1]
    return _native.trend_cagr(t0, y0, t1, y1)
