"""The statistical audit of an index (the JRC checklist): :func:`audit`, the Rust
``citycheck::audit`` module.

:func:`audit` scores a panel with a spec, then reads the normalised indicator values and the
group and index scores year by year: data coverage per unit and per indicator against a
threshold (the SDG Index's 80 % rule), outlying indicators by the treatment stage's
skewness/kurtosis rule, Pearson and Spearman correlations within each group, with the other
groups and with the index (flags ``collinear``, ``negative_within_group``,
``not_significant_with_group``), Cronbach's α and the principal components of every group, and
a one-line verdict per group. The tables are those ``citycheck audit`` writes under ``audit/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import plain, to_float, to_polars
from ._spec import SpecLike, base_spec
from .catalog import Catalog
from .panel import as_panel

__all__ = ["audit"]


def audit(
    panel: Any,
    catalog: Catalog,
    config: Mapping[str, Any] | None = None,
    spec: SpecLike = None,
    validation: str = "strict",
    *,
    coverage: float | None = None,
) -> dict[str, pl.DataFrame]:
    """The statistical audit of the normalised indicators of ``spec`` (default: the check-up
    default) on ``panel``: a dict of polars frames, one per file of ``audit/``.

    ``panel`` is a :class:`~citycheck.Panel`, a table or a file; ``config`` the dict of a run
    config's ``[audit]`` table — ``coverage`` (0.8), ``significance`` (0.05), ``collinear``
    (0.9), ``cronbach`` (0.7), ``first_component`` (0.6); a misspelt key raises
    :class:`~citycheck.SpecError`. ``coverage=`` overrides the config's, as ``citycheck audit
    --coverage`` does. The keys, in file order:

    - ``coverage``: kind (``unit`` or ``indicator``), name, year, present, expected, share,
      dropped (share below the threshold), note;
    - ``outliers``: year, indicator, n, skewness, kurtosis, outlying, treatment (``none``,
      ``winsorise``, ``log``), winsorised_low, winsorised_high, note;
    - ``correlations``: year, group, a, b, pearson, spearman, p_value (Pearson's, two-sided),
      flag, relation (``within``, ``own_group``, ``other_group``, ``index``), n, note;
    - ``groups``: year, group, n_indicators, cronbach_alpha, first_component_share, verdict
      (``coherent``, ``not coherent: …`` naming what failed, or ``not assessed``), level,
      n_units, note;
    - ``pca``: year, group, component, eigenvalue, share, member, loading.

    A value that cannot be computed (a group of one member, a constant column, fewer than 3
    units) is null, and the row's note says why.

    >>> import polars as pl
    >>> import citycheck as cc
    >>> df = pl.DataFrame({"city": list("ABCDE"), "year": [2020] * 5,
    ...                    "green_coverage_builtup": [30.0, 40.0, 35.0, 45.0, 38.0],
    ...                    "garbage_harmless_rate": [80.0, 100.0, 85.0, 90.0, 95.0]})
    >>> tables = cc.audit(df, cc.Catalog.builtin())
    >>> list(tables)
    ['coverage', 'outliers', 'correlations', 'groups', 'pca']
    >>> tables["groups"].select("group", "verdict").rows()
    [('index', 'not assessed'), ('ecology', 'coherent')]
    """
    full: dict[str, Any] = {} if config is None else dict(plain(config, "audit config"))
    if coverage is not None:
        full["coverage"] = to_float(coverage, "coverage")
    pairs = _native.audit(as_panel(panel)._native, catalog._native, full, base_spec(spec), validation)
    return {name: to_polars(stream) for name, stream in pairs}
