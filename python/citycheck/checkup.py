"""The check-up (城市体检): :class:`Checkup` fits a spec on a panel, :class:`Fitted` holds the
fitted parameters and scores new data with them, :func:`score` does both in one call and
:func:`run` runs a whole run config.

Fit on the check-ups of 2019–2020 and score 2021 with those parameters: values beyond the bounds
fitted on score outside [0, 100], and the warnings say which.

>>> import polars as pl
>>> import citycheck as cc
>>> df = pl.DataFrame({
...     "city": ["A", "B", "C"] * 3,
...     "year": [2019] * 3 + [2020] * 3 + [2021] * 3,
...     "green_coverage_builtup": [30.0, 38.0, 34.0, 32.0, 40.0, 35.0, 35.0, 45.0, 37.0],
...     "tertiary_share": [40.0, 48.0, 44.0, 41.0, 50.0, 45.0, 42.0, 55.0, 46.0],
... })
>>> catalog = cc.Catalog.builtin("ccsy-example")
>>> earlier = cc.Panel.from_wide(df.filter(pl.col("year") <= 2020), unit="city")
>>> fitted = cc.Checkup(catalog).fit(earlier)
>>> later = fitted.transform(cc.Panel.from_wide(df.filter(pl.col("year") == 2021), unit="city"))
>>> later.index(2021).select("unit", pl.col("score").round(6)).rows()
[('B', 150.0), ('C', 65.0), ('A', 35.0)]
>>> any("beyond the bounds" in w for w in later.warnings)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import _citycheck as _native
from ._convert import PathLike, to_polars
from ._spec import MethodLike, ScopeLike, SpecLike, resolve
from .assessment import Assessment
from .catalog import Catalog
from .diagnosis import Diagnosis
from .evaluation import Evaluation
from .panel import as_panel
from .projects_result import Projects
from .recheck_result import Recheck
from .result import Result
from .survey import SurveyResult
from .uncertainty_analysis import Uncertainty

__all__ = ["Checkup", "Fitted", "score", "run", "checkup_default_spec"]


def checkup_default_spec() -> dict[str, Any]:
    """The check-up default spec — the spec of the embedded default run and of
    :func:`score`, :class:`Checkup`, :func:`~citycheck.evaluate` and :func:`~citycheck.diagnose`
    without one: min_max [0, 100] over the panel, ``entropy_normalized`` weights within
    dimensions (level 2), equal weights above, arithmetic means.

    >>> spec = checkup_default_spec()
    >>> spec["normalize"]["method"], spec["scope"]
    ('min_max', 'panel')
    """
    return _native.checkup_default_spec()


class Fitted:
    """Fitted parameters: the spec, the catalogue they were fitted against and every fitted
    bound, weight and outlier treatment (``fitted.json`` of a run). :meth:`transform` scores
    new data with them — last year's normalisation and weights applied to a new year.

    Get one from :meth:`Checkup.fit`, from :attr:`Result.fitted <citycheck.Result.fitted>` or
    from JSON with :meth:`from_json`; two are equal when every parameter is.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
    >>> catalog = cc.Catalog.builtin("ccsy-example")
    >>> fitted = cc.Checkup(catalog).fit(cc.Panel.from_wide(df, unit="city"))
    >>> fitted == cc.Fitted.from_json(fitted.to_json(), catalog)
    True
    >>> new = pl.DataFrame({"city": ["A", "B"], "year": [2021, 2021], "green_coverage_builtup": [35.0, 45.0]})
    >>> scores = fitted.transform(cc.Panel.from_wide(new, unit="city")).scores
    >>> scores.filter(pl.col("kind") == "indicator").sort("unit")["score"].round(6).to_list()
    [50.0, 150.0]
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Fitted) -> None:
        """Wraps native fitted parameters (see above for how to get them)."""
        self._native = native

    @classmethod
    def from_json(cls, text: str, catalog: Catalog) -> Fitted:
        """Parameters written by :meth:`to_json` (or a run's ``fitted.json``), for ``catalog``:
        parameters fitted against another catalogue, or another version of it, raise
        :class:`~citycheck.CitycheckError`.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> catalog = cc.Catalog.builtin("ccsy-example")
        >>> text = cc.Checkup(catalog).fit(df).to_json()
        >>> cc.Fitted.from_json(text, catalog).catalog.id
        'ccsy-example'
        >>> try:
        ...     cc.Fitted.from_json(text, cc.Catalog.builtin("mohurd-2023"))
        ... except cc.CitycheckError:
        ...     print("refused: fitted against another catalogue")
        refused: fitted against another catalogue
        """
        return cls(_native.Fitted.from_json(text, catalog._native))

    def to_json(self) -> str:
        """The parameters as JSON text (the content of ``fitted.json``).

        >>> import json
        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> fitted = cc.Checkup(cc.Catalog.builtin()).fit(df)
        >>> json.loads(fitted.to_json())["catalog_id"]
        'ccsy-example'
        """
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a dict: ``spec``, ``catalog_id``, ``catalog_sha256`` and ``sets``
        (one for the panel or a reference year, one per year with ``scope="year"``), each with
        ``year``, ``normalize`` (per indicator), ``weights`` (per node) and, when the spec
        treats outliers, ``treatment``.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> fitted = cc.Checkup(cc.Catalog.builtin(), scope="year").fit(df)
        >>> [s["year"] for s in fitted.to_dict()["sets"]]
        [2020]
        """
        return self._native.to_dict()

    @property
    def spec(self) -> dict[str, Any]:
        """The spec the parameters were fitted with; :meth:`transform` scores with it."""
        return self._native.spec

    @property
    def catalog(self) -> Catalog:
        """The catalogue the parameters were fitted against."""
        return Catalog(self._native.catalog)

    def transform(self, panel: Any, *, validation: str = "strict") -> Result:
        """Scores ``panel`` (a :class:`~citycheck.Panel`, a table or a file) with these
        parameters and their spec. Values beyond the bounds fitted on score outside the output
        scale (above 100, below 0), each such indicator and year counted in
        :attr:`Result.warnings <citycheck.Result.warnings>`. Data of another catalogue, or
        prepared another way than the spec says, raise :class:`~citycheck.CitycheckError`.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> fitted = cc.score(df, cc.Catalog.builtin()).fitted
        >>> fitted.transform(df).scores.equals(cc.score(df, cc.Catalog.builtin()).scores)
        True
        """
        return Result(self._native.transform(as_panel(panel)._native, validation))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fitted):
            return NotImplemented
        return self._native == other._native

    def __repr__(self) -> str:
        d = self.to_dict()
        spec = d.get("spec", {})
        normalize = spec.get("normalize", {})
        method = normalize.get("method") if isinstance(normalize, dict) else normalize
        years = [s.get("year") for s in d.get("sets", [])]
        fitted_on = "the panel" if years == [None] else ", ".join(str(y) for y in years)
        return (
            f"<citycheck fitted parameters: catalogue {d.get('catalog_id')}, normalize {method}, "
            f"scope {spec.get('scope')}, fitted on {fitted_on}>"
        )


class Checkup:
    """A check-up of ``catalog`` with a spec, to fit on a panel (:meth:`fit`) and score panels
    with the fitted parameters (:meth:`Fitted.transform`).

    ``spec`` is ``None`` or ``"checkup_default"`` (:func:`checkup_default_spec`), ``"default"``
    (the library's default: min_max [0, 100] over the panel, equal weights everywhere,
    arithmetic means) or a dict as in :attr:`Result.spec <citycheck.Result.spec>` (keys left out
    take the library's defaults). The keyword arguments override its parts, as in :func:`score`.
    ``validation`` is ``"strict"`` (fatal data problems raise :class:`~citycheck.DataError`) or
    ``"lenient"``.

    >>> import numpy as np
    >>> import polars as pl
    >>> import citycheck as cc
    >>> checkup = cc.Checkup(cc.Catalog.builtin("ccsy-example"), scope=np.int64(2020))
    >>> checkup.spec["scope"]
    {'reference_year': 2020}
    >>> df = pl.DataFrame({"city": ["A", "B"] * 2, "year": [2020, 2020, 2021, 2021],
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0, 45.0]})
    >>> result = checkup.fit_transform(df)
    >>> result.scores.filter(pl.col("kind") == "indicator").sort("year", "unit")["score"].round(6).to_list()
    [0.0, 100.0, 50.0, 150.0]
    """

    def __init__(
        self,
        catalog: Catalog,
        spec: SpecLike = None,
        *,
        validation: str = "strict",
        normalize: MethodLike | None = None,
        scope: ScopeLike | None = None,
        weights: MethodLike | None = None,
        aggregate: MethodLike | None = None,
        missing: str | None = None,
        impute: MethodLike | None = None,
        denominate: bool | None = None,
        treat: bool | Mapping[str, Any] | None = None,
    ) -> None:
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
        self._catalog = catalog
        self._native = _native.Checkup(catalog._native, full)
        #: ``"strict"`` or ``"lenient"``: how :meth:`fit` validates the panel.
        self.validation = validation

    @property
    def catalog(self) -> Catalog:
        """The catalogue."""
        return self._catalog

    @property
    def spec(self) -> dict[str, Any]:
        """The whole spec (every default filled in)."""
        return self._native.spec

    def fit(self, panel: Any) -> Fitted:
        """Fits the spec's parameters (bounds, weights, outlier treatment) on ``panel`` (a
        :class:`~citycheck.Panel`, a table or a file).

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> cc.Checkup(cc.Catalog.builtin()).fit(df).to_dict()["catalog_id"]
        'ccsy-example'
        """
        return Fitted(self._native.fit(as_panel(panel)._native, self.validation).fitted)

    def fit_transform(self, panel: Any) -> Result:
        """Fits on ``panel`` and scores it: the same as :func:`score` with this spec.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2020, 2020], "green_coverage_builtup": [30.0, 40.0]})
        >>> catalog = cc.Catalog.builtin()
        >>> cc.Checkup(catalog).fit_transform(df).scores.equals(cc.score(df, catalog).scores)
        True
        """
        return Result(self._native.fit(as_panel(panel)._native, self.validation))

    def __repr__(self) -> str:
        normalize = self.spec.get("normalize", {})
        method = normalize.get("method") if isinstance(normalize, dict) else normalize
        return f"<citycheck check-up: catalogue {self._catalog.id}, normalize {method}, scope {self.spec.get('scope')}>"


def score(
    panel: Any,
    catalog: Catalog,
    spec: SpecLike = None,
    *,
    normalize: MethodLike | None = None,
    scope: ScopeLike | None = None,
    weights: MethodLike | None = None,
    aggregate: MethodLike | None = None,
    missing: str | None = None,
    impute: MethodLike | None = None,
    denominate: bool | None = None,
    treat: bool | Mapping[str, Any] | None = None,
    validation: str = "strict",
) -> Result:
    """Validate ``panel`` against ``catalog``, normalise, weight and aggregate it: the same as
    ``Checkup(catalog, spec, ...).fit_transform(panel)``.

    ``spec`` is a whole spec: ``None`` or ``"checkup_default"`` (the check-up default,
    :func:`checkup_default_spec`, as :func:`~citycheck.evaluate` and :func:`~citycheck.diagnose`
    use), ``"default"`` (equal weights everywhere) or a dict as in :attr:`Result.spec
    <citycheck.Result.spec>`; the keyword arguments override its parts. Method names are those
    of run configs: ``normalize="min_max"`` or ``{"method": "min_max", "lo": 0, "hi": 100}``;
    ``scope="panel"``, ``"year"`` or a reference year (``2010``, ``np.int64(2010)``);
    ``weights`` and ``aggregate`` per level as ``{"default": "equal", "levels": {2:
    "entropy_normalized"}}``; ``missing`` ``"renormalize"`` (default: the weights of the parts present rescaled),
    ``"empty"`` (a unit with a missing part gets no score for that group and those above it)
    or ``"error"`` (``scores.coverage`` says how much of each node's weight has values); ``impute``
    ``"unit_mean"``, ``"carry_forward"``, ``"linear"`` or ``{"method": "group_mean", "by":
    "province"}`` (imputed cells are flagged in ``scores.imputed``); ``denominate=False`` scores
    totals instead of dividing by the catalogue's denominators; ``treat=True`` (or ``{"winmax":
    5, "skew": 2.0, "kurtosis": 3.5, "log_fallback": True}``) treats outliers by the
    composite-indicator rule, reported in ``fitted``. ``panel`` may also be a table or a file
    with the usual column names.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0]})
    >>> result = cc.score(df, cc.Catalog.builtin("ccsy-example"), weights="equal")
    >>> result.scores.filter(pl.col("kind") == "index").sort("unit")["score"].round(6).to_list()
    [0.0, 100.0, 50.0]
    """
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
    return Result(_native.score(as_panel(panel)._native, catalog._native, full, validation))


def run(config: PathLike | None = None, out: PathLike | None = None) -> Result:
    """Run a run config (``config.toml``; the embedded Liaoning example when ``None``) and
    write its output folder — ``scores.csv``, ``weights.csv``, ``fitted.json``, ``run.json``
    and, as the config says, the tables of every other stage — into ``out`` (default: the
    config's ``[output] dir``; ``citycheck-out`` for the embedded run).

    The result carries every stage the config ran, each ``None`` when the config has no such
    section: ``evaluation``, ``diagnosis``, ``recheck`` (a :class:`~citycheck.Recheck`, as
    :func:`~citycheck.recheck` returns), ``projects`` (:class:`~citycheck.Projects`),
    ``assessment`` (:class:`~citycheck.Assessment`), ``uncertainty``
    (:class:`~citycheck.Uncertainty`), ``audit`` (the audit's tables by file stem),
    ``efficiency`` and ``malmquist`` (tables) and ``survey`` (a
    :class:`~citycheck.survey.SurveyResult`) — the run's own numbers, the same as the files.

    >>> import tempfile
    >>> import citycheck as cc
    >>> result = cc.run(out=tempfile.mkdtemp())
    >>> best = result.index(2012).row(0, named=True)
    >>> best["unit"], round(best["score"], 4)
    ('沈阳市', 92.721)
    >>> result.evaluation is not None and result.diagnosis is not None
    True
    >>> result.recheck.years, result.projects.year, result.uncertainty is None
    ([2011, 2012], 2012, True)
    """
    stages = _native.run(config, None if out is None else Path(out))
    return _result_of(stages)


def _result_of(stages: _native._RunStages) -> Result:
    """The :class:`Result` of a native run's outcome and stages (in the order
    ``_citycheck.run`` returns them)."""
    outcome, evaluation, diagnosis, recheck, projects, assessment, uncertainty, audit, efficiency, survey = stages
    result = Result(outcome)
    result.evaluation = None if evaluation is None else Evaluation(evaluation, result)
    result.diagnosis = None if diagnosis is None else Diagnosis(diagnosis, result.catalog)
    result.recheck = None if recheck is None else Recheck(recheck)
    result.projects = None if projects is None else Projects(projects)
    result.assessment = None if assessment is None else Assessment(assessment)
    result.uncertainty = None if uncertainty is None else Uncertainty(uncertainty)
    result.audit = None if audit is None else {name: to_polars(stream) for name, stream in audit}
    if efficiency is not None:
        table, malmquist = efficiency
        result.efficiency = to_polars(table)
        result.malmquist = None if malmquist is None else to_polars(malmquist)
    result.survey = None if survey is None else SurveyResult(survey)
    return result
