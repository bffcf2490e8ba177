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
