"""Conversions at the edge of the native module: tables, matrices and warnings.

Tables go to Rust through the Arrow C stream interface (``__arrow_c_stream__``). Before that,
this module brings the tables of the libraries it knows (polars, pandas, pyarrow) to the
column types the native reader accepts — numbers, booleans, text — by widening narrow
integers and decoding categoricals; anything else offering the interface is passed as is, and
the native reader refuses unsupported columns with a ``DataError`` naming them.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple

import polars as pl

from . import _citycheck as _native


class CitycheckWarning(UserWarning):
    """Something a citycheck method wants the user to know (e.g. equal weights used because
    no column varies)."""


def warn_all(messages: Sequence[str], stacklevel: int = 3) -> None:
    for message in messages:
        warnings.warn(message, CitycheckWarning, stacklevel=stacklevel)


# ---------------------------------------------------------------------------------------
# Tables in
# ---------------------------------------------------------------------------------------


def arrow_source(table: Any) -> Any:
    """An object offering ``__arrow_c_stream__`` with the columns citycheck reads."""
    if isinstance(table, pl.LazyFrame):
        table = table.collect()
    if isinstance(table, pl.DataFrame):
        return _polars_source(table)
    module = type(table).__module__.split(".")[0]
    if module == "pandas":
        return _pandas_source(table)
    if module == "pyarrow":
        return _pyarrow_source(table)
    if hasattr(table, "__arrow_c_stream__"):
        return table
    raise _native.DataError(
        f"expected a table (polars, pandas or pyarrow, or any object with __arrow_c_stream__), "
        f"found {type(table).__name__}"
    )


def _polars_source(df: pl.DataFrame) -> Any:
    narrow = tuple(getattr(pl, name) for name in ("Int8", "Int16", "UInt8", "UInt16"))
    casts: Dict[Any, Any] = {}
    for name, dtype in df.schema.items():
        if isinstance(dtype, narrow):
            casts[name] = pl.Int64
        elif isinstance(dtype, (pl.Categorical, pl.Enum)):
            casts[name] = pl.String
    if casts:
        df = df.cast(casts)
    if hasattr(df, "__arrow_c_stream__"):
        return df
    # Python polars releases before the Arrow PyCapsule interface: through pyarrow.
    return _pyarrow_source(df.to_arrow())


def _pandas_source(df: Any) -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("reading a pandas DataFrame needs pyarrow: pip install pyarrow") from e
    # The index would otherwise arrive as a column named __index_level_0__.
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        # An object column mixing numbers and text — a spreadsheet's "-", "n/a" or "1,234" among
        # numbers, as pandas.read_excel returns them — has no Arrow type. Hand such columns over
        # as text: citycheck parses every text cell, reads the usual missing marks as missing
        # and reports any other with its row and column, exactly as it reads a CSV.
        try:
            table = pa.Table.from_pandas(_objects_as_text(df), preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise _native.DataError(f"cannot read the pandas DataFrame: {e}") from e
    return _pyarrow_source(table)


def _objects_as_text(df: Any) -> Any:
    """A shallow copy of ``df`` with every object column as pandas text (missing stays missing)."""
    out = df.copy(deep=False)
    for name, dtype in df.dtypes.items():
        if getattr(dtype, "kind", None) == "O":
            out[name] = df[name].astype("string")
    return out


def _pyarrow_source(table: Any) -> Any:
    import pyarrow as pa

    schema = getattr(table, "schema", None)
    if schema is None or not hasattr(table, "cast"):
        return table
    fields = [field.with_type(_readable_type(field.type)) for field in schema]
    target = pa.schema(fields)
    return table if target.equals(schema) else table.cast(target)


def _readable_type(t: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_uint8(t) or pa.types.is_uint16(t):
        return pa.int64()
    return t


# ---------------------------------------------------------------------------------------
# Tables out
# ---------------------------------------------------------------------------------------


def to_polars(stream: Any) -> pl.DataFrame:
    """A native ``ArrowStream`` as a polars DataFrame."""
    try:
        return pl.DataFrame(stream)
    except (TypeError, ValueError):  # pragma: no cover - Python polars without the PyCapsule interface
        import pyarrow as pa

        result = pl.from_arrow(pa.table(stream))
        assert isinstance(result, pl.DataFrame)
        return result


# ---------------------------------------------------------------------------------------
# Matrices and vectors (the method kernels)
# ---------------------------------------------------------------------------------------


def _numpy() -> Any:
    try:
        import numpy as np
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("the citycheck method kernels need numpy: pip install numpy") from e
    return np


def to_matrix(x: Any) -> Tuple[List[List[float]], int]:
    """A 2-D float matrix (rows = units, columns = criteria) as rows, and its column count."""
    np = _numpy()
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise _native.SpecError(f"expected a 2-D matrix (rows = units, columns = criteria), got {a.ndim} dimension(s)")
    return a.tolist(), int(a.shape[1])


def to_vector(w: Any, n: int, what: str = "weights") -> List[float]:
    np = _numpy()
    a = np.asarray(w, dtype=np.float64)
    if a.ndim != 1 or a.shape[0] != n:
        raise _native.SpecError(f"expected {n} {what}, one per column, got shape {a.shape}")
    return a.tolist()


def to_array(values: Sequence[float]) -> Any:
    return _numpy().asarray(values, dtype="float64")


def names(given: Optional[Sequence[str]], n: int, prefix: str) -> List[str]:
    """Labels for error messages: the given ones, else ``c1, c2, …`` (criteria) or
    ``1, 2, …`` (rows)."""
    if given is None:
        return [f"{prefix}{i}" for i in range(1, n + 1)]
    given = [str(g) for g in given]
    if len(given) != n:
        raise _native.SpecError(f"expected {n} names, got {len(given)}")
    return given


def directions_json(types: Optional[Sequence[Any]], n: int) -> str:
    """Criterion types as catalogue directions: ``1``/``"higher"`` (benefit), ``-1``/``"lower"``
    (cost), or a direction table such as ``{"band": [a, b]}``."""
    if types is None:
        return "[]"
    types = list(types)
    if len(types) != n:
        raise _native.SpecError(f"expected {n} types, one per column, got {len(types)}")
    out: List[Any] = []
    for t in types:
        if isinstance(t, (int, float)) and not isinstance(t, bool) and t in (1, -1):
            out.append("higher" if t == 1 else "lower")
        else:
            out.append(t)
    return json.dumps(out)
