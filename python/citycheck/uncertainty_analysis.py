"""How robust a ranking is (METHODS.md §11): :class:`Uncertainty` and :func:`uncertainty`, the
Rust ``citycheck::uncertainty`` module.

:func:`uncertainty` scores a panel with the nominal spec, then ``draws`` Monte Carlo draws, each
fixing every uncertain input — a normalisation, weight method or weight perturbation,
aggregation, imputation, an indicator dropped — by its probabilities and re-scoring the panel.
Per unit, year and node (the index and every group) it reports the nominal score and rank, the
median and 5th / 95th percentile ranks and the mean and standard deviation of the score over
the draws, and per input the Sobol indices of the mean absolute rank shift and of each
unit-year's index rank. :func:`sobol` is the Sobol kernel itself, for any model written in
Python. The same seed gives
the same tables whatever the number of threads.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from . import _citycheck as _native
from ._convert import F64Array, IntLike, PathLike, plain, to_float, to_int, to_polars
from ._spec import SpecLike, base_spec
from ._tables import write_tables
from .catalog import Catalog
from .panel import as_panel

__all__ = ["Uncertainty", "uncertainty", "sobol"]


class Uncertainty:
    """The uncertainty analysis of a ranking (from :func:`uncertainty`).

    Attributes
    ----------
    table : polars.DataFrame
        ``uncertainty.csv``: unit, year, node, nominal_score, nominal_rank, median_rank,
        q05_rank, q95_rank, mean_score, sd_score (ranks 1 = best, per year and node; what
        cannot be computed is null).
    sensitivity : polars.DataFrame
        ``sensitivity.csv``: target, input, s1, s1_ci_low, s1_ci_high, st, st_ci_low,
        st_ci_high — the first-order and total Sobol indices of each input on the mean absolute
        rank shift of the index (target ``mean_abs_rank_shift``), then on the index rank of
        each unit-year ranked nominally (target ``unit:<unit>:<year>``), with bootstrap
        intervals; null where the target never changed or has no rank in some re-scoring (no
        rows without an input or with ``sensitivity = {"rows": 0}``).
    draws : int
        The Monte Carlo draws made.
    seed : int
        The seed of every generator.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2020] * 3,
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0], "tertiary_share": [50.0, 45.0, 60.0]})
    >>> u = cc.uncertainty(cc.Panel.from_frame(df, unit="city"), cc.Catalog.builtin(), {"draws": 10})
    >>> index = u.table.filter(pl.col("node") == "index")
    >>> (index["median_rank"] == index["nominal_rank"]).all(), u.draws, u.sensitivity.height
    (True, 10, 0)
    """

    def __init__(self, native: _native.Uncertainty) -> None:
        """Wraps a native uncertainty analysis."""
        self._native = native
        self.table: pl.DataFrame = to_polars(native.table())
        self.sensitivity: pl.DataFrame = to_polars(native.sensitivity())
        self.draws: int = native.draws
        self.seed: int = native.seed

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes ``uncertainty`` and ``sensitivity`` into the folder ``out`` (created if
        absent) as ``csv``, ``parquet`` or ``xlsx``; returns the paths. ``lang="zh"`` writes
        each CSV with a UTF-8 byte order mark (Excel then opens Chinese text correctly)."""
        return write_tables(out, format=format, lang=lang, native=self._native.write)

    def _headline(self) -> str:
        return (
            f"citycheck uncertainty: {self.draws} draws, seed {self.seed}, {self.table.height} rows, "
            f"{self.sensitivity.height} sensitivity rows"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._headline())}</b></p>"]
        index = self.table.filter(pl.col("node") == "index")
        if index.height:
            parts.append(index._repr_html_())
        if self.sensitivity.height:
            parts.append(self.sensitivity._repr_html_())
        return "\n".join(parts)


def uncertainty(
    panel: Any,
    catalog: Catalog,
    config: Mapping[str, Any] | None = None,
    spec: SpecLike = None,
    validation: str = "strict",
    *,
    draws: IntLike | None = None,
    seed: IntLike | None = None,
) -> Uncertainty:
    """How robust the ranks of ``spec`` (default: the check-up default) on ``panel`` are to the
    choices of ``config``.

    ``panel`` is a :class:`~citycheck.Panel`, a table or a file; ``config`` the dict of a run
    config's ``[uncertainty]`` table: ``draws`` (default 1000), ``seed`` (default 0),
    ``sensitivity`` (``{"rows": 256, "bootstrap": 1000, "confidence": 0.95}``; ``rows = 0``
    skips the Sobol analysis) and ``inputs``, a list of dicts such as ``{"stage": "normalize",
    "alternatives": ["min_max", "rank"]}``, ``{"stage": "weights", "perturb": 0.25}`` or
    ``{"stage": "exclude", "indicators": "each"}`` (README, ``[uncertainty]``). ``draws=`` and
    ``seed=`` override the config's, as ``citycheck uncertainty --draws --seed`` do.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C", "A", "B", "C"], "year": [2020] * 3 + [2021] * 3,
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0, 31.0, 41.0, 33.0],
    ...                    "tertiary_share": [50.0, 45.0, 60.0, 52.0, 44.0, 61.0]})
    >>> config = {"seed": 7, "sensitivity": {"rows": 8, "bootstrap": 20},
    ...           "inputs": [{"stage": "weights", "perturb": 0.5}]}
    >>> u = cc.uncertainty(df, cc.Catalog.builtin(), config, draws=40)
    >>> shift = u.sensitivity.filter(pl.col("target") == "mean_abs_rank_shift")
    >>> u.draws, u.seed, shift["input"].to_list(), u.sensitivity.height  # and a row per unit-year
    (40, 7, ['weights_perturb'], 7)
    """
    full: dict[str, Any] = {} if config is None else dict(plain(config, "uncertainty config"))
    if draws is not None:
        full["draws"] = to_int(draws, "draws")
    if seed is not None:
        full["seed"] = to_int(seed, "seed")
    native = _native.uncertainty(as_panel(panel)._native, catalog._native, full, base_spec(spec), validation)
    return Uncertainty(native)


def _cell(value: float) -> float | None:
    """An index as a table cell: NaN (no variance, or the target undefined on a run) is null."""
    return None if math.isnan(value) else value


def sobol(
    model: Callable[[F64Array], Any],
    k: IntLike,
    n: IntLike = 1024,
    seed: IntLike = 0,
    *,
    bootstrap: IntLike = 1000,
    confidence: float = 0.95,
    names: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Sobol indices of ``model``, a function of ``k`` inputs each uniform on [0, 1) (map
    them to your inputs inside the model: an inverse CDF, or cumulative probabilities for a
    discrete choice), by the kernel of :func:`uncertainty` (METHODS.md §11): Saltelli's design
    of ``n`` base rows (``n (k + 2)`` model runs), Saltelli 2010 first-order and Jansen total
    indices, percentile bootstrap intervals of ``bootstrap`` resamples at ``confidence``. The
    same ``seed`` gives the same numbers.

    ``model`` is called once, on the whole design: a float64 array of shape ``(n (k + 2), k)``,
    a row per run; it returns the ``n (k + 2)`` outputs, or an array of shape
    ``(n (k + 2), T)`` for T targets, each analysed on its own. A NaN output leaves its target
    without indices (null: undefined on that run); an infinite one raises
    :class:`~citycheck.MethodError`.

    Returns a row per target and input: ``target`` (the output's column, 0 for a single
    output), ``input`` (``names``, default ``x1`` … ``xk``), ``s1``, ``s1_ci_low``,
    ``s1_ci_high``, ``st``, ``st_ci_low``, ``st_ci_high`` (null when the target never changed).

    For y = x1 + 2 x2 with uniform inputs, Var(y) = 1/12 + 4/12, so S = 1/5, 4/5 and 0 (x3
    does not enter), total and first order alike:

    >>> import citycheck as cc
    >>> s = cc.sobol(lambda x: x[:, 0] + 2 * x[:, 1], k=3, n=4096, seed=1, bootstrap=100)
    >>> s["input"].to_list(), s["st"].round(1).to_list()
    (['x1', 'x2', 'x3'], [0.2, 0.8, 0.0])
    """
    k_, n_, seed_ = to_int(k, "k"), to_int(n, "n"), to_int(seed, "seed")
    bootstrap_, confidence_ = to_int(bootstrap, "bootstrap"), to_float(confidence, "confidence")
    labels = [f"x{i + 1}" for i in range(k_)] if names is None else [str(name) for name in names]
    if len(labels) != k_:
        raise _native.SpecError(f"sobol: {len(labels)} names for k = {k_} inputs")
    x = _native.sensitivity_sobol_design(k_, n_, seed_, bootstrap_, confidence_)
    y = np.asarray(model(x), dtype=np.float64)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2 or y.shape[0] != x.shape[0]:
        raise _native.SpecError(
            f"sobol: the model returned shape {y.shape} on {x.shape[0]} runs; "
            f"expected ({x.shape[0]},) or ({x.shape[0]}, targets)"
        )
    indices = _native.sensitivity_sobol_indices(k_, n_, seed_, bootstrap_, confidence_, np.ascontiguousarray(y))
    rows: list[dict[str, Any]] = []
    for target, (first, total, _variance, _runs, _undefined) in enumerate(indices):
        for label, s1, st in zip(labels, first, total):
            rows.append(
                {
                    "target": target,
                    "input": label,
                    "s1": _cell(s1[0]),
                    "s1_ci_low": _cell(s1[1]),
                    "s1_ci_high": _cell(s1[2]),
                    "st": _cell(st[0]),
                    "st_ci_low": _cell(st[1]),
                    "st_ci_high": _cell(st[2]),
                }
            )
    schema: dict[str, Any] = {"target": pl.Int64, "input": pl.String}
    for column in ("s1", "s1_ci_low", "s1_ci_high", "st", "st_ci_low", "st_ci_high"):
        schema[column] = pl.Float64
    return pl.DataFrame(rows, schema=schema)
