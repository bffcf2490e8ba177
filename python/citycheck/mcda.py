"""Aggregation (合成) of a decision matrix into one score per row (unit).

Rows = units, columns = criteria, ``weights`` one per column; the same methods as the Rust
``citycheck::aggregate`` functions. Two families:

- the weighted means :func:`arithmetic`, :func:`geometric` and :func:`harmonic` combine scores
  already on one scale (higher is better); missing cells (NaN) are left out of their row with
  the weights of the present cells rescaled, and a row with nothing present scores NaN;
- the decision-matrix methods :func:`topsis`, :func:`vikor`, :func:`grey_relational`,
  :func:`weighted_sum` and :func:`weighted_product` take the raw matrix and the criterion
  ``types``, normalise each column themselves, and refuse missing cells (impute first).

The matrix is a numpy array of any integer, float or bool dtype, a list of rows, or a polars,
pandas or pyarrow table (its column names name the criteria in messages; a pandas index other
than the default one names the units). ``weights`` and ``types`` are lists, numpy arrays or
Series; ``types`` holds 1 / -1 or ``"higher"`` / ``"lower"`` (or ``{"band": [a, b]}``). Every
function returns a float64 numpy array; :func:`topsis`, :func:`grey_relational` and
:func:`vikor` with ``explain=True`` return their step-by-step tables instead, a dict of polars
frames (``citycheck::explain``, the tables of ``citycheck rank --explain``).

>>> import numpy as np
>>> arithmetic(np.array([[1.0, 3.0], [2.0, 2.0]]), [0.5, 0.5]).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _citycheck as _native
from ._convert import F64Array, Matrix, directions, names, to_float, to_matrix, to_polars, to_vector

__all__ = [
    "arithmetic",
    "geometric",
    "harmonic",
    "topsis",
    "grey_relational",
    "vikor",
    "VikorResult",
    "weighted_sum",
    "weighted_product",
]


@dataclass(frozen=True)
class VikorResult:
    """VIKOR's group utility S, individual regret R and compromise index Q (lower is better);
    ``ranks`` ranks by Q, 1 = lowest (ties share a rank).

    >>> import citycheck as cc
    >>> r = cc.mcda.vikor([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], [-1, 1])
    >>> r.q.round(6).tolist(), r.ranks.tolist()
    ([0.0, 0.5, 0.5], [1, 2, 2])
    """

    s: F64Array
    r: F64Array
    q: F64Array
    ranks: npt.NDArray[np.int64]


def _inputs(
    x: Any, weights: Any, units: Sequence[str] | None, criteria: Sequence[str] | None
) -> tuple[Matrix, F64Array, list[str], list[str]]:
    """The matrix, the weights (one per column, none missing) and the row and column labels."""
    m = to_matrix(x)
    rows, n = m.values.shape
    w = to_vector(weights, "weights", n=n, missing=False)
    return (
        m,
        w,
        names(units if units is not None else m.rows, rows, "row ", "units"),
        names(criteria if criteria is not None else m.columns, n, "c", "criteria"),
    )


def _tables(tables: Sequence[tuple[str, Any]]) -> dict[str, pl.DataFrame]:
    """The native (name, stream) pairs of ``citycheck::explain`` as polars frames, in order."""
    return {name: to_polars(stream) for name, stream in tables}


@overload
def topsis(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    normalize: str = "vector",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[False] = False,
) -> F64Array: ...
@overload
def topsis(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    normalize: str = "vector",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[True],
) -> dict[str, pl.DataFrame]: ...
def topsis(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    normalize: str = "vector",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: bool = False,
) -> F64Array | dict[str, pl.DataFrame]:
    """TOPSIS closeness C = D−/(D+ + D−) of each row on the raw decision matrix (higher is
    better); ``types`` gives directions (1 / -1 or "higher" / "lower"), ``normalize`` is
    ``"vector"`` (classic) or ``"min_max"`` (pymcdm's default): the two give different numbers.

    ``explain=True`` returns the step-by-step tables instead (as ``citycheck rank --explain``
    writes them): ``topsis_normalized``, ``topsis_weighted`` (v = w·r), ``topsis_ideal``
    (criterion, ideal, anti_ideal) and ``topsis_distances`` (alternative, d_plus, d_minus,
    closeness), the last column the closeness this function returns.

    >>> import numpy as np
    >>> X = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]  # Tzeng & Huang (2011)
    >>> topsis(X, [0.3, 0.4, 0.3]).round(4).tolist()
    [0.5037, 0.6581, 0.7482, 0.334]
    >>> topsis(np.array(X), np.array([0.3, 0.4, 0.3]), np.array([1, 1, -1])).round(4).tolist()  # cost criterion
    [0.7005, 0.3891, 0.7482, 0.334]
    >>> topsis(X, [0.3, 0.4, 0.3], explain=True)["topsis_distances"]["closeness"].round(4).to_list()
    [0.5037, 0.6581, 0.7482, 0.334]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    types_ = directions(types, len(columns))
    if explain:
        return _tables(_native.explain_topsis(m.values, w, types_, normalize, rows, columns))
    return _native.mcda_topsis(m.values, w, types_, normalize, rows, columns)


@overload
def grey_relational(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    rho: float = 0.5,
    normalize: str = "min_max",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[False] = False,
) -> F64Array: ...
@overload
def grey_relational(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    rho: float = 0.5,
    normalize: str = "min_max",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[True],
) -> dict[str, pl.DataFrame]: ...
def grey_relational(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    rho: float = 0.5,
    normalize: str = "min_max",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: bool = False,
) -> F64Array | dict[str, pl.DataFrame]:
    """Grey relational grade of each row (灰色关联), distinguishing coefficient ``rho``;
    higher is better, in (0, 1].

    ``normalize``: ``"min_max"`` (default, direction-aware to [0, 1]), ``"initial_value"``
    (初值化: each criterion over the first row's value) or ``"mean_value"`` (均值化: over the
    criterion's mean); under the two ratio forms the reference is the largest ratio of a
    benefit criterion and the smallest of a cost criterion (citycheck's convention).

    ``explain=True`` returns the step-by-step tables instead: ``grey_delta`` (|x0 − r|),
    ``grey_coefficients`` (ξ, then the column ``grade``) and ``grey_summary`` (delta_min,
    delta_max, rho, normalize).

    >>> g = grey_relational([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], [-1, 1])
    >>> bool(((g > 0) & (g <= 1)).all())
    True
    >>> [round(float(v), 12) for v in grey_relational([[2], [4], [6]], [1.0], normalize="initial_value")]
    [0.333333333333, 0.5, 1.0]
    >>> t = grey_relational([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], [-1, 1], explain=True)
    >>> bool(np.allclose(t["grey_coefficients"]["grade"].to_numpy(), g, atol=1e-12))
    True
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    types_ = directions(types, len(columns))
    rho_ = to_float(rho, "rho")
    if explain:
        return _tables(_native.explain_grey_relational(m.values, w, types_, rho_, normalize, rows, columns))
    return _native.mcda_grey_relational(m.values, w, types_, rho_, rows, columns, normalize)


@overload
def vikor(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    v: float = 0.5,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[False] = False,
) -> VikorResult: ...
@overload
def vikor(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    v: float = 0.5,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: Literal[True],
) -> dict[str, pl.DataFrame]: ...
def vikor(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    v: float = 0.5,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    explain: bool = False,
) -> VikorResult | dict[str, pl.DataFrame]:
    """VIKOR: S, R and Q of each row, ranked by Q (lower is better); ``v`` weighs the group
    utility against the individual regret.

    ``explain=True`` returns the step-by-step tables instead: ``vikor_best_worst`` (criterion,
    best, worst, on the oriented values: −x for a cost criterion) and ``vikor_terms`` (d_ij =
    w (f* − f)/(f* − f−), then s, r, q).

    >>> r = vikor([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], ["lower", "higher"])
    >>> r.s.round(6).tolist()
    [0.5, 0.5, 0.5]
    >>> vikor([[10, 7], [12, 9], [8, 5]], [0.5, 0.5], ["lower", "higher"], explain=True)["vikor_terms"]["s"].to_list()
    [0.5, 0.5, 0.5]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    types_ = directions(types, len(columns))
    if explain:
        return _tables(_native.explain_vikor(m.values, w, types_, to_float(v, "v"), rows, columns))
    s, r, q = _native.mcda_vikor(m.values, w, types_, to_float(v, "v"), rows, columns)
    order = np.argsort(q, kind="stable").tolist()
    ranks = np.zeros(q.shape[0], dtype=np.int64)
    previous = -1
    for position, i in enumerate(order):
        ranks[i] = ranks[previous] if position and q[previous] == q[i] else position + 1
        previous = i
    return VikorResult(s, r, q, ranks)


def weighted_sum(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    normalize: str = "min_max",
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Weighted sum model (WSM, 线性加权和法): ``P = Σ w r`` of each row of the raw decision
    matrix after normalising each column (higher is better).

    ``normalize`` is ``"min_max"`` (default: direction-aware, any direction, the normalisation
    of :func:`grey_relational` and of :func:`citycheck.score`'s default) or ``"sum"`` (pymcdm's
    default: ``x/Σx``, cost ``(1/x)/Σ(1/x)``; values ≥ 0, cost > 0): the two give different
    numbers and can rank differently. ``types`` gives directions (1 / -1 or "higher" /
    "lower", or ``{"band": [a, b]}``); the weights are used as given. Missing cells raise
    :class:`citycheck.MethodError` naming the unit and criterion (impute first).

    >>> import numpy as np
    >>> X = np.array([[2, 30, 4], [4, 10, 8], [6, 20, 2]])
    >>> weighted_sum(X, [0.5, 0.3, 0.2], [1, -1, 1]).round(6).tolist()  # 1/15, 3/4, 13/20
    [0.066667, 0.75, 0.65]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    return _native.mcda_weighted_sum(m.values, w, directions(types, len(columns)), normalize, rows, columns)


def weighted_product(
    x: Any,
    weights: Any,
    types: Any | None = None,
    *,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Weighted product model (WPM): ``P = Π r^w`` of each row, ``r`` the sum-normalised
    values ``x/Σx`` (cost ``(1/x)/Σ(1/x)``), as pymcdm's ``WPM()``; higher is better.

    WPM compares ratios, so the ranking does not depend on the unit of measurement of any
    column (and every rescaling normalisation would rank the same: there is no ``normalize``).
    A 0 in a higher column with a positive weight (it would end the product whatever the other
    criteria), a negative value, a missing cell or a band direction raises
    :class:`citycheck.MethodError` naming the unit and criterion.

    >>> import numpy as np
    >>> weighted_product(np.array([[1, 2], [3, 6]]), [0.5, 0.5], [1, -1]).round(6).tolist()  # a tie
    [0.433013, 0.433013]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    return _native.mcda_weighted_product(m.values, w, directions(types, len(columns)), rows, columns)


def arithmetic(
    x: Any,
    weights: Any,
    *,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Weighted arithmetic mean of each row: ``Σ w r / Σ w`` over the present cells.

    >>> arithmetic([[1.0, 4.0], [2.0, float("nan")]], [0.5, 0.5]).tolist()
    [2.5, 2.0]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    return _native.aggregate_arithmetic(m.values, w, rows, columns)


def geometric(
    x: Any,
    weights: Any,
    *,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Weighted geometric mean of each row: ``Π r^(w / Σw)``; scores must be > 0
    (:class:`citycheck.MethodError` names the unit and criterion otherwise).

    >>> geometric([[1.0, 4.0], [2.0, 2.0]], [0.5, 0.5]).round(12).tolist()
    [2.0, 2.0]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    return _native.aggregate_geometric(m.values, w, rows, columns)


def harmonic(
    x: Any,
    weights: Any,
    *,
    units: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> F64Array:
    """Weighted harmonic mean of each row: ``Σ w / Σ (w / r)``; scores must be > 0.

    >>> harmonic([[1.0, 4.0], [2.0, 2.0]], [0.5, 0.5]).round(12).tolist()
    [1.6, 2.0]
    """
    m, w, rows, columns = _inputs(x, weights, units, criteria)
    return _native.aggregate_harmonic(m.values, w, rows, columns)
