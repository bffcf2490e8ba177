"""Aggregation (合成) of a decision matrix into one score per row (unit).

Rows = units, columns = criteria scores (higher is better), ``weights`` one per column. The
same methods as the Rust ``citycheck::aggregate`` functions; missing cells (NaN) are left out
of their row with the weights of the present cells rescaled, and a row with nothing present
scores NaN.

>>> import numpy as np
>>> arithmetic(np.array([[1.0, 3.0], [2.0, 2.0]]), [0.5, 0.5]).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from . import _citycheck as _native
from ._convert import directions_json, names, to_array, to_matrix, to_vector

__all__ = ["arithmetic", "geometric", "harmonic", "topsis", "grey_relational", "vikor", "VikorResult"]


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
