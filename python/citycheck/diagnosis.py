"""Diagnosis (诊断) of one year of a check-up: the Rust ``citycheck::diagnose`` module.

:func:`diagnose` scores a panel and returns a :class:`Diagnosis` of seven polars tables —
attainment of standards (达标) and attainment rates (达标率), obstacle degree (障碍度),
weaknesses (短板) and strengths among peers, coupling coordination (耦合协调度), the problem
ledger (问题台账) and the project reserve (项目储备库) of renewal tasks. The formulas are in the
Rust module docs and METHODS.md §6; the kernels are here too:

>>> obstacle_degree([0.6, 0.4], [0.5, 0.75]).round(6).tolist()
[75.0, 25.0]
>>> k = coupling_coordination([0.4, 0.9])
>>> (round(k.c, 6), round(k.d ** 2, 6), k.grade)
(0.923077, 0.6, '中级协调')
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import numpy as np
import polars as pl

from . import _citycheck as _native
from ._convert import F64Array, IntLike, PathLike, to_float, to_int, to_polars, to_vector
from ._spec import SpecLike, base_spec
from ._tables import html_summary, write_tables
from .catalog import Catalog
from .panel import as_panel
from .plot import DiagnosisPlot

__all__ = ["diagnose", "Diagnosis", "obstacle_degree", "coupling_coordination", "Coupling", "renewal_tasks"]

Worsening = Union[Iterable[tuple[str, str]], Mapping[tuple[str, str], bool], None]


class Diagnosis:
    """The diagnosis of one year (from :func:`diagnose`).

    Attributes
    ----------
    year : int
    attainment : polars.DataFrame
        ``attainment.csv``: unit, year, indicator, value, standard, met, gap, note — every
        indicator with a standard (imputed or missing values are not judged: note).
    attainment_rates : polars.DataFrame
        ``attainment_rates.csv``: unit, year, node, kind, with_standard, met, rate, note — 达标率
        of the index and every group.
    obstacles : polars.DataFrame
        ``obstacles.csv``: unit, year, node, kind, obstacle (%), rank, note — indicators sum to
        100 per unit; groups sum their indicators; rank 1 = largest.
    weaknesses : polars.DataFrame
        ``weaknesses.csv``: unit, year, indicator, peer_group, peers, rank, share, score,
        peer_median, kind (weakness | strength), far_below.
    coupling : polars.DataFrame
        ``coupling.csv``: unit, year, c, t, d, grade, note — between the top-level groups.
    ledger : polars.DataFrame
        ``ledger.csv``: one row per problem with value, standard, attainment, level, points,
        weight, obstacle, peer rank, severity = points × 100 × weight, reasons, source, note.
    reserve : polars.DataFrame
        ``reserve.csv``: unit, task, task_name, priority (Σ severity), rank, problems, deadline.
    notes : list of str
        What the user should know (units without peers, problems that point to no task, …).
    warnings : list of str
        The check-up's warnings (messages).
    warnings_table : polars.DataFrame
        The check-up's warnings with their codes: ``code, message`` (codes as in ``run.json``).
    options : dict
        The options used (the ``[diagnose]`` table of a run config).
    catalog : Catalog or None
        The catalogue diagnosed against (its names label the charts).

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
    ...                    "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
    >>> d = cc.diagnose(df, cc.Catalog.builtin("ccsy-example"))
    >>> d.year, d.options["top"], sorted(d.coupling["unit"].to_list())
    (2021, 5, ['A', 'B', 'C'])
    """

    def __init__(self, native: _native.Diagnosis, catalog: Catalog | None = None) -> None:
        """Wraps a native diagnosis made with ``catalog``."""
        self._native = native
        self.catalog: Catalog | None = catalog
        self.year: int = native.year
        self.attainment: pl.DataFrame = to_polars(native.table("attainment"))
        self.attainment_rates: pl.DataFrame = to_polars(native.table("attainment_rates"))
        self.obstacles: pl.DataFrame = to_polars(native.table("obstacles"))
        self.weaknesses: pl.DataFrame = to_polars(native.table("weaknesses"))
        self.coupling: pl.DataFrame = to_polars(native.table("coupling"))
        self.ledger: pl.DataFrame = to_polars(native.table("ledger"))
        self.reserve: pl.DataFrame = to_polars(native.table("reserve"))
        self.notes: list[str] = list(native.notes)
        self.warnings: list[str] = list(native.warnings)
        self.warnings_table: pl.DataFrame = to_polars(native.warnings_table())
        self.options: dict[str, Any] = native.options

    def top_obstacles(self, k: IntLike | None = None) -> pl.DataFrame:
        """The indicators with rank ≤ ``k`` (default: the options' ``top``) and an obstacle
        above 0, per unit, largest first.

        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B", "C"], "year": [2021] * 3,
        ...                    "green_coverage_builtup": [35.0, 45.0, 37.0], "tertiary_share": [42.0, 55.0, 46.0]})
        >>> top = cc.diagnose(df, cc.Catalog.builtin()).top_obstacles(1)
        >>> "B" in top["unit"].to_list()  # B is the best on both: no shortfall, no obstacle
        False
        """
        top = to_int(self.options["top"], "top") if k is None else to_int(k, "k")
        return self.obstacles.filter(
            (pl.col("kind") == "indicator") & (pl.col("rank") <= top) & (pl.col("obstacle") > 0)
        ).sort(["unit", "rank"], maintain_order=True)

    @property
    def plot(self) -> DiagnosisPlot:
        """Charts of this diagnosis (matplotlib figures): ``.obstacles(unit)``
        (:class:`~citycheck.plot.DiagnosisPlot`)."""
        return DiagnosisPlot(self, self.catalog)

    def write(self, out: PathLike, format: str = "csv", *, lang: str = "en") -> list[Path]:
        """Writes the seven tables (``attainment.csv`` … ``reserve.csv``; Parquet with
        ``format="parquet"``, or one workbook ``diagnosis.xlsx`` with ``format="xlsx"``) into
        the folder ``out`` (created if absent); returns the paths. ``lang="zh"`` writes each
        CSV with a UTF-8 byte order mark (Excel then opens Chinese text correctly).

        >>> import tempfile
        >>> import polars as pl
        >>> import citycheck as cc
        >>> df = pl.DataFrame({"city": ["A", "B"], "year": [2021] * 2,
        ...                    "green_coverage_builtup": [35.0, 45.0], "tertiary_share": [42.0, 55.0]})
        >>> paths = cc.diagnose(df, cc.Catalog.builtin()).write(tempfile.mkdtemp())
        >>> [p.name for p in paths][:2]
        ['attainment.csv', 'attainment_rates.csv']
        """
        return write_tables(out, format=format, lang=lang, native=self._native.write)

    def _headline(self) -> str:
        units = self.coupling["unit"].n_unique() if self.coupling.height else 0
        return (
            f"citycheck diagnosis {self.year}: {units} unit(s), {self.ledger.height} problem(s), "
            f"{self.reserve.height} reserve item(s), {len(self.notes)} note(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        top = self.top_obstacles()
        first = self.reserve.filter(pl.col("rank") == 1)
        sections = [
            (f"Top-{self.options['top']} obstacles (障碍度, %)", top.select("unit", "node", "obstacle", "rank")),
            ("Coupling coordination (耦合协调度)", self.coupling.select("unit", "c", "t", "d", "grade")),
            (
                "First task in each unit's reserve (项目储备库)",
                first.select("unit", "task", "task_name", "priority", "problems"),
            ),
        ]
        return html_summary(self._headline(), sections, self.notes)


def _pairs(worsening: Worsening) -> list[tuple[str, str]] | None:
    if worsening is None:
        return None
    if isinstance(worsening, Mapping):
        return [(str(u), str(i)) for (u, i), w in worsening.items() if w]
    return [(str(u), str(i)) for u, i in worsening]


def _grades(grades: str | Sequence[tuple[float, str]]) -> list[dict[str, Any]]:
    """A grade scale as the list of ``{"from": …, "name": …}`` of ``[diagnose] grades``."""
    if isinstance(grades, str):
        pairs: list[tuple[float, str]] = []
        for entry in grades.split(","):
            lower, sep, name = entry.partition(":")
            try:
                value = float(lower) if sep else math.nan
            except ValueError:
                value = math.nan
            if math.isnan(value):
                raise _native.SpecError(f"grades: '{entry.strip()}' is not from:name (e.g. 0.5:勉强协调)")
            pairs.append((value, name.strip()))
        return [{"from": lower, "name": name} for lower, name in pairs]
    return [{"from": to_float(lower, "grades"), "name": str(name)} for lower, name in grades]


def diagnose(
    panel: Any,
    catalog: Catalog,
    year: IntLike | None = None,
    top: IntLike = 5,
    peers: str | None = None,
    tasks: PathLike = "renewal-tasks-liaoning",
    spec: SpecLike = None,
    *,
    weak_share: float = 0.2,
    far_below: float = 0.25,
    beta: Sequence[float] | None = None,
    grades: str | Sequence[tuple[float, str]] | None = None,
    adjusted: bool = False,
    worsening: Worsening = None,
    trends: bool = False,
    validation: str = "strict",
) -> Diagnosis:
    """Score ``panel`` with ``catalog`` and diagnose ``year`` (default: the latest; a numpy
    integer such as ``df["year"].max()`` will do).

    ``spec`` is the check-up's spec: ``None`` or ``"checkup_default"`` (the check-up default),
    ``"default"``, or a dict as in ``Result.spec``; its normalisation needs a bounded scale
    (``min_max``, ``band``, ``goalposts``, ``target``, ``percentile``). ``top`` indicator
    obstacles per unit count as problems; ``peers`` names a unit attribute to compare within
    (default: all units); ``weak_share`` is the bottom/top share of peers, ``far_below`` the
    distance below the peer median (share of the scale) that flags a weakness; ``beta`` weighs
    the top-level groups in the coupling (default equal); ``grades`` replaces the ten coupling
    grades by a scale of ``(from, name)`` bands, lowest first, the first from 0 (or the string
    ``"0:失调,0.5:协调,0.8:优质协调"``, as ``citycheck diagnose --grades``); ``adjusted=True``
    uses Wang Shujia et al.'s (2021) adjusted coupling degree; ``tasks`` is a built-in task-file id
    or a path. Worsening trends raise a problem's severity: give them as ``(unit, indicator)``
    pairs (or a mapping to bool, as ``Evaluation`` trends give), or ``trends=True`` to compute
    them (Mann-Kendall up to ``year``). ``panel`` may also be a table or a file with the usual
    column names.

    >>> import numpy as np
    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": ["A", "B", "C"] * 2, "year": [2020] * 3 + [2021] * 3,
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0, 35.0, 45.0, 37.0],
    ...                    "tertiary_share": [40.0, 50.0, 45.0, 42.0, 55.0, 46.0]})
    >>> d = cc.diagnose(cc.Panel.from_wide(df, unit="city"), cc.Catalog.builtin(), year=np.int64(2020))
    >>> d.year, d.reserve.columns[:3]
    (2020, ['unit', 'task', 'task_name'])
    """
    native_panel = as_panel(panel)._native
    options: dict[str, Any] = {
        "top": to_int(top, "top"),
        "weak_share": to_float(weak_share, "weak_share"),
        "far_below": to_float(far_below, "far_below"),
        "tasks": os.fspath(tasks),
    }
    if year is not None:
        options["year"] = to_int(year, "year")
    if peers is not None:
        options["peers"] = str(peers)
    if beta is not None:
        options["beta"] = to_vector(beta, "beta", missing=False).tolist()
    if grades is not None:
        options["grades"] = _grades(grades)
    if adjusted:
        options["adjusted"] = True
    native = _native.diagnose(
        native_panel,
        catalog._native,
        base_spec(spec),
        options,
        _pairs(worsening),
        bool(trends),
        validation,
    )
    return Diagnosis(native, catalog)


@dataclass(frozen=True)
class Coupling:
    """Coupling degree ``c``, coordination index ``t``, coupling coordination degree ``d`` and
    its grade (极度失调 … 优质协调; None when ``d`` is NaN).

    >>> Coupling(c=1.0, t=0.5, d=0.5 ** 0.5, grade="勉强协调").grade
    '勉强协调'
    """

    c: float
    t: float
    d: float
    grade: str | None


def obstacle_degree(weights: Any, scores01: Any) -> F64Array:
    """Obstacle degrees in % of one unit: ``100 · F_j (1 − r_j) / Σ F (1 − r)``, with global
    weights ``F`` and scores ``r`` in [0, 1] (lists, numpy arrays, Series). NaN (or None,
    ``pd.NA``) leaves an indicator out; no shortfall at all gives 0 everywhere.

    >>> import numpy as np
    >>> obstacle_degree(np.array([0.5, 0.3, 0.2]), [0.8, None, 0.0]).round(4).tolist()
    [33.3333, nan, 66.6667]
    """
    w = to_vector(weights, "weights")
    r = to_vector(scores01, "scores01")
    return _native.diagnose_obstacle_degree(w, r)


def coupling_coordination(u: Any, beta: Any | None = None, *, adjusted: bool = False) -> Coupling:
    """Coupling coordination of subsystem scores ``u`` in [0, 1]: ``C = k[ΠU/(ΣU)^k]^(1/k)``,
    ``T = Σβ U`` (``beta`` default equal), ``D = √(C T)``. A zero subsystem gives C = 0.
    ``adjusted=True``: Wang Shujia et al.'s (2021) adjusted coupling degree
    ``C = √[(1 − mean pairwise |U_i − U_j|) · Π(U_i/max U)^(1/(k−1))]``.

    >>> k = coupling_coordination([0.2, 0.4, 0.8])
    >>> round(k.c, 6), round(k.t, 6), k.grade
    (0.857143, 0.466667, '初级协调')
    >>> round(coupling_coordination([0.2, 0.4, 0.8], adjusted=True).c, 6)  # √(0.6 · √0.125)
    0.460578
    """
    values = to_vector(u, "u", missing=False)
    n = values.shape[0]
    if beta is None:
        weights = np.full(n, 1.0 / n) if n else np.empty(0, dtype=np.float64)
    else:
        weights = to_vector(beta, "beta", missing=False)
    c, t, d, grade = _native.diagnose_coupling(values, weights, bool(adjusted))
    return Coupling(c, t, d, grade)


def renewal_tasks(tasks: PathLike = "renewal-tasks-liaoning") -> pl.DataFrame:
    """The renewal key tasks of a task file (built-in id or path): ``id, name_zh, name_en,
    area, deadline, deadline_kind, description, indicators, lead_units, guiding_units,
    responsible_units, section, quote``.

    >>> renewal_tasks().height
    18
    """
    return to_polars(_native.renewal_tasks(os.fspath(tasks)))
