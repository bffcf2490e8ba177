"""Diagnosis (诊断) of one year of a check-up: the Rust ``citycheck::diagnose`` module.

:func:`diagnose` scores a panel and returns a :class:`Diagnosis` of seven polars tables —
attainment of standards (达标) and attainment rates (达标率), obstacle degree (障碍度),
weaknesses (短板) and strengths among peers, coupling coordination (耦合协调度), the problem
ledger (问题台账) and the project reserve (项目储备库) of renewal tasks. The formulas are in the
Rust module docs and METHODS.md §6; the kernels are here too:

>>> [round(o, 6) for o in obstacle_degree([0.6, 0.4], [0.5, 0.75])]
[75.0, 25.0]
>>> k = coupling_coordination([0.4, 0.9])
>>> (round(k.c, 6), round(k.d ** 2, 6), k.grade)
(0.923077, 0.6, '中级协调')
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import polars as pl

from . import _citycheck as _native
from ._convert import to_polars

__all__ = ["diagnose", "Diagnosis", "obstacle_degree", "coupling_coordination", "Coupling", "renewal_tasks"]

_TABLES = ("attainment", "attainment_rates", "obstacles", "weaknesses", "coupling", "ledger", "reserve")


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
        The check-up's warnings.
    options : dict
        The options used (the ``[diagnose]`` table of a run config).
    """

    def __init__(self, native: _native.Diagnosis) -> None:
        self._native = native
        self.year: int = native.year
        self.attainment: pl.DataFrame = to_polars(native.table("attainment"))
        self.attainment_rates: pl.DataFrame = to_polars(native.table("attainment_rates"))
        self.obstacles: pl.DataFrame = to_polars(native.table("obstacles"))
        self.weaknesses: pl.DataFrame = to_polars(native.table("weaknesses"))
        self.coupling: pl.DataFrame = to_polars(native.table("coupling"))
        self.ledger: pl.DataFrame = to_polars(native.table("ledger"))
        self.reserve: pl.DataFrame = to_polars(native.table("reserve"))
        self.notes: List[str] = list(native.notes)
        self.warnings: List[str] = list(native.warnings)
        self.options: Dict[str, Any] = json.loads(native.options)

    def top_obstacles(self, k: Optional[int] = None) -> pl.DataFrame:
        """The indicators with rank ≤ ``k`` (default: the options' ``top``) and an obstacle
        above 0, per unit, largest first."""
        k = int(self.options["top"]) if k is None else k
        return self.obstacles.filter(
            (pl.col("kind") == "indicator") & (pl.col("rank") <= k) & (pl.col("obstacle") > 0)
        ).sort(["unit", "rank"], maintain_order=True)

    def write(self, dir: Union[str, "os.PathLike[str]"], format: str = "csv") -> List[Path]:
        """Writes the seven tables (``attainment.csv`` … ``reserve.csv``, or Parquet) into
        ``dir``; returns the paths."""
        return [Path(p) for p in self._native.write(Path(dir), format)]

    def _headline(self) -> str:
        units = self.coupling["unit"].n_unique() if self.coupling.height else 0
        return (
            f"citycheck diagnosis {self.year}: {units} unit(s), {self.ledger.height} problem(s), "
            f"{self.reserve.height} reserve item(s), {len(self.notes)} note(s)"
        )

    def __repr__(self) -> str:
        return f"<{self._headline()}>"

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._headline())}</b></p>"]
        top = self.top_obstacles()
        if top.height:
            parts.append(f"<p>Top-{self.options['top']} obstacles (障碍度, %)</p>")
            parts.append(top.select("unit", "node", "obstacle", "rank")._repr_html_())
        if self.coupling.height:
            parts.append("<p>Coupling coordination (耦合协调度)</p>")
            parts.append(self.coupling.select("unit", "c", "t", "d", "grade")._repr_html_())
        first = self.reserve.filter(pl.col("rank") == 1)
        if first.height:
            parts.append("<p>First task in each unit's reserve (项目储备库)</p>")
            parts.append(first.select("unit", "task", "task_name", "priority", "problems")._repr_html_())
        if self.notes:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
            parts.append(f"<details><summary>{len(self.notes)} note(s)</summary><ul>{items}</ul></details>")
        return "\n".join(parts)


def _spec_json(spec: Union[str, Mapping[str, Any], None]) -> str:
    if spec is None or spec == "checkup_default":
        return _native.checkup_default_spec()
    if spec == "default":
        return "{}"
    if isinstance(spec, str):
        raise _native.SpecError(f"unknown spec '{spec}': pass a dict, 'default' or 'checkup_default'")
    return json.dumps(dict(spec))


def _pairs(worsening: Union[Iterable[Tuple[str, str]], Mapping[Tuple[str, str], bool], None]) -> Optional[list]:
    if worsening is None:
        return None
    if isinstance(worsening, Mapping):
        return [(str(u), str(i)) for (u, i), w in worsening.items() if w]
    return [(str(u), str(i)) for u, i in worsening]


def diagnose(
    panel: Any,
    catalog: Any,
    year: Optional[int] = None,
    top: int = 5,
    peers: Optional[str] = None,
    tasks: Union[str, "os.PathLike[str]"] = "renewal-tasks-liaoning",
    spec: Union[str, Mapping[str, Any], None] = None,
    *,
    weak_share: float = 0.2,
    far_below: float = 0.25,
    beta: Optional[Sequence[float]] = None,
    worsening: Union[Iterable[Tuple[str, str]], Mapping[Tuple[str, str], bool], None] = None,
    trends: bool = False,
    validation: str = "strict",
) -> Diagnosis:
    """Score ``panel`` with ``catalog`` and diagnose ``year`` (default: the latest).

    ``spec`` is the check-up's spec: ``None`` or ``"checkup_default"`` (the default run),
    ``"default"``, or a dict as in ``Result.spec``; its normalisation needs a bounded scale
    (``min_max``, ``band``, ``goalposts``, ``target``, ``percentile``). ``top`` indicator
    obstacles per unit count as problems; ``peers`` names a unit attribute to compare within
    (default: all units); ``weak_share`` is the bottom/top share of peers, ``far_below`` the
    distance below the peer median (share of the scale) that flags a weakness; ``beta`` weighs
    the top-level groups in the coupling (default equal); ``tasks`` is a built-in task-file id
    or a path. Worsening trends raise a problem's severity: give them as ``(unit, indicator)``
    pairs (or a mapping to bool, as ``Evaluation`` trends give), or ``trends=True`` to compute
    them (Mann-Kendall up to ``year``). ``panel`` may also be a table with the usual column
    names.

    >>> d = diagnose(panel, Catalog.builtin("ccsy-example"), year=2012)  # doctest: +SKIP
    >>> d.top_obstacles(3)  # doctest: +SKIP
    """
    from . import Panel  # the package imports this module; Panel is defined there

    if not isinstance(panel, Panel):
        panel = Panel.from_frame(panel)
    options: Dict[str, Any] = {
        "top": top,
        "weak_share": weak_share,
        "far_below": far_below,
        "tasks": os.fspath(tasks),
    }
    if year is not None:
        options["year"] = year
    if peers is not None:
        options["peers"] = peers
    if beta is not None:
        options["beta"] = [float(b) for b in beta]
    native = _native.diagnose(
        panel._native,
        catalog._native,
        _spec_json(spec),
        json.dumps(options),
        _pairs(worsening),
        trends,
        validation,
    )
    return Diagnosis(native)


@dataclass(frozen=True)
class Coupling:
    """Coupling degree ``c``, coordination index ``t``, coupling coordination degree ``d`` and
    its grade (极度失调 … 优质协调; None when ``d`` is NaN)."""

    c: float
    t: float
    d: float
    grade: Optional[str]


def obstacle_degree(weights: Sequence[float], scores01: Sequence[float]) -> List[float]:
    """Obstacle degrees in % of one unit: ``100 · F_j (1 − r_j) / Σ F (1 − r)``, with global
    weights ``F`` and scores ``r`` in [0, 1]. NaN (or None) leaves an indicator out; no
    shortfall at all gives 0 everywhere."""
    w = [float("nan") if v is None else float(v) for v in weights]
    r = [float("nan") if v is None else float(v) for v in scores01]
    return list(_native.diagnose_obstacle_degree(w, r))


def coupling_coordination(u: Sequence[float], beta: Optional[Sequence[float]] = None) -> Coupling:
    """Coupling coordination of subsystem scores ``u`` in [0, 1]: ``C = k[ΠU/(ΣU)^k]^(1/k)``,
    ``T = Σβ U`` (``beta`` default equal), ``D = √(C T)``. A zero subsystem gives C = 0."""
    values = [float(x) for x in u]
    weights = [1.0 / len(values)] * len(values) if beta is None else [float(b) for b in beta]
    c, t, d, grade = _native.diagnose_coupling(values, weights)
    return Coupling(c, t, d, grade)


def renewal_tasks(tasks: Union[str, "os.PathLike[str]"] = "renewal-tasks-liaoning") -> pl.DataFrame:
    """The renewal key tasks of a task file (built-in id or path): ``id, name_zh, name_en,
    area, deadline, description, indicators``."""
    return to_polars(_native.renewal_tasks(os.fspath(tasks)))
