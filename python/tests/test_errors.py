"""The exception hierarchy: one class per error kind, all under CitycheckError."""

from __future__ import annotations

import pytest

import citycheck as cc


@pytest.mark.parametrize("error", [cc.CatalogError, cc.DataError, cc.SpecError, cc.MethodError, cc.IoError])
def test_every_error_is_a_citycheck_error(error: type) -> None:
    assert issubclass(error, cc.CitycheckError)
    assert issubclass(error, Exception)
    assert error.__module__ == "citycheck"


def test_invalid_read_option_raises_spec_error() -> None:
    pl = pytest.importorskip("polars")
    with pytest.raises(cc.SpecError, match="diagonal"):
        cc.Panel.from_frame(pl.DataFrame({"city": ["a"], "year": [2012], "gdp": [1.0]}), layout="diagonal")


def test_invalid_validation_mode_raises_spec_error(catalog: cc.Catalog) -> None:
    pl = pytest.importorskip("polars")
    panel = cc.Panel.from_frame(pl.DataFrame({"city": ["a"], "year": [2012], "gdp": [1.0]}), unit="city")
    with pytest.raises(cc.SpecError):
        panel.validate(catalog, mode="sloppy")


def test_version() -> None:
    assert cc.__version__.count(".") == 2
