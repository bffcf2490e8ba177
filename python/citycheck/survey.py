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
>>> round(combine(80.0, 60.0, (0.7, 0.3)), 12)
74.0
>>> confirmed([False, True, True], 2)
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import IntLike, PathLike, arrow_source, plain, to_float, to_int, to_polars, to_vector
from ._tables import write_tables

__all__ = ["SurveyDefinition", "SurveyResult", "score", "reconcile", "combine", "confirmed"]


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
        """Wraps a native definition; use :meth:`load` or :meth:`from_toml`."""
        self._native = native

    @classmethod
    def load(cls, path: PathLike) -> SurveyDefinition:
        """Reads a definition file.

        >>> import pathlib, tempfile
        >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
        ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
        ...                          'dimension = "housing"', 'scale = "likert5"'])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "definition.toml"
        >>> _ = path.write_text(definition, encoding="utf-8")
        >>> SurveyDefinition.load(path).id
        'demo'
        """
        return cls(_native.SurveyDefinition.load(path))

    @classmethod
    def from_toml(cls, path_or_str: PathLike) -> SurveyDefinition:
        """A definition from a TOML file (a path) or TOML text (a string holding a newline).

        >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
        ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
        ...                          'dimension = "housing"', 'scale = "likert5"'])
        >>> SurveyDefinition.from_toml(definition).name
        'demo'
        """
        if isinstance(path_or_str, os.PathLike):
            return cls.load(path_or_str)
        text = str(path_or_str)
        if "\n" in text:
            return cls(_native.SurveyDefinition.from_toml(text))
        return cls.load(text)

    @property
    def id(self) -> str:
        """The definition's id (``[survey] id``)."""
        return self._native.id

    @property
    def name(self) -> str:
        """The definition's name (``[survey] name``)."""
        return self._native.name

    @property
    def sha256(self) -> str:
        """SHA-256 of the TOML text."""
        return self._native.sha256

    @property
    def items(self) -> list[dict[str, Any]]:
        """One dict per item: ``id, text, dimension, scale`` and, when given, ``column`` and
        ``indicator``."""
        return self._native.items()

    @property
    def dimensions(self) -> list[dict[str, Any]]:
        """One dict per dimension: ``id, name`` and, when given, ``indicator``.

        >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
        ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
        ...                          'dimension = "housing"', 'scale = "likert5"'])
        >>> [d["id"] for d in SurveyDefinition.from_toml(definition).dimensions]
        ['housing']
        """
        return self._native.dimensions()

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

    >>> import polars as pl
    >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
    ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
    ...                          'dimension = "housing"', 'scale = "likert5"'])
    >>> answers = pl.DataFrame({"unit": ["A", "A", "B"], "year": [2025] * 3, "q1": ["很满意", "满意", "好极了"]})
    >>> r = score(answers, definition)
    >>> r.bad_answers.select("unit", "item", "answer", "reason").rows()
    [('B', 'q1', '好极了', 'unknown_label')]
    """

    def __init__(self, native: _native.SurveyReport) -> None:
        """Wraps a native survey report."""
        self._native = native
        self.items: pl.DataFrame = to_polars(native.items())
        self.dimensions: pl.DataFrame = to_polars(native.dimensions())
        self.reliability: pl.DataFrame = to_polars(native.reliability())
        self.bad_answers: pl.DataFrame = to_polars(native.bad_answers())
        self.summary: dict[str, Any] = native.summary()

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``survey_items``, ``survey_dimensions``, ``reliability``, ``bad_answers``
        (``format`` ``"csv"``, ``"parquet"`` or ``"xlsx"``: one workbook ``survey.xlsx``) and
        ``survey.json`` into the folder ``out``; returns the paths. ``lang="zh"`` writes each
        CSV with a UTF-8 byte order mark (Excel then opens Chinese text correctly).

        >>> import tempfile
        >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
        ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
        ...                          'dimension = "housing"', 'scale = "likert5"'])
        >>> import polars as pl
        >>> answers = pl.DataFrame({"unit": ["A", "A", "A"], "year": [2025] * 3, "q1": ["很满意", "满意", "一般"]})
        >>> paths = score(answers, definition).write(tempfile.mkdtemp())
        >>> "survey.json" in [p.name for p in paths]
        True
        """
        return write_tables(out, format=format, lang=lang, native=self._native.write)

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
            year = to_int(self.dimensions["year"].max(), "year")
            latest = self.dimensions.filter(pl.col("year") == year)
            parts.append(f"<p>Dimension means {year}</p>")
            parts.append(latest.pivot(on="dimension", index="unit", values="mean")._repr_html_())
        if self.bad_answers.height:
            parts.append(
                f"<details><summary>{self.bad_answers.height} bad answer(s) and rows left out</summary>"
                f"{self.bad_answers._repr_html_()}</details>"
            )
        return "\n".join(parts)


def _read_spec(unit: str, year: str, weight: str | None, strata: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"unit_column": str(unit), "year_column": str(year)}
    if weight is not None:
        spec["weight_column"] = str(weight)
    if strata is not None:
        spec["strata_column"] = str(strata)
    return spec


def score(
    responses: Any,
    definition: SurveyDefinition | PathLike,
    unit: str = "unit",
    year: str = "year",
    weight: str | None = None,
    strata: str | None = None,
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

    >>> definition = "\\n".join(['[survey]', 'id = "demo"', 'name = "demo"', '[[scales]]', 'id = "likert5"',
    ...                          'kind = "labels"', '[[dimensions]]', 'id = "housing"', '[[items]]', 'id = "q1"',
    ...                          'dimension = "housing"', 'scale = "likert5"'])
    >>> import polars as pl
    >>> answers = pl.DataFrame({"unit": ["A", "A", "A"], "year": [2025] * 3, "q1": ["很满意", "满意", "一般"]})
    >>> r = score(answers, definition)
    >>> r.summary["respondents"], r.items.height, r.items["mean"].round(6).to_list()  # (100 + 80 + 60) / 3
    (3, 1, [80.0])
    """
    if not isinstance(definition, SurveyDefinition):
        definition = SurveyDefinition.from_toml(definition)
    spec = _read_spec(unit, year, weight, strata)
    if isinstance(responses, (str, os.PathLike)):
        native_responses = _native.Responses.read(Path(responses), spec)
    else:
        native_responses = _native.Responses.from_frame(arrow_source(responses), spec)
    options = {
        "confidence": to_float(confidence, "confidence"),
        "min_items_answered": to_int(min_items_answered, "min_items_answered"),
    }
    return SurveyResult(_native.survey_score(definition._native, native_responses, options))


def reconcile(
    values: Any,
    *,
    abs_tol: float = 0.0,
    rel_tol: float = 0.05,
    by_indicator: Mapping[str, tuple[float, float]] | None = None,
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
        "abs_tol": to_float(abs_tol, "abs_tol"),
        "rel_tol": to_float(rel_tol, "rel_tol"),
        "by_indicator": {str(k): plain(list(v), f"by_indicator[{k!r}]") for k, v in (by_indicator or {}).items()},
    }
    numbers = frame[value]
    if numbers.dtype == pl.String:  # values read as text: parsed, as a CSV cell would be
        try:
            numbers = numbers.cast(pl.Float64)
        except pl.exceptions.InvalidOperationError as e:
            raise _native.DataError(f"column '{value}' holds text that is not a number: {e}") from e
    stream = _native.survey_reconcile(
        frame[unit].cast(pl.String).to_list(),
        frame[year].cast(pl.Int32).to_list(),
        frame[indicator].cast(pl.String).to_list(),
        frame[source].cast(pl.String).to_list(),
        to_vector(numbers, value),
        tolerances,
        choice,
    )
    return to_polars(stream)


def combine(objective: float, survey: float, weights: tuple[float, float] = (0.7, 0.3)) -> float:
    """``weights[0]·objective + weights[1]·survey``; the weights must be ≥ 0 and sum to 1
    (:class:`citycheck.SpecError` otherwise), the scores finite (:class:`citycheck.MethodError`).

    >>> import numpy as np
    >>> round(combine(np.float32(90.0), 70, np.array([0.5, 0.5])), 12)
    80.0
    """
    w = to_vector(weights, "weights", n=2, missing=False)
    pair = (float(w[0]), float(w[1]))
    return _native.survey_combine(to_float(objective, "objective"), to_float(survey, "survey"), pair)


def confirmed(flags_by_source: Iterable[Any], k: IntLike) -> bool:
    """Whether at least ``k`` of the sources flag a problem.

    >>> import numpy as np
    >>> confirmed(np.array([True, False, True]), np.int64(3))
    False
    """
    return _native.survey_confirmed([bool(f) for f in flags_by_source], to_int(k, "k"))
