"""Aggregation (合成) of a decision matrix into one score per row (unit).

Rows = units, columns = criteria, ``weights`` one per column; the same methods as the Rust
``citycheck::aggregate`` functions. Two families:

- the weighted means :func:`arithmetic`, :func:`geometric` and :func:`harmonic` combine scores
  already on one scale (higher is better); missing cells (NaN) are left out of their row with
  the weights of the present cells rescaled, and a row with nothing present scores NaN;
- the decision-matrix methods :func:`topsis`, :func:`vikor`, :func:`grey_relational`,
  :func:`weighted_sum` and :func:`weighted_product` take the raw matrix and the criterion
  ``types``, normalise each column themselves, and refuse missing cells (impute first).

>>> import numpy as np
>>> arithmetic(np.array([[1.0, 3.0], [2.0, 2.0]]), [0.5, 0.5]).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from . import _citycheck as _native
from ._convert import directions_json, names, to_array, to_matrix, to_vector

__all__ = [
    "arithmetic", "geometric", "harmonic", "topsis", "grey_relational", "vikor", "VikorResult",
    "weighted_sum", "weighted_product",
]


@dataclass(frozen=True)
class VikorResult:
    """VIKOR's group utility S, individual regret R and compromise index Q (lower is better);
    ``ranks`` ranks by Q, 1 = lowest."""

    s: Any
    r: Any
    q: Any
    ranks: Any


def _labels(rows: list, n: int, units: Optional[Sequence[str]], criteria: Optional[Sequence[str]]) -> tuple:
    return names(units, len(rows), "row "), names(criteria, n, "c")


def topsis(
    x: Any,
    weights: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    normalize: str = "vector",
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """TOPSIS closeness C = D−/(D+ + D−) of each row on the raw decision matrix (higher is
    better); ``types`` gives directions (1 / -1 or "higher" / "lower"), ``normalize`` is
    ``"vector"`` (classic) or ``"min_max"`` (pymcdm's default): the two give different numbers."""
    rows, n = to_matrix(x)
    return to_array(
        _native.mcda_topsis(rows, to_vector(weights, n), directions_json(types, n), normalize, *_labels(rows, n, units, criteria))
    )


def grey_relational(
    x: Any,
    weights: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    rho: float = 0.5,
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Grey relational grade of each row (灰色关联), distinguishing coefficient ``rho``."""
    rows, n = to_matrix(x)
    return to_array(
        _native.mcda_grey_relational(rows, to_vector(weights, n), directions_json(types, n), rho, *_labels(rows, n, units, criteria))
    )


def vikor(
    x: Any,
    weights: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    v: float = 0.5,
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> VikorResult:
    """VIKOR: S, R and Q of each row, ranked by Q (lower is better)."""
    rows, n = to_matrix(x)
    s, r, q = _native.mcda_vikor(rows, to_vector(weights, n), directions_json(types, n), v, *_labels(rows, n, units, criteria))
    order = sorted(range(len(q)), key=lambda i: q[i])
    ranks = [0] * len(q)
    for position, i in enumerate(order):
        previous = order[position - 1] if position else None
        ranks[i] = ranks[previous] if previous is not None and q[previous] == q[i] else position + 1
    return VikorResult(to_array(s), to_array(r), to_array(q), to_array(ranks))


def weighted_sum(
    x: Any,
    weights: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    normalize: str = "min_max",
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Weighted sum model (WSM, 线性加权和法): ``P = Σ w r`` of each row of the raw decision
    matrix after normalising each column (higher is better).

    ``normalize`` is ``"min_max"`` (default: direction-aware, any direction, the normalisation
    of :func:`grey_relational` and of :func:`citycheck.score`'s default) or ``"sum"`` (pymcdm's default:
    ``x/Σx``, cost ``(1/x)/Σ(1/x)``; values ≥ 0, cost > 0): the two give different numbers and
    can rank differently. ``types`` gives directions (1 / -1 or "higher" / "lower", or
    ``{"band": [a, b]}``); the weights are used as given. Missing cells raise
    :class:`citycheck.MethodError` naming the unit and criterion (impute first).

    >>> import numpy as np
    >>> X = np.array([[2, 30, 4], [4, 10, 8], [6, 20, 2]])
    >>> weighted_sum(X, [0.5, 0.3, 0.2], [1, -1, 1]).round(6).tolist()  # 1/15, 3/4, 13/20
    [0.066667, 0.75, 0.65]
    """
    rows, n = to_matrix(x)
    return to_array(
        _native.mcda_weighted_sum(
            rows, to_vector(weights, n), directions_json(types, n), normalize, *_labels(rows, n, units, criteria)
        )
    )


def weighted_product(
    x: Any,
    weights: Any,
    types: Optional[Sequence[Any]] = None,
    *,
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
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
    rows, n = to_matrix(x)
    return to_array(
        _native.mcda_weighted_product(
            rows, to_vector(weights, n), directions_json(types, n), *_labels(rows, n, units, criteria)
        )
    )


def arithmetic(x: Any, weights: Any) -> Any:
    """Weighted arithmetic mean of each row: ``Σ w r / Σ w``."""
    rows, n = to_matrix(x)
    return to_array(_native.aggregate_arithmetic(rows, to_vector(weights, n)))


def geometric(
    x: Any,
    weights: Any,
    *,
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Weighted geometric mean of each row: ``Π r^(w / Σw)``; scores must be > 0
    (:class:`citycheck.MethodError` names the unit and criterion otherwise)."""
    rows, n = to_matrix(x)
    return to_array(
        _native.aggregate_geometric(
            rows, to_vector(weights, n), names(units, len(rows), "row "), names(criteria, n, "c")
        )
    )


def harmonic(
    x: Any,
    weights: Any,
    *,
    units: Optional[Sequence[str]] = None,
    criteria: Optional[Sequence[str]] = None,
) -> Any:
    """Weighted harmonic mean of each row: ``Σ w / Σ (w / r)``; scores must be > 0."""
    rows, n = to_matrix(x)
    return to_array(
        _native.aggregate_harmonic(
            rows, to_vector(weights, n), names(units, len(rows), "row "), names(criteria, n, "c")
        )
    )
