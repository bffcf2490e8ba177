"""The five-year evaluation (五年一评估): :class:`Evaluation` and :func:`evaluate`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import IntLike, PathLike, plain, to_float, to_int, to_polars
from ._spec import MethodLike, ScopeLike, SpecLike, method, resolve
from ._tables import html_summary, write_tables
from .catalog import Catalog
from .panel import as_panel
from .plot import EvaluationPlot
from .result import Result

__all__ = ["Evaluation", "evaluate"]


class Evaluation:
    """The five-year evaluation (五年一评估) of a window of years, from :func:`evaluate` or a
    :func:`~citycheck.run` whose config has an ``[evaluate]`` section.

    Attributes
    ----------
    trends : polars.DataFrame
        ``trends.csv``: per unit and node (indicator, group, index) n, first/last year, start and
        end values, change, rel_change, cagr, the OLS line with its inference, Mann-Kendall (S,
        Var(S), Z, τ, p and whether p is exact), Sen's slope with its interval, the verdict
        (improving, worsening, no_clear_trend, too_short), ranks, and a note on whatever is
        missing.
    progress : polars.DataFrame
        ``progress.csv``: per unit and indicator with a target: baseline, latest, target,
        deadline, progress (share of the distance covered), projected year, on_track,
        anticipated value at the deadline, pace and its label, note.
    warnings : polars.DataFrame
        ``warnings.csv``: per unit, year and indicator with a standard: attainment, level
        (green, yellow, red) and the reason.
    summary : dict
        Window, α, comparability, counts and notes (as in ``run.json``).
    result : Result
        The check-up whose scores were evaluated.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B"] * 3, "year": [2019, 2019, 2020, 2020, 2021, 2021],
    ...                    "green_coverage_builtup": [30.0, 40.0, 32.0, 41.0, 35.0, 39.0]})
    >>> ev = cc.evaluate(df, cc.Catalog.builtin())
    >>> ev.trends.columns[:4], ev.result.scores.height > 0
    (['unit', 'node', 'kind', 'n'], True)
    """

    def __init__(self, native: _native.Evaluation, result: Result) -> None:
        """Wraps a native evaluation and the check-up it evaluated."""
        self.trends: pl.DataFrame = to_polars(native.trends())
        self.progress: pl.DataFrame = to_polars(native.progress())
        self.warnings: pl.DataFrame = to_polars(native.warnings())
        self.summary: dict[str, Any] = native.summary
        self.result: Result = result

    @property
    def comparable(self) -> bool:
        """Whether scores of different years are comparable (False with ``scope="year"``)."""
        return bool(self.summary["comparable_across_years"])

    def _headline(self) -> str:
        s = self.summary
        return (
            f"citycheck evaluation {s['from']}–{s['to']} (α = {s['alpha']}): {s['trends']} series, "
            f"{s['improving']} improving, {s['worsening']} worsening; targets {s['on_track']} on track, "
            f"{s['off_track']} off track; warnings {s['warnings_red']} red, {s['warnings_yellow']} yellow"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    @property
    def plot(self) -> EvaluationPlot:
        """Charts of this evaluation (matplotlib figures): ``.trend(unit, node)``,
        ``.warnings()`` (:class:`~citycheck.plot.EvaluationPlot`)."""
        return EvaluationPlot(self)

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``trends``, ``progress`` and ``warnings`` (``.csv``, or ``.parquet`` with
        ``format="parquet"``) into the folder ``out`` (created if absent), as a run names them;
        returns the paths. ``lang="zh"`` writes each CSV with a UTF-8 byte order mark (Excel
        then opens Chinese text correctly). A workbook comes from the command line
        (``citycheck evaluate --format xlsx``).

        >>> import tempfile
        >>> import citycheck as cc
        >>> evaluation = cc.run(out=tempfile.mkdtemp()).evaluation
        >>> [p.name for p in evaluation.write(tempfile.mkdtemp(), format="parquet")]
        ['trends.parquet', 'progress.parquet', 'warnings.parquet']
        """
        return write_tables(
            out,
            [("trends", self.trends), ("progress", self.progress), ("warnings", self.warnings)],
            format,
            lang,
            owner="an evaluation",
        )

    def _repr_html_(self) -> str:
        index = self.trends.filter(pl.col("kind") == "index")
        columns = ("unit", "n", "start_value", "end_value", "sen_slope", "mk_p", "verdict")
        red = self.warnings.filter(pl.col("level") == "red")
        sections = [
            ("Trend of the index", index.select(*columns)),
            (f"{red.height} red warning(s)", red.select("unit", "year", "indicator", "value", "attainment")),
        ]
        return html_summary(self._headline(), sections, self.summary.get("notes", []))


def evaluate(
    panel: Any,
    catalog: Catalog,
    spec: SpecLike = None,
    *,
    from_year: IntLike | None = None,
    to_year: IntLike | None = None,
    alpha: float = 0.05,
    pace: Mapping[str, float] | None = None,
    fit: MethodLike | None = None,
    p_value: str | None = None,
    alternative: str | None = None,
    tau: str | None = None,
    sen_intercept: str | None = None,
    validation: str = "strict",
    normalize: MethodLike | None = None,
    scope: ScopeLike | None = None,
    weights: MethodLike | None = None,
    aggregate: MethodLike | None = None,
    missing: str | None = None,
    impute: MethodLike | None = None,
    denominate: bool | None = None,
    treat: bool | Mapping[str, Any] | None = None,
) -> Evaluation:
    """Score ``panel`` and evaluate the years ``from_year``–``to_year`` (default: all).

    The scores are those of :func:`~citycheck.score` with ``spec`` (default: the check-up
    default, fitted on the whole panel so that years are comparable) and the same keyword
    overrides (``normalize=``, ``scope=``, …). ``pace`` sets the cut-offs of the pace labels
    (``{"on_track": 1.0, "moderate": 0.5}``); ``fit`` the trend line of progress to targets
    (``"ols"``, the default, or ``{"method": "recency_weighted", "half_life": 2.0}``, which
    weighs later years more). ``p_value``, ``alternative``, ``tau`` and ``sen_intercept`` are
    the trend conventions of :func:`citycheck.trend.mann_kendall` and
    :func:`citycheck.trend.sen_slope` (the names of ``[evaluate]`` in a run config and of
    ``citycheck evaluate``'s flags). Years may be numpy integers (``df["year"].min()``). The
    check-up itself is ``.result``.

    >>> import numpy as np
    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({
    ...     "city": ["A", "B", "C"] * 3,
    ...     "year": [2019] * 3 + [2020] * 3 + [2021] * 3,
    ...     "green_coverage_builtup": [30.0, 38.0, 34.0, 32.0, 40.0, 35.0, 35.0, 45.0, 37.0],
    ...     "tertiary_share": [40.0, 48.0, 44.0, 41.0, 50.0, 45.0, 42.0, 55.0, 46.0],
    ... })
    >>> ev = cc.evaluate(cc.Panel.from_wide(df, unit="city"), cc.Catalog.builtin(), from_year=np.int64(2019))
    >>> ev.summary["from"], ev.summary["to"], ev.comparable
    (2019, 2021, True)
    >>> sorted(ev.trends.filter(pl.col("kind") == "index")["unit"].to_list())
    ['A', 'B', 'C']
    """
    panel = as_panel(panel)
    full = resolve(
        spec,
        normalize=normalize,
        scope_=scope,
        weights=weights,
        aggregate=aggregate,
        missing=missing,
        impute=impute,
        denominate=denominate,
        treat=treat,
    )
    options: dict[str, Any] = {"alpha": to_float(alpha, "alpha")}
    if from_year is not None:
        options["from"] = to_int(from_year, "from_year")
    if to_year is not None:
        options["to"] = to_int(to_year, "to_year")
    if pace is not None:
        options["pace"] = plain(pace, "pace")
    if fit is not None:
        options["fit"] = method(fit, "fit")
    for key, value in (
        ("p_value", p_value),
        ("alternative", alternative),
        ("tau", tau),
        ("sen_intercept", sen_intercept),
    ):
        if value is not None:
            options[key] = value
    outcome, native = _native.evaluate(panel._native, catalog._native, full, options, validation)
    return Evaluation(native, Result(outcome))
