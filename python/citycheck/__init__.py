"""citycheck: city check-up and evaluation (城市体检评估).

An indicator :class:`Catalog`, a :class:`Panel` of observations and :func:`score` — normalise,
weight and aggregate over the catalogue's hierarchy — give dimension and overall scores with
ranks, and the :class:`Fitted` parameters that score new years the same way
(:class:`Checkup` fits, :meth:`Fitted.transform` scores). :func:`evaluate` runs the five-year
evaluation, :func:`diagnose` the diagnosis of one year, :func:`recheck` the re-check of
its ledgers across years (复查), :func:`projects` links a projects table to a year's ledger
(项目生成), :func:`assess` the annual assessment of each city's renewal work (年度考核评估,
通报, 以奖代补), :func:`uncertainty` how robust the ranking is (Monte Carlo
over the spec's choices, Sobol sensitivity), :func:`audit` whether the index holds together
statistically (coverage, outliers, correlations, Cronbach's α, principal components),
:func:`efficiency` and :func:`malmquist` the
efficiency of facilities (data envelopment analysis; :func:`citycheck.dea.dea` on plain
matrices), :func:`compute` computes indicators from
object records and :func:`run` runs a whole run config (the yearly batch) and writes its output
folder; :func:`template` writes the fill-in workbook a city's team fills, which
:meth:`Panel.read` reads back. The method kernels work on numpy matrices: :mod:`citycheck.weights`,
:mod:`citycheck.mcda` and :mod:`citycheck.trend`; :mod:`citycheck.survey` scores satisfaction
surveys.

Tables come in as polars, pandas or pyarrow tables and go out as polars DataFrames; matrices
and vectors come in as numpy arrays (any numeric dtype), lists, frames or Series and go out as
float64 numpy arrays. Every error is a :class:`CitycheckError`.

Example
-------
>>> import tempfile
>>> import citycheck as cc
>>> result = cc.run(out=tempfile.mkdtemp())        # the embedded Liaoning example, 2008–2012
>>> result.index(2012)["unit"].head(3).to_list()
['沈阳市', '大连市', '营口市']
"""

from . import dea as dea
from . import diagnosis as diagnosis
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
from .assessment import Assessment as Assessment
from .assessment import assess as assess
from .catalog import Catalog as Catalog
from .checkup import Checkup as Checkup
from .checkup import Fitted as Fitted
from .checkup import checkup_default_spec as checkup_default_spec
from .checkup import run as run
from .checkup import score as score
from .computed import Computed as Computed
from .computed import compute as compute
from .dea import efficiency as efficiency
from .dea import malmquist as malmquist
from .diagnosis import Diagnosis as Diagnosis
from .diagnosis import diagnose as diagnose
from .diagnosis import renewal_tasks as renewal_tasks
from .evaluation import Evaluation as Evaluation
from .evaluation import evaluate as evaluate
from .panel import Panel as Panel
from .panel import template as template
from .projects_result import Projects as Projects
from .projects_result import projects as projects
from .recheck_result import Recheck as Recheck
from .recheck_result import recheck as recheck
from .result import Result as Result
from .statistical_audit import audit as audit
from .uncertainty_analysis import Uncertainty as Uncertainty
from .uncertainty_analysis import sobol as sobol
from .uncertainty_analysis import uncertainty as uncertainty

__all__ = [
    # The check-up
    "Catalog",
    "Panel",
    "Checkup",
    "Fitted",
    "Result",
    "score",
    "run",
    "checkup_default_spec",
    "template",
    # Evaluation, diagnosis, indicators from records
    "evaluate",
    "Evaluation",
    "diagnose",
    "Diagnosis",
    "renewal_tasks",
    "recheck",
    "Recheck",
    "projects",
    "Projects",
    "assess",
    "Assessment",
    "compute",
    "Computed",
    # How robust the ranking is, the statistical audit; efficiency of facilities (DEA)
    "uncertainty",
    "Uncertainty",
    "sobol",
    "audit",
    "efficiency",
    "malmquist",
    # The method kernels and the survey
    "weights",
    "mcda",
    "dea",
    "trend",
    "survey",
    "diagnosis",
    # Errors and warnings
    "CitycheckError",
    "CatalogError",
    "DataError",
    "SpecError",
    "MethodError",
    "IoError",
    "CitycheckWarning",
    "__version__",
]
