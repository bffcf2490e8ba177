# Type stubs of citycheck.survey (python/citycheck/survey.py).

import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import polars as pl

_Path = str | os.PathLike[str]

__all__ = ["SurveyDefinition", "SurveyResult", "score", "reconcile", "combine", "confirmed"]

class SurveyDefinition:
    def __init__(self, native: Any) -> None: ...
    @classmethod
    def load(cls, path: _Path) -> SurveyDefinition: ...
    @classmethod
    def from_toml(cls, path_or_str: _Path) -> SurveyDefinition: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def items(self) -> list[dict[str, Any]]: ...
    @property
    def dimensions(self) -> list[dict[str, Any]]: ...

class SurveyResult:
    def __init__(self, native: Any) -> None: ...
    items: pl.DataFrame
    dimensions: pl.DataFrame
    reliability: pl.DataFrame
    bad_answers: pl.DataFrame
    summary: dict[str, Any]
    def write(self, out: _Path, format: str = "csv") -> list[Path]: ...
    def _repr_html_(self) -> str: ...

def score(
    responses: Any,
    definition: SurveyDefinition | _Path,
    unit: str = "unit",
    year: str = "year",
    weight: str | None = None,
    strata: str | None = None,
    *,
    confidence: float = 0.95,
    min_items_answered: int = 1,
) -> SurveyResult: ...
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
) -> pl.DataFrame: ...
def combine(objective: float, survey: float, weights: tuple[float, float] = (0.7, 0.3)) -> float: ...
def confirmed(flags_by_source: Sequence[bool], k: int) -> bool: ...
