"""Satisfaction surveys (社会满意度调查): the Rust ``citycheck::survey`` stage.

:func:`score` reads response microdata (one row per respondent: unit, year, optional design
weight and stratum, one column per item) and a survey definition (TOML: scales, items,
dimensions), and returns per unit × year × item and per unit × year × dimension the weighted
mean score, n, Σw, Kish effective n, standard error (linearisation, stratified when strata are
given), t confidence interval and the satisfaction rate (share in the top levels) with its
Wilson interval; Cronbach's α per year and dimension; and every bad answer with its row.
The formulas are those of ``src/survey/mod.rs``.

:func:`reconcile` compares self-check and third-party values, :func:`confirmed` counts the
sources that flag a problem, :func:`combine` weighs an objective score with a survey score.

>>> import citycheck as cc
>>> r = cc.survey.score("datasets/survey_synthetic/responses.csv",
...                     "datasets/survey_synthetic/definition.toml",
...                     unit="city", weight="weight", strata="district")  # doctest: +SKIP
>>> r.dimensions.filter(pl.col("year") == 2025).head()                     # doctest: +SKIP
>>> combine(80.0, 60.0, (0.7, 0.3))
74.0
>>> confirmed([False, True, True], 2)
True
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import polars as pl

from . import _citycheck as _native
from ._convert import arrow_source, to_polars

__all__ = ["SurveyDefinition", "SurveyResult", "score", "reconcile", "combine", "confirmed"]

PathLike = Union[str, "os.PathLike[str]"]


class SurveyDefinition:
    """A checked survey definition: scales (labels with scores, or numeric ranges), items and
    dimensions. Problems raise :class:`citycheck.SpecError` naming the file and the entry.

    >>> d = SurveyDefinition.from_toml('''
    ... [survey]
    ... id = "demo"
    ... name = "demo"
    ... [[scales]]
    ... id = "likert5"
    ... kind = "labels"
    ... [[dimensions]]
    ... id = "housing"
    ... [[items]]
    ... id = "q1"
    ... dimension = "housing"
    ... scale = "likert5"
    ... ''')
    >>> (d.id, [i["id"] for i in d.items])
    ('demo', ['q1'])
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.SurveyDefinition) -> None:
        self._native = native

    @classmethod
    def load(cls, path: PathLike) -> SurveyDefinition:
        """Reads a definition file."""
        return cls(_native.SurveyDefinition.load(path))

    @classmethod
    def from_toml(cls, path_or_str: PathLike) -> SurveyDefinition:
        """A definition from a TOML file (a path) or TOML text (a string holding a newline)."""
        if isinstance(path_or_str, os.PathLike):
            return cls.load(path_or_str)
        text = str(path_or_str)
        if "\n" in text:
            return cls(_native.SurveyDefinition.from_toml(text))
        return cls.load(text)

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def sha256(self) -> str:
        """SHA-256 of the TOML text."""
        return self._native.sha256

    @property
    def items(self) -> List[Dict[str, Any]]:
        """One dict per item: ``id, text, dimension, scale`` and, when given, ``column`` and
        ``indicator``."""
        return json.loads(self._native.items())

    @property
    def dimensions(self) -> List[Dict[str, Any]]:
        """One dict per dimension: ``id, name`` and, when given, ``indicator``."""
        return json.loads(self._native.dimensions())

    def __repr__(self) -> str:
        return repr(self._native)


class SurveyResult:
    """What :func:`score` produced.

    Attributes
    ----------
    items : polars.DataFrame
        ``unit, year, item, n, weight_sum, n_eff, mean, se, ci_low, ci_high, satisfaction,
        satisfaction_ci_low, satisfaction_ci_high, note``.
    dimensions : polars.DataFrame
        The same with ``dimension`` for ``item``.
    reliability : polars.DataFrame
        ``year, dimension, item, n, alpha, alpha_if_deleted, item_total_r, note`` (item null on
        the dimension's own row).
    bad_answers : polars.DataFrame
        ``unit, year, row, item, answer, reason`` (row: the header is row 1).
    summary : dict
        Counts: respondents, rows left out, answers, missing and bad answers by reason, …
    """

    def __init__(self, native: _native.SurveyReport) -> None:
        self._native = native
        self.items: pl.DataFrame = to_polars(native.items())
        self.dimensions: pl.DataFrame = to_polars(native.dimensions())
        self.reliability: pl.DataFrame = to_polars(native.reliability())
        self.bad_answers: pl.DataFrame = to_polars(native.bad_answers())
        self.summary: Dict[str, Any] = json.loads(native.summary())

    def write(self, out: PathLike, format: str = "csv") -> List[Path]:
        """Writes ``survey_items``, ``survey_dimensions``, ``reliability``, ``bad_answers``
        (``format`` ``"csv"`` or ``"parquet"``) and ``survey.json`` into ``out``."""
        return [Path(p) for p in self._native.write(Path(out), format)]

    def _summary_line(self) -> str:
        s = self.summary
        years = s.get("years") or []
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "no years")
        return (
            f"survey {s.get('survey')}: {s.get('respondents')} respondents ({s.get('excluded_rows')} rows left out), "
            f"{s.get('units')} units, {span}, {s.get('items')} items in {s.get('dimensions')} dimensions, "
            f"{s.get('bad_answers')} bad answers"
        )

    def __repr__(self) -> str:
        return f"<{self._summary_line()}>"

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._summary_line())}</b></p>"]
        if self.dimensions.height:
            year = int(self.dimensions["year"].max())  # type: ignore[arg-type]
            latest = self.dimensions.filter(pl.col("year") == year)
            parts.append(f"<p>Dimension means {year}</p>")
            parts.append(latest.pivot(on="dimension", index="unit", values="mean")._repr_html_())
        if self.bad_answers.height:
            parts.append(
                f"<details><summary>{self.bad_answers.height} bad answer(s) and rows left out</summary>"
                f"{self.bad_answers._repr_html_()}</details>"
            )
        return "\n".join(parts)


def _read_spec(unit: str, year: str, weight: Optional[str], strata: Optional[str]) -> str:
    spec: Dict[str, Any] = {"unit_column": unit, "year_column": year}
    if weight is not None:
        spec["weight_column"] = weight
    if strata is not None:
        spec["strata_column"] = strata
    return json.dumps(spec)


def score(
    responses: Any,
    definition: Union[SurveyDefinition, PathLike],
    unit: str = "unit",
    year: str = "year",
    weight: Optional[str] = None,
    strata: Optional[str] = None,
    *,
    confidence: float = 0.95,
    min_items_answered: int = 1,
) -> SurveyResult:
    """Score a satisfaction survey.

    ``responses`` is a polars, pandas or pyarrow table, or the path of a CSV, Parquet or
    ``.xlsx`` file (CSV cells are read as text, so that every bad answer is reported with its
    row). ``definition`` is a :class:`SurveyDefinition`, a path, or TOML text. ``unit``,
    ``year``, ``weight`` and ``strata`` name the columns; without ``weight`` every respondent
    weighs 1, with ``strata`` the standard error is the stratified one. A respondent's
    dimension score is the mean of their answered items of the dimension (at least
    ``min_items_answered`` of them).

    Bad answers (an unknown label, 810 on a 1–10 scale, …) and rows with a bad weight are
    listed in :attr:`SurveyResult.bad_answers` and left out, never clipped. A missing item
    column raises :class:`citycheck.DataError` naming it.
    """
    if not isinstance(definition, SurveyDefinition):
        definition = SurveyDefinition.from_toml(definition)
    spec = _read_spec(unit, year, weight, strata)
    if isinstance(responses, (str, os.PathLike)):
        native_responses = _native.Responses.read(Path(responses), spec)
    else:
        native_responses = _native.Responses.from_frame(arrow_source(responses), spec)
    options = json.dumps({"confidence": confidence, "min_items_answered": min_items_answered})
    return SurveyResult(_native.survey_score(definition._native, native_responses, options))


def reconcile(
    values: Any,
    *,
    abs_tol: float = 0.0,
    rel_tol: float = 0.05,
    by_indicator: Optional[Mapping[str, Tuple[float, float]]] = None,
    choice: str = "third_party_first",
    unit: str = "unit",
    year: str = "year",
    indicator: str = "indicator",
    source: str = "source",
    value: str = "value",
) -> pl.DataFrame:
    """Self-check vs third-party values, cell by cell.

    ``values`` is a long table (polars or pandas): unit, year, indicator, source (``self``,
    ``third_party``, ``survey`` or their Chinese names) and value. A cell is flagged when
    |self − third_party| > abs_tol + rel_tol·|third_party| (``by_indicator`` maps an indicator
    to its own ``(abs_tol, rel_tol)``); exactly at the tolerance is not flagged. Each cell
    keeps one value by ``choice``: ``"third_party_first"``, ``"self_first"`` or ``"mean"``.

    Returns ``unit, year, indicator, self_value, third_party_value, survey_value, diff,
    tolerance, flagged, value, resolved_from``.

    >>> t = pl.DataFrame({"unit": ["A", "A"], "year": [2025, 2025], "indicator": ["green", "green"],
    ...                   "source": ["self", "third_party"], "value": [44.0, 40.0]})
    >>> reconcile(t)["flagged"].to_list()
    [True]
    """
    frame = values if isinstance(values, pl.DataFrame) else pl.DataFrame(values)
    tolerances = {
        "abs_tol": abs_tol,
        "rel_tol": rel_tol,
        "by_indicator": {k: list(v) for k, v in (by_indicator or {}).items()},
    }
    stream = _native.survey_reconcile(
        frame[unit].cast(pl.String).to_list(),
        frame[year].cast(pl.Int32).to_list(),
        frame[indicator].cast(pl.String).to_list(),
        frame[source].cast(pl.String).to_list(),
        [float("nan") if v is None else float(v) for v in frame[value].cast(pl.Float64).to_list()],
        json.dumps(tolerances),
        choice,
    )
    return to_polars(stream)


def combine(objective: float, survey: float, weights: Tuple[float, float] = (0.7, 0.3)) -> float:
    """``weights[0]·objective + weights[1]·survey``; the weights must be ≥ 0 and sum to 1
    (:class:`citycheck.SpecError` otherwise), the scores finite (:class:`citycheck.MethodError`)."""
    return _native.survey_combine(float(objective), float(survey), (float(weights[0]), float(weights[1])))


def confirmed(flags_by_source: Sequence[bool], k: int) -> bool:
    """Whether at least ``k`` of the sources flag a problem."""
    return _native.survey_confirmed([bool(f) for f in flags_by_source], int(k))
