"""Observations of units over years: :class:`Panel`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from . import _citycheck as _native
from ._convert import PathLike, arrow_source
from .catalog import Catalog

__all__ = ["Panel"]


def _read_options(
    unit: str | None,
    year: str | None,
    indicator: str | None,
    value: str | None,
    source: str | None,
    attributes: Sequence[str] | None,
    layout: str,
) -> dict[str, Any]:
    options: dict[str, Any] = {"layout": layout}
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
    ) -> Panel:
        """From a CSV, Parquet or Excel ``.xlsx`` file. Every CSV cell is read as text and
        parsed by citycheck, so that a bad cell is reported with its row and column.

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "panel.csv"
        >>> _ = path.write_text("城市,年份,指标,数值\\n沈阳市,2012,gdp,5000\\n大连市,2012,gdp,-\\n", encoding="utf-8")
        >>> panel = Panel.read(path)
        >>> len(panel), panel.units
        (2, ['沈阳市', '大连市'])
        """
        options = _read_options(unit, year, indicator, value, source, attributes, layout)
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
