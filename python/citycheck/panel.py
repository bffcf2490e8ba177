"""Observations of units over years: :class:`Panel`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import _citycheck as _native
from ._convert import IntLike, PathLike, arrow_source, to_int
from .catalog import Catalog

__all__ = ["Panel", "template"]


def _read_options(
    unit: str | None,
    year: str | None,
    indicator: str | None,
    value: str | None,
    source: str | None,
    attributes: Sequence[str] | None,
    layout: str,
    encoding: str | None = None,
    sheet: str | None = None,
) -> dict[str, Any]:
    options: dict[str, Any] = {"layout": layout}
    if encoding is not None:
        options["encoding"] = str(encoding)
    if sheet is not None:
        options["sheet"] = str(sheet)
    for key, column in (
        ("unit_column", unit),
        ("year_column", year),
        ("indicator_column", indicator),
        ("value_column", value),
        ("source_column", source),
    ):
        if column is not None:
            options[key] = str(column)
    if attributes is not None:
        if isinstance(attributes, str):
            attributes = [attributes]
        options["attributes"] = [str(a) for a in attributes]
    return options


class Panel:
    """Observations of units (cities, districts, compounds) over years, in long form.

    Column names left out are found among the usual English and Chinese headers (``city``,
    ``城市``, ``year``, ``年份``, ``indicator``, ``指标``, ``value``, ``数值`` …); when more than one
    column could be meant, name it.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["沈阳市", "大连市"], "year": [2012, 2012],
    ...                    "indicator": ["gdp", "gdp"], "value": [5000.0, 6000.0]})
    >>> panel = cc.Panel.from_frame(df, unit="city")
    >>> len(panel), panel.units, panel.years
    (2, ['沈阳市', '大连市'], [2012])
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Panel) -> None:
        """Wraps a native panel; use :meth:`from_frame`, :meth:`from_wide` or :meth:`read`."""
        self._native = native

    @classmethod
    def from_frame(
        cls,
        df: Any,
        *,
        unit: str | None = None,
        year: str | None = None,
        indicator: str | None = None,
        value: str | None = None,
        source: str | None = None,
        attributes: Sequence[str] | None = None,
        layout: str = "auto",
    ) -> Panel:
        """From a polars, pandas or pyarrow table (or anything offering
        ``__arrow_c_stream__``), long (unit, year, indicator, value) or wide (unit, year, one
        column per indicator); ``layout`` is ``"auto"``, ``"long"`` or ``"wide"``.
        ``attributes`` names unit attributes to keep (a province, a peer group, …).

        An indicator that does not apply to a unit (不适用, e.g. rail transit in a city without
        rail) is marked by the text ``"not_applicable"`` (or ``"不适用"``) in a value column of
        strings: it is left out with the weights renormalised, never imputed, never a problem.
        A numeric column cannot hold the mark; there is no boolean mark column.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"city": ["沈阳市", "沈阳市"], "year": [2011, 2012],
        ...                    "indicator": ["gdp", "gdp"], "value": [4500.0, 5000.0]})
        >>> Panel.from_frame(df, unit="city").years
        [2011, 2012]
        """
        options = _read_options(unit, year, indicator, value, source, attributes, layout)
        return cls(_native.Panel.from_frame(arrow_source(df), options))

    @classmethod
    def from_wide(
        cls,
        df: Any,
        *,
        unit: str | None = None,
        year: str | None = None,
        attributes: Sequence[str] | None = None,
    ) -> Panel:
        """From a wide table: unit, year and one column per indicator.

        >>> import polars as pl
        >>> df = pl.DataFrame({"city": ["沈阳市", "大连市"], "year": [2012, 2012],
        ...                    "gdp": [5000.0, 7000.0], "tertiary_share": [44.0, 41.7]})
        >>> Panel.from_wide(df, unit="city").indicators
        ['gdp', 'tertiary_share']
        """
        return cls.from_frame(df, unit=unit, year=year, attributes=attributes, layout="wide")

    @classmethod
    def read(
        cls,
        path: PathLike,
        *,
        unit: str | None = None,
        year: str | None = None,
        indicator: str | None = None,
        value: str | None = None,
        source: str | None = None,
        attributes: Sequence[str] | None = None,
        layout: str = "auto",
        encoding: str | None = None,
        sheet: str | None = None,
    ) -> Panel:
        """From a CSV, Parquet or Excel ``.xlsx`` file. Every CSV cell is read as text and
        parsed by citycheck, so that a bad cell is reported with its row and column.

        ``encoding`` is a CSV's text encoding: ``"auto"`` (default: UTF-8 when the bytes are,
        else GB18030/GBK, as Excel on Chinese Windows saves CSV, with a note in
        :attr:`issues`), ``"utf-8"`` or ``"gbk"`` (used alone; a file not in it raises
        :class:`~citycheck.DataError` naming the row and byte). ``sheet`` picks a workbook's
        sheet by name (default: the first; a workbook whose first sheet is a note, 说明, needs
        it); a CSV or Parquet file with ``sheet`` raises :class:`~citycheck.DataError`.

        A filled fill-in template (填报模板, written by :func:`~citycheck.template`) is read by
        its own layout, whatever the column options say: empty cells are missing, 是/否 read as
        1/0, and text in a number cell raises :class:`~citycheck.DataError` naming the sheet
        and the cell, as does a template with nothing filled in. :attr:`template` then names
        the catalogue it was written for (validation refuses another).

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "panel.csv"
        >>> _ = path.write_text("城市,年份,指标,数值\\n沈阳市,2012,gdp,5000\\n大连市,2012,gdp,-\\n", encoding="utf-8")
        >>> panel = Panel.read(path)
        >>> len(panel), panel.units
        (2, ['沈阳市', '大连市'])
        """
        options = _read_options(unit, year, indicator, value, source, attributes, layout, encoding, sheet)
        return cls(_native.Panel.read(os.fspath(path), options))

    def __len__(self) -> int:
        """The number of observations (rows of the long form)."""
        return len(self._native)

    @property
    def origin(self) -> str | None:
        """The file the panel was read from (None for a table in memory)."""
        return self._native.origin

    @property
    def units(self) -> list[str]:
        """The units in order of first appearance."""
        return self._native.units

    @property
    def years(self) -> list[int]:
        """The years, ascending."""
        return self._native.years

    @property
    def indicators(self) -> list[str]:
        """Indicator names as given in the input (ids or aliases)."""
        return self._native.indicators

    @property
    def template(self) -> dict[str, str] | None:
        """The catalogue a fill-in template was written for (``catalog``, ``version``,
        ``sha256``) when the panel was read from one, else None.

        >>> import pathlib, tempfile
        >>> import polars as pl
        >>> import citycheck as cc
        >>> values = cc.Panel.from_frame(pl.DataFrame({"city": ["沈阳市"], "year": [2012],
        ...                                           "indicator": ["gdp"], "value": [5000.0]}), unit="city")
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx"
        >>> filled = cc.Panel.read(cc.template(cc.Catalog.builtin(), ["沈阳市"], [2012], out, values=values))
        >>> filled.template["catalog"], values.template
        ('ccsy-example', None)
        """
        return self._native.template

    def filter_years(self, first: IntLike | None = None, last: IntLike | None = None) -> Panel:
        """The observations of the years ``first`` to ``last``, both included (None leaves that
        end open): fit on the earlier years, :meth:`Fitted.transform
        <citycheck.Fitted.transform>` a later one. Reading issues of other years are left out
        with their observations.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["沈阳市"] * 3, "year": [2010, 2011, 2012],
        ...                    "indicator": ["gdp"] * 3, "value": [4000.0, 4500.0, 5000.0]})
        >>> panel = cc.Panel.from_frame(df, unit="city")
        >>> panel.filter_years(2011).years, panel.filter_years(last=2011).years, panel.filter_years(2012, 2012).years
        ([2011, 2012], [2010, 2011], [2012])
        """
        first_year = None if first is None else to_int(first, "first year")
        last_year = None if last is None else to_int(last, "last year")
        return Panel(self._native.filter_years(first_year, last_year))

    @property
    def issues(self) -> list[dict[str, Any]]:
        """Problems found while reading (cells that could not be read, …), one dict each."""
        return self._native.read_issues()

    def validate(self, catalog: Catalog, mode: str = "strict") -> list[dict[str, Any]]:
        """Every problem against ``catalog``; in ``"strict"`` mode fatal ones raise
        :class:`~citycheck.DataError` (``"lenient"`` returns them).

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["沈阳市", "大连市"], "year": [2012, 2012],
        ...                    "green_coverage_builtup": [42.2, 44.7]})
        >>> issues = cc.Panel.from_wide(df, unit="city").validate(cc.Catalog.builtin())
        >>> all(isinstance(issue["message"], str) for issue in issues)
        True
        """
        return self._native.validate(catalog._native, mode)

    def __repr__(self) -> str:
        return repr(self._native)


def as_panel(panel: Any) -> Panel:
    """``panel`` itself, a table read with :meth:`Panel.from_frame`, or a file read with
    :meth:`Panel.read` (column names found among the usual headers)."""
    if isinstance(panel, Panel):
        return panel
    if isinstance(panel, (str, os.PathLike)):
        return Panel.read(panel)
    return Panel.from_frame(panel)


def template(
    catalog: Catalog,
    units: Sequence[str] | str,
    years: Iterable[IntLike],
    out: PathLike,
    level: str | None = None,
    *,
    values: Panel | None = None,
) -> Path:
    """Writes the fill-in template (填报模板) of ``catalog`` to ``out`` (an ``.xlsx``) and
    returns its path: the workbook a city's team fills, one yellow input column per unit and
    year (``沈阳市 2024``), one row per indicator (and per sub-item) with its definition, unit,
    data source, department, type and standard, a 是/否 drop-down for yes/no indicators and a
    README sheet naming the catalogue. A catalogue whose top-level groups are levels
    (``mohurd-2023``) gets a sheet per level; ``level`` (a top-level group's id or Chinese
    name, e.g. ``"district"`` or ``"城区(城市)"``) keeps one. With ``values`` (a :class:`Panel`)
    the cells it has are filled in: last year's values to correct.

    :meth:`Panel.read` reads the filled workbook; one with nothing filled in raises
    :class:`~citycheck.DataError`. No unit or year, a unit or year given twice, an unknown
    ``level`` or a path not ending in ``.xlsx`` raise :class:`~citycheck.SpecError`.

    >>> import pathlib, tempfile
    >>> import citycheck as cc
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "template.xlsx"
    >>> path = cc.template(cc.Catalog.builtin("ccsy-example"), ["沈阳市", "大连市"], [2011, 2012], out)
    >>> path == out and path.is_file()
    True
    >>> try:
    ...     cc.Panel.read(path)
    ... except cc.DataError as e:
    ...     print("no value is filled in" in str(e))
    True
    """
    if not isinstance(catalog, Catalog):
        raise _native.SpecError(f"catalog must be a citycheck Catalog, got {type(catalog).__name__}")
    unit_names = [units] if isinstance(units, str) else [str(u) for u in units]
    year_numbers = [to_int(y, "year") for y in years]
    native_values = None if values is None else values._native
    written = _native.write_template(catalog._native, unit_names, year_numbers, os.fspath(out), level, native_values)
    return Path(written)
