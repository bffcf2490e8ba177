"""Weights (赋权) on a decision matrix: rows = units (alternatives), columns = criteria.

The same methods, names and defaults as the Rust ``citycheck::weight`` functions. Every
function takes a 2-D matrix — a numpy array of any integer, float or bool dtype, a list of rows,
or a polars, pandas or pyarrow table, whose column names then name the criteria in messages —
with missing cells as NaN (or null, ``pd.NA``), and returns a 1-D float64 ``numpy.ndarray`` of
weights ≥ 0 summing to 1. Conditions the method reports (e.g. no column varies, so equal
weights were used) are emitted as :class:`citycheck.CitycheckWarning`.

>>> import numpy as np
>>> X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
>>> np.allclose(entropy(X), [0.4630, 0.3992, 0.1378, 0.0], atol=5e-5)  # Xu (2004), EJOR 156(2)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import polars as pl

from . import _citycheck as _native
from ._convert import F64Array, directions, names, to_float, to_matrix, to_polars, to_vector, warn_all

__all__ = [
    "equal",
    "entropy",
    "entropy_normalized",
    "critic",
    "cv",
    "std",
    "pca",
    "deviation_max",
    "combined",
    "ahp",
    "AhpResult",
]


@dataclass(frozen=True)
class AhpResult:
    """AHP weights with the consistency statistics of the pairwise matrix: λmax, CI, CR (None
    where RI(n) = 0, n ≤ 2) and whether CR < 0.1.

    >>> r = ahp([[1, 2], [0.5, 1]])
    >>> r.weights.round(6).tolist(), r.cr, r.consistent
    ([0.666667, 0.333333], None, True)
    """

    weights: F64Array
    lambda_max: float
    ci: float
    cr: float | None
    consistent: bool


def ahp(a: Any, method: str = "eigenvector", *, ri: Sequence[float] | None = None) -> AhpResult:
    """AHP (层次分析法) weights of a pairwise comparison matrix on Saaty's scale by
    ``method``: ``"eigenvector"`` (default), ``"geometric_mean"`` or ``"column_mean"``;
    λmax, CI and CR with the random index table ``ri`` (default Saaty's, n = 1..15).
    An inconsistent matrix (CR ≥ 0.1) is reported, not refused; a non-reciprocal or
    non-positive one raises :class:`citycheck.SpecError` naming the cell.

    >>> r = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], "geometric_mean")
    >>> r.weights.round(3).tolist(), r.consistent
    ([0.637, 0.258, 0.105], True)
    """
    m = to_matrix(a, "a")
    table = None if ri is None else to_vector(ri, "ri", missing=False)
    w, lambda_max, ci, cr, consistent = _native.weights_ahp(m.values, method, table)
    return AhpResult(w, lambda_max, ci, cr, consistent)


def _explain(
    method: dict[str, Any], x: Any, types: Any | None, criteria: Sequence[str] | None
) -> dict[str, pl.DataFrame]:
    """The step-by-step tables of ``method`` (``citycheck::explain``), by name, in order."""
    m = to_matrix(x)
    rows, n = m.values.shape
    row_names = names(m.rows, rows, "row ", "units")
    labels = names(criteria if criteria is not None else m.columns, n, "c", "criteria")
    tables = _native.explain_weights(method, m.values, row_names, labels, directions(types, n))
    return {name: to_polars(stream) for name, stream in tables}


def _compute(method: dict[str, Any], x: Any, types: Any | None, criteria: Sequence[str] | None) -> F64Array:
    """Runs the Rust method described by ``method`` (the dict form of ``citycheck::weight::Weight``)."""
    m = to_matrix(x)
    n = m.values.shape[1]
    labels = names(criteria if criteria is not None else m.columns, n, "c", "criteria")
    w, messages = _native.weights_compute(method, m.values, labels, directions(types, n))
    warn_all(messages)
    return w


def equal(x: Any) -> F64Array:
    """``1/n`` for each of the ``n`` columns of ``x``.

    >>> import numpy as np
    >>> equal(np.ones((3, 4))).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    return _native.weights_equal(int(to_matrix(x).values.shape[1]))


@overload
def entropy(x: Any, *, criteria: Sequence[str] | None = None, explain: Literal[False] = False) -> F64Array: ...
@overload
def entropy(x: Any, *, criteria: Sequence[str] | None = None, explain: Literal[True]) -> dict[str, pl.DataFrame]: ...
def entropy(
    x: Any, *, criteria: Sequence[str] | None = None, explain: bool = False
) -> F64Array | dict[str, pl.DataFrame]:
    """Entropy weights (熵权法) on the raw values, ``p = x / Σx``; values must be ≥ 0.

    ``criteria`` names the columns in messages (default: a frame's column names, else ``c1,
    c2, …``). Missing cells are left out column by column. Raises
    :class:`citycheck.MethodError` naming the column on a negative value.

    ``explain=True`` returns the step-by-step tables instead (as ``citycheck weights --explain``
    writes them; the matrix must be complete): ``entropy_p`` (p_ij) and ``entropy_criteria``
    (criterion, e, d, weight), the last column the weights.

    >>> import polars as pl
    >>> X = pl.DataFrame({"gdp": [30, 19, 19, 68], "green": [30, 54, 15, 70]})
    >>> entropy(X).round(4).tolist()
    [0.537, 0.463]
    >>> entropy(X, explain=True)["entropy_criteria"]["weight"].round(4).to_list()
    [0.537, 0.463]
    """
    if explain:
        return _explain({"method": "entropy"}, x, None, criteria)
    return _compute({"method": "entropy"}, x, None, criteria)


@overload
def entropy_normalized(
    x: Any,
    types: Any | None = None,
    *,
    shift: float = 1e-4,
    criteria: Sequence[str] | None = None,
    explain: Literal[False] = False,
) -> F64Array: ...
@overload
def entropy_normalized(
    x: Any,
    types: Any | None = None,
    *,
    shift: float = 1e-4,
    criteria: Sequence[str] | None = None,
    explain: Literal[True],
) -> dict[str, pl.DataFrame]: ...
def entropy_normalized(
    x: Any,
    types: Any | None = None,
    *,
    shift: float = 1e-4,
    criteria: Sequence[str] | None = None,
    explain: bool = False,
) -> F64Array | dict[str, pl.DataFrame]:
    """Entropy weights as in Chinese city-evaluation practice: direction-aware min-max
    scaling, plus ``shift``, then ``p = r / Σr``.

    ``types`` gives each column's direction: ``1`` or ``"higher"`` (benefit), ``-1`` or
    ``"lower"`` (cost), or ``{"band": [a, b]}``, as a list or a numpy array; default all higher.
    ``explain=True`` returns the tables of :func:`entropy` (p of the shifted scores) instead.

    >>> import numpy as np
    >>> X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    >>> w = entropy_normalized(X, np.array([1, 1, -1, 1]))
    >>> round(float(w.sum()), 12), w.shape
    (1.0, (4,))
    >>> tables = entropy_normalized(X, np.array([1, 1, -1, 1]), explain=True)
    >>> bool(np.allclose(tables["entropy_criteria"]["weight"].to_numpy(), w, atol=1e-12))
    True
    """
    method = {"method": "entropy_normalized", "shift": to_float(shift, "shift")}
    if explain:
        return _explain(method, x, types, criteria)
    return _compute(method, x, types, criteria)


@overload
def critic(x: Any, *, criteria: Sequence[str] | None = None, explain: Literal[False] = False) -> F64Array: ...
@overload
def critic(x: Any, *, criteria: Sequence[str] | None = None, explain: Literal[True]) -> dict[str, pl.DataFrame]: ...
def critic(
    x: Any, *, criteria: Sequence[str] | None = None, explain: bool = False
) -> F64Array | dict[str, pl.DataFrame]:
    """CRITIC (Diakoulaki et al. 1995): every column min-max scaled as benefit, weight ∝
    σ_j Σ_k (1 − r_jk). Needs complete columns.

    ``explain=True`` returns the tables ``critic_normalized``, ``critic_correlation`` and
    ``critic_criteria`` (criterion, sigma, conflict, information, weight) instead.

    >>> X = [[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
    ...      [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]]
    >>> critic(X).round(4).tolist()  # Diakoulaki, Mavrotas & Papayannakis (1995)
    [0.2022, 0.4809, 0.3169]
    >>> critic(X, explain=True)["critic_criteria"]["weight"].round(4).to_list()
    [0.2022, 0.4809, 0.3169]
    """
    if explain:
        return _explain({"method": "critic"}, x, None, criteria)
    return _compute({"method": "critic"}, x, None, criteria)


def cv(x: Any, *, criteria: Sequence[str] | None = None) -> F64Array:
    """Coefficient-of-variation weights (变异系数法): ``sd / |mean|`` of the raw columns.

    >>> X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    >>> cv(X).round(4).tolist()  # Shuai et al. (2012) on Xu's matrix
    [0.4258, 0.361, 0.2121, 0.0011]
    """
    return _compute({"method": "cv"}, x, None, criteria)


def std(x: Any, *, criteria: Sequence[str] | None = None) -> F64Array:
    """Standard-deviation weights of the matrix as given (normalise it first).

    >>> std([[0.0, 0.0], [1.0, 0.5]]).round(6).tolist()
    [0.666667, 0.333333]
    """
    return _compute({"method": "std"}, x, None, criteria)


def pca(x: Any, *, criteria: Sequence[str] | None = None) -> F64Array:
    """PCA weights (OECD handbook, unrotated loadings of the components with eigenvalue > 1).

    >>> # Columns 1 and 2 are perfectly correlated, column 3 is not: one component, on 1 and 2.
    >>> w = pca([[0.0, 1.0, 1.0], [1.0, 3.0, -1.0], [2.0, 5.0, -1.0], [3.0, 7.0, 1.0]])
    >>> (w.round(6) + 0.0).tolist()
    [0.5, 0.5, 0.0]
    """
    return _compute({"method": "pca"}, x, None, criteria)


def deviation_max(x: Any, *, criteria: Sequence[str] | None = None) -> F64Array:
    """Maximising-deviation weights (离差最大化) of the matrix as given (normalise it first).

    >>> w = deviation_max([[0.0, 0.2], [1.0, 0.4], [0.5, 0.3]])
    >>> round(float(w.sum()), 12), bool(w[0] > w[1])
    (1.0, True)
    """
    return _compute({"method": "deviation_max"}, x, None, criteria)


def combined(
    x: Any,
    methods: Sequence[str],
    rule: str = "game_theory",
    *,
    alpha: float = 0.5,
    types: Any | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Combined weights (组合赋权) of two or more methods by ``rule``: ``"linear"`` (α on the
    first), ``"multiplicative"`` or ``"game_theory"``.

    >>> import numpy as np
    >>> X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    >>> mixed = combined(X, ["entropy", "cv"], "linear", alpha=0.25)
    >>> np.allclose(mixed, 0.25 * entropy(X) + 0.75 * cv(X), atol=1e-12)
    True
    """
    combination: dict[str, Any] = {"rule": rule}
    if rule == "linear":
        combination["alpha"] = to_float(alpha, "alpha")
    method = {"method": "combined", "combination": combination, "of": [{"method": str(m)} for m in methods]}
    return _compute(method, x, types, criteria)
