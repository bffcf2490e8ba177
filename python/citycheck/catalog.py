"""The indicator catalogue (指标体系): :class:`Catalog`."""

from __future__ import annotations

import os

import polars as pl

from . import _citycheck as _native
from ._convert import PathLike, to_polars

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
        valid_min, valid_max, weight, aliases, status, source``. ``status`` is the provenance
        of the row: ``official``, ``confirmed``, ``local`` or ``proposed``."""
        return to_polars(self._native.indicators())

    @property
    def groups(self) -> pl.DataFrame:
        """One row per group: ``id, name_zh, name_en, parent, weight, status, source``."""
        return to_polars(self._native.groups())

    def __repr__(self) -> str:
        return repr(self._native)
