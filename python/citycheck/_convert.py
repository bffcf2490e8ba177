"""Conversions at the edge of the native module: tables, matrices, vectors, scalars, warnings.

Tables go to Rust through the Arrow C stream interface (``__arrow_c_stream__``). Before that,
this module brings the tables of the libraries it knows (polars, pandas, pyarrow) to the
column types the native reader accepts — numbers, booleans, text — by widening narrow
integers and decoding categoricals; anything else offering the interface is passed as is, and
the native reader refuses unsupported columns with a ``DataError`` naming them.

Matrices and vectors go to Rust as C-contiguous float64 numpy arrays (read there in place):
:func:`to_matrix` and :func:`to_vector` take numpy arrays of any integer, float or bool dtype,
lists, numpy scalars, polars / pandas / pyarrow frames and series (nullable dtypes included) and
refuse what is not a number with a :class:`~citycheck.DataError` naming the position and the
value. Specs and options go as plain Python dicts (:func:`plain` turns numpy scalars into
Python numbers); :func:`to_int` and :func:`to_float` do the same for single arguments.
"""

from __future__ import annotations

import decimal
import numbers
import operator
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Union

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _citycheck as _native

F64Array = npt.NDArray[np.float64]
PathLike = Union[str, "os.PathLike[str]"]
#: A whole number as arguments take it: a Python int or a numpy integer (``df["year"].max()``).
IntLike = Union[int, "np.integer[Any]"]


#: Files, each with an optional year: a path, a sequence of paths or of ``(year, path)``
#: pairs, or a mapping ``{year: path}``.
YearPaths = Union[PathLike, Sequence[Union[PathLike, "tuple[IntLike, PathLike]"]], Mapping[IntLike, PathLike], None]


def year_paths(value: YearPaths, what: str) -> list[tuple[int | None, Path]]:
    """``value`` as ``(year or None, path)`` pairs, in order: a path or a sequence of paths
    has no year, a ``(year, path)`` pair or a mapping ``{year: path}`` has one (any whole
    number, as :func:`to_int` reads it); anything else raises :class:`~citycheck.SpecError`
    naming ``what``.

    >>> [(year, path.name) for year, path in year_paths({2012: "a.csv"}, "ledgers")]
    [(2012, 'a.csv')]
    >>> [(year, path.name) for year, path in year_paths(["a.csv", (2013, "b.csv")], "ledgers")]
    [(None, 'a.csv'), (2013, 'b.csv')]
    """
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [(None, Path(value))]
    if isinstance(value, Mapping):
        return [(to_int(year, f"the year of {what}"), Path(path)) for year, path in value.items()]
    if not isinstance(value, Sequence):
        raise _native.SpecError(f"{what}: expected a path, a list of paths or a dict {{year: path}}, got {value!r}")
    out: list[tuple[int | None, Path]] = []
    for item in value:
        if isinstance(item, (str, os.PathLike)):
            out.append((None, Path(item)))
        elif isinstance(item, tuple) and len(item) == 2:
            out.append((to_int(item[0], f"the year of {what}"), Path(item[1])))
        else:
            raise _native.SpecError(f"{what}: expected a path or a (year, path) pair, got {item!r}")
    return out


class CitycheckWarning(UserWarning):
    """Something a citycheck method wants the user to know (e.g. equal weights used because
    no column varies).

    >>> import warnings
    >>> import numpy as np
    >>> import citycheck as cc
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     w = cc.weights.entropy(np.ones((3, 2)))
    >>> w.tolist(), caught[0].category is cc.CitycheckWarning
    ([0.5, 0.5], True)
    """


# Shown as citycheck.CitycheckWarning, as the exceptions are shown as citycheck.DataError, ….
CitycheckWarning.__module__ = "citycheck"


def warn_all(messages: Sequence[str], stacklevel: int = 3) -> None:
    """Emits every message as a :class:`CitycheckWarning`."""
    for message in messages:
        warnings.warn(message, CitycheckWarning, stacklevel=stacklevel)


def _library(obj: Any) -> str:
    """The top-level package of ``obj``'s type: ``"pandas"``, ``"pyarrow"``, ``"polars"``, …"""
    return type(obj).__module__.split(".")[0]


def _is_na(value: Any) -> bool:
    """pandas' ``pd.NA`` (without importing pandas)."""
    return type(value).__name__ == "NAType"


# ---------------------------------------------------------------------------------------
# Tables in
# ---------------------------------------------------------------------------------------


def arrow_source(table: Any) -> Any:
    """An object offering ``__arrow_c_stream__`` with the columns citycheck reads."""
    if isinstance(table, pl.LazyFrame):
        table = table.collect()
    if isinstance(table, pl.DataFrame):
        return _polars_source(table)
    module = _library(table)
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
    narrow = (pl.Int8, pl.Int16, pl.UInt8, pl.UInt16)
    casts: dict[Any, Any] = {}
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
    return _pyarrow_source(df.to_arrow())  # pragma: no cover - depends on the polars version


def _pandas_source(df: Any) -> Any:
    try:
        import pyarrow as pa
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
# Scalars and plain values (specs, options)
# ---------------------------------------------------------------------------------------


def to_int(value: Any, what: str) -> int:
    """``value`` as a Python int: ints, numpy integers (``df.year.max()``), whole floats
    (``2011.0``, as a pandas column with a gap holds years) and 0-d arrays; anything else raises
    :class:`~citycheck.SpecError` naming ``what``."""
    if isinstance(value, (bool, np.bool_)):
        raise _native.SpecError(f"{what} must be an integer, got {value!r}")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return to_int(value.item(), what)
    try:
        return operator.index(value)
    except TypeError:
        pass
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if value is None or _is_na(value):
        raise _native.SpecError(f"{what} is missing ({'pd.NA' if _is_na(value) else 'None'}): give an integer")
    raise _native.SpecError(f"{what} must be an integer, got {value!r} ({type(value).__name__})")


def to_float(value: Any, what: str) -> float:
    """``value`` as a Python float: ints, floats, numpy numbers, ``Decimal`` and 0-d arrays;
    anything else raises :class:`~citycheck.SpecError` naming ``what``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return to_float(value.item(), what)
    if isinstance(value, (bool, np.bool_)):
        raise _native.SpecError(f"{what} must be a number, got {value!r}")
    if isinstance(value, (numbers.Real, decimal.Decimal, np.number)):
        return float(value)
    if value is None or _is_na(value):
        raise _native.SpecError(f"{what} is missing ({'pd.NA' if _is_na(value) else 'None'}): give a number")
    raise _native.SpecError(f"{what} must be a number, got {value!r} ({type(value).__name__})")


def _plain_key(key: Any) -> str:
    """A mapping key as text, as JSON and TOML have them (``{2: …}`` → ``{"2": …}``)."""
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, np.bool_)):
        return "true" if key else "false"
    if isinstance(key, (numbers.Integral, np.integer)):
        return str(int(key))
    return str(key)


def plain(value: Any, what: str = "spec") -> Any:
    """``value`` with every numpy scalar, array, tuple and path made a plain Python value
    (int, float, str, bool, None, list, dict with text keys): the form the native module reads
    specs and options in. Anything else raises :class:`~citycheck.SpecError` naming where it is.

    >>> import numpy as np
    >>> plain({"scope": {"reference_year": np.int64(2011)}, "levels": {3: (np.float32(0.5),)}})
    {'scope': {'reference_year': 2011}, 'levels': {'3': [0.5]}}
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):  # np.str_ and other subclasses as plain text
        return str(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, Mapping):
        return {_plain_key(k): plain(v, f"{what}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, f"{what}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), what)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if _is_na(value):
        raise _native.SpecError(f"{what} is missing (pd.NA)")
    to_list = getattr(value, "to_list", None) or getattr(value, "tolist", None)
    if callable(to_list):  # polars / pandas Series, pyarrow arrays
        return plain(to_list(), what)
    raise _native.SpecError(
        f"{what}: cannot pass {value!r} (of type {type(value).__name__}); use numbers, text, lists and dicts"
    )


# ---------------------------------------------------------------------------------------
# Matrices and vectors (the method kernels)
# ---------------------------------------------------------------------------------------


class Matrix(NamedTuple):
    """A decision matrix for the kernels: C-contiguous float64 values (rows = units, columns =
    criteria) and the row and column labels its source carried (a frame's column names, a
    pandas index that is not the default one)."""

    values: F64Array
    rows: list[str] | None
    columns: list[str] | None


def _position(index: int | tuple[int, ...]) -> str:
    if isinstance(index, tuple):
        return "[" + ", ".join(str(i) for i in index) + "]"
    return f"[{index}]"


def _element(value: Any, what: str, index: int | tuple[int, ...]) -> float:
    """One cell as a float: missing (None, pd.NA) as NaN; not a number raises DataError."""
    if value is None or _is_na(value):
        return float("nan")
    if isinstance(value, (bool, np.bool_, numbers.Real, decimal.Decimal, np.number)) and not isinstance(
        value, (np.complexfloating, np.datetime64, np.timedelta64)
    ):
        return float(value)
    raise _native.DataError(f"{what}{_position(index)} is not a number: {value!r}")


def _from_objects(a: npt.NDArray[Any], what: str) -> F64Array:
    """An object (or text) array cell by cell, naming the first cell that is not a number."""
    out = np.empty(a.shape, dtype=np.float64)
    if a.ndim == 1:
        for i, value in enumerate(a.tolist()):
            out[i] = _element(value, what, i)
        return out
    for index in np.ndindex(*a.shape):
        out[index] = _element(a[index], what, index)
    return out


def _from_numpy(a: npt.NDArray[Any], what: str) -> F64Array:
    kind = a.dtype.kind
    if kind in "biuf":
        return np.ascontiguousarray(a, dtype=np.float64)
    if kind in "OUS":
        return _from_objects(a.astype(object), what)
    raise _native.DataError(f"{what} holds {a.dtype} values, not numbers (e.g. {a.flat[0]!r} at {what}[0])")


def _from_pandas_series(s: Any, what: str) -> F64Array:
    kind = getattr(s.dtype, "kind", "O")
    if kind in "biuf":  # numpy dtypes and the nullable Int64, Float64, boolean (pd.NA → NaN)
        try:
            return np.ascontiguousarray(s.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
        except (TypeError, ValueError):  # pragma: no cover - exotic extension dtypes
            pass
    return _from_objects(np.asarray(s.to_numpy(dtype=object), dtype=object), what)


def _polars_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric()) or dtype == pl.Boolean


def _from_polars_series(s: pl.Series, what: str) -> F64Array:
    if _polars_numeric(s.dtype):
        return np.ascontiguousarray(s.cast(pl.Float64).to_numpy(), dtype=np.float64)
    return _from_objects(np.array(s.to_list(), dtype=object), what)


def _pyarrow_numeric(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t))


def _from_pyarrow_array(x: Any, what: str) -> F64Array:
    if _pyarrow_numeric(x.type):
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pc.cast(x, pa.float64())
        try:
            a = values.to_numpy(zero_copy_only=False)
        except TypeError:  # pragma: no cover - ChunkedArray.to_numpy without the keyword
            a = values.to_numpy()
        return np.ascontiguousarray(a, dtype=np.float64)
    return _from_objects(np.array(x.to_pylist(), dtype=object), what)


def _is_pandas_series(x: Any) -> bool:
    return _library(x) == "pandas" and hasattr(x, "dtype") and hasattr(x, "to_numpy") and not hasattr(x, "columns")


def _is_pyarrow_array(x: Any) -> bool:
    return _library(x) == "pyarrow" and hasattr(x, "type") and hasattr(x, "to_pylist")


def _numeric(x: Any, what: str) -> F64Array:
    """Any array-like (of any dimension) as a float64 numpy array; missing cells as NaN."""
    if isinstance(x, np.ma.MaskedArray) and x.dtype.kind in "biuf":
        return np.ascontiguousarray(np.ma.filled(x.astype(np.float64), np.nan), dtype=np.float64)
    if isinstance(x, np.ndarray):
        return _from_numpy(x, what)
    if isinstance(x, pl.Series):
        return _from_polars_series(x, what)
    if _is_pandas_series(x):
        return _from_pandas_series(x, what)
    if _is_pyarrow_array(x):
        return _from_pyarrow_array(x, what)
    if isinstance(x, (str, bytes, Mapping)):
        raise _native.DataError(f"{what}: expected numbers, got a {type(x).__name__} ({x!r})")
    try:
        a = np.asarray(x)
    except ValueError as e:  # ragged nested lists
        raise _native.SpecError(f"{what} is ragged (rows of different lengths): {e}") from e
    if a.dtype.kind in "US":
        # np.asarray([1, "a"]) makes every cell text: look at the cells as given instead.
        a = np.asarray(x, dtype=object)
    if a.dtype.kind == "O" and a.ndim >= 1 and any(isinstance(row, (list, tuple)) for row in a.flat):
        raise _native.SpecError(f"{what} is ragged (rows of different lengths)")
    return _from_numpy(a, what)


def _labels(values: Any) -> list[str]:
    return [str(v) for v in values]


def to_matrix(x: Any, what: str = "x") -> Matrix:
    """A 2-D matrix (rows = units, columns = criteria) as C-contiguous float64 with the labels
    its source carries.

    ``x`` is a numpy array of any integer, float or bool dtype, a list of rows, or a polars,
    pandas or pyarrow table (column names become the criteria; a pandas index other than the
    default one names the rows). Missing cells (NaN, None, null, ``pd.NA``) become NaN; a cell
    that is not a number raises :class:`~citycheck.DataError` naming it.

    >>> import polars as pl
    >>> m = to_matrix(pl.DataFrame({"gdp": [1, 2], "green": [30.5, None]}))
    >>> m.values.tolist(), m.columns
    ([[1.0, 30.5], [2.0, nan]], ['gdp', 'green'])
    """
    if isinstance(x, pl.LazyFrame):
        x = x.collect()
    if isinstance(x, pl.DataFrame):
        return _polars_matrix(x, what)
    library = _library(x)
    if library == "pandas" and hasattr(x, "columns") and hasattr(x, "dtypes"):
        return _pandas_matrix(x, what)
    if library == "pyarrow" and hasattr(x, "column_names"):
        return _pyarrow_matrix(x, what)
    a = _numeric(x, what)
    if a.ndim != 2:
        raise _native.SpecError(
            f"expected a 2-D matrix (rows = units, columns = criteria) for {what}, got {a.ndim} dimension(s)"
        )
    return Matrix(a, None, None)


def _not_numeric_column(what: str, name: str, dtype: Any, values: Sequence[Any]) -> Exception:
    example = next(((i, v) for i, v in enumerate(values) if v is not None and not _is_na(v)), None)
    where = "" if example is None else f": {what}['{name}'][{example[0]}] = {example[1]!r}"
    return _native.DataError(
        f"{what}: column '{name}' is not numeric ({dtype}){where}; drop it (names of units go in units=)"
    )


def _polars_matrix(df: pl.DataFrame, what: str) -> Matrix:
    for name, dtype in df.schema.items():
        if not _polars_numeric(dtype):
            raise _not_numeric_column(what, name, dtype, df[name].head(1000).to_list())
    if df.width == 0:
        values = np.empty((df.height, 0), dtype=np.float64)
    else:
        values = np.ascontiguousarray(df.select(pl.all().cast(pl.Float64)).to_numpy(), dtype=np.float64)
    return Matrix(values, None, list(df.columns))


def _pandas_rows(df: Any) -> list[str] | None:
    index = df.index
    if type(index).__name__ == "RangeIndex":
        return None
    return _labels(index)


def _pandas_matrix(df: Any, what: str) -> Matrix:
    columns = _labels(df.columns)
    kinds = [getattr(dtype, "kind", "O") for dtype in df.dtypes]
    if kinds and all(k in "biuf" for k in kinds):
        try:
            values = df.to_numpy(dtype=np.float64, na_value=np.nan)
            return Matrix(np.ascontiguousarray(values, dtype=np.float64), _pandas_rows(df), columns)
        except (TypeError, ValueError):  # pragma: no cover - mixed extension dtypes
            pass
    cells: list[F64Array] = []
    for position, name in enumerate(columns):
        series = df.iloc[:, position]
        numeric = getattr(series.dtype, "kind", "O") in "biuf"
        # Only numpy object columns (numbers mixed with other things) are looked at cell by cell;
        # text, categorical and date columns are not numbers as a whole.
        objects = isinstance(series.dtype, np.dtype) and series.dtype.kind == "O"
        if not (numeric or objects):
            raise _not_numeric_column(what, name, series.dtype, series.head(1000).tolist())
        cells.append(_from_pandas_series(series, f"{what}['{name}']"))
    values = np.column_stack(cells) if cells else np.empty((len(df), 0), dtype=np.float64)
    return Matrix(np.ascontiguousarray(values, dtype=np.float64), _pandas_rows(df), columns)


def _pyarrow_matrix(table: Any, what: str) -> Matrix:
    columns = _labels(table.column_names)
    cells: list[F64Array] = []
    for position, name in enumerate(columns):
        column = table.column(position)
        if not _pyarrow_numeric(column.type):
            raise _not_numeric_column(what, name, column.type, column.slice(0, 1000).to_pylist())
        cells.append(_from_pyarrow_array(column, f"{what}['{name}']"))
    values = np.column_stack(cells) if cells else np.empty((table.num_rows, 0), dtype=np.float64)
    return Matrix(np.ascontiguousarray(values, dtype=np.float64), None, columns)


def _original_cell(x: Any, i: int) -> Any:
    """The ``i``-th element of a 1-D input as given (for the name of a missing value)."""
    try:
        if _is_pandas_series(x):
            return x.iloc[i]
        if _is_pyarrow_array(x):
            return x[i].as_py()
        return x[i]
    except (IndexError, KeyError, TypeError, ValueError):
        return float("nan")


def _missing_name(x: Any, i: int) -> str:
    value = _original_cell(x, i)
    if value is None:
        return "null" if isinstance(x, pl.Series) or _is_pyarrow_array(x) else "None"
    if _is_na(value):
        return "pd.NA"
    return "NaN"


def to_vector(x: Any, what: str, *, n: int | None = None, missing: bool = True) -> F64Array:
    """A 1-D vector as C-contiguous float64 numpy array.

    ``x`` is a list, tuple, numpy array of any integer, float or bool dtype, a polars or pandas
    Series (nullable ``Int64`` / ``Float64`` / ``boolean`` included) or a pyarrow array. With
    ``missing`` True missing values (NaN, None, null, ``pd.NA``) become NaN; with False they raise
    :class:`~citycheck.DataError` naming the position (``weights[2] is missing (pd.NA)``). With
    ``n``, a vector of another length raises :class:`~citycheck.SpecError`.

    >>> import numpy as np
    >>> to_vector([np.int64(1), np.float32(0.5), True], "weights").tolist()
    [1.0, 0.5, 1.0]
    """
    a = _numeric(x, what)
    if a.ndim != 1:
        if a.ndim == 0:
            raise _native.SpecError(f"expected a vector (one value per column) for {what}, got a single value")
        raise _native.SpecError(f"expected a 1-D vector for {what}, got shape {a.shape}")
    if n is not None and a.shape[0] != n:
        raise _native.SpecError(f"expected {n} {what}, one per column, got {a.shape[0]}")
    if not missing:
        gaps = np.flatnonzero(np.isnan(a))
        if gaps.size:
            i = int(gaps[0])
            raise _native.DataError(f"{what}[{i}] is missing ({_missing_name(x, i)}): give every value")
    return a


def names(given: Sequence[Any] | None, n: int, prefix: str, what: str = "names") -> list[str]:
    """Labels for error messages: the given ones, else ``c1, c2, …`` (criteria) or
    ``row 1, row 2, …`` (rows)."""
    if given is None:
        return [f"{prefix}{i}" for i in range(1, n + 1)]
    if isinstance(given, str):
        raise _native.SpecError(f"{what} must be a list of names, one per entry, got the text {given!r}")
    labels = [str(g) for g in given]
    if len(labels) != n:
        raise _native.SpecError(f"expected {n} {what}, got {len(labels)}")
    return labels


def directions(types: Any, n: int) -> list[Any]:
    """Criterion types as catalogue directions, one per column: ``1`` / ``"higher"`` / ``"+"`` /
    ``"benefit"`` / ``"max"`` / ``"正向"`` (benefit), ``-1`` / ``"lower"`` / ``"-"`` / ``"cost"`` /
    ``"min"`` / ``"负向"`` (cost), or a direction table such as ``{"band": [a, b]}``.
    A list, numpy array (of ±1 or of text), pandas / polars Series or pyarrow array; ``None`` is
    every column higher (an empty list for the native module).

    >>> import numpy as np
    >>> directions(np.array([1, 1, -1]), 3)
    ['higher', 'higher', 'lower']
    """
    if types is None:
        return []
    if isinstance(types, (str, bytes, Mapping)):
        raise _native.SpecError(f"types must give one direction per column ({n}), got {types!r}")
    if isinstance(types, np.ndarray):
        items: list[Any] = types.tolist() if types.ndim == 1 else [types.tolist()]
    elif _is_pyarrow_array(types):
        items = list(types.to_pylist())
    else:
        to_list = getattr(types, "to_list", None) or getattr(types, "tolist", None)
        items = list(to_list()) if callable(to_list) else list(types)
    if len(items) != n:
        raise _native.SpecError(f"expected {n} types, one per column, got {len(items)}")
    out: list[Any] = []
    for i, t in enumerate(items):
        if isinstance(t, (str, np.str_)):
            out.append(str(t))
        elif isinstance(t, Mapping):
            out.append(plain(t, f"types[{i}]"))
        elif isinstance(t, (numbers.Real, np.number)) and not isinstance(t, (bool, np.bool_)) and t in (1, -1):
            out.append("higher" if t == 1 else "lower")
        else:
            raise _native.SpecError(
                f"types[{i}] is {t!r}: use 1 or 'higher' (higher is better), -1 or 'lower' (lower is better), "
                f"or a direction table such as {{'band': [a, b]}}"
            )
    return out
