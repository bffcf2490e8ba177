# Type stubs of the diagnosis facade (python/citycheck/diagnose.py).

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import polars as pl

__all__ = ["diagnose", "Diagnosis", "obstacle_degree", "coupling_coordination", "Coupling", "renewal_tasks"]

class Diagnosis:
    year: int
    attainment: pl.DataFrame
    attainment_rates: pl.DataFrame
    obstacles: pl.DataFrame
    weaknesses: pl.DataFrame
    coupling: pl.DataFrame
    ledger: pl.DataFrame
    reserve: pl.DataFrame
    notes: list[str]
    warnings: list[str]
    options: dict[str, Any]
    def __init__(self, native: Any) -> None: ...
    def top_obstacles(self, k: int | None = None) -> pl.DataFrame: ...
    def write(self, dir: str | os.PathLike[str], format: str = "csv") -> list[Path]: ...
    def _repr_html_(self) -> str: ...

def diagnose(
    panel: Any,
    catalog: Any,
    year: int | None = None,
    top: int = 5,
    peers: str | None = None,
    tasks: str | os.PathLike[str] = "renewal-tasks-liaoning",
    spec: str | Mapping[str, Any] | None = None,
    *,
    weak_share: float = 0.2,
    far_below: float = 0.25,
    beta: Sequence[float] | None = None,
    worsening: Iterable[tuple[str, str]] | Mapping[tuple[str, str], bool] | None = None,
    trends: bool = False,
    validation: str = "strict",
) -> Diagnosis: ...
@dataclass(frozen=True)
class Coupling:
    c: float
    t: float
    d: float
    grade: str | None

def obstacle_degree(weights: Sequence[float], scores01: Sequence[float]) -> list[float]: ...
def coupling_coordination(u: Sequence[float], beta: Sequence[float] | None = None) -> Coupling: ...
def renewal_tasks(tasks: str | os.PathLike[str] = "renewal-tasks-liaoning") -> pl.DataFrame: ...
