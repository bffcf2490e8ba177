"""The annual assessment (年度考核评估) of each city's renewal work: the Rust
``citycheck::assess`` module.

:func:`assess` scores, per unit and year, the tables a run (or the commands) wrote — the
re-check's rectification and closure rates (``recheck_summary.csv``), progress to the targets
(``progress.csv``), the share of projects completed and of planned investment executed (a
projects table), red warnings reduced (``warnings.csv``) and satisfaction
(``survey_dimensions.csv``) — with the assessment catalogue ``liaoning-assessment`` (every
indicator proposed: the plan names none), ranks each year (通报, with rank changes) and rewards
the top share of the ranking or every score above a threshold (以奖代补). A table not given
leaves its indicators missing, with a note.

>>> import tempfile
>>> from pathlib import Path
>>> import citycheck as cc
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "recheck_summary.csv").write_text(
...     "unit,year,rectification_rate,closure_rate\\nA,2024,0.8,0.5\\nB,2024,0.4,0.25\\n")
>>> a = cc.assess(recheck_summary=d / "recheck_summary.csv", top_share=0.5)
>>> a.ranking.select("rank", "unit", "tier").rows()   # A is best on both rates
[(1, 'A', 'reward'), (2, 'B', 'none')]
>>> a.table.filter(pl.col("unit") == "B")["rectification_rate"].to_list()  # the rate × 100
[40.0]
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, YearPaths, to_float, to_int, to_polars, year_paths
from ._spec import SpecLike, base_spec
from .catalog import Catalog

__all__ = ["Assessment", "assess"]


class Assessment:
    """The annual assessment of each unit's renewal work (from :func:`assess`).

    Attributes
    ----------
    catalog : str
        The assessment catalogue's id.
    indicators : list of str
        The scored indicators, in catalogue order (the value columns of ``table``).
    table : polars.DataFrame
        ``assessment.csv``: unit, year, score, rank (1 = best among the year's units),
        rank_change (the previous year's rank − this year's: positive moved up), tier
        (``reward`` or ``none``), then one column per indicator.
    ranking : polars.DataFrame
        ``assessment_ranking.csv`` (通报): year, rank, unit, score, rank_change, tier — the
        ranked unit-years by year and rank.
    ranking_zh : polars.DataFrame
        ``assessment_ranking_zh.csv``: the same with Chinese headers (年度, 排名, 城市, 得分,
        排名变化, 激励档次) and tiers (奖励 / 无).
    incentive : str
        The incentive rule (以奖代补), in words.
    notes : list of str
        Tables not given, years left out, the projects tables' issues.
    warnings : list of dict
        The check-up's warnings (code, message): proposed indicators, indicators without data.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "s.csv").write_text("unit,year,rectification_rate,closure_rate\\nA,2024,0.5,0.5\\n")
    >>> a = cc.assess(recheck_summary=d / "s.csv")
    >>> a.catalog, a.incentive
    ('liaoning-assessment', "top 30% of each year's ranking")
    """

    def __init__(self, native: _native.Assessment) -> None:
        """Wraps a native assessment."""
        self._native = native
        self.catalog: str = native.catalog
        self.indicators: list[str] = list(native.indicators)
        self.table: pl.DataFrame = to_polars(native.table("assessment"))
        self.ranking: pl.DataFrame = to_polars(native.table("assessment_ranking"))
        self.ranking_zh: pl.DataFrame = to_polars(native.table("assessment_ranking_zh"))
        self.incentive: str = native.incentive
        self.notes: list[str] = list(native.notes)
        self.warnings: list[dict[str, Any]] = native.warnings

    def write(self, out: PathLike, format: str = "csv") -> list[Path]:
        """Writes ``assessment.csv``, ``assessment_ranking.csv`` and
        ``assessment_ranking_zh.csv`` into ``out``, or Parquet with ``format="parquet"``;
        returns the paths.

        >>> import tempfile
        >>> from pathlib import Path
        >>> import citycheck as cc
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "s.csv").write_text("unit,year,rectification_rate,closure_rate\\nA,2024,0.5,0.5\\n")
        >>> [p.name for p in cc.assess(recheck_summary=d / "s.csv").write(d / "out")]
        ['assessment.csv', 'assessment_ranking.csv', 'assessment_ranking_zh.csv']
        """
        return [Path(p) for p in self._native.write(Path(out), format)]

    def _headline(self) -> str:
        years = sorted(set(self.table["year"].to_list()))
        return (
            f"citycheck assessment ({self.catalog}) of {', '.join(map(str, years))}: "
            f"{self.ranking.height} ranked unit-year(s); incentive: {self.incentive}"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(self._headline())}</b></p>" + self.ranking._repr_html_()


def assess(
    *,
    recheck_summary: PathLike | None = None,
    progress: PathLike | None = None,
    projects: YearPaths = None,
    warnings: PathLike | None = None,
    survey: PathLike | None = None,
    catalog: Catalog | None = None,
    spec: SpecLike = None,
    top_share: float | None = None,
    threshold: float | None = None,
    level: str | None = None,
    years: Sequence[int] | None = None,
) -> Assessment:
    """Assess each unit's renewal work for the year (年度考核评估), publish the ranking (通报)
    and reward the best (以奖代补).

    The tables are those a run writes (or ``citycheck recheck``, ``evaluate``, ``survey``):
    ``recheck_summary`` (rectification_rate, closure_rate), ``progress`` (target_progress),
    ``projects`` — a projects table or several, each with its year as ``{2024: path}`` or a
    ``(2024, path)`` pair (without one: the latest year of the other tables) —, ``warnings``
    (red_warnings_reduced) and ``survey`` (satisfaction); any may be absent. ``catalog``
    defaults to the built-in ``liaoning-assessment``, ``spec`` to the check-up default (a spec
    dict as :func:`~citycheck.score` takes). The top ``top_share`` of each year's ranking (default
    0.3, ties at the cut included) or every score of at least ``threshold`` is rewarded.
    ``level`` picks the re-check summary's rows (default ``city``); ``years`` the assessed years
    (default every year with a value).

    A missing column or a bad cell raises :class:`DataError` naming the file, row and column; a
    top share and a threshold together, or no table at all, :class:`SpecError`.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import citycheck as cc
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "p.csv").write_text(
    ...     "project_id,unit,name,investment,status,progress\\nP1,A,x,100,completed,100\\nP2,A,y,300,in_progress,50\\n")
    >>> a = cc.assess(projects={2024: d / "p.csv"})
    >>> a.table.select("projects_completed_share", "investment_executed_share").rows()  # 1 of 2; 250 of 400
    [(50.0, 62.5)]
    """
    native_catalog = (Catalog.builtin("liaoning-assessment") if catalog is None else catalog)._native
    native_spec = None if spec is None else base_spec(spec)

    def path(value: PathLike | None) -> Path | None:
        return None if value is None else Path(value)

    return Assessment(
        _native.assess(
            native_catalog,
            year_paths(projects, "projects"),
            path(recheck_summary),
            path(progress),
            path(warnings),
            path(survey),
            native_spec,
            None if top_share is None else to_float(top_share, "top_share"),
            None if threshold is None else to_float(threshold, "threshold"),
            None if level is None else str(level),
            None if years is None else [to_int(y, "years") for y in years],
        )
    )
