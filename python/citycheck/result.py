"""What a check-up produced: :class:`Result`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from . import _citycheck as _native
from ._convert import IntLike, PathLike, to_int, to_polars
from ._tables import UNIT_HEADERS, check_lang, html_summary, node_names, unique_headers, write_tables
from .plot import ResultPlot

if TYPE_CHECKING:
    from .assessment import Assessment
    from .catalog import Catalog
    from .checkup import Fitted
    from .diagnosis import Diagnosis
    from .evaluation import Evaluation
    from .projects_result import Projects
    from .recheck_result import Recheck
    from .survey import SurveyResult
    from .uncertainty_analysis import Uncertainty

__all__ = ["Result"]


class Result:
    """The outcome of :func:`~citycheck.score`, :meth:`Checkup.fit_transform
    <citycheck.Checkup.fit_transform>`, :meth:`Fitted.transform <citycheck.Fitted.transform>`
    or :func:`~citycheck.run`.

    Attributes
    ----------
    scores : polars.DataFrame
        ``unit, year, node, kind, score, rank, imputed, coverage`` — per unit-year the index, the
        groups and the indicators (normalised values); rank 1 = best within the year;
        ``coverage`` the share of the node's weight resting on values present (below 1: scored
        over fewer indicators than the group has; null where nothing applies).
    weights : polars.DataFrame
        ``year, node, parent, weight, global_weight`` — year null when fitted on the panel.
    fitted : Fitted
        The spec and every fitted parameter (``fitted.json``): ``fitted.transform(panel)``
        scores new data with them, ``fitted.to_dict()`` shows them.
    spec : dict
        The spec used (round-trips to TOML: :meth:`spec_toml`).
    warnings : list of str
        Values beyond the fitted bounds, indicators left out, outliers treated, … (messages).
    warnings_table : polars.DataFrame
        The same warnings with their codes: ``code, message``, one row each in the order of
        ``warnings``. The code is stable across versions and as in ``run.json``
        (``beyond_fitted_bounds``, ``imputed``, ``indicators_left_out``, ``not_applicable``, …):
        filter and count by it.
    issues : list of dict
        Data issues that did not stop the run (missing years, ignored columns, …).
    report : dict or None
        ``run.json`` of a :func:`~citycheck.run`.
    evaluation : Evaluation or None
        The five-year evaluation of a :func:`~citycheck.run` whose config has an ``[evaluate]``
        section.
    diagnosis : Diagnosis or None
        The diagnosis of a :func:`~citycheck.run` whose config has a ``[diagnose]`` section.
    recheck : Recheck or None
        The re-check across years (复查) of a :func:`~citycheck.run` with ``[recheck]``: the
        object :func:`~citycheck.recheck` returns, its ``summary`` the run's
        ``recheck_summary.csv``.
    projects : Projects or None
        The projects linked to the ledger (项目生成) of a run with ``[projects]``, as
        :func:`~citycheck.projects` returns them (``projects.csv``, ``gaps.csv``, …).
    assessment : Assessment or None
        The annual assessment (年度考核评估) of a run with ``[assess]``, as
        :func:`~citycheck.assess` returns it (``assessment.csv`` and the ranking).
    uncertainty : Uncertainty or None
        The uncertainty and sensitivity analysis of a run with ``[uncertainty]``, as
        :func:`~citycheck.uncertainty` returns it.
    audit : dict of str to polars.DataFrame or None
        The statistical audit of a run with ``[audit]``: the tables of ``audit/`` by file stem,
        as :func:`~citycheck.audit` returns them.
    efficiency : polars.DataFrame or None
        ``efficiency.csv`` of a run with ``[efficiency]`` (as :func:`~citycheck.efficiency`).
    malmquist : polars.DataFrame or None
        ``malmquist.csv`` of a run with ``[efficiency]``, when the run writes it (two or more
        years, no undesirable output).
    survey : SurveyResult or None
        The survey scored by a run with ``[survey]``, as :func:`citycheck.survey.score`
        returns it.

    Every stage of a run is ``None`` for :func:`~citycheck.score` and for a run whose config
    has no such section; a run's stages are the ones it wrote into its folder, converted in
    memory (nothing is read back).

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
    ...                    "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
    >>> result = cc.score(cc.Panel.from_wide(df, unit="city"), cc.Catalog.builtin("ccsy-example"))
    >>> result.index(2021)["unit"].to_list()
    ['B', 'C', 'A']
    >>> result.spec == cc.checkup_default_spec()
    True
    >>> result.warnings_table.columns
    ['code', 'message']
    >>> result.warnings_table["message"].to_list() == result.warnings
    True
    """

    def __init__(self, native: _native.Outcome) -> None:
        """Wraps a native outcome (the functions above make results)."""
        from .checkup import Fitted  # checkup imports this module

        self.scores: pl.DataFrame = to_polars(native.scores())
        self.weights: pl.DataFrame = to_polars(native.weights())
        self.fitted: Fitted = Fitted(native.fitted)
        self.spec: dict[str, Any] = native.spec
        self.warnings: list[str] = list(native.warnings)
        self.warnings_table: pl.DataFrame = to_polars(native.warnings_table())
        self.issues: list[dict[str, Any]] = native.issues
        self.report: dict[str, Any] | None = native.report
        self.evaluation: Evaluation | None = None
        self.diagnosis: Diagnosis | None = None
        self.recheck: Recheck | None = None
        self.projects: Projects | None = None
        self.assessment: Assessment | None = None
        self.uncertainty: Uncertainty | None = None
        self.audit: dict[str, pl.DataFrame] | None = None
        self.efficiency: pl.DataFrame | None = None
        self.malmquist: pl.DataFrame | None = None
        self.survey: SurveyResult | None = None

    def index(self, year: IntLike | None = None) -> pl.DataFrame:
        """The overall index of ``year`` (default: the latest), best first.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2021, 2021], "green_coverage_builtup": [35.0, 45.0],
        ...                    "tertiary_share": [42.0, 55.0]})
        >>> cc.score(df, cc.Catalog.builtin(), scope="year").index()["unit"].to_list()
        ['B', 'A']
        """
        index = self.scores.filter(pl.col("kind") == "index")
        if index.height == 0:
            return index
        if year is None:
            latest = index["year"].max()
            year = to_int(latest, "year")
        else:
            year = to_int(year, "year")
        return index.filter(pl.col("year") == year).sort("rank", nulls_last=True)

    def spec_toml(self) -> str:
        """The spec as the ``[spec]`` table of a run config.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2021, 2021], "green_coverage_builtup": [35.0, 45.0]})
        >>> "entropy_normalized" in cc.score(df, cc.Catalog.builtin()).spec_toml()
        True
        """
        return _native.spec_to_toml(self.spec)

    @property
    def catalog(self) -> Catalog:
        """The catalogue the result was scored with (its names label the tables and charts)."""
        return self.fitted.catalog

    @property
    def plot(self) -> ResultPlot:
        """Charts of this result (matplotlib figures): ``.ranking(year)``, ``.radar(unit, year)``
        (:class:`~citycheck.plot.ResultPlot`)."""
        return ResultPlot(self)

    def to_wide(
        self,
        node: str | None = None,
        *,
        year: IntLike | None = None,
        kind: str | None = None,
        value: str = "score",
        lang: str | None = None,
    ) -> pl.DataFrame:
        """The scores as a wide table, for a paper or a spreadsheet: give ``node`` *or* ``year``.

        - ``to_wide(node="index")``: unit × year — a row per unit, a column per year (``"2008"``,
          ``"2009"``, …) of that node's (index, group or indicator) scores;
        - ``to_wide(year=2012)``: unit × node — a row per unit, a column per node of that year
          (the index, the groups, the indicators, in the order of the scores; ``kind="group"``
          keeps one kind: ``index``, ``group`` or ``indicator``).

        Rows are the result's units, sorted; a unit-year or unit-node without a score is null
        (a line plotted from a row breaks there instead of bridging the gap). ``value="rank"``
        gives the ranks instead of the scores (integers, 1 = best). Headers: node ids and
        ``unit`` by default; the catalogue's Chinese names and ``单位`` with ``lang="zh"``,
        its English names with ``lang="en"`` (the index is 综合指数 / Index; two nodes of the
        same name get their id after it).

        >>> import tempfile
        >>> import citycheck as cc
        >>> result = cc.run(out=tempfile.mkdtemp())
        >>> by_year = result.to_wide("index")
        >>> by_year.columns
        ['unit', '2008', '2009', '2010', '2011', '2012']
        >>> by_year.filter(by_year["unit"] == "本溪市")["2012"].to_list()   # not scored in 2012
        [None]
        >>> result.to_wide(year=2012, kind="group", lang="zh").columns
        ['单位', '创新活力', '健康舒适', '生态宜居']
        """
        if (node is None) == (year is None):
            raise _native.SpecError(
                "to_wide takes node= (a unit × year table of that node) or year= (a unit × node table of "
                "that year), one of the two"
            )
        if value not in ("score", "rank"):
            raise _native.SpecError(f"to_wide's value is 'score' or 'rank', got {value!r}")
        if lang is not None:
            check_lang(lang, "to_wide's lang")
        if kind is not None and kind not in ("index", "group", "indicator"):
            raise _native.SpecError(f"to_wide's kind is 'index', 'group' or 'indicator', got {kind!r}")
        scores = self.scores
        unit_header = UNIT_HEADERS[lang] if lang is not None else "unit"
        units: list[str] = scores["unit"].unique().sort().to_list()
        dtype = scores.schema[value]
        names = node_names(self.catalog, lang)
        if node is not None:
            rows = scores.filter(pl.col("node") == node)
            if rows.height == 0:
                known = ", ".join(scores["node"].unique(maintain_order=True).to_list())
                raise _native.SpecError(f"no node {node!r} in the scores; nodes: {known}")
            keys: list[Any] = scores["year"].drop_nulls().unique().sort().to_list()
            headers = [str(y) for y in keys]
            cells = {(u, y): v for u, y, v in rows.select("unit", "year", value).iter_rows()}
        else:
            chosen = to_int(year, "year")
            rows = scores.filter(pl.col("year") == chosen)
            if kind is not None:
                rows = rows.filter(pl.col("kind") == kind)
            if rows.height == 0:
                known = ", ".join(map(str, scores["year"].unique().sort().to_list()))
                of_kind = f" of kind {kind!r}" if kind else ""
                raise _native.SpecError(f"no scores in {chosen}{of_kind}; years: {known}")
            keys = rows["node"].unique(maintain_order=True).to_list()
            headers = unique_headers(keys, names, taken=[unit_header])
            cells = {(u, n): v for u, n, v in rows.select("unit", "node", value).iter_rows()}
        columns = [pl.Series(unit_header, units, dtype=pl.String)]
        for key, header in zip(keys, headers):
            columns.append(pl.Series(header, [cells.get((u, key)) for u in units], dtype=dtype))
        return pl.DataFrame(columns)

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``scores`` and ``weights`` (``.csv``, or ``.parquet`` with
        ``format="parquet"``) and ``fitted.json`` into the folder ``out`` (created if absent),
        as a run names them; returns the paths. ``lang="zh"`` writes each CSV with a UTF-8 byte
        order mark, so that Excel opens Chinese text correctly (the headers stay the column
        names). A workbook (``xlsx``) comes from the command line: ``citycheck score --format
        xlsx`` or a run config's ``format = "xlsx"``.

        >>> import tempfile
        >>> import citycheck as cc
        >>> result = cc.run(out=tempfile.mkdtemp())
        >>> paths = result.write(tempfile.mkdtemp(), lang="zh")
        >>> [p.name for p in paths], paths[0].read_bytes()[:3]
        (['scores.csv', 'weights.csv', 'fitted.json'], b'\\xef\\xbb\\xbf')
        """
        return write_tables(
            out,
            [("scores", self.scores), ("weights", self.weights)],
            format,
            lang,
            texts=[("fitted.json", self.fitted.to_json())],
            owner="a check-up result",
        )

    def _summary(self) -> str:
        years = self.scores["year"].unique().sort().to_list() if self.scores.height else []
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        units = self.scores["unit"].n_unique() if self.scores.height else 0
        normalize = self.spec.get("normalize", {})
        method = normalize.get("method") if isinstance(normalize, dict) else normalize
        return (
            f"citycheck result: {units} units, {span}, normalize {method}, "
            f"scope {self.spec.get('scope')}, {len(self.warnings)} warning(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._summary()}>"

    def _repr_html_(self) -> str:
        index = self.index()
        caption = f"Index {index['year'][0]}, best first" if index.height else ""
        sections = [(caption, index.select("unit", "score", "rank"))] if index.height else []
        return html_summary(self._summary(), sections, self.warnings, noun="warning")
