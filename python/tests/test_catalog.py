"""citycheck.Catalog: built-in and TOML catalogues, inspectable as tables."""

from __future__ import annotations

import polars as pl
import pytest

import citycheck as cc

MINIMAL = """
[catalog]
id = "tiny"
name = "最小指标体系"
version = "1"

[[groups]]
id = "ecology"
name_zh = "生态宜居"
name_en = "Ecology"

[[indicators]]
id = "green"
name_zh = "建成区绿化覆盖率"
name_en = "Green coverage"
group = "ecology"
unit = "%"
direction = "higher"
"""


def test_builtin_catalogue_loads(catalog: cc.Catalog) -> None:
    assert catalog.id == "ccsy-example"
    assert "ccsy-example" in cc.Catalog.builtin_ids()
    indicators = catalog.indicators
    assert isinstance(indicators, pl.DataFrame)
    assert {"id", "name_zh", "group", "unit", "direction"} <= set(indicators.columns)
    assert "gdp" in indicators["id"].to_list()
    assert "vitality" in catalog.groups["id"].to_list()
    assert len(catalog.sha256) == 64


def test_indicators_and_groups_carry_status_and_source() -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    for table in (catalog.indicators, catalog.groups):
        assert {"status", "source"} <= set(table.columns)
        assert set(table["status"].to_list()) <= {"official", "confirmed", "local", "proposed"}
        # A row that is not proposed always cites its source.
        cited = table.filter(table["status"] != "proposed")
        assert cited["source"].null_count() == 0
    assert "local" in catalog.indicators["status"].to_list()
    example = cc.Catalog.builtin("ccsy-example").indicators
    assert set(example["status"].to_list()) == {"proposed"}


def test_every_builtin_catalogue_loads() -> None:
    for id in cc.Catalog.builtin_ids():
        assert cc.Catalog.builtin(id).indicators.height > 0


def test_unknown_builtin_raises_catalog_error() -> None:
    with pytest.raises(cc.CatalogError, match="built-in"):
        cc.Catalog.builtin("no-such-catalogue")


def test_from_toml_text_and_path(tmp_path) -> None:
    from_text = cc.Catalog.from_toml(MINIMAL)
    assert from_text.id == "tiny"
    path = tmp_path / "tiny.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert cc.Catalog.from_toml(path).sha256 == from_text.sha256
    assert cc.Catalog.from_toml(str(path)).indicators["id"].to_list() == ["green"]


def test_malformed_toml_raises_catalog_error() -> None:
    with pytest.raises(cc.CatalogError):
        cc.Catalog.from_toml(MINIMAL.replace('group = "ecology"', 'group = "nowhere"'))


def test_missing_file_raises_io_error(tmp_path) -> None:
    with pytest.raises(cc.IoError):
        cc.Catalog.from_toml(tmp_path / "absent.toml")
