"""Efficiency of facilities (效能评价) by data envelopment analysis: the Rust
``citycheck::efficiency`` module.

:func:`efficiency` scores each unit (a facility, a city) of a table — a row per unit, or per
unit and year — on how well it turns its inputs into its outputs: CCR (constant returns), BCC
(variable returns) or SBM (slacks-based; ``sbm_vrs`` under variable returns, with undesirable
outputs such as leakage or emissions), input- or output-oriented, optionally Andersen–Petersen
super-efficiency; one LP per unit, year by year. :func:`malmquist` gives the Malmquist
productivity index between consecutive years and over the whole window, and its decomposition
M = EC × TC (with CCR, EC = pure efficiency change × scale efficiency change). :func:`dea`
scores plain matrices (numpy arrays, lists, frames). Each also takes a :class:`~citycheck.Panel`,
evaluated as a run's ``[efficiency]`` table evaluates it: the variables named, or those of a
facility class of a catalogue (``facility="water_supply", catalog=...``, the catalogue's
``[[facilities]]``). The tables are those of ``citycheck efficiency`` (``efficiency.csv``,
``malmquist.csv``).

>>> import warnings
>>> import polars as pl
>>> import citycheck as cc
>>> df = pl.DataFrame({"unit": ["A", "B", "C"], "staff": [2, 4, 4], "served": [2, 2, 4]})
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # three units for one input and one output: a warning
...     t = cc.efficiency(df, ["staff"], ["served"])
>>> t["score"].round(6).to_list()
[1.0, 0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Union

import numpy as np
import polars as pl

from . import _citycheck as _native
from ._convert import F64Array, arrow_source, to_int, to_matrix, to_polars, warn_all
from .catalog import Catalog
from .panel import Panel

__all__ = ["efficiency", "malmquist", "dea"]

#: Column names: a list, or one name as text.
Names = Union[str, Sequence[str]]


class _Year(NamedTuple):
    """One year's units (or the whole table without a year column) and their matrices."""

    year: int | None
    units: list[str]
    x: F64Array
    y: F64Array


def _frame(table: Any) -> pl.DataFrame:
    if isinstance(table, pl.LazyFrame):
        table = table.collect()
    if isinstance(table, pl.DataFrame):
        return table
    return pl.DataFrame(arrow_source(table))


def _names(names: Names, what: str) -> list[str]:
    out = [names] if isinstance(names, str) else [str(n) for n in names]
    if not out:
        raise _native.SpecError(f"efficiency: name at least one {what} column")
    return out


def _column(df: pl.DataFrame, name: str, what: str) -> pl.Series:
    if name not in df.columns:
        raise _native.SpecError(
            f"efficiency: no {what} column '{name}' in the table (columns: {', '.join(df.columns)})"
        )
    return df[name]


def _years(df: pl.DataFrame, column: str, units: list[str]) -> list[int]:
    out: list[int] = []
    for i, value in enumerate(_column(df, column, "year").to_list()):
        try:
            out.append(to_int(value, "year"))
        except _native.SpecError:
            raise _native.DataError(
                f"efficiency: unit '{units[i]}' (row {i + 1}): '{value}' in column '{column}' is not a year"
            ) from None
    return out


def _values(df: pl.DataFrame, name: str, kind: str, units: list[str], years: list[int] | None) -> F64Array:
    series = _column(df, name, kind)
    if not series.dtype.is_numeric():
        raise _native.DataError(
            f"efficiency: {kind} column '{name}' is not numeric ({series.dtype}); DEA takes numbers ≥ 0"
        )
    values = np.ascontiguousarray(series.cast(pl.Float64).to_numpy(), dtype=np.float64)
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        i = int(missing[0])
        when = "" if years is None else f" in {years[i]}"
        raise _native.DataError(f"efficiency: unit '{units[i]}'{when} has no value for {kind} '{name}' (missing)")
    return values


def _read(table: Any, inputs: list[str], outputs: list[str], unit: str, year: str | None) -> list[_Year]:
    """The table grouped by year (ascending; one group without a year column)."""
    df = _frame(table)
    if df.height == 0:
        raise _native.DataError("efficiency: the table has no rows")
    unit_column = _column(df, unit, "unit")
    if unit_column.null_count():
        row = int(np.flatnonzero(unit_column.is_null().to_numpy())[0])
        raise _native.DataError(f"efficiency: row {row + 1} has no unit name (column '{unit}')")
    units = [str(u) for u in unit_column.to_list()]
    years = None if year is None else _years(df, year, units)

    def matrix(names: list[str], kind: str) -> F64Array:
        columns = [_values(df, name, kind, units, years) for name in names]
        return np.ascontiguousarray(np.column_stack(columns), dtype=np.float64)

    x, y = matrix(inputs, "input"), matrix(outputs, "output")
    if years is None:
        return [_Year(None, units, x, y)]
    groups: list[_Year] = []
    for label in sorted(set(years)):
        rows = np.array([i for i, v in enumerate(years) if v == label], dtype=np.intp)
        groups.append(_Year(label, [units[i] for i in rows.tolist()], x[rows], y[rows]))
    return groups


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    return parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical")


def _on_panel(
    panel: Panel,
    inputs: Names | None,
    outputs: Names | None,
    model: str,
    orientation: str | None,
    super_efficiency: bool,
    undesirable: Sequence[Any] | str | None,
    facility: str | None,
    catalog: Catalog | None,
    validation: str,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """A run's ``[efficiency]`` on ``panel``: efficiency.csv's rows and malmquist.csv's."""
    config: dict[str, Any] = {"model": model, "super": bool(super_efficiency)}
    if orientation is not None:
        config["orientation"] = orientation
    if facility is not None:
        if catalog is None:
            raise _native.SpecError(f"efficiency: facility '{facility}' is a class of a catalogue: give catalog=")
        config["facility"] = str(facility)
    elif inputs is None or outputs is None:
        raise _native.SpecError("efficiency: name the inputs and outputs, or a facility class of a catalogue")
    if inputs is not None:
        config["inputs"] = _names(inputs, "input")
    if outputs is not None:
        config["outputs"] = _names(outputs, "output")
    if undesirable is not None:
        config["undesirable"] = [undesirable] if isinstance(undesirable, str) else [str(u) for u in undesirable]
    native_catalog = None if catalog is None else catalog._native
    table, malmquist_table, summary = _native.efficiency_panel(panel._native, config, native_catalog, validation)
    warn_all([str(note) for note in summary["notes"]])
    return to_polars(table), None if malmquist_table is None else to_polars(malmquist_table)


def _table_only(facility: str | None, catalog: Catalog | None, what: str) -> None:
    if facility is not None or catalog is not None:
        raise _native.SpecError(
            f"{what}: facility and catalog apply to a cc.Panel; name the columns of a table by inputs and outputs"
        )


def efficiency(
    frame: Any,
    inputs: Names | None = None,
    outputs: Names | None = None,
    unit: str = "unit",
    year: str | None = None,
    model: str = "ccr",
    orientation: str | None = None,
    super_efficiency: bool = False,
    undesirable: Names | None = None,
    *,
    facility: str | None = None,
    catalog: Catalog | None = None,
    validation: str = "strict",
) -> pl.DataFrame:
    """Data envelopment analysis of every unit of ``frame`` (polars, pandas or pyarrow), year
    by year when ``year`` names a year column; or of a :class:`~citycheck.Panel`, year by year.

    A panel is evaluated as a run's ``[efficiency]`` table evaluates it: its values as read,
    validated against ``catalog`` in ``validation`` mode (``"strict"`` or ``"lenient"``) when
    one is given, variables by catalogue id, alias or the data's name; ``facility`` takes the
    inputs, outputs and undesirable outputs of a facility class of the catalogue
    (``[[facilities]]``) instead of ``inputs`` and ``outputs``. A unit-year without a value for
    one of the variables is left out of its year, with a warning; ``unit`` and ``year`` are the
    panel's own.

    ``inputs`` and ``outputs`` name the columns (numbers ≥ 0; SBM needs > 0); ``unit`` the
    column of unit names. ``model`` is ``"ccr"``, ``"bcc"``, ``"sbm"`` or ``"sbm_vrs"`` (SBM
    under variable returns); ``orientation`` ``"input"`` (default for CCR and BCC),
    ``"output"`` or ``"non_oriented"`` (SBM's default); ``super_efficiency`` leaves each unit
    out of its own reference set (Andersen–Petersen for CCR and BCC; for SBM, Tone's 2002
    slacks-based super-efficiency of the units SBM finds efficient, δ ≥ 1; with undesirable
    outputs, the super-SBM of Li et al. 2013); ``undesirable`` names outputs (among
    ``outputs``) of which less is better — leakage, emissions — which SBM reduces (Tone 2003).
    A missing value raises :class:`~citycheck.DataError` naming the unit and the column; a
    warning of the analysis (too few units to discriminate) is a
    :class:`~citycheck.CitycheckWarning`.

    Returns the rows of ``efficiency.csv``: unit, year, model, orientation, super_efficiency,
    score (θ, 1/φ or ρ), expansion (φ), status, efficient (score 1 and no slack),
    scale_efficiency, returns_to_scale, peers, lambdas, ``slack_<column>`` and
    ``target_<column>`` for every input then output, note.

    Cooper, Seiford & Tone's Example 3.2 (six stores; F has θ = 1 but a slack: only weakly
    efficient):

    >>> import warnings
    >>> import polars as pl
    >>> import citycheck as cc
    >>> stores = pl.DataFrame({"unit": list("ABCDEF"), "employees": [4, 7, 8, 4, 2, 10],
    ...                        "area": [3, 3, 1, 2, 4, 1], "sales": [1] * 6})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # six units for three variables: a warning
    ...     t = cc.efficiency(stores, ["employees", "area"], ["sales"])
    >>> t["score"].round(4).to_list()
    [0.8571, 0.6316, 1.0, 1.0, 1.0, 1.0]
    >>> t["efficient"].to_list(), t["peers"][0]
    ([False, False, True, True, True, False], 'D;E')

    The same stores as a panel (long form, one year):

    >>> panel = cc.Panel.from_frame(stores.with_columns(year=pl.lit(2024)).unpivot(
    ...     index=["unit", "year"], variable_name="indicator", value_name="value"), unit="unit")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     p = cc.efficiency(panel, ["employees", "area"], ["sales"])
    >>> p["score"].round(4).to_list()
    [0.8571, 0.6316, 1.0, 1.0, 1.0, 1.0]
    """
    if isinstance(frame, Panel):
        return _on_panel(
            frame, inputs, outputs, model, orientation, super_efficiency, undesirable, facility, catalog, validation
        )[0]
    _table_only(facility, catalog, "efficiency")
    if inputs is None or outputs is None:
        raise _native.SpecError("efficiency: name the input and output columns")
    ins, outs = _names(inputs, "input"), _names(outputs, "output")
    bad = None if undesirable is None else ([undesirable] if isinstance(undesirable, str) else list(undesirable))
    parts: list[pl.DataFrame] = []
    for group in _read(frame, ins, outs, unit, year):
        table, warnings = _native.efficiency_dea(
            group.units, ins, outs, group.x, group.y, model, orientation, bool(super_efficiency), group.year, bad
        )
        warn_all([w if group.year is None else f"{group.year}: {w}" for w in warnings])
        parts.append(to_polars(table))
    return _concat(parts)


def malmquist(
    frame: Any,
    inputs: Names | None = None,
    outputs: Names | None = None,
    unit: str = "unit",
    year: str = "year",
    model: str = "ccr",
    orientation: str = "input",
    *,
    facility: str | None = None,
    catalog: Catalog | None = None,
    validation: str = "strict",
) -> pl.DataFrame:
    """The Malmquist productivity index of every unit between consecutive years of ``frame``,
    then between its first and last year when it has three or more (units matched by name; a
    unit missing from either year is left out). ``frame`` may be a :class:`~citycheck.Panel`,
    with ``facility`` and ``catalog`` as in :func:`efficiency`.

    ``model`` is ``"ccr"`` (constant returns, the default) or ``"bcc"``; with BCC a
    cross-period LP may have no solution, which leaves the index null and says so in ``note``.
    ``orientation`` is ``"input"`` (θ, the default) or ``"output"`` (1/φ) distances.
    Returns the rows of ``malmquist.csv``: unit, from_year, to_year, malmquist (> 1:
    productivity grew), efficiency_change (catching up), technical_change (the frontier's
    shift; M = EC × TC), pure_efficiency_change and scale_efficiency_change (CCR only: EC =
    PEC × SEC by the variable-returns distances), the four distances d_from_from, d_from_to,
    d_to_from, d_to_to, the variable-returns vrs_from_from and vrs_to_to, note.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"unit": ["A", "B", "A", "B"], "year": [2020, 2020, 2021, 2021],
    ...                    "staff": [1, 2, 1, 2], "served": [1.0, 1.0, 2.0, 1.5]})
    >>> m = cc.malmquist(df, ["staff"], ["served"])
    >>> [(u, round(mi, 6), round(ec, 6), round(tc, 6))
    ...  for u, mi, ec, tc in m.select("unit", "malmquist", "efficiency_change", "technical_change").iter_rows()]
    [('A', 2.0, 1.0, 2.0), ('B', 1.5, 0.75, 2.0)]
    """
    if isinstance(frame, Panel):
        if model not in ("ccr", "bcc"):
            raise _native.SpecError(f"malmquist takes model 'ccr' or 'bcc', not '{model}'")
        _, table = _on_panel(frame, inputs, outputs, model, orientation, False, None, facility, catalog, validation)
        if table is None:
            raise _native.SpecError("malmquist needs two or more years with units that have every variable")
        return table
    _table_only(facility, catalog, "malmquist")
    if inputs is None or outputs is None:
        raise _native.SpecError("malmquist: name the input and output columns")
    ins, outs = _names(inputs, "input"), _names(outputs, "output")
    groups = _read(frame, ins, outs, unit, year)
    if len(groups) < 2:
        found = ", ".join(str(g.year) for g in groups)
        raise _native.SpecError(f"malmquist needs two or more years in column '{year}', found {found}")
    pairs = list(zip(groups, groups[1:]))
    if len(groups) > 2:
        pairs.append((groups[0], groups[-1]))
    parts: list[pl.DataFrame] = []
    for a, b in pairs:
        assert a.year is not None and b.year is not None
        parts.append(
            to_polars(
                _native.efficiency_malmquist(
                    ins, outs, a.year, a.units, a.x, a.y, b.year, b.units, b.x, b.y, model, orientation
                )
            )
        )
    return _concat(parts)


def dea(
    x: Any,
    y: Any = None,
    *,
    units: Sequence[Any] | None = None,
    inputs: Sequence[str] | None = None,
    outputs: Sequence[str] | None = None,
    model: str = "ccr",
    orientation: str | None = None,
    super_efficiency: bool = False,
    undesirable: Sequence[str | int] | None = None,
    facility: str | None = None,
    catalog: Catalog | None = None,
    validation: str = "strict",
) -> pl.DataFrame:
    """Data envelopment analysis of plain matrices: ``x`` the inputs and ``y`` the outputs
    (rows = units; numpy arrays of any numeric dtype, lists of rows, or polars, pandas or
    pyarrow tables, whose column names name the variables). ``x`` may instead be a
    :class:`~citycheck.Panel` (``y`` left out): :func:`efficiency` of the panel, its variables
    named by ``inputs`` and ``outputs`` or by ``facility`` of ``catalog``.

    ``units`` names the rows (default ``"1"``, ``"2"``, …, or a pandas index); ``inputs`` and
    ``outputs`` the columns (default the frames' column names, else ``x1``, … and ``y1``, …);
    ``undesirable`` the undesirable outputs, by name or by column position. ``model``,
    ``orientation`` and ``super_efficiency`` as in :func:`efficiency`, whose table this
    returns (``year`` null).

    Cooper, Seiford & Tone's Example 3.2 (six stores, two inputs, one output of 1):

    >>> import warnings
    >>> import numpy as np
    >>> import citycheck as cc
    >>> x = np.array([[4, 3], [7, 3], [8, 1], [4, 2], [2, 4], [10, 1]])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # six units for three variables: a warning
    ...     t = cc.dea.dea(x, np.ones((6, 1)), units=list("ABCDEF"))
    >>> t["score"].round(4).to_list()
    [0.8571, 0.6316, 1.0, 1.0, 1.0, 1.0]
    """
    if isinstance(x, Panel):
        if y is not None or units is not None:
            raise _native.SpecError("dea: a panel has its own units and variables; leave out y and units")
        return _on_panel(
            x, inputs, outputs, model, orientation, super_efficiency, undesirable, facility, catalog, validation
        )[0]
    _table_only(facility, catalog, "dea")
    if y is None:
        raise _native.SpecError("dea: y (the outputs, rows = units) is missing")
    mx, my = to_matrix(x, "x"), to_matrix(y, "y")
    n = mx.values.shape[0]
    if my.values.shape[0] != n:
        raise _native.SpecError(f"dea: x has {n} rows (units) and y {my.values.shape[0]}")
    default = mx.rows or my.rows or [str(k + 1) for k in range(n)]
    labels = default if units is None else [str(u) for u in units]
    ins = list(inputs) if inputs is not None else (mx.columns or [f"x{j + 1}" for j in range(mx.values.shape[1])])
    outs = list(outputs) if outputs is not None else (my.columns or [f"y{r + 1}" for r in range(my.values.shape[1])])
    bad: list[str] | None = None
    if undesirable is not None:
        bad = []
        for b in undesirable:
            if isinstance(b, int) and not isinstance(b, bool):
                if not 0 <= b < len(outs):
                    raise _native.SpecError(f"dea: undesirable output {b} is not a column of y ({len(outs)} columns)")
                bad.append(outs[b])
            else:
                bad.append(str(b))
    for what, values in (("x", mx.values), ("y", my.values)):
        missing = np.argwhere(np.isnan(values))
        if missing.size:
            row, column = (int(v) for v in missing[0])
            names = ins if what == "x" else outs
            raise _native.DataError(f"dea: unit '{labels[row]}' has no value for '{names[column]}' (missing)")
    table, warnings = _native.efficiency_dea(
        labels, ins, outs, mx.values, my.values, model, orientation, bool(super_efficiency), None, bad
    )
    warn_all(warnings)
    return to_polars(table)
