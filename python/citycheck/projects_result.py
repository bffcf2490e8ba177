"""Projects (项目生成): the Rust ``citycheck::projects`` module.

:func:`projects` validates a projects table a city registers (project_id, unit, name, tasks,
problems, investment, funding_source, lead_department, plan_start, plan_end, status, progress)
and links it to the problem ledger of one year: which problems each project addresses (its
priority is the sum of their severities, METHODS.md §10), which problems no project addresses
(the gaps, by severity) and which projects address no recorded problem; the project reserve
(项目储备库) and the implementation library (项目实施库) with progress against plan and overdue
projects at a reference date. Unknown units, tasks and problems and bad cells are reported in
``issues`` with file, row and column; the project is kept.

>>> import tempfile
>>> from pathlib import Path
>>> import citycheck as cc
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "ledger.csv").write_text(
...     "unit,year,indicator,severity\\n沈阳市,2012,green_coverage_builtup,6\\n沈阳市,2012,gdp,2\\n", encoding="utf-8")
>>> _ = (d / "projects.csv").write_text(
...     "project_id,unit,name,problems\\nP1,沈阳市,公园绿地,green_coverage_builtup\\n", encoding="utf-8")
>>> p = cc.projects(d / "projects.csv", d / "ledger.csv")
>>> p.projects.select("project_id", "priority", "rank").rows()   # priority = Σ severity addressed
[('P1', 6.0, 1)]
>>> p.gaps["indicator"].to_list()                               # no project addresses gdp
['gdp']
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, to_int, to_polars
from .catalog import Catalog

__all__ = ["Projects", "projects"]


class Projects:
    """A projects table linked to the ledger of one year (from :func:`projects`).

    Attributes
    ----------
    year : int
        The ledger year.
    as_of : str or None
        The reference date of progress against plan (``YYYY-MM-DD``).
    projects : polars.DataFrame
        ``projects.csv``: every project with every field, what it addresses (``addressed``),
        the known indicators it names with no problem recorded (``unrecorded``), ``priority``
        (Σ severity of the problems addressed) and ``rank`` in its unit, planned_progress,
        progress_gap and overdue at ``as_of``, its ``row`` and a ``note``.
    reserve : polars.DataFrame
        ``project_reserve.csv`` (项目储备库): by unit and priority.
    implementation : polars.DataFrame
        ``project_implementation.csv`` (项目实施库): schedule, responsibility, progress.
    coverage : polars.DataFrame
        ``problem_coverage.csv``: every problem of the ledger and the projects addressing it.
    gaps : polars.DataFrame
        ``gaps.csv``: the problems no project addresses, by severity (rank 1 = most severe).
    issues : list of dict
        Unknown units, tasks and problems, bad cells: kind, file, row, column, …, message.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "ledger.csv").write_text("unit,year,indicator,severity\\nA,2024,x,3\\n")
    >>> _ = (d / "p.csv").write_text("project_id,unit,name,problems,plan_start,plan_end\\nP1,A,a,x,2024-01,2024-12\\n")
    >>> p = cc.projects(d / "p.csv", d / "ledger.csv", as_of="2024-12-31")
    >>> p.year, p.implementation["planned_progress"].to_list()
    (2024, [100.0])
    """

    def __init__(self, native: _native.Projects) -> None:
        """Wraps native linked projects."""
        self._native = native
        self.year: int = native.year
        self.as_of: str | None = native.as_of
        self.projects: pl.DataFrame = to_polars(native.table("projects"))
        self.reserve: pl.DataFrame = to_polars(native.table("project_reserve"))
        self.implementation: pl.DataFrame = to_polars(native.table("project_implementation"))
        self.coverage: pl.DataFrame = to_polars(native.table("problem_coverage"))
        self.gaps: pl.DataFrame = to_polars(native.table("gaps"))
        self.issues: list[dict[str, Any]] = native.issues

    def write(self, out: PathLike, format: str = "csv") -> list[Path]:
        """Writes ``projects.csv``, ``project_reserve.csv``, ``project_implementation.csv``,
        ``problem_coverage.csv`` and ``gaps.csv`` into ``out``, or Parquet with
        ``format="parquet"``; returns the paths.

        >>> import tempfile
        >>> from pathlib import Path
        >>> import citycheck as cc
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "ledger.csv").write_text("unit,year,indicator\\nA,2024,x\\n")
        >>> _ = (d / "p.csv").write_text("project_id,unit,name,problems\\nP1,A,a,x\\n")
        >>> [p.name for p in cc.projects(d / "p.csv", d / "ledger.csv").write(d / "out")][-1]
        'gaps.csv'
        """
        return [Path(p) for p in self._native.write(Path(out), format)]

    def _headline(self) -> str:
        return (
            f"citycheck projects linked to the ledger of {self.year}: {self.projects.height} project(s), "
            f"{self.coverage.height} problem(s), {self.gaps.height} gap(s), {len(self.issues)} issue(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(self._headline())}</b></p>" + self.reserve._repr_html_()


def projects(
    projects: PathLike,
    ledger: PathLike,
    *,
    year: int | None = None,
    catalog: Catalog | None = None,
    tasks: str | None = None,
    as_of: str | datetime.date | None = None,
    units: Sequence[str] | None = None,
    level: str = "city",
) -> Projects:
    """Link a projects table (项目生成) to the problem ledger of one year (METHODS.md §10).

    ``projects`` is the table (CSV, Parquet or .xlsx; columns as ``citycheck projects`` reads
    them: project_id, unit, name, tasks, problems, investment, funding_source, lead_department,
    plan_start, plan_end, status, progress). ``ledger`` is a ``ledger.csv`` of a diagnosis or an
    ``object_ledger.csv`` of :func:`~citycheck.compute`, read at ``year`` (default: its last
    year; required for a ledger with a header and no rows, a year without problems). With
    ``catalog``, problem names may be aliases and names that are no indicator are reported;
    ``tasks`` (a built-in id such as ``"renewal-tasks-liaoning"`` or a TOML path) reports task
    numbers it lacks. ``as_of`` (``"YYYY-MM-DD"`` or a ``datetime.date``) is the reference date
    of progress against plan and of the overdue flag; ``units`` are units known besides the
    ledger's (a unit without problems is in no ledger).

    A duplicate or empty ``project_id``, a missing column and a ledger that cannot be read
    raise :class:`DataError`; bad cells are ``issues``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "ledger.csv").write_text("unit,year,indicator,value,standard,severity\\n")  # no problem
    >>> _ = (d / "p.csv").write_text("project_id,unit,name,problems\\nP1,A,a,green_coverage_builtup\\n")
    >>> p = cc.projects(d / "p.csv", d / "ledger.csv", year=2024, units=["A"], catalog=cc.Catalog.builtin())
    >>> p.coverage.height, p.projects["unrecorded"].to_list()
    (0, ['green_coverage_builtup'])
    """
    native_catalog = None if catalog is None else catalog._native
    return Projects(
        _native.projects(
            Path(projects),
            Path(ledger),
            None if year is None else to_int(year, "year"),
            native_catalog,
            tasks,
            None if as_of is None else str(as_of),
            None if units is None else [str(u) for u in units],
            str(level),
        )
    )
