"""Weights (赋权) on a decision matrix: rows = units (alternatives), columns = criteria.

The same methods, names and defaults as the Rust ``citycheck::weight`` functions. Every
function takes a 2-D array-like of any float dtype (missing cells as NaN) and returns a
1-D ``numpy.ndarray`` of weights ≥ 0 summing to 1. Conditions the method reports (e.g. no
column varies, so equal weights were used) are emitted as :class:`citycheck.CitycheckWarning`.

>>> import numpy as np
>>> X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
>>> np.allclose(entropy(X), [0.4630, 0.3992, 0.1378, 0.0], atol=5e-5)  # Xu (2004), EJOR 156(2)
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from . import _citycheck as _native
from ._convert import directions_json, names, to_array, to_matrix, warn_all

__all__ = [
    "equal", "entropy", "entropy_normalized", "critic", "cv", "std", "pca", "deviation_max", "combined", "ahp", "AhpResult",
]


@dataclass(frozen=True)
class AhpResult:
    """AHP weights with the consistency statistics of the pairwise matrix."""

    weights: Any
    lambda_max: float
    ci: float
    cr: Optional[float]  # None where RI(n) = 0 (n <= 2)
    consistent: bool  # CR < 0.1


def ahp(a: Any, method: str = "eigenvector", *, ri: Optional[Sequence[float]] = None) -> AhpResult:
    """AHP (层次分析法) weights of a pairwise comparison matrix on Saaty's scale by
    ``method``: ``"eigenvector"`` (default), ``"geometric_mean"`` or ``"column_mean"``;
    λmax, CI and CR with the random index table ``ri`` (default Saaty's, n = 1..15).
    An inconsistent matrix (CR ≥ 0.1) is reported, not refused; a non-reciprocal or
    non-positive one raises :class:`citycheck.SpecError` naming the cell."""
    rows, _ = to_matrix(a)
    w, lambda_max, ci, cr, consistent = _native.weights_ahp(rows, method, None if ri is None else list(ri))
    return AhpResult(to_array(w), lambda_max, ci, cr, consistent)


def _compute(method: dict, x: Any, types: Optional[Sequence[Any]], criteria: Optional[Sequence[str]]) -> Any:
    """Runs the Rust method described by ``method`` (the JSON form of ``citycheck::weight::Weight``)."""
    rows, n = to_matrix(x)
    w, messages = _native.weights_compute(json.dumps(method), rows, names(criteria, n, "c"), directions_json(types, n))
    warn_all(messages)
    return to_array(w)


def equal(x: Any) -> Any:
    """``1/n`` for each of the ``n`` columns of ``x``."""
    _, n = to_matrix(x)
    return to_array(_native.weights_equal(n))


def entropy(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """Entropy weights (熵权法) on the raw values, ``p = x / Σx``; values must be ≥ 0.

    ``criteria`` names the columns in messages (default ``c1, c2, …``). Missing cells are left
    out column by column. Raises :class:`citycheck.MethodError` naming the column on a negative
    value.
    """
    return _compute({"method": "entropy"}, x, None, criteria)


def entropy_normalized(
    x: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    shift: float = 1e-4,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Entropy weights as in Chinese city-evaluation practice: direction-aware min-max
    scaling, plus ``shift``, then ``p = r / Σr``.

    ``types`` gives each column's direction: ``1`` or ``"higher"`` (benefit), ``-1`` or
    ``"lower"`` (cost), or ``{"band": [a, b]}``; default all higher.
    """
    return _compute({"method": "entropy_normalized", "shift": shift}, x, types, criteria)


def critic(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """CRITIC (Diakoulaki et al. 1995): every column min-max scaled as benefit, weight ∝
    σ_j Σ_k (1 − r_jk). Needs complete columns."""
    return _compute({"method": "critic"}, x, None, criteria)


def cv(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """Coefficient-of-variation weights (变异系数法): ``sd / |mean|`` of the raw columns."""
    return _compute({"method": "cv"}, x, None, criteria)


def std(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """Standard-deviation weights of the matrix as given (normalise it first)."""
    return _compute({"method": "std"}, x, None, criteria)


def pca(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """PCA weights (OECD handbook, unrotated loadings of the components with eigenvalue > 1)."""
    return _compute({"method": "pca"}, x, None, criteria)


def deviation_max(x: Any, *, criteria: Optional[Sequence[str]] = None) -> Any:
    """Maximising-deviation weights (离差最大化) of the matrix as given (normalise it first)."""
    return _compute({"method": "deviation_max"}, x, None, criteria)


def combined(
    x: Any,
    methods: Sequence[str],
    rule: str = "game_theory",
    *,
    alpha: float = 0.5,
    types: Optional[Sequence[Any]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Combined weights (组合赋权) of two or more methods by ``rule``: ``"linear"`` (α on the
    first), ``"multiplicative"`` or ``"game_theory"``."""
    combination: dict = {"rule": rule}
    if rule == "linear":
        combination["alpha"] = alpha
    method = {"method": "combined", "combination": combination, "of": [{"method": m} for m in methods]}
    return _compute(method, x, types, criteria)
