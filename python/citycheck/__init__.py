"""citycheck: city check-up and evaluation (城市体检评估).

An indicator :class:`Catalog`, a :class:`Panel` of observations and :func:`score` — normalise,
weight and aggregate over the catalogue's hierarchy — give dimension and overall scores with
ranks, and the fitted parameters that regenerate them. :func:`run` runs a whole run config
(the yearly batch) and writes its output folder. The method kernels work on numpy matrices:
:mod:`citycheck.weights` and :mod:`citycheck.mcda`.

Tables come in as polars, pandas or pyarrow tables and go out as polars DataFrames. Every
error is a :class:`CitycheckError`.

Example
-------
>>> import citycheck as cc
>>> catalog = cc.Catalog.builtin("ccsy-example")
>>> result = cc.run()                                            # doctest: +SKIP
>>> result.index(2012).head(3)                                   # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import polars as pl

from . import _citycheck as _native
from . import mcda, survey, trend, weights
from ._citycheck import (
    CatalogError,
    CitycheckError,
    DataError,
    IoError,
    MethodError,
    SpecError,
    __version__,
)
from ._convert import CitycheckWarning, arrow_source, to_polars
from .diagnose import Diagnosis, diagnose, renewal_tasks

__all__ = [
    "Catalog",
    "Panel",
    "Result",
    "score",
    "run",
    "evaluate",
    "Evaluation",
    "diagnose",
    "Diagnosis",
    "compute",
    "Computed",
    "renewal_tasks",
    "checkup_default_spec",
    "weights",
    "mcda",
    "survey",
    "trend",
    "CitycheckError",
    "CatalogError",
    "DataError",
    "SpecError",
    "MethodError",
    "IoError",
    "CitycheckWarning",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]


class Catalog:
    """An indicator catalogue (指标体系): groups of any depth and indicators with directions,
    units, valid ranges, standards and aliases. Immutable once loaded.

    >>> catalog = Catalog.builtin("ccsy-example")
    >>> catalog.id
    'ccsy-example'
    >>> "gdp" in catalog.indicators["id"].to_list()
    True
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Catalog) -> None:
        self._native = native

    @classmethod
    def builtin(cls, id: str = "ccsy-example") -> Catalog:
        """A compiled-in catalogue: one of :meth:`builtin_ids`."""
        return cls(_native.Catalog.builtin(id))

    @staticmethod
    def builtin_ids() -> List[str]:
        return list(_native.Catalog.builtin_ids())

    @classmethod
    def from_toml(cls, path_or_str: Union[PathLike, str]) -> Catalog:
        """A catalogue from a TOML file (a path) or from TOML text (a string holding a
        newline). The schema is ``indicators/README.md``."""
        if isinstance(path_or_str, os.PathLike):
            return cls(_native.Catalog.load(path_or_str))
        text = str(path_or_str)
        if "\n" in text:
            return cls(_native.Catalog.from_toml(text))
        return cls(_native.Catalog.load(text))

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def version(self) -> str:
        return self._native.version

    @property
    def sha256(self) -> str:
        """SHA-256 of the TOML text the catalogue was read from."""
        return self._native.sha256

    @property
    def indicators(self) -> pl.DataFrame:
        """One row per indicator: ``id, name_zh, name_en, group, unit, direction, type,
        valid_min, valid_max, weight, aliases``."""
        return to_polars(self._native.indicators())

    @property
    def groups(self) -> pl.DataFrame:
        """One row per group: ``id, name_zh, name_en, parent, weight``."""
        return to_polars(self._native.groups())

    def __repr__(self) -> str:
        return repr(self._native)


def _read_options(
    unit: Optional[str],
    year: Optional[str],
    indicator: Optional[str],
    value: Optional[str],
    source: Optional[str],
    attributes: Optional[Sequence[str]],
    layout: str,
) -> str:
    options: Dict[str, Any] = {"layout": layout}
    for key, column in (
        ("unit_column", unit),
        ("year_column", year),
        ("indicator_column", indicator),
        ("value_column", value),
        ("source_column", source),
    ):
        if column is not None:
            options[key] = column
    if attributes is not None:
        options["attributes"] = list(attributes)
    return json.dumps(options)


class Panel:
    """Observations of units (cities, districts, compounds) over years, in long form.

    Column names left out are found among the usual English and Chinese headers (``city``,
    ``城市``, ``year``, ``年份``, ``indicator``, ``指标``, ``value``, ``数值`` …); when more than one
    column could be meant, name it.

    >>> import polars as pl
    >>> df = pl.DataFrame({"city": ["沈阳市", "大连市"], "year": [2012, 2012],
    ...                    "indicator": ["gdp", "gdp"], "value": [5000.0, 6000.0]})
    >>> len(Panel.from_frame(df, unit="city"))
    2
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Panel) -> None:
        self._native = native

    @classmethod
    def from_frame(
        cls,
        df: Any,
        *,
        unit: Optional[str] = None,
        year: Optional[str] = None,
        indicator: Optional[str] = None,
        value: Optional[str] = None,
        source: Optional[str] = None,
        attributes: Optional[Sequence[str]] = None,
        layout: str = "auto",
    ) -> Panel:
        """From a polars, pandas or pyarrow table, long (unit, year, indicator, value) or wide
        (unit, year, one column per indicator); ``layout`` is ``"auto"``, ``"long"`` or
        ``"wide"``."""
        options = _read_options(unit, year, indicator, value, source, attributes, layout)
        return cls(_native.Panel.from_frame(arrow_source(df), options))

    @classmethod
    def from_wide(
        cls,
        df: Any,
        *,
        unit: Optional[str] = None,
        year: Optional[str] = None,
        attributes: Optional[Sequence[str]] = None,
    ) -> Panel:
        """From a wide table: unit, year and one column per indicator."""
        return cls.from_frame(df, unit=unit, year=year, attributes=attributes, layout="wide")

    @classmethod
    def read(
        cls,
        path: PathLike,
        *,
        unit: Optional[str] = None,
        year: Optional[str] = None,
        indicator: Optional[str] = None,
        value: Optional[str] = None,
        source: Optional[str] = None,
        attributes: Optional[Sequence[str]] = None,
        layout: str = "auto",
    ) -> Panel:
        """From a CSV, Parquet or Excel ``.xlsx`` file. Every CSV cell is read as text and
        parsed by citycheck, so that a bad cell is reported with its row and column."""
        options = _read_options(unit, year, indicator, value, source, attributes, layout)
        return cls(_native.Panel.read(path, options))

    def __len__(self) -> int:
        return len(self._native)

    @property
    def origin(self) -> Optional[str]:
        return self._native.origin

    @property
    def units(self) -> List[str]:
        return self._native.units

    @property
    def years(self) -> List[int]:
        return self._native.years

    @property
    def indicators(self) -> List[str]:
        """Indicator names as given in the input (ids or aliases)."""
        return self._native.indicators

    @property
    def issues(self) -> List[Dict[str, Any]]:
        """Problems found while reading (cells that could not be read, …)."""
        return json.loads(self._native.read_issues())

    def validate(self, catalog: Catalog, mode: str = "strict") -> List[Dict[str, Any]]:
        """Every problem against ``catalog``; in ``"strict"`` mode fatal ones raise
        :class:`DataError`."""
        return json.loads(self._native.validate(catalog._native, mode))

    def __repr__(self) -> str:
        return repr(self._native)


class Result:
    """The outcome of :func:`score` or :func:`run`.

    Attributes
    ----------
    scores : polars.DataFrame
        ``unit, year, node, kind, score, rank, imputed`` — per unit-year the index, the groups and the
        indicators (normalised values); rank 1 = best within the year.
    weights : polars.DataFrame
        ``year, node, parent, weight, global_weight`` — year null when fitted on the panel.
    fitted : dict
        The spec and every fitted parameter (``fitted.json``): re-scores any year.
    spec : dict
        The spec used (round-trips to TOML: :meth:`spec_toml`).
    warnings : list of str
    issues : list of dict
        Data issues that did not stop the run (missing years, ignored columns, …).
    report : dict or None
        ``run.json`` of a :func:`run`.
    evaluation : Evaluation or None
        The five-year evaluation of a :func:`run` whose config has an ``[evaluate]`` section.
    diagnosis : Diagnosis or None
        The diagnosis of a :func:`run` whose config has a ``[diagnose]`` section.
    """

    def __init__(
        self,
        native: _native.Outcome,
        evaluation: Optional[_native.Evaluation] = None,
        diagnosis: Optional[_native.Diagnosis] = None,
    ) -> None:
        self.scores: pl.DataFrame = to_polars(native.scores())
        self.weights: pl.DataFrame = to_polars(native.weights())
        self.fitted: Dict[str, Any] = json.loads(native.fitted)
        self.spec: Dict[str, Any] = json.loads(native.spec)
        self.warnings: List[str] = list(native.warnings)
        self.issues: List[Dict[str, Any]] = json.loads(native.issues)
        self.report: Optional[Dict[str, Any]] = None if native.report is None else json.loads(native.report)
        self.evaluation: Optional[Evaluation] = None if evaluation is None else Evaluation(evaluation, self)
        self.diagnosis: Optional[Diagnosis] = None if diagnosis is None else Diagnosis(diagnosis)

    def index(self, year: Optional[int] = None) -> pl.DataFrame:
        """The overall index of ``year`` (default: the latest), best first."""
        index = self.scores.filter(pl.col("kind") == "index")
        if index.height == 0:
            return index
        if year is None:
            year = int(index["year"].max())  # type: ignore[arg-type]
        return index.filter(pl.col("year") == year).sort("rank", nulls_last=True)

    def spec_toml(self) -> str:
        """The spec as the ``[spec]`` table of a run config."""
        return _native.spec_to_toml(json.dumps(self.spec))

    def _summary(self) -> str:
        years = self.scores["year"].unique().sort().to_list() if self.scores.height else []
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        units = self.scores["unit"].n_unique() if self.scores.height else 0
        return (
            f"citycheck result: {units} units, {span}, normalize {self.spec.get('normalize', {}).get('method')}, "
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


def checkup_default_spec() -> Dict[str, Any]:
    """The spec of the embedded default run: min_max [0, 100] over the panel,
    ``entropy_normalized`` weights within dimensions (level 2), equal weights above,
    arithmetic means."""
    return json.loads(_native.checkup_default_spec())


def _method(value: Union[str, Mapping[str, Any]]) -> Dict[str, Any]:
    return {"method": value} if isinstance(value, str) else dict(value)


def _staged(value: Union[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """A method for every level (``"entropy"``, ``{"method": "entropy"}``) or per level
    (``{"default": "equal", "levels": {2: "entropy_normalized"}}``)."""
    if isinstance(value, str) or "default" not in value:
        return _method(value)
    levels = {str(level): _method(m) for level, m in dict(value.get("levels", {})).items()}
    return {"default": _method(value["default"]), "levels": levels}


def _spec(
    spec: Union[str, Mapping[str, Any], None],
    normalize: Union[str, Mapping[str, Any], None] = None,
    scope: Union[str, int, None] = None,
    weights: Union[str, Mapping[str, Any], None] = None,
    aggregate: Union[str, Mapping[str, Any], None] = None,
    missing: Optional[str] = None,
    impute: Union[str, Mapping[str, Any], None] = None,
    denominate: Optional[bool] = None,
    treat: Union[bool, Mapping[str, Any], None] = None,
) -> Dict[str, Any]:
    """A whole spec (dict) from a base spec and the keyword overrides of :func:`score`."""
    if spec is None or spec == "default":
        full: Dict[str, Any] = {}
    elif spec == "checkup_default":
        full = checkup_default_spec()
    elif isinstance(spec, str):
        raise SpecError(f"unknown spec '{spec}': pass a dict, 'default' or 'checkup_default'")
    else:
        full = dict(spec)
    if normalize is not None:
        full["normalize"] = _method(normalize)
    if scope is not None:
        full["scope"] = {"reference_year": scope} if isinstance(scope, int) else scope
    if weights is not None:
        full["weights"] = _staged(weights)
    if aggregate is not None:
        full["aggregate"] = _staged(aggregate)
    if impute is not None:
        full["impute"] = _method(impute)
    if denominate is not None:
        full["denominate"] = denominate
    if treat is True:
        full["treat"] = {}
    elif treat:
        full["treat"] = dict(treat)
    if missing is not None:
        full["missing"] = missing
    return full


def score(
    panel: Any,
    catalog: Catalog,
    *,
    normalize: Union[str, Mapping[str, Any], None] = None,
    scope: Union[str, int, None] = None,
    weights: Union[str, Mapping[str, Any], None] = None,
    aggregate: Union[str, Mapping[str, Any], None] = None,
    missing: Optional[str] = None,
    impute: Union[str, Mapping[str, Any], None] = None,
    denominate: Optional[bool] = None,
    treat: Union[bool, Mapping[str, Any], None] = None,
    spec: Union[str, Mapping[str, Any], None] = None,
    validation: str = "strict",
) -> Result:
    """Validate ``panel`` against ``catalog``, normalise, weight and aggregate it.

    ``spec`` is a whole spec (a dict as in :attr:`Result.spec`, or ``"default"`` or
    ``"checkup_default"``); the keyword arguments override its parts. Method names are those
    of run configs: ``normalize="min_max"`` or ``{"method": "min_max", "lo": 0, "hi": 100}``;
    ``scope="panel"``, ``"year"`` or a reference year (``2010``); ``weights`` and ``aggregate``
    per level as ``{"default": "equal", "levels": {2: "entropy_normalized"}}``; ``missing``
    ``"renormalize"`` or ``"error"``; ``impute`` ``"unit_mean"``, ``"carry_forward"``,
    ``"linear"`` or ``{"method": "group_mean", "by": "province"}`` (imputed cells are flagged
    in ``scores.imputed``); ``denominate=False`` scores totals instead of dividing by the
    catalogue's denominators; ``treat=True`` (or ``{"winmax": 5, "skew": 2.0, "kurtosis": 3.5,
    "log_fallback": True}``) treats outliers by the composite-indicator rule, reported in
    ``fitted``. ``panel`` may also be a table with the usual column names.

    >>> result = score(panel, Catalog.builtin(), spec="checkup_default")  # doctest: +SKIP
    """
    if not isinstance(panel, Panel):
        panel = Panel.from_frame(panel)
    full = _spec(spec, normalize, scope, weights, aggregate, missing, impute, denominate, treat)
    return Result(_native.score(panel._native, catalog._native, json.dumps(full), validation))


def run(config: Optional[PathLike] = None, out: Optional[PathLike] = None) -> Result:
    """Run a run config (``config.toml``; the embedded Liaoning example when ``None``) and
    write its output folder — ``scores.csv``, ``weights.csv``, ``fitted.json``, ``run.json`` —
    into ``out`` (default: the config's ``[output] dir``)."""
    outcome, evaluation, diagnosis = _native.run(config, None if out is None else Path(out))
    return Result(outcome, evaluation, diagnosis)


class Evaluation:
    """The five-year evaluation (五年一评估) of a window of years, from :func:`evaluate` or a
    :func:`run` whose config has an ``[evaluate]`` section.

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
    """

    def __init__(self, native: _native.Evaluation, result: Result) -> None:
        self.trends: pl.DataFrame = to_polars(native.trends())
        self.progress: pl.DataFrame = to_polars(native.progress())
        self.warnings: pl.DataFrame = to_polars(native.warnings())
        self.summary: Dict[str, Any] = json.loads(native.summary)
        self.result = result

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

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._headline())}</b></p>"]
        for note in self.summary.get("notes", []):
            parts.append(f"<p>note: {html.escape(note)}</p>")
        index = self.trends.filter(pl.col("kind") == "index")
        if index.height:
            parts.append(index.select("unit", "n", "start_value", "end_value", "sen_slope", "mk_p", "verdict")._repr_html_())
        red = self.warnings.filter(pl.col("level") == "red")
        if red.height:
            parts.append(f"<details><summary>{red.height} red warning(s)</summary>{red._repr_html_()}</details>")
        return "\n".join(parts)


def evaluate(
    panel: Any,
    catalog: Catalog,
    *,
    from_year: Optional[int] = None,
    to_year: Optional[int] = None,
    alpha: float = 0.05,
    pace: Optional[Mapping[str, float]] = None,
    fit: Union[str, Mapping[str, Any], None] = None,
    spec: Union[str, Mapping[str, Any], None] = "checkup_default",
    validation: str = "strict",
    **spec_options: Any,
) -> Evaluation:
    """Score ``panel`` and evaluate the years ``from_year``–``to_year`` (default: all).

    The scores are those of :func:`score` with ``spec`` (default: the check-up default,
    fitted on the whole panel so that years are comparable) and the same keyword overrides
    (``normalize=``, ``scope=``, …). ``pace`` sets the cut-offs of the pace labels
    (``{"on_track": 1.0, "moderate": 0.5}``); ``fit`` the trend line of progress to targets
    (``"ols"``, the default, or ``{"method": "recency_weighted", "half_life": 2.0}``, which
    weighs later years more). The check-up itself is ``.result``.

    >>> ev = evaluate(panel, Catalog.builtin(), from_year=2008, to_year=2012)  # doctest: +SKIP
    >>> ev.trends.filter(pl.col("kind") == "index")  # doctest: +SKIP
    """
    if not isinstance(panel, Panel):
        panel = Panel.from_frame(panel)
    full = _spec(spec, **spec_options)
    options: Dict[str, Any] = {"alpha": alpha}
    if from_year is not None:
        options["from"] = from_year
    if to_year is not None:
        options["to"] = to_year
    if pace is not None:
        options["pace"] = dict(pace)
    if fit is not None:
        options["fit"] = _method(fit)
    outcome, native = _native.evaluate(panel._native, catalog._native, json.dumps(full), json.dumps(options), validation)
    return Evaluation(native, Result(outcome))


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
    """

    def __init__(self, native: _native.Computed) -> None:
        self.indicators: pl.DataFrame = to_polars(native.indicators())
        ledger = native.ledger()
        self.ledger: Optional[pl.DataFrame] = None if ledger is None else to_polars(ledger)
        self.issues: List[Dict[str, Any]] = json.loads(native.issues)

    def panel(self, level: str = "city") -> Panel:
        """The indicators of ``level`` as a :class:`Panel` to score (unit = the level's id)."""
        rows = self.indicators.filter(pl.col("level") == level).select("unit", "year", "indicator", "value")
        return Panel.from_frame(rows, unit="unit", year="year", indicator="indicator", value="value")

    def __repr__(self) -> str:
        levels = self.indicators["level"].unique().to_list() if self.indicators.height else []
        return f"<citycheck computed indicators: {self.indicators.height} rows, levels {levels}, {len(self.issues)} issue(s)>"


def compute(
    records: Union[PathLike, Any, Sequence[Union[PathLike, Any]]],
    catalog: Catalog,
    *,
    levels: Optional[Sequence[str]] = None,
    ledger: bool = True,
) -> Computed:
    """Compute the catalogue's ``[indicators.formula]`` indicators from object records.

    ``records`` is a file or folder path (CSV / Parquet; a folder's files and subfolders),
    a polars / pandas / pyarrow frame, or a list of them; each table holds one object type
    (building, compound, block, district), named by its finest id column (``building_id`` …
    ``city_id``) and has a ``year`` column. ``levels`` are the output levels (default compound,
    block, district, city).

    >>> out = compute("datasets/province_sample/buildings.csv", Catalog.builtin("mohurd-2023"))  # doctest: +SKIP
    >>> out.indicators.filter(pl.col("level") == "city")  # doctest: +SKIP
    """
    items = list(records) if isinstance(records, (list, tuple)) else [records]
    paths = [str(r) for r in items if isinstance(r, (str, os.PathLike))]
    frames = [arrow_source(r) for r in items if not isinstance(r, (str, os.PathLike))]
    return Computed(_native.compute(catalog._native, paths, frames, list(levels or []), ledger))
