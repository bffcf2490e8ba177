"""cc.compute: indicators from object records, from files and from frames (issue 8)."""

from __future__ import annotations

import polars as pl
import pytest

import citycheck as cc

from conftest import ROOT

SAMPLE = ROOT / "datasets" / "province_sample"
TABLES = ["buildings", "compounds", "blocks", "districts"]


def test_files_and_frames_give_the_same_indicators() -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    from_files = cc.compute([SAMPLE / f"{t}.csv" for t in TABLES], catalog)
    frames = [pl.read_csv(SAMPLE / f"{t}.csv") for t in TABLES]
    from_frames = cc.compute(frames, catalog)
    # Same rows; float sums may differ in the last bits (parallel partial sums: DESIGN.md).
    a, b = from_files.indicators, from_frames.indicators
    assert a.select("unit", "level", "year", "indicator", "unknown", "objects").equals(
        b.select("unit", "level", "year", "indicator", "unknown", "objects")
    )
    for column in ("value", "numerator", "denominator"):
        diff = (a[column] - b[column]).abs() / a[column].abs().clip(lower_bound=1.0)
        assert (diff.fill_null(0.0) <= 1e-12).all(), column
    assert set(from_files.indicators["level"].unique()) == {"compound", "block", "district", "city"}
    assert from_files.issues == []
    assert from_files.ledger is not None and from_files.ledger.height > 0


def test_city_counts_are_sums_of_district_counts() -> None:
    out = cc.compute([SAMPLE / f"{t}.csv" for t in TABLES], cc.Catalog.builtin("mohurd-2023"))
    gas = out.indicators.filter(pl.col("indicator") == "gas_hazard_dwellings")
    by_level = gas.group_by("level", "year").agg(pl.col("numerator").sum()).sort("level", "year")
    totals = by_level.group_by("year").agg(pl.col("numerator").n_unique())
    assert totals["numerator"].to_list() == [1] * totals.height


def test_pandas_frames_and_the_panel_to_score() -> None:
    catalog = cc.Catalog.builtin("mohurd-2023")
    frames = [pl.read_csv(SAMPLE / f"{t}.csv").to_pandas() for t in TABLES]
    out = cc.compute(frames, catalog, levels=["district", "city"], ledger=False)
    assert out.ledger is None
    assert set(out.indicators["level"].unique()) == {"district", "city"}
    result = cc.score(out.panel("district"), catalog, validation="lenient")
    assert result.scores.filter(pl.col("kind") == "index").height > 0


def test_errors_name_the_column() -> None:
    frame = pl.read_csv(SAMPLE / "buildings.csv").drop("gas_hazard")
    with pytest.raises(cc.DataError, match="gas_hazard"):
        cc.compute(frame, cc.Catalog.builtin("mohurd-2023"))
    with pytest.raises(cc.SpecError, match="unknown level"):
        cc.compute(SAMPLE / "buildings.csv", cc.Catalog.builtin("mohurd-2023"), levels=["town"])


NORMS = """
[catalog]
id = "norms"
name = "norms"
version = "1"
[parameters]
elderly_norm_new = 20
[parameters.elderly_norm_existing]
value = 15
description = "m² of elderly-care space per 100 households, existing compounds"
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
expr = '''count(is_new && elderly_area * 100 / households < $elderly_norm_new
             || !is_new && elderly_area * 100 / households < $elderly_norm_existing)'''
"""


def test_parameters_set_a_provinces_norms() -> None:
    # Per 100 households: r1 25 (new), r2 18 (new), r3 16 (existing), r4 10 (existing).
    compounds = pl.DataFrame(
        {
            "year": [2025] * 4,
            "city_id": ["C"] * 4,
            "district_id": ["D1", "D1", "D2", "D2"],
            "block_id": ["k1", "k1", "k2", "k2"],
            "compound_id": ["r1", "r2", "r3", "r4"],
            "is_new": [True, True, False, False],
            "households": [400, 500, 200, 300],
            "elderly_area": [100.0, 90.0, 32.0, 30.0],
        }
    )
    catalog = cc.Catalog.from_toml(NORMS)

    def city(out: cc.Computed) -> float:
        return out.indicators.filter(pl.col("level") == "city")["value"].item()

    assert city(cc.compute(compounds, catalog)) == 2.0  # 20 / 15: r2 and r4
    province = {"elderly_norm_new": 25, "elderly_norm_existing": 18}
    assert city(cc.compute(compounds, catalog, parameters=province)) == 3.0  # 25 / 18: r2, r3, r4
    with pytest.raises(cc.CatalogError, match="elderly_norm"):
        cc.compute(compounds, catalog, parameters={"elderly_norm": 25})
