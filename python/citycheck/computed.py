"""Check-up indicators computed from object records: :class:`Computed` and :func:`compute`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, arrow_source, to_polars
from ._tables import html_summary, write_tables
from .catalog import Catalog
from .panel import Panel

__all__ = ["Computed", "compute"]


class Computed:
    """Check-up indicators computed from object records (:func:`compute`).

    Attributes
    ----------
    indicators : polars.DataFrame
        ``unit, level, year, indicator, value, numerator, denominator, unknown, objects`` — one
        row per unit of each level (compound, block, district, city), year and indicator;
        ``unknown`` counts objects whose inputs are missing (never counted as "no problem").
    ledger : polars.DataFrame or None
        ``year, level, object_id, compound_id, block_id, district_id, city_id, indicator`` — one
        row per object and problem (count and share formulas).
    issues : list of dict
        Duplicate ids, unknown or conflicting parents, missing ids, tables nothing reads.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> districts = pl.DataFrame({
    ...     "year": [2024, 2024], "city_id": ["C01", "C01"], "district_id": ["C01-D01", "C01-D02"],
    ...     "population": [14110, 48744], "area_km2": [2.0, 3.0], "road_length_km": [8.0, 12.0],
    ...     "park_green_area_m2": [136516.0, 402454.0], "new_building_area_m2": [4080.0, 36035.0],
    ...     "green_new_building_area_m2": [3513.0, 32275.0],
    ... })
    >>> out = cc.compute(districts, cc.Catalog.builtin("mohurd-2023"), levels=["district", "city"])
    >>> sorted(out.indicators["level"].unique().to_list())
    ['city', 'district']
    """

    def __init__(self, native: _native.Computed) -> None:
        """Wraps native computed indicators."""
        self.indicators: pl.DataFrame = to_polars(native.indicators())
        ledger = native.ledger()
        self.ledger: pl.DataFrame | None = None if ledger is None else to_polars(ledger)
        self.issues: list[dict[str, Any]] = native.issues

    def panel(self, level: str = "city") -> Panel:
        """The indicators of ``level`` as a :class:`~citycheck.Panel` to score (unit = the
        level's id).

        >>> import polars as pl
        >>> import citycheck as cc
        >>> districts = pl.DataFrame({"year": [2024], "city_id": ["C01"], "district_id": ["C01-D01"],
        ...                           "area_km2": [2.0], "road_length_km": [8.0], "population": [14110],
        ...                           "park_green_area_m2": [136516.0], "new_building_area_m2": [4080.0],
        ...                           "green_new_building_area_m2": [3513.0]})
        >>> panel = cc.compute(districts, cc.Catalog.builtin("mohurd-2023")).panel("district")
        >>> panel.units, panel.years
        (['C01-D01'], [2024])
        """
        rows = self.indicators.filter(pl.col("level") == level).select("unit", "year", "indicator", "value")
        return Panel.from_frame(rows, unit="unit", year="year", indicator="indicator", value="value")

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``indicators`` (and ``object_ledger`` when there is a ledger) into the folder
        ``out`` (created if absent) as ``.csv`` or ``.parquet``, as a run names them; returns
        the paths. ``lang="zh"`` writes each CSV with a UTF-8 byte order mark (Excel then
        opens Chinese text correctly). A workbook comes from the command line
        (``citycheck compute --format xlsx``).

        >>> import tempfile
        >>> import polars as pl
        >>> import citycheck as cc
        >>> districts = pl.DataFrame({"year": [2024], "city_id": ["C01"], "district_id": ["C01-D01"],
        ...                           "area_km2": [2.0], "road_length_km": [8.0], "population": [14110],
        ...                           "park_green_area_m2": [136516.0], "new_building_area_m2": [4080.0],
        ...                           "green_new_building_area_m2": [3513.0]})
        >>> out = cc.compute(districts, cc.Catalog.builtin("mohurd-2023"))
        >>> [p.name for p in out.write(tempfile.mkdtemp())]
        ['indicators.csv', 'object_ledger.csv']
        """
        tables = [("indicators", self.indicators)]
        if self.ledger is not None:
            tables.append(("object_ledger", self.ledger))
        return write_tables(out, tables, format, lang, owner="computed indicators")

    def _headline(self) -> str:
        levels = self.indicators["level"].unique().sort().to_list() if self.indicators.height else []
        return (
            f"citycheck computed indicators: {self.indicators.height} rows, levels {levels}, "
            f"{len(self.issues)} issue(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        counts = self.indicators.group_by("level", "year", maintain_order=True).agg(
            pl.col("unit").n_unique().alias("units"), pl.col("indicator").n_unique().alias("indicators")
        )
        issues = [str(issue.get("message", issue)) for issue in self.issues]
        sections = [("Units and indicators per level and year", counts)]
        return html_summary(self._headline(), sections, issues, noun="issue")


def compute(
    records: PathLike | Any | Sequence[PathLike | Any],
    catalog: Catalog,
    *,
    levels: Sequence[str] | None = None,
    ledger: bool = True,
    parameters: Mapping[str, float] | None = None,
) -> Computed:
    """Compute the catalogue's ``[indicators.formula]`` indicators from object records.

    ``records`` is a file or folder path (CSV / Parquet; a folder's files and subfolders),
    a polars / pandas / pyarrow frame, or a list of them; each table holds one object type
    (building, compound, community, block, district), named by its finest id column
    (``building_id`` … ``city_id``) and has a ``year`` column. ``levels`` are the output levels
    (default compound, block, district, city; ``community`` where the catalogue declares it and
    the records carry ``community_id``). Ratios are ratios of sums: the city's road-network density is its
    districts' road length over their area.

    ``parameters`` sets numbers of the catalogue's ``[parameters]`` table that formulas read as
    ``$name`` — a province's norms, e.g. ``{"elderly_norm_new": 25}`` for 25 m² of
    elderly-care space per 100 households — without editing any formula; a name the catalogue
    does not define raises :class:`CatalogError`.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> districts = pl.DataFrame({
    ...     "year": [2024, 2024], "city_id": ["C01", "C01"], "district_id": ["C01-D01", "C01-D02"],
    ...     "population": [14110, 48744], "area_km2": [2.0, 3.0], "road_length_km": [8.0, 12.0],
    ...     "park_green_area_m2": [136516.0, 402454.0], "new_building_area_m2": [4080.0, 36035.0],
    ...     "green_new_building_area_m2": [3513.0, 32275.0],
    ... })
    >>> out = cc.compute(districts, cc.Catalog.builtin("mohurd-2023"))
    >>> city = out.indicators.filter((pl.col("level") == "city") & (pl.col("indicator") == "road_network_density"))
    >>> city["value"].to_list()  # (8 + 12) km / (2 + 3) km²
    [4.0]
    """
    items = list(records) if isinstance(records, (list, tuple)) else [records]
    paths = [Path(r) for r in items if isinstance(r, (str, os.PathLike))]
    frames = [arrow_source(r) for r in items if not isinstance(r, (str, os.PathLike))]
    wanted = [] if levels is None else ([levels] if isinstance(levels, str) else [str(v) for v in levels])
    values = None if parameters is None else {str(k).lstrip("$"): float(v) for k, v in parameters.items()}
    return Computed(_native.compute(catalog._native, paths, frames, wanted, bool(ledger), values))
