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

from typing import Any, Optional, Sequence

from . import _citycheck as _native
from ._convert import names, to_array, to_matrix, to_vector

__all__ = ["arithmetic", "geometric", "harmonic"]


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
