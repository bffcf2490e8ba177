"""The indicator catalogue (指标体系): :class:`Catalog`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, to_float, to_polars
from ._tables import html_summary

__all__ = ["Catalog"]


class Catalog:
    """An indicator catalogue (指标体系): groups of any depth and indicators with directions,
    units, valid ranges, standards and aliases. Immutable once loaded.

    >>> import citycheck as cc
    >>> catalog = cc.Catalog.builtin("ccsy-example")
    >>> catalog.id
    'ccsy-example'
    >>> "gdp" in catalog.indicators["id"].to_list()
    True
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Catalog) -> None:
        """Wraps a native catalogue; use :meth:`builtin` or :meth:`from_toml` to get one."""
        self._native = native

    @classmethod
    def builtin(cls, id: str = "ccsy-example") -> Catalog:
        """A compiled-in catalogue: one of :meth:`builtin_ids`.

        >>> Catalog.builtin("mohurd-2023").id
        'mohurd-2023'
        """
        return cls(_native.Catalog.builtin(id))

    @staticmethod
    def builtin_ids() -> list[str]:
        """The ids of the compiled-in catalogues.

        >>> "ccsy-example" in Catalog.builtin_ids()
        True
        """
        return list(_native.Catalog.builtin_ids())

    @classmethod
    def from_toml(cls, path_or_str: PathLike) -> Catalog:
        """A catalogue from a TOML file (a path) or from TOML text (a string holding a
        newline). The schema is ``indicators/README.md``.

        >>> tiny = Catalog.from_toml('''
        ... [catalog]
        ... id = "tiny"
        ... name = "最小指标体系"
        ... version = "1"
        ...
        ... [[groups]]
        ... id = "ecology"
        ... name_zh = "生态宜居"
        ... name_en = "Ecology"
        ...
        ... [[indicators]]
        ... id = "green"
        ... name_zh = "建成区绿化覆盖率"
        ... name_en = "Green coverage"
        ... group = "ecology"
        ... unit = "%"
        ... direction = "higher"
        ... ''')
        >>> tiny.indicators["id"].to_list()
        ['green']
        """
        if isinstance(path_or_str, os.PathLike):
            return cls(_native.Catalog.load(path_or_str))
        text = str(path_or_str)
        if "\n" in text:
            return cls(_native.Catalog.from_toml(text))
        return cls(_native.Catalog.load(text))

    @classmethod
    def load(cls, path: PathLike) -> Catalog:
        """A catalogue from a TOML file.

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.toml"
        >>> _ = path.write_text('''
        ... [catalog]
        ... id = "tiny"
        ... name = "最小指标体系"
        ... version = "1"
        ...
        ... [[groups]]
        ... id = "ecology"
        ... name_zh = "生态宜居"
        ... name_en = "Ecology"
        ...
        ... [[indicators]]
        ... id = "green"
        ... name_zh = "建成区绿化覆盖率"
        ... name_en = "Green coverage"
        ... group = "ecology"
        ... unit = "%"
        ... direction = "higher"
        ... ''', encoding="utf-8")
        >>> Catalog.load(path).id
        'tiny'
        """
        return cls(_native.Catalog.load(path))

    @property
    def id(self) -> str:
        """The catalogue's id (``[catalog] id``)."""
        return self._native.id

    @property
    def name(self) -> str:
        """The catalogue's name (``[catalog] name``)."""
        return self._native.name

    @property
    def version(self) -> str:
        """The catalogue's version (``[catalog] version``)."""
        return self._native.version

    @property
    def sha256(self) -> str:
        """SHA-256 of the TOML text the catalogue was read from: fitted parameters apply only to
        the catalogue with the same hash."""
        return self._native.sha256

    @property
    def indicators(self) -> pl.DataFrame:
        """One row per indicator: ``id, name_zh, name_en, group, unit, direction, type,
        valid_min, valid_max, weight, aliases, status, source``. ``aliases`` is a list of
        strings (the column names that also mean the indicator; empty when it has none).
        ``status`` is the provenance of the row: ``official``, ``confirmed``, ``local`` or
        ``proposed``.

        >>> import polars as pl
        >>> table = Catalog.builtin("ccsy-example").indicators
        >>> table.filter(pl.col("id") == "gdp")["aliases"].to_list()
        [['地区生产总值_当年价格_全市_万元', 'GDP']]
        """
        return to_polars(self._native.indicators())

    @property
    def groups(self) -> pl.DataFrame:
        """One row per group: ``id, name_zh, name_en, parent, weight, status, source``."""
        return to_polars(self._native.groups())

    @property
    def parameters(self) -> pl.DataFrame:
        """One row per formula parameter (``[parameters]``, the numbers formulas read as
        ``$name``), overrides of :meth:`with_parameters` applied: ``name, value, description,
        source``, by name. No rows when the catalogue defines none.

        >>> norms = Catalog.builtin("mohurd-2023").parameters
        >>> norms.filter(norms["name"] == "elderly_norm_new")["value"].to_list()
        [20.0]
        >>> Catalog.builtin("ccsy-example").parameters.height
        0
        """
        return to_polars(self._native.parameters())

    @property
    def parameter_overrides(self) -> dict[str, float]:
        """The parameters set by :meth:`with_parameters` (name → value); empty for the catalogue
        as written.

        >>> Catalog.builtin("mohurd-2023").with_parameters({"elderly_norm_new": 30}).parameter_overrides
        {'elderly_norm_new': 30.0}
        """
        return dict(self._native.parameter_overrides())

    def with_parameters(self, overrides: Mapping[str, float]) -> Catalog:
        """The catalogue with some ``[parameters]`` set to other values (a province's norms)
        without editing any formula; this catalogue is left as it is. Names may be written with
        or without the ``$``; overrides add up over repeated calls. An unknown name (the message
        lists the known ones) or a value that is not a finite number raises
        :class:`~citycheck.CatalogError`.

        >>> import citycheck as cc
        >>> mohurd = cc.Catalog.builtin("mohurd-2023")
        >>> anhui = mohurd.with_parameters({"elderly_norm_new": 30, "$elderly_norm_existing": 20})
        >>> values = dict(anhui.parameters.select("name", "value").iter_rows())
        >>> values["elderly_norm_new"], values["elderly_norm_existing"]
        (30.0, 20.0)
        >>> anhui.parameter_overrides == {"elderly_norm_new": 30.0, "elderly_norm_existing": 20.0}
        True
        >>> try:
        ...     mohurd.with_parameters({"elderly_norm": 30})
        ... except cc.CatalogError as e:
        ...     print("did you mean 'elderly_norm_new'?" in str(e))
        True
        """
        if not isinstance(overrides, Mapping):
            raise _native.SpecError(f"parameter overrides are a dict of name → number, got {type(overrides).__name__}")
        pairs = [(str(name), to_float(value, f"parameter '{name}'")) for name, value in overrides.items()]
        return Catalog(self._native.with_parameters(pairs))

    @property
    def levels(self) -> pl.DataFrame:
        """The record hierarchy whose objects the formulas count, finest first (``[[levels]]``,
        or the default building, compound, block, district, city): ``id, name_zh, name_en,
        required, id_column``. An optional level (``required`` false) is used where the records
        carry its ``id_column`` and skipped where they do not.

        >>> levels = Catalog.builtin("mohurd-2023").levels
        >>> levels["id"].to_list()
        ['building', 'compound', 'community', 'block', 'district', 'city']
        >>> levels.filter(levels["id"] == "community").select("required", "id_column").row(0)
        (False, 'community_id')
        """
        return to_polars(self._native.levels())

    def __reduce__(self) -> tuple[Any, tuple[str, str, dict[str, float]]]:
        """Pickles as the TOML text the catalogue was read from, its id and its parameter
        overrides — what another process (a Spark executor, a worker of ``multiprocessing``)
        rebuilds the same catalogue from, with the same :attr:`sha256`.

        >>> import pickle
        >>> anhui = Catalog.builtin("mohurd-2023").with_parameters({"elderly_norm_new": 30})
        >>> again = pickle.loads(pickle.dumps(anhui))
        >>> again.sha256 == anhui.sha256, again.parameter_overrides
        (True, {'elderly_norm_new': 30.0})
        """
        return (_from_state, (self._native.toml(), self.id, self.parameter_overrides))

    def __repr__(self) -> str:
        return repr(self._native)

    def _repr_html_(self) -> str:
        indicators = self.indicators
        groups = self.groups
        counts = dict(indicators.group_by("group").len().iter_rows())
        table = groups.select("id", "name_zh", "name_en", "parent").with_columns(
            pl.Series("indicators", [counts.get(g, 0) for g in groups["id"].to_list()], dtype=pl.UInt32)
        )
        ungrouped = indicators.filter(pl.col("group").is_null()).height
        headline = (
            f"citycheck catalogue {self.id} ({self.name}), version {self.version}: {groups.height} group(s), "
            f"{indicators.height} indicator(s)" + (f", {ungrouped} outside any group" if ungrouped else "")
        )
        return html_summary(headline, [("Groups and their indicators", table)])


def _from_state(text: str, name: str, overrides: dict[str, float]) -> Catalog:
    """A pickled catalogue rebuilt (:meth:`Catalog.__reduce__`)."""
    native = _native.Catalog.from_toml(text, name)
    return Catalog(native.with_parameters(list(overrides.items())) if overrides else native)
