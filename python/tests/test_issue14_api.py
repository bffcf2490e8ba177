"""What the library gained and Python lacked (issue 14): a catalogue's parameters and their
overrides, its record hierarchy, fill-in templates, warnings with their codes, and a panel's
years filtered."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import citycheck as cc

UNITS = ["沈阳市", "大连市"]
YEARS = [2011, 2012]


@pytest.fixture(scope="module")
def mohurd() -> cc.Catalog:
    return cc.Catalog.builtin("mohurd-2023")


@pytest.fixture(scope="module")
def full(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


# ---------------------------------------------------------------------------------------
# Catalog.parameters, parameter_overrides, with_parameters
# ---------------------------------------------------------------------------------------


def norm(catalog: cc.Catalog, name: str) -> float:
    table = catalog.parameters
    value = table.filter(pl.col("name") == name)["value"].item()
    assert isinstance(value, float)
    return value


def test_parameters_are_a_table_by_name(mohurd: cc.Catalog) -> None:
    table = mohurd.parameters
    assert isinstance(table, pl.DataFrame)
    assert table.columns == ["name", "value", "description", "source"]
    assert table.schema["value"] == pl.Float64
    names = table["name"].to_list()
    assert names == sorted(names)
    assert {"elderly_norm_new", "elderly_norm_existing"} <= set(names)
    assert norm(mohurd, "elderly_norm_new") == 20.0
    assert norm(mohurd, "elderly_norm_existing") == 15.0
    row = table.filter(pl.col("name") == "elderly_norm_new").row(0, named=True)
    assert "per 100 households" in row["description"]
    assert row["source"]
    assert mohurd.parameter_overrides == {}


def test_a_catalogue_without_parameters_has_an_empty_table(catalog: cc.Catalog) -> None:
    table = catalog.parameters
    assert table.height == 0
    assert table.columns == ["name", "value", "description", "source"]
    assert table.schema["name"] == pl.String


def test_with_parameters_changes_the_value_and_leaves_the_catalogue(mohurd: cc.Catalog) -> None:
    anhui = mohurd.with_parameters({"elderly_norm_new": 30, "$elderly_norm_existing": 20.5})
    assert isinstance(anhui, cc.Catalog)
    assert norm(anhui, "elderly_norm_new") == 30.0
    assert norm(anhui, "elderly_norm_existing") == 20.5
    assert anhui.parameter_overrides == {"elderly_norm_new": 30.0, "elderly_norm_existing": 20.5}
    # The catalogue it came from is unchanged; the TOML it was read from is the same.
    assert norm(mohurd, "elderly_norm_new") == 20.0
    assert mohurd.parameter_overrides == {}
    assert (anhui.id, anhui.version, anhui.sha256) == (mohurd.id, mohurd.version, mohurd.sha256)
    # Overrides add up over repeated calls; a later value of the same name wins.
    again = anhui.with_parameters({"elderly_norm_new": 25})
    assert again.parameter_overrides == {"elderly_norm_new": 25.0, "elderly_norm_existing": 20.5}
    assert norm(again, "elderly_norm_new") == 25.0
    # No overrides: the same parameters.
    assert mohurd.with_parameters({}).parameters.equals(mohurd.parameters)


def test_with_parameters_refuses_unknown_names_and_non_numbers(mohurd: cc.Catalog, catalog: cc.Catalog) -> None:
    with pytest.raises(cc.CatalogError, match="elderly_norm_new"):  # did you mean …
        mohurd.with_parameters({"elderly_norm": 30})
    with pytest.raises(cc.CatalogError, match=r"no \[parameters\] table"):
        catalog.with_parameters({"elderly_norm_new": 30})
    with pytest.raises(cc.CatalogError, match="finite"):
        mohurd.with_parameters({"elderly_norm_new": math.nan})
    with pytest.raises(cc.SpecError, match="must be a number"):
        mohurd.with_parameters({"elderly_norm_new": "thirty"})  # type: ignore[dict-item]
    with pytest.raises(cc.SpecError, match="dict"):
        mohurd.with_parameters([("elderly_norm_new", 30.0)])  # type: ignore[arg-type]


NORMS = """
[catalog]
id = "norms"
name = "norms"
version = "1"
[parameters]
elderly_norm_new = 20
[[groups]]
id = "g"
name_zh = "组"
name_en = "g"
[[indicators]]
id = "elderly_below_norm"
name_zh = "养老未达标"
name_en = "elderly below norm"
group = "g"
unit = "count"
direction = "lower"
[indicators.formula]
object = "compound"
expr = "count(elderly_area * 100 / households < $elderly_norm_new)"
"""


def test_a_catalogue_with_parameters_computes_with_them() -> None:
    # Per 100 households: r1 25, r2 18, r3 22.
    compounds = pl.DataFrame(
        {
            "year": [2025] * 3,
            "city_id": ["C"] * 3,
            "district_id": ["D1", "D1", "D2"],
            "block_id": ["k1", "k1", "k2"],
            "compound_id": ["r1", "r2", "r3"],
            "households": [400, 500, 100],
            "elderly_area": [100.0, 90.0, 22.0],
        }
    )
    catalog = cc.Catalog.from_toml(NORMS)

    def city(out: cc.Computed) -> float:
        value = out.indicators.filter(pl.col("level") == "city")["value"].item()
        assert isinstance(value, float)
        return value

    assert city(cc.compute(compounds, catalog)) == 1.0  # below 20: r2
    province = catalog.with_parameters({"elderly_norm_new": 24})
    assert city(cc.compute(compounds, province)) == 2.0  # below 24: r2, r3
    assert city(cc.compute(compounds, catalog, parameters={"elderly_norm_new": 24})) == 2.0


# ---------------------------------------------------------------------------------------
# Catalog.levels
# ---------------------------------------------------------------------------------------


def test_levels_declare_an_optional_community(mohurd: cc.Catalog) -> None:
    levels = mohurd.levels
    assert isinstance(levels, pl.DataFrame)
    assert levels.columns == ["id", "name_zh", "name_en", "required", "id_column"]
    assert levels["id"].to_list() == ["building", "compound", "community", "block", "district", "city"]
    community = levels.filter(pl.col("id") == "community").row(0, named=True)
    assert community == {
        "id": "community",
        "name_zh": "社区",
        "name_en": "community",
        "required": False,
        "id_column": "community_id",
    }
    assert levels.filter(pl.col("id") != "community")["required"].to_list() == [True] * 5


def test_a_catalogue_without_levels_has_the_default_hierarchy(catalog: cc.Catalog) -> None:
    levels = catalog.levels
    assert levels["id"].to_list() == ["building", "compound", "block", "district", "city"]
    assert levels["required"].all()
    assert levels["id_column"].to_list() == ["building_id", "compound_id", "block_id", "district_id", "city_id"]


# ---------------------------------------------------------------------------------------
# cc.template and Panel.read of a template
# ---------------------------------------------------------------------------------------


def test_template_writes_a_workbook_that_reads_back_only_when_filled(catalog: cc.Catalog, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    path = cc.template(catalog, UNITS, YEARS, out)
    assert isinstance(path, Path)
    assert path == out
    assert out.is_file() and out.stat().st_size > 0
    # Nothing filled in yet: reading it says so (DataError naming the file).
    with pytest.raises(cc.DataError, match="no value is filled in"):
        cc.Panel.read(out)
    # A str path and numpy-like years work too.
    again = cc.template(catalog, tuple(UNITS), range(2011, 2013), str(tmp_path / "again.xlsx"))
    assert again.is_file()


def test_a_prefilled_template_round_trips(catalog: cc.Catalog, liaoning: pl.DataFrame, tmp_path: Path) -> None:
    df = liaoning.filter(pl.col("city").is_in(UNITS) & pl.col("year").is_in(YEARS))
    values = cc.Panel.from_frame(df, unit="city")
    path = cc.template(catalog, UNITS, YEARS, tmp_path / "filled.xlsx", values=values)
    filled = cc.Panel.read(path)
    assert filled.origin is not None and filled.origin.endswith("filled.xlsx")
    # The example has no 沈阳市 2011: those cells stay empty, read as missing.
    assert sorted(filled.units) == sorted(UNITS)
    assert filled.years == YEARS
    assert len(filled) == len(values) == df.height
    assert set(filled.indicators) == set(df["indicator"].unique().to_list())
    assert filled.template is not None
    assert filled.template["catalog"] == "ccsy-example"
    assert filled.template["version"] == catalog.version
    assert filled.template["sha256"] == catalog.sha256
    assert values.template is None
    # The same observations: the same scores.
    keys = ["unit", "year", "node"]
    a = cc.score(filled, catalog, validation="lenient").scores.sort(keys)
    b = cc.score(values, catalog, validation="lenient").scores.sort(keys)
    assert a.select(keys).equals(b.select(keys))
    assert a["score"].is_null().equals(b["score"].is_null())
    assert (a["score"] - b["score"]).abs().max() < 1e-9  # type: ignore[operator]


def test_template_levels_and_bad_options(catalog: cc.Catalog, mohurd: cc.Catalog, tmp_path: Path) -> None:
    district = cc.template(mohurd, ["沈阳市"], [2024], tmp_path / "district.xlsx", level="district")
    assert district.is_file()
    assert cc.template(mohurd, "沈阳市", [2024], tmp_path / "zh.xlsx", level="城区(城市)").is_file()
    with pytest.raises(cc.SpecError, match="no level 'town'"):
        cc.template(mohurd, ["沈阳市"], [2024], tmp_path / "town.xlsx", level="town")
    with pytest.raises(cc.SpecError, match="has no levels"):
        cc.template(catalog, UNITS, YEARS, tmp_path / "levels.xlsx", level="district")
    with pytest.raises(cc.SpecError):
        cc.template(catalog, [], YEARS, tmp_path / "no-units.xlsx")
    with pytest.raises(cc.SpecError):
        cc.template(catalog, UNITS, [], tmp_path / "no-years.xlsx")
    with pytest.raises(cc.SpecError, match="xlsx"):
        cc.template(catalog, UNITS, YEARS, tmp_path / "template.csv")
    with pytest.raises(cc.SpecError, match="year"):
        cc.template(catalog, UNITS, ["2024"], tmp_path / "text-year.xlsx")  # type: ignore[list-item]
    with pytest.raises(cc.SpecError, match="Catalog"):
        cc.template("ccsy-example", UNITS, YEARS, tmp_path / "id.xlsx")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# warnings_table on Result and Diagnosis
# ---------------------------------------------------------------------------------------


def test_warnings_table_keeps_the_codes(catalog: cc.Catalog, full: cc.Panel) -> None:
    fitted = cc.Checkup(catalog).fit(full.filter_years(last=2011))
    later = fitted.transform(full.filter_years(2012))
    table = later.warnings_table
    assert isinstance(table, pl.DataFrame)
    assert table.columns == ["code", "message"]
    assert dict(table.schema) == {"code": pl.String, "message": pl.String}
    # `warnings` is unchanged: the messages, in the table's order.
    assert table["message"].to_list() == later.warnings
    beyond = table.filter(pl.col("code") == "beyond_fitted_bounds")
    assert beyond.height > 0
    assert all("beyond the bounds" in m for m in beyond["message"])
    assert set(table["code"]) <= {
        "denominator_missing",
        "imputed",
        "indicators_left_out",
        "outliers_treated",
        "normalization",
        "weights",
        "beyond_fitted_bounds",
        "no_score",
        "partial_coverage",
        "not_comparable",
        "proposed_indicators",
        "not_applicable",
    }


def test_warnings_table_of_a_run_and_of_a_diagnosis(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    result = cc.score(cc.Panel.from_frame(liaoning, unit="city"), catalog)
    assert result.warnings_table["message"].to_list() == result.warnings
    diagnosis = cc.diagnose(cc.Panel.from_frame(liaoning, unit="city"), catalog)
    assert diagnosis.warnings_table.columns == ["code", "message"]
    assert diagnosis.warnings_table["message"].to_list() == diagnosis.warnings


# ---------------------------------------------------------------------------------------
# Panel.filter_years
# ---------------------------------------------------------------------------------------


def test_filter_years_keeps_the_years_asked_for(catalog: cc.Catalog, full: cc.Panel, liaoning: pl.DataFrame) -> None:
    assert full.years == [2008, 2009, 2010, 2011, 2012]
    earlier = full.filter_years(2008, 2011)
    assert isinstance(earlier, cc.Panel)
    assert earlier.years == [2008, 2009, 2010, 2011]
    by_frame = cc.Panel.from_frame(liaoning.filter(pl.col("year") <= 2011), unit="city")
    assert len(earlier) == len(by_frame)
    assert full.filter_years(last=2011).years == earlier.years
    assert full.filter_years(2010).years == [2010, 2011, 2012]
    assert full.filter_years(2010, 2010).years == [2010]
    assert len(full.filter_years()) == len(full)
    assert full.units == earlier.units
    # No year in range: an empty panel, not an error.
    none = full.filter_years(2020)
    assert len(none) == 0 and none.years == []
    # The same fit as a panel built from the filtered frame.
    assert cc.Checkup(catalog).fit(earlier) == cc.Checkup(catalog).fit(by_frame)
    # Years as numpy integers or whole floats; a bool or text is refused.
    assert full.filter_years(np.int64(2012)).years == [2012]
    assert full.filter_years(2011.0, 2011.0).years == [2011]  # type: ignore[arg-type]
    with pytest.raises(cc.SpecError):
        full.filter_years("2011")  # type: ignore[arg-type]
    with pytest.raises(cc.SpecError):
        full.filter_years(True)
