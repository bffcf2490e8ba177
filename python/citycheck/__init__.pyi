# Type stubs of the public facade (python/citycheck/__init__.py).

import os
from typing import Any, Mapping, Sequence

import polars as pl

from . import mcda as mcda
from . import survey as survey
from . import trend as trend
from . import weights as weights
from ._citycheck import CatalogError as CatalogError
from ._citycheck import CitycheckError as CitycheckError
from ._citycheck import DataError as DataError
from ._citycheck import IoError as IoError
from ._citycheck import MethodError as MethodError
from ._citycheck import SpecError as SpecError
from ._citycheck import __version__ as __version__
from ._convert import CitycheckWarning as CitycheckWarning
from .diagnose import Diagnosis as Diagnosis
from .diagnose import diagnose as diagnose
from .diagnose import renewal_tasks as renewal_tasks

_Path = str | os.PathLike[str]
_Method = str | Mapping[str, Any]

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

class Catalog:
    def __init__(self, native: Any) -> None: ...
    @classmethod
    def builtin(cls, id: str = "ccsy-example") -> Catalog: ...
    @staticmethod
    def builtin_ids() -> list[str]: ...
    @classmethod
    def from_toml(cls, path_or_str: _Path) -> Catalog: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def indicators(self) -> pl.DataFrame: ...
    @property
    def groups(self) -> pl.DataFrame: ...

class Panel:
    def __init__(self, native: Any) -> None: ...
    @classmethod
    def from_frame(
        cls,
        df: Any,
        *,
        unit: str | None = None,
        year: str | None = None,
        indicator: str | None = None,
        value: str | None = None,
        source: str | None = None,
        attributes: Sequence[str] | None = None,
        layout: str = "auto",
    ) -> Panel: ...
    @classmethod
    def from_wide(
        cls,
        df: Any,
        *,
        unit: str | None = None,
        year: str | None = None,
        attributes: Sequence[str] | None = None,
    ) -> Panel: ...
    @classmethod
    def read(
        cls,
        path: _Path,
        *,
        unit: str | None = None,
        year: str | None = None,
        indicator: str | None = None,
        value: str | None = None,
        source: str | None = None,
        attributes: Sequence[str] | None = None,
        layout: str = "auto",
    ) -> Panel: ...
    def __len__(self) -> int: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def units(self) -> list[str]: ...
    @property
    def years(self) -> list[int]: ...
    @property
    def indicators(self) -> list[str]: ...
    @property
    def issues(self) -> list[dict[str, Any]]: ...
    def validate(self, catalog: Catalog, mode: str = "strict") -> list[dict[str, Any]]: ...

class Result:
    def __init__(self, native: Any, evaluation: Any | None = None, diagnosis: Any | None = None) -> None: ...
    scores: pl.DataFrame
    weights: pl.DataFrame
    fitted: dict[str, Any]
    spec: dict[str, Any]
    warnings: list[str]
    issues: list[dict[str, Any]]
    report: dict[str, Any] | None
    evaluation: Evaluation | None
    diagnosis: Diagnosis | None
    def index(self, year: int | None = None) -> pl.DataFrame: ...
    def spec_toml(self) -> str: ...
    def _repr_html_(self) -> str: ...

def checkup_default_spec() -> dict[str, Any]: ...
def score(
    panel: Panel | Any,
    catalog: Catalog,
    *,
    normalize: _Method | None = None,
    scope: str | int | None = None,
    weights: _Method | None = None,
    aggregate: _Method | None = None,
    missing: str | None = None,
    impute: _Method | None = None,
    denominate: bool | None = None,
    treat: bool | Mapping[str, Any] | None = None,
    spec: _Method | None = None,
    validation: str = "strict",
) -> Result: ...
def run(config: _Path | None = None, out: _Path | None = None) -> Result: ...

class Evaluation:
    def __init__(self, native: Any, result: Result) -> None: ...
    trends: pl.DataFrame
    progress: pl.DataFrame
    warnings: pl.DataFrame
    summary: dict[str, Any]
    result: Result
    @property
    def comparable(self) -> bool: ...
    def _repr_html_(self) -> str: ...

def evaluate(
    panel: Panel | Any,
    catalog: Catalog,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
    alpha: float = 0.05,
    pace: Mapping[str, float] | None = None,
    fit: _Method | None = None,
    spec: _Method | None = "checkup_default",
    validation: str = "strict",
    **spec_options: Any,
) -> Evaluation: ...

class Computed:
    def __init__(self, native: Any) -> None: ...
    indicators: pl.DataFrame
    ledger: pl.DataFrame | None
    issues: list[dict[str, Any]]
    def panel(self, level: str = "city") -> Panel: ...

def compute(
    records: _Path | Any | Sequence[_Path | Any],
    catalog: Catalog,
    *,
    levels: Sequence[str] | None = None,
    ledger: bool = True,
) -> Computed: ...
