"""Re-check across years (复查): the Rust ``citycheck::recheck`` module.

:func:`recheck` follows every problem of the yearly ledgers (``ledger.csv`` of a diagnosis, or
``object_ledger.csv`` of :func:`~citycheck.compute`) into the next ledger year: ``new``,
``persisting`` (with ``change`` improved / worsened), ``resolved`` (with the evidence: value
before and after, standard, source), ``recurring``, or ``not_assessed`` (no value that year:
never counted as resolved). The counts and rates — 整改率 (rectification rate = resolved ÷
carried over) and 销号率 (closure rate = closed with evidence ÷ listed) — are per unit, per
indicator and per renewal task (METHODS.md §10).

>>> import tempfile
>>> from pathlib import Path
>>> import citycheck as cc
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "ledger.csv").write_text(
...     "unit,year,indicator,value,standard,severity\\n"
...     "沈阳市,2011,green_coverage_builtup,38,40,3\\n"
...     "沈阳市,2012,tertiary_share,40,,2\\n", encoding="utf-8")
>>> r = cc.recheck(d / "ledger.csv")
>>> r.rows.filter(r.rows["year"] == 2012)["status"].to_list()  # no value of 2012 given
['not_assessed', 'new']
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, YearPaths, to_polars, year_paths
from ._tables import write_tables
from .catalog import Catalog

__all__ = ["Recheck", "recheck"]

Paths = Union[PathLike, Sequence[PathLike], None]


def _paths(value: Paths) -> list[Path]:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [Path(value)]
    return [Path(v) for v in value]


class Recheck:
    """The re-check of a series of ledgers (from :func:`recheck`).

    Attributes
    ----------
    years : list of int
        The ledger years, ascending.
    rows : polars.DataFrame
        ``recheck.csv``: unit, level, object_id, indicator, first_year, year, status,
        value_before, value_after, standard, severity_before, severity_after, tasks, note,
        change, previous_year, closed — every problem at every ledger year where it is listed
        or carried over.
    summary : polars.DataFrame
        ``recheck_summary.csv``: unit, level, year, carried_over, resolved, persisting, new,
        recurring, not_assessed, rectification_rate, closure_rate, listed, closed.
    by_indicator : polars.DataFrame
        ``recheck_indicators.csv``: the same counts per indicator, level and year.
    by_task : polars.DataFrame
        ``recheck_tasks.csv``: the same per renewal task, level and year; empty when no task is
        known (give a catalogue or a task file).
    issues : list of dict
        Indicators not in the catalogue (a ledger of another catalogue version), with file and
        row: the problem is kept and not assessed.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "ledger.csv").write_text("unit,year,indicator,severity\\nA,2011,x,1\\nA,2012,x,2\\n")
    >>> r = cc.recheck(d / "ledger.csv")
    >>> r.years, r.rows["status"].to_list(), r.rows["change"].to_list()
    ([2011, 2012], ['new', 'persisting'], [None, 'worsened'])
    """

    def __init__(self, native: _native.Recheck) -> None:
        """Wraps a native re-check."""
        self._native = native
        names = native.table_names()
        self.years: list[int] = list(native.years)
        self.rows: pl.DataFrame = to_polars(native.table("recheck"))
        self.summary: pl.DataFrame = to_polars(native.table("recheck_summary"))
        self.by_indicator: pl.DataFrame = to_polars(native.table("recheck_indicators"))
        self.by_task: pl.DataFrame = (
            to_polars(native.table("recheck_tasks"))
            if "recheck_tasks" in names
            else pl.DataFrame(schema={"task": pl.UInt32, "level": pl.String, "year": pl.Int32})
        )
        self.issues: list[dict[str, Any]] = native.issues

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``recheck.csv``, ``recheck_summary.csv``, ``recheck_indicators.csv`` (and
        ``recheck_tasks.csv`` when tasks are known) into the folder ``out``, or Parquet with
        ``format="parquet"``, or one workbook ``recheck.xlsx`` with ``format="xlsx"``; returns
        the paths. ``lang="zh"`` writes each CSV with a UTF-8 byte order mark (Excel then opens
        Chinese text correctly).

        >>> import tempfile
        >>> from pathlib import Path
        >>> import citycheck as cc
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "ledger.csv").write_text("unit,year,indicator\\nA,2011,x\\n")
        >>> [p.name for p in cc.recheck(d / "ledger.csv").write(d / "out")]
        ['recheck.csv', 'recheck_summary.csv', 'recheck_indicators.csv']
        """
        return write_tables(out, format=format, lang=lang, native=self._native.write)

    def _headline(self) -> str:
        return (
            f"citycheck re-check {', '.join(map(str, self.years))}: {self.rows.height} row(s), "
            f"{len(self.issues)} issue(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(self._headline())}</b></p>" + self.summary._repr_html_()


def recheck(
    ledgers: YearPaths,
    attainment: Paths = None,
    *,
    catalog: Catalog | None = None,
    tasks: str | None = None,
    level: str = "city",
) -> Recheck:
    """Re-check the problems of yearly ledgers across years (复查, METHODS.md §10).

    ``ledgers`` is a ledger file or a list of them (``ledger.csv`` of a diagnosis: unit, year,
    indicator, and value, standard, severity when present; or ``object_ledger.csv`` of
    :func:`~citycheck.compute`); a file may hold several years, one ledger per year. A file
    given with its year — ``{2013: path}``, or a ``(2013, path)`` pair in the list — is read at
    that year, and a ledger with a header and no rows is then the ledger of a year without
    problems (every problem of the year before is resolved or not assessed); without its year
    such a file is read at the diagnosed year of the ``run.json`` beside it when that run.json
    lists it (the run that wrote it), and otherwise raises :class:`DataError`.
    ``attainment`` gives the values of later years (``attainment.csv`` of a diagnosis, or a
    long table with unit, year, indicator, value): a problem that left the ledger with a value
    there is ``resolved``, without one ``not_assessed``. With ``catalog``, indicators not in it
    are reported (``issues``) and the tasks of each indicator are known; ``tasks`` (a built-in
    id such as ``"renewal-tasks-liaoning"`` or a TOML path) adds the task file's links.
    ``level`` names the level of a diagnosis's ledger (``ledger.csv`` has no level column).

    Two ledgers of one year, or the same problem twice in a year, raise :class:`DataError`
    naming the file and rows.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "2011.csv").write_text("unit,year,indicator,value,standard\\nA,2011,green_coverage_builtup,38,40\\n")
    >>> _ = (d / "2012.csv").write_text("unit,year,indicator\\nB,2012,tertiary_share\\n")
    >>> _ = (d / "values.csv").write_text("unit,year,indicator,value,met\\nA,2012,green_coverage_builtup,41,true\\n")
    >>> r = cc.recheck([d / "2011.csv", d / "2012.csv"], d / "values.csv", catalog=cc.Catalog.builtin())
    >>> r.rows.select("unit", "year", "status").rows()
    [('A', 2011, 'new'), ('A', 2012, 'resolved'), ('B', 2012, 'new')]
    >>> r.summary.filter(pl.col("unit") == "A")["rectification_rate"].to_list()
    [None, 1.0]
    >>> _ = (d / "2013.csv").write_text("unit,year,indicator\\n")  # 2013: no problem listed
    >>> r = cc.recheck({2012: d / "2012.csv", 2013: d / "2013.csv"}, d / "values.csv")
    >>> r.rows.filter(pl.col("year") == 2013).select("unit", "status").rows()  # B: no value in 2013
    [('B', 'not_assessed')]
    """
    native_catalog = None if catalog is None else catalog._native
    return Recheck(
        _native.recheck(year_paths(ledgers, "ledgers"), _paths(attainment), native_catalog, tasks, str(level))
    )
