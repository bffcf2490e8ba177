"""What a check-up produced: :class:`Result`."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import polars as pl

from . import _citycheck as _native
from ._convert import IntLike, to_int, to_polars

if TYPE_CHECKING:
    from .checkup import Fitted
    from .diagnosis import Diagnosis
    from .evaluation import Evaluation

__all__ = ["Result"]


class Result:
    """The outcome of :func:`~citycheck.score`, :meth:`Checkup.fit_transform
    <citycheck.Checkup.fit_transform>`, :meth:`Fitted.transform <citycheck.Fitted.transform>`
    or :func:`~citycheck.run`.

    Attributes
    ----------
    scores : polars.DataFrame
        ``unit, year, node, kind, score, rank, imputed`` — per unit-year the index, the groups and
        the indicators (normalised values); rank 1 = best within the year.
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
        parts = [f"<p><b>{html.escape(self._summary())}</b></p>"]
        index = self.index()
        if index.height:
            year = index["year"][0]
            parts.append(f"<p>Index {year}, best first</p>")
            parts.append(index.select("unit", "score", "rank")._repr_html_())
        if self.warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
            parts.append(f"<details><summary>{len(self.warnings)} warning(s)</summary><ul>{items}</ul></details>")
        return "\n".join(parts)
